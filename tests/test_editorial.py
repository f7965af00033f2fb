"""The editorial layer: the real data file on the real seeds, and its schema checks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from converters import editorial
from converters.common import editorial_data
from converters.model import (
    Article,
    EditorialNote,
    Heading,
    Source,
    block_texts,
)
from converters.readers import bilingual, plaintext
from converters.sources import load

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "docs" / "_data" / "editorial.yaml"
SEED_C = ROOT / "seeds" / "002_adb9185c34c19f90.txt"
SEED_D = ROOT / "seeds" / "003_9afefc053d5ace72.txt"


def body_texts(article: Article) -> list[str]:
    """The source text an article carries: every block but the editors' notes."""
    out: list[str] = []
    for block in article.blocks:
        if not isinstance(block, EditorialNote):
            out.extend(block_texts(block))
    return out


def visible(line: str) -> str:
    """What a reader sees of a seed line: without a trailing ``#`` or a leading ``- ``."""
    if line.startswith("- "):
        return line[2:]
    if line.endswith("#"):
        return line[:-1]
    return line


@pytest.fixture(scope="module")
def data() -> editorial_data.EditorialData:
    """The edition's editorial data."""
    return editorial_data.load(DATA)


@pytest.fixture(scope="module")
def essays(data: editorial_data.EditorialData) -> list[Article]:
    """Seed 003 read and divided as the data says."""
    source = load(SEED_D)
    return editorial.apply(plaintext.read(source), source, data)


def containing(articles: list[Article], text: str) -> Article:
    """The one article whose body has a piece beginning with ``text``."""
    found = [a for a in articles if any(t.startswith(text) for t in body_texts(a))]
    assert len(found) == 1, text
    return found[0]


def test_seed_003_is_divided_into_at_least_four_articles(essays: list[Article]) -> None:
    assert len(essays) >= 4
    assert len({a.slug for a in essays}) == len(essays)
    for article in essays:
        assert editorial_data.SLUG_PATTERN.match(article.slug)


def test_every_line_of_003_lands_in_exactly_one_article(essays: list[Article]) -> None:
    lines = SEED_D.read_text(encoding="utf-8").splitlines()
    pieces = [text for article in essays for text in body_texts(article)]
    assert Counter(pieces) == Counter(visible(line) for line in lines if line.strip())


def test_the_four_texts_are_told_apart(essays: list[Article]) -> None:
    internet = containing(essays, "The data tells us that among the 20 most active apps")
    assert containing(essays, "II. Product Breakthrough") is internet
    assert containing(essays, "IV. The Mountain of Technology") is internet
    festival = containing(essays, "Festivals")
    advice = containing(essays, "Seeking Compound Interest")
    content = containing(essays, "In summary, the business model of the content industry")
    assert len({id(internet), id(festival), id(advice), id(content)}) == 4
    assert containing(essays, "OpenAI CEO: How to Improve Work Efficiency") is advice
    assert containing(essays, "Therefore, the future of knowledge payment") is content


def test_the_conclusion_goes_back_to_the_internet_essay(essays: list[Article]) -> None:
    internet = containing(essays, "The data tells us that")
    texts = body_texts(internet)
    conclusion = next(i for i, t in enumerate(texts) if t.startswith("At the end of 2022"))
    mountain = texts.index("IV. The Mountain of Technology")
    assert mountain < conclusion
    assert texts[-1].startswith("From this perspective, the adjustments")
    note = internet.blocks[0]
    assert isinstance(note, EditorialNote)
    assert "Moved here:" in note.text
    # In a reader's words: the file's name and line numbers are for the method page.
    assert "243" not in note.text and "003_" not in note.text
    # The moved passage is also marked where it now begins.
    start = next(
        i for i, b in enumerate(internet.blocks)
        if not isinstance(b, EditorialNote) and block_texts(b)[0].startswith("At the end of 2022")
    )
    marker = internet.blocks[start - 1]
    assert isinstance(marker, EditorialNote) and "moved it here" in marker.text


