"""The EPUB as a book: full navigation, languages, EPUB footnotes, metadata and a cover.

Sphinx's EPUB 3 builder is kept and extended (:class:`EditionEpubBuilder`, same name):

- the navigation lists every page of the edition and the sections of each article, but not
  the ~190 generated entity pages (the index page of people and companies leads to them);
- the package document names every language of the texts and the editors' role;
- every chapter's ``<html>`` carries ``lang`` and ``xml:lang`` (an article's main language),
  and so does every passage in another language (the Chinese half of a parallel pair);
- footnote references and footnotes are marked ``epub:type="noteref"`` / ``"footnote"`` and
  lose the bracket spans that reading systems print as "[[1]]";
- a cover (an SVG with the title and subtitle) is drawn at build time.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from sphinx.builders.epub3 import Epub3Builder, NavPoint
from sphinx.util import logging

from . import safety
from .files import write_if_changed
from .frontmatter import get_front_matter
from .text import main_language

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Where the generated cover is written, relative to the EPUB's output folder.
COVER_IMAGE = "_static/edition-cover.svg"

#: A BCP 47 tag as the edition writes them (``en``, ``zh-Hans``): anything else is refused.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

#: A ``lang`` attribute docutils wrote for a ``language-…`` class, without ``xml:lang``.
LANG_ATTRIBUTE = re.compile(r'(?<![:\w])lang="([A-Za-z0-9-]+)"(?! xml:lang)')

#: The bracket spans around footnote numbers (the theme's CSS adds brackets of its own).
FOOTNOTE_BRACKET = re.compile(r'<span class="fn-bracket">[\[\]]</span>')
#: A footnote reference and its number. Its attributes hold no ``<`` (docutils writes it as
#: ``&lt;``), and the pattern says so: with ``[^>]*``, each reference of a tag left open would
#: be looked for again up to the same ``>``.
NOTE_REFERENCE = re.compile(r'<a class="footnote-reference brackets"([^<>]*)>([^<]*)</a>')
#: The start of a footnote.
FOOTNOTE = re.compile(r'<aside class="footnote brackets"')

#: The cover's size (3:4) and colours.
COVER_WIDTH, COVER_HEIGHT = 1200, 1600
COVER_BACKGROUND, COVER_INK, COVER_ACCENT = "#1f2a36", "#f5efe2", "#c8553d"


def language_tag(value: str, default: str = "en") -> str:
    """A BCP 47 tag of the edition's allow-list, safe for an attribute (else ``default``)."""
    allowed = safety.language_tag(value)
    return allowed if allowed and LANGUAGE_TAG.match(allowed) else default


def mark_languages(body: str) -> str:
    """Give every ``lang`` attribute its XHTML twin ``xml:lang``."""
    return LANG_ATTRIBUTE.sub(lambda m: f'lang="{m.group(1)}" xml:lang="{m.group(1)}"', body)


def mark_footnotes(body: str) -> str:
    """EPUB footnotes: ``epub:type`` on references and notes, numbers without brackets."""
    body = FOOTNOTE_BRACKET.sub("", body)
    body = NOTE_REFERENCE.sub(
        r'<a class="footnote-reference" epub:type="noteref"\1><sup>\2</sup></a>', body)
    return FOOTNOTE.sub('<aside class="footnote" epub:type="footnote"', body)


