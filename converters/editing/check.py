"""``python -m converters check``: everything a pull request can break, as ``file:line: message``.

The check reads the edition as a contributor leaves it — the article pages, the edition's own
pages, the entity registry and the seeds — and reports each problem on one line that editors and
CI annotations can jump to. It does not build the site: ``nox -s check`` runs this command and
then Sphinx with ``-W``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..common.allowlist import (
    EDITION_NAMES,
    INCLUDABLE,
    Kind,
    Place,
    audit_page,
    page_kind,
    tree_problems,
)
from ..common.dates import DATE_FORMS, date_target, parse_iso_date
from ..common.markup import MYST_EXTENSIONS, NAME_OPTION, role_parts
from ..common.myst_gate import gated_docutils_parser
from ..common.paths import ARTICLES_DIR, DOCS_DIR, EDITORIAL_FILE, REGISTRY_FILE, ROOT, SEEDS_DIR
from ..common.validate import language_problem, url_problem
from ..common.yamlsafe import YamlRefused, compose_yaml, load_yaml
from ..model import FRONT_MATTER_FIELDS, LIST_OF_STR, STR
from .pages import Problem, read_page_text

#: Folders of ``docs/`` that are not pages people write (merge bases, generated pages, builds).
SKIP_DIRS = frozenset({"_import", "_generated", "_build", "_static", "_templates", "build"})

#: The keys each entry of a list-of-mappings field must have (strings, except ``value`` which
#: may be anything and ``chars``, a count).
ENTRY_KEYS: dict[str, tuple[str, ...]] = {
    "editorial": ("field", "value", "reason"),
    "removed": ("kind", "reason", "chars"),
}
#: An article slug (also its label): ASCII lowercase words joined by hyphens.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SHA256 = re.compile(r"[0-9a-f]{64}")
#: URL schemes a footnote may link to.
FOOTNOTE_SCHEMES = ("http", "https", "mailto")
#: A bare URL in a footnote's text: a run of scheme characters right before ``:/`` in which a
#: word starts with a letter. The run is found from its start (a look-behind), whole (a
#: possessive repeat) and once; ``\b[a-z][a-z0-9+.-]*:/`` tried it from every word start in
#: it again (quadratic on ``a.a.a.a…``).
SCHEME_RUN = re.compile(r"(?<![a-z0-9+.-])[a-z0-9+.-]++(?=:/)", re.IGNORECASE)
SCHEME_START = re.compile(r"\b[a-z]", re.IGNORECASE)
#: The warning type docutils appends to a MyST warning (``[myst.header]``), at the end.
MYST_WARNING_TYPE = re.compile(r"\[myst\.[\w.]+\]$")
#: Directives whose content is MyST again, so fences inside them are checked too.
NESTED_MARKDOWN = re.compile(r"^\{(container|admonition|figure|note|warning|tip|important|"
                             r"attention|caution|danger|error|hint|seealso|topic|sidebar)\}")

#: The kinds of check, in the order they run; ``--only`` picks some.
KINDS = ("frontmatter", "registry", "editorial", "mentions", "footnotes", "labels", "seeds",
         "syntax", "markup", "files", "markers", "anchors")

@dataclass
class Stream:
    """Tokens of one stretch of MyST: the page itself or a directive's body inside it."""

    tokens: list[Any]
    lines: list[str]  #: the source lines the token maps index
    offset: int  #: lines of the page before ``lines[0]``
    fence: str = ""  #: the markup of the directive fence around this body ('' for the page)
    fence_line: int = 0  #: the page line where that fence opens


@dataclass
class Page:
    """A MyST page of the edition, parsed once for every check."""

    path: str  #: as shown in problems
    text: str
    tokens: list[Any]
    front_matter: dict[str, Any] | None
    #: line of each top-level front-matter key, and of each entry of list fields
    key_lines: dict[str, int]
    entry_lines: dict[str, list[int]]
    is_article: bool
    #: the page's token stream, then one per directive body that is MyST again
    streams: list[Stream]

    def line_of(self, key: str) -> int:
        """The line of a front-matter key (or of the front matter's start when it is missing)."""
        return self.key_lines.get(key, 1)


# --------------------------------------------------------------------------- parsing


