"""The edition's title and the counts its home page, title page and metadata state, from data.

The title is a pattern in ``docs/_data/edition.yaml`` (``{sources_en_title} Texts on China’s
Internet``); the counts come from the articles — how many there are, and how many seeds they
name — so adding a text with ``python -m converters add`` updates the home page, the PDF's
title page and the metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

#: The data file, relative to the Sphinx project.
EDITION_FILE = Path("_data") / "edition.yaml"
#: English number words up to twenty; larger counts are written in digits.
NUMBERS_EN = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
              "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
              "seventeen", "eighteen", "nineteen", "twenty")
#: Chinese digits.
DIGITS_ZH = "零一二三四五六七八九"
#: An article's date in its front matter: its year is what the span needs.
DATE_LINE = re.compile(r"^date: '?(\d{4})", re.MULTILINE)
#: An article's seed in its front matter: the first ``seed:`` line with a value
#: (:func:`seed_value`). The value is read in Python: ``^seed: *'?([^'\n]+?)'? *$`` tried the
#: spaces at the end of the line again after each character of the value, and the value from
#: each space before it (cubic in a run of spaces).
SEED_LINE = re.compile(r"^seed:(?P<rest>.*)$", re.MULTILINE)
#: Characters that LaTeX reads as commands, and how each is written as text.
LATEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
                 "#": r"\#", "^": r"\^{}", "_": r"\_", "%": r"\%", "~": r"\~{}"}


def number_en(count: int) -> str:
    """A count in English words (digits beyond twenty)."""
    return NUMBERS_EN[count] if 0 <= count < len(NUMBERS_EN) else str(count)


def number_zh(count: int) -> str:
    """A count below a hundred in Chinese numerals (digits beyond)."""
    if not 0 <= count < 100:
        return str(count)
    tens, units = divmod(count, 10)
    if tens == 0:
        return DIGITS_ZH[units]
    return ("" if tens == 1 else DIGITS_ZH[tens]) + "十" + (DIGITS_ZH[units] if units else "")


def latex_text(value: str) -> str:
    """``value`` as LaTeX text: every special character escaped."""
    return "".join(LATEX_SPECIAL.get(c, c) for c in value)


def seed_value(rest: str) -> str | None:
    """The seed a ``seed:`` line names, from the rest of the line (None when it names none).

    Spaces around the value and one single quote at each end of it are not part of it; a value
    with a quote inside names nothing, and one of spaces alone (and a quote) is one space.
    """
    core = rest.strip(" ")
    if core.startswith("'"):
        core = core[1:]
    if core.endswith("'"):
        core = core[:-1]
    if core and "'" not in core:
        return core
    if " " in rest and rest.count("'") <= 1 and not rest.strip(" '"):
        return " "
    return None


def seed_of(text: str) -> str | None:
    """The seed an article's page names on its first ``seed:`` line with a value."""
    return next((seed for line in SEED_LINE.finditer(text)
                 if (seed := seed_value(line["rest"])) is not None), None)


def edition_names(docs: Path) -> dict[str, str]:
    """The title (English and Chinese) and the counts, as strings for substitutions."""
    pages = sorted((docs / "articles").glob("*.md"))
    texts = [page.read_text(encoding="utf-8") for page in pages]
    sources = len({seed for text in texts if (seed := seed_of(text)) is not None})
    years = sorted({int(m.group(1)) for text in texts if (m := DATE_LINE.search(text))})
    span = "" if not years else str(years[0]) if years[0] == years[-1] \
        else f"{years[0]}–{years[-1]}"
    counts = {
        "sources": str(sources),
        "sources_en": number_en(sources),
        "sources_en_title": number_en(sources).capitalize(),
        "sources_zh": number_zh(sources),
        "articles": str(len(pages)),
        "articles_en": number_en(len(pages)),
        "articles_zh": number_zh(len(pages)),
        "years": span,
    }
    data = yaml.safe_load((docs / EDITION_FILE).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{docs / EDITION_FILE}: not a mapping")
    names = {key: str(data[key]).format(**counts) for key in ("title_en", "title_zh")}
    return {**counts, **names}
