"""The EPUB as a book: the book's pages, its contents, languages, EPUB footnotes, a cover.

Sphinx's EPUB 3 builder is kept and extended (:class:`EditionEpubBuilder`, same name):

- the book holds what the PDF holds (``edition_book_omit`` leaves out the contributor guide
  and the generated pages of entities and the timeline): front matter, the texts, the method,
  how to cite, then the three registers; links to a page left out become its text
  (:class:`UnlinkOmitted`), so a name in running text is text;
- the contents list every page of the book and the sections of each article, not the
  citation section each article ends with, and close with the registers;
- the package document names every language of the texts and the editors' role, and marks the
  cover image as one: Sphinx's template for it, with those additions, is the builder's
  (``epub3/content.opf.jinja`` beside this module, :attr:`EditionEpubBuilder.template_dir`);
- every chapter's ``<html>`` carries ``lang`` and ``xml:lang`` (an article's main language,
  the ``html_tag`` of the page's context), and so does every passage in another language (the
  Chinese half of a parallel pair): the EPUB's translator, :class:`EditionEpubTranslator`,
  writes the twin ``xml:lang`` of every ``lang``;
- footnote references and footnotes are marked ``epub:type="noteref"`` / ``"footnote"`` and
  written without the bracket spans that reading systems print as "[[1]]" (the translator
  too);
- a cover (an SVG with the title and subtitle) is drawn at build time, its words as the
  outlines of their glyphs in the Noto faces (:class:`Outliner`), so it needs no font.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

from docutils import nodes
from sphinx.builders._epub_base import NavPoint as NcxPoint
from sphinx.builders.epub3 import Epub3Builder, NavPoint
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from edition.article.frontmatter import get_article_meta
from edition.article.listings import omitted
from edition.citation.model import ID_SUFFIX as CITATION_ID_SUFFIX
from edition.entities.domain import LANGUAGE_CLASS
from edition.outputs.book import splice
from edition.outputs.pdf import Face, find_face
from edition.security import safety
from edition.security.files import remove_file, write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: Where the generated cover is written, relative to the EPUB's output folder.
COVER_IMAGE = "_static/edition-cover.svg"

#: The builder's templates of the package files (content.opf, the NCX, the navigation
#: document, the container and the mimetype), in place of Sphinx's ``templates/epub3``.
TEMPLATES = Path(__file__).parent / "epub3"

#: A BCP 47 tag as the edition writes them (``en``, ``zh-Hans``): anything else is refused.
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

#: The cover's size (3:4), margin and colours.
COVER_WIDTH, COVER_HEIGHT = 1200, 1600
COVER_MARGIN = 100
COVER_BACKGROUND, COVER_INK, COVER_ACCENT = "#1f2a36", "#f5efe2", "#c8553d"
#: The faces the cover's words are drawn from, by style (fontconfig family names): the Latin
#: face first, then the Chinese one, the pair the PDF sets the text in.
COVER_FACES: dict[str, tuple[str, ...]] = {
    "Bold": ("Noto Serif", "Noto Serif CJK SC"),
    "Regular": ("Noto Serif", "Noto Serif CJK SC"),
}


def epub_language(value: str, default: str = "en") -> str:
    """A BCP 47 tag of the edition's allow-list, safe for an attribute (else ``default``)."""
    allowed = safety.language_tag(value)
    return allowed if allowed and LANGUAGE_TAG.match(allowed) else default


#: The EPUB attribute of a footnote reference, and of a footnote.
NOTE_REFERENCE: dict[str, Any] = {"epub:type": "noteref"}
FOOTNOTE: dict[str, Any] = {"epub:type": "footnote"}


