"""The document model every reader produces and the one MyST writer consumes.

Readers (one per source format) turn a seed into a list of :class:`Article`; editorial
passes (splitting, entity and date tagging, labels) transform articles; :mod:`converters.myst`
writes them. Nothing here knows about HTML, Sphinx or any particular source.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

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
    #: What the value is, when it is not what the field plainly says: ``original-author`` for
    #: names of ``authors`` who wrote the work the text translates or adapts, not its words
    #: (:data:`converters.editorial.ROLES`); ``""`` otherwise.
    role: str = ""


@dataclass
class Removal:
    """Source material removed on purpose (ads, paywall, related links, feed footer)."""

    kind: str
    text: str
    reason: str


#: The types a front-matter field may have (the words are those of check's messages).
STR, LIST_OF_STR, LIST_OF_MAPPINGS = "string", "list of strings", "list of mappings"


@dataclass(frozen=True)
class FieldSpec:
    """What the edition does with one front-matter field: its type, meaning, header row, roles.

    Declared once, as the ``front_matter`` metadata of a field of :class:`Metadata` or
    :class:`Article`; the MyST writer, ``check``, the article header and the citation read it
    through :data:`FRONT_MATTER_FIELDS`.
    """

    #: The field's type in the front matter (:data:`STR`, :data:`LIST_OF_STR`, …).
    kind: str
    #: What the field means, in one sentence (for contributors and error messages).
    help: str
    #: Its key in the front matter, when it differs from the attribute name.
    key: str = ""
    #: The label of its row in the article header (``""``: no row), and the row's place.
    header: str = ""
    header_order: int = 0
    #: Its CSL variable: a field with one is part of the citation (and is marked in square
    #: brackets there when the editors supplied it).
    csl: str = ""
    #: Its Dublin Core element and Highwire Press (Google Scholar) tags in a page's ``<head>``.
    dublin_core: str = ""
    highwire: tuple[str, ...] = ()


def _spec(kind: str, help: str, **roles: Any) -> dict[str, FieldSpec]:
    """Field metadata declaring a front-matter field (see :class:`FieldSpec`)."""
    return {"front_matter": FieldSpec(kind, help, **roles)}


@dataclass
class Metadata:
    """What a source states about itself; unknown fields stay empty, never guessed.

    Every field but ``extra`` is a front-matter field of the article, in this order.
    """

    title: str = field(default="", metadata=_spec(
        STR, "The article's title, as the source gives it.",
        csl="title", dublin_core="DC.title", highwire=("citation_title",)))
    # No CSL variable: a citation gives the title alone (a dek is not a subtitle, and the
    # parallel text's subtitle is its title's translation).
    subtitle: str = field(default="", metadata=_spec(
        STR, "The dek or subtitle under the title."))
    authors: list[str] = field(default_factory=list, metadata=_spec(
        LIST_OF_STR, "The authors' names, as the source writes them.",
        header="Author", header_order=1, csl="author", dublin_core="DC.creator",
        highwire=("citation_author",)))
    date: str = field(default="", metadata=_spec(
        STR, "When the source was published: ISO 8601, as precise as the source is.",
        header="Date", header_order=2, csl="issued", dublin_core="DC.date",
        highwire=("citation_publication_date", "citation_date")))
    date_precision: str = field(default="", metadata=_spec(
        STR, "How precise date is: second, minute, day, month, year, or '' without a date."))
    language: list[str] = field(default_factory=list, metadata=_spec(
        LIST_OF_STR, "The text's languages as BCP 47 tags, main language first.",
        header="Language", header_order=5, dublin_core="DC.language",
        highwire=("citation_language",)))
    publisher: str = field(default="", metadata=_spec(
        STR, "Who published the source (a newspaper, a magazine, a site).",
        header="Publisher", header_order=3, csl="container-title", dublin_core="DC.publisher",
        highwire=("citation_publisher", "citation_journal_title")))
    source_url: str = field(default="", metadata=_spec(
        STR, "The source's own address (http or https).",
        header="Source", header_order=7, dublin_core="DC.source"))
    original_url: str = field(default="", metadata=_spec(
        STR, "The original-language version's address, when the source links it.",
        header="Original", header_order=8))
    translator: str = field(default="", metadata=_spec(
        STR, "Who translated the text, when the source says.",
        header="Translator", header_order=6, csl="translator"))
    column: str = field(default="", metadata=_spec(
        STR, "The column or section the source ran the text in.",
        header="Column", header_order=4))
    image_credits: list[str] = field(default_factory=list, metadata=_spec(
        LIST_OF_STR, "Who made the images, as the source credits them.",
        header="Images", header_order=9))
    retrieved: str = field(default="", metadata=_spec(
        STR, "When a feed fetched the text: ISO 8601, UTC.", header="Retrieved", header_order=10))
    seed: str = field(default="", metadata=_spec(
        STR, "The file name of the seed the article was converted from."))
    seed_sha256: str = field(default="", metadata=_spec(
        STR, "The SHA-256 of the seed's bytes, to tell a changed seed."))
    extra: dict[str, object] = field(default_factory=dict)  #: other source-stated fields


@dataclass
class Article:
    """One article of the edition: metadata, body blocks, and what the conversion did.

    ``slug`` (as ``label``), ``editorial`` and ``removed`` are front-matter fields too, after
    those of :class:`Metadata`.
    """

    slug: str = field(metadata=_spec(
        STR, "The article's slug: its page's name and the prefix of its paragraph labels.",
        key="label"))
    meta: Metadata
    blocks: list[Block] = field(default_factory=list)
    editorial: list[Editorial] = field(default_factory=list, metadata=_spec(
        LIST_OF_MAPPINGS, "Values the editors supplied (field, value, reason)."))
    removed: list[Removal] = field(default_factory=list, metadata=_spec(
        LIST_OF_MAPPINGS, "Source material removed on purpose (kind, reason, chars)."))


class FrontMatterField(NamedTuple):
    """A front-matter field: its key, the model attribute holding it, and its declaration."""

    #: The key in the front matter.
    key: str
    #: The attribute of :class:`Metadata` (or of :class:`Article` for the article's own fields).
    name: str
    #: Whether the attribute is on :class:`Article` rather than on its :class:`Metadata`.
    on_article: bool
    #: What the field is and does.
    spec: FieldSpec


def _front_matter_fields() -> tuple[FrontMatterField, ...]:
    """Every field of :class:`Metadata` and :class:`Article` that declares a front-matter field."""
    found: list[FrontMatterField] = []
    for owner in (Metadata, Article):
        for item in fields(owner):
            spec = item.metadata.get("front_matter")
            if isinstance(spec, FieldSpec):
                found.append(FrontMatterField(spec.key or item.name, item.name,
                                              owner is Article, spec))
    return tuple(found)


#: The article front matter, in the order the MyST writer writes it: the one declaration of its
#: fields (from the dataclasses above), read by the writer, ``check``, the edition's header and
#: its citations.
FRONT_MATTER_FIELDS: tuple[FrontMatterField, ...] = _front_matter_fields()


def header_fields() -> tuple[FrontMatterField, ...]:
    """The fields shown as rows of the article header, in the header's order."""
    rows = [f for f in FRONT_MATTER_FIELDS if f.spec.header]
    return tuple(sorted(rows, key=lambda f: f.spec.header_order))


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
