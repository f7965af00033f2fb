"""The edition's title and the counts its home page, title page and metadata state, from data.

The title is a pattern in ``docs/_data/edition.yaml`` (``{sources_en_title} Texts on China’s
Internet``); the counts come from the articles — how many there are, and how many seeds they
name — so adding a text with ``python -m converters add`` updates the home page, the PDF's
title page and the metadata. The file is read and its placeholders filled by
:mod:`converters.common.edition_data` (strict YAML, a schema, placeholders replaced by lookup).

A file the loader refuses stops the build at its start with one located error
(:func:`stop_on_refused_data`). Sphinx prints any exception raised in ``conf.py`` — its own
``ConfigError`` included — with a traceback and a request to report a bug, so ``conf.py``
takes the counts with empty titles (:func:`conf_names`, which keeps the refusal) and the
extension reports the refusal through Sphinx's logger and ends the build
(:class:`BuildStopped`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx.util import logging

from converters.common.edition_data import EDITION_FILE as PROJECT_EDITION_FILE
from converters.common.edition_data import TITLE_KEYS, load_edition_data
from converters.common.paths import DOCS_DIR
from converters.common.yamlsafe import YamlRefused

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: The data file, relative to the Sphinx project.
EDITION_FILE = PROJECT_EDITION_FILE.relative_to(DOCS_DIR)
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


def edition_counts(docs: Path) -> dict[str, str]:
    """The counts of texts, articles and years, as strings (every placeholder of a title)."""
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
    return counts


def edition_names(docs: Path) -> dict[str, str]:
    """The title (English and Chinese) and the counts, as strings for substitutions.

    Raises :class:`converters.common.yamlsafe.YamlRefused` (``file:line: reason``) for a data
    file the
    edition does not read.
    """
    counts = edition_counts(docs)
    titles = load_edition_data(docs / EDITION_FILE)
    return {**counts, **titles.filled(counts)}


#: The refusals :func:`conf_names` met, by project folder, until the build reports them.
_REFUSED: dict[Path, YamlRefused] = {}


def conf_names(docs: Path) -> dict[str, str]:
    """:func:`edition_names` for ``conf.py``: empty titles when the data file is refused.

    The build never gets further than its configuration then: :func:`stop_on_refused_data`
    reports the refusal and stops it.
    """
    key = docs.resolve()
    try:
        names = edition_names(docs)
    except YamlRefused as refused:
        _REFUSED[key] = refused
        return {**edition_counts(docs), **dict.fromkeys(TITLE_KEYS, "")}
    _REFUSED.pop(key, None)
    return names


class BuildStopped(SystemExit):
    """A build stopped at its start by a data file it cannot use (reported already).

    A ``SystemExit``, because Sphinx's command line prints every ``Exception`` with a traceback
    and a request to report a bug; an exit ends the command with the status of a failed build
    and nothing but the located error above it.
    """

    def __init__(self, reason: str) -> None:
        """The stop, for ``reason`` (``file:line: reason``)."""
        super().__init__(2)
        #: The problem, as logged.
        self.reason = reason

    def __str__(self) -> str:
        """The problem, for whoever catches the stop (the live preview prints it)."""
        return self.reason


def stop_on_refused_data(app: Sphinx, _config: Config) -> None:
    """Report the ``edition.yaml`` that ``conf.py`` found refused, at its line, and stop.

    Run at ``config-inited``; a project whose ``conf.py`` does not read the file (the test
    roots name themselves) is not concerned.
    """
    refused = _REFUSED.pop(Path(app.confdir).resolve(), None)
    if refused is None:
        return
    logger.error("%s", refused.reason, location=f"{refused.path}:{refused.line}",
                 type="edition", subtype="data")
    raise BuildStopped(str(refused))


def setup_home(app: Sphinx) -> None:
    """Register the check of the edition's data file."""
    # First of all config-inited handlers: nothing else should run on a project that is refused.
    app.connect("config-inited", stop_on_refused_data, priority=0)
