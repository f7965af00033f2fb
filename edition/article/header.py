"""The article header: what the source states about itself, and what the editors supplied.

Below each article's title the header lists the front matter (author, date, publisher, source
address, …) in the edition's words; values the editors supplied are in square brackets with a
link to their reason, collected in the editorial notes at the end of the header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from converters.common.dates import format_date
from converters.common.script import text_language
from converters.model import header_fields
from edition.article.frontmatter import get_article_meta
from edition.article.text import (
    REMOVAL_NAMES,
    date_qualifier,
    language_name,
    paragraph,
    source_link,
)
from edition.security.safety import is_web_url, language_tag

if TYPE_CHECKING:
    from edition.article.record import ArticleMeta, Removal, Supplied

logger = logging.getLogger(__name__)

#: Header rows: front-matter key and the label shown for it, in display order (declared with
#: the fields, in :class:`converters.model.Metadata`).
HEADER_FIELDS: tuple[tuple[str, str], ...] = tuple((f.key, f.spec.header) for f in header_fields())


def _stated_value(key: str, meta: ArticleMeta) -> list[nodes.Node]:
    """What the source itself states for a header row, as inline nodes."""
    if key == "date":
        # To the minute at most: seconds add nothing a reader needs (the metadata keeps them).
        precision = meta.date_precision
        text = format_date(meta.date, "minute" if precision == "second" else precision)
        if not text:
            return []
        shown: list[nodes.Node] = [nodes.inline(text, text, classes=["article-date"])]
        qualifier = date_qualifier(meta)
        if qualifier:
            # a distributor's post, not the date of publication (which the source lacks)
            shown.append(nodes.inline("", f" ({qualifier})", classes=["article-date-note"]))
        return shown
    if key == "language":
        text = " and ".join(language_name(tag) for tag in meta.language)
        if meta.is_parallel:
            text += ", in parallel"
        return [nodes.Text(text)] if meta.language else []
    if key in ("source_url", "original_url"):
        url = meta.source_url if key == "source_url" else meta.original_url
        if not url:
            return []
        # Only an http(s) address becomes a link; anything else (javascript:, data:) is shown
        # as the text it is (reported when the front matter was read).
        return [source_link(url)] if is_web_url(url) else [nodes.Text(url)]
    if key == "retrieved":
        # When the edition copied the source: the day is what matters to a reader.
        text = format_date(meta.retrieved, "day")
        return [nodes.Text(text)] if text else []
    items = meta.values(key)
    return [nodes.Text(", ".join(items))] if items else []


class editorial_notes(nodes.General, nodes.Element):
    """The editors' notes of an article header: a disclosure in HTML, a plain list elsewhere."""


def visit_editorial_notes_html(self: HTML5Translator, node: editorial_notes) -> None:
    """Open a ``<details>`` element: the reasons are long, and most readers want the text."""
    self.body.append(self.starttag(node, "details", CLASS="editorial-notes"))
    self.body.append(f"<summary>{self.encode(node['summary'])}</summary>\n")


def depart_editorial_notes_html(self: HTML5Translator, _node: editorial_notes) -> None:
    """Close the ``<details>`` element."""
    self.body.append("</details>\n")


def visit_editorial_notes_latex(self: Any, node: editorial_notes) -> None:
    """Introduce the notes with a run-in heading."""
    self.body.append(r"\par\medskip\noindent\textbf{" + self.encode(node["summary"]) + "}\n")


def visit_editorial_notes_plain(self: Any, node: editorial_notes) -> None:
    """Other formats show the notes as they are."""


def depart_editorial_notes_plain(self: Any, node: editorial_notes) -> None:
    """Nothing to close."""


def note_id(label: str, field: str) -> str:
    """The id of the editorial note on ``field`` in the article labelled ``label``."""
    return nodes.make_id(f"{label}-editorial-{field}")


def _editorial_value(entry: Supplied, label: str) -> list[nodes.Node]:
    """A value supplied by the editors: in square brackets, with a link to their reason."""
    result: list[nodes.Node] = [
        nodes.inline("", f"[{entry.text}]", classes=["editorial-value"])]
    if entry.reason:
        why = nodes.reference("", "why?", refid=note_id(label, entry.field),
                              classes=["editorial-why"])
        result += [nodes.Text(" "), why]
    return result


def _header_field(label: str, body: list[nodes.Node]) -> nodes.field:
    return nodes.field(
        "",
        nodes.field_name(label, label),
        nodes.field_body("", paragraph(*body)),
    )


def _removal_summary(removed: tuple[Removal, ...]) -> str:
    kinds: dict[str, int] = {}
    for item in removed:
        kind = REMOVAL_NAMES.get(item.kind, item.kind)
        kinds[kind] = kinds.get(kind, 0) + 1
    return ", ".join(f"{kind} ({count})" if count > 1 else kind for kind, count in kinds.items())


def _brackets(body: list[nodes.Node]) -> list[nodes.Node]:
    """Inline nodes between the square brackets that mark a value as the editors'."""
    return [nodes.inline("", "[", classes=["editorial-value"]), *body,
            nodes.inline("", "]", classes=["editorial-value"])]


