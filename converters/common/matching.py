"""Registry names found in running text: one Aho–Corasick automaton, leftmost-longest.

The converters tag the names they find (:mod:`converters.tagging`); the extension finds
them in the search's texts with the same function, so both agree on what a name is.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import ahocorasick

from .registry import Registry, fold
from .script import CJK_RANGES, char_class, is_cjk

#: Text that looks like a URL, an e-mail address or a bare domain with a path: never tagged, so
#: ``a16z.com/…`` keeps its ``a16z``. A bare ``JD.com`` has no path and is still a name. A URL
#: ends at white space, quotes, angle brackets or CJK text (Chinese prose has no spaces).
#: The parts before ``://``, ``@`` and ``/`` are no longer than in a real address: a scheme of
#: 64 characters at most (no registered one comes near), a mailbox of 64 (RFC 5321), domain
#: labels of 63 and at most 127 of them (RFC 1035). Unbounded, a try from every character of a
#: long word ran to the word's end before failing: quadratic (40 KB of letters took 16 s). The
#: bounded repeats are possessive (``{0,63}+``): what follows each (``:``, ``@``, ``.``, ``/``)
#: is never a character it could give back, so backtracking would only cost.
URL_PATTERN = re.compile(
    rf"(?:[a-z][a-z0-9+.-]{{0,63}}+://|www\.)[^\s<>\"'{char_class(CJK_RANGES)}]+"
    r"|[a-z0-9.+-]{1,64}+@[a-z0-9-]{1,63}+(?:\.[a-z0-9-]{1,63}+){1,126}+"
    rf"|\b[a-z0-9-]{{1,63}}+(?:\.[a-z0-9-]{{1,63}}+){{1,126}}+/[^\s<>\"'{char_class(CJK_RANGES)}]*",
    re.IGNORECASE,
)


def url_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) spans of every URL and e-mail address in ``text``."""
    # every form URL_PATTERN knows holds a "." or "://": most running text holds neither
    if "." not in text and ":" not in text:
        return []
    return [match.span() for match in URL_PATTERN.finditer(text)]


@dataclass(frozen=True)
class _Name:
    """One automaton entry: a folded name and what it stands for."""

    length: int
    target: str  #: the entity id, or "" for a not_entities blocker
    latin: bool  #: needs word boundaries (the name starts or ends with a Latin letter or digit)
    capitalised: bool  #: the registry spelling starts with a capital letter
    all_caps: bool  #: the registry spelling has two or more letters, all capitals
    digits: bool  #: the name is only digits (360)


def _is_word_char(char: str) -> bool:
    """A character that continues a Latin word (letters and digits of any alphabet but CJK)."""
    return char.isalnum() and not is_cjk(char)


def _entry(name: str, target: str) -> _Name:
    letters = [c for c in name if c.isalpha()]
    latin = _is_word_char(name[0]) or _is_word_char(name[-1])
    return _Name(
        length=len(name),
        target=target,
        latin=latin,
        capitalised=name[0].isupper(),
        all_caps=len(letters) >= 2 and all(c.isupper() for c in letters),
        digits=name.isdigit(),
    )


_AUTOMATA: weakref.WeakKeyDictionary[Registry, ahocorasick.Automaton] = weakref.WeakKeyDictionary()


def automaton(registry: Registry) -> ahocorasick.Automaton:
    """The registry's automaton, built once per registry object."""
    cached = _AUTOMATA.get(registry)
    if cached is not None:
        return cached
    machine = ahocorasick.Automaton()
    entries: dict[str, list[tuple[str, _Name]]] = {}
    for name, entity in registry.names():
        entries.setdefault(fold(name), []).append((name, _entry(name, entity.id)))
    for name in registry.not_entities:
        entries.setdefault(fold(name), []).append((name, _entry(name, "")))
    for key, spellings in entries.items():
        # One folded key can have several registry spellings (TikTok, TIKTOK): keep them all and
        # let the case rules pick at match time.
        machine.add_word(key, tuple(entry for _, entry in spellings))
    if not entries:
        machine.add_word("\x00", ())  # an empty automaton cannot be built
    machine.make_automaton()
    _AUTOMATA[registry] = machine
    return machine


def _case_fits(entry: _Name, found: str) -> bool:
    """Whether the source spelling fits the registry spelling's case rules."""
    first = next((c for c in found if c.isalpha()), "")
    if entry.all_caps:
        return not any(c.islower() for c in found)
    if entry.capitalised and first:
        return first.isupper()
    return True


def _boundaries_fit(entry: _Name, text: str, start: int, end: int) -> bool:
    """Latin names need word boundaries; digit-only names also keep away from Chinese text."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    glued_before = _is_word_char(before) and _is_word_char(text[start])
    glued_after = _is_word_char(after) and _is_word_char(text[end - 1])
    if entry.latin and (glued_before or glued_after):
        return False
    if entry.digits:
        # 360 the company, not 360 亿元: the nearest characters past spaces must not be Chinese.
        left = text[:start].rstrip()[-1:] or " "
        right = text[end:].lstrip()[:1] or " "
        return not (is_cjk(left) or is_cjk(right))
    return True


def find_names(text: str, registry: Registry) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, target) matches of the registry's names and phrases.

    Every registry name and ``not_entities`` phrase in ``text`` is matched, leftmost-longest;
    the target of a ``not_entities`` phrase is ``""``.
    """
    if not text:
        return []
    folded = fold(text)
    blocked = url_spans(text)
    candidates: list[tuple[int, int, str]] = []
    for end_index, spellings in automaton(registry).iter(folded):
        end = end_index + 1
        for entry in spellings:
            start = end - entry.length
            # most names (all Chinese ones) have no case or boundary rule: no call for them
            if (entry.capitalised or entry.all_caps) and not _case_fits(entry, text[start:end]):
                continue
            if (entry.latin or entry.digits) and not _boundaries_fit(entry, text, start, end):
                continue
            if blocked and any(s < end and start < e for s, e in blocked):
                continue
            candidates.append((start, end, entry.target))
            break
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    chosen: list[tuple[int, int, str]] = []
    last_end = 0
    for start, end, target in candidates:
        if start >= last_end:
            last_end = end
            chosen.append((start, end, target))
    return chosen


def find_mentions(text: str, registry: Registry) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, entity id) mentions in ``text``, leftmost-longest first."""
    # A not_entities phrase occupies its span (so 新浪潮 hides 新浪) but makes no mention.
    return [match for match in find_names(text, registry) if match[2]]
