"""Article pages: the header under the title, paragraph anchors, page language, cards, method list.

Every article is a MyST page whose YAML front matter follows the edition's article format (see
``CONTRIBUTING.md``). This component reads that front matter itself, so that values keep their
types (lists stay lists), and keeps what later phases need in :class:`ArticleDomain`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, cast
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.writers.html5 import HTML5Translator

from converters.dates import format_date
from converters.editing.check import FRONT_MATTER, LIST_OF_MAPPINGS, LIST_OF_STR, STR
from converters.editorial import EditorialError
from converters.editorial import parse as check_editorial_data
from converters.myst import FOOTNOTE_REF, ROLE, escape_literal
from converters.script import text_language
from converters.values import as_list
from converters.yamlsafe import YamlRefused, decode_yaml_bytes, load_yaml

from .safety import is_web_url, language_tag, strip_xml_forbidden, xml_forbidden

logger = logging.getLogger(__name__)

#: Readable names of the BCP 47 tags the edition uses.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "Chinese",
    "zh-Hans": "Chinese (Simplified)",
    "zh-Hant": "Chinese (Traditional)",
}


#: Header rows: front-matter key and the label shown for it, in display order.
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("authors", "Author"),
    ("date", "Date"),
    ("publisher", "Publisher"),
    ("column", "Column"),
    ("language", "Language"),
    ("translator", "Translator"),
    ("source_url", "Source"),
    ("original_url", "Original"),
    ("image_credits", "Images"),
    ("retrieved", "Retrieved"),
)

#: Readable names of the kinds of removed material (the ``removed`` list of the front matter).
REMOVAL_NAMES: dict[str, str] = {
    "advertisement": "advertisement",
    "ad": "advertisement",
    "paywall": "paywall notice",
    "related": "related-articles list",
    "related-links": "related-articles list",
    "feed-footer": "feed footer",
    "author-bio": "author biography",
    "navigation": "navigation",
    "promo": "promotion",
    "category-footer": "category footer",
    "font-preload": "font loader",
}

#: How long a summary on a card may get before it is cut.
SUMMARY_LENGTH = 140

# The end of a sentence: Chinese full stops end one at once, Latin ones before a space.
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
# MyST inline syntax a summary must shed: roles (text or explicit-title form) and footnotes.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# A line that is MyST structure rather than paragraph text: targets, headings, fences and their
# options, footnote definitions, comments.
_STRUCTURE_LINE = re.compile(r"^\s*(\(.*\)=\s*$|#|:::|```|:[\w-]+:|\[\^|%|<!--|\+\+\+)")
_ESCAPED = re.compile(r"\\(.)")


# --------------------------------------------------------------------------- front matter


class FrontMatterError(ValueError):
    """Front matter the edition refuses, with the line of the page it is on."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        #: The line of the page (1 is the opening ``---``).
        self.line = line
        #: What is wrong, in one sentence.
        self.reason = reason


def parse_front_matter(text: str) -> dict[str, Any] | None:
    """The YAML front matter of a MyST page as a dict, or ``None`` when it has none.

    Front matter that is not YAML, uses what the loader refuses (aliases, duplicate keys, unsafe
    tags) or is not a mapping raises :class:`FrontMatterError`.
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return None
    try:
        # The YAML starts on the page's second line, after the opening ``---``.
        data = load_yaml(match.group(1), first_line=2)
    except YamlRefused as exc:
        raise FrontMatterError(exc.line, exc.reason) from None
    if data is None:
        return None
    if not isinstance(data, dict):
        raise FrontMatterError(2, f"front matter must be a mapping of fields, not a "
                                  f"{type(data).__name__}")
    return data


def blank_front_matter(text: str) -> str:
    """A page with its front matter emptied, line numbers kept (for a refused front matter)."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    # An empty mapping, so that MyST, which reads the front matter too, finds nothing to say.
    blank = "---\n{}" + "\n" * match.group(1).count("\n") + "\n---\n"
    return blank + text[match.end():]


def _field_line(text: str, key: str) -> int:
    """The page line on which a top-level front-matter field starts (1 when not found)."""
    found = re.search(rf"^{re.escape(key)}\s*:", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 1


def _scrub(value: Any, found: list[str]) -> Any:
    """``value`` with the characters XML forbids removed from every string in it."""
    if isinstance(value, str):
        bad = xml_forbidden(value)
        if bad:
            found.extend(code for code in bad if code not in found)
            return strip_xml_forbidden(value)
        return value
    if isinstance(value, list):
        return [_scrub(item, found) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, found) for key, item in value.items()}
    return value


def _is_scalar(value: Any) -> bool:
    return value is None or (not isinstance(value, (list, dict, set, bytes)))


