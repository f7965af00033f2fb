"""The shared modules the converters and the extension both use: scripts, dates, values."""

from __future__ import annotations

import pytest

from converters.common.dates import date_target, date_words, format_date, parse_iso_date
from converters.common.markup import escape_literal
from converters.common.script import has_han, is_cjk, is_english, is_han, script_of, text_language
from converters.common.values import as_list


@pytest.mark.parametrize(("char", "han", "cjk"), [
    ("中", True, True),
    ("㐀", True, True),  # extension A
    ("𠀀", True, False),  # extension B: Han, outside the blocks where word boundaries are moot
    ("豈", True, True),  # compatibility ideograph
    ("。", False, True),
    ("ア", False, True),
    ("Ａ", False, True),  # full-width Latin
    ("a", False, False),
    ("é", False, False),
])
def test_what_counts_as_han_and_cjk(char: str, han: bool, cjk: bool) -> None:
    assert is_han(char) is han
    assert has_han(f"x{char}y") is han
    assert is_cjk(char) is cjk


def test_script_and_language_of_a_text() -> None:
    assert script_of("The internet in China") == "latin"
    assert script_of("中国互联网 at 30") == "han"
    assert script_of("2025 — 30") == ""
    assert is_english("The rise and the fall of the platforms")
    assert not is_english("Alibaba Tencent ByteDance")
    assert text_language("中国互联网三十年", ["en", "zh-Hans"]) == "zh-Hans"
    assert text_language("Thirty years", ["zh-Hans", "en"]) == "en"
    assert text_language("Thirty years", []) == ""


@pytest.mark.parametrize(("value", "precision"), [
    ("2025", "year"), ("2025-01", "month"), ("2025-01-21", "day"),
    ("2025-01-21T08:30", "minute"), ("2025-01-21T08:30:05+08:00", "second"),
    ("2025-01-21T08:30:05.5Z", "second"),
    ("2025-13", None), ("2025-02-30", None), ("21 January 2025", None), ("", None),
])
def test_iso_dates(value: str, precision: str | None) -> None:
    assert parse_iso_date(value) == precision


def test_date_targets_are_real_dates() -> None:
    assert date_target(" 2024-02-29 ") == "2024-02-29"
    assert date_target("2023-02-29") is None
    assert date_target("2024-02-29T10:00") is None


@pytest.mark.parametrize(("value", "precision", "words"), [
    ("2022", "", "2022"),
    ("2004-08", "", "August 2004"),
    ("2022-11-30", "day", "30 November 2022"),
    ("2022-11-30", "month", "November 2022"),
    ("2025-01-21T08:30:00+08:00", "minute", "21 January 2025, 08:30 UTC+08:00"),
    ("2025-01-21T08:30:05Z", "second", "21 January 2025, 08:30:05 UTC"),
    ("2025-01-21T08:30", "minute", "21 January 2025, 08:30"),
    ("sometime", "day", "sometime"),
])
def test_dates_in_words(value: str, precision: str, words: str) -> None:
    assert format_date(value, precision) == words
    if "T" not in value and value[:1].isdigit() and precision in ("", "day"):
        assert date_words(value) == words


def test_list_coercion_and_literal_escape() -> None:
    assert as_list(None) == [] and as_list("") == []
    assert as_list("Li Yuan") == ["Li Yuan"]
    assert as_list(["a", "", " ", 3]) == ["a", "3"]
    assert escape_literal("*x* [y](z) #1") == r"\*x\* \[y\]\(z\) \#1"
