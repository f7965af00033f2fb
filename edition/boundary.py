"""The reader's browser is sacred: what pages and data files may not carry into the output.

Sphinx's templates do not escape what they print, and docutils writes whatever markup a page
asks for. This component stands between the pages (sources, pull requests) and the outputs:

- template values made of page text (``pagetitle``, ``root_title``: the book theme prints them
  as they are, in the print-only header and the sidebar) are escaped, ``language`` is taken
  from the allow-list, and the header buttons' addresses and labels are escaped;
- raw markup (``{raw}``, HTML blocks, ``.. raw::`` inside ``{eval-rst}``) and ``http-equiv``
  metadata (a refresh to another site) are removed with a located warning;
- a link whose scheme is not http(s), mailto or relative (``javascript:``) becomes its text;
- characters XML forbids are removed (one of them makes the EPUB's XHTML ill-formed);
- ``include``, ``literalinclude`` and ``csv-table`` read no file outside the repository;
- a page that is not UTF-8 is a warning at the line of its first bad byte and is read with
  U+FFFD for what cannot be decoded (Sphinx would stop with a crash report).

Each refusal is a warning with its location: under ``-W`` a failed build, never a traceback.
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig as utf_8_sig
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst.directives.tables import CSVTable
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.directives.code import LiteralInclude
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging

from .safety import language_tag, strip_xml_forbidden, xml_forbidden

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typing_extensions import Buffer

logger = logging.getLogger(__name__)

#: Template values holding page text as plain text: the theme prints them unescaped.
TEXT_CONTEXT_KEYS: tuple[str, ...] = ("pagetitle", "root_title", "page_description")
#: Keys of the theme's header buttons that it prints into attributes or text unescaped.
BUTTON_TEXT_KEYS: tuple[str, ...] = ("url", "tooltip", "text", "label")
#: URL schemes a link in a page may have (besides none: a relative link or a fragment).
LINK_SCHEMES: tuple[str, ...] = ("http", "https", "mailto")
#: Node attributes holding text that reaches the output (alt text, titles, addresses).
TEXT_ATTRIBUTES: tuple[str, ...] = ("alt", "title", "refuri", "uri", "reftitle")
#: Raw output MyST itself writes for Markdown syntax (hard line breaks, strikethrough): the
#: only raw content a page may produce, besides HTML comments.
SAFE_RAW: frozenset[tuple[str, str]] = frozenset({
    ("html", "<br />\n"),
    ("latex", "\\\\\n"),
    ("html", "<s>"),
    ("html", "</s>"),
})
#: The language of the edition's own pages when the configuration names none the edition knows.
DEFAULT_LANGUAGE = "en"

# A raw HTML node that only holds a comment (MyST turns ``<!-- … -->`` into one) is harmless.
_HTML_COMMENT = re.compile(r"\A\s*<!--(?:(?!--)[^>])*?-->\s*\Z", re.DOTALL)


def _warn(message: str, node: nodes.Node, subtype: str, docname: str) -> None:
    # Some nodes (metadata) carry no line: the page is the location then.
    location: nodes.Node | str = node if node.line else docname
    logger.warning(message, location=location, type="edition", subtype=subtype)


# --------------------------------------------------------------------------- templates


def _escape_buttons(buttons: list[dict[str, Any]]) -> None:
    for button in buttons:
        for key in BUTTON_TEXT_KEYS:
            if isinstance(button.get(key), str):
                button[key] = escape(button[key])
        _escape_buttons(button.get("buttons") or [])


def edition_language(app: Sphinx) -> str:
    """The edition's default language: the configured one if allowed, else English."""
    return language_tag(app.config.language) or DEFAULT_LANGUAGE


def escape_page_context(app: Sphinx, _pagename: str, _templatename: str,
                        context: dict[str, Any], _doctree: Any) -> None:
    """Escape every template value made of page text; allow only known language tags."""
    for key in TEXT_CONTEXT_KEYS:
        if isinstance(context.get(key), str):
            context[key] = escape(context[key])
    if "language" in context:
        context["language"] = language_tag(context["language"]) or edition_language(app)
    _escape_buttons(context.get("header_buttons") or [])


# --------------------------------------------------------------------------- transforms


