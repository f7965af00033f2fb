"""A citable edition: paragraph numbers, citation metadata in the page head, citation files.

- Every labelled block ``<slug>-pN`` of an article shows its number ``¶N`` — in the HTML margin
  (with a button that copies the paragraph's citation), in the PDF margin, in the EPUB text.
  The number is the N of the label, as the indices print it. On the web, each language of a
  parallel pair after the first has its own address too, ``<slug>-pN-<language>`` (the TEI
  file's ``xml:id`` of that paragraph), with the pair's number, shown when that language is
  read alone.
- Every article page's ``<head>`` carries Highwire ``citation_*`` tags, Dublin Core, OpenGraph
  and schema.org JSON-LD, made from the front matter; the abstract and description are the
  text's own lead (its first full sentences, as its card shows them), editorial values are
  said to be the editors' (JSON-LD ``creditText``). Every value is escaped. There is no
  ``citation_pdf_url``: the edition's one PDF is the whole book, not the article's own. A
  distributor's post is no date of publication: it is given only as the date of the
  distributor's copy (JSON-LD ``isBasedOn``), never in a tag a reference manager reads as the
  article's date.
- ``<slug>.bib``, ``<slug>.ris`` and ``<slug>.json`` (CSL-JSON) are written beside each article
  page of the HTML edition, each value escaped for its format by
  :mod:`edition.security.escaping`. RIS follows the field map of Zotero's RIS importer
  (``TY  - NEWS`` with the publication in
  ``T2``, the source's dek in ``N2``; a text without a stated publication is ``ELEC``, a page
  of the edition's web site); CSL-JSON gives each name its role (``author``,
  ``original-author``, ``translator``).
- An article whose source is partial (it stops at a paywall) says so in one line of its header.
- Retired labels (``docs/_data/retired-labels.yaml``) lead to their successors: an extra id on
  the successor, and a forwarding page for a retired article slug. A record the converters'
  loader refuses, or a successor the edition lacks, is an error at the record's line; a
  forwarding page is named by the retired slug, which the loader holds to the slug pattern,
  is never written over a page of the edition, and is written through :mod:`edition.security.files`.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit
from weakref import WeakKeyDictionary

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from converters.common.markup import BLOCK_LABEL
from converters.common.retired import RETIRED_FILE, RetiredLabelsError, Retirement, load_retired
from converters.model import FRONT_MATTER_FIELDS
from edition.article.frontmatter import get_article_meta
from edition.article.text import date_qualifier
from edition.citation.changed import articles_to_write
from edition.citation.model import (
    Citation,
    address_notes,
    bibtex,
    citation_notes,
    copy_button,
    editorial_note,
    make_citation,
    name_parts,
    page_url,
    partial_text,
    reason_notes,
)
from edition.entities.domain import entity_domain
from edition.security.escaping import json_for_script, ris_text
from edition.security.files import write_if_changed
from edition.security.safety import class_language

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.html5 import HTML5Translator

    from edition.article.record import ArticleMeta

logger = logging.getLogger(__name__)

#: Builders of the web edition (EPUB pages get numbers, but no scripts or head metadata).
WEB_BUILDERS: tuple[str, ...] = ("html", "dirhtml", "singlehtml")
#: Builders whose pages show paragraph numbers.
NUMBERED_BUILDERS: tuple[str, ...] = (*WEB_BUILDERS, "epub", "latex")
#: The edition's static files of this component (in ``edition/static``).
STATIC_DIR = Path(__file__).parent / "static"
SCRIPT = "edition-cite.js"
STYLESHEET = "edition-cite.css"
#: A paragraph label: the article's slug, ``-p`` and the paragraph's number, with letters for a
#: paragraph added after the conversion (``-p8a``, shown ¶8a: converters/editing/anchors.py).
PARAGRAPH_LABEL = re.compile(r"^(?P<slug>[a-z0-9-]+)-p(?P<number>\d+[a-z]*)$")
#: Class of the number of a parallel pair's later language (shown when it is read alone).
TRANSLATION_NUMBER = "para-number-translation"
#: Class of a block that holds its number (a paragraph, or a list: its number is the list's).
NUMBERED_CLASS = "has-para-number"
#: CSL item type and RIS type of an article in a named periodical (a newspaper's article) …
CSL_NEWSPAPER, RIS_NEWSPAPER = "article-newspaper", "NEWS"
#: … and of a text whose publication is not stated: a page of the edition's web site (Zotero
#: files ``ELEC`` as a web page and reads its ``T2`` as the site's title).
CSL_WEBPAGE, RIS_WEBPAGE = "webpage", "ELEC"
#: The Wikidata entity address of a Q-number.
WIKIDATA = "https://www.wikidata.org/wiki/{}"
#: The Wayback Machine address of a page as archived nearest to a date.
WAYBACK = "https://web.archive.org/web/{stamp}/{url}"


# --------------------------------------------------------------------------- helpers


def http_url(value: object) -> str:
    """The value when it is an absolute http(s) URL without spaces, else ``""``."""
    text = str(value or "").strip()
    if not text or any(c.isspace() or ord(c) < 32 for c in text):
        return ""
    parts = urlsplit(text)
    return text if parts.scheme in ("http", "https") and parts.netloc else ""


def date_parts(date: str) -> list[int]:
    """``[year, month, day]`` (as many as known) of an ISO date."""
    parts = []
    for piece in date[:10].split("-"):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return parts


def article_citation(app: Sphinx, docname: str, meta: ArticleMeta) -> Citation:
    """The citation of an article page, as its citation block gives it."""
    suffix = app.config.html_file_suffix or ".html"
    url = page_url(app.config.edition_baseurl, docname, suffix)
    return make_citation(meta, url, app.config.edition_title)


def iso_date(meta: ArticleMeta) -> str:
    """The article's date as precise as known (date-time for minute and second precision)."""
    date = meta.date
    precision = meta.date_precision
    if precision in ("minute", "second"):
        return date
    return date[: {"year": 4, "month": 7}.get(precision, 10)]