def clean_front_matter(meta: dict[str, Any], text: str = "") -> tuple[dict[str, Any], list[
        tuple[int, str]]]:
    """An article's front matter fit to present, and each problem found (page line, message).

    A field of the wrong type is dropped; a language tag outside the allow-list is dropped; a
    characters XML forbids is removed; an address that is not http(s) is kept but is never
    made a link (:func:`_stated_value`).
    """
    problems: list[tuple[int, str]] = []
    clean: dict[str, Any] = {}
    for key, value in meta.items():
        key = str(key)
        kind = FRONT_MATTER.get(key)
        line = _field_line(text, key)
        if kind == STR and not _is_scalar(value):
            problems.append((line, f"front matter: {key!r} must be a {STR}; ignored"))
            continue
        if kind == LIST_OF_STR and not (
                _is_scalar(value) or (isinstance(value, list) and all(map(_is_scalar, value)))):
            problems.append((line, f"front matter: {key!r} must be a {LIST_OF_STR}; ignored"))
            continue
        if kind == LIST_OF_MAPPINGS:
            if value in (None, ""):
                value = []
            if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                problems.append((line, f"front matter: {key!r} must be a {LIST_OF_MAPPINGS}; "
                                       "ignored"))
                continue
        found: list[str] = []
        value = _scrub(value, found)
        if found:
            problems.append((line, f"front matter: {key!r} holds {', '.join(found)}, which XML "
                                   "forbids; removed"))
        if key == "language":
            tags = []
            for tag in as_list(value):
                allowed = language_tag(tag)
                if allowed is None:
                    problems.append((line, f"front matter: language {tag!r} is not one the "
                                           "edition knows; ignored"))
                else:
                    tags.append(allowed)
            value = tags
        if key in ("source_url", "original_url") and value and not is_web_url(value):
            problems.append((line, f"front matter: {key} {str(value)!r} is not an http(s) "
                                   "address; shown as text, not as a link"))
        clean[key] = value
    return clean, problems


def article_body(text: str) -> str:
    """A MyST page without its front matter."""
    match = _FRONT_MATTER.match(text)
    return text[match.end():] if match else text


def main_language(front_matter: dict[str, Any]) -> str:
    """The article's main language (the first listed), or ``""``."""
    languages = as_list(front_matter.get("language"))
    return languages[0] if languages else ""


def language_name(tag: str) -> str:
    """A BCP 47 tag in words, falling back to the tag itself."""
    return LANGUAGE_NAMES.get(tag, tag)


def plain_text(myst: str) -> str:
    """Running MyST text as a reader sees it: roles, footnote marks and escapes removed."""
    text = ROLE.sub(r"\1", myst)
    text = FOOTNOTE_REF.sub("", text)
    text = _LINK.sub(r"\1", text)
    # Unescape in one pass so that an escaped backslash is not read as an escape again.
    return _ESCAPED.sub(r"\1", text).strip()


def first_paragraph(body: str, label: str = "") -> str:
    """The plain text of an article's first paragraph (the one labelled ``<label>-p1``)."""
    all_lines = body.splitlines()
    start = 0
    if label:
        # The label is a target line before a paragraph, or the name of a parallel pair.
        marks = (f"({label}-p1)=", f":name: {label}-p1")
        start = next((i for i, line in enumerate(all_lines) if line.strip() in marks), 0)
    lines: list[str] = []
    for line in all_lines[start:]:
        if not line.strip() or _STRUCTURE_LINE.match(line):
            if lines:
                break
            continue
        lines.append(line.strip())
    return plain_text(" ".join(lines))


