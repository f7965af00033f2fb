"""The ``ent`` domain: entity and date mentions, the registry, and the three indices.

Articles mark mentions with two roles::

    {ent}`字节跳动 <bytedance>`       an entity of the registry (company or person)
    {date}`2025年1月21日 <2025-01-21>`  a date, ISO ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``

Each mention becomes a link (to the entity's page, or to the date on the timeline) and is
recorded in the domain's data with the id of the paragraph (or nearest enclosing element)
that holds it, so indices, entity pages, the timeline and the data export can point back to
the exact place. The registry is read once per build from ``edition_registry``.

Collation (one rule for every list of names): the sort key of an entity is its preferred
label (the English one) romanised — Han characters by toneless pinyin, everything else as
written — with accents removed and casefolded; its index letter is the first character of
that key, upper-cased (``#`` when it is not a Latin letter: digits, symbols). Chinese labels
are shown beside the English one, never sorted on. Dates sort chronologically, which for ISO
strings is their string order (``2025`` < ``2025-01`` < ``2025-01-21``), grouped by year.

Index sub-entries are the places of mentions, one per paragraph: the article's title, then
``¶N`` / ``§N`` / ``fig. N`` and the text as shown; authors' articles are sub-entries too.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, cast

from docutils import nodes
from pypinyin import lazy_pinyin
from sphinx import addnodes
from sphinx.domains import Domain, Index, ObjType
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole
from sphinx.util.nodes import make_refnode, split_explicit_title

from converters.common.dates import date_target, date_words
from converters.common.registry import Entity, RegistryError, fold, load_registry
from converters.common.script import has_han
from edition.article.chinese import chinese_tag
from edition.article.frontmatter import get_article_meta
from edition.article.listings import reading_order
from edition.article.record import ArticleMeta
from edition.entities.indices import Head, MentionIndex, Name, Place, place_label
from edition.entities.names import pinyin
from edition.security.files import write_if_changed
from edition.security.safety import class_language, language_tag, strip_xml_forbidden, xml_forbidden

if TYPE_CHECKING:
    from docutils.nodes import Element, Node, system_message
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

#: Scripts every entity is labelled in, in display order, with their names.
SCRIPTS: dict[str, str] = {
    "en": "English",
    "zh-Hans": "Simplified Chinese",
    "zh-Hant": "Traditional Chinese",
}

#: A message of the registry loader: ``file:line: problem``.
REGISTRY_MESSAGE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<problem>.*)$")

#: Class of a container holding text in one language (``language-zh-Hant``): docutils writes
#: it as ``lang`` in HTML.
LANGUAGE_CLASS = "language-"

#: Front-matter field whose values name an article's authors.
AUTHORS_FIELD = "authors"
#: Front-matter field holding an article's publication date (ISO, possibly with a time).
DATE_FIELD = "date"
#: The date part of a front-matter date: ``2025``, ``2025-01`` or ``2025-01-21`` (time dropped).
FRONT_MATTER_DATE = re.compile(r"^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:[T ].*)?$")
#: What a publication date's place is called in the date index and on the timeline.
PUBLISHED = "published"
#: How many characters of the paragraph a mention keeps on each side (keyword in context).
CONTEXT_CHARS = 160
#: Where a sentence ends: after Chinese end punctuation, or after ``.``, ``!`` or ``?`` and
#: space before a capital (so ``Nov. 30`` and ``A.I. engineers`` do not end one), but not
#: after a single capital (initials) or a common abbreviation.
SENTENCE_END = re.compile(
    r"[。！？；][」』”’）)]*"
    r"|(?<![A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bNo)(?<!\bvs)"
    r"[.!?][”’\")]*(?=\s+[A-Z“‘\"(])"
)


class Mention(NamedTuple):
    """One mention in a document, as recorded while reading."""

    #: ``"entity"`` or ``"date"``.
    kind: str
    #: Registry id (entities) or ISO date (dates).
    target: str
    #: Document holding the mention.
    docname: str
    #: Id of the paragraph, or nearest enclosing element, holding the mention.
    anchor: str
    #: The text shown in the document.
    text: str
    #: Position of the mention in its document (0-based), for document order.
    position: int
    #: BCP 47 tag of the text around the mention (``""`` when unknown).
    language: str = ""
    #: Text of the paragraph before the mention (at most :data:`CONTEXT_CHARS` characters).
    before: str = ""
    #: Text of the paragraph after the mention (at most :data:`CONTEXT_CHARS` characters).
    after: str = ""


class Publication(NamedTuple):
    """The date a document states (or the editors supply) as its publication date."""

    #: The document.
    docname: str
    #: ISO date, cut to the precision the front matter gives (``YYYY[-MM[-DD]]``).
    iso: str
    #: Id of the document's title section (its citation anchor).
    anchor: str
    #: True when the editors, not the source, supply the date.
    editorial: bool


class Authorship(NamedTuple):
    """A registry person named as an author of a document."""

    #: Registry id of the person.
    person: str
    #: The authored document.
    docname: str
    #: Id of the document's title section (its citation anchor).
    anchor: str
    #: True when the editors, not the source, supply the attribution.
    editorial: bool
    #: The editors' reason (editorial attributions only).
    reason: str


# --------------------------------------------------------------------------- pure helpers


@functools.cache  # every list sorts by it; pypinyin is pure Python and labels are few
def collation_key(label: str) -> str:
    """Sort key of a name: romanised (pinyin for Han characters), unaccented, casefolded."""
    # lazy_pinyin leaves non-Han runs untouched, so Latin labels are their own key.
    romanised = "".join(lazy_pinyin(label))
    decomposed = unicodedata.normalize("NFKD", romanised)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def index_letter(label: str) -> str:
    """The letter an entity is grouped under in an index."""
    key = collation_key(label)
    return key[:1].upper() if key[:1].isascii() and key[:1].isalpha() else "#"


def entity_sort_key(entity: Entity) -> tuple[str, str]:
    """Order of entities in every list: collation key, then id for equal labels."""
    return (collation_key(entity.label), entity.id)


def chinese_labels(entity: Entity) -> str:
    """The entity's Chinese labels, distinct, for display beside the English one."""
    seen: list[str] = []
    for script in ("zh-Hans", "zh-Hant"):
        value = entity.labels.get(script, "")
        if value and value not in seen and value != entity.label:
            seen.append(value)
    return " / ".join(seen)