def slash_date(date: str) -> str:
    """An ISO date as Highwire and RIS write it: ``2025/01/21``, as precise as known."""
    return "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date_parts(date)))


def article_lead(app: Sphinx, docname: str) -> str:
    """The text's own lead: its first full sentences, as its card shows them."""
    from edition.article.frontmatter import ArticleDomain

    return cast(ArticleDomain, app.env.get_domain("article")).leads.get(docname, "")


# --------------------------------------------------------------------------- paragraph numbers


class paragraph_number(nodes.Inline, nodes.Element):
    """The number ``¶N`` of the labelled block it starts (margin in HTML and PDF, text in EPUB)."""


def visit_paragraph_number_html(self: HTML5Translator, node: paragraph_number) -> None:
    """A link to the paragraph and, on the web, a button copying its citation."""
    target = html.escape(node["target"], quote=True)
    number = html.escape(str(node["number"]), quote=True)
    classes = " ".join(["para-number", *node["classes"]])
    self.body.append(f'<span class="{html.escape(classes, quote=True)}">'
                     f'<a class="para-number-link" href="#{target}" '
                     f'aria-label="Paragraph {number}">¶{number}</a>')
    if self.builder.name in WEB_BUILDERS:
        self.body.append(
            f'<button type="button" class="para-cite" data-paragraph="{target}" '
            f'data-number="{number}" hidden title="Copy the citation of paragraph {number}">'
            "cite</button>")
    self.body.append("</span> ")
    raise nodes.SkipNode


def visit_paragraph_number_latex(self: Any, node: paragraph_number) -> None:
    """The number in the margin of the page."""
    number = str(node["number"])
    # digits and lower-case letters only (PARAGRAPH_LABEL): nothing LaTeX reads as a command
    if not re.fullmatch(r"\d+[a-z]*", number):
        raise nodes.SkipNode
    self.body.append(r"\leavevmode\marginpar{\raggedright\footnotesize\textsf{¶"
                     + number + "}}")
    raise nodes.SkipNode


