"""The document model every reader produces and the one MyST writer consumes.

Readers (one per source format) turn a seed into a list of :class:`Article`; editorial
passes (splitting, entity and date tagging, labels) transform articles; :mod:`converters.myst`
writes them. Nothing here knows about HTML, Sphinx or any particular source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# --------------------------------------------------------------------------- inlines


@dataclass
class Text:
    """Plain running text, exactly as the source has it (the writer escapes it)."""

    text: str


@dataclass
class Emphasis:
    """Emphasised (italic) text."""

    children: list[Inline]


@dataclass
class Strong:
    """Strongly emphasised (bold) text."""

    children: list[Inline]


@dataclass
class Link:
    """A hyperlink of the source: its text stays inline, its URL becomes a numbered footnote."""

    children: list[Inline]
    url: str


@dataclass
class Mention:
    """A tagged mention of a registry entity (``kind="entity"``) or a date (``kind="date"``)."""

    text: str
    kind: str
    target: str


@dataclass
class LineBreak:
    """A hard line break inside a block (poems, addresses, footer lines)."""


Inline = Text | Emphasis | Strong | Link | Mention | LineBreak

# --------------------------------------------------------------------------- blocks


@dataclass
class Paragraph:
    """A paragraph; ``label`` is its stable citation anchor, filled by :func:`assign_labels`."""

    inlines: list[Inline]
    label: str = ""


@dataclass
class Heading:
    """A section heading; level 2 is a section of the article (level 1 is the article title)."""

    level: int
    inlines: list[Inline]
    label: str = ""


@dataclass
class Figure:
    """A figure: a remote image URL (or ``""`` when the source keeps only the caption)."""

    image: str
    caption: list[Inline]
    credit: list[Inline] = field(default_factory=list)  #: who made the image, as the source says
    alt: str = ""
    label: str = ""
    language: str = ""  #: BCP 47 tag of the caption, when it differs from the article's


@dataclass
class BulletList:
    """A bulleted list; each item is a run of inlines."""

    items: list[list[Inline]]
    label: str = ""


@dataclass
class ParallelPair:
    """One aligned pair of a parallel text: the same passage in two languages (BCP 47 tags)."""

    left: Paragraph
    left_language: str
    right: Paragraph
    right_language: str
    label: str = ""


@dataclass
class EditorialNote:
    """A note by the editors inside the text (what was split, moved or inferred, and why)."""

    text: str


Block = Paragraph | Heading | Figure | BulletList | ParallelPair | EditorialNote

# --------------------------------------------------------------------------- article


@dataclass
class Editorial:
    """A metadata value the source does not state, supplied by the editors, with the reason."""

    field: str
    value: object
    reason: str


@dataclass
class Removal:
    """Source material removed on purpose (ads, paywall, related links, feed footer)."""

    kind: str
    text: str
    reason: str


@dataclass
class Metadata:
    """What a source states about itself; unknown fields stay empty, never guessed."""

    title: str = ""
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  #: ISO 8601, as precise as the source is
    date_precision: str = ""  #: "second", "minute", "day", "month", "year" or ""
    language: list[str] = field(default_factory=list)  #: BCP 47 tags, main language first
    publisher: str = ""
    source_url: str = ""
    original_url: str = ""  #: the original-language version, when the source links it
    translator: str = ""
    column: str = ""
    image_credits: list[str] = field(default_factory=list)
    retrieved: str = ""  #: when a feed fetched the text, ISO 8601 UTC
    seed: str = ""  #: the seed's file name
    seed_sha256: str = ""
    extra: dict[str, object] = field(default_factory=dict)  #: other source-stated fields


@dataclass
class Article:
    """One article of the edition: metadata, body blocks, and what the conversion did."""

    slug: str
    meta: Metadata
    blocks: list[Block] = field(default_factory=list)
    editorial: list[Editorial] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)


@dataclass
class Source:
    """A decoded input file handed to the readers."""

    name: str  #: file name, e.g. ``000_a5d899cc8bfa8607.txt``
    text: str  #: the decoded text (UTF-8, or GB18030/Big5 when detected)
    sha256: str  #: of the raw bytes
    encoding: str = "utf-8"


class ConversionError(Exception):
    """Input the converters refuse; the message is one line shown to the user."""


# --------------------------------------------------------------------------- helpers


def plain_text(inlines: list[Inline]) -> str:
    """The reader-visible text of a run of inlines (links and mentions keep their text)."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, Mention):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(plain_text(node.children))
    return "".join(out)


def block_texts(block: Block) -> list[str]:
    """Every piece of reader-visible text in a block."""
    if isinstance(block, (Paragraph, Heading)):
        return [plain_text(block.inlines)]
    if isinstance(block, Figure):
        return [plain_text(block.caption), plain_text(block.credit)]
    if isinstance(block, BulletList):
        return [plain_text(item) for item in block.items]
    if isinstance(block, ParallelPair):
        return [plain_text(block.left.inlines), plain_text(block.right.inlines)]
    return [block.text]


def article_text(article: Article) -> str:
    """All reader-visible text of an article: title, subtitle and body, one piece a line."""
    parts = [article.meta.title, article.meta.subtitle]
    for block in article.blocks:
        parts.extend(block_texts(block))
    return "\n".join(p for p in parts if p)


def inline_runs(block: Block) -> list[list[Inline]]:
    """The mutable inline lists of a block, for passes that rewrite text (tagging)."""
    if isinstance(block, (Paragraph, Heading)):
        return [block.inlines]
    if isinstance(block, Figure):
        return [block.caption, block.credit]
    if isinstance(block, BulletList):
        return list(block.items)
    if isinstance(block, ParallelPair):
        return [block.left.inlines, block.right.inlines]
    return []


def article_links(article: Article) -> list[Link]:
    """Every link of an article, in reading order (nested links included)."""
    found: list[Link] = []

    def visit(run: list[Inline]) -> None:
        for node in run:
            if isinstance(node, Link):
                found.append(node)
            if isinstance(node, (Emphasis, Strong, Link)):
                visit(node.children)

    for block in article.blocks:
        for run in inline_runs(block):
            visit(run)
    return found