def read_registry(path: Path) -> dict[str, Entity] | None:
    """Load and validate the registry; ``None`` (each problem logged at file:line) if unusable.

    A broken registry is the registry's own located messages and a failed build, never a
    crash report: Sphinx prints one for every exception an extension raises.
    """
    if not path.is_file():
        logger.error("%s: registry file not found (see edition_registry)", path,
                     type="edition", subtype="registry")
        return None
    try:
        registry = load_registry(path)
    except RegistryError as err:
        # Each problem as a located error in Sphinx's usual form, where editors and their
        # tools look.
        for message in err.messages:
            where = REGISTRY_MESSAGE.match(message)
            if where is None:
                logger.error(message, type="edition", subtype="registry")
                continue
            logger.error(
                where["problem"],
                location=f"{where['file']}:{where['line']}",
                type="edition",
                subtype="registry",
            )
        return None
    if "index" in registry:
        # Entity pages are named by id; "index" is the page that lists them all.
        logger.error("%s: the id 'index' is reserved for the list page", path,
                     type="edition", subtype="registry")
        return None
    return {entity_id: xml_safe_entity(entity, path)
            for entity_id, entity in registry.by_id.items()}


def xml_safe_entity(entity: Entity, path: Path) -> Entity:
    """An entity without the characters XML forbids in its names (they would break the EPUB)."""
    texts = [entity.label, entity.description, *entity.labels.values(), *entity.aliases]
    found = sorted({code for text in texts for code in xml_forbidden(text)})
    if not found:
        return entity
    logger.warning("%s removed from the entity %r: XML forbids it", ", ".join(found),
                   entity.id, location=f"{path}:{entity.line}", type="edition",
                   subtype="registry")
    return dataclasses.replace(
        entity,
        label=strip_xml_forbidden(entity.label),
        labels={key: strip_xml_forbidden(value) for key, value in entity.labels.items()},
        aliases=tuple(strip_xml_forbidden(alias) for alias in entity.aliases),
        description=strip_xml_forbidden(entity.description),
    )


def explicit_id(node: Element, document: nodes.document) -> str:
    """The id of an element a reader would cite: its explicit label if it has one."""
    ids: list[str] = node["ids"]
    # Explicit names are the ``(label)=`` targets and ``:name:`` options; implicit ones are
    # made from titles (heading slugs), which change when a heading is edited.
    labelled = {
        document.nameids[name] for name, explicit in document.nametypes.items()
        if explicit and name in document.nameids
    }
    for node_id in ids:
        if node_id in labelled:
            return node_id
    return ids[0] if ids else ""