def test_each_divided_article_opens_with_a_note_and_has_an_editorial_title(
    essays: list[Article],
) -> None:
    for article in essays:
        note = article.blocks[0]
        assert isinstance(note, EditorialNote)
        assert "The editors have divided it" in note.text
        assert "003_9afefc053d5ace72.txt" not in note.text
        assert not re.search(r"\blines? \d", note.text)
        assert article.meta.title
        titles = [e for e in article.editorial if e.field == "title"]
        assert len(titles) == 1 and titles[0].value == article.meta.title
        assert titles[0].reason in note.text


def test_section_headings_stay_within_their_article(essays: list[Article]) -> None:
    advice = containing(essays, "Seeking Compound Interest")
    headings = [block_texts(b)[0] for b in advice.blocks if isinstance(b, Heading)]
    assert headings[0] == "Seeking Compound Interest"
    assert headings[-1] == "Intrinsic Motivation"


def test_editorial_values_carry_reasons_and_reach_the_metadata(
    data: editorial_data.EditorialData, essays: list[Article]
) -> None:
    source = load(SEED_C)
    [article] = editorial.apply(bilingual.read(source), source, data)
    for a in [article, *essays]:
        for entry in a.editorial:
            assert entry.reason.strip(), (a.slug, entry.field)
            assert getattr(a.meta, entry.field) == entry.value
    fields = {e.field: e for e in article.editorial}
    assert article.slug == "silicon-valley-china-envy"
    assert article.meta.authors == ["Li Yuan"]
    assert "In 2018, I began this column" in fields["authors"].reason
    assert "袁莉" in fields["authors"].reason
    assert article.meta.title and "first line" in fields["title"].reason
    assert article.meta.date_precision == "year" and "date_precision" in fields
    assert isinstance(article.blocks[0], EditorialNote)
    assert article.meta.language == ["en", "zh-Hant"]


def test_a_plain_text_without_entry_stays_one_article(data: editorial_data.EditorialData) -> None:
    text = SEED_D.read_text(encoding="utf-8")
    source = Source(name="another_file.txt", text=text, sha256="0" * 64)
    articles = plaintext.read(source)
    assert editorial.apply(articles, source, data) == articles
    assert len(articles) == 1 and articles[0].meta.title == ""


def test_load_of_a_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(editorial_data.EditorialError) as caught:
        editorial_data.load(tmp_path / "nowhere.yaml")
    assert str(caught.value) == f"{tmp_path / 'nowhere.yaml'}: no such file"


GOOD_ARTICLE = """\
seeds:
  sample.txt:
    articles:
    - slug: sample
      metadata:
        title: {value: A title, reason: the first line says so}
"""

SCHEMA_ERRORS = {
    "not yaml": ("seeds: [unclosed\n", "line"),
    "top key": ("sections: {}\n", "unknown key 'sections'"),
    "no reason": (
        "seeds:\n  s.txt:\n    articles:\n    - slug: a\n      metadata:\n"
        "        title: {value: T}\n",
        "seeds / s.txt / articles[1] / metadata / title: missing key 'reason'",
    ),
    "empty reason": (
        "seeds:\n  s.txt:\n    articles:\n    - metadata:\n"
        "        title: {value: T, reason: ''}\n",
        "title / reason: must be non-empty text",
    ),
    "bad slug": (
        "seeds:\n  s.txt:\n    articles:\n    - slug: Not A Slug\n",
        "articles[1] / slug: 'Not A Slug' must be ascii lowercase words joined by hyphens",
    ),
    "unknown field": (
        "seeds:\n  s.txt:\n    articles:\n    - metadata:\n"
        "        mood: {value: calm, reason: why not}\n",
        "metadata / mood: not a metadata field",
    ),
    "authors not a list": (
        "seeds:\n  s.txt:\n    articles:\n    - metadata:\n"
        "        authors: {value: Li Yuan, reason: r}\n",
        "authors / value: must be a list",
    ),
    "bad date": (
        "seeds:\n  s.txt:\n    articles:\n    - metadata:\n"
        "        date: {value: last spring, reason: r}\n",
        "'last spring' is not an ISO 8601 date",
    ),
    "range without end": (
        "seeds:\n  s.txt:\n    articles:\n    - slug: a\n      ranges:\n      - first: A\n",
        "ranges[1]: missing key 'last'",
    ),
    "split without ranges": (
        "seeds:\n  s.txt:\n    articles:\n    - slug: a\n    - slug: b\n",
        "need 'ranges'",
    ),
    "duplicate slug": (
        "seeds:\n  s.txt:\n    articles:\n    - slug: a\n  t.txt:\n    articles:\n    - slug: a\n",
        "'a' is already the slug of an article of s.txt",
    ),
}