def markdown_parser() -> Any:
    """The markdown-it parser configured as myst-parser configures it for the edition."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions=set(MYST_EXTENSIONS))
    return create_md_parser(config, RendererHTML)


def _front_matter_lines(source: str) -> tuple[dict[str, int], dict[str, list[int]]]:
    """Lines (1-based, in the page) of each front-matter key and of each list entry."""
    keys: dict[str, int] = {}
    entries: dict[str, list[int]] = {}
    try:
        node = compose_yaml(source)
    except YamlRefused:
        return keys, entries
    if not isinstance(node, yaml.MappingNode):
        return keys, entries
    for key_node, value_node in node.value:
        # the YAML starts on the page's second line, after the opening '---'
        keys[str(key_node.value)] = key_node.start_mark.line + 2
        if isinstance(value_node, yaml.SequenceNode):
            entries[str(key_node.value)] = [item.start_mark.line + 2 for item in value_node.value]
    return keys, entries


def load_page(path: Path, shown: str, md: Any,
              is_article: bool) -> tuple[Page | None, list[Problem]]:
    """Read and parse one page, with the problems found doing so.

    The problems are YAML errors that stop the front-matter checks (and reading errors, which
    leave no page to check: ``None``).
    """
    text, problems = read_page_text(path, shown)
    if text is None:
        return None, problems
    tokens = md.parse(text)
    front: dict[str, Any] | None = None
    key_lines: dict[str, int] = {}
    entry_lines: dict[str, list[int]] = {}
    if tokens and tokens[0].type == "front_matter":
        try:
            # the YAML starts on the page's second line, after the opening '---'
            data = load_yaml(tokens[0].content, path=shown, first_line=2)
        except YamlRefused as exc:
            problems.append(Problem(shown, exc.line, f"front matter refused: {exc.reason}"))
        else:
            if isinstance(data, dict):
                front = data
                key_lines, entry_lines = _front_matter_lines(tokens[0].content)
            elif data is not None:
                problems.append(Problem(shown, 1, "front matter must be a mapping of fields"))
    elif is_article:
        problems.append(Problem(shown, 1, "article has no front matter ('---' block at the top)"))
    streams = expand(Stream(tokens, text.split("\n"), 0), md)
    page = Page(shown, text, tokens, front, key_lines, entry_lines, is_article, streams)
    return page, problems


def _body(token: Any, lines: list[str]) -> tuple[int, list[str], bool]:
    """A fence's body: index of its first content line, the lines, and whether it is closed."""
    start, end = token.map
    closing = lines[end - 1].strip() if end - 1 < len(lines) else ""
    char, width = token.markup[:1], len(token.markup)
    closed = end - 1 > start and closing == char * len(closing) and len(closing) >= width
    return start + 1, lines[start + 1:end - 1 if closed else end], closed


def expand(stream: Stream, md: Any) -> list[Stream]:
    """The stream and, recursively, the bodies of directives whose content is MyST."""
    out = [stream]
    for token in stream.tokens:
        if token.type != "colon_fence" or not token.map or not NESTED_MARKDOWN.match(token.info):
            continue
        first, body, _closed = _body(token, stream.lines)
        skip = 0
        # directive options (':name: x') precede the content
        while skip < len(body) and body[skip].startswith(":") and not body[skip].startswith("::"):
            skip += 1
        inner = body[skip:]
        out.extend(expand(Stream(md.parse("\n".join(inner)), inner,
                                 stream.offset + first + skip, token.markup,
                                 stream.offset + first), md))
    return out


# --------------------------------------------------------------------------- front matter


def _is_iso_datetime(value: str) -> bool:
    """An ISO 8601 date or date-time of any of the precisions the edition uses."""
    return parse_iso_date(value) is not None


def _type_ok(value: object, kind: str) -> bool:
    if kind == STR:
        return isinstance(value, str)
    if kind == LIST_OF_STR:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


#: How a front-matter check reports a problem: the field, the message, the line if not the
#: field's own.
Report = Callable[[str, str, int | None], None]


def check_front_matter(page: Page, slug: str) -> list[Problem]:
    """Every field present with its type; dates, languages, URLs, label and lists well-formed."""
    fm = page.front_matter
    if fm is None:
        return []
    out: list[Problem] = []

    def bad(key: str, message: str, line: int | None = None) -> None:
        out.append(Problem(page.path, line or page.line_of(key), message))

    ok = _front_matter_types(fm, bad)
    if "title" in ok and not fm["title"].strip():
        bad("title", "front matter: 'title' is empty")
    _front_matter_dates(fm, ok, bad)
    _front_matter_languages_and_urls(fm, ok, page.entry_lines.get("editorial", []), bad)
    if "label" in ok and fm["label"] != slug:
        bad("label", f"front matter: label '{fm['label']}' differs from the file name '{slug}'")
    if not SLUG.fullmatch(slug):
        out.append(Problem(page.path, 1, f"file name '{slug}' is not a slug (a-z, 0-9, '-')"))
    if "seed_sha256" in ok and not SHA256.fullmatch(fm["seed_sha256"]):
        bad("seed_sha256", "front matter: seed_sha256 is not 64 lowercase hex digits")
    for key in ENTRY_KEYS:
        if key in ok:
            _front_matter_entries(key, fm[key], page, bad)
    return out