def skip(_self: Any, _node: nodes.Node) -> None:
    """Leave the node out of formats it has no meaning in."""
    raise nodes.SkipNode


def numbered_blocks(document: nodes.document) -> Iterator[tuple[nodes.Element, str, str]]:
    """Every block labelled ``<slug>-pN`` (or ``-pNa``), with its label and N (``8a``)."""
    for node in document.findall(nodes.Element):
        for node_id in node["ids"]:
            match = PARAGRAPH_LABEL.match(node_id)
            if match and isinstance(node, (nodes.paragraph, nodes.container, nodes.bullet_list,
                                           nodes.enumerated_list)):
                yield node, node_id, match.group("number")
                break


class AddParagraphNumbers(SphinxPostTransform):
    """Start every labelled block of an article with its number, the N of ``<slug>-pN``."""

    default_priority = 390  # before the ¶ anchors at the end (anchors.py, 400)

    def is_supported(self) -> bool:
        """Web pages, the EPUB and the PDF (whose one document holds every article)."""
        return self.builder_name in NUMBERED_BUILDERS

    @property
    def builder_name(self) -> str:
        """The builder's name, as Sphinx's own post-transforms read it (``.app`` is deprecated)."""
        return str(self.env._builder_cls.name)

    def run(self, **_kwargs: Any) -> None:
        """Insert the numbers (of articles' labels only: the slug must be an article's)."""
        from edition.article.frontmatter import ArticleDomain

        domain = cast(ArticleDomain, self.env.get_domain("article"))
        slugs = domain.article_labels()
        for block, label, number in list(numbered_blocks(self.document)):
            match = PARAGRAPH_LABEL.match(label)
            if match is None or match.group("slug") not in slugs:
                continue
            first = (block if isinstance(block, nodes.paragraph)
                     else next(iter(block.findall(nodes.paragraph)), None))
            if first is None:
                continue
            first.insert(0, paragraph_number("", target=label, number=number))
            # A list's number stands beside the list, clear of its first bullet.
            is_list = isinstance(block, (nodes.bullet_list, nodes.enumerated_list))
            (block if is_list else first)["classes"].append(NUMBERED_CLASS)
            if self.builder_name in WEB_BUILDERS and "parallel" in block["classes"]:
                self.number_languages(block, label, number)

    def number_languages(self, pair: nodes.Element, label: str, number: str) -> None:
        """Give each later language of a pair its address and the pair's number.

        The web page lets a reader show one language alone; the pair's number is in the first
        language, so each other one carries its own, to be cited by its own address.
        """
        columns = [c for c in pair.children if isinstance(c, nodes.container)]
        for column in columns[1:]:
            para = next(iter(column.findall(nodes.paragraph)), None)
            address = language_label(label, column)
            if para is None or not address or address in self.document.ids:
                continue
            para["ids"].append(address)
            self.document.ids[address] = para
            para.insert(0, paragraph_number("", target=address, number=number,
                                            classes=[TRANSLATION_NUMBER]))
            para["classes"].append(NUMBERED_CLASS)


def language_label(label: str, column: nodes.Element) -> str:
    """A pair's label with the language of one of its columns (``…-p8-zh-Hant``), as in TEI.

    ``""`` for a column without a ``language-<tag>`` class.
    """
    tag = next((c[len("language-"):] for c in column["classes"] if c.startswith("language-")),
               "")
    return f"{label}-{class_language(tag)}" if tag else ""


