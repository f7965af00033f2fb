"""The readers, one per source format, and detection by content (never by file name)."""

from __future__ import annotations

from types import ModuleType

from . import bilingual, caixin, nytimes, plaintext
from .model import ConversionError, Source

#: Every reader, most specific first: the HTML formats before the plain-text ones, and the
#: bilingual interleaving before generic headed plain text.
READERS: tuple[ModuleType, ...] = (nytimes, caixin, bilingual, plaintext)

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