class RemoveRawMarkup(SphinxTransform):
    """Remove raw HTML, LaTeX and other raw output from pages, and refresh/redirect metadata.

    The edition's components add their own raw output after this transform runs (the PDF's
    language switch, the timeline's chart); what a page brings is never written as it is.
    """

    # Late in reading, once MyST and docutils have made every node of the page, but before
    # Sphinx's DoctreeReadEvent (880), after which the components add their own raw output.
    default_priority = 870

    def apply(self, **_kwargs: Any) -> None:
        """Drop the raw nodes and ``http-equiv`` metadata, warning at each."""
        for raw in list(self.document.findall(nodes.raw)):
            fmt = raw.get("format", "")
            if (fmt, raw.astext()) in SAFE_RAW or (
                    fmt == "html" and _HTML_COMMENT.match(raw.astext())):
                continue
            _warn(f"raw {raw.get('format', '')} markup removed: a page may not write "
                  "markup of its own", raw, "raw", self.env.docname)
            raw.parent.remove(raw)
        for meta in list(self.document.findall(nodes.meta)):
            if meta.get("http-equiv"):
                _warn(f"http-equiv metadata {meta.get('http-equiv')!r} removed", meta, "raw",
                      self.env.docname)
                meta.parent.remove(meta)


class RemoveForbiddenCharacters(SphinxTransform):
    """Remove the characters XML forbids (``&#1;`` in a source) from text and attributes."""

    default_priority = 871

    def apply(self, **_kwargs: Any) -> None:
        """Rewrite each text or attribute holding one, warning once per element."""
        for text in list(self.document.findall(nodes.Text)):
            found = xml_forbidden(str(text))
            if found and text.parent is not None:
                _warn(f"{', '.join(found)} removed: XML forbids it", text.parent, "characters",
                      self.env.docname)
                text.parent.replace(text, nodes.Text(strip_xml_forbidden(str(text))))
        for element in self.document.findall(nodes.Element):
            for name in TEXT_ATTRIBUTES:
                value = element.get(name)
                if isinstance(value, str) and xml_forbidden(value):
                    _warn(f"{', '.join(xml_forbidden(value))} removed from {name}: XML "
                          "forbids it", element, "characters", self.env.docname)
                    element[name] = strip_xml_forbidden(value)