def cover_svg(title: str, subtitle: str, description: str) -> str:
    """The cover: the edition's title, its Chinese title and a line on what it holds."""
    words = title.split()
    # The title on two lines, split where the halves are closest in length.
    split = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i]))
                                                      - len(" ".join(words[i:]))),
                default=len(words))
    lines = [" ".join(words[:split]), " ".join(words[split:])]
    serif = "'Noto Serif', 'Noto Serif CJK SC', Georgia, serif"
    texts = [
        f'<text x="100" y="{520 + 130 * n}" font-size="104" font-weight="bold">'
        f"{escape(line)}</text>" for n, line in enumerate(line for line in lines if line)
    ]
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{COVER_WIDTH}" '
        f'height="{COVER_HEIGHT}" viewBox="0 0 {COVER_WIDTH} {COVER_HEIGHT}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{COVER_WIDTH}" height="{COVER_HEIGHT}" fill="{COVER_BACKGROUND}"/>',
        f'<rect x="100" y="300" width="160" height="16" fill="{COVER_ACCENT}"/>',
        f'<g fill="{COVER_INK}" font-family={quoteattr(serif)}>',
        *texts,
        f'<text x="100" y="{560 + 130 * len(texts)}" font-size="80">{escape(subtitle)}</text>',
        f'<text x="100" y="1400" font-size="34" fill-opacity="0.8">{escape(description)}'
        "</text>",
        "</g>",
        "</svg>",
        "",
    ])


class EditionEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the edition's navigation, metadata and cover."""

    def build_navlist(self, navnodes: list[dict[str, Any]]) -> list[NavPoint]:
        """Leave the generated entity pages out of the navigation (their index stays)."""
        prefix = self.config.edition_generated.rstrip("/") + "/"
        kept = [node for node in navnodes
                if not (node["level"] > 1 and str(node["refuri"]).startswith(prefix))]
        return super().build_navlist(kept)

    def content_metadata(self) -> dict[str, Any]:
        """The package metadata, with the cover."""
        metadata = super().content_metadata()
        metadata["lang"] = language_tag(self.config.epub_language)
        return metadata

    def build_content(self) -> None:
        """Write content.opf, then add the texts' languages, the editors' role, the cover."""
        super().build_content()
        path = Path(self.outdir) / "content.opf"
        opf = path.read_text(encoding="utf-8")
        main = language_tag(self.config.epub_language)
        extra = [language_tag(tag, "") for tag in self.config.edition_epub_languages]
        languages = "".join(f"\n    <dc:language>{escape(tag)}</dc:language>"
                            for tag in extra if tag and tag != main)
        opf = opf.replace(f"<dc:language>{main}</dc:language>",
                          f"<dc:language>{main}</dc:language>{languages}", 1)
        opf = re.sub(r"<dc:creator>", '<dc:creator id="editors">', opf, count=1)
        opf = opf.replace(
            "<dc:date>",
            '<meta refines="#editors" property="role" scheme="marc:relators">edt</meta>\n'
            "    <dc:date>", 1)
        cover = escape(COVER_IMAGE)
        opf = re.sub(rf'(<item id="[^"]*" href="{re.escape(cover)}" [^>]*?)\s*/>',
                     r'\1 properties="cover-image" />', opf, count=1)
        path.write_text(opf, encoding="utf-8")


def write_cover(app: Sphinx) -> None:
    """Draw the cover into the EPUB's output folder (``builder-inited``, EPUB only)."""
    if not isinstance(app.builder, Epub3Builder):
        return
    path = Path(app.outdir) / COVER_IMAGE
    text = cover_svg(app.config.epub_title, app.config.edition_subtitle,
                     app.config.edition_cover_line)
    write_if_changed(path, text)


def on_epub_page_context(
    app: Sphinx, pagename: str, _templatename: str, context: dict[str, Any], _doctree: Any
) -> None:
    """A chapter's language on its ``<html>``; xml:lang and EPUB footnotes in its body."""
    if not isinstance(app.builder, Epub3Builder):
        return
    meta = get_front_matter(app.env, pagename)
    language = language_tag((main_language(meta) if meta else "") or app.config.epub_language)
    context["html_tag"] = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{language}" xml:lang="{language}">'
    )
    if isinstance(context.get("body"), str):
        context["body"] = mark_footnotes(mark_languages(context["body"]))


def setup_epub(app: Sphinx) -> None:
    """Register the EPUB component."""
    app.add_builder(EditionEpubBuilder, override=True)
    app.connect("builder-inited", write_cover)
    # After the article component, which sets the page's language.
    app.connect("html-page-context", on_epub_page_context, priority=600)