class EditionEpubTranslator(HTML5Translator):
    """Sphinx's HTML writer for the EPUB's XHTML: ``xml:lang`` with ``lang``, EPUB footnotes."""

    def starttag(self, node: nodes.Element, tagname: str, suffix: str = "\n",
                 empty: bool = False, **attributes: Any) -> str:
        """The start tag, with ``xml:lang`` wherever it has a ``lang`` (older readers' one).

        Docutils writes the first ``language-…`` class of the node or of the ``class`` given as
        ``lang``, or a ``lang`` given; the twin is given the same value.
        """
        given = {str(name).lower(): value for name, value in attributes.items()}
        classes = [*node.get("classes", []), *str(given.get("class", "")).split()]
        languages = [str(c)[len(LANGUAGE_CLASS):] for c in classes
                     if str(c).startswith(LANGUAGE_CLASS)]
        language = languages[0] if languages else given.get("lang")
        if language and "xml:lang" not in given:
            attributes["xml:lang"] = language
        return super().starttag(node, tagname, suffix, empty, **attributes)

    def visit_footnote_reference(self, node: nodes.Element) -> None:
        """A note reference: ``epub:type="noteref"``, its number raised, without brackets."""
        self.body.append(self.starttag(
            node, "a", suffix="", classes=["footnote-reference"], role="doc-noteref",
            href="#" + str(node["refid"]), **NOTE_REFERENCE))
        self.body.append("<sup>")

    def depart_footnote_reference(self, _node: nodes.Element) -> None:
        """Close the number and the link."""
        self.body.append("</sup></a>")

    def visit_footnote(self, node: nodes.Element) -> None:
        """A note: ``epub:type="footnote"``, in the list of notes docutils wraps them in."""
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append(
                f'<aside class="footnote-list {self.settings.footnote_references}">\n')
        self.body.append(self.starttag(node, "aside", classes=[node.tagname],
                                       role="doc-footnote", **FOOTNOTE))

    def visit_label(self, node: nodes.Element) -> None:
        """A note's number, a link back to its reference, without brackets."""
        self.body.append('<span class="label">')
        backrefs: list[str] = (node.parent.get("backrefs", [])
                               if self.settings.footnote_backlinks else [])
        if len(backrefs) == 1:
            self.body.append(f'<a role="doc-backlink" href="#{backrefs[0]}">')

    def depart_label(self, node: nodes.Element) -> None:
        """Close the number; several references are linked after it, as docutils does."""
        backrefs: list[str] = (node.parent.get("backrefs", [])
                               if self.settings.footnote_backlinks else [])
        if len(backrefs) == 1:
            self.body.append("</a>")
        self.body.append("</span>\n")
        if len(backrefs) > 1:
            links = ",".join(f'<a role="doc-backlink" href="#{ref}">{number}</a>'
                             for number, ref in enumerate(backrefs, 1))
            self.body.append(f'<span class="backrefs">({links})</span>\n')


class CoverLine(NamedTuple):
    """A line of the cover's text, where it stands and how it is set."""

    #: The words.
    text: str
    #: Left end of the baseline.
    x: float
    #: Height of the baseline.
    y: float
    #: Font size (the em, in the cover's units).
    size: float
    #: ``"Bold"`` or ``"Regular"``: the style of the faces (:data:`COVER_FACES`).
    style: str
    #: Opacity of the ink.
    opacity: float = 1.0


def cover_lines(title: str, subtitle: str, description: str) -> list[CoverLine]:
    """The cover's text: the title on two lines, the Chinese title, a line on what it holds."""
    words = title.split()
    # The title on two lines, split where the halves are closest in length.
    split = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i]))
                                                      - len(" ".join(words[i:]))),
                default=len(words))
    halves = [line for line in (" ".join(words[:split]), " ".join(words[split:])) if line]
    lines = [CoverLine(line, COVER_MARGIN, 520 + 130 * n, 104, "Bold")
             for n, line in enumerate(halves)]
    lines.append(CoverLine(subtitle, COVER_MARGIN, 560 + 130 * len(halves), 80, "Regular"))
    lines.append(CoverLine(description, COVER_MARGIN, 1400, 34, "Regular", 0.8))
    return [line for line in lines if line.text]