def _front_matter_types(fm: dict[str, Any], bad: Report) -> set[str]:
    """Report missing fields and fields of the wrong type; return the fields that are fine."""
    for declared in FRONT_MATTER_FIELDS:
        key, kind = declared.key, declared.spec.kind
        if key not in fm:
            bad(key, f"front matter: missing field '{key}' (every field is always present)", None)
        elif not _type_ok(fm[key], kind):
            got = type(fm[key]).__name__
            hint = " (quote dates: '2025-01-21')" if isinstance(fm[key], dt.date) else ""
            bad(key, f"front matter: '{key}' must be a {kind}, not {got}{hint}", None)
    return {f.key for f in FRONT_MATTER_FIELDS if f.key in fm and _type_ok(fm[f.key], f.spec.kind)}


def _front_matter_dates(fm: dict[str, Any], ok: set[str], bad: Report) -> None:
    """The date matches its stated precision; the retrieval stamp is an ISO 8601 date."""
    if "date" in ok and "date_precision" in ok:
        date, precision = fm["date"], fm["date_precision"]
        found = parse_iso_date(date) if date else ""
        if precision not in ("", *DATE_FORMS):
            bad("date_precision", f"front matter: date_precision '{precision}' is not one of "
                f"{', '.join(DATE_FORMS)} or ''", None)
        elif found is None:
            bad("date", f"front matter: date '{date}' is not an ISO 8601 date", None)
        elif found != precision:
            bad("date", f"front matter: date '{date}' does not have the precision "
                f"'{precision}' that date_precision states", None)
    if "retrieved" in ok and fm["retrieved"] and not _is_iso_datetime(fm["retrieved"]):
        bad("retrieved", f"front matter: retrieved '{fm['retrieved']}' is not an ISO 8601 date",
            None)


def _front_matter_languages_and_urls(fm: dict[str, Any], ok: set[str], editorial_lines: list[int],
                                     bad: Report) -> None:
    """Language tags from the allow-list; source URLs (stated or editorial) http(s) only."""
    if "language" in ok:
        if not fm["language"]:
            bad("language", "front matter: 'language' lists no language", None)
        for tag in fm["language"]:
            if language_problem(tag):
                bad("language", f"front matter: {language_problem(tag)}", None)
    for key in ("source_url", "original_url"):
        if key in ok and fm[key] and url_problem(fm[key]):
            bad(key, f"front matter: {key} {fm[key][:60]!r}: {url_problem(fm[key])}", None)
    if "editorial" not in ok:
        return
    for i, entry in enumerate(fm["editorial"]):
        value = entry.get("value")
        if entry.get("field") in ("source_url", "original_url") and isinstance(value, str) \
                and url_problem(value):
            bad("editorial", f"front matter: editorial {entry['field']} {value[:60]!r}: "
                f"{url_problem(value)}", editorial_lines[i] if i < len(editorial_lines) else None)


def _front_matter_entries(key: str, entries: list[dict[str, Any]], page: Page,
                          bad: Report) -> None:
    """Each entry of a list-of-mappings field has its keys, typed, and gives a reason."""
    lines = page.entry_lines.get(key, [])
    for i, entry in enumerate(entries):
        line = lines[i] if i < len(lines) else page.line_of(key)
        for name in ENTRY_KEYS[key]:
            if name not in entry:
                bad(key, f"front matter: {key} entry lacks '{name}'", line)
            elif name == "chars":
                if not isinstance(entry[name], int) or entry[name] < 0:
                    bad(key, f"front matter: {key} entry 'chars' must be a count", line)
            elif name != "value" and not isinstance(entry[name], str):
                bad(key, f"front matter: {key} entry '{name}' must be a string", line)
        if isinstance(entry.get("reason"), str) and not entry["reason"].strip():
            bad(key, f"front matter: {key} entry gives no reason", line)


# --------------------------------------------------------------------------- registry


def registry_ids(path: Path, shown: str) -> tuple[set[str] | None, list[Problem]]:
    """Validate the registry with its own loader; the ids, or None when it does not load."""
    from ..common.registry import RegistryError, load_registry

    try:
        registry = load_registry(path)
    except RegistryError as exc:
        return None, [_registry_problem(message, shown) for message in exc.messages]
    return set(registry.by_id), []


