"""Card teasers and title glosses, on the edition's real articles."""

from __future__ import annotations

from pathlib import Path

from edition.article.frontmatter import article_lead, parse_front_matter
from edition.article.record import ArticleMeta
from edition.article.teaser import card_teaser as teaser_of_card
from edition.article.teaser import full_sentences, teaser, title_gloss, weight

ARTICLES = Path(__file__).resolve().parents[1] / "docs" / "articles"


def read(slug: str) -> tuple[ArticleMeta, str]:
    text = (ARTICLES / f"{slug}.md").read_text(encoding="utf-8")
    meta = parse_front_matter(text)
    assert meta is not None
    return ArticleMeta.from_front_matter(meta, f"articles/{slug}"), text


def card_teaser(meta: ArticleMeta, text: str) -> str:
    """What the card of an article shows under its title, as the build computes it."""
    return teaser_of_card(meta, article_lead(meta, text))


def test_a_lead_in_ending_in_a_colon_is_never_the_teaser() -> None:
    meta, body = read("content-industry-no-accumulation")
    shown = card_teaser(meta, body)
    assert not shown.rstrip().endswith(":")
    assert shown.startswith("Free content is used to build an audience")


def test_the_parallel_text_skips_its_title_sentence_and_keeps_to_english() -> None:
    meta, body = read("silicon-valley-china-envy")
    shown = card_teaser(meta, body)
    assert shown.startswith("In social media posts, podcasts")
    assert not any("\u4e00" <= char <= "\u9fff" for char in shown)


def test_a_chinese_teaser_is_its_first_full_sentence() -> None:
    meta, body = read("tiktok-red-note-china-internet")
    shown = card_teaser(meta, body)
    # A Chinese character counts two: one long sentence is enough for a card.
    assert full_sentences(shown) == [shown] and shown.startswith("上周") and shown.endswith("。")
    assert 90 <= weight(shown) <= 280


def test_short_sentences_are_joined_up_to_the_limit() -> None:
    texts = ["Short one.", "Another short one. A third, the last one taken here. Not this."]
    assert teaser(texts) == "Short one. Another short one. A third, the last one taken here."


def test_a_source_dek_stays_the_teaser() -> None:
    meta, body = read("tiktok-run")
    assert card_teaser(meta, body) == meta.subtitle


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