class Outliner:
    """Draws text as the outlines of its glyphs, taken from font files with fontTools.

    A reading system shows the cover with whatever fonts it has; drawn as shapes, the
    Chinese title looks as designed everywhere, and the cover embeds no font. Each character
    comes from the first face that has it (the Latin face, then the Chinese one); glyphs
    stand at their advance widths, without kerning.
    """

    def __init__(self, faces: dict[str, list[Face]]) -> None:
        """Open the faces of each style (lazily: only the glyphs drawn are read)."""
        from fontTools.ttLib import TTFont

        self.fonts = {style: [TTFont(str(face.file), fontNumber=face.number, lazy=True)
                              for face in found] for style, found in faces.items()}
        self.cmaps = {style: [font.getBestCmap() for font in fonts]
                      for style, fonts in self.fonts.items()}

    def covers(self, line: CoverLine) -> bool:
        """Whether the faces of the line's style have every character of its text."""
        cmaps = self.cmaps.get(line.style, [])
        return all(char.isspace() or any(ord(char) in cmap for cmap in cmaps)
                   for char in line.text)

    def glyphs(self, line: CoverLine) -> list[tuple[Any, str, float]]:
        """(font, glyph name, advance in ems) of each character of the line."""
        found = []
        for char in line.text:
            fonts = self.fonts[line.style]
            number = next((n for n, cmap in enumerate(self.cmaps[line.style])
                           if ord(char) in cmap), 0)
            font = fonts[number]
            name = self.cmaps[line.style][number].get(ord(char), ".notdef")
            advance = font["hmtx"][name][0] / font["head"].unitsPerEm
            found.append((font, name, advance))
        return found

    def path(self, line: CoverLine, width: float) -> str:
        """The outline of a line as SVG path data, made smaller if it is wider than ``width``."""
        from fontTools.pens.svgPathPen import SVGPathPen
        from fontTools.pens.transformPen import TransformPen

        glyphs = self.glyphs(line)
        size = min(line.size, width / max(sum(g[2] for g in glyphs), 1e-9))
        x = line.x
        parts = []
        for font, name, advance in glyphs:
            scale = size / font["head"].unitsPerEm
            # One decimal: a cover of 1200 units needs no more, and the file stays the same
            # from build to build.
            pen = SVGPathPen(font.getGlyphSet(), ntos=lambda n: f"{n:.1f}".rstrip("0").rstrip("."))
            font.getGlyphSet()[name].draw(TransformPen(pen, (scale, 0, 0, -scale, x, line.y)))
            parts.append(pen.getCommands())
            x += advance * size
        return "".join(part for part in parts if part)


def cover_outliner() -> Outliner | None:
    """An :class:`Outliner` for the cover's faces, or ``None`` when fontconfig lacks one."""
    faces: dict[str, list[Face]] = {}
    for style, families in COVER_FACES.items():
        found = [find_face(family, style) for family in families]
        if None in found:
            missing = [f for f, face in zip(families, found, strict=True) if face is None]
            logger.warning("the EPUB's cover is drawn with text, not outlines: %s %s not "
                           "found by fontconfig (install fonts-noto-core, fonts-noto-cjk)",
                           ", ".join(missing), style, type="edition", subtype="epub")
            return None
        faces[style] = [face for face in found if face is not None]
    return Outliner(faces)