def _registry_problem(message: str, shown: str) -> Problem:
    """One ``file:line: message`` of the registry loader as a problem of the shown file."""
    match = re.match(r"^.*?:(\d+): (.*)$", message, re.DOTALL)
    if match:
        return Problem(shown, int(match.group(1)), f"registry: {match.group(2)}")
    return Problem(shown, 1, f"registry: {message}")


def check_editorial(path: Path, shown: str) -> list[Problem]:
    """The editorial data loads and fits its schema (checked by its own loader)."""
    from ..common.editorial_data import EditorialError, load

    try:
        load(path)
    except EditorialError as exc:
        match = re.match(r"^line (\d+): (.*)$", exc.reason, re.DOTALL)
        if match:
            return [Problem(shown, int(match.group(1)), f"editorial data: {match.group(2)}")]
        return [Problem(shown, 1, f"editorial data: {exc.reason}")]
    return []


# --------------------------------------------------------------------------- inline content


def _inline_children(page: Page) -> Iterator[tuple[int, Any]]:
    """Every inline token of a page with the line it is on."""
    for stream in page.streams:
        yield from _inlines_of(stream)


def _inlines_of(stream: Stream) -> Iterator[tuple[int, Any]]:
    for token in stream.tokens:
        if token.type != "inline" or not token.map:
            continue
        line = stream.offset + token.map[0] + 1
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            else:
                yield line, child
                line += child.content.count("\n")


def role_target(content: str) -> str:
    """A role's target: what ``<…>`` at its end holds (space may follow), or all of it."""
    target = role_parts(content.rstrip())[1]
    return (content if target is None else target).strip()


def _names_a_scheme(text: str) -> bool:
    """Whether a text holds a bare URL's scheme (``https:/``…)."""
    return any(SCHEME_START.search(text, run.start(), run.end())
               for run in SCHEME_RUN.finditer(text))


def check_mentions(page: Page, ids: set[str] | None) -> list[Problem]:
    """Every ``{ent}`` target is a registry id, every ``{date}`` target a real ISO date."""
    out: list[Problem] = []
    for line, child in _inline_children(page):
        if child.type != "myst_role" or child.meta.get("name") not in ("ent", "date"):
            continue
        role = child.meta["name"]
        target = role_target(child.content)
        if role == "ent":
            if ids is not None and target not in ids:
                out.append(Problem(page.path, line, f"{{ent}} target '{target}' is not in the "
                                   f"registry ({REGISTRY_FILE.as_posix()})"))
        elif not _valid_date_target(target):
            out.append(Problem(page.path, line, f"{{date}} target '{target}' is not an ISO date "
                               "(YYYY, YYYY-MM or YYYY-MM-DD)"))
    return out


def _valid_date_target(target: str) -> bool:
    return date_target(target) is not None


def check_footnotes(page: Page) -> list[Problem]:
    """Every footnote reference is defined, every definition used and its URL well-formed."""
    out: list[Problem] = []
    refs: dict[str, int] = {}
    for line, child in _inline_children(page):
        if child.type == "footnote_ref":
            refs.setdefault(child.meta["label"], line)
    definitions: dict[str, int] = {}
    for stream in page.streams:
        current: tuple[str, int] | None = None
        for token in stream.tokens:
            if token.type == "footnote_reference_open":
                line = stream.offset + (token.map[0] + 1 if token.map else 1)
                current = (token.meta["label"], line)
                if current[0] in definitions:
                    out.append(Problem(page.path, line,
                                       f"footnote [^{current[0]}] is defined twice"))
                definitions.setdefault(current[0], line)
            elif token.type == "footnote_reference_close":
                current = None
            elif current is not None and token.type == "inline":
                line = stream.offset + token.map[0] + 1 if token.map else current[1]
                out.extend(_footnote_urls(page.path, current[0], line, token))
    for label, line in refs.items():
        if label not in definitions:
            out.append(Problem(page.path, line, f"footnote [^{label}] is referenced but not "
                               "defined"))
    for label, line in definitions.items():
        if label not in refs:
            out.append(Problem(page.path, line, f"footnote [^{label}] is defined but never "
                               "referenced"))
    return out