class AddRetiredIds(SphinxPostTransform):
    """Give a successor paragraph the ids of the labels retired into it (old links still land)."""

    default_priority = 395

    def run(self, **_kwargs: Any) -> None:
        """Add the retired labels as ids of their successors."""
        retired = _retired_entries(_RECORD.get(self.env))
        if not retired:
            return
        successors: dict[str, list[str]] = {}
        for entry in retired:
            if entry.successor:
                successors.setdefault(entry.successor, []).append(entry.label)
        for node in list(self.document.findall(nodes.Element)):
            for node_id in list(node["ids"]):
                for old in successors.get(node_id, []):
                    if old not in node["ids"] and old not in self.document.ids:
                        node["ids"].append(old)
                        self.document.ids[old] = node


def retired_path(app: Sphinx) -> Path:
    """The retirement record next to the registry (``_data/retired-labels.yaml``)."""
    return Path(app.confdir) / "_data" / RETIRED_FILE.name


def retired_labels(app: Sphinx) -> list[Retirement]:
    """The retirement record's entries; none when it is refused (:func:`check_retired_labels`)."""
    return _retired_entries(retired_path(app))


#: The retirement record of each build (its environment): a transform has no application to ask
#: for the configuration folder (Sphinx 9), so :func:`remember_record` notes it at the start.
_RECORD: WeakKeyDictionary[BuildEnvironment, Path] = WeakKeyDictionary()


def remember_record(app: Sphinx) -> None:
    """Note where this build's retirement record is (``builder-inited``)."""
    _RECORD[app.env] = retired_path(app)


def _retired_entries(path: Path | None) -> list[Retirement]:
    """The entries of the record at ``path``; none when there is none or it is refused."""
    try:
        return load_retired(path) if path is not None else []
    except RetiredLabelsError:
        return []


def edition_labels(env: BuildEnvironment) -> set[str]:
    """Every label a reader can be sent to: the articles' slugs and every labelled place."""
    from edition.article.frontmatter import ArticleDomain

    articles = cast(ArticleDomain, env.get_domain("article")).articles
    slugs = {meta.slug for meta in articles.values()}
    return slugs | set(cast(Any, env.get_domain("std")).anonlabels)


def check_retired_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Each problem of the record, and each successor the edition lacks, at its line.

    Run once all documents are read (``env-check-consistency``), when every label is known.
    """
    path = retired_path(app)
    try:
        entries = load_retired(path)
    except RetiredLabelsError as exc:
        for line, reason in exc.problems:
            logger.error("retired labels not used: %s", reason, location=f"{path}:{line}",
                         type="edition", subtype="anchors")
        return
    known = edition_labels(env)
    for entry in entries:
        if entry.successor and entry.successor not in known:
            logger.error("successor %r of the retired label %r is not a label of the edition",
                         entry.successor, entry.label, location=f"{path}:{entry.line}",
                         type="edition", subtype="anchors")


# --------------------------------------------------------------------------- copy buttons


def visit_copy_button_html(self: HTML5Translator, node: copy_button) -> None:
    """The button, hidden until the edition's script makes it work."""
    if self.builder.name in WEB_BUILDERS:
        target = html.escape(node["target"], quote=True)
        label = html.escape(node["label"], quote=True)
        self.body.append(f'<button type="button" class="edition-copy" data-copy="{target}" '
                         f'hidden>{label}</button>')
    raise nodes.SkipNode


# --------------------------------------------------------------------------- the page head


