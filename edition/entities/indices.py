"""The edition's registers: one generic register of things mentioned, which every kind extends.

A register kind says which things it lists (:meth:`MentionIndex.heads`), where each is mentioned
(:meth:`MentionIndex.places`) and how its head reads (:meth:`MentionIndex.head`: the name, the
group it is listed under, its other names with their languages, its own page). The base class
does the rest, as a register in a book does: each head once, then one line per text that
mentions it, in the edition's order — the text's title, the places (¶ numbers) and how many
mentions there are — never a row per paragraph; only the places of the documents asked for;
the head pointing at the thing's own page when the edition has one. A thing without a place
is not listed.

Two readers take the result: :meth:`MentionIndex.register` gives it as typed records, which
``edition/entities/registers.py`` sets as the web page; :meth:`MentionIndex.generate` gives it in
the form of Sphinx's domain indices (a head, then a sub-entry per text), which a LaTeX build with
``latex_domain_indices`` prints. A new kind is registered on the ``ent`` domain with
``app.add_index_to_domain("ent", MyIndex)``; Sphinx then writes its page (``ent-<name>``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple, cast

from sphinx.domains import Index, IndexEntry

from edition.article.listings import reading_order

if TYPE_CHECKING:
    from edition.entities.domain import EntityDomain

#: Start of an index sub-entry's name: the LaTeX index writer does not indent sub-entries, so
#: without it a place would read, in the PDF, like an entry of its own.
SUB_ENTRY_MARK = "\u2013 "

#: Labels of paragraphs, sections and figures end in ``-pN``, ``-sN`` and ``-fN``.
PLACE_LABEL = re.compile(r"-([psf])(\d+[a-z]*)$")
#: How each kind of labelled place is shown to readers.
PLACE_MARKS: dict[str, str] = {"p": "¶", "s": "§", "f": "fig. "}


def place_label(anchor: str) -> str:
    """A short reader's name for a labelled place: ``¶3`` for ``<slug>-p3``, ``§2``, ``fig. 1``."""
    match = PLACE_LABEL.search(anchor)
    if match is None:
        return ""
    return f"{PLACE_MARKS[match.group(1)]}{match.group(2)}"


class Place(NamedTuple):
    """Where a thing is mentioned: a document, the anchor there, and two short notes."""

    docname: str
    anchor: str
    #: What the place is when it is no numbered paragraph (``author``, a date in words).
    extra: str
    #: The entry's description (unused by the edition's own kinds).
    description: str


class Name(NamedTuple):
    """One of a head's other names: its text, its language, and what kind of name it is."""

    #: The name as written.
    text: str
    #: Its BCP 47 tag (``zh-Hans``, ``zh-Hant``; ``""``: the language of the page).
    language: str
    #: What it is, for readers and styles: ``zh-Hans``, ``zh-Hant``, ``pinyin``, ``words``.
    kind: str


class Head(NamedTuple):
    """An index head: the thing's name, the group it is listed under, and its own page."""

    name: str
    group: str
    #: The document and anchor of the thing's own page (used when that page is built).
    page: str
    anchor: str
    #: Shown beside the head in the LaTeX index (e.g. the names in Chinese, one line).
    extra: str = ""
    #: The thing's other names, each with its language (the names in Chinese, pinyin).
    names: tuple[Name, ...] = ()
    #: The language of :attr:`name` (``""``: the language of the page).
    language: str = ""


class RegisterPlace(NamedTuple):
    """One place of a text where a thing is mentioned."""

    #: The anchor there.
    anchor: str
    #: How the place is named: ``¶3``, ``§2``, ``author``, ``published``.
    label: str
    #: How many times the thing is mentioned there (0 at a publication or an authorship).
    mentions: int


class RegisterText(NamedTuple):
    """A text that mentions a thing: one line of the register."""

    docname: str
    #: The text's title.
    title: str
    #: The places, in reading order (those without a paragraph number, like ``author``, first).
    places: tuple[RegisterPlace, ...]

    @property
    def mentions(self) -> int:
        """How many times the text mentions the thing."""
        return sum(place.mentions for place in self.places)


