"""What each page gives the search index, and what the search page knows of names and pages.

Sphinx's indexer reads every word of a page. The edition says what it reads
(``doctree-resolved``, before the page is indexed):

* a text and the edition's own pages: their words, not the apparatus around an article (its
  citation block, its related articles, the addresses and archive links of its notes);
* a generated page (an entity's page, the register, the timeline): its headings, and for an
  entity its names and description — never the passages of the texts it quotes, which would
  make it a result for every word of them; the page of an entity no text mentions: nothing;
* then the index term of every entity the page mentions or writes a name of, tagged or not
  (found as the tagger finds mentions), and of every search alias of the registry it writes.

The search page is served every name of every entity and search alias, with its term, and the
folders of the texts and of the generated pages: ``static/edition-search.js`` makes a query
that is a name find the pages of its term in addition to those of its words, ranks the texts
first, and cuts each snippet from the paragraph that holds the query.
"""

from __future__ import annotations

import json
import re
import weakref
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from converters.common.matching import find_names
from converters.common.registry import (
    Entity,
    Registry,
    RegistryError,
    SearchAlias,
    fold,
    load_registry,
)
from edition.citation.robustlinks import ARCHIVE_TEXT, robust_link
from edition.entities.domain import EntityDomain, entity_domain, registry_path
from edition.entities.names import label_pinyin, search_key, search_keys
from edition.security.files import write_if_changed

#: Builders whose pages are searched in the browser (the index terms are added for them only).
SEARCH_BUILDERS: tuple[str, ...] = ("html", "dirhtml")
#: Static script (search page only): every name of the registry and search alias with its
#: index term.
NAMES_SCRIPT_NAME = "edition-search-names.js"
#: Start of the index term standing for an entity: an English word no text contains.
ENTITY_TERM_PREFIX = "edentity"
#: Start of the index term standing for a search alias of the registry (then its position).
ALIAS_TERM_PREFIX = "edalias"
#: Start of the id a search alias is found under with the entities' names (not an entity id).
ALIAS_ID_PREFIX = "alias "
#: The class Sphinx's indexer skips a node by (``sphinx.search.WordCollector``).
NO_SEARCH = "no-search"
#: Classes of the apparatus around an article's text that the index leaves out: the citation
#: block (the header's title, author and date again, addresses, BibTeX) and the list of related
#: articles (other articles' titles and names: "China envy" would find every article listing
#: the column). The header and the editorial notes stay: an editorial author is found.
APPARATUS_CLASSES: frozenset[str] = frozenset({"edition-citation", "related-articles"})
#: Priority of the ``doctree-resolved`` listener: after the listeners that fill the generated
#: pages and the related articles (500), so that what they add is known.
PREPARE_PRIORITY = 800
#: The class of the node holding the entity and alias terms of a page (the index places each
#: on the paragraphs that write or mention its names: edition/search_index.py).
TERM_LIST_CLASS = "edition-search-term-list"
#: A web address shown as a link's text.
ADDRESS = re.compile(r"^(?:https?://|www\.)\S*$")


class search_terms(nodes.Element):  # lower case, as docutils names nodes
    """Words for the search index only: every writer skips the node, the indexer reads it."""


def skip_node(_self: Any, _node: nodes.Element) -> None:
    """Visitor of :class:`search_terms` in every writer: shown nowhere."""
    raise nodes.SkipNode


def entity_term(entity_id: str) -> str:
    """The index term standing for an entity: letters only, so that no splitter cuts it."""
    return ENTITY_TERM_PREFIX + "".join(c for c in entity_id if c.isalnum())


def alias_term(position: int) -> str:
    """The index term standing for the registry's search alias at ``position``."""
    return f"{ALIAS_TERM_PREFIX}{position}"


def mentioned_in_a_text(domain: EntityDomain, entity_id: str) -> bool:
    """Whether an article mentions the entity or names it as its author."""
    return (any(domain.is_article(docname) for docname in domain.documents_of(entity_id))
            or any(domain.is_article(a.docname) for a in domain.authored_by(entity_id)))