def strip_resolved_forbidden(_app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """Remove characters XML forbids from what pages gain after reading (indices, the timeline).

    Generated listings are filled from the domain's data when the document is resolved, after
    the reading transform: a mention's sentence or an article's title quoted there must be as
    clean as the page it came from (the warning was given where the character was read).
    """
    for text in list(doctree.findall(nodes.Text)):
        if xml_forbidden(str(text)) and text.parent is not None:
            text.parent.replace(text, nodes.Text(strip_xml_forbidden(str(text))))


def is_safe_link(uri: str) -> bool:
    """Whether a link may lead to ``uri``: relative, a fragment, or http(s)/mailto."""
    # Browsers ignore tabs, newlines and leading controls in a scheme: so must the check.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", uri)
    try:
        scheme = urlsplit(squeezed).scheme.lower()
    except ValueError:
        return False
    return not scheme or scheme in LINK_SCHEMES


class UnlinkUnsafeReferences(SphinxPostTransform):
    """Make a link to ``javascript:``, ``data:`` or another non-web scheme its plain text."""

    # After every reference is resolved, before the writers.
    default_priority = 900

    def run(self, **_kwargs: Any) -> None:
        """Replace each unsafe reference by its children."""
        for ref in list(self.document.findall(nodes.reference)):
            uri = ref.get("refuri")
            if not isinstance(uri, str) or is_safe_link(uri):
                continue
            _warn(f"link to {uri[:80]!r} shown as text: only http(s), mailto and relative "
                  "links are written", ref, "link", self.env.docname)
            ref.replace_self(nodes.inline("", "", *ref.children) if ref.children
                             else nodes.Text(ref.astext()))


# --------------------------------------------------------------------------- file access


def repository_root(app: Sphinx) -> Path:
    """The folder files may be included from: the one holding the Sphinx project's folder."""
    return Path(app.confdir).resolve().parent


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (after following links) lies within ``root``."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False


def guard_include(app: Sphinx, relative_path: Path, parent_docname: str,
                  content: list[str]) -> None:
    """Include nothing from outside the repository (``{include}`` of ``/etc/hostname``)."""
    path = Path(app.srcdir, relative_path)
    if not inside(path, repository_root(app)):
        logger.warning("include of %s refused: outside the repository", relative_path,
                       location=parent_docname, type="edition", subtype="include")
        content[0] = ""


class GuardedLiteralInclude(LiteralInclude):
    """``literalinclude``, reading files of the repository only."""

    def run(self) -> list[nodes.Node]:
        """Refuse a file outside the repository with a located warning."""
        _relative, path = self.env.relfn2path(self.arguments[0])
        if not inside(Path(path), repository_root(self.env.app)):
            logger.warning("literalinclude of %s refused: outside the repository",
                           self.arguments[0], location=self.get_location(),
                           type="edition", subtype="include")
            return []
        return super().run()


class GuardedCSVTable(CSVTable):
    """``csv-table``, reading files of the repository only and no address on the web."""

    option_spec: ClassVar[dict[str, Any]] = dict(CSVTable.option_spec)

    def run(self) -> Sequence[nodes.table | nodes.system_message]:
        """Refuse ``:url:`` and a ``:file:`` outside the repository."""
        env = self.state.document.settings.env
        if "url" in self.options:
            return [self.state.document.reporter.warning(
                "csv-table :url: refused: the edition reads no data from the web",
                line=self.lineno)]
        if "file" in self.options:
            _relative, path = env.relfn2path(self.options["file"])
            if not inside(Path(path), repository_root(env.app)):
                return [self.state.document.reporter.warning(
                    f"csv-table :file: {self.options['file']} refused: outside the repository",
                    line=self.lineno)]
        return super().run()


# --------------------------------------------------------------------------- encoding

#: The codec pages are read with: UTF-8 (a BOM allowed), an undecodable byte becoming U+FFFD.
LENIENT_ENCODING = "edition-utf-8-sig"
#: Source encodings the lenient codec stands in for.
UTF8_NAMES = frozenset({"utf-8", "utf8", "utf-8-sig", "utf_8", "utf_8_sig"})


class _LenientDecoder(utf_8_sig.IncrementalDecoder):
    """UTF-8 (BOM allowed) decoding that replaces what it cannot decode."""

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        # whatever handling the reader asks for, a bad byte becomes U+FFFD
        self.errors = "replace"


def _lenient_decode(data: Buffer, _errors: str = "strict", /) -> tuple[str, int]:
    return utf_8_sig.decode(data, "replace")


def _find_codec(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != LENIENT_ENCODING:
        return None
    return codecs.CodecInfo(
        name=LENIENT_ENCODING, encode=utf_8_sig.encode, decode=_lenient_decode,
        incrementalencoder=utf_8_sig.IncrementalEncoder, incrementaldecoder=_LenientDecoder,
        streamreader=utf_8_sig.StreamReader, streamwriter=utf_8_sig.StreamWriter,
    )


codecs.register(_find_codec)


def undecodable_line(data: bytes) -> int | None:
    """The line of the first byte that is not UTF-8 (``None`` when all of it is)."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return data[: exc.start].count(b"\n") + 1
    return None


def read_pages_leniently(_app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Report each page that is not UTF-8 at its line, and read it with U+FFFD for bad bytes.

    Sphinx decodes pages strictly and stops with a crash report at the first bad byte; a page
    saved in GB18030 must instead be a located warning (a failed build under -W).
    """
    if str(env.settings.get("input_encoding", "")).lower() not in UTF8_NAMES:
        return
    env.settings["input_encoding"] = LENIENT_ENCODING
    for docname in docnames:
        try:
            line = undecodable_line(env.doc2path(docname).read_bytes())
        except OSError:
            continue
        if line is not None:
            logger.warning("page is not UTF-8: undecodable bytes read as U+FFFD",
                           location=(docname, line), type="edition", subtype="encoding")


# --------------------------------------------------------------------------- setup


def _connect_after_theme(app: Sphinx) -> None:
    # After every handler of the theme and the edition (the header buttons are made at 501,
    # named at 502): the values are escaped once they are final.
    app.connect("html-page-context", escape_page_context, priority=900)


def setup_boundary(app: Sphinx) -> None:
    """Register the escapes, the transforms and the file guards."""
    app.add_transform(RemoveRawMarkup)
    app.add_transform(RemoveForbiddenCharacters)
    app.add_post_transform(UnlinkUnsafeReferences)
    app.add_directive("literalinclude", GuardedLiteralInclude, override=True)
    app.add_directive("csv-table", GuardedCSVTable, override=True)
    app.connect("include-read", guard_include)
    app.connect("env-before-read-docs", read_pages_leniently)
    app.connect("builder-inited", _connect_after_theme)
    app.connect("doctree-resolved", strip_resolved_forbidden, priority=900)