def node_language(node: Node) -> str:
    """The language of the nearest enclosing ``language-xx`` container (``""`` when none)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, nodes.Element):
            for cls in parent["classes"]:
                if cls.startswith(LANGUAGE_CLASS):
                    return class_language(str(cls[len(LANGUAGE_CLASS):]))
        parent = parent.parent
    return ""


def language_classes(tag: str) -> list[str]:
    """Classes marking text in a language (none when the language is unknown or not allowed)."""
    allowed = language_tag(tag)
    return [f"{LANGUAGE_CLASS}{allowed}"] if allowed else []


def mention_anchor(node: Node, document: nodes.document) -> str:
    """The id of the paragraph (or nearest enclosing element with an id) holding a node."""
    parent = node.parent
    while parent is not None and not isinstance(parent, nodes.document):
        if isinstance(parent, nodes.Element) and parent["ids"]:
            return explicit_id(parent, document)
        parent = parent.parent
    section = document.next_node(nodes.section)
    return explicit_id(section, document) if section is not None else ""


def mention_context(node: Element) -> tuple[str, str]:
    """The text of the paragraph before and after a mention, each cut to CONTEXT_CHARS."""
    block = node.parent
    while block is not None and not (
        isinstance(block, nodes.TextElement) and not isinstance(block, nodes.Inline)
    ):
        block = block.parent
    if block is None:
        return "", ""
    before: list[str] = []
    after: list[str] = []
    side = before
    for text in block.findall(nodes.Text):
        ancestors: list[Node] = []
        parent = text.parent
        while parent is not None and parent is not block:
            ancestors.append(parent)
            parent = parent.parent
        if any(a is node for a in ancestors):
            side = after  # the mention itself is shown by the caller
            continue
        if any(isinstance(a, nodes.footnote_reference) for a in ancestors):
            continue  # a note's number is not part of the sentence
        side.append(text.astext())
    return "".join(before)[-CONTEXT_CHARS:], "".join(after)[:CONTEXT_CHARS]


def sentence_parts(before: str, shown: str, after: str) -> tuple[str, str]:
    """The words of a mention's sentence before and after it (the sentence ends included)."""
    text = before + shown + after
    start, end = 0, len(text)
    for match in SENTENCE_END.finditer(text):
        if match.end() <= len(before):
            start = match.end()
        elif match.start() >= len(before) + len(shown):
            end = match.end()  # the end punctuation belongs to the sentence
            break
    return text[start:len(before)].lstrip(), text[len(before) + len(shown):end].rstrip()


def sentence_around(before: str, shown: str, after: str) -> str:
    """The sentence holding a mention, as text."""
    head, tail = sentence_parts(before, shown, after)
    return f"{head}{shown}{tail}"


def publication_iso(value: Any) -> str | None:
    """The ISO date of a front-matter ``date`` value (time dropped), or ``None``."""
    match = FRONT_MATTER_DATE.match(str(value or "").strip())
    return date_target(match.group(1)) if match is not None else None


# --------------------------------------------------------------------------- roles


class MentionRole(SphinxRole):
    """Base of the ``ent`` and ``date`` roles: a mention shown as a link to its entry."""

    kind: ClassVar[str]

    def target_and_text(self) -> tuple[str, str] | None:
        """The validated target and shown text, or ``None`` after warning."""
        raise NotImplementedError

    def run(self) -> tuple[list[Node], list[system_message]]:
        """Make the mention node: a cross-reference resolved by the ``ent`` domain."""
        resolved = self.target_and_text()
        if resolved is None:
            shown = split_explicit_title(self.text)[1]
            return [nodes.inline(self.rawtext, shown, classes=["mention", "mention-unknown"])], []
        target, shown = resolved
        content = nodes.inline(shown, shown, classes=["mention", f"mention-{self.kind}"])
        xref = addnodes.pending_xref(
            self.rawtext,
            content,
            refdomain=EntityDomain.name,
            reftype=self.kind,
            reftarget=target,
            refdoc=self.env.docname,
            refexplicit=True,
        )
        self.set_source_info(xref)
        return [xref], []


class EntityRole(MentionRole):
    """``{ent}`shown text <registry-id>```: a mention of a registry entity."""

    kind = "entity"

    def target_and_text(self) -> tuple[str, str] | None:
        """Look the id up in the registry; warn (with location) when it is not there."""
        explicit, shown, target = split_explicit_title(self.text)
        target = target.strip()
        entity = entity_domain(self.env).registry.get(target)
        if entity is None:
            logger.warning(
                "unknown entity id %r in {ent}`%s` (not in the registry %s)",
                target,
                self.text,
                self.config.edition_registry,
                location=self.get_location(),
                type="edition",
                subtype="entity",
            )
            return None
        return target, shown if explicit else entity.label


class DateRole(MentionRole):
    """``{date}`shown text <YYYY-MM-DD>```: a mention of a date (year, month or day)."""

    kind = "date"

    def target_and_text(self) -> tuple[str, str] | None:
        """Validate the ISO date; warn (with location) when it is malformed."""
        _explicit, shown, target = split_explicit_title(self.text)
        iso = date_target(target)
        if iso is None:
            logger.warning(
                "malformed date %r in {date}`%s` (expected YYYY, YYYY-MM or YYYY-MM-DD)",
                target,
                self.text,
                location=self.get_location(),
                type="edition",
                subtype="date",
            )
            return None
        return iso, shown


# --------------------------------------------------------------------------- indices


#: What a register calls a place that is neither a numbered paragraph nor an authorship.
UNNUMBERED_PLACE = "mentioned"


