"""Related articles: at the end of each article, the others that mention the same entities.

Ranking: by the number of distinct registry entities both articles mention (more first), ties
by title; articles sharing none are not listed, and at most ``edition_related_max`` (5) are.
Each line names the shared entities. A placeholder is added to every article when it is read
and filled at ``doctree-resolved``, once every article's mentions are known.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes

from edition.entities.domain import EntityDomain, entity_domain, entity_sort_key, language_classes
from edition.entities.pages import heading, link

if TYPE_CHECKING:
    from sphinx.application import Sphinx


class related_articles(nodes.General, nodes.Element):  # lower case, as docutils names nodes
    """Placeholder for an article's related articles, filled when the article is resolved."""


class Related(NamedTuple):
    """Another article and what it shares with this one."""

    #: The other article.
    docname: str
    #: Its title.
    title: str
    #: Registry ids mentioned by both, in collation order.
    shared: list[str]


def rank_related(domain: EntityDomain, docname: str, limit: int | None = None) -> list[Related]:
    """Other articles ranked by shared entities (more first), ties by title; the first ``limit``.

    Only the articles that mention one of this article's entities are looked at (through the
    domain's table of documents by entity), not the whole collection for every article.
    """
    # Any shared id makes an article related; only ids of the registry are listed and counted.
    mine = domain.entities_of(docname)
    registry = domain.registry
    found: Counter[str] = Counter()
    for entity in mine:
        documents = domain.documents_of(entity)
        if entity in registry:
            found.update(documents)
        else:
            for other in documents:
                found.setdefault(other, 0)
    listed = Counter({other: shared for other, shared in found.items()
                      if other != docname and domain.is_article(other)})
    if limit is not None and 0 < limit < len(listed):
        # Only an article sharing at least as many as the limit-th most is ranked by title: in
        # a large collection most articles share some common entity with every other one, and
        # titling each of them for every article made the build quadratic in its texts.
        least = heapq.nlargest(limit, listed.values())[-1]
        candidates = [other for other, shared in listed.items() if shared >= least]
    else:
        candidates = list(listed)
    others = sorted(candidates, key=lambda o: (-listed[o], domain.title_of(o), o))
    related: list[Related] = []
    for other in others if limit is None else others[:limit]:
        shared = set(domain.entities_of(other)).intersection(mine)
        ordered = [
            e.id for e in sorted(
                (domain.registry[i] for i in shared if i in domain.registry), key=entity_sort_key
            )
        ]
        related.append(Related(other, domain.title_of(other), ordered))
    return related


def add_placeholder(app: Sphinx, doctree: nodes.document) -> None:
    """Put the placeholder at the end of an article's main section (``doctree-read``)."""
    docname = app.env.docname
    if not entity_domain(app.env).is_article(docname):
        return
    section = doctree.next_node(nodes.section)
    (section if section is not None else doctree).append(related_articles(docname=docname))


def fill_related(app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """Replace each placeholder by the ranked list, or drop it (``doctree-resolved``)."""
    domain = entity_domain(app.env)
    for node in list(doctree.findall(related_articles)):
        # The article's own name, not ``docname``: LaTeX resolves the whole book at once.
        fromdocname = node["docname"]
        # Capped: in a large collection most articles share some entity, and an unbounded list
        # makes every page, and so the build, grow with the collection.
        ranked = rank_related(domain, fromdocname, app.config.edition_related_max)
        if not ranked:
            node.parent.remove(node)
            continue
        items = nodes.bullet_list()
        for other in ranked:
            labels = ", ".join(domain.registry[i].label for i in other.shared)
            classes = ["article", *language_classes(domain.languages.get(other.docname, ""))]
            para = nodes.paragraph(
                "", "", link(app, fromdocname, other.docname, "", other.title, classes)
            )
            note = f" — shares {len(other.shared)}: {labels}"
            para += nodes.inline(note, note, classes=["related-shared"])
            items += nodes.list_item("", para)
        node.replace_self(
            nodes.container("", heading("Related articles"), items, classes=["related-articles"])
        )


def setup_related(app: Sphinx) -> None:
    """Register the related-articles block."""
    app.add_node(related_articles)
    app.connect("doctree-read", add_placeholder)
    app.connect("doctree-resolved", fill_related)
