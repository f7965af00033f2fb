"""Reader for format C: English and Chinese lines interleaved, one translation after each line.

The source is bare text, one paragraph a line: an English paragraph, then its Chinese
translation. Between pairs stand advertisement markers, and image captions appear twice,
the second time followed by the photo credit. The file states nothing about itself, so the
reader leaves title, authors, date and publisher empty (editorial data may supply them).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import PurePath

import opencc

from ..common.script import has_han, is_english, script_of
from ..model import (
    Article,
    Block,
    ConversionError,
    Figure,
    Metadata,
    Paragraph,
    ParallelPair,
    Removal,
    Source,
    Text,
)

FORMAT = "bilingual"

#: Whole lines that are advertisement slots of the page the text was taken from.
AD_LINES: frozenset[str] = frozenset({"廣告", "广告"})

#: Why advertisement markers are removed (recorded with each removal).
AD_REASON = "advertisement slot of the source page, not part of the text"

#: Markup that makes a file HTML (or HTML-bearing Markdown), which this format never is. The
#: spaces after ``/`` are taken only after one (``<\s*/?\s*`` split a run of spaces between its
#: two ``\s*`` in every way: quadratic in the run), and no space is given back (possessive
#: ``\s*+``: no tag name starts with one, and giving them back one by one retried every name).
HTML_PATTERN = re.compile(
    r"<!--|<\s*+(?:/\s*+)?(?:!doctype|html|head|body|article|section|header|div|p|span|a|img|"
    r"figure|figcaption|br|h[1-6]|ul|ol|li|address|time|cite|table)\b",
    re.IGNORECASE,
)

#: At least this many English-then-Chinese pairs before a file counts as format C.
MIN_PAIRS = 3

#: Share of non-empty, non-advertisement lines that must sit in such pairs (or captions).
MIN_PAIRED_SHARE = 0.6

#: Language tags: English, and Chinese in Traditional or Simplified characters.
ENGLISH = "en"
TRADITIONAL = "zh-Hant"
SIMPLIFIED = "zh-Hans"

@cache
def _to_simplified() -> opencc.OpenCC:
    """The OpenCC Traditional-to-Simplified converter (built once: loading it is not free)."""
    return opencc.OpenCC("t2s")


def chinese_variant(text: str) -> str:
    """``zh-Hant`` when the text uses Traditional characters, else ``zh-Hans``."""
    return TRADITIONAL if _to_simplified().convert(text) != text else SIMPLIFIED


def looks_like_html(text: str) -> bool:
    """Whether a text carries HTML markup."""
    return HTML_PATTERN.search(text) is not None


def slug_from_name(name: str) -> str:
    """A provisional ascii lowercase-hyphen slug from a file name's stem."""
    stem = PurePath(name).stem.lower()
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    return slug or "article"


def _content_lines(text: str) -> list[str]:
    """The non-empty lines of a text, without surrounding whitespace."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _caption_credit(caption: str, repeat: str) -> str | None:
    """The credit when ``repeat`` is ``caption`` again followed by a Latin-script credit."""
    if script_of(caption) != "han" or not repeat.startswith(caption + " "):
        return None
    credit = repeat[len(caption) :].strip()
    if not credit or has_han(credit):
        return None
    return credit


def sniff(text: str) -> bool:
    """Whether a text is format C: mostly English lines each followed by a Chinese line."""
    if looks_like_html(text):
        return False
    lines = [line for line in _content_lines(text) if line not in AD_LINES]
    if not lines:
        return False
    scripts = [script_of(line) for line in lines]
    paired = pairs = 0
    i = 0
    while i < len(lines) - 1:
        if _caption_credit(lines[i], lines[i + 1]) is not None:
            paired += 2
            i += 2
        elif scripts[i] == "latin" and scripts[i + 1] == "han":
            pairs += 1
            paired += 2
            i += 2
        else:
            i += 1
    return pairs >= MIN_PAIRS and paired >= MIN_PAIRED_SHARE * len(lines)


def read(source: Source) -> list[Article]:
    """Read a format-C source into one bilingual article of aligned pairs and captions."""
    lines = _content_lines(source.text)
    if not lines:
        raise ConversionError("no text in the file")
    han_lines = [line for line in lines if script_of(line) == "han" and line not in AD_LINES]
    latin_lines = [line for line in lines if script_of(line) == "latin"]
    if not han_lines or not latin_lines:
        raise ConversionError("not a bilingual text: needs both Latin-script and Chinese lines")
    if not is_english(" ".join(latin_lines)):
        raise ConversionError("the Latin-script lines are not English")
    right_language = chinese_variant("".join(han_lines))

    blocks: list[Block] = []
    removed: list[Removal] = []
    credits: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if line in AD_LINES:
            removed.append(Removal(kind="ad", text=line, reason=AD_REASON))
            i += 1
            continue
        credit = _caption_credit(line, following)
        if credit is not None:
            blocks.append(Figure(image="", caption=[Text(line)], credit=[Text(credit)],
                                 language=right_language))
            if credit not in credits:
                credits.append(credit)
            i += 2
            continue
        # The translation follows its English line, unless that next line opens a caption.
        after = lines[i + 2] if i + 2 < len(lines) else ""
        if (
            script_of(line) == "latin"
            and script_of(following) == "han"
            and following not in AD_LINES
            and _caption_credit(following, after) is None
        ):
            blocks.append(
                ParallelPair(
                    left=Paragraph([Text(line)]),
                    left_language=ENGLISH,
                    right=Paragraph([Text(following)]),
                    right_language=right_language,
                )
            )
            i += 2
            continue
        # An unpaired line is kept as it is: nothing lost, no partner invented.
        blocks.append(Paragraph([Text(line)]))
        i += 1

    meta = Metadata(
        language=[ENGLISH, right_language],
        image_credits=credits,
        seed=source.name,
        seed_sha256=source.sha256,
    )
    return [Article(slug=slug_from_name(source.name), meta=meta, blocks=blocks, removed=removed)]