def script_names(entity: Entity) -> tuple[Name, ...]:
    """An entity's other names, each with its language: Simplified, Traditional, pinyin.

    A form equal to one shown before it is not repeated.
    """
    names: list[Name] = []
    simplified = entity.labels.get("zh-Hans", "")
    traditional = entity.labels.get("zh-Hant", "")
    if simplified and simplified != entity.label:
        names.append(Name(simplified, "zh-Hans", "zh-Hans"))
    if traditional and traditional not in {simplified, entity.label}:
        names.append(Name(traditional, "zh-Hant", "zh-Hant"))
    reading = pinyin(entity)
    if reading:
        # No tag: pinyin is Latin script, and BCP 47's zh-Latn-pinyin is not one the edition
        # writes (converters.common.validate.LANGUAGE_TAGS).
        names.append(Name(reading, "", "pinyin"))
    return tuple(names)


def label_language(entity: Entity) -> str:
    """The language of an entity's preferred label (``""``: English, the page's language).

    An entity without an English name is labelled in Chinese.
    """
    if not has_han(entity.label):
        return ""
    for script in ("zh-Hans", "zh-Hant"):
        if entity.labels.get(script) == entity.label:
            return script
    return chinese_tag(entity.label)


class EntityIndex(MentionIndex):
    """Entities of one type, by letter; a line per text that mentions them."""

    entity_type: ClassVar[str]

    def heads(self, domain: EntityDomain) -> list[str]:
        """The registry's entities of this type, in the module's collation order."""
        entities = [e for e in domain.registry.values() if e.type == self.entity_type]
        return [entity.id for entity in sorted(entities, key=entity_sort_key)]

    def places(self, domain: EntityDomain, key: str) -> list[tuple[str, str, str, str]]:
        """The paragraphs that mention the entity, and the texts a person wrote."""
        return domain.places_of(key)

    def mention_counts(self, domain: EntityDomain, key: str) -> Counter[tuple[str, str]]:
        """Mentions of the entity per paragraph."""
        return Counter((m.docname, m.anchor) for m in domain.mentions_of(key))

    def place_label(self, domain: EntityDomain, key: str, place: Place) -> str:
        """``¶N``; ``author`` for a text the person wrote; else ``mentioned``."""
        number = place_label(place.anchor)
        if number:
            return number
        authored = {(a.docname, a.anchor): a for a in domain.authored_by(key)}
        authorship = authored.get((place.docname, place.anchor))
        if authorship is not None and (place.docname, place.anchor) not in \
                self.mention_counts(domain, key):
            return "author (attributed by the editors)" if authorship.editorial else "author"
        return UNNUMBERED_PLACE

    def head(self, domain: EntityDomain, key: str) -> Head:
        """The entity's name and its other scripts, under its letter, pointing at its page."""
        entity = domain.registry[key]
        return Head(entity.label, index_letter(entity.label), domain.entity_docname(key),
                    entity_anchor(key), chinese_labels(entity), script_names(entity),
                    label_language(entity))


class CompanyIndex(EntityIndex):
    """Index of companies and other organisations."""

    name = "companies"
    localname = "Index of companies and organisations"
    shortname = "companies"
    entity_type = "company"


class PersonIndex(EntityIndex):
    """Index of people."""

    name = "people"
    localname = "Index of people"
    shortname = "people"
    entity_type = "person"


class DateIndex(MentionIndex):
    """Dates mentioned, in chronological order, grouped by year."""

    name = "dates"
    localname = "Index of dates"
    shortname = "dates"

    def heads(self, domain: EntityDomain) -> list[str]:
        """The dates mentioned; ISO strings sort chronologically (``2025`` < ``2025-01``)."""
        return list(domain.dates())

    def places(self, domain: EntityDomain, key: str) -> list[tuple[str, str, str, str]]:
        """The paragraphs that mention the date (and the articles published on it)."""
        return domain.places_of(key, kind="date")

    def mention_counts(self, domain: EntityDomain, key: str) -> Counter[tuple[str, str]]:
        """Mentions of the date per paragraph."""
        return Counter((m.docname, m.anchor) for m in domain.mentions_of(key, "date"))

    def place_label(self, domain: EntityDomain, key: str, place: Place) -> str:
        """``¶N``; ``published`` for an article's own date (said when the editors supply it)."""
        number = place_label(place.anchor)
        if number:
            return number
        for publication in domain.published_on(key):
            if (publication.docname, publication.anchor) == (place.docname, place.anchor):
                return f"{PUBLISHED} (date supplied by the editors)" if publication.editorial \
                    else PUBLISHED
        return UNNUMBERED_PLACE

    def head(self, domain: EntityDomain, key: str) -> Head:
        """The date, under its year, pointing at its place in the timeline; in words beside."""
        words = date_words(key) if "-" in key else ""
        names = (Name(words, "", "words"),) if words else ()
        return Head(key, key[:4], domain.timeline_docname(), date_anchor(key), words, names)


