"""The format-C reader on seed 002 and on made-up interleavings."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from corpus import CORPUS, needs_corpus
from hypothesis import given
from hypothesis import strategies as st

from converters.model import (
    Article,
    ConversionError,
    Figure,
    Paragraph,
    ParallelPair,
    Source,
    article_text,
    block_texts,
)
from converters.readers import bilingual
from converters.sources import load

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
SEED = SEEDS / "002_adb9185c34c19f90.txt"
#: Any Han ideograph, spelled independently of the reader's own tables.
HAN = re.compile(r"[\u3400-\u9fff]")


def source_of(text: str, name: str = "sample.txt") -> Source:
    """A source made from text in the test."""
    return Source(name=name, text=text, sha256="0" * 64)


@pytest.fixture(scope="module")
def seed_lines() -> list[str]:
    """The seed's lines, as the file has them."""
    return SEED.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def article() -> Article:
    """Seed 002 as the reader gives it."""
    articles = bilingual.read(load(SEED))
    assert len(articles) == 1
    return articles[0]


def test_sniff_claims_only_the_bilingual_seed() -> None:
    for path in sorted(SEEDS.glob("[0-9][0-9][0-9]_*")):
        assert bilingual.sniff(load(path).text) == path.name.startswith("002_"), path.name


def test_sniff_refuses_html_even_when_interleaved(seed_lines: list[str]) -> None:
    html = "".join(f"<p>{line}</p>\n" for line in seed_lines)
    assert not bilingual.sniff(html)


@needs_corpus
@pytest.mark.parametrize("folder", ["nytimes-cn", "caixin"])
def test_sniff_refuses_the_other_formats_corpus(folder: str) -> None:
    paths = sorted((CORPUS / folder).iterdir())[:60]
    assert paths
    claimed = [p.name for p in paths if bilingual.sniff(p.read_text(encoding="utf-8"))]
    assert claimed == []


def test_every_english_line_is_paired_with_the_chinese_line_after_it(
    article: Article, seed_lines: list[str]
) -> None:
    pairs = [b for b in article.blocks if isinstance(b, ParallelPair)]
    english = [line for line in seed_lines if not HAN.search(line)]
    assert len(pairs) == len(english) > 0
    for pair in pairs:
        left, right = block_texts(pair)
        index = seed_lines.index(left)
        assert seed_lines[index + 1] == right
        assert (pair.left_language, pair.right_language) == ("en", "zh-Hant")
        assert not HAN.search(left) and HAN.search(right)


def test_advertisement_markers_are_removed_and_recorded(
    article: Article, seed_lines: list[str]
) -> None:
    ads = [line for line in seed_lines if line == "廣告"]
    assert ads
    assert "廣告" not in article_text(article).splitlines()
    assert [r.kind for r in article.removed] == ["ad"] * len(ads)
    assert all(r.text == "廣告" and r.reason for r in article.removed)


def test_each_doubled_caption_is_one_figure_with_its_credit(
    article: Article, seed_lines: list[str]
) -> None:
    doubled = [
        (line, following[len(line) + 1 :])
        for line, following in itertools.pairwise(seed_lines)
        if following.startswith(line + " ")
    ]
    figures = [b for b in article.blocks if isinstance(b, Figure)]
    assert [(block_texts(f)[0], block_texts(f)[1]) for f in figures] == doubled
    assert [credit for _, credit in doubled] == [
        "Cfoto/Future Publishing, via Getty Images",
        "Agence France-Presse — Getty Images",
    ]
    assert all(f.image == "" for f in figures)
    assert article.meta.image_credits == [credit for _, credit in doubled]


def test_nothing_is_lost(article: Article, seed_lines: list[str]) -> None:
    out = set(article_text(article).splitlines())
    figures = [b for b in article.blocks if isinstance(b, Figure)]
    repeats = {f"{block_texts(f)[0]} {block_texts(f)[1]}" for f in figures}
    for line in seed_lines:
        if line != "廣告":
            assert line in out or line in repeats, line


def test_the_seed_states_no_metadata(article: Article) -> None:
    meta = article.meta
    assert (meta.title, meta.authors, meta.date, meta.publisher) == ("", [], "", "")
    assert meta.language == ["en", "zh-Hant"]
    assert meta.seed == SEED.name
    assert article.editorial == []


def test_simplified_chinese_is_tagged_as_such() -> None:
    text = "\n".join(
        [
            "This is the first line of it.",
            "这是第一行。",
            "And here is the second one, in English.",
            "这是第二行，中文的。",
            "The third line is the last of them.",
            "这是最后一行。",
        ]
    )
    [article] = bilingual.read(source_of(text))
    assert article.meta.language == ["en", "zh-Hans"]


def test_unpaired_lines_are_kept_as_paragraphs() -> None:
    text = "An English line without its translation.\n這是一行中文。\n又一行中文，沒有英文。\n"
    [article] = bilingual.read(source_of(text))
    kinds = [type(b) for b in article.blocks]
    assert kinds == [ParallelPair, Paragraph]
    assert block_texts(article.blocks[1]) == ["又一行中文，沒有英文。"]


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "Only English lines here.\nAnd more of them.\n", "只有中文。\n還是中文。\n"],
)
def test_unusable_input_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ConversionError) as caught:
        bilingual.read(source_of(text))
    assert "\n" not in str(caught.value) and str(caught.value)


ENGLISH_LINES = st.sampled_from(
    [
        "The market is changing fast.",
        "Engineers in China talk about it all the time.",
        "It is a race that never ends.",
        "“We risk being stuck in the past,” the firm warned.",
    ]
)
CHINESE_LINES = st.sampled_from(
    [
        "市場變化很快。",
        "中國的工程師總在談論它。",
        "這是一場永無止境的競賽。",
        "DeepSeek推出了聊天機器人。",
    ]
)
LINES = st.lists(st.one_of(ENGLISH_LINES, CHINESE_LINES, st.just("廣告")), min_size=1, max_size=30)


@given(LINES)
def test_any_interleaving_keeps_every_line_once(lines: list[str]) -> None:
    has_both = any(HAN.search(x) and x != "廣告" for x in lines) and any(
        not HAN.search(x) for x in lines
    )
    source = source_of("\n".join(lines))
    if not has_both:
        with pytest.raises(ConversionError):
            bilingual.read(source)
        return
    [article] = bilingual.read(source)
    out: list[str] = []
    for block in article.blocks:
        out.extend(block_texts(block))
    kept = [x for x in lines if x != "廣告"]
    assert sorted(out) == sorted(kept)
    assert len(article.removed) == lines.count("廣告")
