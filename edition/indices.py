"""The edition's indices: one generic index of things mentioned, which every index kind extends.

An index kind says which things it lists (:meth:`MentionIndex.heads`), where each is mentioned
(:meth:`MentionIndex.places`) and how its head entry reads (:meth:`MentionIndex.head`); the base
class groups the entries, keeps only the places of the documents asked for, and points a head at
the thing's own page when the edition has one. A new kind is registered on the ``ent`` domain
with ``app.add_index_to_domain("ent", MyIndex)``; Sphinx then writes its page (``ent-<name>``)
in HTML and lists it in the PDF's indices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple, cast

from sphinx.domains import Index, IndexEntry

if TYPE_CHECKING:
    from .entities import EntityDomain

#: Start of an index sub-entry's name: the LaTeX index writer does not indent sub-entries, so
#: without it a place would read, in the PDF, like an entry of its own.
SUB_ENTRY_MARK = "\u2013 "


class Place(NamedTuple):
    """Where a thing is mentioned: a document, the anchor there, and two short notes."""

    docname: str
    anchor: str
    #: Shown beside the entry (e.g. the paragraph number).
    extra: str
    #: The entry's description (e.g. the sentence around the mention).
    description: str


class Head(NamedTuple):
    """An index head: the thing's name, the group it is listed under, and its own page."""

    name: str
    group: str
    #: The document and anchor of the thing's own page (used when that page is built).
    page: str
    anchor: str
    #: Shown beside the head (e.g. a name in Chinese).
    extra: str = ""


class MentionIndex(Index):
    """An index of things mentioned in the edition: one head per thing, one sub-entry per place."""

    def heads(self, domain: EntityDomain) -> Iterable[str]:
        """The keys of the things listed, in the index's order."""
        raise NotImplementedError

    def places(self, domain: EntityDomain, key: str) -> Iterable[tuple[str, str, str, str]]:
        """Where a thing is mentioned, in reading order (:class:`Place` tuples)."""
        raise NotImplementedError

    def head(self, domain: EntityDomain, key: str) -> Head:
        """The head entry of a thing."""
        raise NotImplementedError

    def place_name(self, domain: EntityDomain, _key: str, place: Place) -> str:
        """The name of a sub-entry: the title of the document the mention is in."""
        return SUB_ENTRY_MARK + domain.title_of(place.docname)

    def generate(
        self, docnames: Iterable[str] | None = None
    ) -> tuple[list[tuple[str, list[IndexEntry]]], bool]:
        """Heads with their places, grouped; groups sorted by name (sub-entries collapse)."""
        domain = cast("EntityDomain", self.domain)
        wanted = set(docnames) if docnames is not None else None
        groups: dict[str, list[IndexEntry]] = defaultdict(list)
        for key in self.heads(domain):
            subs = [
                IndexEntry(self.place_name(domain, key, place), 2, place.docname, place.anchor,
                           place.extra, "", place.description)
                for place in map(Place._make, self.places(domain, key))
                if wanted is None or place.docname in wanted
            ]
            if not subs:
                continue
            head = self.head(domain, key)
            if head.page in domain.env.all_docs and (wanted is None or head.page in wanted):
                doc, anchor = head.page, head.anchor
            else:
                doc, anchor = subs[0].docname, subs[0].anchor
            groups[head.group].extend([IndexEntry(head.name, 1, doc, anchor, head.extra, "", ""),
                                       *subs])
        return sorted(groups.items()), True
