"""Scripts of text, defined once: what counts as Han or CJK, a line's script, a text's language.

Every module that asks "is this Chinese?" (the bilingual reader, the registry's folding, the
candidate finder, the drafting tool, mention tagging, and the extension's headers, search and
name index) asks it here, so the answer cannot differ between the converters and the edition.
"""

from __future__ import annotations

import re
import unicodedata

#: Blocks of the Han script in the Basic Multilingual Plane: extension A, the unified
#: ideographs, compatibility ideographs (what tables built per character, like the search's
#: Traditional-to-Simplified map, cover).
BMP_HAN_RANGES: tuple[tuple[int, int], ...] = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
)

#: Unicode blocks of the Han script (CJK ideographs, extensions, compatibility ideographs).
HAN_RANGES: tuple[tuple[int, int], ...] = (*BMP_HAN_RANGES, (0x20000, 0x2FA1F))

#: Blocks where Latin word boundaries do not apply: CJK radicals, punctuation, kana and the
#: ideographs up to U+9FFF, compatibility ideographs, half- and full-width forms.
CJK_RANGES: tuple[tuple[int, int], ...] = (
    (0x2E80, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)


def char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regex character class matching every character of ``ranges``."""
    return "".join(f"{re.escape(chr(low))}-{re.escape(chr(high))}" for low, high in ranges)


#: One Han ideograph (any of :data:`HAN_RANGES`), so a line's ideographs are counted by the
#: regex engine rather than character by character in Python.
HAN_CHAR = re.compile(f"[{char_class(HAN_RANGES)}]")

#: A run of Han ideographs.
HAN_RUN = re.compile(f"[{char_class(HAN_RANGES)}]+")

#: One CJK character (any of :data:`CJK_RANGES`).
CJK_CHAR = re.compile(f"[{char_class(CJK_RANGES)}]")

#: Frequent English function words: Latin-script text containing enough of them is English.
ENGLISH_FUNCTION_WORDS: frozenset[str] = frozenset(
    "the a an and or of to in on at for with by from is are was were be been it its "
    "that this as not but have has had they their we i you he she".split()
)

#: Share of words that must be English function words for a text to count as English.
MIN_ENGLISH_FUNCTION_SHARE = 0.12

#: An English-style word: ASCII letters, with an apostrophe inside (don't, China’s).
WORD_PATTERN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")


def is_han(char: str) -> bool:
    """Whether a character is a Han (Chinese) ideograph."""
    return HAN_CHAR.match(char) is not None


def has_han(text: str) -> bool:
    """Whether a text holds at least one Han ideograph."""
    return HAN_CHAR.search(text) is not None


def is_cjk(char: str) -> bool:
    """A Han character or CJK punctuation/kana, where Latin word boundaries do not apply."""
    return CJK_CHAR.match(char) is not None


def is_latin_letter(char: str) -> bool:
    """Whether a character is a letter of the Latin script (with or without diacritics)."""
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN ")


def script_of(line: str) -> str:
    """``"han"``, ``"latin"`` or ``""`` (neither): the dominant script of a line.

    Chinese counts one ideograph per syllable while English spells a word in several letters,
    so ideographs are weighed against Latin *words*, not Latin letters.
    """
    han = len(HAN_CHAR.findall(line))
    # a word of WORD_PATTERN is made of ascii letters, all of them Latin: a line without
    # one counts no Latin word, whatever other Latin letters it holds
    latin_words = len(WORD_PATTERN.findall(line))
    if han and han >= latin_words:
        return "han"
    if latin_words:
        return "latin"
    return ""


def text_language(text: str, languages: list[str]) -> str:
    """Which of an article's languages a short text (a title, a dek) is in, by its script."""
    chinese = has_han(text)
    for tag in languages:
        if tag.lower().startswith("zh") == chinese:
            return tag
    return languages[0] if languages else ""


def is_english(text: str) -> bool:
    """Whether a text is in English: Latin script with English function words among its words."""
    words = [w.lower() for w in WORD_PATTERN.findall(text)]
    if not words or script_of(text) != "latin":
        return False
    share = sum(1 for w in words if w in ENGLISH_FUNCTION_WORDS) / len(words)
    return share >= MIN_ENGLISH_FUNCTION_SHARE