def _footnote_urls(path: str, label: str, line: int, token: Any) -> list[Problem]:
    """The URLs in one footnote definition must be absolute and well-formed."""
    out = []
    links = [c for c in token.children or [] if c.type == "link_open"]
    for link in links:
        url = str(link.attrs.get("href", ""))
        parts = urlsplit(url)
        if parts.scheme not in FOOTNOTE_SCHEMES or (parts.scheme != "mailto"
                                                    and not parts.netloc):
            out.append(Problem(path, line, f"footnote [^{label}]: '{url}' is not a well-formed "
                               "http(s) URL"))
    if not links and _names_a_scheme(token.content):
        out.append(Problem(path, line, f"footnote [^{label}]: write the URL as an autolink "
                           f"<…>, not '{token.content.strip()}'"))
    return out


# --------------------------------------------------------------------------- labels


def page_labels(page: Page) -> Iterator[tuple[str, int]]:
    """Every label a page defines: ``(x)=`` targets and directives' ``:name:`` options."""
    for stream in page.streams:
        for token in stream.tokens:
            if not token.map:
                continue
            if token.type == "myst_target":
                yield token.content.strip(), stream.offset + token.map[0] + 1
            elif token.type in ("colon_fence", "fence") and token.info.startswith("{"):
                for i, raw in enumerate(token.content.split("\n")):
                    if not raw.startswith(":"):
                        break
                    match = NAME_OPTION.match(raw)
                    if match:
                        yield match.group("label"), stream.offset + token.map[0] + 2 + i


def check_labels(pages: list[Page]) -> list[Problem]:
    """Labels are unique across the whole edition (Sphinx would link to only one of them)."""
    out: list[Problem] = []
    seen: dict[str, tuple[str, int]] = {}
    for page in pages:
        for label, line in page_labels(page):
            if label in seen:
                first_path, first_line = seen[label]
                out.append(Problem(page.path, line, f"label '{label}' is already defined at "
                                   f"{first_path}:{first_line}"))
            else:
                seen[label] = (page.path, line)
    return out


# --------------------------------------------------------------------------- seeds


def check_seed(page: Page, seeds: Path) -> list[Problem]:
    """The article's seed exists and is byte-identical to the one it was converted from."""
    fm = page.front_matter or {}
    seed, digest = fm.get("seed"), fm.get("seed_sha256")
    if not isinstance(seed, str) or not isinstance(digest, str):
        return []
    if not seed or "/" in seed or "\\" in seed:
        return [Problem(page.path, page.line_of("seed"), f"seed '{seed}' is not a file name "
                        f"in {SEEDS_DIR.as_posix()}/")]
    file = seeds / seed
    if not file.is_file():
        return [Problem(page.path, page.line_of("seed"), f"seed file "
                        f"{SEEDS_DIR.as_posix()}/{seed} does not exist")]
    actual = hashlib.sha256(file.read_bytes()).hexdigest()
    if actual != digest:
        return [Problem(page.path, page.line_of("seed_sha256"), f"seed "
                        f"{SEEDS_DIR.as_posix()}/{seed} has changed: its sha256 is {actual}, "
                        "the article was converted from another text (seeds are never edited)")]
    return []


def check_seed_manifest(root: Path) -> list[Problem]:
    """Every seed as the manifest and the committed history record it (converters.editing.seeds)."""
    from .seeds import check_seeds

    return [Problem(p.path, p.line, p.message) for p in check_seeds(root, SEEDS_DIR)]


# --------------------------------------------------------------------------- markers


def check_markers(page: Page) -> list[Problem]:
    """No conflict markers left by a re-import: the page must be resolved before it is built."""
    from .reimport import marker_lines

    return [Problem(page.path, line, "conflict marker left by a re-import: resolve the "
                    "conflict by hand, then convert again with --resolved")
            for line in marker_lines(page.text)]


def check_open_conflict(page: Page, root: Path) -> list[Problem]:
    """No conflict of a re-import resolved by hand and never recorded with ``--resolved``.

    The converter keeps the output a page conflicts with beside its merge base while the
    conflict is open (:func:`converters.editing.reimport.pending_path`); once the markers are
    gone, ``--resolved`` closes it. Without that, the next run would merge the resolution again
    as if it were an edit, so the check says which command to run.
    """
    from .reimport import marker_lines, pending_path

    pending = pending_path(root / page.path)
    if not pending.exists() or marker_lines(page.text):
        return []
    seed = (page.front_matter or {}).get("seed")
    source = f"{SEEDS_DIR.as_posix()}/{seed}" if isinstance(seed, str) and seed else "SEED"
    return [Problem(page.path, 1, "the conflict of the last re-import has no markers left but "
                    "was never recorded as resolved: run python -m converters "
                    f"{source} --out {Path(page.path).parent.as_posix()} --resolved (it keeps "
                    "the page as it is and makes the converter's output its merge base)")]