def cover_svg(title: str, subtitle: str, description: str,
              outliner: Outliner | None = None) -> str:
    """The cover: the edition's title, its Chinese title and a line on what it holds.

    With an outliner the words are shapes (paths), and the SVG's title and description say
    them for a screen reader; without one, they are SVG text in the reading system's fonts.
    """
    lines = cover_lines(title, subtitle, description)
    width = COVER_WIDTH - 2 * COVER_MARGIN
    drawn: list[str] = []
    for line in lines:
        opacity = f' fill-opacity="{line.opacity}"' if line.opacity != 1 else ""
        if outliner is not None and outliner.covers(line):
            drawn.append(f'<path{opacity} d="{outliner.path(line, width)}"/>')
        else:
            weight = ' font-weight="bold"' if line.style == "Bold" else ""
            drawn.append(f'<text x="{line.x:g}" y="{line.y:g}" font-size="{line.size:g}"'
                         f"{weight}{opacity}>{escape(line.text)}</text>")
    serif = "'Noto Serif', 'Noto Serif CJK SC', Georgia, serif"
    said = " · ".join(text for text in (subtitle, description) if text)
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{COVER_WIDTH}" '
        f'height="{COVER_HEIGHT}" viewBox="0 0 {COVER_WIDTH} {COVER_HEIGHT}">',
        f"<title>{escape(title)}</title>",
        *([f"<desc>{escape(said)}</desc>"] if said else []),
        f'<rect width="{COVER_WIDTH}" height="{COVER_HEIGHT}" fill="{COVER_BACKGROUND}"/>',
        f'<rect x="{COVER_MARGIN}" y="300" width="160" height="16" fill="{COVER_ACCENT}"/>',
        f'<g fill="{COVER_INK}" font-family={quoteattr(serif)}>',
        *drawn,
        "</g>",
        "</svg>",
        "",
    ])


