"""Reader for format D: plain text, one paragraph a line, ``Heading#`` lines and ``- `` bullets.

The file states nothing about itself and may run several texts together; this reader keeps
it as one article in source order (title empty). Dividing it, titling the parts and moving
misplaced passages is editorial work, done by :mod:`converters.editorial` from data.
"""

from __future__ import annotations

import re

from ..model import (
    Article,
    Block,
    BulletList,
    ConversionError,
    Heading,
    Inline,
    Metadata,
    Paragraph,
    Source,
    Text,
)
from .bilingual import ENGLISH, is_english, looks_like_html, slug_from_name
from .bilingual import sniff as sniff_bilingual

FORMAT = "plaintext"

#: A heading line: short text closed by ``#`` (headings are titles, never whole paragraphs):
#: at most this many characters before the ``#`` and the white space before it.
HEADING_MAX = 151

#: A list item line: ``- `` then the item's text.
BULLET_PATTERN = re.compile(r"^- +(?P<text>\S.*)$")

#: Section headings of an article are level 2 (level 1 is the article's title).
HEADING_LEVEL = 2


def _content_lines(text: str) -> list[str]:
    """The non-empty lines of a text, without surrounding whitespace."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def heading_text(line: str) -> str | None:
    r"""The text of a heading line (``Title #``), or None when the line is no heading.

    The text starts with neither ``#`` nor white space and is at most :data:`HEADING_MAX`
    characters long. Read in Python, not by a pattern: ``(?P<text>.{0,150}?)\s*#$`` tried the
    rest of the line after each of the 150 characters, so a long line cost 150 scans of it.
    """
    if line.endswith("\n"):  # where "$" matched too: before a final line break
        line = line[:-1]
    if not line.endswith("#") or not line[0:1].strip() or line[0] == "#":
        return None
    text = line[:-1].rstrip()
    return text if len(text) <= HEADING_MAX and "\n" not in text else None


def sniff(text: str) -> bool:
    """Whether a text is format D: no HTML, not bilingual, with ``#`` headings or ``- `` bullets."""
    if looks_like_html(text) or sniff_bilingual(text):
        return False
    lines = _content_lines(text)
    return any(heading_text(line) is not None or BULLET_PATTERN.match(line) for line in lines)


def line_text(line: str) -> str:
    """The reader-visible text of one source line: heading mark and bullet mark removed."""
    heading = heading_text(line)
    if heading is not None:
        return heading
    bullet = BULLET_PATTERN.match(line)
    if bullet:
        return bullet.group("text")
    return line


def parse_blocks(lines: list[str]) -> list[Block]:
    """Blocks of a run of lines: headings, paragraphs, and one list per run of bullet lines."""
    blocks: list[Block] = []
    items: list[list[Inline]] = []
    for line in lines:
        bullet = BULLET_PATTERN.match(line)
        if bullet:
            items.append([Text(bullet.group("text"))])
            continue
        if items:
            blocks.append(BulletList(items=items))
            items = []
        heading = heading_text(line)
        if heading is not None:
            blocks.append(Heading(level=HEADING_LEVEL, inlines=[Text(heading)]))
        else:
            blocks.append(Paragraph([Text(line)]))
    if items:
        blocks.append(BulletList(items=items))
    return blocks


def read(source: Source) -> list[Article]:
    """Read a format-D source into one article, in source order, with no stated metadata."""
    if looks_like_html(source.text):
        raise ConversionError("contains HTML markup, not plain text")
    lines = _content_lines(source.text)
    if not lines:
        raise ConversionError("no text in the file")
    language = [ENGLISH] if is_english(" ".join(lines)) else []
    meta = Metadata(language=language, seed=source.name, seed_sha256=source.sha256)
    return [Article(slug=slug_from_name(source.name), meta=meta, blocks=parse_blocks(lines))]
