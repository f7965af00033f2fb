"""Web reading without clutter: quiet mention links, a short header, figures never empty.

The components before this one tag every mention (the indices need them all) and give every
article a full header. On the web page a reader meets the text first:

- a name is a link at its first mention in a paragraph only; later mentions keep their tag and
  target (``data-href``) and become links when the reader asks for every link (a switch,
  remembered in the browser; without scripts the first-mention default holds);
- a date is a link only when its timeline entry holds more than the paragraph it is in;
- the header's details fold behind a disclosure that shows author · date · publisher (open on
  wide screens), and the editors' note at the top of the article joins the header's notes;
- a figure whose image is on the web carries, in its markup, a framed stand-in with a link to
  the image, shown when the image cannot load; a figure's credit is the line the source gives
  that figure (marked ``figure-credit``), never the article's list of credits, so a figure the
  source credits to no one says nothing about who made it;
- a parallel (bilingual) article takes the full width and gets a switch English / 中文 / both.

Everything here is for the web builders: the PDF and EPUB are built from the untouched doctree.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from edition.article.chinese import mark_escaped, writes_xhtml
from edition.article.frontmatter import get_article_meta
from edition.article.header import editorial_notes
from edition.article.record import ArticleMeta
from edition.article.text import authors_byline, day_date
from edition.entities.domain import entity_domain, mention_anchor
from edition.security.safety import is_web_url

logger = logging.getLogger(__name__)

#: The builders that write the reading view (the EPUB keeps the full markup: it has no scripts).
WEB_BUILDERS: tuple[str, ...] = ("html", "dirhtml", "singlehtml")
#: This component's static files: a folder of their own, which only the web builders copy.
STATIC_DIR = Path(__file__).parent / "static"
SCRIPT = "edition-reading.js"
STYLESHEET = "edition-reading.css"

#: Classes of the inline node a mention role makes, and of a mention of each kind.
MENTION_CLASS = "mention"
DATE_CLASS = "mention-date"
#: Class of a later mention of a name already linked in the same paragraph.
REPEAT_CLASS = "mention-repeat"
#: Class of a date mention whose timeline entry holds nothing beyond its own paragraph.
QUIET_DATE_CLASS = "mention-quiet"
#: Fields of the short header line, in order: front-matter key and how to write its value.
BRIEF_FIELDS: tuple[str, ...] = ("authors", "date", "publisher")
#: A figure's own credit line, as the converters write it (``Credit: …``).
CREDIT_LINE = re.compile(r"^\s*Credit:\s")
#: Class of that line on the web page.
CREDIT_CLASS = "figure-credit"
#: The words of the disclosure and of the figure stand-in.
MORE_LABEL = "More about this text"
IMAGE_MISSING = "The image could not be loaded here."
IMAGE_LINK = "View the image at the source"
IMAGE_NO_CAPTION = "An image of the source, without a caption"
# The fragment of a timeline link names its ISO date.
_DATE_FRAGMENT = re.compile(r"#date-(\d{4}(?:-\d{2}){0,2})$")


# --------------------------------------------------------------------------- nodes


class mention_repeat(nodes.Inline, nodes.Element):
    """A mention shown as text; it keeps its link target for the reader's "every link" switch."""


def visit_mention_repeat_html(self: HTML5Translator, node: mention_repeat) -> None:
    """An ``<a>`` without ``href`` (no link, not focusable); the target waits in ``data-href``."""
    attributes = {"data-href": node["href"]} if node.get("href") else {}
    if node.get("reftitle"):
        attributes["data-title"] = node["reftitle"]
    self.body.append(self.starttag(node, "a", "", **attributes))


def depart_mention_repeat_html(self: HTML5Translator, _node: mention_repeat) -> None:
    """Close the ``<a>``."""
    self.body.append("</a>")


class article_disclosure(nodes.General, nodes.Element):
    """The article header's details, behind a one-line summary (``<details>``)."""


def visit_article_disclosure_html(self: HTML5Translator, node: article_disclosure) -> None:
    """Open the ``<details>``; its summary is the short header line."""
    self.body.append(self.starttag(node, "details", CLASS="article-more"))
    # Names and publishers in Chinese carry their lang inside the English header.
    brief = mark_escaped(self.encode(node["brief"]), xhtml=writes_xhtml(self.builder))
    self.body.append(
        f'<summary><span class="article-brief">{brief}</span>'
        f'<span class="article-more-label">{self.encode(MORE_LABEL)}</span></summary>\n')


def depart_article_disclosure_html(self: HTML5Translator, _node: article_disclosure) -> None:
    """Close the ``<details>``."""
    self.body.append("</details>\n")


class image_fallback(nodes.General, nodes.Element):
    """What a figure shows when its remote image cannot load: a link to the image.

    The figure's caption and its own credit line stay beside it, in the figure's caption.
    """


