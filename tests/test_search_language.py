"""The edition's search language indexes as Sphinx's Chinese search does, with less work."""

from __future__ import annotations

from pathlib import Path

import pytest
import snowballstemmer
from hypothesis import given
from hypothesis import strategies as st
from sphinx.search.zh import SearchChinese

import edition.web.search
from converters.common.paths import ROOT
from edition.web.search import STEMMED, SearchChineseFolded

STEMMER = snowballstemmer.stemmer("english")

TEXT = ("TikTok and ByteDance: the apps, app stores and AI models of 字节跳动 in 2025; "
        "running runs ran, AIs and LLMs, 英伟达 and 英偉達 are one company.")


@pytest.mark.slow  # two splitters, each loading jieba's dictionary
def test_terms_and_stems_are_sphinx_own() -> None:
    """Every word split and stemmed as by SearchChinese (on the folded text), stems included."""
    ours, sphinx = SearchChineseFolded({}), SearchChinese({})
    words = ours.split(TEXT)
    assert words == sphinx.split(edition.web.search.fold(TEXT))
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
    """A rebuild that segments nothing does not pay for the user dictionary."""
    loaded: list[str] = []
    read = edition.web.search.user_dictionary_words

    def recording(path: str) -> list[tuple[str, int | None, str | None]]:
        loaded.append(path)
        return read(path)

    monkeypatch.setattr(edition.web.search, "user_dictionary_words", recording)
    monkeypatch.setattr(edition.web.search, "_SEGMENTERS", {})
    words = tmp_path / "words.txt"
    words.write_text("\ufeff字节跳动\n安德森霍洛维茨 5\n示例词 3 nz\n", encoding="utf-8")
    language = SearchChineseFolded({"dict": str(words)})
    assert loaded == []
    assert "安德森霍洛维茨" in language.split("安德森霍洛维茨投资了字节跳动")
    language.split("英伟达")
    assert loaded == [str(words)]
    assert read(str(words)) == [("字节跳动", None, None), ("安德森霍洛维茨", 5, None),
                                ("示例词", 3, "nz")]


def test_each_text_is_segmented_once_and_still_records_its_latin_words(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A text split again (another page, the next build) is not segmented again, and the Latin
    words it holds still count for the short-stem rule of the language that sees it."""
    segmented: list[str] = []
    cut = edition.web.search.cut_for_search

    def counting(segmenter: object, text: str) -> list[str]:
        segmented.append(text)
        return cut(segmenter, text)

    monkeypatch.setattr(edition.web.search, "cut_for_search", counting)
    text = "AIs of 字节跳动"
    first = SearchChineseFolded({}).split(text)
    again = SearchChineseFolded({})  # the next build's language
    assert again.stem("ais") == "ai"
    assert again.split(text) == first == SearchChinese({}).split(edition.web.search.fold(text))
    assert segmented.count(edition.web.search.fold(text)) == 1
    assert again.stem("ais") == "ais"


@pytest.mark.slow  # jieba's dictionary is loaded
def test_words_are_jieba_own_on_the_edition_text(tmp_path: Path) -> None:
    """jieba-rs, cut as jieba cuts, finds jieba's words in jieba's order on every line of the
    edition's pages (articles in three scripts, URLs, dates, front matter), with the registry
    names as user words."""
    import jieba

    from converters.common.registry import load_registry
    from edition.web.search import cut_for_search, dictionary_words

    words = tmp_path / "words.txt"
    names = dictionary_words(load_registry(ROOT / "docs" / "_data" / "registry.yaml"))
    words.write_text("".join(f"{name}\n" for name in names), encoding="utf-8")
    tokenizer = jieba.Tokenizer()  # not jieba's global one, which other tests load into
    tokenizer.load_userdict(str(words))
    segmenter, _cache = edition.web.search._segmenter_for(str(words))
    lines = [edition.web.search.fold(line)
             for page in sorted((ROOT / "docs").rglob("*.md"))
             for line in page.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 1000
    for line in lines:
        assert cut_for_search(segmenter, line) == list(tokenizer.cut_for_search(line)), line


@given(st.text(st.characters(blacklist_characters="'\u2019", codec="utf-8").filter(
    lambda char: not STEMMED.search(char.lower()))))
def test_a_word_without_latin_letters_is_its_own_stem(word: str) -> None:
    """What the shortcut of ``SearchChineseFolded.stem`` assumes of Snowball's English stemmer."""
    lower = word.lower()
    assert not STEMMED.search(lower)
    assert STEMMER.stemWord(lower) == lower


def test_the_edition_words_stem_as_snowball_stems_them() -> None:
    """Every word of the edition's texts: the shortcut gives the stemmer's own stem."""
    ours = SearchChineseFolded({})
    words = {word for path in (ROOT / "docs" / "articles").glob("*.md")
             for line in path.read_text(encoding="utf-8").splitlines()
             for word in ours.split(line)}
    assert len(words) > 4000
    assert sum(1 for word in words if not STEMMED.search(word.lower())) > 1000
    ours._snowball = {}  # this test's own cache, not the process's
    for word in words:
        assert ours.stem(word) == SearchChinese.stem(ours, word), word