def first_sentence(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first sentence of a text, cut with an ellipsis if it runs past ``limit`` characters."""
    match = _SENTENCE_END.search(text)
    sentence = text[: match.end()] if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


def summary(front_matter: dict[str, Any], body: str) -> str:
    """One line to present an article: its dek (subtitle) if it has one, else its first sentence."""
    subtitle = str(front_matter.get("subtitle") or "").strip()
    if subtitle:
        return subtitle
    return first_sentence(first_paragraph(body, str(front_matter.get("label") or "")))


def byline(front_matter: dict[str, Any]) -> str:
    """Author, date, language, publisher and source site on one line, for a card.

    Values the editors supplied are in square brackets, as in the article header; the date is
    given to the day at most (the header has the time).
    """
    supplied = {
        str(entry.get("field")): entry
        for entry in front_matter.get("editorial") or [] if isinstance(entry, dict)
    }

    def mark(field: str, text: str) -> str:
        return f"[{text}]" if text and field in supplied else text

    precision = str(front_matter.get("date_precision") or "")
    date = format_date(str(front_matter.get("date") or ""),
                       "day" if precision in ("minute", "second") else precision)
    host = urlsplit(str(front_matter.get("source_url") or "")).netloc.removeprefix("www.")
    parts = (
        mark("authors", ", ".join(as_list(front_matter.get("authors")))),
        mark("date", date),
        " / ".join(language_name(t) for t in as_list(front_matter.get("language"))),
        mark("publisher", str(front_matter.get("publisher") or "")),
        host,
    )
    return " · ".join(part for part in parts if part)


def escape_myst(text: str) -> str:
    """Text that MyST renders literally (CommonMark: a backslash escapes any ASCII punctuation)."""
    return escape_literal(" ".join(text.split()))


def read_editorial_data(path: Path, *, quiet: bool = False) -> dict[str, Any]:
    """The editorial decisions file (``seeds:`` → per seed, its articles), or ``{}`` if absent.

    A file the YAML loader refuses is a warning at ``file:line`` (unless ``quiet``: the method
    page reports it, the other readers of the file stay silent) and counts as empty.
    """
    if not path.is_file():
        return {}
    try:
        text = decode_yaml_bytes(path.read_bytes(), str(path))
        data = load_yaml(text, path=str(path)) or {}
        if not quiet:
            # The converters' own check of the file (a slug, a range, a metadata field): what
            # it refuses is reported; the method page still lists what it can read.
            check_editorial_data(text, str(path))
    except EditorialError as exc:
        logger.warning("editorial decisions: %s", exc, type="edition", subtype="editorial")
    except YamlRefused as exc:
        if not quiet:
            logger.warning("editorial decisions not read: %s", exc.reason,
                           location=f"{path}:{exc.line}", type="edition", subtype="editorial")
        return {}
    except OSError as exc:
        if not quiet:
            logger.warning("editorial decisions not read: %s: %s", path, exc.strerror or exc,
                           type="edition", subtype="editorial")
        return {}
    seeds = data.get("seeds") if isinstance(data, dict) else None
    return seeds if isinstance(seeds, dict) else {}


def read_article(path: Path) -> tuple[dict[str, Any], str] | None:
    """An article's presentable front matter and body, read from disk (``None`` if unusable).

    Problems are not reported here: every page is read by Sphinx too, and
    :func:`on_source_read` reports them there, with the page's line.
    """
    try:
        # Undecodable bytes become U+FFFD, as Sphinx replaces them when it reads the page.
        text = path.read_bytes().decode("utf-8", errors="replace")
        meta = parse_front_matter(text)
    except (OSError, FrontMatterError):
        return None
    if meta is None:
        return None
    return clean_front_matter(meta, text)[0], article_body(text)


class ArticleSource(NamedTuple):
    """An article as found on disk: where it is and what its front matter says."""

    #: The Sphinx document name (``articles/<slug>``).
    docname: str
    #: The parsed front matter.
    front_matter: dict[str, Any]
    #: The page without its front matter.
    body: str


def article_sort_key(
    article: ArticleSource, positions: dict[str, int]
) -> tuple[str, int, str, str]:
    """Order articles as the seeds are ordered; the parts of one seed as the editors list them."""
    meta = article.front_matter
    position = positions.get(str(meta.get("label") or ""), len(positions))
    return (str(meta.get("seed", "")), position, str(meta.get("date", "")), article.docname)


def find_articles(env: BuildEnvironment) -> list[ArticleSource]:
    """Every article of the project, read from disk, in edition order."""
    found = []
    for docname in sorted(env.found_docs):
        if not is_article(env, docname):
            continue
        read = read_article(Path(env.doc2path(docname)))
        if read is not None:
            found.append(ArticleSource(docname, *read))
    # A divided seed's articles are listed in reading order in the editorial decisions file.
    decisions = read_editorial_data(Path(env.config.edition_editorial), quiet=True)
    positions = {
        str(article.get("slug", "")): number
        for seed in decisions.values() if isinstance(seed, dict)
        for number, article in enumerate(seed.get("articles") or [])
        if isinstance(article, dict)
    }
    return sorted(found, key=lambda article: article_sort_key(article, positions))


def is_article(env: BuildEnvironment, docname: str) -> bool:
    """Whether a document is an article: it lies in the ``edition_articles`` folder."""
    # ``edition_articles`` is registered by the entities component, which shares the notion.
    return docname.startswith(env.config.edition_articles.rstrip("/") + "/")


# --------------------------------------------------------------------------- domain


class ArticleDomain(Domain):
    """Build state of the article component: front matter per article, pages that list articles."""

    name = "article"
    label = "Article"
    initial_data: ClassVar[dict[str, Any]] = {"front_matter": {}, "listing_pages": set()}

    @property
    def front_matter(self) -> dict[str, dict[str, Any]]:
        """Front matter of every article read, by document name."""
        return cast(dict[str, dict[str, Any]], self.data.setdefault("front_matter", {}))

    @property
    def listing_pages(self) -> set[str]:
        """Documents whose content is generated from all articles (cards, editorial lists)."""
        return cast(set[str], self.data.setdefault("listing_pages", set()))

    def clear_doc(self, docname: str) -> None:
        """Forget what a document contributed."""
        self.front_matter.pop(docname, None)
        self.listing_pages.discard(docname)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take over what a parallel reader found in ``docnames``."""
        for docname in docnames:
            if docname in otherdata["front_matter"]:
                self.front_matter[docname] = otherdata["front_matter"][docname]
            if docname in otherdata["listing_pages"]:
                self.listing_pages.add(docname)

    def resolve_any_xref(self, env: BuildEnvironment, fromdocname: str, builder: Any,
                         target: str, node: addnodes.pending_xref,
                         contnode: nodes.Element) -> list[tuple[str, nodes.reference]]:
        """The domain holds no cross-reference targets of its own."""
        return []


def get_front_matter(env: BuildEnvironment, docname: str) -> dict[str, Any] | None:
    """The front matter of an article (``None`` for pages that are not articles)."""
    return cast(ArticleDomain, env.get_domain("article")).front_matter.get(docname)


def resolve_editorial_path(app: Sphinx, config: Any) -> None:
    """Make ``edition_editorial`` absolute (it is given relative to the configuration folder)."""
    config.edition_editorial = str(Path(app.confdir, config.edition_editorial))


def on_source_read(app: Sphinx, docname: str, content: list[str]) -> None:
    """Check every page's front matter; keep the presentable front matter of each article.

    Refused front matter (not YAML, aliases, duplicate keys, unsafe tags, not a mapping) is a
    warning at its line and is emptied before MyST parses the page, so no other reader of the
    page meets it.
    """
    try:
        meta = parse_front_matter(content[0])
    except FrontMatterError as exc:
        logger.warning("front matter refused: %s", exc.reason, location=(docname, exc.line),
                       type="edition", subtype="front_matter")
        content[0] = blank_front_matter(content[0])
        return
    if not is_article(app.env, docname):
        return
    if meta is None:
        logger.warning("article has no front matter", location=(docname, 1),
                       type="edition", subtype="front_matter")
        return
    meta, problems = clean_front_matter(meta, content[0])
    for line, problem in problems:
        logger.warning(problem, location=(docname, line), type="edition",
                       subtype="front_matter")
    domain = cast(ArticleDomain, app.env.get_domain("article"))
    domain.front_matter[docname] = meta


def on_env_get_outdated(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """Re-read pages generated from all articles whenever an article comes, goes or changes."""
    if any(is_article(env, docname) for docname in (*added, *changed, *removed)):
        return sorted(cast(ArticleDomain, env.get_domain("article")).listing_pages)
    return []


# --------------------------------------------------------------------------- header


def _paragraph(*children: nodes.Node, classes: Iterable[str] = ()) -> nodes.paragraph:
    para = nodes.paragraph("", "", *children)
    para["classes"].extend(classes)
    return para


def _link(url: str) -> nodes.reference:
    return nodes.reference(url, url, refuri=url, classes=["article-source-link"])


def _stated_value(key: str, meta: dict[str, Any]) -> list[nodes.Node]:
    """What the source itself states for a header row, as inline nodes."""
    value = meta.get(key)
    if key == "date":
        text = format_date(str(value or ""), str(meta.get("date_precision") or ""))
        return [nodes.inline(text, text, classes=["article-date"])] if text else []
    if key == "language":
        tags = as_list(value)
        text = " and ".join(language_name(tag) for tag in tags)
        if len(tags) > 1:
            text += ", in parallel"
        return [nodes.Text(text)] if tags else []
    if key in ("source_url", "original_url"):
        if not value:
            return []
        # Only an http(s) address becomes a link; anything else (javascript:, data:) is shown
        # as the text it is (reported when the front matter was read).
        url = str(value)
        return [_link(url)] if is_web_url(url) else [nodes.Text(url)]
    if key == "retrieved":
        text = format_date(str(value or ""), "second")
        return [nodes.Text(text)] if text else []
    items = as_list(value)
    return [nodes.Text(", ".join(items))] if items else []


class editorial_notes(nodes.General, nodes.Element):
    """The editors' notes of an article header: a disclosure in HTML, a plain list elsewhere."""


def visit_editorial_notes_html(self: HTML5Translator, node: editorial_notes) -> None:
    """Open a ``<details>`` element: the reasons are long, and most readers want the text."""
    self.body.append(self.starttag(node, "details", CLASS="editorial-notes"))
    self.body.append(f"<summary>{self.encode(node['summary'])}</summary>\n")


def depart_editorial_notes_html(self: HTML5Translator, node: editorial_notes) -> None:
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


def _editorial_value(entry: dict[str, Any], label: str) -> list[nodes.Node]:
    """A value supplied by the editors: in square brackets, with a link to their reason."""
    value = ", ".join(as_list(entry.get("value")))
    result: list[nodes.Node] = [nodes.inline("", f"[{value}]", classes=["editorial-value"])]
    if str(entry.get("reason") or "").strip():
        why = nodes.reference("", "why?", refid=note_id(label, str(entry.get("field", ""))),
                              classes=["editorial-why"])
        result += [nodes.Text(" "), why]
    return result


def _header_field(label: str, body: list[nodes.Node]) -> nodes.field:
    return nodes.field(
        "",
        nodes.field_name(label, label),
        nodes.field_body("", _paragraph(*body)),
    )


def _removal_summary(removed: list[dict[str, Any]]) -> str:
    kinds: dict[str, int] = {}
    for item in removed:
        kind = REMOVAL_NAMES.get(str(item.get("kind", "")), str(item.get("kind", "")))
        kinds[kind] = kinds.get(kind, 0) + 1
    return ", ".join(f"{kind} ({count})" if count > 1 else kind for kind, count in kinds.items())


def build_header(meta: dict[str, Any], method_doc: str | None) -> nodes.container:
    """The header shown below an article's title, built from its front matter."""
    label = str(meta.get("label") or "article")
    # The header is the edition's apparatus, in English, whatever the article's language.
    header = nodes.container(classes=["article-header", "language-en"])
    editorial = [e for e in meta.get("editorial") or [] if isinstance(e, dict)]
    by_field = {str(entry.get("field", "")): entry for entry in editorial}

    subtitle = str(meta.get("subtitle") or "").strip()
    if subtitle:
        para = _paragraph(nodes.Text(subtitle), classes=["article-subtitle"])
        if "subtitle" in by_field:
            para.insert(0, nodes.inline("", "[", classes=["editorial-value"]))
            para += nodes.inline("", "]", classes=["editorial-value"])
            para += _editorial_value(by_field["subtitle"], label)[1:]
        language = text_language(subtitle, as_list(meta.get("language")))
        if language and language != main_language(meta):
            # docutils writes a language-xx class as the lang attribute.
            para["classes"].append(f"language-{language}")
        header += para

    fields = nodes.field_list(classes=["article-meta"])
    if "title" in by_field:
        # The title is the page's heading; the header says whose it is.
        supplied = nodes.inline("", "supplied by the editors", classes=["editorial-value"])
        why = _editorial_value(by_field["title"], label)[1:]
        fields += _header_field("Title", [supplied, *why])
    for key, name in HEADER_FIELDS:
        body = _stated_value(key, meta)
        entry = by_field.get(key)
        if entry is not None:
            stated = ", ".join(as_list(meta.get(key)))
            supplied = ", ".join(as_list(entry.get("value")))
            if body and stated != supplied:
                body.append(nodes.Text(" "))
                body.extend(_editorial_value(entry, label))
            elif body:
                # The writer already put the editors' value in the field: mark it as theirs.
                body = [nodes.inline("", "[", classes=["editorial-value"]), *body,
                        nodes.inline("", "]", classes=["editorial-value"])]
                body += [nodes.Text(" "), *_editorial_value(entry, label)[2:]]
            else:
                body = _editorial_value(entry, label)
        if not body:
            continue
        if key == "authors" and len(as_list(meta.get("authors")) or
                                    as_list((entry or {}).get("value"))) > 1:
            name = "Authors"
        fields += _header_field(name, body)
    header += fields

    removed = [r for r in meta.get("removed") or [] if isinstance(r, dict)]
    if not editorial and not removed:
        return header
    notes = editorial_notes("", summary="Editorial notes")
    items = nodes.bullet_list(classes=["editorial-list"])
    for entry in editorial:
        field_name = str(entry.get("field", ""))
        value = ", ".join(as_list(entry.get("value")))
        # The id is on a target, not on the item: LaTeX writes labels for targets only.
        item = nodes.list_item("", _paragraph(
            nodes.target("", "", ids=[note_id(label, field_name)]),
            nodes.strong("", f"{field_name.replace('_', ' ').capitalize()} [{value}]: "),
            nodes.Text(" ".join(str(entry.get("reason") or "").split())),
        ))
        items += item
    if removed:
        text = f"Removed from the source: {_removal_summary(removed)}."
        items += nodes.list_item("", _paragraph(nodes.Text(text)))
    notes += items
    if method_doc:
        xref = addnodes.pending_xref(
            "", nodes.inline("", "Editorial method"),
            refdomain="std", reftype="doc", reftarget="/" + method_doc,
            refexplicit=True, refwarn=True,
        )
        notes += _paragraph(nodes.Text("See also "), xref, nodes.Text("."))
    header += notes
    return header


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    """Put the header under each article's title; tell LaTeX each page's language."""
    env = app.env
    meta = get_front_matter(env, env.docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if meta is not None:
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
    if section is not None:
        language = (main_language(meta) if meta else "") or app.config.language or "en"
        insert_latex_language(section, language)


def insert_latex_language(section: nodes.section, language: str) -> None:
    """Switch the PDF's Chinese faces and punctuation to a page's language, before its title.

    Every page sets its language, so an article in Traditional characters does not leave its
    faces to the page after it. The CJK face must be chosen before the chapter title is
    typeset, hence before the section.
    """
    # Only a tag of the allow-list reaches LaTeX: it is a command argument there.
    tag = (language_tag(language) or "en").lower()
    command = rf"\ifdefined\editionlanguage\editionlanguage{{{tag}}}\fi"
    parent = section.parent
    position = parent.index(section)
    # Before the title's targets too: LaTeX labels a target once only if a section follows it.
    while position and isinstance(parent[position - 1], nodes.target):
        position -= 1
    parent.insert(position, nodes.raw("", command, format="latex"))


# --------------------------------------------------------------------------- HTML details


class paragraph_anchor(nodes.Inline, nodes.Element):
    """A visible ¶ link to the paragraph (or parallel pair) it ends; HTML only."""


def visit_paragraph_anchor(self: HTML5Translator, node: paragraph_anchor) -> None:
    """Write the anchor as a link to its target id."""
    target = node["target"]
    self.body.append(
        f'<a class="para-anchor" href="#{target}" title="Link to this paragraph"'
        f' aria-label="Link to this paragraph">¶</a>'
    )
    raise nodes.SkipNode


def skip_node(self: Any, node: nodes.Node) -> None:
    """Leave a node out of formats it has no meaning in."""
    raise nodes.SkipNode


class LiftSidenotesOutOfPairs(SphinxPostTransform):
    """Move margin notes that the book theme put inside a parallel pair to just before it.

    With ``use_sidenotes``, sphinx-book-theme puts the note of a footnote reference that sits in
    a container just before that container: here, inside the pair, where it would become a
    third column of the grid. Before the pair, it floats into the margin as other notes do.
    """

    # Right after sphinx-book-theme's HandleFootnoteTransform (priority 1).
    default_priority = 2
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Lift the notes."""
        for pair in list(self.document.findall(nodes.container)):
            if "parallel" not in pair["classes"]:
                continue
            for child in list(pair.children):
                if isinstance(child, nodes.inline) and {"sidenote", "marginnote"} & set(
                        child["classes"]):
                    pair.remove(child)
                    pair.parent.insert(pair.parent.index(pair), child)


class LinkRepeatedSidenoteReferences(SphinxPostTransform):
    """Point repeated references to one note at the place where the note is shown.

    The edition has one note per linked address, so a source that links one address twice
    refers to one note twice. sphinx-book-theme turns the first reference into a margin note and
    removes the footnote; later references would point at nothing. They become the note's
    number, linking to the first reference, whose note is beside it.
    """

    default_priority = 3
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        """Relink the references whose footnote is gone."""
        ids = {i for node in self.document.findall(nodes.Element) for i in node["ids"]}
        shown: dict[str, str] = {}
        for node in self.document.findall(nodes.Element):
            if type(node).__name__ == "SideNoteNode" and node["ids"] and node["names"]:
                label = node["names"][0].rpartition("-")[2]
                shown.setdefault(label, node["ids"][0])
        for ref in list(self.document.findall(nodes.footnote_reference)):
            if ref.get("refid") in ids:
                continue
            label = ref.astext()
            if label not in shown:
                continue
            link = nodes.reference("", "", nodes.superscript(label, label),
                                   refid=shown[label], classes=["sidenote-repeat"])
            ref.replace_self(link)


class AddParagraphAnchors(SphinxPostTransform):
    """End every labelled block (a paragraph, a list, a parallel pair) with a ¶ link to it.

    Articles label each block of text ``<slug>-pN`` so that it can be cited; the anchor is
    the visible way to the label. A list or a pair ends with its last paragraph, which
    takes the anchor.
    """

    default_priority = 400
    builders = ("html", "dirhtml", "singlehtml")

    def run(self, **kwargs: Any) -> None:
        """Add the anchors."""
        for para in list(self.document.findall(nodes.paragraph)):
            if para["ids"]:
                para += paragraph_anchor("", target=para["ids"][0], classes=["no-search"])
        for block in list(self.document.findall(nodes.Element)):
            is_list = isinstance(block, (nodes.bullet_list, nodes.enumerated_list))
            is_pair = isinstance(block, nodes.container) and "parallel" in block["classes"]
            if not block["ids"] or not (is_list or is_pair):
                continue
            last = [p for p in block.findall(nodes.paragraph) if not p["ids"]]
            if last:
                last[-1] += paragraph_anchor("", target=block["ids"][0], classes=["no-search"])


class ReplaceRemoteImages(SphinxPostTransform):
    """Replace images on the web by a link to them where a format cannot show remote images.

    Sphinx would otherwise download them while writing the PDF or EPUB; the edition is built
    offline, and an EPUB may not point at remote images.
    """

    # Before Sphinx's own ImageDownloader (priority 100).
    default_priority = 90

    def is_supported(self) -> bool:
        """Only for builders without remote image support (LaTeX, EPUB)."""
        return not getattr(self.app.builder, "supported_remote_images", True)

    def run(self, **kwargs: Any) -> None:
        """Swap each remote image for a short paragraph with its address."""
        for image in list(self.document.findall(nodes.image)):
            uri = image["uri"]
            if "://" not in uri:
                continue
            address = _link(uri) if is_web_url(uri) else nodes.Text(uri)
            # the book's wording (edition/book.py frames the same words in the PDF)
            children = (nodes.Text("The image, not reproduced here, is at "), address)
            # An image inside running text or a link (an image's :target:) becomes inline text.
            inline = isinstance(image.parent, (nodes.TextElement, nodes.Inline))
            note = (nodes.inline("", "", *children, classes=["remote-image"]) if inline
                    else _paragraph(*children, classes=["remote-image"]))
            image.replace_self(note)


def on_html_page_context(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Give an article page its own ``<html lang>``: the article's main language."""
    meta = get_front_matter(app.env, pagename)
    if meta is None:
        return
    language = language_tag(main_language(meta))
    if language:
        context["language"] = language


# --------------------------------------------------------------------------- directives


def _mark_listing(directive: SphinxDirective) -> None:
    cast(ArticleDomain, directive.env.get_domain("article")).listing_pages.add(
        directive.env.docname)


class ArticleCardsDirective(SphinxDirective):
    """A sphinx-design card per article, generated from the articles' front matter.

    With ``:toctree:`` it also adds the articles, in edition order, to a hidden table of contents.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "toctree": directives.unchanged,
        "columns": directives.unchanged,
    }

    def card(self, article: ArticleSource) -> str:
        """The MyST source of one card: title, one-line summary, byline in the footer."""
        meta = article.front_matter
        title = escape_myst(str(meta.get("title") or article.docname))
        lines = [
            f"::::{{grid-item-card}} {title}",
            f":link: /{article.docname}",
            ":link-type: doc",
            ":class-card: article-card",
            "",
            escape_myst(summary(meta, article.body)),
            "",
        ]
        line = escape_myst(byline(meta))
        if line:
            # An article that states nothing about itself has no byline (and no empty footer).
            lines += [":::{card-footer}", ":class: article-card-byline", line, ":::"]
        lines += ["::::", ""]
        return "\n".join(lines)

    def run(self) -> list[nodes.Node]:
        """Parse the generated cards (and toctree) into nodes."""
        _mark_listing(self)
        articles = find_articles(self.env)
        if not articles:
            logger.warning("no articles found (edition_articles = %r)",
                           self.config.edition_articles, location=self.get_location(),
                           type="edition", subtype="article")
            return []
        columns = self.options.get("columns", "1 1 2 2")
        source = [f":::::{{grid}} {columns}", ":gutter: 3", ""]
        source += [self.card(article) for article in articles]
        source.append(":::::")
        result: list[nodes.Node] = []
        html_only = addnodes.only(expr="html")
        html_only += self.parse_text_to_nodes("\n".join(source))
        result.append(html_only)
        if "toctree" in self.options:
            toctree = addnodes.toctree()
            toctree["parent"] = self.env.docname
            toctree["entries"] = [(None, article.docname) for article in articles]
            toctree["includefiles"] = [article.docname for article in articles]
            # Two levels: the EPUB's navigation lists each article's sections too.
            toctree["maxdepth"] = 2
            toctree["caption"] = self.options["toctree"] or None
            toctree["glob"] = False
            toctree["hidden"] = True
            toctree["includehidden"] = False
            toctree["numbered"] = 0
            toctree["titlesonly"] = False
            wrapper = nodes.compound(classes=["toctree-wrapper"])
            wrapper += toctree
            self.set_source_info(toctree)
            result.append(wrapper)
        return result


def _link_to(docname: str, title: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", title), refdomain="std", reftype="doc",
        reftarget="/" + docname, refexplicit=True, refwarn=True,
    )


def _clip(text: object, limit: int = SUMMARY_LENGTH) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class EditorialDecisionsDirective(SphinxDirective):
    """Per seed: how it was divided, and what the editors removed from or supplied to each article.

    Generated from the articles' front matter (``editorial``, ``removed``) and the editorial
    decisions file (``edition_editorial``), so the method page is never out of date.
    """

    has_content = False

    def division(self, seed: str, decisions: dict[str, Any],
                 titles: dict[str, tuple[str, str]]) -> list[nodes.Node]:
        """How a seed that holds several texts was divided: each article's line ranges."""
        entry = decisions.get(seed) or {}
        planned = [a for a in entry.get("articles") or [] if isinstance(a, dict)]
        if len(planned) < 2:
            return []
        intro = _paragraph(nodes.Text(
            f"The seed holds {len(planned)} texts, divided by line ranges (each range from the "
            "line beginning with the first words to the line beginning with the last):"))
        ranges = nodes.enumerated_list(classes=["editorial-division"])
        for article in planned:
            slug = str(article.get("slug", ""))
            docname, title = titles.get(slug, ("", slug))
            para = _paragraph(_link_to(docname, title) if docname else nodes.Text(title))
            item = nodes.list_item("", para)
            spans = nodes.bullet_list()
            for span in article.get("ranges") or []:
                if not isinstance(span, dict):
                    continue
                text = f"“{_clip(span.get('first'), 70)}” … “{_clip(span.get('last'), 70)}”"
                line = _paragraph(nodes.inline("", text, classes=["removed-text"]))
                if span.get("moved"):
                    line += nodes.Text(" — moved: " + _clip(span.get("moved"), 10_000))
                spans += nodes.list_item("", line)
            if len(spans):
                item += spans
            ranges += item
        return [intro, ranges]

    def article_items(self, meta: dict[str, Any]) -> nodes.bullet_list:
        """What the editors supplied to and removed from one article."""
        items = nodes.bullet_list(classes=["editorial-list"])
        for entry in meta.get("editorial") or []:
            if not isinstance(entry, dict):
                continue
            value = ", ".join(as_list(entry.get("value")))
            field_name = str(entry.get("field", "")).replace("_", " ")
            items += nodes.list_item("", _paragraph(
                nodes.strong("", f"Supplied {field_name}: "),
                nodes.inline("", f"[{value}]", classes=["editorial-value"]),
                nodes.Text(" — " + " ".join(str(entry.get("reason") or "").split())),
            ))
        for entry in meta.get("removed") or []:
            if not isinstance(entry, dict):
                continue
            kind = str(entry.get("kind", ""))
            items += nodes.list_item("", _paragraph(
                nodes.strong("", f"Removed {REMOVAL_NAMES.get(kind, kind)}: "),
                nodes.Text(f"{entry.get('chars', 0)} characters — "
                           + " ".join(str(entry.get("reason") or "").split())),
            ))
        if not len(items):
            items += nodes.list_item("", _paragraph(nodes.Text("Nothing removed or supplied.")))
        return items

    def run(self) -> list[nodes.Node]:
        """List the decisions, seed by seed, in edition order."""
        _mark_listing(self)
        decisions_path = Path(self.config.edition_editorial)
        if decisions_path.is_file():
            self.env.note_dependency(str(decisions_path))
        decisions = read_editorial_data(decisions_path)
        articles = find_articles(self.env)
        titles = {str(a.front_matter.get("label") or ""): (a.docname, str(a.front_matter.get(
            "title") or a.docname)) for a in articles}
        by_seed: dict[str, list[ArticleSource]] = {}
        for article in articles:
            by_seed.setdefault(str(article.front_matter.get("seed") or ""), []).append(article)
        result: list[nodes.Node] = []
        for seed, group in by_seed.items():
            result.append(nodes.rubric("", f"Source file {seed}" if seed else "Source unknown"))
            result.extend(self.division(seed, decisions, titles))
            for article in group:
                title = str(article.front_matter.get("title") or article.docname)
                result.append(_paragraph(_link_to(article.docname, title),
                                         classes=["editorial-article"]))
                result.append(self.article_items(article.front_matter))
        return result


# --------------------------------------------------------------------------- setup


def setup_article(app: Sphinx) -> None:
    """Register the article component."""
    app.add_config_value(
        "edition_editorial", "_data/editorial.yaml", "env", types=frozenset({str}),
        description="The editorial decisions file (YAML), relative to the configuration directory.",
    )
    app.add_config_value(
        "edition_method_page", "method", "env", types=frozenset({str}),
        description="The page on editorial method that article headers link to ('' for none).",
    )
    app.add_domain(ArticleDomain)
    app.add_node(
        paragraph_anchor,
        html=(visit_paragraph_anchor, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_node(
        editorial_notes,
        html=(visit_editorial_notes_html, depart_editorial_notes_html),
        latex=(visit_editorial_notes_latex, depart_editorial_notes_plain),
        text=(visit_editorial_notes_plain, depart_editorial_notes_plain),
        man=(visit_editorial_notes_plain, depart_editorial_notes_plain),
        texinfo=(visit_editorial_notes_plain, depart_editorial_notes_plain),
    )
    app.add_post_transform(LiftSidenotesOutOfPairs)
    app.add_post_transform(LinkRepeatedSidenoteReferences)
    app.add_post_transform(AddParagraphAnchors)
    app.add_post_transform(ReplaceRemoteImages)
    app.add_directive("article-cards", ArticleCardsDirective)
    app.add_directive("editorial-decisions", EditorialDecisionsDirective)
    app.connect("config-inited", resolve_editorial_path)
    app.connect("source-read", on_source_read)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("doctree-read", on_doctree_read)
    app.connect("html-page-context", on_html_page_context)
