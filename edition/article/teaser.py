"""What a card says of an article: its opening sentences, and its title in the other script.

Pure functions over an article's record and MyST body (no Sphinx): the front-matter
component keeps each article's teaser when it reads the page, the cards directive shows it.

- The teaser is the first full sentence(s) of the text: a sentence that does not end (a lead-in
  ending in ":" before a list) is passed over, and so is a first line that only repeats the
  title (the parallel text opens with its title sentence).
- A Chinese title gets its English gloss, and an English title its Chinese, only where one is
  given: by the source (a Chinese subtitle of an article in both languages) or by the editors
  in the editorial decisions file (``gloss``, with its reason), shown as theirs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, NamedTuple

from converters.common.script import has_han, is_han
from edition.article.text import shown_text

if TYPE_CHECKING:
    from edition.article.record import ArticleMeta

#: A teaser grows sentence by sentence until it is this long (a Chinese character counts two) …
TEASER_MIN = 90
#: … but never past this (a first sentence longer than this is cut, with an ellipsis).
TEASER_MAX = 280
#: At most this many sentences.
TEASER_SENTENCES = 3

# The end of a full sentence: a Chinese stop, or a Latin one before a space or the end, after
# its closing quotes or brackets; not after a single capital (U.S., initials). A sentence runs
# from the end of the one before to its own end (full_sentences): the pattern ".*?(?:end)" did
# the same, but after the last end it searched the rest again from each of its characters.
_FULL_STOP = re.compile(r"[。！？][」』”’）)]*|(?<![A-Z])[.!?][”’\"')]*(?=\s|$)")
# Lines that are MyST structure, not text: targets, headings, fences, options, footnote
# definitions, comments.
_STRUCTURE_LINE = re.compile(r"^\s*(\(.*\)=\s*$|#|:::|```|:[\w-]+:|\[\^|%|<!--|\+\+\+)")
# A list item's marker, which is not part of its text.
_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# Stops that end a text, with any white space (stripped in Python: "[\s.!?。！？]+$" was tried
# from each character of a long run of them).
_STOPS = ".!?。！？"


class Gloss(NamedTuple):
    """A title in the other script, and whether the editors (not the source) give it."""

    text: str
    editorial: bool
    #: The BCP 47 tag of the gloss's language.
    language: str


def is_chinese(text: str) -> bool:
    """Whether a text is written in Chinese characters (any Han character counts)."""
    return has_han(text)


def chinese_language(meta: ArticleMeta, text: str) -> str:
    """The tag of a Chinese text of an article: the article's Chinese (else ``zh-Hans``).

    ``""`` for a text without Chinese.
    """
    if not has_han(text):
        return ""
    for tag in meta.language:
        if tag.lower().startswith("zh"):
            return tag
    return "zh-Hans"


def paragraphs(body: str, label: str = "") -> list[str]:
    """The MyST source of the body's blocks of text, in order, from paragraph 1 when labelled."""
    lines = body.splitlines()
    start = 0
    if label:
        marks = (f"({label}-p1)=", f":name: {label}-p1")
        start = next((i for i, line in enumerate(lines) if line.strip() in marks), 0)
    found: list[str] = []
    current: list[str] = []
    for line in lines[start:]:
        if not line.strip() or _STRUCTURE_LINE.match(line):
            if current:
                found.append(" ".join(current))
                current = []
            continue
        current.append(_LIST_MARKER.sub("", line).strip())
    if current:
        found.append(" ".join(current))
    return found


def full_sentences(text: str) -> list[str]:
    """The complete sentences of a paragraph (a trailing fragment, e.g. ending in ":", is not)."""
    sentences: list[str] = []
    start = 0
    for end in _FULL_STOP.finditer(text):
        sentence = text[start : end.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = end.end()
    return sentences


def weight(text: str) -> int:
    """A text's length for a card: a Chinese character takes the room and reading of two."""
    return len(text) + sum(map(is_han, text))


def _without_final_stops(text: str) -> str:
    end = len(text)
    while end and (text[end - 1].isspace() or text[end - 1] in _STOPS):
        end -= 1
    return text[:end]


def _same_words(one: str, other: str) -> bool:
    return _without_final_stops(one).casefold() == _without_final_stops(other).casefold()


def teaser(texts: list[str], title: str = "", chinese: bool | None = None) -> str:
    """The first full sentence(s) of plain-text paragraphs, for a card.

    ``chinese`` keeps to paragraphs in (True) or not in (False) Chinese script: a parallel
    article's teaser is in its main language.
    """
    chosen: list[str] = []
    for text in texts:
        if chinese is not None and is_chinese(text) != chinese:
            continue
        if title and _same_words(text, title):
            continue
        for sentence in full_sentences(text):
            if chosen and weight(" ".join([*chosen, sentence])) > TEASER_MAX:
                return " ".join(chosen)
            chosen.append(sentence)
            joined = " ".join(chosen)
            if weight(joined) >= TEASER_MIN or len(chosen) >= TEASER_SENTENCES:
                return joined if weight(joined) <= TEASER_MAX else _cut(joined)
    return " ".join(chosen)


def _cut(text: str) -> str:
    """A sentence too long for a card, cut at a word (or character, in Chinese) with "…"."""
    cut = text
    while weight(cut) > TEASER_MAX - 1:
        cut = cut[:-1]
    if not is_chinese(cut) and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def title_gloss(meta: ArticleMeta, editors_gloss: dict[str, Any] | None) -> Gloss | None:
    """The card's gloss of the title, or ``None`` when neither source nor editors give one."""
    title = meta.title
    if not title:
        return None
    other_language = next((tag for tag in meta.language if tag.lower().startswith("zh")
                           != is_chinese(title)), "")
    subtitle = meta.subtitle
    # A subtitle in the other script of an article in both languages is the source's title
    # in that language (the parallel text's first line, translated).
    if subtitle and other_language and is_chinese(subtitle) != is_chinese(title):
        return Gloss(subtitle, False, other_language)
    if editors_gloss and str(editors_gloss.get("value") or "").strip():
        text = " ".join(str(editors_gloss["value"]).split())
        language = "en" if is_chinese(title) else (other_language or "zh")
        return Gloss(text, True, language)
    return None


def article_teaser(meta: ArticleMeta, body: str) -> str:
    """An article's first full sentence(s), as plain text, in its main language."""
    chinese = meta.main_language.startswith("zh") if meta.is_parallel else None
    texts = [shown_text(text) for text in paragraphs(body, meta.slug)]
    return teaser(texts, meta.title, chinese)


def card_teaser(meta: ArticleMeta, lead: str) -> str:
    """A card's teaser: the source's dek, else the article's first full sentence(s) (``lead``).

    An editors' subtitle is not the source's dek (the parallel text's is its title in Chinese).
    """
    return meta.dek or lead