def head_metadata(app: Sphinx, docname: str, meta: ArticleMeta) -> str:
    """The ``<meta>`` tags and JSON-LD of an article page, every value escaped."""
    c = article_citation(app, docname, meta)
    tags: list[tuple[str, str, str]] = []  # (attribute, name, content)

    def add(attribute: str, name: str, content: str) -> None:
        if content.strip():
            tags.append((attribute, name, " ".join(content.split())))

    languages = list(meta.language)
    language = meta.main_language
    # the date of publication; a distributor's post is not one, and no tag here can say what
    # it is (Zotero takes citation_online_date and DC.date as the item's date): it is given
    # only where it is labelled, as the date of the distributor's copy in the JSON-LD
    date = "" if c.posted else iso_date(meta)
    # the text's own words, never the edition's notes about it
    description = article_lead(app, docname)
    page = http_url(c.page_url)
    source = http_url(meta.source_url)

    # Highwire Press and Dublin Core tags of the fields the schema gives them, in its order.
    highwire_values = {"title": [c.title], "authors": list(c.authors), "date": [slash_date(date)],
                       "publisher": [c.publisher], "language": [language]}
    dublin_core_values = {"title": [c.title], "authors": list(c.authors),
                          "date": [date], "publisher": [c.publisher],
                          "language": languages, "source_url": [source]}
    for field in FRONT_MATTER_FIELDS:
        for tag in field.spec.highwire:
            for value in highwire_values.get(field.key, []):
                add("name", tag, value)
    add("name", "citation_abstract", description)
    add("name", "citation_public_url", page)
    add("name", "citation_fulltext_html_url", page)

    for field in FRONT_MATTER_FIELDS:
        for value in dublin_core_values.get(field.key, []) if field.spec.dublin_core else []:
            add("name", field.spec.dublin_core, value)
    add("name", "DC.description", description)
    add("name", "DC.identifier", page)
    add("name", "DC.type", "Text")

    add("property", "og:type", "article")
    add("property", "og:title", c.title)
    add("property", "og:description", description)
    add("property", "og:url", page)
    add("property", "og:site_name", c.edition)
    add("property", "og:locale", language.replace("-", "_"))
    add("property", "article:published_time", date)
    for author in c.authors:
        add("property", "article:author", author)

    lines = ['<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/">']
    lines += [f'<meta {attribute}="{html.escape(name, quote=True)}" '
              f'content="{html.escape(content, quote=True)}">'
              for attribute, name, content in tags]
    data = json_ld(app, docname, meta, c, description, date, page, source)
    lines.append(f'<script type="application/ld+json">{json_for_script(data)}</script>')
    return "\n".join(lines) + "\n"