# --------------------------------------------------------------------------- syntax


def check_fences(page: Page) -> list[Problem]:
    """Every code and directive fence is closed, also fences nested in directives."""
    out = []
    for stream in page.streams:
        for token in stream.tokens:
            if token.type in ("fence", "colon_fence") and token.map:
                first, _body_lines, closed = _body(token, stream.lines)
                if (token.type == "colon_fence" and stream.fence
                        and len(token.markup) >= len(stream.fence)):
                    # A fence inside a directive with as many colons as the directive's can
                    # never close: its closing line closes the directive. Most often the
                    # directive above lost its own closing line.
                    out.append(Problem(page.path, stream.fence_line,
                                       f"unclosed '{stream.fence}' fence: it is not closed "
                                       f"before the '{token.markup}' fence at line "
                                       f"{stream.offset + first} (close it there, or give it "
                                       "more colons than the fences inside it)"))
                elif not closed:
                    out.append(Problem(page.path, stream.offset + first,
                                       f"unclosed '{token.markup}' fence (it runs to the end "
                                       "of the page or of the directive around it)"))
    return out


@contextmanager
def _mention_roles() -> Iterator[None]:
    """Stand-ins for the extension's ``ent``/``date`` roles while docutils parses a page."""
    from docutils import nodes
    from docutils.parsers.rst import roles

    def stand_in(_name: str, rawtext: str, text: str, *_args: object,
                 **_options: object) -> tuple[list[Any], list[Any]]:
        return [nodes.inline(rawtext, text)], []

    # docutils keeps the local roles in a private module dictionary (no public way to remove
    # a role again), which types-docutils does not declare.
    registered: dict[str, Any] = vars(roles)["_roles"]
    saved = dict(registered)
    roles.register_local_role("ent", stand_in)
    roles.register_local_role("date", stand_in)
    try:
        yield
    finally:
        registered.clear()
        registered.update(saved)


#: A docutils report line: ``source:line: (LEVEL/n) message``.
_DOCUTILS_REPORT = re.compile(r"^(?P<src>.*?):(?P<line>\d+): \((?P<level>[A-Z]+)/\d\) (?P<msg>.*)$")


def check_docutils(page: Page, root: Path) -> list[Problem]:
    """Parse an article with myst-parser's docutils parser; its warnings and errors are problems.

    The parser renders behind the allowlist (:mod:`converters.common.myst_gate`), as the build does:
    nothing a page may not ask for runs while it is checked.
    """
    stream = io.StringIO()
    kind, place = _kind_and_place(page, root.resolve())
    refusals: list[tuple[int, str]] = []
    with _mention_roles():
        try:
            _publish(page, stream, kind, place, refusals)
        except Exception as exc:  # docutils' own failure on a hostile page: still one line
            return [Problem(page.path, 1, f"MyST: the page cannot be parsed ({type(exc).__name__}"
                            f": {' '.join(str(exc).split())[:80]})")]
    return _docutils_problems(page, stream.getvalue()) + [
        Problem(page.path, line, message) for line, message in refusals]


def _publish(page: Page, stream: io.StringIO, kind: Kind, place: Place,
             refusals: list[tuple[int, str]]) -> None:
    """Parse a page with the gated docutils parser, reports going to ``stream``."""
    from docutils.core import publish_doctree

    publish_doctree(
        page.text,
        source_path=page.path,
        parser=gated_docutils_parser(),
        settings_overrides={
            "myst_enable_extensions": list(MYST_EXTENSIONS),
            "myst_substitutions": dict.fromkeys(EDITION_NAMES, ""),
            "report_level": 2,
            "halt_level": 5,
            "warning_stream": stream,
            "output_encoding": "unicode",
            # the check itself must never read a file a page names (/dev/zero would hang it)
            # nor pass markup on: the markup check reports those directives instead
            "file_insertion_enabled": False,
            "raw_enabled": False,
            "edition_gate_kind": kind,
            "edition_gate_place": place,
            "edition_gate_refusals": refusals,
        },
    )


def _docutils_problems(page: Page, report: str) -> list[Problem]:
    """Docutils' report lines as problems of the page."""
    out = []
    for raw in report.splitlines():
        match = _DOCUTILS_REPORT.match(raw)
        if match:
            message = match.group("msg")
            # the type and the white space before it go (a pattern taking the white space,
            # \s*\[myst…, would be tried from each of its characters)
            kind = MYST_WARNING_TYPE.search(message)
            if kind is not None:
                message = message[: kind.start()].rstrip() + message[kind.end():]
            out.append(Problem(page.path, int(match.group("line")),
                               f"MyST: {message} ({match.group('level').lower()})"))
    return out


