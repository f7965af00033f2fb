"""The trust boundary in the build: the allowlist enforced as pages are read, and every escape.

Pages, data files and sources come from strangers. What a page may contain is
:mod:`converters.common.allowlist` — the same list ``python -m converters check`` enforces —
and this
component enforces it in Sphinx, so that a build (or the live preview) whose check was skipped
is still safe:

- pages are rendered by :class:`GatedRenderer`: myst-parser's renderer behind the allowlist
  (:mod:`converters.common.myst_gate`), so a refused directive never runs, a refused role, link or
  image is its text, ``{{ … }}`` is a bare name written as plain text, and a front-matter key
  MyST would read as a setting is dropped; MyST settings in a page's front matter are never
  read (:class:`GatedMystParser`, the parser of every page, whatever ``edition_speedups`` says);
- after reading, the nodes themselves are checked again (:class:`GuardNodes`): a download of a
  file outside ``docs/_assets``, an image file outside ``docs/`` or of a type not listed, raw
  markup, maths and ``http-equiv`` metadata are refused whatever made them;
- files under the project that the build would read or publish — symbolic links anywhere,
  static files of a type not listed, sources that are not MyST — are refused and left out
  (:func:`guard_files`);
- each refusal is an error at ``file:line`` (Sphinx's logger, type ``edition``, subtype
  ``refused``), recorded with its page, and a build that holds one ends with a non-zero
  status, even when the page was read by an earlier build;
- template values made of page text are escaped, ``language`` is taken from the allowlist,
  the header buttons' addresses and labels are escaped; a link whose scheme is not http(s),
  mailto or relative becomes its text; characters XML forbids are removed; a page that is not
  UTF-8 is read with U+FFFD for what cannot be decoded, with a located warning.
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig as utf_8_sig
import os
import re
from collections.abc import Iterator, Set
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from markupsafe import escape
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from converters.common.allowlist import (
    ASSET_TYPES,
    ASSETS_DIR,
    EDITION_NAMES,
    IMAGE_TYPES,
    LINK_SCHEMES,
    Kind,
    Place,
    page_kind,
    scheme_of,
    signature_problem,
    tree_problems,
)
from converters.common.myst_gate import GateMixin
from converters.common.validate import is_http_url
from edition.security.files import copy_file, make_folder, remove_file, writable_folders
from edition.security.safety import language_tag, strip_xml_forbidden, xml_forbidden

if TYPE_CHECKING:
    from typing_extensions import Buffer

logger = logging.getLogger(__name__)

#: Template values holding page text as plain text: the theme prints them unescaped.
TEXT_CONTEXT_KEYS: tuple[str, ...] = ("pagetitle", "root_title", "page_description")
#: Keys of the theme's header buttons that it prints into attributes or text unescaped.
BUTTON_TEXT_KEYS: tuple[str, ...] = ("url", "tooltip", "text", "label")
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


# --------------------------------------------------------------------------- refusals


class RefusalDomain(Domain):
    """The refusals of each page, kept with the page: a build that holds one fails.

    A page read by an earlier build is not read again, so its refusals are kept here and
    reported again when the build ends (an incremental build must not pass where a full one
    fails).
    """

    name = "edition-boundary"
    label = "Edition boundary"
    initial_data: ClassVar[dict[str, Any]] = {"refusals": {}}
    data_version = 1

    @property
    def refusals(self) -> dict[str, list[tuple[int, str]]]:
        """The refusals by document: ``(line, message)``."""
        found: dict[str, list[tuple[int, str]]] = self.data.setdefault("refusals", {})
        return found

    def clear_doc(self, docname: str) -> None:
        """Forget a document's refusals (it is read again)."""
        self.refusals.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take the refusals of documents read in a parallel process."""
        for docname, found in otherdata.get("refusals", {}).items():
            if docname in docnames:
                self.refusals[docname] = found

    def resolve_any_xref(self, *_args: Any, **_kwargs: Any) -> list[Any]:
        """This domain has no references."""
        return []


def refuse(env: BuildEnvironment, message: str, line: int | None,
           docname: str | None = None) -> None:
    """Report a refusal as an error at its page and line, and record it with the page."""
    docname = docname or env.docname
    location: tuple[str, int | None] | str = (docname, line) if line else docname
    logger.error(message, location=location, type="edition", subtype="refused")
    domain = env.domains["edition-boundary"]
    assert isinstance(domain, RefusalDomain)
    domain.refusals.setdefault(docname, []).append((line or 0, message))


def fail_on_refusals(app: Sphinx, exception: Exception | None) -> None:
    """End the build with a non-zero status when a page holds a refusal, read now or earlier."""
    if exception is not None:
        return
    domain = app.env.domains["edition-boundary"]
    assert isinstance(domain, RefusalDomain)
    refused = {doc: found for doc, found in domain.refusals.items() if found}
    if not refused:
        return
    # pages read by an earlier build: their refusals were reported then, and are again now
    read_now = _READ_NOW.get(app.env, set())
    for docname, found in sorted(refused.items()):
        if docname in read_now:
            continue
        for line, message in found:
            logger.error(message, location=(docname, line) if line else docname,
                         type="edition", subtype="refused")
    count = sum(len(found) for found in refused.values())
    logger.error("%d thing(s) refused in %d page(s): the allowlist is in CONTRIBUTING.md",
                 count, len(refused), type="edition", subtype="refused")
    app.statuscode = 1


#: The documents each build reads (its refusals were reported as they were read).
_READ_NOW: WeakKeyDictionary[BuildEnvironment, set[str]] = WeakKeyDictionary()


def _remember_read(_app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _READ_NOW[env] = set(docnames)


# --------------------------------------------------------------------------- the renderer


class GatedRenderer(GateMixin, SphinxRenderer):
    """myst-parser's Sphinx renderer behind the allowlist (:mod:`converters.common.myst_gate`)."""

    def setup_render(self, options: dict[str, Any], env: Any) -> None:
        """Set up a render, and what the gate needs: the page's kind and place."""
        super().setup_render(options, env)
        sphinx_env = self.sphinx_env
        assert sphinx_env is not None
        config = sphinx_env.config
        self._docname = sphinx_env.docname
        # the edition's folders (the parser may be set up without the rest of the edition)
        self._kind = page_kind(self._docname, getattr(config, "edition_articles", "articles"),
                               getattr(config, "edition_generated", "_generated"))
        self._place: Place | None = None

    def gate_kind(self) -> Kind:
        """The page's kind, from its document name."""
        return self._kind

    @contextmanager
    def extension_text(self) -> Iterator[None]:
        """Render MyST the extension wrote (its values escaped) as a generated page's."""
        kind, self._kind = self._kind, Kind.GENERATED
        try:
            yield
        finally:
            self._kind = kind

    def gate_place(self) -> Place:
        """The page's file and the project's folder (resolved once per page)."""
        if self._place is None:
            env = self.sphinx_env
            assert env is not None
            self._place = Place(Path(env.doc2path(self._docname)).resolve(),
                                Path(env.srcdir).resolve())
        return self._place

    def gate_names(self) -> dict[str, Any]:
        """The edition's names (a configured substitution outside the allowlist is not one)."""
        return {name: value for name, value in super().gate_names().items()
                if name in EDITION_NAMES}

    def refuse(self, message: str, line: int) -> None:
        """An error at the page's line, recorded with the page."""
        env = self.sphinx_env
        assert env is not None
        refuse(env, message, line, self._docname)


