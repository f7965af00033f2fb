"""ISO 8601 dates as the edition stores and shows them: precision, targets, dates in words."""

from __future__ import annotations

import re
from datetime import date, datetime

#: Month names: dates in words (the edition's apparatus is in English) and dates in English text.
MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


#: How an ISO 8601 value looks at each precision the edition uses (article dates, retrieval
#: stamps); a date-time without a zone states none.
DATE_FORMS: dict[str, re.Pattern[str]] = {
    "year": re.compile(r"\d{4}"),
    "month": re.compile(r"\d{4}-\d{2}"),
    "day": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "minute": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?"),
    "second": re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?"),
}

#: A date as mentions and indices write it: year, year-month or year-month-day.
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# --------------------------------------------------------------------------- ISO dates


def parse_iso_date(value: str) -> str | None:
    """The precision of an ISO 8601 value (``year`` … ``second``), or None if it is not one."""
    for precision, form in DATE_FORMS.items():
        if form.fullmatch(value):
            padded = value + {"year": "-01-01", "month": "-01"}.get(precision, "")
            try:
                datetime.fromisoformat(padded.replace("Z", "+00:00"))
            except ValueError:
                return None
            return precision
    return None


def date_target(value: str) -> str | None:
    """A date mention's target (``YYYY[-MM[-DD]]``) normalised, or None if not a real date."""
    match = ISO_DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    return match.group(0)


# --------------------------------------------------------------------------- dates in words


def format_date(value: str, precision: str) -> str:
    """An ISO 8601 date written out exactly as precisely as the source states it."""
    value = str(value).strip()
    if not value:
        return ""
    parts = value[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 0
        day = int(parts[2]) if len(parts) > 2 else 0
    except ValueError:
        return value
    if precision == "year" or not month:
        return str(year)
    if precision == "month" or not day:
        return f"{MONTHS[month - 1]} {year}"
    text = f"{day} {MONTHS[month - 1]} {year}"
    if precision not in ("minute", "second") or "T" not in value:
        return text
    clock = _clock(value, precision)
    return f"{text}, {clock}" if clock else text


def _clock(value: str, precision: str) -> str:
    """The time of day of an ISO date-time and its zone (``14:05 UTC+08:00``), or ``""``."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    clock = moment.strftime("%H:%M:%S" if precision == "second" else "%H:%M")
    offset = moment.utcoffset()
    if offset is None:
        zone = ""
    elif not offset:
        zone = " UTC"
    else:
        zone = " UTC" + moment.strftime("%z")[:3] + ":" + moment.strftime("%z")[3:]
    return f"{clock}{zone}"


def date_words(iso: str) -> str:
    """An ISO date in words: ``2022``, ``November 2022``, ``30 November 2022``."""
    return format_date(iso, "day")