class RegisterEntry(NamedTuple):
    """A thing of the register: its head, where the head points, and each text naming it."""

    key: str
    head: Head
    #: The document and anchor the head links to (its own page, or its first place).
    page: str
    anchor: str
    texts: tuple[RegisterText, ...]

    @property
    def mentions(self) -> int:
        """How many times the texts mention the thing."""
        return sum(text.mentions for text in self.texts)


class MentionIndex(Index):
    """A register of things mentioned in the edition: one head per thing, one line per text."""

    def heads(self, domain: EntityDomain) -> Iterable[str]:
        """The keys of the things listed, in the index's order."""
        raise NotImplementedError

    def places(self, domain: EntityDomain, key: str) -> Iterable[tuple[str, str, str, str]]:
        """Where a thing is mentioned, in reading order (:class:`Place` tuples)."""
        raise NotImplementedError

    def head(self, domain: EntityDomain, key: str) -> Head:
        """The head entry of a thing."""
        raise NotImplementedError

    def mention_counts(self, _domain: EntityDomain,
                       _key: str) -> Mapping[tuple[str, str], int] | None:
        """How many mentions each place ``(docname, anchor)`` holds (``None``: one each).

        A place not in the mapping holds none: a publication, an authorship.
        """
        return None

    def place_label(self, _domain: EntityDomain, _key: str, place: Place) -> str:
        """How a place is named: its paragraph number, else what the place says it is."""
        return place_label(place.anchor) or place.extra

    def text_title(self, domain: EntityDomain, _key: str, docname: str) -> str:
        """How a text is named on its line: its title."""
        return domain.title_of(docname)

    def entry(self, domain: EntityDomain, key: str,
              wanted: set[str] | None = None) -> RegisterEntry | None:
        """A thing's entry, its places gathered text by text (``None`` when it has none)."""
        counts = self.mention_counts(domain, key)
        by_text: dict[str, list[RegisterPlace]] = {}
        for place in map(Place._make, self.places(domain, key)):
            if wanted is not None and place.docname not in wanted:
                continue
            mentions = 1 if counts is None else counts.get((place.docname, place.anchor), 0)
            by_text.setdefault(place.docname, []).append(RegisterPlace(
                place.anchor, self.place_label(domain, key, place), mentions))
        if not by_text:
            return None
        order = reading_order(domain.env)
        texts = tuple(
            RegisterText(docname, self.text_title(domain, key, docname),
                         # sorted() keeps the reading order among numbered places
                         tuple(sorted(places, key=lambda p: bool(place_label(p.anchor)))))
            for docname, places in sorted(
                by_text.items(), key=lambda item: (order.get(item[0], len(order)), item[0])))
        head = self.head(domain, key)
        if head.page in domain.env.all_docs and (wanted is None or head.page in wanted):
            page, anchor = head.page, head.anchor
        else:
            page, anchor = texts[0].docname, texts[0].places[0].anchor
        return RegisterEntry(key, head, page, anchor, texts)

    def register(
        self, docnames: Iterable[str] | None = None
    ) -> list[tuple[str, list[RegisterEntry]]]:
        """The entries with a place in ``docnames`` (all documents: ``None``), by group."""
        domain = cast("EntityDomain", self.domain)
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[RegisterEntry]] = defaultdict(list)
        for key in self.heads(domain):
            entry = self.entry(domain, key, wanted)
            if entry is not None:
                groups[entry.head.group].append(entry)
        return sorted(groups.items())

    def generate(
        self, docnames: Iterable[str] | None = None
    ) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        """Sphinx's form of the register: a head, then a sub-entry per text; nothing folds."""
        content: list[tuple[str, list[IndexEntry]]] = []
        for group, entries in self.register(docnames):
            rows: list[IndexEntry] = []
            for entry in entries:
                rows.append(IndexEntry(entry.head.name, 1, entry.page, entry.anchor,
                                       entry.head.extra, "", ""))
                for text in entry.texts:
                    places = ", ".join(place.label for place in text.places)
                    rows.append(IndexEntry(SUB_ENTRY_MARK + text.title, 2, text.docname,
                                           text.places[0].anchor, places, "", ""))
            content.append((group, rows))
        # False: the entries are not folded behind toggles; a register shows its lines.
        return content, False