class GatedMystParser(MystParser):
    """myst-parser's parser rendering with :class:`GatedRenderer`, and no page-level settings.

    myst-parser's own ``parse`` first reads the page's front matter for its ``myst:`` key,
    which changes MyST's settings for that page (extensions, substitutions, ``html_meta``)
    before anything is rendered. The allowlist refuses that key, so this parser never reads
    it: a page is rendered with the edition's configuration of MyST, behind the gate.
    """

    #: The renderer of every page (``edition/speedups/myst_yaml.py`` gives a faster one).
    renderer: ClassVar[type[SphinxRenderer]] = GatedRenderer

    def parse(self, inputstring: str, document: nodes.document) -> None:
        """Parse a MyST page into ``document`` with the edition's configuration of MyST."""
        config = document.settings.env.myst_config
        parser = create_md_parser(config, self.renderer)
        parser.options["document"] = document
        parser.render(inputstring)


@contextmanager
def extension_text(directive: SphinxDirective) -> Iterator[None]:
    """While an edition directive parses MyST it wrote itself, allow what generated pages may.

    The directive escapes every value it puts into that text; the page's own allowlist still
    holds for everything else.
    """
    renderer = getattr(directive.state, "_renderer", None)  # myst-parser's MockState
    if isinstance(renderer, GatedRenderer):
        with renderer.extension_text():
            yield
    else:
        yield