@pytest.mark.parametrize("case", sorted(SCHEMA_ERRORS))
def test_schema_errors_are_one_clear_line(tmp_path: Path, case: str) -> None:
    text, expected = SCHEMA_ERRORS[case]
    path = tmp_path / "editorial.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(editorial_data.EditorialError) as caught:
        editorial_data.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert expected in message
    assert caught.value.path == str(path)


def test_a_good_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "editorial.yaml"
    path.write_text(GOOD_ARTICLE, encoding="utf-8")
    data = editorial_data.load(path)
    [plan] = data.seeds["sample.txt"]
    assert plan.slug == "sample" and plan.metadata[0].reason == "the first line says so"


def split_data(ranges: str) -> editorial_data.EditorialData:
    """Editorial data dividing ``sample.txt`` as ``ranges`` (YAML for two articles) says."""
    return editorial_data.parse("seeds:\n  sample.txt:\n    articles:\n" + ranges, "ed.yaml")


SAMPLE = "One#\nFirst text.\n- item a\n- item b\nTwo#\nSecond text.\n"


def apply_sample(ranges: str) -> list[Article]:
    """Divide the small sample with the given ranges."""
    source = Source(name="sample.txt", text=SAMPLE, sha256="0" * 64)
    return editorial.apply(plaintext.read(source), source, split_data(ranges))


def test_a_split_may_cut_a_list_and_keeps_items_together() -> None:
    first, second = apply_sample(
        "    - slug: a\n      ranges: [{first: 'One#', last: '- item a'}]\n"
        "    - slug: b\n      ranges: [{first: '- item b', last: Second}]\n"
    )
    assert body_texts(first) == ["One", "First text.", "item a"]
    assert body_texts(second) == ["item b", "Two", "Second text."]


@pytest.mark.parametrize(
    ("ranges", "expected"),
    [
        (
            "    - slug: a\n      ranges: [{first: 'One#', last: First}]\n"
            "    - slug: b\n      ranges: [{first: 'Two#', last: Second}]\n",
            "ed.yaml: sample.txt: 2 line(s) belong to no article, first line 3: ‘item a’",
        ),
        (
            "    - slug: a\n      ranges: [{first: 'One#', last: '- item b'}]\n"
            "    - slug: b\n      ranges: [{first: '- item b', last: Second}]\n",
            "ed.yaml: sample.txt: line 4 is in both 'a' and 'b'",
        ),
        (
            "    - slug: a\n      ranges: [{first: 'Nothing like it', last: First}]\n"
            "    - slug: b\n      ranges: [{first: '- item a', last: Second}]\n",
            "ed.yaml: sample.txt: no line begins with range start 'Nothing like it'",
        ),
        (
            "    - slug: a\n      ranges: [{first: 'One#', last: '- item'}]\n"
            "    - slug: b\n      ranges: [{first: 'Two#', last: Second}]\n",
            "ed.yaml: sample.txt: range end '- item' begins lines 3, 4: quote more of the line",
        ),
    ],
)
def test_splits_that_lose_or_double_text_are_refused(ranges: str, expected: str) -> None:
    with pytest.raises(editorial_data.EditorialError) as caught:
        apply_sample(ranges)
    assert str(caught.value) == expected


def test_editorial_values_do_not_overwrite_what_the_source_states() -> None:
    data = editorial_data.parse(
        "seeds:\n  sample.txt:\n    articles:\n    - metadata:\n"
        "        language: {value: [fr], reason: r}\n",
        "ed.yaml",
    )
    source = Source(name="sample.txt", text=SEED_D.read_text(encoding="utf-8"), sha256="0" * 64)
    with pytest.raises(editorial_data.EditorialError, match="language is stated by the source"):
        editorial.apply(plaintext.read(source), source, data)