# --------------------------------------------------------------------------- markup


def _kind_and_place(page: Page, root: Path) -> tuple[Kind, Place]:
    """A page's kind and place; a repository file a page includes is read as that page."""
    docs = (root / DOCS_DIR).resolve()
    path = (root / page.path).resolve()
    if path.is_relative_to(docs):
        return page_kind(path.relative_to(docs).with_suffix("").as_posix()), Place(path, docs)
    return Kind.PAGE, Place(docs / path.name, docs)


def check_markup(page: Page, md: Any, root: Path) -> list[Problem]:
    """Everything in a page that the allowlist does not let its kind of page contain.

    The allowlist (:mod:`converters.common.allowlist`) is the one the Sphinx build enforces too.
    """
    kind, place = _kind_and_place(page, root.resolve())
    found = audit_page(page.text, kind, place, md, EDITION_NAMES)
    return [Problem(page.path, finding.line, finding.message) for finding in found]


def check_files(root: Path) -> list[Problem]:
    """Files of ``docs/`` and ``seeds/`` that may not be there (symbolic links, other types)."""
    return [Problem(_shown(path, root), 1, message)
            for path, message in tree_problems(root / DOCS_DIR, root / SEEDS_DIR)]


# --------------------------------------------------------------------------- driver


def _pages(root: Path) -> Iterator[Path]:
    """The Markdown pages of ``docs/`` that people write (articles and edition pages).

    A symbolic link is not read (the files check refuses it): it would read what it points at.
    """
    docs = root / DOCS_DIR
    for path in sorted(docs.rglob("*.md")):
        parts = path.relative_to(docs).parts
        if not any(part in SKIP_DIRS or part.startswith(".") for part in parts[:-1]) \
                and not path.is_symlink():
            yield path


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def check(root: Path, kinds: Sequence[str] = KINDS) -> list[Problem]:
    """Run the chosen kinds of check on the project at ``root``; the problems, sorted."""
    wanted = set(kinds)
    ids, problems = _data_problems(root, wanted)
    if not wanted - {"registry", "editorial"}:
        return sorted(problems)
    md = markdown_parser()
    pages = _load_pages(root, md, wanted, problems)
    resolved_root = root.resolve()
    per_page: list[tuple[str, Callable[[Page], list[Problem]], bool]] = [
        ("frontmatter", lambda p: check_front_matter(p, Path(p.path).stem), True),
        ("mentions", lambda p: check_mentions(p, ids), False),
        ("footnotes", check_footnotes, False),
        ("seeds", lambda p: check_seed(p, root / SEEDS_DIR), True),
        ("syntax", check_fences, False),
        ("syntax", lambda p: check_docutils(p, root), True),
        ("markup", lambda p: check_markup(p, md, resolved_root), False),
        ("markers", check_markers, False),
        ("markers", lambda p: check_open_conflict(p, root), True),
    ]
    for kind, run, articles_only in per_page:
        if kind not in wanted:
            continue
        for page in pages:
            if page.is_article or not articles_only:
                problems.extend(run(page))
    if "markup" in wanted:
        problems.extend(_included_problems(root, md, resolved_root))
    if "files" in wanted:
        problems.extend(check_files(root))
    if "labels" in wanted:
        problems.extend(check_labels(pages))
    if "seeds" in wanted:
        problems.extend(check_seed_manifest(root))
    if "anchors" in wanted:
        problems.extend(_anchor_problems(root))
    return _without_echoes(problems)


def _data_problems(root: Path, wanted: set[str]) -> tuple[set[str] | None, list[Problem]]:
    """The registry's ids (None when it is not read) and the problems of the data files."""
    problems: list[Problem] = []
    ids: set[str] | None = None
    registry = root / REGISTRY_FILE
    if wanted & {"registry", "mentions"}:
        if registry.exists():
            ids, found = registry_ids(registry, _shown(registry, root))
            if "registry" in wanted:
                problems.extend(found)
        elif "registry" in wanted:
            problems.append(Problem(_shown(registry, root), 1, "registry file is missing"))
    editorial = root / EDITORIAL_FILE
    if "editorial" in wanted and editorial.exists():
        problems.extend(check_editorial(editorial, _shown(editorial, root)))
    if "editorial" in wanted:
        problems.extend(check_edition_data(root))
    return ids, problems