class LabelContainers(SphinxPostTransform):
    """Give containers with ids (parallel pairs, text figures) a LaTeX label.

    The LaTeX writer labels sections, figures and targets but not containers, so an index
    entry pointing at a parallel pair's id would print "??" instead of a page number.
    """

    default_priority = 500
    builders = ("latex",)

    def run(self, **_kwargs: Any) -> None:
        """Put a target referring to each id at the start of the container."""
        for container in list(self.document.findall(nodes.container)):
            for node_id in reversed(container["ids"]):
                container.insert(0, nodes.target("", "", refid=node_id))


#: The LaTeX package styling the indices in the PDF (written beside the .tex files).
LATEX_PACKAGE = "sphinxeditionindex"
LATEX_PACKAGE_TEXT = rf"""\ProvidesPackage{{{LATEX_PACKAGE}}}
% The edition's indices list names and article titles, not code: set them in the text face
% (Sphinx's default, typewriter, is made for module names).
\renewcommand{{\sphinxstyleindexentry}}[1]{{#1}}
\endinput
"""


def write_latex_package(app: Sphinx) -> None:
    """Write the index style package when building LaTeX (``builder-inited``)."""
    if app.builder.name != "latex":
        return
    write_if_changed(Path(app.outdir) / f"{LATEX_PACKAGE}.sty", LATEX_PACKAGE_TEXT)


# --------------------------------------------------------------------------- domain


def entity_anchor(entity_id: str) -> str:
    """The label of an entity page's title."""
    return f"entity-{entity_id}"


def date_anchor(iso: str) -> str:
    """The id of a date's entry on the timeline page."""
    return f"date-{iso}"


def year_anchor(year: str) -> str:
    """The id of a year's entry on the timeline page."""
    return f"year-{year}"


class _Lookup(NamedTuple):
    """The domain's records by what they are about (see :meth:`EntityDomain._lookup`)."""

    mentions: dict[tuple[str, str], list[Mention]]
    publications: dict[str, list[Publication]]
    authorships: dict[str, list[Authorship]]
    #: (kind, target) -> the documents mentioning it, each once, by docname.
    documents: dict[tuple[str, str], list[str]]