def visit_image_fallback_html(self: HTML5Translator, node: image_fallback) -> None:
    """The stand-in, in the figure's markup (scripts only decide when it shows)."""
    # The edition's words, in English whatever the article's language.
    self.body.append(self.starttag(node, "div", "", CLASS="image-fallback", lang="en"))
    self.body.append(f'<p class="image-fallback-note">{self.encode(IMAGE_MISSING)}</p>\n')
    if node.get("caption"):
        self.body.append(
            f'<p class="image-fallback-caption">{self.encode(node["caption"])}</p>\n')
    uri = node.get("uri", "")
    if is_web_url(uri):
        self.body.append(f'<p class="image-fallback-link"><a class="reference external" '
                         f'href="{self.attval(uri)}">{self.encode(IMAGE_LINK)}</a></p>\n')
    self.body.append("</div>\n")
    raise nodes.SkipNode


# --------------------------------------------------------------------------- mentions


def _mention_of(reference: nodes.reference) -> nodes.inline | None:
    """The mention node a resolved reference wraps, or ``None`` for other links."""
    if len(reference.children) != 1:
        return None
    child = reference[0]
    if isinstance(child, nodes.inline) and MENTION_CLASS in child["classes"]:
        return child
    return None


def _target(reference: nodes.reference) -> str:
    """Where a reference points: its URI, or ``#id`` within the page."""
    if reference.get("refuri"):
        return str(reference["refuri"])
    return "#" + str(reference.get("refid", "")) if reference.get("refid") else ""


def _as_text(reference: nodes.reference, quiet_class: str) -> mention_repeat:
    """The reference's content as an unlinked mention that remembers its target."""
    repeat = mention_repeat("", *reference.children, classes=[quiet_class],
                            href=_target(reference), reftitle=str(reference.get("reftitle", "")))
    return repeat


class QuietMentions(SphinxPostTransform):
    """Link a name at its first mention in a paragraph only; a date where the timeline helps."""

    # After the references are resolved (ReferencesResolver: 10).
    default_priority = 20
    builders = WEB_BUILDERS

    def run(self, **_kwargs: Any) -> None:
        """Unlink repeated mentions and dates the timeline adds nothing to."""
        domain = entity_domain(self.env)
        docname = self.env.docname
        for paragraph in list(self.document.findall(nodes.paragraph)):
            # A paragraph inside another (a sidenote's) is handled with its outer paragraph.
            if isinstance(paragraph.parent, nodes.paragraph):
                continue
            seen: set[str] = set()
            for reference in list(paragraph.findall(nodes.reference)):
                mention = _mention_of(reference)
                target = _target(reference)
                if mention is None or not target:
                    continue
                if DATE_CLASS in mention["classes"] and not self.timeline_adds(
                        domain, docname, reference, target):
                    reference.replace_self(_as_text(reference, QUIET_DATE_CLASS))
                elif target in seen:
                    reference.replace_self(_as_text(reference, REPEAT_CLASS))
                seen.add(target)

    def timeline_adds(self, domain: Any, docname: str, reference: nodes.reference,
                      target: str) -> bool:
        """Whether a date's timeline entry lists a place beyond this mention's paragraph."""
        found = _DATE_FRAGMENT.search(target)
        if found is None:
            return True
        here = (docname, mention_anchor(reference, self.document))
        return bool(domain.placed_elsewhere(found.group(1), "date", here))


# --------------------------------------------------------------------------- the header


def brief_line(meta: ArticleMeta) -> str:
    """Author · date · publisher, as a phone shows the header; editors' values in brackets."""
    values = {
        # said to be the original's author where the editors say so
        "authors": authors_byline(meta),
        # The day at most: the full header has the time.
        "date": meta.bracketed("date", day_date(meta)),
        "publisher": meta.bracketed("publisher", meta.publisher),
    }
    return " · ".join(values[key] for key in BRIEF_FIELDS if values[key])


def _top_notes(section: nodes.section) -> list[nodes.Element]:
    """The editors' notes that open an article (before its first paragraph of text)."""
    found: list[nodes.Element] = []
    for child in section.children:
        if isinstance(child, nodes.admonition) and "editorial-note" in child["classes"]:
            found.append(child)
        elif isinstance(child, (nodes.paragraph, nodes.section)) or (
                isinstance(child, nodes.container) and "parallel" in child["classes"]):
            break
    return found


class FoldArticleHeader(SphinxPostTransform):
    """Put the header's fields and notes behind a disclosure; gather the notes there once."""

    default_priority = 25
    builders = WEB_BUILDERS

    def run(self, **_kwargs: Any) -> None:
        """Fold the header of an article page."""
        meta = get_article_meta(self.env, self.env.docname)
        if meta is None:
            return
        header = next((node for node in self.document.findall(nodes.container)
                       if "article-header" in node["classes"]), None)
        if header is None or not isinstance(header.parent, nodes.section):
            return
        notes = next(iter(header.findall(editorial_notes)), None)
        top = _top_notes(header.parent)
        if top and notes is None:
            notes = editorial_notes("", summary="Editorial notes")
            header += notes
        for admonition in top:
            admonition.parent.remove(admonition)
            body = [child for child in admonition.children if not isinstance(child, nodes.title)]
            # The article's own note first: it says what the text is; the list says what changed.
            for position, child in enumerate(body):
                cast(nodes.Element, notes).insert(position, child)
        folded = [child for child in header.children
                  if isinstance(child, (nodes.field_list, editorial_notes))]
        if not folded:
            return
        disclosure = article_disclosure("", brief=brief_line(meta))
        for child in folded:
            header.remove(child)
            disclosure += child
        header += disclosure


