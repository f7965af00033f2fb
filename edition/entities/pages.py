"""Entity pages: a generated page for every entity the texts name, and a page listing them.

Which entities have a page is known only once the texts are read: an entity of the registry
that no text mentions (and no article names as its author) has no page, no line in the
overview and no entry in the registers (``EntityDomain.mentioned_entities``). So the pages are
made at ``env-updated``, after the reading: a MyST page for each such entity is written into
``<srcdir>/<edition_generated>/entities/<id>.md`` (only when its text changes, so unchanged
pages are not read again), with ``index.md`` holding the overview table
(``{entity-overview}``: names in every script and pinyin, type, mentions and texts; filtered
and sorted in the browser by ``static/edition-register.js``) and the toctrees; the new and
changed pages are read then, and written with the others. An entity no text names any more
loses its page, as a deleted page would.

Each page holds an ``{entity}`` directive: it shows the entity's labels in every script, its
description and Wikidata link when reading, and a placeholder that is filled at
``doctree-resolved`` with the articles the person wrote (saying which attributions are
editorial, and why) and the register of its mentions: grouped by article (with its date), one
line per paragraph (with a count when the name recurs), each with the words around the name as
the text writes them, linked to the paragraph. Being real documents, the pages are in the
toctree and the search index.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx.errors import NoUri
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from converters.common.markup import escape_literal
from converters.common.registry import ID_PATTERN
from converters.common.script import is_cjk, is_han
from edition.article.listings import reading_order
from edition.article.placeholders import PlaceholderDirective, listing
from edition.entities.domain import (
    CONTEXT_CHARS,
    PUBLISHED,
    SCRIPTS,
    Entity,
    EntityDomain,
    Mention,
    entity_anchor,
    entity_domain,
    entity_sort_key,
    language_classes,
    registry_path,
    sentence_parts,
)
from edition.entities.indices import place_label
from edition.entities.names import pinyin
from edition.security.files import remove_file, write_if_changed

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import OptionSpec

logger = logging.getLogger(__name__)

#: Where a Wikidata id leads.
WIKIDATA_URL = "https://www.wikidata.org/wiki/"

#: Headings of the generated list page, one toctree per registry type (the registry's
#: ``company`` also covers parties and agencies, which are not companies).
TYPE_CAPTIONS: dict[str, str] = {"company": "Companies and organisations", "person": "People"}
#: How each registry type is named to readers, in the overview.
TYPE_NAMES: dict[str, str] = {"company": "company or organisation", "person": "person"}
#: Columns of the overview table.
OVERVIEW_COLUMNS: tuple[str, ...] = (
    "English", "Simplified", "Traditional", "Pinyin", "Type", "Mentions", "Texts",
)
#: Static script (overview page only) that filters and sorts the table.
OVERVIEW_SCRIPT = "edition-register.js"
#: Characters of text shown on each side of a mention on an entity page.
KWIC_CHARS = 60


class entity_overview(listing):  # lower case, as docutils names nodes
    """Placeholder for the table of every entity, filled when the page is resolved."""


class entity_mentions(nodes.General, nodes.Element):  # lower case, as docutils names nodes
    """Placeholder for an entity's articles and mentions, filled when the page is resolved."""


def entity_page_source(entity: Entity) -> str:
    """The MyST text of an entity's page."""
    return (
        f"({entity_anchor(entity.id)})=\n"
        f"# {escape_literal(entity.label)}\n\n"
        f"```{{entity}} {entity.id}\n```\n"
    )


