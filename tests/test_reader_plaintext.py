"""The format-D reader on seed 003 and on small made-up texts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from corpus import CORPUS, needs_corpus

from converters.model import (
    Article,
    BulletList,
    ConversionError,
    Heading,
    Paragraph,
    Source,
    block_texts,
)
from converters.readers import plaintext
from converters.sources import load

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "003_9afefc053d5ace72.txt"


def source_of(text: str, name: str = "notes.txt") -> Source:
    """A source made from text in the test."""
    return Source(name=name, text=text, sha256="0" * 64)


def visible(line: str) -> str:
    """What a reader sees of a seed line: without a trailing ``#`` or a leading ``- ``."""
    if line.startswith("- "):
        return line[2:]
    if line.endswith("#"):
        return line[:-1]
    return line


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    """The seed's lines, as the file has them."""
    return SEED.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def article() -> Article:
    """Seed 003 as the reader gives it, without editorial data."""
    articles = plaintext.read(load(SEED))
    assert len(articles) == 1
    return articles[0]


def test_sniff_claims_only_the_plain_text_seed() -> None:
    for path in sorted(SEEDS.glob("[0-9][0-9][0-9]_*")):
        assert plaintext.sniff(load(path).text) == path.name.startswith("003_"), path.name


def test_sniff_refuses_html(seed_lines: list[str]) -> None:
    assert not plaintext.sniff("<div>\n" + "\n".join(seed_lines) + "\n</div>")


@needs_corpus
@pytest.mark.parametrize("folder", ["nytimes-cn", "caixin"])
def test_sniff_refuses_the_other_formats_corpus(folder: str) -> None:
    paths = sorted((CORPUS / folder).iterdir())[:60]
    assert paths
    assert [p.name for p in paths if plaintext.sniff(p.read_text(encoding="utf-8"))] == []


def test_headings_lose_their_mark(article: Article, seed_lines: list[str]) -> None:
    headings = [block_texts(b)[0] for b in article.blocks if isinstance(b, Heading)]
    assert headings == [line[:-1] for line in seed_lines if line.endswith("#")]
    assert "II. Product Breakthrough" in headings and "Festivals" in headings
    assert all(isinstance(b, Heading) and b.level == 2 for b in article.blocks
               if isinstance(b, Heading))


def test_consecutive_bullets_make_one_list(article: Article, seed_lines: list[str]) -> None:
    runs: list[list[str]] = []
    previous_bullet = False
    for line in seed_lines:
        if line.startswith("- "):
            if not previous_bullet:
                runs.append([])
            runs[-1].append(line[2:])
        previous_bullet = line.startswith("- ")
    lists = [block_texts(b) for b in article.blocks if isinstance(b, BulletList)]
    assert lists == runs
    assert max(len(items) for items in lists) == 14  # the contents list of the Altman essay


def test_every_line_is_a_block_once_in_order(article: Article, seed_lines: list[str]) -> None:
    out: list[str] = []
    for block in article.blocks:
        out.extend(block_texts(block))
    assert out == [visible(line) for line in seed_lines]
    assert Counter(type(b) for b in article.blocks)[Paragraph] == sum(
        1 for line in seed_lines if not line.startswith("- ") and not line.endswith("#")
    )


def test_without_editorial_data_the_seed_is_one_untitled_english_article(
    article: Article,
) -> None:
    assert article.slug == "003-9afefc053d5ace72"
    assert article.meta.title == ""
    assert article.meta.authors == []
    assert article.meta.language == ["en"]
    assert article.meta.seed == SEED.name


def test_chinese_plain_text_is_not_called_english() -> None:
    [article] = plaintext.read(source_of("标题#\n第一段。\n- 一项\n- 二项\n"))
    assert article.meta.language == []
    assert [type(b) for b in article.blocks] == [Heading, Paragraph, BulletList]


def test_blank_lines_do_not_make_blocks() -> None:
    [article] = plaintext.read(source_of("Title of it#\n\n  The first paragraph.  \n\n\n"))
    assert [block_texts(b) for b in article.blocks] == [["Title of it"], ["The first paragraph."]]


@pytest.mark.parametrize("text", ["", " \n\n ", "<p>Some text#</p>\n"])
def test_unusable_input_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ConversionError) as caught:
        plaintext.read(source_of(text))
    assert "\n" not in str(caught.value) and str(caught.value)


def test_plain_prose_without_marks_is_not_claimed() -> None:
    assert not plaintext.sniff("Just a line of prose.\nAnd another one.\n")