class EntityDomain(Domain):
    """Entities and dates mentioned in the edition, and where."""

    name = "ent"
    label = "Entities and dates"
    #: Bumped whenever the layout of :attr:`data` changes.
    data_version = 3
    object_types: ClassVar[dict[str, ObjType]] = {
        "company": ObjType("company", "entity"),
        "person": ObjType("person", "entity"),
    }
    roles: ClassVar[dict[str, Any]] = {"entity": EntityRole(), "date": DateRole()}
    indices: ClassVar[list[type[Index]]] = [CompanyIndex, PersonIndex, DateIndex]
    #: Lookup tables over the records below, rebuilt after any of them changes.
    _lookup_cache: _Lookup | None = None
    #: Documents' titles as text (:meth:`title_of`), dropped with the lookup tables.
    _titles_cache: dict[str, str] | None = None
    initial_data: ClassVar[dict[str, Any]] = {
        "registry": {},  # id -> Entity
        "registry_digest": "",  # sha256 of the registry file last read into the environment
        "mentions": {},  # docname -> [Mention], in document order
        "authorships": {},  # docname -> [Authorship]
        "languages": {},  # docname -> main language (BCP 47) from the front matter
        "publications": {},  # docname -> Publication (articles stating a date)
        "snapshot": "",  # digest of what generated pages show, to know when to rewrite them
    }

    # -- typed accessors

    @property
    def registry(self) -> dict[str, Entity]:
        """Registry entities by id."""
        return cast("dict[str, Entity]", self.data["registry"])

    @property
    def mentions(self) -> dict[str, list[Mention]]:
        """Mentions per document, in document order."""
        return cast("dict[str, list[Mention]]", self.data["mentions"])

    @property
    def authorships(self) -> dict[str, list[Authorship]]:
        """Registry people named as authors, per document."""
        return cast("dict[str, list[Authorship]]", self.data["authorships"])

    @property
    def languages(self) -> dict[str, str]:
        """Main language of each document that states one in its front matter."""
        return cast("dict[str, str]", self.data["languages"])

    @property
    def publications(self) -> dict[str, Publication]:
        """Publication date of each article whose front matter gives one."""
        return cast("dict[str, Publication]", self.data.setdefault("publications", {}))

    @property
    def mentioned_entities(self) -> frozenset[str]:
        """Registry ids that a document mentions or that an article names as its author.

        Only these have a page, a line in the overview and an entry in the registers; an
        entity of the registry that no text names has none of them (and nothing to search).
        """
        lookup = self._lookup()
        named = {target for kind, target in lookup.mentions if kind == "entity"}
        named.update(lookup.authorships)
        return frozenset(entity_id for entity_id in named if entity_id in self.registry)

    # -- parallel reading

    def clear_doc(self, docname: str) -> None:
        """Forget what a document recorded (it is being read again or was removed)."""
        self._changed()
        self.mentions.pop(docname, None)
        self.authorships.pop(docname, None)
        self.languages.pop(docname, None)
        self.publications.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take the records of documents read in another process."""
        self._changed()
        for docname in docnames:
            if docname in otherdata["mentions"]:
                self.mentions[docname] = otherdata["mentions"][docname]
            if docname in otherdata["authorships"]:
                self.authorships[docname] = otherdata["authorships"][docname]
            if docname in otherdata["languages"]:
                self.languages[docname] = otherdata["languages"][docname]
            if docname in otherdata.get("publications", {}):
                self.publications[docname] = otherdata["publications"][docname]

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        """Record the document's mentions (with their paragraph ids), language and authors."""
        self._changed()
        meta = get_article_meta(env, docname) or ArticleMeta(docname)
        # The first tag of the allow-list (the article header reports the others).
        main_language = [tag for tag in map(language_tag, meta.language) if tag][:1]
        if main_language:
            self.languages[docname] = main_language[0]
        found: list[Mention] = []
        for node in document.findall(addnodes.pending_xref):
            if node.get("refdomain") != self.name:
                continue
            before, after = mention_context(node)
            found.append(
                Mention(
                    kind=node["reftype"],
                    target=node["reftarget"],
                    docname=docname,
                    anchor=mention_anchor(node, document),
                    text=node.astext(),
                    position=len(found),
                    language=node_language(node) or self.languages.get(docname, ""),
                    before=before,
                    after=after,
                )
            )
        if found:
            self.mentions[docname] = found
        published = self._publication(meta, docname, document)
        if published is not None:
            self.publications[docname] = published
        authors = self._authorships(meta, docname, document)
        if authors:
            self.authorships[docname] = authors

    def _publication(
        self, meta: ArticleMeta, docname: str, document: nodes.document
    ) -> Publication | None:
        """An article's publication date from its record, marked when editorial."""
        if not self.is_article(docname):
            return None
        iso = publication_iso(meta.date)
        if iso is None:
            return None
        section = document.next_node(nodes.section)
        anchor = explicit_id(section, document) if section is not None else ""
        return Publication(docname, iso, anchor, meta.is_supplied(DATE_FIELD))

    def _authorships(
        self, meta: ArticleMeta, docname: str, document: nodes.document
    ) -> list[Authorship]:
        """Registry people the record names as authors, source-stated or editorial."""
        supplied = meta.supplied(AUTHORS_FIELD)
        reason = supplied.reason if supplied is not None else ""
        by_name = self.person_names()
        section = document.next_node(nodes.section)
        anchor = explicit_id(section, document) if section is not None else ""
        result: dict[str, Authorship] = {}
        for name in [*meta.authors, *meta.supplied_authors]:
            person = by_name.get(fold(name.strip()))
            if person is None:
                # Bylines may name staff or publications; only registry people get a page.
                logger.verbose("author %r is not a person of the registry: no author page", name,
                               location=docname, type="edition", subtype="author")
                continue
            if person in result:
                continue
            editorial = name in meta.supplied_authors
            result[person] = Authorship(person, docname, anchor, editorial,
                                        reason if editorial else "")
        return list(result.values())

    # -- cross-references

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        _node: addnodes.pending_xref,
        contnode: Element,
    ) -> nodes.reference | None:
        """Link a mention to its entity page, or a date to its place on the timeline."""
        if typ == "entity":
            entity = self.registry.get(target)
            page = self.entity_docname(target)
            if entity is None or page not in env.all_docs:
                return None
            title = " / ".join(dict.fromkeys(v for v in entity.labels.values() if v))
            return make_refnode(
                builder, fromdocname, page, entity_anchor(target), contnode, title or entity.label
            )
        if typ == "date":
            page = self.timeline_docname()
            if page not in env.all_docs:
                return None
            return make_refnode(builder, fromdocname, page, date_anchor(target), contnode, target)
        return None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: addnodes.pending_xref,
        contnode: Element,
    ) -> list[tuple[str, nodes.reference]]:
        """Resolve ``{any}`` references to registry ids."""
        ref = self.resolve_xref(env, fromdocname, builder, "entity", target, node, contnode)
        return [] if ref is None else [("ent:entity", ref)]

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        """Entity pages, for the search index and inventories."""
        for entity in sorted(self.registry.values(), key=entity_sort_key):
            page = self.entity_docname(entity.id)
            if page in self.env.all_docs:
                # Priority -1: in the inventory, not among the search's results, where the
                # entity's page is already found as a page (one result per page).
                yield entity.id, entity.label, entity.type, page, entity_anchor(entity.id), -1

    # -- queries used by the indices, pages, timeline and export

    def entity_docname(self, entity_id: str) -> str:
        """Docname of an entity's generated page."""
        return f"{self.env.config.edition_generated}/entities/{entity_id}"

    def entities_index_docname(self) -> str:
        """Docname of the generated page listing every entity page."""
        return f"{self.env.config.edition_generated}/entities/index"

    def timeline_docname(self) -> str:
        """Docname of the generated timeline page."""
        return f"{self.env.config.edition_generated}/timeline"

    def is_article(self, docname: str) -> bool:
        """Whether a document is an article of the edition."""
        return docname.startswith(self.env.config.edition_articles.rstrip("/") + "/")

    def title_of(self, docname: str) -> str:
        """A document's title as plain text (its docname when it has none).

        Kept until a document is read or forgotten (:meth:`_changed`): related articles, the
        registers and every entity page ask for the same titles again and again.
        """
        titles = self._titles_cache
        if titles is None:
            titles = self._titles_cache = {}
        text = titles.get(docname)
        if text is None:
            title = self.env.titles.get(docname)
            text = titles[docname] = title.astext() if title is not None else docname
        return text

    def all_mentions(self, kind: str | None = None) -> list[Mention]:
        """Every mention, by document then position (deterministic across parallel builds)."""
        return [
            mention
            for docname in sorted(self.mentions)
            for mention in self.mentions[docname]
            if kind is None or mention.kind == kind
        ]

    def _lookup(self) -> _Lookup:
        """Mentions, publications and authorships by target, built once while nothing changes.

        Pages ask for the places of each date or entity they mention; filtering every mention
        of the collection for each question made a build quadratic in the number of texts.
        """
        lookup = self._lookup_cache
        if lookup is None:
            lookup = _Lookup({}, {}, {}, {})
            for mention in self.all_mentions():
                key = (mention.kind, mention.target)
                lookup.mentions.setdefault(key, []).append(mention)
                # all_mentions goes document by document: a repeated name is the last one.
                documents = lookup.documents.setdefault(key, [])
                if not documents or documents[-1] != mention.docname:
                    documents.append(mention.docname)
            for docname in sorted(self.publications):
                publication = self.publications[docname]
                lookup.publications.setdefault(publication.iso, []).append(publication)
            for docname in sorted(self.authorships):
                for authorship in self.authorships[docname]:
                    lookup.authorships.setdefault(authorship.person, []).append(authorship)
            self._lookup_cache = lookup
        return lookup

    def _changed(self) -> None:
        """Drop the lookup tables and titles: the records they were made from changed."""
        self._lookup_cache = None
        self._titles_cache = None

    def mentions_of(self, target: str, kind: str = "entity") -> list[Mention]:
        """Mentions of one entity id or ISO date, in document order."""
        return list(self._lookup().mentions.get((kind, target), []))

    def documents_of(self, target: str, kind: str = "entity") -> list[str]:
        """The documents mentioning an entity id or ISO date, each once, by docname."""
        return list(self._lookup().documents.get((kind, target), []))

    def places_of(self, target: str, kind: str = "entity") -> list[tuple[str, str, str, str]]:
        """Distinct (docname, anchor, extra, description) places where a target is mentioned.

        Several mentions in one paragraph are one place: an index points to paragraphs.
        """
        places: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        for mention in self.mentions_of(target, kind):
            key = (mention.docname, mention.anchor)
            if key not in places:
                extra = f"{place_label(mention.anchor)} {mention.text}".strip()
                places[key] = (mention.docname, mention.anchor, extra, "")
        for publication in self.published_on(target) if kind == "date" else []:
            key = (publication.docname, publication.anchor)
            # The date as the article's header writes it; square brackets when editorial.
            words = date_words(publication.iso)
            extra = f"[{words}]" if publication.editorial else words
            places.setdefault(key, (publication.docname, publication.anchor, extra, ""))
        for authorship in self.authored_by(target) if kind == "entity" else []:
            key = (authorship.docname, authorship.anchor)
            extra = "author (editorial attribution)" if authorship.editorial else "author"
            places.setdefault(key, (authorship.docname, authorship.anchor, extra, ""))
        return list(places.values())

    def placed_elsewhere(self, target: str, kind: str, here: tuple[str, str]) -> bool:
        """Whether :meth:`places_of` lists a place other than ``here`` (docname, anchor).

        Stops at the first such place instead of building every place's label: a year
        mentioned in every article would otherwise cost a pass over all its mentions for each.
        """
        lookup = self._lookup()
        if any((m.docname, m.anchor) != here for m in lookup.mentions.get((kind, target), ())):
            return True
        if kind == "date":
            return any((p.docname, p.anchor) != here for p in lookup.publications.get(target, ()))
        return any((a.docname, a.anchor) != here for a in lookup.authorships.get(target, ()))

    def authored_by(self, person: str) -> list[Authorship]:
        """Documents naming a registry person as author, by docname."""
        return list(self._lookup().authorships.get(person, []))

    def dates(self) -> list[str]:
        """Distinct ISO dates mentioned or of a publication, chronologically."""
        mentioned = {m.target for m in self.all_mentions("date")}
        return sorted(mentioned | {p.iso for p in self.publications.values()})

    def published_on(self, iso: str) -> list[Publication]:
        """Articles published on an ISO date, by docname."""
        return list(self._lookup().publications.get(iso, []))

    def entities_of(self, docname: str) -> list[str]:
        """Distinct registry ids mentioned in a document, in order of first mention."""
        return list(
            dict.fromkeys(m.target for m in self.mentions.get(docname, []) if m.kind == "entity")
        )

    def person_names(self) -> dict[str, str]:
        """Every folded name (id, labels in every script, aliases) of a registry person -> id."""
        names: dict[str, str] = {}
        for entity in self.registry.values():
            if entity.type != "person":
                continue
            for name in (entity.id, *entity.names()):
                names.setdefault(fold(name.strip()), entity.id)
        return names

    def snapshot(self) -> str:
        """Digest of everything generated pages show (registry, mentions, authors, titles).

        And the texts' reading order (the editorial decisions file alone can change it): entity
        pages and the timeline list their places in that order.
        """
        digest = hashlib.sha256()
        digest.update(repr(sorted(reading_order(self.env).items())).encode())
        for docname in sorted(set(self.mentions) | set(self.authorships) | set(self.publications)):
            digest.update(repr((docname, self.title_of(docname))).encode())
            digest.update(repr(self.mentions.get(docname, [])).encode())
            digest.update(repr(self.authorships.get(docname, [])).encode())
        digest.update(repr(sorted(self.publications.items())).encode())
        digest.update(self.data["registry_digest"].encode())
        return digest.hexdigest()