# --------------------------------------------------------------------------- nodes


class GuardNodes(SphinxTransform):
    """Refuse, whatever made them, the nodes that would read or publish what a page may not.

    A download of a file outside ``docs/_assets``, a local image outside ``docs/`` or of a
    type not listed, raw markup other than MyST's own line breaks, maths, ``http-equiv``
    metadata. Runs after MyST and docutils have made every node of the page, before Sphinx's
    collectors register the page's images and downloads (at ``doctree-read``).
    """

    default_priority = 850

    def apply(self, **_kwargs: Any) -> None:
        """Remove each refused node, with an error at its line."""
        docname = self.env.docname
        for node in list(self.document.findall(nodes.Element)):
            problem = self._problem(node, docname)
            if problem is None or node.parent is None:
                continue
            refuse(self.env, problem, node.line, docname)
            if isinstance(node, addnodes.download_reference):
                node.replace_self(nodes.inline("", "", *node.children))
            else:
                node.parent.remove(node)

    def _problem(self, node: nodes.Element, docname: str) -> str | None:
        if isinstance(node, addnodes.download_reference):
            return self._download_problem(str(node.get("reftarget", "")), docname)
        if isinstance(node, nodes.image):
            return self._image_problem(str(node.get("uri", "")), docname)
        if isinstance(node, nodes.raw):
            text = node.astext()
            if (node.get("format", ""), text) in SAFE_RAW:
                return None
            return f"raw {node.get('format', '')} markup is not allowed: write MyST"
        if isinstance(node, (nodes.math, nodes.math_block)):
            return "maths is not allowed: it reaches LaTeX and MathJax as commands"
        if isinstance(node, nodes.meta) and node.get("http-equiv"):
            return f"http-equiv metadata {node.get('http-equiv')!r} is not allowed"
        return None

    def _download_problem(self, target: str, docname: str) -> str | None:
        srcdir = Path(self.env.srcdir).resolve()
        _relative, absolute = self.env.relfn2path(target, docname)
        path = Path(os.path.normpath(absolute))
        assets = srcdir / ASSETS_DIR
        if path.is_relative_to(assets) and path.suffix.lower() in ASSET_TYPES \
                and not _linked(path, srcdir):
            return None
        return (f"download of {target[:60]!r} is not allowed: only files of "
                f"docs/{ASSETS_DIR}/ are offered")

    def _image_problem(self, uri: str, docname: str) -> str | None:
        if is_http_url(uri):
            return None
        srcdir = Path(self.env.srcdir).resolve()
        if "://" in uri or uri.startswith("data:") or "*" in uri:
            return f"image {uri[:60]!r} is not allowed"
        _relative, absolute = self.env.relfn2path(uri, docname)
        path = Path(os.path.normpath(absolute))
        if not path.is_relative_to(srcdir) or path.suffix.lower() not in IMAGE_TYPES \
                or _linked(path, srcdir):
            return (f"image {uri[:60]!r} is not allowed: an image is an http(s) URL or a "
                    f"{', '.join(sorted(IMAGE_TYPES))} file inside docs/")
        problem = signature_problem(path, path.suffix.lower()) if path.is_file() else None
        return f"image {uri[:60]!r} is not allowed: {problem}" if problem else None


def _linked(path: Path, top: Path) -> bool:
    """Whether ``path`` or a folder between ``top`` and it is a symbolic link."""
    current = path
    while current != top and current.is_relative_to(top):
        if current.is_symlink():
            return True
        current = current.parent
    return False


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
    scheme = scheme_of(uri)
    return scheme is None or scheme in LINK_SCHEMES


