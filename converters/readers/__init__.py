"""The readers, one per source format, and detection by content (never by file name)."""

from __future__ import annotations

import re
from types import ModuleType

from ..model import ConversionError, Source
from . import bilingual, caixin, nytimes, plaintext

#: Every reader, most specific first: the HTML formats before the plain-text ones, and the
#: bilingual interleaving before generic headed plain text.
READERS: tuple[ModuleType, ...] = (nytimes, caixin, bilingual, plaintext)

#: Readers whose input is HTML, and so can be cut off mid-document.
HTML_READERS: tuple[ModuleType, ...] = (nytimes, caixin)

#: Block elements whose openings and closings must balance in a complete HTML source; every
#: post of the real corpus balances them, so an imbalance means the file was cut off. (Not
#: <p>: real feed exports leave some paragraphs unclosed.)
BALANCED_TAGS: tuple[str, ...] = ("article", "section", "footer", "figure", "div")

#: What the refusal of an unknown input says it expected.
KNOWN_FORMATS = (
    "an NYT Chinese feed export, a Jekyll/WordPress post, "
    "an English/Chinese interleaved text or headed plain text"
)


def detect(source: Source) -> ModuleType:
    """The reader whose format the source is in, or a refusal naming what was expected."""
    for reader in READERS:
        if reader.sniff(source.text):
            return reader
    raise ConversionError(f"unknown format (expected {KNOWN_FORMATS})")


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
