"""TEI P5 export: every article as ``data/tei/<slug>.xml`` beside the HTML edition.

Made for an HTML build from each article's doctree as it is read, and its front matter; written
once every article is read (:func:`write_tei`):

* ``teiHeader``: title, subtitle, authors, translator, publisher, column, date, addresses and
  languages from the front matter; a value the editors supply carries ``@corresp`` pointing
  to a ``<note type="editorial">`` of the source description that gives their reason (with
  ``@resp="#editors"`` and ``@cert="medium"``); what the editors removed from the source is
  listed in ``editorialDecl``;
* paragraphs, sections and figures with ``@xml:id`` equal to their anchors in the edition
  (``<slug>-pN``: article labels are ASCII words joined by hyphens, always valid NCNames; an id
  that is not one gets the prefix :data:`ID_PREFIX`);
* ``persName`` / ``orgName`` with ``@key`` (the registry id) and ``@ref`` (the entity's page in
  the edition, and its Wikidata item when known); ``date/@when``; the source's links as
  ``<note place="foot">`` with ``ref/@target`` where the edition has its footnotes;
* the bilingual article as ``<p xml:lang>`` pairs: the first keeps the pair's anchor, the
  second has the anchor plus its language, and a ``linkGrp type="translation"`` joins them.

Every value is put into the XML tree as text or attribute by lxml, which escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from docutils import nodes
from lxml import etree
from sphinx import addnodes
from sphinx.domains import Domain
from sphinx.util import logging

from edition.article.frontmatter import get_article_meta
from edition.article.record import ArticleMeta, Removal
from edition.article.text import date_qualifier
from edition.citation.changed import articles_to_write
from edition.entities.domain import (
    EntityDomain,
    entity_domain,
    publication_iso,
)
from edition.security.files import remove_file, write_if_changed
from edition.security.safety import class_language

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
#: Folder of the output holding the TEI files.
TEI_FOLDER = "data/tei"
#: Builders whose output gets the export.
HTML_BUILDERS: tuple[str, ...] = ("html", "dirhtml")
#: Prefix making an anchor a valid ``xml:id`` when it does not start with a letter.
ID_PREFIX = "id-"
#: An XML NCName as the edition's anchors write them (ASCII).
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
#: Where a Wikidata item lives, as a URI.
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
#: Classes of apparatus the edition adds around the text (header, citation): not the text.
APPARATUS_CLASSES = frozenset({"article-header", "edition-citation-bibtex"})
#: A figure's credit line, as the sources write it ("Credit: …").
CREDIT = re.compile(r"^\s*Credit:\s")
#: How certain the editors are of a value they supply (TEI ``teidata.certainty``).
CERT_EDITORIAL = "medium"
#: Licence of the edition's apparatus and data (the texts remain their authors' and
#: publishers'); see the research data page.
DATA_LICENCE = "CC-BY-4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"


def tei(tag: str) -> str:
    """A qualified TEI element name."""
    return f"{{{TEI_NS}}}{tag}"


def xml_id(anchor: str) -> str:
    """An anchor as an ``xml:id``: itself when a valid NCName, else with :data:`ID_PREFIX`."""
    return anchor if NCNAME.match(anchor) else ID_PREFIX + re.sub(r"[^A-Za-z0-9._-]", "-", anchor)


def removal_text(entry: Removal) -> str:
    """One removal recorded in the front matter, in words."""
    text = ": ".join(p for p in (entry.kind, entry.reason) if p)
    if entry.chars:
        text += f" ({entry.chars} characters)"
    return text


def editorial_id(field: str) -> str:
    """The ``xml:id`` of the editors' note on a front-matter field."""
    return xml_id("editorial-" + re.sub(r"[^A-Za-z0-9_-]", "-", field))