# --------------------------------------------------------------------------- figures


def caption_text(figure: nodes.figure) -> str:
    """The plain text of a figure's caption (``""`` when it has none, or only a credit line).

    A credit says who made the image, not what it shows: it is no caption, and no alt text.
    """
    caption = next(iter(figure.findall(nodes.caption)), None)
    if caption is None or CREDIT_LINE.match(caption.astext()):
        return ""
    return " ".join(caption.astext().split())


def set_alt_from_caption(app: Sphinx, doctree: nodes.document) -> None:
    """Give every figure's image the caption as its alt text (a screen reader's description)."""
    if get_article_meta(app.env, app.env.docname) is None:
        return
    for figure in doctree.findall(nodes.figure):
        text = caption_text(figure) or IMAGE_NO_CAPTION
        for image in figure.findall(nodes.image):
            if not image.get("alt"):
                image["alt"] = text


def credit_lines(figure: nodes.Element) -> list[nodes.Element]:
    """A figure's own credit lines: the paragraphs (or caption) that start ``Credit:``."""
    return [node for node in figure.findall(nodes.TextElement)
            if isinstance(node, (nodes.paragraph, nodes.caption))
            and not isinstance(node.parent, nodes.caption)
            and CREDIT_LINE.match(node.astext())]


class AddImageFallbacks(SphinxPostTransform):
    """Give each figure with a remote image a stand-in; mark each figure's own credit line.

    The credit is the figure's, as the source states it: the article's ``image_credits`` (the
    credits of all its figures together) are never copied into a figure.
    """

    default_priority = 30
    builders = WEB_BUILDERS

    def run(self, **_kwargs: Any) -> None:
        """Add the stand-ins and mark the credit lines."""
        if get_article_meta(self.env, self.env.docname) is None:
            return
        figures: list[nodes.Element] = [
            *self.document.findall(nodes.figure),
            *(node for node in self.document.findall(nodes.container)
              if "text-figure" in node["classes"])]
        for figure in figures:
            for line in credit_lines(figure):
                line["classes"].append(CREDIT_CLASS)
        for figure in list(self.document.findall(nodes.figure)):
            image = next(iter(figure.findall(nodes.image)), None)
            if image is None or "://" not in str(image.get("uri", "")):
                continue
            caption = caption_text(figure)
            fallback = image_fallback("", uri=str(image["uri"]),
                                      caption="" if caption else IMAGE_NO_CAPTION)
            holder = image.parent if isinstance(image.parent, nodes.reference) else image
            holder.parent.insert(holder.parent.index(holder) + 1, fallback)
            figure["classes"].append("remote-figure")


# --------------------------------------------------------------------------- page


def on_html_page_context(app: Sphinx, pagename: str, _templatename: str,
                         context: dict[str, Any], _doctree: Any) -> None:
    """Fold the secondary sidebar of a parallel article: its two columns need the width."""
    meta = get_article_meta(app.env, pagename)
    if meta is not None and meta.is_parallel:
        context["secondary_sidebar_items"] = []


def add_static(app: Sphinx) -> None:
    """Add the reading script and stylesheet to the web edition.

    Not to the EPUB, which copies every static file: its checker refuses the modern
    selectors, and a book has no scripts.
    """
    if app.builder.name not in WEB_BUILDERS:
        return
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
    app.add_js_file(SCRIPT, loading_method="defer")
    app.add_css_file(STYLESHEET)


def setup_reading(app: Sphinx) -> None:
    """Register the reading view."""
    # The nodes exist in web doctrees only: the transforms that make them are web-only.
    app.add_node(mention_repeat, html=(visit_mention_repeat_html, depart_mention_repeat_html))
    app.add_node(article_disclosure,
                 html=(visit_article_disclosure_html, depart_article_disclosure_html))
    app.add_node(image_fallback, html=(visit_image_fallback_html, None))
    app.add_post_transform(QuietMentions)
    app.add_post_transform(FoldArticleHeader)
    app.add_post_transform(AddImageFallbacks)
    # Before the article component gives images an empty alt (priority 500).
    app.connect("doctree-read", set_alt_from_caption, priority=400)
    app.connect("builder-inited", add_static)
    # After the theme has chosen the page's sidebar items (priority 500).
    app.connect("html-page-context", on_html_page_context, priority=900)