def skip_in_index(node: nodes.Element) -> None:
    """Leave a node and everything in it out of the search index."""
    if NO_SEARCH not in node["classes"]:
        node["classes"].append(NO_SEARCH)


def index_headings_only(doctree: nodes.document, *, rubrics: bool = True) -> None:
    """Leave everything but the headings of a page out of the index.

    Headings are section titles and, unless ``rubrics`` is false, rubrics (the timeline's
    years).
    """
    kept = (nodes.title, nodes.section, nodes.rubric) if rubrics else (nodes.title, nodes.section)
    for section in doctree.findall(nodes.section):
        for child in section.children:
            if isinstance(child, nodes.Element) and not isinstance(child, kept):
                skip_in_index(child)


def skip_apparatus(doctree: nodes.document) -> None:
    """Leave an article's apparatus and the addresses of its links out of the index."""
    for node in doctree.findall(nodes.Element):
        if APPARATUS_CLASSES.intersection(node["classes"]):
            skip_in_index(node)
    for reference in doctree.findall(nodes.reference):
        text = reference.astext().strip()
        archive = isinstance(reference.parent, robust_link) and text == ARCHIVE_TEXT
        if archive or ADDRESS.match(text):
            skip_in_index(reference)


def indexed_text(doctree: nodes.document) -> str:
    """The words of a page the index reads, one line per paragraph, title or other text block.

    As Sphinx's indexer: comments, raw markup and what is marked ``no-search`` are left out.
    """
    parts: list[str] = []

    def walk(node: nodes.Node) -> None:
        if isinstance(node, nodes.Text):
            parts.append(node.astext())
            return
        if isinstance(node, nodes.comment | nodes.raw) or (
                isinstance(node, nodes.Element) and NO_SEARCH in node["classes"]):
            return
        block = isinstance(node, nodes.TextElement)
        if block:
            parts.append("\n")
        for child in node.children:
            walk(child)
        if block:
            parts.append("\n")

    walk(doctree)
    return "".join(parts)


#: Each registry with its search aliases as name holders, for :func:`names_written`.
_WITH_ALIASES: weakref.WeakKeyDictionary[Registry, Registry] = weakref.WeakKeyDictionary()


def with_aliases(registry: Registry) -> Registry:
    """The registry, and each search alias as one more holder of names (id ``alias N``)."""
    found = _WITH_ALIASES.get(registry)
    if found is None:
        holders = tuple(
            Entity(id=f"{ALIAS_ID_PREFIX}{position}", type="", label=alias.names[0], labels={},
                   aliases=alias.names[1:], description="", wikidata="")
            for position, alias in enumerate(registry.search_aliases))
        found = Registry(entities=(*registry.entities, *holders),
                         not_entities=registry.not_entities, path=registry.path)
        _WITH_ALIASES[registry] = found
    return found


def names_written(text: str, registry: Registry) -> list[str]:
    """The index terms of every entity and search alias a text writes a name of, once each.

    Found as the tagger finds mentions (whole Latin words, case rules, ``not_entities``
    blocking longer phrases): the search finds a text that writes a name it never tagged.
    """
    terms: dict[str, None] = {}
    for _start, _end, target in find_names(text, with_aliases(registry)):
        if target.startswith(ALIAS_ID_PREFIX):
            terms.setdefault(alias_term(int(target[len(ALIAS_ID_PREFIX):])))
        elif target:
            terms.setdefault(entity_term(target))
    return list(terms)


def page_registry(app: Sphinx) -> Registry | None:
    """The registry the pages are searched with (``None`` without one; the domain says why)."""
    path = registry_path(app)
    if not path.is_file():
        return None
    try:
        return load_registry(path)
    except RegistryError:
        return None


def entity_of_page(domain: EntityDomain, docname: str) -> str | None:
    """The id of the entity a generated page is about (``None`` for other pages)."""
    prefix = domain.entity_docname("")
    if not docname.startswith(prefix):
        return None
    entity_id = docname[len(prefix):]
    return entity_id if entity_id in domain.registry else None


