"""Every name of a registry entity in the forms readers type: pinyin, with and without tones.

Pinyin is never typed into the registry: it is derived here from the Simplified label with
pypinyin, so the overview, the search, the data export and the TEI agree on it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pypinyin import Style, lazy_pinyin

from converters.common.registry import Entity, fold
from converters.common.script import has_han

#: Anything that is not a letter or a digit: dropped from search keys (spaces, dots, hyphens).
NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)


def pinyin(entity: Entity) -> str:
    """The pinyin of the entity's Simplified label, with tone marks (``""`` without one)."""
    return label_pinyin(entity.labels.get("zh-Hans", ""))


@functools.cache  # asked for each entity by several pages and exports; pypinyin is slow
def label_pinyin(label: str) -> str:
    """The pinyin of a Simplified label, with tone marks (``""`` without Han characters)."""
    if not has_han(label):
        return ""
    syllables = [s.strip() for s in lazy_pinyin(label, style=Style.TONE) if s.strip()]
    return " ".join(s for s in syllables if not NOT_WORD.fullmatch(s))


def strip_tones(text: str) -> str:
    """Text without accents or tone marks (``Zhāng`` → ``Zhang``)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def search_key(name: str) -> str:
    """A name as the search compares it: folded, toneless, lower case, letters and digits only."""
    return NOT_WORD.sub("", strip_tones(fold(name)).casefold())


def search_keys(entity: Entity) -> list[str]:
    """Every key that finds the entity: its names, and its pinyin with and without tones."""
    names = [*entity.names(), pinyin(entity)]
    return sorted({key for key in map(search_key, names) if key})