def entity_domain(env: BuildEnvironment) -> EntityDomain:
    """The ``ent`` domain of an environment."""
    return cast("EntityDomain", env.domains[EntityDomain.name])


# --------------------------------------------------------------------------- events


def registry_path(app: Sphinx) -> Path:
    """The registry file named by ``edition_registry`` (relative to the configuration dir)."""
    return Path(app.confdir) / app.config.edition_registry


def load_registry_into_domain(app: Sphinx) -> None:
    """Read the registry before any document (``builder-inited``)."""
    path = registry_path(app)
    entities = read_registry(path)
    if entities is None:
        # The build goes on without entities, so that every other problem is reported too,
        # and ends as failed ("build finished with problems"), with or without -W.
        app.statuscode = 1
        entities = {}
    domain = entity_domain(app.env)
    domain.data["registry"] = entities


def registry_outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], _changed: Set[str], removed: Set[str]
) -> list[str]:
    """When the registry file changed, re-read every document that mentions or is authored."""
    domain = entity_domain(env)
    path = registry_path(app)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    if digest == domain.data["registry_digest"]:
        return []
    domain.data["registry_digest"] = digest
    # Every document is checked again: an id unknown before may be known now, and back.
    return sorted(env.found_docs - set(added) - set(removed))


def generated_pages_updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Documents showing derived data, to rewrite when what they show changed (the snapshot)."""
    domain = entity_domain(env)
    snapshot = domain.snapshot()
    if snapshot == domain.data["snapshot"]:
        return []
    domain.data["snapshot"] = snapshot
    prefix = f"{app.config.edition_generated}/"
    return sorted(
        docname
        for docname in env.found_docs
        if docname.startswith(prefix) or domain.is_article(docname)
    )


def forget_titles(app: Sphinx, _doctree: nodes.document) -> None:
    """Drop the titles kept by :meth:`EntityDomain.title_of`: a document's title was collected."""
    entity_domain(app.env)._titles_cache = None


def forget_titles_merged(_app: Sphinx, env: BuildEnvironment, _docnames: Set[str],
                         _other: BuildEnvironment) -> None:
    """Drop the kept titles once a parallel reader's titles are merged (``env-merge-info``)."""
    entity_domain(env)._titles_cache = None


def setup_entities(app: Sphinx) -> None:
    """Register the ``ent`` domain, the ``ent`` and ``date`` roles and their config values."""
    app.add_domain(EntityDomain)
    app.add_post_transform(LabelContainers)
    app.add_latex_package(LATEX_PACKAGE)
    app.connect("builder-inited", write_latex_package)
    # The short names the articles use: {ent}`…` and {date}`…`.
    app.add_role("ent", EntityRole())
    app.add_role("date", DateRole())
    app.connect("builder-inited", load_registry_into_domain, priority=400)
    app.connect("env-get-outdated", registry_outdated)
    app.connect("env-get-updated", generated_pages_updated)
    # Titles are collected after the domain has processed a document (at doctree-read, or when
    # a parallel reader's are merged): a title asked for in between is not kept.
    app.connect("doctree-read", forget_titles, priority=900)
    app.connect("env-merge-info", forget_titles_merged, priority=900)