def prepare_for_index(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Say what of a page the search index reads, and give it the terms of the names it has.

    Texts and the edition's pages: their words without the apparatus. Generated pages: their
    headings; an entity's page also its names and description, unless no text mentions the
    entity (then nothing at all). Then the index term of every entity the page mentions or
    writes a name of, and of every search alias it writes.
    """
    if app.builder.name not in SEARCH_BUILDERS:
        return
    domain = entity_domain(app.env)
    generated = f"{app.config.edition_generated.strip('/')}/"
    terms: dict[str, None] = {}
    if docname.startswith(generated):
        entity_id = entity_of_page(domain, docname)
        # An entity's page is found by its names and description (below), not its rubrics.
        index_headings_only(doctree, rubrics=entity_id is None)
        if entity_id is not None:
            if not mentioned_in_a_text(domain, entity_id):
                for section in doctree.findall(nodes.section):
                    skip_in_index(section)
                return
            entity = domain.registry[entity_id]
            doctree += search_terms("", nodes.Text(" ".join((*entity.names(),
                                                              entity.description))))
            terms.setdefault(entity_term(entity_id))
    else:
        if domain.is_article(docname):
            skip_apparatus(doctree)
        terms.update(dict.fromkeys(map(entity_term, domain.entities_of(docname))))
    registry = page_registry(app)
    if registry is not None:
        terms.update(dict.fromkeys(names_written(indexed_text(doctree), registry)))
    if terms:
        doctree += search_terms("", nodes.Text(" ".join(terms)), classes=[TERM_LIST_CLASS])


def names_data(registry: dict[str, Entity],
               aliases: tuple[SearchAlias, ...] = ()) -> dict[str, Any]:
    """What the search page knows of names.

    ``names``: one record per entity (its id, index term and names) and per search alias (its
    index term and names); ``keys``: every name key (each name, and the pinyin of Chinese
    ones) -> the position of its record. Nothing in it grows with the collection: the pages'
    groups and their titles' languages are the index's (its manifest and fragments); a map of
    every text's language, which the search before kept here, made this script 55 KB larger at
    1,131 posts, loaded before any result.
    """
    keys: dict[str, int] = {}
    names: list[dict[str, Any]] = []
    for entity_id in sorted(registry):
        entity = registry[entity_id]
        for key in search_keys(entity):
            keys.setdefault(key, len(names))  # the registry refuses a name given to two
        names.append({"id": entity_id, "term": entity_term(entity_id), "names": entity.names()})
    for position, alias in enumerate(aliases):
        forms = [*alias.names, *(label_pinyin(fold(name)) for name in alias.names)]
        for key in sorted({search_key(form) for form in forms} - {""}):
            keys.setdefault(key, len(names))
        names.append({"term": alias_term(position), "names": list(alias.names)})
    return {"keys": keys, "names": names}


#: The builds that write the edition's search, each with its indexer
#: (edition/web/search_index.py registers them).
SEARCH_BUILDS: weakref.WeakKeyDictionary[Sphinx, Any] = weakref.WeakKeyDictionary()


def has_search(app: Sphinx) -> bool:
    """Whether this build writes the edition's search (its index by need and search page)."""
    return app in SEARCH_BUILDS


def names_script(data: dict[str, Any]) -> str:
    """The names data as a script (JSON is valid JavaScript; no HTML context is involved)."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return "window.EDITION_NAMES = " + text + ";\n"


def add_names_script(
    app: Sphinx, pagename: str, _templatename: str, _context: dict[str, Any], _doctree: Any
) -> None:
    """Serve the names data with the search page."""
    if pagename != "search" or not has_search(app):
        return
    domain = entity_domain(app.env)
    registry = page_registry(app)
    data = names_data(domain.registry, registry.search_aliases if registry is not None else ())
    write_if_changed(Path(app.outdir, "_static", NAMES_SCRIPT_NAME), names_script(data))
    app.add_js_file(NAMES_SCRIPT_NAME)


def setup_search_pages(app: Sphinx) -> None:
    """Register what pages give the index, and the names data of the search page."""
    app.connect("doctree-resolved", prepare_for_index, priority=PREPARE_PRIORITY)
    app.connect("html-page-context", add_names_script)
    skip = (skip_node, None)
    app.add_node(search_terms, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