def _subtitle(meta: ArticleMeta, label: str) -> nodes.paragraph | None:
    """The dek under the title (in square brackets when the editors supplied it)."""
    subtitle = meta.subtitle
    if not subtitle:
        return None
    entry = meta.supplied("subtitle")
    shown: list[nodes.Node] = [nodes.Text(subtitle)]
    para = paragraph(*(_brackets(shown) if entry else shown), classes=["article-subtitle"])
    if entry is not None:
        para += _editorial_value(entry, label)[1:]
    language = text_language(subtitle, list(meta.language))
    if language and language != meta.main_language:
        # docutils writes a language-xx class as the lang attribute.
        para["classes"].append(f"language-{language}")
    return para


def _row_body(key: str, meta: ArticleMeta, label: str) -> list[nodes.Node]:
    """A header row's value: what the source states, and what the editors supplied."""
    body = _stated_value(key, meta)
    entry = meta.supplied(key)
    if entry is None:
        return body
    if body and ", ".join(meta.values(key)) != entry.text:
        body.append(nodes.Text(" "))
        body.extend(_editorial_value(entry, label))
    elif body:
        # The writer already put the editors' value in the field: mark it as theirs.
        body = [*_brackets(body), nodes.Text(" "), *_editorial_value(entry, label)[2:]]
    else:
        body = _editorial_value(entry, label)
    return body


def _meta_rows(meta: ArticleMeta, label: str) -> nodes.field_list:
    """The header's rows, one per field the source or the editors state (:data:`HEADER_FIELDS`)."""
    fields = nodes.field_list(classes=["article-meta"])
    title = meta.supplied("title")
    if title is not None:
        # The title is the page's heading; the header says whose it is.
        supplied_note = nodes.inline("", "supplied by the editors", classes=["editorial-value"])
        why = _editorial_value(title, label)[1:]
        fields += _header_field("Title", [supplied_note, *why])
    for key, name in HEADER_FIELDS:
        body = _row_body(key, meta, label)
        if not body:
            continue
        if key == "authors" and len(meta.credited_authors) > 1:
            name = "Authors"
        if key == "authors" and meta.original_author_role:
            # the editors name the author of the work the text adapts, not of its words
            name = "Author of the original"
        fields += _header_field(name, body)
    return fields


def _notes(meta: ArticleMeta, label: str, method_doc: str | None) -> editorial_notes:
    """The editorial notes: each supplied value's reason, what was removed, the method page."""
    notes = editorial_notes("", summary="Editorial notes")
    items = nodes.bullet_list(classes=["editorial-list"])
    for entry in meta.editorial:
        field_name = entry.field.replace("_", " ").capitalize()
        # The id is on a target, not on the item: LaTeX writes labels for targets only.
        item = nodes.list_item("", paragraph(
            nodes.target("", "", ids=[note_id(label, entry.field)]),
            nodes.strong("", f"{field_name} [{entry.text}]: "),
            nodes.Text(entry.reason),
        ))
        items += item
    if meta.removed:
        text = f"Removed from the source: {_removal_summary(meta.removed)}."
        items += nodes.list_item("", paragraph(nodes.Text(text)))
    notes += items
    if method_doc:
        xref = addnodes.pending_xref(
            "", nodes.inline("", "Editorial method"),
            refdomain="std", reftype="doc", reftarget="/" + method_doc,
            refexplicit=True, refwarn=True,
        )
        notes += paragraph(nodes.Text("See also "), xref, nodes.Text("."))
    return notes


def build_header(meta: ArticleMeta, method_doc: str | None) -> nodes.container:
    """The header shown below an article's title, built from its record."""
    label = meta.slug or "article"
    # The header is the edition's apparatus, in English, whatever the article's language.
    header = nodes.container(classes=["article-header", "language-en"])
    subtitle = _subtitle(meta, label)
    if subtitle is not None:
        header += subtitle
    header += _meta_rows(meta, label)
    if meta.editorial or meta.removed:
        header += _notes(meta, label, method_doc)
    return header


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Put the header under each article's title."""
    env = app.env
    meta = get_article_meta(env, env.docname)
    if meta is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        logger.warning("article has no title heading", location=env.docname,
                       type="edition", subtype="article")
        return
    method = app.config.edition_method_page
    method_doc = method if method and method in env.found_docs else None
    section.insert(1, build_header(meta, method_doc))
    for image in section.findall(nodes.image):
        # Without alt text docutils writes the image's address as its alt text, which a
        # screen reader would read out; the figure's caption already says what it shows.
        image.setdefault("alt", "")


def on_html_page_context(
    app: Sphinx, pagename: str, _templatename: str, context: dict[str, Any], _doctree: Any
) -> None:
    """Give an article page its own ``<html lang>``: the article's main language."""
    meta = get_article_meta(app.env, pagename)
    if meta is None:
        return
    language = language_tag(meta.main_language)
    if language:
        context["language"] = language



def setup_header(app: Sphinx) -> None:
    """Register the article header."""
    app.add_node(
        editorial_notes,
        html=(visit_editorial_notes_html, depart_editorial_notes_html),
        latex=(visit_editorial_notes_latex, depart_editorial_notes_plain),
        text=(visit_editorial_notes_plain, depart_editorial_notes_plain),
        man=(visit_editorial_notes_plain, depart_editorial_notes_plain),
        texinfo=(visit_editorial_notes_plain, depart_editorial_notes_plain),
    )
    app.connect("doctree-read", on_doctree_read)
    app.connect("html-page-context", on_html_page_context)