def json_ld(app: Sphinx, docname: str, meta: ArticleMeta, c: Citation, description: str,
            date: str, page: str, source: str) -> dict[str, Any]:
    """The schema.org description of an article (``NewsArticle``)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": c.title,
        "inLanguage": list(meta.language) if meta.is_parallel else meta.main_language,
    }
    notes = [n for n in (editorial_note(c), date_qualifier(meta)) if n]
    optional = {
        "alternativeHeadline": c.deck,
        "author": [{"@type": "Person", "name": name} for name in c.authors],
        "datePublished": date,
        "publisher": {"@type": "Organization", "name": c.publisher} if c.publisher else None,
        "description": description,
        "creditText": " ".join(notes),
        "url": page,
        "@id": page,
    }
    data.update((key, value) for key, value in optional.items() if value)
    edition: dict[str, Any] = {"@type": "CreativeWork", "name": c.edition}
    base = http_url(app.config.edition_baseurl)
    if base:
        edition["url"] = base
    data["isPartOf"] = edition
    data.update(json_ld_sources(meta, c, page, source))
    mentions = json_ld_mentions(app, docname)
    if mentions:
        data["mentions"] = mentions
    return data


def json_ld_sources(meta: ArticleMeta, c: Citation, page: str,
                    source: str) -> dict[str, Any]:
    """The schema.org properties of what the article is based on: source, original, languages."""
    data: dict[str, Any] = {}
    based_on: list[dict[str, Any]] = []
    if source:
        copy: dict[str, Any] = {"@type": "NewsArticle", "url": source}
        if c.partial:
            # the source itself is behind a paywall; the edition gives its free preview
            copy["isAccessibleForFree"] = False
        if c.posted:
            # the source is a distributor's copy, dated by its post
            copy["datePublished"] = iso_date(meta)
            copy["publisher"] = {"@type": "Organization", "name": c.distributor}
        based_on.append(copy)
    if c.original_authors:
        # a translation or adaptation: the work it comes from, by its author
        based_on.append({"@type": "CreativeWork", "author": [
            {"@type": "Person", "name": name} for name in c.original_authors]})
    if based_on:
        data["isBasedOn"] = based_on[0] if len(based_on) == 1 else based_on
    if c.partial:
        data["abstract"] = c.partial
    if c.translator:
        data["translator"] = {"@type": "Person", "name": c.translator}
    original_url = http_url(meta.original_url)
    if original_url:
        data["translationOfWork"] = {"@type": "CreativeWork", "url": original_url}
    if meta.is_parallel:
        # a parallel text: the later languages translate the first, on the same page
        data["workTranslation"] = [{"@type": "CreativeWork", "inLanguage": tag, "url": page}
                                   for tag in meta.language[1:]]
    return data


def json_ld_mentions(app: Sphinx, docname: str) -> list[dict[str, Any]]:
    """The schema.org ``mentions`` of an article: each registry entity it names."""
    mentions = []
    domain = entity_domain(app.env)
    for entity_id in domain.entities_of(docname):
        entity = domain.registry.get(entity_id)
        if entity is None:
            continue
        item: dict[str, Any] = {"@type": "Person" if entity.type == "person" else "Organization",
                                "name": entity.label}
        if re.fullmatch(r"Q\d+", entity.wikidata or ""):
            item["sameAs"] = WIKIDATA.format(entity.wikidata)
        mentions.append(item)
    return mentions


def on_html_page_context(app: Sphinx, pagename: str, _templatename: str,
                         context: dict[str, Any], _doctree: Any) -> None:
    """Put the citation metadata into an article page's ``<head>`` (web edition only)."""
    if app.builder.name not in WEB_BUILDERS:
        return
    meta = get_article_meta(app.env, pagename)
    if meta is None:
        return
    context["metatags"] = context.get("metatags", "") + head_metadata(app, pagename, meta)


# --------------------------------------------------------------------------- citation files


def ris_name(name: str) -> str:
    """A name as RIS writes it: ``Family, Given`` (Zotero splits at the comma), else whole."""
    parts = name_parts(name)
    return f"{parts[0]}, {parts[1]}" if parts else name


def ris(c: Citation) -> str:
    """The citation as a RIS record, in the tags Zotero's RIS importer reads for its type.

    ``NEWS`` (a newspaper article): ``T2`` is the publication — never a subtitle, a dek or a
    translated title; the dek goes to ``N2`` (the abstract). ``ELEC`` (a text whose
    publication is not stated): ``T2`` is the edition, the web site that offers it. ``UR`` is
    the edition's page; the source's own address and every note go to ``N1``.
    """
    newspaper = bool(c.publisher)
    lines = [("TY", RIS_NEWSPAPER if newspaper else RIS_WEBPAGE)]
    lines += [("AU", ris_name(name)) for name in c.authors]
    lines.append(("TI", c.title))
    lines.append(("T2", c.publisher if newspaper else c.edition))
    if newspaper:
        lines.append(("DB", c.edition))
    parts = date_parts(c.date)
    if parts:
        lines.append(("PY", str(parts[0])))
        lines.append(("DA", slash_date(c.date)))
    if c.translator:
        lines.append(("A4", c.translator))
    if c.languages:
        # one line: Zotero keeps the first LA as the language and files a second as a note
        lines.append(("LA", ", ".join(c.languages)))
    if c.page_url:
        lines.append(("UR", c.page_url))
    if c.deck:
        lines.append(("N2", c.deck))
    lines += [("N1", note) for note in citation_notes(c) + address_notes(c)]
    lines += [("N1", reason) for reason in reason_notes(c)]
    lines.append(("ER", ""))
    return ris_text(lines)


