"""The edition's title and counts come from the articles and docs/_data/edition.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

from converters.common.edition_data import PLACEHOLDERS
from edition.article.home import edition_counts, edition_names, latex_text, number_en, number_zh

ROOT = Path(__file__).resolve().parents[1]


def test_number_words() -> None:
    """Counts as words in English and Chinese numerals."""
    assert [number_en(n) for n in (1, 4, 7, 20, 21)] == ["one", "four", "seven", "twenty", "21"]
    assert [number_zh(n) for n in (4, 10, 11, 20, 34, 100)] == ["四", "十", "十一", "二十",
                                                                 "三十四", "100"]


def test_the_edition_counts_its_texts(tmp_path: Path) -> None:
    """Four seeds make seven articles; one more article of a new seed makes five texts."""
    names = edition_names(ROOT / "docs")
    assert (names["title_en"], names["title_zh"]) == ("Four Texts on China’s Internet",
                                                      "中国互联网四篇")
    assert (names["sources"], names["articles"], names["years"]) == ("4", "7", "2020–2025")
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs" / "_data", docs / "_data")
    shutil.copytree(ROOT / "docs" / "articles", docs / "articles")
    new = (docs / "articles" / "tiktok-run.md").read_text(encoding="utf-8")
    new = new.replace("seed: 001_116d69d97c42a296.txt", "seed: 004_0123456789abcdef.md")
    (docs / "articles" / "another-text.md").write_text(
        new.replace("date: '2020-07-24T03:24:32+01:00'", "date: '2019-05-01'"),
        encoding="utf-8")
    names = edition_names(docs)
    assert names["title_en"] == "Five Texts on China’s Internet"
    assert names["title_zh"] == "中国互联网五篇"
    assert (names["articles_en"], names["years"]) == ("eight", "2019–2025")


def test_latex_text_escapes_every_special_character() -> None:
    """A title from the data file cannot inject LaTeX commands into the title page."""
    assert latex_text(r"A & B_1 {x} $5 #2 ^ ~ % \end") == (
        r"A \& B\_1 \{x\} \$5 \#2 \^{} \~{} \% \textbackslash{}end")


def test_every_count_is_a_placeholder_and_no_other() -> None:
    """The data file may name exactly the counts the edition computes."""
    assert set(edition_counts(ROOT / "docs")) == PLACEHOLDERS
