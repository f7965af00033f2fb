"""Card teasers and title glosses, on the edition's real articles.

What is asserted of an article holds whatever its text says: the teaser is read against the
article file as it stands (its opening sentences), so an editor's correction of a sentence
does not fail these tests; fixed sentences are only those of the constructed examples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from converters.editing.candidates import visible_lines
from edition.article.frontmatter import article_lead, parse_front_matter
from edition.article.record import ArticleMeta
from edition.article.teaser import (
    TEASER_MAX,
    TEASER_MIN,
    TEASER_SENTENCES,
    full_sentences,
    is_chinese,
    teaser,
    title_gloss,
    weight,
)
from edition.article.teaser import card_teaser as teaser_of_card

ARTICLES = Path(__file__).resolve().parents[1] / "docs" / "articles"


def read(slug: str) -> tuple[ArticleMeta, str]:
    text = (ARTICLES / f"{slug}.md").read_text(encoding="utf-8")
    meta = parse_front_matter(text)
    assert meta is not None
    return ArticleMeta.from_front_matter(meta, f"articles/{slug}"), text


def card_teaser(meta: ArticleMeta, text: str) -> str:
    """What the card of an article shows under its title, as the build computes it."""
    return teaser_of_card(meta, article_lead(meta, text))


def opening_paragraphs(slug: str) -> list[str]:
    """The article's paragraphs from its first (``<slug>-p1``) on, as a reader sees them.

    Read independently of the teaser's own reading of the page: the candidates tool's
    reader-visible lines (no labels, fences, options, role targets, footnote marks), headings
    left out, consecutive lines joined, white space made single.
    """
    text = (ARTICLES / f"{slug}.md").read_text(encoding="utf-8")
    raw = text.split("\n")
    first = next(i for i, line in enumerate(raw)
                 if line.strip() in (f"({slug}-p1)=", f":name: {slug}-p1"))
    paragraphs: list[list[str]] = [[]]
    for line, shown in zip(raw[first:], visible_lines(text)[first:], strict=True):
        if line.lstrip().startswith("#") or not shown.strip():
            paragraphs.append([])
        else:
            paragraphs[-1].append(shown)
    return [" ".join(" ".join(lines).split()) for lines in paragraphs if lines]


def opening_sentences(slug: str, meta: ArticleMeta) -> list[str]:
    """The full sentences a card may quote, in order: the article's main language only (a
    parallel text's other half is its translation), the title's repetition passed over."""
    chinese = meta.language[0].startswith("zh")
    title = meta.title.rstrip(".。")
    sentences: list[str] = []
    for paragraph in opening_paragraphs(slug):
        if is_chinese(paragraph) != chinese or paragraph.rstrip(".。") == title:
            continue
        sentences += full_sentences(paragraph)
    return sentences


SLUGS = sorted(path.stem for path in ARTICLES.glob("*.md"))


def test_the_edition_has_articles_of_each_kind() -> None:
    """The properties below are checked on English, Chinese and parallel articles alike."""
    languages = {read(slug)[0].language for slug in SLUGS}
    assert {("en",), ("zh-Hans",), ("en", "zh-Hant")} <= languages


@pytest.mark.parametrize("slug", SLUGS)
def test_the_teaser_is_the_articles_opening_cut_at_a_sentence_end(slug: str) -> None:
    """The lead is the first full sentences of the text as it stands: as many as reach
    TEASER_MIN (at most TEASER_SENTENCES, never past TEASER_MAX); a first sentence longer
    than that is cut with an ellipsis. A lead-in ending in ":" has no full sentence: it is
    passed over, like the title's repetition and a parallel text's other language."""
    meta, text = read(slug)
    lead = article_lead(meta, text)
    sentences = opening_sentences(slug, meta)
    assert sentences, f"{slug}: no full sentence to open the card"
    assert lead and weight(lead) <= TEASER_MAX
    assert not lead.rstrip().endswith(":")
    if lead.endswith("…"):
        assert weight(sentences[0]) > TEASER_MAX
        assert sentences[0].startswith(lead[:-1].rstrip())
        return
    count = next((n for n in range(1, TEASER_SENTENCES + 1)
                  if " ".join(sentences[:n]) == lead), 0)
    assert count, f"{slug}: {lead!r} is not the opening of {sentences[:TEASER_SENTENCES]}"
    more = sentences[count:count + 1]
    assert (weight(lead) >= TEASER_MIN or count == TEASER_SENTENCES or not more
            or weight(" ".join([lead, *more])) > TEASER_MAX)
    assert weight(" ".join(sentences[:count - 1])) < TEASER_MIN  # no sentence more than needed


@pytest.mark.parametrize("slug", SLUGS)
def test_a_card_shows_the_sources_dek_else_the_lead(slug: str) -> None:
    """A subtitle the source gives (not the editors') is the card's teaser; else the lead."""
    meta, text = read(slug)
    supplied = {entry.field for entry in meta.editorial}
    dek = meta.subtitle.strip()
    expected = dek if dek and "subtitle" not in supplied else article_lead(meta, text)
    assert card_teaser(meta, text) == expected
    if len(meta.language) > 1:  # a parallel text's card is in its main language only
        assert is_chinese(card_teaser(meta, text)) == meta.language[0].startswith("zh")


def test_short_sentences_are_joined_up_to_the_limit() -> None:
    texts = ["Short one.", "Another short one. A third, the last one taken here. Not this."]
    assert teaser(texts) == "Short one. Another short one. A third, the last one taken here."


def test_sentences_end_at_stops_not_at_initials() -> None:
    text = "The U.S. company grew. Then it stopped: twice"
    assert full_sentences(text) == ["The U.S. company grew."]
    assert teaser(["In summary, it is:", text]) == "The U.S. company grew."


def test_glosses_only_where_given() -> None:
    meta, _ = read("china-internet-at-thirty")
    assert title_gloss(meta, None) is None
    chinese, _ = read("tiktok-run")
    assert title_gloss(chinese, None) is None
    given = title_gloss(chinese, {"value": "Run, TikTok", "reason": "…"})
    assert given is not None and given.editorial and given.language == "en"
    parallel, _ = read("silicon-valley-china-envy")
    source = title_gloss(parallel, None)
    assert source is not None and not source.editorial
    assert source.text == parallel.subtitle and source.language == "zh-Hant"
