"""The readers, one per source format, and detection by content (never by file name).

A source format is a :class:`Reader`: a module (or any object) with a ``FORMAT`` name, a
``sniff(text)`` test and a ``read(source)`` that turns a decoded source into articles of the
document model. The format table (:data:`FORMATS`) lists them in detection order; a new format
is added with :func:`register` (see ARCHITECTURE.md, "Add a source format").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from ..model import Article, ConversionError, Source
from . import bilingual, caixin, nytimes, plaintext


class Reader(Protocol):
    """What a source format provides to the pipeline.

    ``FORMAT`` is the format's short name (shown in the conversion summary and in refusals).
    ``sniff(text)`` says, from the decoded text alone, whether the text is in this format; it
    must be cheap and must not raise. ``read(source)`` returns the source's articles (one or
    more; an empty list is refused by the pipeline) with every word of the body in blocks and
    what was dropped recorded as removals; it raises :class:`~converters.model.ConversionError`
    with one clear line for input it refuses. The readers do no editorial work: splitting,
    titles the source does not state, tagging and labels come later in the pipeline.
    """

    FORMAT: str

    def sniff(self, text: str) -> bool:
        """Whether the decoded text is in this format."""
        ...

    def read(self, source: Source) -> list[Article]:
        """The articles of a source in this format."""
        ...


@dataclass(frozen=True)
class Format:
    """One row of the format table: a reader and what the pipeline needs to know of it."""

    reader: Reader
    #: How a refusal of an unknown input names the format ("headed plain text").
    description: str
    #: The input is HTML, so it can be cut off mid-document (refused by :func:`check_complete`)
    #: and its links and images are counted before it is parsed.
    html: bool = False


#: Every format, in detection order: most specific first, the HTML formats before the
#: plain-text ones, and the bilingual interleaving before generic headed plain text.
FORMATS: list[Format] = [
    Format(nytimes, "an NYT Chinese feed export", html=True),
    Format(caixin, "a Jekyll/WordPress post", html=True),
    Format(bilingual, "an English/Chinese interleaved text"),
    Format(plaintext, "headed plain text"),
]


def register(reader: Reader, description: str, *, html: bool = False,
             before: str | None = None) -> None:
    """Add a source format to the table: last, or just before the format named ``before``."""
    names = [entry.reader.FORMAT for entry in FORMATS]
    if reader.FORMAT in names:
        raise ValueError(f"a reader of format {reader.FORMAT!r} is registered already")
    if before is not None and before not in names:
        raise ValueError(f"no format {before!r} to register {reader.FORMAT!r} before")
    position = names.index(before) if before is not None else len(FORMATS)
    FORMATS.insert(position, Format(reader, description, html))


def unregister(name: str) -> None:
    """Remove the format named ``name`` from the table (a no-op when it is not there)."""
    FORMATS[:] = [entry for entry in FORMATS if entry.reader.FORMAT != name]


def is_html(reader: Reader) -> bool:
    """Whether the reader's input is HTML (see :attr:`Format.html`)."""
    return any(entry.reader is reader and entry.html for entry in FORMATS)


def known_formats() -> str:
    """The registered formats in words, as a refusal of an unknown input lists them."""
    descriptions = [entry.description for entry in FORMATS]
    if len(descriptions) < 2:
        return "".join(descriptions)
    return f"{', '.join(descriptions[:-1])} or {descriptions[-1]}"


#: Block elements whose openings and closings must balance in a complete HTML source; every
#: post of the real corpus balances them, so an imbalance means the file was cut off. (Not
#: <p>: real feed exports leave some paragraphs unclosed.)
BALANCED_TAGS: tuple[str, ...] = ("article", "section", "footer", "figure", "div")

def detect(source: Source) -> Reader:
    """The reader whose format the source is in, or a refusal naming what was expected."""
    for entry in FORMATS:
        if entry.reader.sniff(source.text):
            return entry.reader
    raise ConversionError(f"unknown format (expected {known_formats()})")


def check_complete(text: str) -> None:
    """Refuse HTML that was cut off: it must end with a tag and balance its block elements."""
    tail = text.rstrip()
    if not tail.endswith(">"):
        raise ConversionError(f"truncated HTML (ends inside text or a tag: {tail[-20:]!r})")
    for tag in BALANCED_TAGS:
        opened = len(re.findall(rf"<{tag}[\s>]", text, re.I))
        closed = len(re.findall(rf"</{tag}\s*>", text, re.I))
        if opened != closed:
            raise ConversionError(
                f"truncated HTML (<{tag}> opened {opened} times, closed {closed})"
            )