def csl_name(name: str) -> dict[str, str]:
    """A name as CSL-JSON: family and given parts, or the whole name as a literal.

    A Chinese name (family name first, no space) and any name that is not plain words stay
    whole: the style prints them as written.
    """
    parts = name_parts(name)
    return {"family": parts[0], "given": parts[1]} if parts else {"literal": name}


def csl_json(c: Citation) -> list[dict[str, Any]]:
    """The citation as CSL-JSON (a list of one item), each name in its role."""
    newspaper = bool(c.publisher)
    item: dict[str, Any] = {"id": c.key, "type": CSL_NEWSPAPER if newspaper else CSL_WEBPAGE,
                            "title": c.title}
    if c.authors:
        item["author"] = [csl_name(name) for name in c.authors]
    if c.original_authors:
        item["original-author"] = [csl_name(name) for name in c.original_authors]
    if c.translator:
        # a translator may be an organisation (纽约时报中文网): the name as written
        item["translator"] = [{"literal": c.translator}]
    parts = date_parts(c.date)
    if parts:
        item["issued"] = {"date-parts": [parts]}
    item["container-title"] = c.publisher if newspaper else c.edition
    if newspaper:
        # where the article is kept: Zotero's "archive", as the RIS file's DB
        item["archive"] = c.edition
    if c.languages:
        item["language"] = c.languages[0]
    if c.page_url:
        item["URL"] = c.page_url
    if c.deck:
        item["abstract"] = c.deck
    notes = citation_notes(c) + address_notes(c) + reason_notes(c)
    if notes:
        item["note"] = "\n".join(notes)
    return [item]


def write_citation_files(app: Sphinx, exception: Exception | None) -> None:
    """Write ``.bib``, ``.ris`` and ``.json`` beside each re-read article page; forwarding pages.

    The other articles' files stay as the last build wrote them (see
    :mod:`edition.outputs.changed`).
    """
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    out = Path(app.outdir)
    from edition.article.frontmatter import ArticleDomain

    articles = cast(ArticleDomain, app.env.get_domain("article")).articles
    for docname in articles_to_write(app, sorted(articles), lambda d: out / (d + ".bib")):
        meta = articles[docname]
        c = article_citation(app, docname, meta)
        base = out / docname
        write_if_changed(base.with_name(base.name + ".bib"), bibtex(c) + "\n")
        write_if_changed(base.with_name(base.name + ".ris"), ris(c))
        write_if_changed(base.with_name(base.name + ".json"),
                         json.dumps(csl_json(c), ensure_ascii=False, indent=1) + "\n")
    write_forwarding_pages(app, articles)


#: A page standing in for a retired article: it forwards to the successor (with the paragraph).
FORWARD_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Moved: {title}</title>
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{target}">
</head>
<body data-forward="{target}" data-labels="{labels}">
<p>This article has moved: <a href="{target}">{title}</a>. {reason}</p>
<script src="{script}"></script>
</body>
</html>
"""


def write_forwarding_pages(app: Sphinx, articles: dict[str, ArticleMeta]) -> None:
    """A page at each retired article slug that leads to its successor's page."""
    retired = retired_labels(app)
    if not retired:
        return
    by_label = {meta.slug: d for d, meta in articles.items()}
    suffix = app.config.html_file_suffix or ".html"
    path = retired_path(app)
    # an article's slug, not one of its labelled places (-p3, -s1, -f2)
    slugs = {e.label: e for e in retired if not BLOCK_LABEL.fullmatch(e.label)}
    for slug, entry in slugs.items():
        successor_doc = by_label.get(entry.successor)
        if successor_doc is None or slug in by_label:
            continue
        # The slug is a plain word (the record's loader holds it to the slug pattern), so the
        # page stays in the successor's folder; it must not take the place of another page.
        old_doc = posixpath.join(posixpath.dirname(successor_doc), slug)
        if old_doc in app.env.found_docs:
            logger.error("retired label %r names the page %s of the edition: no forwarding "
                         "page is written over it", slug, old_doc,
                         location=f"{path}:{entry.line}", type="edition", subtype="anchors")
            continue
        target = Path(successor_doc).name + suffix
        labels = {e.label: e.successor for e in retired
                  if e.label.startswith(slug + "-") and e.successor}
        title = articles[successor_doc].title or entry.successor
        depth = old_doc.count("/")
        text = FORWARD_PAGE.format(
            title=html.escape(title), target=html.escape(target, quote=True),
            labels=html.escape(json.dumps(labels, ensure_ascii=False), quote=True),
            reason=html.escape(entry.reason), script="../" * depth + "_static/" + SCRIPT)
        write_if_changed(Path(app.outdir) / (old_doc + suffix), text, f"{path}:{entry.line}")