def check_edition_data(root: Path) -> list[Problem]:
    """The edition's name (``docs/_data/edition.yaml``) loads and fits its schema."""
    from ..common.edition_data import EDITION_FILE, load_edition_data

    path = root / EDITION_FILE
    if not path.exists():
        return [Problem(_shown(path, root), 1, "edition data file is missing (docs/conf.py "
                        "reads the edition's titles from it)")]
    try:
        load_edition_data(path, _shown(path, root))
    except YamlRefused as exc:
        return [Problem(exc.path, exc.line, f"edition data: {exc.reason}")]
    return []


def _load_pages(root: Path, md: Any, wanted: set[str], problems: list[Problem]) -> list[Page]:
    """Every page people write, parsed; reading problems are added to ``problems``."""
    pages: list[Page] = []
    articles_dir = root / ARTICLES_DIR
    for path in _pages(root):
        is_article = path.parent == articles_dir
        page, found = load_page(path, _shown(path, root), md, is_article)
        if "frontmatter" in wanted or page is None:
            problems.extend(found)  # a page that cannot be read is a problem of every kind
        if page is not None:
            pages.append(page)
    return pages


def _included_problems(root: Path, md: Any, resolved_root: Path) -> list[Problem]:
    """The markup problems of the files pages may include (the edition shows them too)."""
    problems: list[Problem] = []
    for name in sorted(INCLUDABLE):
        path = root / name
        if path.is_file():
            included, found = load_page(path, _shown(path, root), md, False)
            problems.extend(found)
            if included is not None:
                problems.extend(check_markup(included, md, resolved_root))
    return problems


def _anchor_problems(root: Path) -> list[Problem]:
    """Published labels kept (editing/anchors.py); what could not be compared, on stderr."""
    from .anchors import check_anchors

    notes: list[str] = []
    found = [Problem(*problem) for problem in check_anchors(root, notes)]
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    return found


def _without_echoes(problems: list[Problem]) -> list[Problem]:
    """Sorted, without docutils' report of a line some other check already explains better."""
    explained = {(p.path, p.line) for p in problems if not p.message.startswith("MyST: ")}
    return sorted({p for p in problems
                   if not (p.message.startswith("MyST: ") and (p.path, p.line) in explained)})


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m converters check``."""
    parser = argparse.ArgumentParser(
        prog="python -m converters check",
        description="Check the edition's pages, registry and seeds; print each problem as "
        "FILE:LINE: MESSAGE and exit 1 if there is any.",
    )
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="project root holding docs/ and seeds/ (default: this checkout)")
    parser.add_argument("--only", action="append", choices=KINDS, metavar="KIND",
                        help=f"run only this kind of check (repeatable): {', '.join(KINDS)}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the check; return 0 when everything is fine, 1 when problems were found."""
    args = build_parser().parse_args(argv)
    root: Path = args.root.resolve()
    if not (root / DOCS_DIR).is_dir():
        print(f"error: {root}: no {DOCS_DIR}/ folder here (use --root)", file=sys.stderr)
        return 2
    kinds = args.only or KINDS
    try:
        problems = check(root, kinds)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (OSError, RecursionError, MemoryError) as exc:  # the machine's limits, not a page
        print(f"error: {root}: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    for problem in problems:
        print(problem)
    compared = anchors_compared(root) if "anchors" in kinds else ""
    if problems:
        print(f"{len(problems)} problem(s) found" + (f"; {compared}" if compared else ""),
              file=sys.stderr)
        return 1
    print(ok_line(root, kinds) + (f"; {compared}" if compared else ""))
    return 0


def anchors_compared(root: Path) -> str:
    """What the published labels were compared with, in words ('' when they were not)."""
    from .anchors import GitUnavailable, anchor_base, committed_articles

    try:
        base = anchor_base(root)
        committed_articles(root, base.revision)
    except GitUnavailable:
        return ""  # the check said why on its own line
    return f"labels compared with {base.description}"


def ok_line(root: Path, kinds: Sequence[str]) -> str:
    """The one line a passing check prints: what it looked at."""
    pages = sum(1 for _ in _pages(root))
    from ..common.registry import RegistryError, load_registry

    entries = 0
    registry = root / REGISTRY_FILE
    if registry.exists():
        try:
            # the registry check loaded it already: load_registry keeps it while it is unchanged
            entries = len(load_registry(registry).entities)
        except RegistryError:
            pass  # the registry check has said what is wrong with it
    seeds = ", seeds unchanged" if "seeds" in kinds else ""
    return f"ok: {pages} pages, {entries} registry entries{seeds}"


if __name__ == "__main__":
    sys.exit(main())