class EditionEpubBuilder(Epub3Builder):
    """Sphinx's EPUB 3 builder with the edition's book, navigation, metadata and cover."""

    # Of the path type Sphinx gives it.
    template_dir = type(Epub3Builder.template_dir)(TEMPLATES)

    def omitted(self, docname: str) -> bool:
        """Whether a document stays out of the book (``edition_book_omit``)."""
        return omitted(docname, list(self.config.edition_book_omit))

    def write_documents(self, docnames: Set[str]) -> None:
        """Write the book's documents only: the others are pages of the web edition."""
        super().write_documents({name for name in docnames if not self.omitted(name)})

    def in_book(self, navnode: dict[str, Any]) -> bool:
        """Whether a navigation entry leads into the book, and not to a citation section."""
        path, _hash, fragment = html.unescape(str(navnode["refuri"])).partition("#")
        docname = path.removesuffix(self.out_suffix)
        if docname in self.env.found_docs and self.omitted(docname):
            return False
        meta = get_article_meta(self.env, docname) if docname in self.env.found_docs else None
        # Every article ends with how to cite it: the contents list the texts, not that.
        slug = meta.label if meta is not None else ""
        return not (slug and fragment == slug + CITATION_ID_SUFFIX)

    def get_toc(self) -> None:
        """The contents (and the reading order) without the pages left out of the book."""
        super().get_toc()
        self.refnodes = [node for node in self.refnodes if self.in_book(node)]

    def book_contents(self, navnodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The contents of the book: its pages and their sections, then the registers.

        Without the citation sections; the registers (the domain indices, which end the
        reading order) are in no toctree, so they are added here.
        """
        kept = [node for node in navnodes if self.in_book(node)]
        listed = {str(node["refuri"]) for node in kept}
        for name, index, _content, _collapse in self.domain_indices:
            uri = html.escape(name + self.out_suffix)
            if uri not in listed:
                kept.append({"level": 1, "refuri": uri, "text": html.escape(index.localname)})
        return kept

    def build_navlist(self, navnodes: list[dict[str, Any]]) -> list[NavPoint]:
        """The navigation document (``nav.xhtml``) lists the book's contents."""
        return super().build_navlist(self.book_contents(navnodes))

    def build_navpoints(self, nodes: list[dict[str, Any]]) -> list[NcxPoint]:
        """The NCX lists the book's contents too."""
        return super().build_navpoints(self.book_contents(nodes))

    def prepare_writing(self, docnames: Set[str]) -> None:
        """Prepare as Sphinx does; the registers name pages outside the book without a link."""
        super().prepare_writing(docnames)
        self.domain_indices = [
            (name, index, [(letter, [entry._replace(docname="", anchor="")
                                     if entry.docname and self.omitted(entry.docname)
                                     else entry for entry in entries])
                           for letter, entries in content], collapse)
            for name, index, content, collapse in self.domain_indices]

    def content_metadata(self) -> dict[str, Any]:
        """The package metadata, with the other languages of the texts (``other_languages``).

        Escaped, as Sphinx escapes the values of its template (which does not escape them).
        """
        metadata = super().content_metadata()
        main = epub_language(self.config.epub_language)
        metadata["lang"] = main
        extra = [epub_language(tag, "") for tag in self.config.edition_epub_languages]
        metadata["other_languages"] = [html.escape(tag) for tag in extra if tag and tag != main]
        return metadata

    def build_content(self) -> None:
        """Write content.opf (the template: :data:`TEMPLATES`) from the book's files only."""
        # Pages of the web edition an earlier build left here would join the manifest, and
        # the cover page it wrote would be in the reading order twice (Sphinx writes it again).
        for docname in sorted(self.env.found_docs):
            if self.omitted(docname):
                remove_file(Path(self.outdir) / (docname + self.out_suffix))
        remove_file(Path(self.outdir) / self.coverpage_name)
        super().build_content()


class UnlinkOmitted(SphinxPostTransform):
    """In the EPUB, a link to a page left out of the book becomes its text (a name, say)."""

    # After the references are resolved (10).
    default_priority = 20
    builders = ("epub",)

    def run(self, **_kwargs: Any) -> None:
        """Replace each link to an omitted page by its content."""
        patterns = list(self.config.edition_book_omit)
        folder = posixpath.dirname(self.env.docname)
        for ref in list(self.document.findall(nodes.reference)):
            path = str(ref.get("refuri", "")).partition("#")[0]
            if not path or "://" in path or path.startswith(("/", "mailto:")):
                continue
            # The page a relative link leads to, as a docname (without the page suffix).
            docname = posixpath.splitext(posixpath.normpath(posixpath.join(folder, path)))[0]
            if (docname in self.env.found_docs and omitted(docname, patterns)
                    and ref.parent is not None):
                splice(ref, list(ref.children))


def write_cover(app: Sphinx) -> None:
    """Draw the cover into the EPUB's output folder (``builder-inited``, EPUB only)."""
    if not isinstance(app.builder, Epub3Builder):
        return
    path = Path(app.outdir) / COVER_IMAGE
    text = cover_svg(app.config.epub_title, app.config.edition_subtitle,
                     app.config.edition_cover_line, cover_outliner())
    write_if_changed(path, text)


def on_epub_page_context(
    app: Sphinx, pagename: str, _templatename: str, context: dict[str, Any], _doctree: Any
) -> None:
    """A chapter's language on its ``<html>`` (the ``html_tag`` the EPUB's layout writes)."""
    if not isinstance(app.builder, Epub3Builder):
        return
    meta = get_article_meta(app.env, pagename)
    language = epub_language((meta.main_language if meta else "") or app.config.epub_language)
    context["html_tag"] = (
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{language}" xml:lang="{language}">'
    )


def use_epub_translator(app: Sphinx) -> None:
    """Make the EPUB's pages with the edition's translator, in an EPUB build only.

    Registered at ``builder-inited``, before the theme's handler (priority 500): the theme
    (pydata-sphinx-theme) gives its accessibility and table rules to the default translator of
    an HTML build only when no translator is registered — one registered for the EPUB in setup()
    took them away from every web page (headings of the sidebar lost their ``aria-level``).
    """
    if app.builder.name == "epub":
        app.set_translator("epub", EditionEpubTranslator, override=True)


def setup_epub(app: Sphinx) -> None:
    """Register the EPUB component."""
    app.add_builder(EditionEpubBuilder, override=True)
    app.connect("builder-inited", use_epub_translator, priority=100)
    app.add_post_transform(UnlinkOmitted)
    app.connect("builder-inited", write_cover)
    # After the article component, which sets the page's language.
    app.connect("html-page-context", on_epub_page_context, priority=600)
