"""Date tagging: turn date expressions in running text into date mentions with an ISO target.

The target's length is its precision: ``YYYY-MM-DD`` (day), ``YYYY-MM`` (month) or ``YYYY``
(year). Expressions without a year (7 月 12 日, 6 月底, November 11) take the year of the
article's own date, and are left alone when the article has none or knows only its year.
The patterns below are the whole policy: a number becomes a date only in a date-like context,
so 996, 2 万, $20, 5% and 2nm stay numbers, and a bare year needs 年 in Chinese or a preposition
in English (in 2014, since 2000, by 2002, the end of 1998): "the 2004 version" and "QQ 2003"
stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from .common.dates import MONTHS
from .common.matching import url_spans
from .model import Article, Mention, inline_runs
from .tagging import rewrite_run

#: Plausible years for a date mention.
YEAR_RANGE = (1900, 2100)

#: English month names and the abbreviations the sources use; capitalised only, so the verbs
#: "may" and "march" are never dates.
MONTH_NAMES = "|".join((*MONTHS, "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep",
                        "Oct", "Nov", "Dec"))

#: Words after which a four-digit number in English prose is a year (matched case-insensitively).
YEAR_PREPOSITIONS = (
    "in|since|by|until|till|of|around|before|after|during|through|circa|c\\.|early|late"
    "|mid-|year|the year"
)

#: Chinese suffixes naming part of a month (end, beginning, middle, first, last ten days):
#: the mention keeps month precision.
ZH_MONTH_PARTS = "底|初|末|中旬|上旬|下旬"

_Y = r"(?P<y>\d{4})"
_NOT_AFTER_DIGIT = r"(?<![\d.,])"

#: The date patterns: (name, regular expression, precision, takes the article's year).
#: The mention covers the ``date`` group when there is one, else the whole match.
PATTERNS: tuple[tuple[str, str, str, bool], ...] = (
    ("zh-ymd", _NOT_AFTER_DIGIT + _Y + r"\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]",
     "day", False),
    ("zh-ym", _NOT_AFTER_DIGIT + _Y + rf"\s*年\s*(?P<m>\d{{1,2}})\s*月份?(?:{ZH_MONTH_PARTS})?",
     "month", False),
    ("zh-y", _NOT_AFTER_DIGIT + _Y + r"\s*年(?!代)", "year", False),
    ("zh-md", r"(?<![\d.,年第])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号號]", "day", True),
    ("zh-m", rf"(?<![\d.,年第])(?P<m>\d{{1,2}})\s*月份?(?:{ZH_MONTH_PARTS})?", "month", True),
    ("en-mdy", rf"\b(?P<mon>{MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_Y}\b",
     "day", False),
    ("en-dmy", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_NAMES})\.?,?"
     rf"\s+{_Y}\b", "day", False),
    ("en-my", rf"\b(?P<mon>{MONTH_NAMES})\.?,?\s+(?:of\s+)?{_Y}\b", "month", False),
    ("en-md", rf"\b(?P<mon>{MONTH_NAMES})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d)",
     "day", True),
    ("en-y", rf"(?<![\w-])(?i:{YEAR_PREPOSITIONS})\s*(?P<date>{_Y})\b(?![.,]\d|%)", "year", False),
)


@dataclass(frozen=True)
class DatePattern:
    """One compiled date pattern."""

    #: Short name, for tests and messages.
    name: str
    #: The compiled expression.
    regex: re.Pattern[str]
    #: ``"day"``, ``"month"`` or ``"year"``: what the ISO target keeps.
    precision: str
    #: Whether the year comes from the article's date rather than the text.
    needs_year: bool


COMPILED: tuple[DatePattern, ...] = tuple(
    DatePattern(name, re.compile(regex), precision, needs_year)
    for name, regex, precision, needs_year in PATTERNS
)

#: Every pattern needs a digit: a text without one (most paragraphs' runs) is not scanned.
_ANY_DIGIT = re.compile(r"\d")

#: What a text must hold for each pattern to match anywhere in it (a literal every match of
#: the pattern contains): a text lacking it is not scanned with that pattern.
_NEEDS: dict[str, re.Pattern[str]] = {
    "zh-ymd": re.compile("年"), "zh-ym": re.compile("年"), "zh-y": re.compile("年"),
    "zh-md": re.compile("月"), "zh-m": re.compile("月"),
    **dict.fromkeys(("en-mdy", "en-dmy", "en-my", "en-md"), re.compile(MONTH_NAMES)),
    "en-y": re.compile(r"\d{4}"),
}
#: The patterns whose mention is their ``date`` group rather than the whole match.
_DATE_GROUP: frozenset[str] = frozenset(
    pattern.name for pattern in COMPILED if "date" in pattern.regex.groupindex
)

#: Where each precision cuts an ISO date.
_ISO_LENGTH = {"day": 10, "month": 7, "year": 4}


@lru_cache(maxsize=256)
def _english_date(text: str, base_year: int) -> date | None:
    """An English date expression parsed by dateparser (month names, abbreviations, order)."""
    import dateparser  # imported here: loading its language data takes a moment

    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "RELATIVE_BASE": datetime(base_year, 1, 1)},
    )
    return parsed.date() if parsed is not None else None


def _resolve(pattern: DatePattern, match: re.Match[str], context_year: int | None) -> str | None:
    """The ISO target of one match, or ``None`` when it is not a real, plausible date."""
    groups = match.groupdict()
    if pattern.needs_year:
        if context_year is None:
            return None
        year = context_year
    else:
        year = int(groups["y"])
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return None
    if groups.get("mon"):
        # dateparser reads the month name; day and year are already known numbers.
        found = _english_date(f"{groups['mon']} {groups.get('d') or 1}, {year}", year)
        if found is None or found.year != year:
            return None
        value = found
    else:
        try:
            value = date(year, int(groups.get("m") or 1), int(groups.get("d") or 1))
        except ValueError:
            return None
    return value.isoformat()[: _ISO_LENGTH[pattern.precision]]


#: Each pattern with what it needs and whether its mention is its ``date`` group, looked up
#: once here rather than on every text.
_SCAN: tuple[tuple[DatePattern, re.Pattern[str], bool], ...] = tuple(
    (pattern, _NEEDS[pattern.name], pattern.name in _DATE_GROUP) for pattern in COMPILED
)


def find_dates(text: str, context_year: int | None) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, ISO) date mentions in ``text``, leftmost-longest."""
    if _ANY_DIGIT.search(text) is None:
        return []
    blocked = url_spans(text)
    candidates: list[tuple[int, int, str]] = []
    #: The end of the longest candidate so far at each start: a match starting there and no
    #: longer can never be chosen, so it is not resolved (dateparser, date checks).
    longest: dict[int, int] = {}
    present: dict[re.Pattern[str], bool] = {}
    for pattern, need, by_group in _SCAN:
        found = present.get(need)
        if found is None:
            found = present[need] = need.search(text) is not None
        if not found:
            continue  # the pattern cannot match a text without what it needs
        for match in pattern.regex.finditer(text):
            start, end = match.span("date") if by_group else match.span()
            if end <= longest.get(start, start):
                continue
            if blocked and any(s < end and start < e for s, e in blocked):
                continue
            iso = _resolve(pattern, match, context_year)
            if iso is not None:
                candidates.append((start, end, iso))
                longest[start] = end
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, iso in candidates:
        if start >= last_end:
            chosen.append((start, end, iso))
            last_end = end
    return chosen


def normalise(expr: str, context_year: int | None) -> tuple[str, str] | None:
    """The (ISO, precision) of a whole date expression, or ``None`` if it is not one."""
    text = expr.strip()
    for pattern in COMPILED:
        match = pattern.regex.fullmatch(text)
        if match is None:
            continue
        iso = _resolve(pattern, match, context_year)
        if iso is not None:
            return iso, pattern.precision
    return None


def article_year(article: Article) -> int | None:
    """The year that dates without one take.

    It is the article's own, when its date is at least month-precise. A year alone (an
    editor's estimate for an undated essay) is too weak to turn "November 11" into one
    particular day.
    """
    stated = article.meta.date
    if len(stated) < 7 or not stated[:4].isdigit():
        return None
    return int(stated[:4])


def tag_dates(article: Article) -> None:
    """Mark every date expression in the article's running text as a date mention."""
    year = article_year(article)

    def find(text: str) -> list[tuple[int, int, Mention]]:
        return [(start, end, Mention(text=text[start:end], kind="date", target=iso))
                for start, end, iso in find_dates(text, year)]

    for block in article.blocks:
        for run in inline_runs(block):
            rewrite_run(run, find)