# --------------------------------------------------------------------------- partial texts


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Say in the header of an article whose source is partial what the text is."""
    meta = get_article_meta(app.env, app.env.docname)
    if meta is None:
        return
    retired = retired_path(app)
    if retired.is_file():
        # a retired label adds an id to its successor: the article is rewritten when it changes
        app.env.note_dependency(str(retired))
    line = partial_text(meta)
    if not line:
        return
    for header in doctree.findall(nodes.container):
        if "article-header" in header["classes"]:
            para = nodes.paragraph(line, line, classes=["article-partial"])
            first = header[0] if len(header) else None
            position = 1 if isinstance(first, nodes.Element) and "article-subtitle" in first[
                "classes"] else 0
            header.insert(position, para)
            break


# --------------------------------------------------------------------------- setup


def add_static(app: Sphinx) -> None:
    """The script and stylesheet of the web edition (not the EPUB: it has no scripts)."""
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
    if app.builder.name in WEB_BUILDERS:
        app.add_js_file(SCRIPT, loading_method="defer")
    app.add_css_file(STYLESHEET)


def resolve_retired_reference(app: Sphinx, env: BuildEnvironment, node: addnodes.pending_xref,
                              contnode: nodes.Element) -> nodes.Element | None:
    """A reference to a retired label leads to its successor (``missing-reference``).

    A published label is forever: a page of the edition that still names a retired slug or
    paragraph (``{ref}`` to an article renamed since) reaches what replaced it, as readers'
    links do through the forwarding pages and the extra ids.
    """
    if node.get("refdomain") != "std" or node.get("reftype") not in ("ref", "myst"):
        return None
    target = str(node.get("reftarget", ""))
    successors = {r.label: r.successor for r in _retired_entries(_RECORD.get(env))}
    seen: set[str] = set()
    while target in successors and successors[target] and target not in seen:
        seen.add(target)
        target = successors[target]
    if not seen:
        return None
    std = env.domains["std"]
    found = std.labels.get(target) or std.anonlabels.get(target)
    if not found:
        return None
    docname, anchor = found[0], found[1]
    from sphinx.util.nodes import make_refnode

    return make_refnode(app.builder, str(node.get("refdoc", "")), docname, anchor, contnode)


def setup_citable(app: Sphinx) -> None:
    """Register paragraph numbers, head metadata, citation files and partial-text lines."""
    app.add_node(paragraph_number,
                 html=(visit_paragraph_number_html, None),
                 latex=(visit_paragraph_number_latex, None),
                 text=(skip, None), man=(skip, None), texinfo=(skip, None))
    app.add_node(copy_button,
                 html=(visit_copy_button_html, None), latex=(skip, None),
                 text=(skip, None), man=(skip, None), texinfo=(skip, None))
    app.add_post_transform(AddParagraphNumbers)
    app.add_post_transform(AddRetiredIds)
    app.connect("builder-inited", add_static)
    app.connect("builder-inited", remember_record)
    app.connect("doctree-read", on_doctree_read, priority=600)
    app.connect("html-page-context", on_html_page_context)
    app.connect("build-finished", write_citation_files)
    app.connect("env-check-consistency", check_retired_labels)
    app.connect("missing-reference", resolve_retired_reference)

