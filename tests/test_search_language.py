"""The edition's search language indexes as Sphinx's Chinese search does, with less work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sphinx.search.zh import SearchChinese

import edition.search
from edition.search import SearchChineseFolded

TEXT = ("TikTok and ByteDance: the apps, app stores and AI models of 字节跳动 in 2025; "
        "running runs ran, AIs and LLMs, 英伟达 and 英偉達 are one company.")


@pytest.mark.slow  # two splitters, each loading jieba's dictionary
def test_terms_and_stems_are_sphinx_own() -> None:
    """Every word split and stemmed as by SearchChinese (on the folded text), stems included."""
    ours, sphinx = SearchChineseFolded({}), SearchChinese({})
    words = ours.split(TEXT)
    assert words == sphinx.split(edition.search.fold(TEXT))
    # twice: the second pass comes from the cache and must not differ
    for _ in range(2):
        assert [ours.stem(w) for w in words] == [sphinx.stem(w) for w in words]


@pytest.mark.slow  # two splitters, each loading jieba's dictionary
def test_short_stems_follow_the_words_seen_so_far() -> None:
    """Sphinx keeps a Latin word whole when its stem is short and the word was seen in a text."""
    ours, sphinx = SearchChineseFolded({}), SearchChinese({})
    word = "ais"  # as the folded split hands it on
    before = (ours.stem(word), sphinx.stem(word))
    assert ours.split("AIs") == sphinx.split(word)
    after = (ours.stem(word), sphinx.stem(word))
    assert before[0] == before[1] == "ai"
    assert after[0] == after[1] == "ais"


def test_jieba_dictionary_loaded_only_when_text_is_split(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A rebuild that segments nothing does not pay for jieba's dictionary."""
    loaded: list[str] = []
    monkeypatch.setattr(edition.search, "jieba_load_userdict", loaded.append)
    words = tmp_path / "words.txt"
    words.write_text("字节跳动\n", encoding="utf-8")
    language = SearchChineseFolded({"dict": str(words)})
    assert loaded == []
    language.split("字节跳动")
    language.split("英伟达")
    assert loaded == [str(words)]


def test_each_text_is_segmented_once_and_still_records_its_latin_words(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A text split again (another page, the next build) is not segmented again, and the Latin
    words it holds still count for the short-stem rule of the language that sees it."""
    segmented: list[str] = []
    cut = edition.search.jieba_cut_for_search

    def counting(text: str) -> Iterator[str]:
        segmented.append(text)
        return cut(text)

    monkeypatch.setattr(edition.search, "jieba_cut_for_search", counting)
    monkeypatch.setattr(edition.search, "_BLOCKS", {})
    monkeypatch.setattr(edition.search, "_SEGMENTS", {})
    text = "AIs of 字节跳动"
    first = SearchChineseFolded({}).split(text)
    again = SearchChineseFolded({})  # the next build's language
    assert again.stem("ais") == "ai"
    assert again.split(text) == first == SearchChinese({}).split(edition.search.fold(text))
    assert segmented.count("字节跳动") == 1  # Sphinx's own split above calls jieba directly
    assert again.stem("ais") == "ais"


def test_pieces_are_segmented_once_and_give_jiebas_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts cut piece by piece, each piece once, give exactly jieba's words for the whole text."""
    segmented: list[str] = []
    cut = edition.search.jieba_cut_for_search

    def counting(text: str) -> Iterator[str]:
        segmented.append(text)
        return cut(text)

    monkeypatch.setattr(edition.search, "jieba_cut_for_search", counting)
    monkeypatch.setattr(edition.search, "_BLOCKS", {})
    monkeypatch.setattr(edition.search, "_SEGMENTS", {})
    texts = [
        "阿里巴巴集团周二表示，将在杭州成立新公司。Alibaba's 2024 revenue: 9.6% up!",
        "字節跳動（ByteDance）的抖音，與騰訊的微信——「超級應用」之爭。",
        "“超级应用”之争仍在继续；阿里巴巴集团周二表示  C++ & C# 以及 e-mail_address.",
        "",
        "   \n\t",
    ]
    language = SearchChineseFolded({})
    for text in texts:
        assert language.split(text) == SearchChinese({}).split(edition.search.fold(text))
    assert segmented.count("阿里巴巴集团周二表示") == 1
    assert segmented.count("超级应用") == 1  # Traditional in one text, Simplified in the other