def entities_index_source(entities: list[Entity], timeline: str) -> str:
    """The MyST text of the page listing every entity page, by type, in collation order."""
    # The timeline is linked, not put in this toctree: the root toctree holds it, and a page
    # in two toctrees would be printed twice in the PDF.
    parts = [
        "(edition-entities)=\n# People, companies and organisations\n\n",
        "Every person, company and organisation the texts name has a page listing where they "
        "are mentioned, each mention in its context, and the articles a person wrote. "
        "The table below lists them all, with their names in English, Simplified and "
        "Traditional Chinese and in pinyin, and how often and in how many texts they are "
        "mentioned: type in the box to filter it, choose a column heading to sort it. "
        "The indices list the same by letter: "
        "{ref}`index of companies and organisations <ent-companies>`, "
        "{ref}`index of people <ent-people>`; "
        f"dates are on the {{doc}}`timeline </{timeline}>` and in the "
        "{ref}`index of dates <ent-dates>`.\n\n"
        "```{entity-overview}\n```\n",
    ]
    for entity_type, caption in TYPE_CAPTIONS.items():
        ids = [e.id for e in sorted(entities, key=entity_sort_key) if e.type == entity_type]
        if ids:
            entries = "".join(f"{entity_id}\n" for entity_id in ids)
            parts.append(f"\n```{{toctree}}\n:caption: {caption}\n:maxdepth: 1\n\n{entries}```\n")
    return "".join(parts)


def entity_pages_prefix(app: Sphinx) -> str:
    """The docname prefix of the entity pages and their list page."""
    return f"{app.config.edition_generated}/entities/"


def entities_folder(app: Sphinx) -> Path:
    """The folder the entity pages are generated into."""
    return Path(app.srcdir) / app.config.edition_generated / "entities"


def write_entities_index(app: Sphinx) -> None:
    """Make sure the list page exists before the texts are read (``builder-inited``).

    The edition's contents name it, so it must be found with the other pages; what it lists is
    known once the texts are read (:func:`make_entity_pages`).
    """
    path = entities_folder(app) / "index.md"
    if not path.is_file():
        domain = entity_domain(app.env)
        write_if_changed(path, entities_index_source(
            [domain.registry[e] for e in sorted(domain.mentioned_entities)],
            domain.timeline_docname()))


#: Per application and build: the entity pages Sphinx was about to read, left until the texts
#: are read (:func:`wait_for_the_texts`, :func:`make_entity_pages`).
_WAITING: WeakKeyDictionary[Sphinx, set[str]] = WeakKeyDictionary()


def wait_for_the_texts(app: Sphinx, _env: BuildEnvironment, docnames: list[str]) -> None:
    """Leave the entity pages out of the reading until every text is read.

    (``env-before-read-docs``; Sphinx's list is changed in place, as the event allows.) Which
    entities have a page depends on what the texts mention, which is known only then.
    """
    prefix = entity_pages_prefix(app)
    waiting = {docname for docname in docnames if docname.startswith(prefix)}
    docnames[:] = [docname for docname in docnames if docname not in waiting]
    _WAITING[app] = waiting


def entity_page_sources(app: Sphinx, domain: EntityDomain) -> dict[str, str]:
    """The MyST text of each page to generate, by file name: the mentioned entities, the list."""
    pages: dict[str, str] = {}
    mentioned = [domain.registry[entity_id] for entity_id in sorted(domain.mentioned_entities)]
    for entity in mentioned:
        # An id names its page's file: only an id of the registry's pattern is joined to the
        # folder (the registry's loader refuses others; a page is not where that is trusted).
        if ID_PATTERN.fullmatch(entity.id):
            pages[f"{entity.id}.md"] = entity_page_source(entity)
        else:
            logger.error("entity id %r is not a registry id: no page written for it", entity.id,
                         location=f"{registry_path(app)}:{entity.line}", type="edition",
                         subtype="registry")
    pages["index.md"] = entities_index_source(mentioned, domain.timeline_docname())
    return pages


