"""Personal names printed in capitals (``CHRIS MILLER``) written in name case (``Chris Miller``).

Bylines of the feed exports set English names in capitals as typography, not spelling. A name
with no lower-case letter at all is recased word by word; a name already in mixed case (``Li
Yuan``, ``danah boyd``) or in Chinese is left exactly as the source writes it.
"""

from __future__ import annotations

import re

#: Prefixes after which the next letter is a capital too (McDonald, MacLeod, O'Brien).
CAPITAL_AFTER = ("Mc", "O'", "O’")
#: Particles that stay in lower case inside a name (Ludwig van Beethoven).
LOWER_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "del", "di", "la", "le"})
#: A run of letters inside a word; hyphens and apostrophes separate parts (Jean-Luc, O'Neil).
LETTERS = re.compile(r"[^\W\d_]+")


def _word_case(word: str, first: bool) -> str:
    """One capitalised word in name case."""
    lower = word.lower()
    if not first and lower in LOWER_PARTICLES:
        return lower
    cased = LETTERS.sub(lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), word)
    for prefix in CAPITAL_AFTER:
        if cased.startswith(prefix) and len(cased) > len(prefix):
            cased = prefix + cased[len(prefix):][:1].upper() + cased[len(prefix) + 1:]
    return cased


def name_case(name: str) -> str:
    """``name`` in name case when it is written all in capitals; otherwise unchanged."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters if c.isascii()) \
            or not any(c.isascii() for c in letters) or any(c.islower() for c in letters):
        return name
    return " ".join(_word_case(word, index == 0) for index, word in enumerate(name.split(" ")))