def sub(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    """Append a TEI element with text and attributes (``lang``/``id`` become ``xml:`` ones)."""
    element = etree.SubElement(parent, tei(tag))
    for name, value in attrs.items():
        if name in ("lang", "id"):
            element.set(f"{{{XML_NS}}}{name}", value)
        else:
            element.set(name, value)
    if text:
        element.text = text
    return element


def append_text(element: etree._Element, text: str) -> None:
    """Append text after an element's last child (or into it when it has none)."""
    if not text:
        return
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


class ArticleTEI:
    """One article's TEI document, built from its doctree and front matter."""

    def __init__(
        self, domain: EntityDomain, docname: str, document: nodes.document,
        meta: ArticleMeta, page_url: str, entity_url: str,
    ) -> None:
        """Keep what the document's elements are built from."""
        self.domain = domain
        self.docname = docname
        self.document = document
        self.meta = meta
        self.page_url = page_url
        #: Address of an entity page, with ``{id}`` for the registry id.
        self.entity_url = entity_url
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    # -- header

    def marked(self, element: etree._Element, field: str) -> etree._Element:
        """Point an element holding an editorial value at the editors' note giving its reason."""
        if self.meta.is_supplied(field):
            element.set("corresp", f"#{editorial_id(field)}")
        return element

    def names(self, field: str) -> tuple[str, ...]:
        """A front-matter field as its non-empty strings."""
        return self.meta.values(field)

    def authors(self, parent: etree._Element) -> None:
        """The authors; the author of an adapted original in a statement of that role."""
        for author in self.meta.credited_authors:
            if self.meta.original_author_role:
                # not the author of these words: TEI's respStmt says what the person did
                resp = sub(parent, "respStmt")
                sub(resp, "resp", "Author of the original work, which this text adapts")
                self.marked(sub(resp, "name", author), "authors")
            else:
                self.marked(sub(parent, "author", author), "authors")

    def header(self, root: etree._Element) -> None:
        """The ``teiHeader`` from the front matter."""
        header = sub(root, "teiHeader")
        file_desc = sub(header, "fileDesc")
        title = self.domain.title_of(self.docname)
        self.title_statement(file_desc, title)
        self.publication_statement(file_desc)
        self.source_description(sub(sub(file_desc, "sourceDesc"), "bibl"), title)
        self.encoding_and_profile(header)

    def title_statement(self, file_desc: etree._Element, title: str) -> None:
        """The ``titleStmt``: title, subtitles, authors and the edition's responsibility."""
        title_stmt = sub(file_desc, "titleStmt")
        self.marked(sub(title_stmt, "title", title, type="main"), "title")
        for subtitle in self.names("subtitle"):
            self.marked(sub(title_stmt, "title", subtitle, type="sub"), "subtitle")
        self.authors(title_stmt)
        resp = sub(title_stmt, "respStmt", id="editors")
        sub(resp, "resp", "Edition, tagging of names and dates, editorial notes")
        sub(resp, "name", "The editors of Four Texts on China’s Internet")

    def publication_statement(self, file_desc: etree._Element) -> None:
        """The ``publicationStmt``: publisher, availability, licence and the page's address."""
        publication = sub(file_desc, "publicationStmt")
        sub(publication, "publisher", "The editors of Four Texts on China’s Internet")
        availability = sub(publication, "availability", status="restricted")
        sub(availability, "p", "The text is its author’s and publisher’s, reproduced for study.")
        sub(availability, "licence",
            f"The edition’s markup, notes and data: {DATA_LICENCE}.", target=DATA_LICENCE_URL)
        if self.page_url:
            sub(publication, "idno", self.page_url, type="URL")

    def source_description(self, source: etree._Element, title: str) -> None:
        """The source's ``bibl``: who wrote, translated and published it, when and where."""
        self.marked(sub(source, "title", title, level="a"), "title")
        self.authors(source)
        for translator in self.names("translator"):
            self.marked(sub(source, "editor", translator, role="translator"), "translator")
        for column in self.names("column"):
            self.marked(sub(source, "title", column, level="s"), "column")
        for publisher in self.names("publisher"):
            self.marked(sub(source, "publisher", publisher), "publisher")
        for credit in self.names("image_credits"):
            resp = sub(source, "respStmt")
            sub(resp, "resp", "Photographs")
            self.marked(sub(resp, "name", credit), "image_credits")
        date = self.meta.date
        iso = publication_iso(date)
        if iso is not None:
            self.marked(sub(source, "date", date, when=iso), "date")
            qualifier = date_qualifier(self.meta)
            if qualifier:
                # a distributor's post is not the date of publication: the note says so
                sub(source, "note", f"The date is the one its distributor gives: {qualifier}.",
                    type="date")
        for field in ("source_url", "original_url"):
            for url in self.names(field):
                self.marked(sub(source, "ref", url, target=url, type=field), field)
        for field, reason in self.meta.reasons().items():
            note = sub(source, "note", reason or "Supplied by the editors.", type="editorial",
                       resp="#editors", cert=CERT_EDITORIAL, id=editorial_id(field))
            note.set("subtype", re.sub(r"[^A-Za-z0-9_-]", "-", field))

    def encoding_and_profile(self, header: etree._Element) -> None:
        """The ``encodingDesc`` (what the markup means, what was removed) and the languages."""
        removed = [removal_text(r) for r in self.meta.removed]
        encoding = sub(header, "encodingDesc")
        decl = sub(encoding, "editorialDecl")
        sub(decl, "p", "Paragraph identifiers are the edition’s citation anchors. Names of "
            "companies, organisations and people are tagged with the registry id (@key) and "
            "their page (@ref); dates with their ISO value (@when).")
        for item in removed:
            if item:
                sub(decl, "p", f"Removed from the source: {item}")
        languages = self.names("language")
        if languages:
            usage = sub(sub(header, "profileDesc"), "langUsage")
            for tag in languages:
                sub(usage, "language", tag, ident=class_language(tag))

    # -- text

    def blocks(self, parent: etree._Element, node: nodes.Element) -> None:
        """The block content of a doctree node, as TEI children of ``parent``."""
        for child in node.children:
            if not isinstance(child, nodes.Element):
                continue
            if APPARATUS_CLASSES & set(child.get("classes", [])):
                continue
            if isinstance(child, nodes.section):
                self.section(parent, child)
            elif isinstance(child, nodes.paragraph):
                self.paragraph(parent, child, self.anchor(child))
            elif isinstance(child, nodes.container) and "parallel" in child["classes"]:
                self.pair(parent, child)
            elif isinstance(child, nodes.container) and "figure" in child["classes"]:
                self.text_figure(parent, child)
            elif isinstance(child, nodes.container):
                self.blocks(parent, child)
            elif isinstance(child, nodes.figure):
                self.figure(parent, child)
            elif isinstance(child, nodes.admonition) and "editorial-note" in child["classes"]:
                note = sub(parent, "note", type="editorial", resp="#editors")
                self.blocks(note, child)
            elif isinstance(child, nodes.bullet_list | nodes.enumerated_list):
                self.listing(parent, child)
            elif isinstance(child, nodes.block_quote):
                quote = sub(parent, "quote")
                self.blocks(quote, child)
            # Anything else is apparatus (citations, related articles, raw HTML, targets).

    def listing(self, parent: etree._Element, node: nodes.Element) -> None:
        """A list, with its anchor; items keep their paragraphs' text and nested lists."""
        listing = sub(parent, "list", **self.id_attr(node))
        for item in node.children:
            if not isinstance(item, nodes.list_item):
                continue
            entry = sub(listing, "item")
            for part in item.children:
                if isinstance(part, nodes.paragraph):
                    if len(entry) or entry.text:
                        append_text(entry, " ")
                    self.inlines(entry, part)
                elif isinstance(part, nodes.bullet_list | nodes.enumerated_list):
                    self.listing(entry, part)

    def anchor(self, node: nodes.Element) -> str:
        """The anchor of a block: its explicit label, else its first id, else nothing."""
        ids: list[str] = node.get("ids", [])
        return next((i for i in ids if i.startswith(self.slug)), ids[0] if ids else "")

    @property
    def slug(self) -> str:
        """The article's slug (last part of its docname)."""
        return self.docname.rsplit("/", 1)[-1]

    def id_attr(self, node: nodes.Element, suffix: str = "") -> dict[str, str]:
        """``id=`` for an element with an anchor (once per document), else nothing."""
        anchor = self.anchor(node)
        if not anchor:
            return {}
        value = xml_id(anchor + suffix)
        if value in self.ids:
            return {}
        self.ids.add(value)
        return {"id": value}

    def section(self, parent: etree._Element, node: nodes.section) -> None:
        """A section as a ``div`` with its ``head``."""
        div = sub(parent, "div", **self.id_attr(node))
        title = node.next_node(nodes.title)
        if title is not None and title.parent is node:
            self.inlines(sub(div, "head"), title)
        self.blocks(div, node)

    def paragraph(
        self, parent: etree._Element, node: nodes.paragraph, anchor: str, lang: str = ""
    ) -> etree._Element:
        """A paragraph with its anchor as ``xml:id``."""
        attrs: dict[str, str] = {}
        if anchor and xml_id(anchor) not in self.ids:
            self.ids.add(xml_id(anchor))
            attrs["id"] = xml_id(anchor)
        if lang:
            attrs["lang"] = lang
        element = sub(parent, "p", **attrs)
        self.inlines(element, node)
        return element

    def pair(self, parent: etree._Element, node: nodes.container) -> None:
        """A parallel pair: one ``p`` per language, the first with the pair's anchor."""
        anchor = self.anchor(node)
        ids: list[str] = []
        for column in node.children:
            if not isinstance(column, nodes.container):
                continue
            lang = next((class_language(c[len("language-"):]) for c in column["classes"]
                         if c.startswith("language-")), "")
            own = anchor if not ids else f"{anchor}-{lang or len(ids)}"
            for para in column.findall(nodes.paragraph):
                element = self.paragraph(parent, para, own, lang)
                own_id = element.get(f"{{{XML_NS}}}id")
                if own_id:
                    ids.append(own_id)
                own = ""
        if len(ids) > 1:
            self.links.append((ids[0], " ".join(f"#{i}" for i in ids)))

    def figure(self, parent: etree._Element, node: nodes.figure) -> None:
        """A figure: its image, its caption as ``head``, or a credit line as a credit note."""
        figure = sub(parent, "figure", **self.id_attr(node))
        caption = node.next_node(nodes.caption)
        if caption is not None:
            credit = CREDIT.match(caption.astext()) is not None
            self.inlines(sub(figure, "note", type="credit") if credit else sub(figure, "head"),
                         caption)
        image = node.next_node(nodes.image)
        if image is not None and image.get("uri"):
            sub(figure, "graphic", url=str(image["uri"]))

    def text_figure(self, parent: etree._Element, node: nodes.container) -> None:
        """A figure the source gives as text (its caption, then its credit line)."""
        figure = sub(parent, "figure", **self.id_attr(node))
        lang = next((class_language(c[len("language-"):]) for c in node["classes"]
                     if c.startswith("language-")), "")
        if lang:
            figure.set(f"{{{XML_NS}}}lang", lang)
        for child in node.children:
            if not isinstance(child, nodes.paragraph):
                continue
            if CREDIT.match(child.astext()):
                self.inlines(sub(figure, "note", type="credit"), child)
            else:
                self.inlines(sub(figure, "head"), child)

    def inlines(self, element: etree._Element, node: nodes.Element) -> None:
        """The inline content of a node: text, names, dates, links, notes, emphasis."""
        for child in node.children:
            if isinstance(child, nodes.Text):
                append_text(element, child.astext())
            elif isinstance(child, addnodes.pending_xref) and child.get("refdomain") == "ent":
                self.mention(element, child)
            elif isinstance(child, nodes.footnote_reference):
                self.note(element, child)
            elif isinstance(child, nodes.reference) and child.get("refuri"):
                self.inlines(sub(element, "ref", target=str(child["refuri"])), child)
            elif isinstance(child, nodes.emphasis):
                self.inlines(sub(element, "hi", rend="italic"), child)
            elif isinstance(child, nodes.strong):
                self.inlines(sub(element, "hi", rend="bold"), child)
            elif isinstance(child, nodes.target | nodes.raw | nodes.substitution_definition
                            | nodes.system_message):
                # a system message is the build's, not the text's (Sphinx drops them from
                # the doctree it keeps, after the reading)
                continue
            elif isinstance(child, nodes.Element):
                self.inlines(element, child)

    def mention(self, element: etree._Element, node: addnodes.pending_xref) -> None:
        """An entity as ``persName``/``orgName``, a date as ``date``."""
        target = str(node["reftarget"])
        if node["reftype"] == "date":
            date = sub(element, "date", when=target)
            self.inlines(date, node)
            return
        entity = self.domain.registry.get(target)
        tag = "persName" if entity is not None and entity.type == "person" else "orgName"
        # filled by replacement: the configured address may hold braces of its own
        refs = [self.entity_url.replace("{id}", target)]
        if entity is not None and entity.wikidata:
            refs.append(WIKIDATA_ENTITY + entity.wikidata)
        name = sub(element, tag, key=target, ref=" ".join(refs))
        self.inlines(name, node)

    def note(self, element: etree._Element, node: nodes.footnote_reference) -> None:
        """A footnote (the source's links) as a note where it is referenced."""
        footnote = self.document.ids.get(str(node.get("refid", "")))
        note = sub(element, "note", place="foot", n=node.astext())
        if not isinstance(footnote, nodes.footnote):
            return
        for para in footnote.findall(nodes.paragraph):
            self.inlines(note, para)

    def build(self) -> etree._Element:
        """The whole TEI document."""
        root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
        languages = self.names("language")
        if languages:
            root.set(f"{{{XML_NS}}}lang", class_language(languages[0]))
        self.header(root)
        body = sub(sub(root, "text"), "body")
        self.blocks(body, self.document)
        if self.links:
            group = sub(body, "linkGrp", type="translation")
            for _first, targets in self.links:
                sub(group, "link", target=targets)
        return root


def tei_path(outdir: Path, docname: str) -> Path:
    """Where an article's TEI file is written."""
    return outdir / TEI_FOLDER / f"{docname.rsplit('/', 1)[-1]}.xml"


def tei_document(env: BuildEnvironment, docname: str, document: nodes.document) -> bytes:
    """An article's TEI file, from its doctree as read (references not yet resolved)."""
    config = env.config
    domain = entity_domain(env)
    base = str(getattr(config, "edition_baseurl", "") or config.html_baseurl or "")
    if base and not base.endswith("/"):
        base += "/"
    suffix = config.html_file_suffix or ".html"
    entity_url = base + config.edition_generated + "/entities/{id}" + suffix
    meta = get_article_meta(env, docname) or ArticleMeta(docname)
    article = ArticleTEI(domain, docname, document, meta, base + docname + suffix,
                         entity_url if base else "../../" + entity_url)
    return etree.tostring(article.build(), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)


class TEIDomain(Domain):
    """The TEI files of the articles a build reads, made as each is read, until written.

    Kept only from an article's reading to the end of the reading (:func:`write_tei`): Sphinx
    pickles the environment after that, and the files are the output's, not its state.
    """

    name = "tei"
    label = "TEI"
    initial_data: ClassVar[dict[str, Any]] = {"files": {}}
    data_version = 1

    @property
    def files(self) -> dict[str, bytes]:
        """Each article's TEI file, by document name."""
        return cast(dict[str, bytes], self.data.setdefault("files", {}))

    def clear_doc(self, docname: str) -> None:
        """Forget a document's file (it is read again, or gone)."""
        self.files.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take the files of the articles read in another process."""
        for docname in docnames:
            if docname in otherdata["files"]:
                self.files[docname] = otherdata["files"][docname]

    def resolve_any_xref(self, *_args: Any, **_kwargs: Any) -> list[Any]:
        """This domain has no references."""
        return []


def tei_domain(env: BuildEnvironment) -> TEIDomain:
    """The ``tei`` domain of an environment."""
    return cast(TEIDomain, env.domains[TEIDomain.name])


def make_tei(app: Sphinx, document: nodes.document) -> None:
    """Make an article's TEI file as it is read, for an HTML build (``doctree-read``).

    The doctree is then as Sphinx keeps it: every transform that changes the text has run,
    and every ``doctree-read`` handler of the edition before this one (the header, related
    articles, citations: apparatus the TEI leaves out). Made now, the file spares unpickling
    every article's doctree once more at the end of the build (a twentieth of a corpus
    build's CPU).
    """
    env = app.env
    docname = env.docname
    if app.builder.name in HTML_BUILDERS and entity_domain(env).is_article(docname):
        tei_domain(env).files[docname] = tei_document(env, docname, document)


def write_tei(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write the TEI file of each article this build owes one (``env-updated``).

    Those of the articles it read, made as they were read; those of the others when a setting
    in the files changed or the file is missing (:mod:`edition.citation.changed`), from the
    article's doctree as read. Then the files made are dropped, before Sphinx pickles the
    environment; and a file of the folder whose article is gone is removed, so that the
    folder holds the edition's articles only.
    """
    made = tei_domain(env).files
    if app.builder.name not in HTML_BUILDERS:
        made.clear()
        return []
    domain = entity_domain(env)
    outdir = Path(app.outdir)
    articles = sorted(d for d in env.found_docs if domain.is_article(d))
    for docname in articles_to_write(app, articles, lambda d: tei_path(outdir, d)):
        tei = made.get(docname) or tei_document(env, docname, env.get_doctree(docname))
        write_if_changed(tei_path(outdir, docname), tei, (docname, None))
    made.clear()
    kept = {tei_path(outdir, docname).name for docname in articles}
    folder = outdir / TEI_FOLDER
    for path in sorted(folder.glob("*.xml")) if folder.is_dir() else []:
        if path.name not in kept:
            remove_file(path)
    return []


def setup_tei(app: Sphinx) -> None:
    """Register the TEI export: made as each article is read, written once all are."""
    app.add_domain(TEIDomain)
    # after the edition's other handlers (header, related articles, citations: 500, 600)
    app.connect("doctree-read", make_tei, priority=900)
    # after edition.citation.changed has compared the settings (100) and the entity pages
    # are read (300)
    app.connect("env-updated", write_tei, priority=600)