def make_entity_pages(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Generate a page for every mentioned entity, once the texts are read (``env-updated``).

    The folder is made to hold exactly those pages and their list (an entity no text names any
    more loses its page, as a deleted page is forgotten); the pages that are new, changed or
    were waiting are read now, the way Sphinx reads a page, and returned to be written.
    """
    domain = entity_domain(env)
    waiting = _WAITING.pop(app, set())
    folder = entities_folder(app)
    pages = entity_page_sources(app, domain)
    written = {name for name, text in sorted(pages.items())
               if write_if_changed(folder / name, text)}
    # The folder is generated, never edited: anything else in it goes.
    stale = [path for path in sorted(folder.glob("*.md")) if path.name not in pages]
    for path in stale:
        remove_file(path)
    if written or stale:
        env.find_files(app.config, app.builder)
    prefix = entity_pages_prefix(app)
    for docname in sorted(d for d in env.all_docs if d.startswith(prefix)
                          and d not in env.found_docs):
        app.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
    to_read = sorted(
        docname for docname in env.found_docs if docname.startswith(prefix)
        and (docname in waiting or docname not in env.all_docs
             or f"{docname[len(prefix):]}.md" in written))
    for docname in to_read:
        app.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
        app.builder.read_doc(docname)
    return to_read


class EntityDirective(SphinxDirective):
    """``{entity} <id>``: the body of an entity page."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[Node]:
        """Labels, description and Wikidata link now; mentions once all documents are read."""
        entity = entity_domain(self.env).registry.get(self.arguments[0])
        if entity is None:
            logger.warning(
                "unknown entity id %r in {entity}", self.arguments[0],
                location=self.get_location(), type="edition", subtype="entity",
            )
            return []
        result: list[Node] = []
        if entity.description:
            result.append(nodes.paragraph(entity.description, entity.description))
        result.append(entity_fields(entity))
        placeholder = entity_mentions(entity=entity.id, docname=self.env.docname)
        self.set_source_info(placeholder)
        result.append(placeholder)
        return result


def entity_fields(entity: Entity) -> nodes.field_list:
    """The entity's labels per script, aliases, type and Wikidata link, as a field list."""
    fields = nodes.field_list(classes=["entity-labels"])

    def add(name: str, *body: nodes.Node) -> None:
        fields.append(nodes.field(
            "", nodes.field_name(name, name), nodes.field_body("", nodes.paragraph("", "", *body))
        ))

    for script, script_name in SCRIPTS.items():
        value = entity.labels.get(script, "")
        if value:
            # The language-* class makes the HTML writer emit lang="…" for screen readers.
            add(script_name, nodes.inline(value, value, classes=[f"language-{script}"]))
    reading = pinyin(entity)
    if reading:
        add("Pinyin", nodes.inline(reading, reading, classes=["entity-pinyin"]))
    if entity.aliases:
        aliases = ", ".join(entity.aliases)
        add("Also written", nodes.Text(aliases))
    add("Type", nodes.Text(entity.type))
    if entity.wikidata:
        url = WIKIDATA_URL + entity.wikidata
        add("Wikidata", nodes.reference(entity.wikidata, entity.wikidata, refuri=url))
    return fields


def link(
    app: Sphinx, fromdocname: str, todocname: str, anchor: str, text: str, classes: list[str]
) -> nodes.Node:
    """A link to a place in a document; plain text where the builder has no URI for it."""
    content = nodes.inline(text, text, classes=classes)
    try:
        return make_refnode(app.builder, fromdocname, todocname, anchor, content)
    except NoUri:
        return content


def heading(text: str) -> nodes.rubric:
    """A heading inside a resolved block (a rubric rendered as ``<h2>`` in HTML)."""
    rubric = nodes.rubric(text, text)
    rubric["heading-level"] = 2
    return rubric


#: What is left out of a cut snippet.
ELLIPSIS = "\u2026"
#: A Latin word (or the part of one) at the edge of a text: letters, digits, apostrophes.
LATIN_WORD = "[0-9A-Za-z\u00c0-\u024f'\u2019-]+"
LATIN_HEAD = re.compile(f"^{LATIN_WORD}")
_LATIN_CHAR = re.compile(f"{LATIN_WORD[:-1]}")


def latin_tail_start(text: str) -> int | None:
    """Where the Latin word at the end of ``text`` starts (None when it ends otherwise).

    Read backwards in Python: ``LATIN_WORD$`` searched from every start is quadratic.
    """
    start = len(text)
    while start > 0 and _LATIN_CHAR.fullmatch(text[start - 1]):
        start -= 1
    return start if start < len(text) else None
#: Where a Chinese clause ends inside a sentence: a cut snippet starts after one, or ends
#: before one.
CLAUSE_MARK = re.compile(r"[，、；：,;:]")
#: What a cut snippet does not begin or end with: spaces and the marks between clauses (the
#: ellipsis stands for what they separated).
EDGE_MARKS = " ,;:，、；："
#: How far from its edge a cut text is searched for a clause mark (a share of its length):
#: beyond it the snippet would lose more than it shows.
CLAUSE_REACH = 0.5


def clip_start(text: str) -> str:
    """A text cut at its start, from its first whole word or Chinese clause, after an ellipsis.

    A text that begins with a space began between words; one that begins with a letter may
    have lost the beginning of that word, which is dropped.
    """
    kept = text
    if text and not text[0].isspace():
        word = LATIN_HEAD.match(text)
        if word is not None and word.end() < len(text):
            kept = text[word.end():]
        elif is_han(text[0]):
            marks = [m for m in CLAUSE_MARK.finditer(text) if m.end() <= len(text) * CLAUSE_REACH]
            if marks:
                kept = text[marks[0].end():]
    kept = kept.lstrip(EDGE_MARKS)
    if not kept:
        return ELLIPSIS
    return f"{ELLIPSIS}{'' if is_cjk(kept[0]) else ' '}{kept}"


def clip_end(text: str) -> str:
    """A text cut at its end, to its last whole word or Chinese clause, before an ellipsis.

    A text that ends with a space ended between words; one that ends with a letter may have
    lost the end of that word, which is dropped.
    """
    kept = text
    if text and not text[-1].isspace():
        start = latin_tail_start(text)
        if start is not None and start > 0:
            kept = text[:start]
        elif is_han(text[-1]):
            marks = [m for m in CLAUSE_MARK.finditer(text)
                     if m.start() >= len(text) * (1 - CLAUSE_REACH)]
            if marks:
                kept = text[:marks[-1].start()]
    kept = kept.rstrip(EDGE_MARKS)
    if not kept:
        return ELLIPSIS
    return f"{kept}{'' if is_cjk(kept[-1]) else ' '}{ELLIPSIS}"


def kwic_window(before: str, after: str) -> tuple[str, str]:
    """The words around a mention: at most :data:`KWIC_CHARS` characters each side.

    Cut between words or clauses, with an ellipsis where the paragraph goes on.
    """
    left = clip_start(before[-KWIC_CHARS:]) if len(before) > KWIC_CHARS else before
    right = clip_end(after[:KWIC_CHARS]) if len(after) > KWIC_CHARS else after
    return left, right


def sentence_window(mention: Mention) -> tuple[str, str]:
    """The words of a mention's sentence before and after it.

    With an ellipsis where the sentence runs beyond the context the mention keeps
    (:data:`CONTEXT_CHARS` characters each side).
    """
    before, after = sentence_parts(mention.before, mention.text, mention.after)
    # The context was cut, and no sentence boundary was found inside it.
    if len(mention.before) >= CONTEXT_CHARS and before == mention.before.lstrip():
        before = clip_start(mention.before)
    if len(mention.after) >= CONTEXT_CHARS and after == mention.after.rstrip():
        after = clip_end(mention.after)
    return before, after


def mention_line(mention: Mention, kind: str) -> nodes.inline:
    """A mention in its context: the words around an entity, the sentence of a date."""
    if kind == "date":
        before, after = sentence_window(mention)
    else:
        before, after = kwic_window(mention.before, mention.after)
    return nodes.inline(
        "",
        "",
        nodes.Text(before),
        nodes.strong(mention.text, mention.text, classes=["mention-text"]),
        nodes.Text(after),
        classes=["kwic", *language_classes(mention.language)],
    )


def article_heading(
    app: Sphinx, domain: EntityDomain, fromdocname: str, docname: str
) -> nodes.paragraph:
    """An article's title, linked, with its publication date (marked when editorial)."""
    title = domain.title_of(docname)
    title_classes = ["article", *language_classes(domain.languages.get(docname, ""))]
    para = nodes.paragraph("", "", link(app, fromdocname, docname, "", title, title_classes))
    publication = domain.publications.get(docname)
    if publication is not None:
        supplied = ", date supplied by the editors" if publication.editorial else ""
        date = f" ({publication.iso}{supplied})"
        date_node = nodes.inline(date, date, classes=["article-date"])
        para += date_node
    return para


def mentions_block(
    app: Sphinx, domain: EntityDomain, fromdocname: str, target: str, kind: str
) -> list[nodes.Node]:
    """Mentions grouped by article, one line per paragraph, each in context and linked to it."""
    by_doc: dict[str, dict[str, list[Mention]]] = {}
    for mention in domain.mentions_of(target, kind):
        by_doc.setdefault(mention.docname, {}).setdefault(mention.anchor, []).append(mention)
    publications = domain.published_on(target) if kind == "date" else []
    if not by_doc and not publications:
        return [nodes.paragraph("", "Not mentioned in the texts.")]
    items = nodes.bullet_list(classes=["entity-mentions"])
    for publication in publications:
        title = domain.title_of(publication.docname)
        classes = ["article", *language_classes(domain.languages.get(publication.docname, ""))]
        para = nodes.paragraph("", "", nodes.Text(f"{PUBLISHED}: "), link(
            app, fromdocname, publication.docname, publication.anchor, title, classes
        ))
        if publication.editorial:
            note = " (date supplied by the editors)"
            para += nodes.inline(note, note, classes=["editorial-attribution"])
        items += nodes.list_item("", para, classes=["publication"])
    order = reading_order(domain.env)
    for docname, places in sorted(
            by_doc.items(), key=lambda item: (order.get(item[0], len(order)), item[0])):
        item = nodes.list_item()
        item += article_heading(app, domain, fromdocname, docname)
        lines = nodes.bullet_list()
        for anchor, mentions in places.items():
            where = place_label(anchor) or anchor
            place = link(app, fromdocname, docname, anchor, where, ["place"])
            para = nodes.paragraph("", "", place)
            if len(mentions) > 1:
                count = f" ×{len(mentions)}"
                para += nodes.inline(count, count, classes=["mention-count"])
            # One context per language: a parallel pair names the entity in both columns.
            shown: set[str] = set()
            for mention in mentions:
                if mention.language in shown:
                    continue
                shown.add(mention.language)
                para += nodes.Text(" ")
                para += mention_line(mention, kind)
            lines += nodes.list_item("", para)
        item += lines
        items += item
    return [items]


def authorship_block(
    app: Sphinx, domain: EntityDomain, fromdocname: str, person: str
) -> list[nodes.Node]:
    """The articles a person wrote; editorial attributions say so, with the editors' reason."""
    authored = domain.authored_by(person)
    if not authored:
        return []
    items = nodes.bullet_list(classes=["entity-articles"])
    for authorship in authored:
        title = domain.title_of(authorship.docname)
        classes = ["article", *language_classes(domain.languages.get(authorship.docname, ""))]
        para = nodes.paragraph(
            "", "", link(app, fromdocname, authorship.docname, "", title, classes)
        )
        if authorship.editorial:
            note = " — attribution supplied by the editors"
            note += f": {authorship.reason}" if authorship.reason else ""
            para += nodes.inline(note, note, classes=["editorial-attribution"])
        items += nodes.list_item("", para)
    return [heading("Articles"), items]


class EntityOverviewDirective(PlaceholderDirective):
    """``{entity-overview}``: the table of every entity, made when the page is resolved."""

    placeholder = entity_overview


def overview_table(app: Sphinx, domain: EntityDomain, fromdocname: str) -> nodes.table:
    """Every entity the texts name: names in each script and pinyin, type, mentions, texts."""
    table = nodes.table(classes=["entity-overview"])
    group = nodes.tgroup(cols=len(OVERVIEW_COLUMNS))
    table += group
    for _column in OVERVIEW_COLUMNS:
        group += nodes.colspec(colwidth=1)

    def entry(*content: nodes.Node, classes: list[str] | None = None) -> nodes.entry:
        return nodes.entry("", nodes.paragraph("", "", *content), classes=classes or [])

    group += nodes.thead("", nodes.row("", *(
        entry(nodes.Text(name)) for name in OVERVIEW_COLUMNS
    )))
    body = nodes.tbody()
    named = [domain.registry[entity_id] for entity_id in domain.mentioned_entities]
    for entity in sorted(named, key=entity_sort_key):
        mentions = domain.mentions_of(entity.id, "entity")
        texts = {m.docname for m in mentions if domain.is_article(m.docname)}
        page = domain.entity_docname(entity.id)
        english = link(app, fromdocname, page, entity_anchor(entity.id), entity.label, [])
        cells = [entry(english)]
        for script in ("zh-Hans", "zh-Hant"):
            value = entity.labels.get(script, "")
            cells.append(entry(nodes.inline(value, value, classes=language_classes(script))))
        reading = pinyin(entity)
        cells.append(entry(nodes.inline(reading, reading, classes=language_classes(
            "zh-Latn-pinyin" if reading else ""
        ))))
        cells.append(entry(nodes.Text(TYPE_NAMES.get(entity.type, entity.type))))
        cells.append(entry(nodes.Text(str(len(mentions))), classes=["number"]))
        cells.append(entry(nodes.Text(str(len(texts))), classes=["number"]))
        body += nodes.row("", *cells)
    group += body
    return table


def fill_entity_overview(app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """Replace the ``{entity-overview}`` placeholder by the table (``doctree-resolved``)."""
    domain = entity_domain(app.env)
    for node in list(doctree.findall(entity_overview)):
        node.replace_self(overview_table(app, domain, node["docname"]))


def add_overview_script(
    app: Sphinx, pagename: str, _templatename: str, _context: dict[str, Any], _doctree: Any
) -> None:
    """Serve the table's filter and sort script with the overview page only."""
    if pagename == entity_domain(app.env).entities_index_docname():
        app.add_js_file(OVERVIEW_SCRIPT, loading_method="defer")


def fill_entity_pages(app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """Replace each ``{entity}`` placeholder by the articles and mentions (``doctree-resolved``)."""
    domain = entity_domain(app.env)
    for node in list(doctree.findall(entity_mentions)):
        # The placeholder's own document, not ``docname``: LaTeX resolves the whole book at
        # once under the root document's name, and links are relative to where they stand.
        here = node["docname"]
        entity_id = node["entity"]
        content = authorship_block(app, domain, here, entity_id)
        if domain.mentions_of(entity_id) or not content:
            # A person the texts name only as an author has their articles and nothing more.
            content += [heading("Mentions"),
                        *mentions_block(app, domain, here, entity_id, "entity")]
        node.replace_self(content)


def setup_entity_pages(app: Sphinx) -> None:
    """Register page generation, the ``entity`` directive and its resolution."""
    app.add_node(entity_mentions)
    app.add_node(entity_overview)
    app.add_directive("entity", EntityDirective)
    app.add_directive("entity-overview", EntityOverviewDirective)
    app.connect("doctree-resolved", fill_entity_overview)
    app.connect("html-page-context", add_overview_script)
    # After the registry is loaded (priority 400).
    app.connect("builder-inited", write_entities_index, priority=500)
    # Before the other handlers see the list (the boundary, the reading order: 500).
    app.connect("env-before-read-docs", wait_for_the_texts, priority=200)
    # After changed.py has noted what the build read (100), before the TEI and exports (600).
    app.connect("env-updated", make_entity_pages, priority=300)
    app.connect("doctree-resolved", fill_entity_pages)