class UnlinkUnsafeReferences(SphinxPostTransform):
    """Make a link to ``javascript:``, ``data:`` or another non-web scheme its plain text.

    The renderer refuses such links in pages; this catches any a component or a registry
    value (a Wikidata address) would make.
    """

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
    """Include nothing from outside the repository, whatever allowed the include."""
    path = Path(app.srcdir, relative_path)
    if not inside(path, repository_root(app)) or path.is_symlink():
        refuse(app.env, f"include of {relative_path} refused: outside the repository", None,
               parent_docname)
        content[0] = ""


def guard_files(app: Sphinx) -> None:
    """Leave out, with an error each, the files the build would read or publish but may not.

    Symbolic links anywhere in the project (a page or a static file that is a link publishes
    what it points at), static files of a type the allowlist does not list (an HTML page or
    an SVG with a script would run on the edition's origin; a ``.jinja`` file is a template),
    and sources that are not MyST (an ``.rst`` page is not read through the allowlist).
    A static folder that holds one is published from a copy of its allowed files.
    """
    srcdir = Path(app.srcdir)
    static = [Path(app.confdir, entry) for entry in
              getattr(app.config, "html_static_path", [])]
    sources = {suffix for suffix in app.config.source_suffix if suffix != ".md"}
    excluded: list[str] = []
    refused: set[Path] = set()
    for path, message in tree_problems(srcdir):
        in_static = any(path.is_relative_to(folder) for folder in static)
        if not (path.is_symlink() or in_static or path.suffix in sources):
            continue  # neither read nor published: the check reports it
        # a location holding ':' is printed as it is (line 1, as the check reports a file)
        logger.error("%s; left out of the build", message, location=f"{path}:1",
                     type="edition", subtype="refused")
        app.statuscode = 1
        excluded.append(glob_escape(path.relative_to(srcdir).as_posix()))
        refused.add(path)
    if excluded:
        app.config.exclude_patterns = [*app.config.exclude_patterns, *excluded]
    if refused and static:
        app.config.html_static_path = [
            str(_vetted_copy(app, folder, refused))
            if any(path.is_relative_to(folder) for path in refused) else str(entry)
            for folder, entry in zip(static, app.config.html_static_path, strict=True)]


def _vetted_copy(app: Sphinx, folder: Path, refused: set[Path]) -> Path:
    """A copy of a static folder without its refused files (Sphinx copies the copy)."""
    # Sphinx matches its exclude patterns against "./name" for a folder's top-level files, so
    # a pattern cannot leave them out: the folder is replaced instead.
    folders = writable_folders(app)
    copy = Path(app.doctreedir) / "edition-static" / folder.name
    for old in sorted(copy.rglob("*"), reverse=True) if copy.is_dir() else []:
        if old.is_file() or old.is_symlink():
            remove_file(old, folders=folders)
    for path in sorted(folder.rglob("*")):  # rglob does not enter linked folders
        if path in refused or path.is_symlink() or not path.is_file() \
                or any(parent in refused for parent in path.parents):
            continue
        copy_file(path, copy / path.relative_to(folder), folders=folders)
    make_folder(copy, folders=folders)
    return copy


def glob_escape(path: str) -> str:
    """A path as a Sphinx exclude pattern matching exactly it."""
    return re.sub(r"([*?\[\]])", r"[\1]", path)


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


def setup_gated_parser(app: Sphinx) -> None:
    """Parse ``.md`` pages with :class:`GatedMystParser` (after myst-parser's own setup)."""
    app.setup_extension("myst_parser")
    app.add_source_parser(GatedMystParser, override=True)


def setup_boundary(app: Sphinx) -> None:
    """Register the refusal record, the node guard, the file guards and the escapes."""
    app.add_domain(RefusalDomain)
    app.add_transform(GuardNodes)
    app.add_transform(RemoveForbiddenCharacters)
    app.add_post_transform(UnlinkUnsafeReferences)
    app.connect("include-read", guard_include)
    # before the reading (the project's files are found then) and before any copying
    app.connect("builder-inited", guard_files, priority=100)
    app.connect("env-before-read-docs", read_pages_leniently)
    app.connect("env-before-read-docs", _remember_read)
    app.connect("builder-inited", _connect_after_theme)
    app.connect("doctree-resolved", strip_resolved_forbidden, priority=900)
    app.connect("build-finished", fail_on_refusals, priority=900)
