"""Article front matter: parsed once per document, checked, and kept in :class:`ArticleDomain`.

Every article is a MyST page whose YAML front matter follows the edition's article format (see
``CONTRIBUTING.md``). This component reads that front matter itself at ``source-read``, so that
values keep their types (lists stay lists), checks it, and keeps it in the ``article`` domain as
the article's typed record (:class:`edition.article.record.ArticleMeta`), where every other
component reads it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Set
from typing import Any, ClassVar, NamedTuple, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from converters.common.dates import parse_iso_date
from converters.common.values import as_list
from converters.common.yamlsafe import YamlRefused, load_yaml
from converters.model import FRONT_MATTER_FIELDS, LIST_OF_MAPPINGS, LIST_OF_STR, STR
from edition.article.placeholders import listing
from edition.article.record import ArticleMeta
from edition.article.teaser import article_teaser
from edition.security.safety import is_web_url, language_tag, strip_xml_forbidden, xml_forbidden

logger = logging.getLogger(__name__)

#: The type of each front-matter field, from the model's one declaration of the fields.
_KINDS: dict[str, str] = {field.key: field.spec.kind for field in FRONT_MATTER_FIELDS}
#: Front-matter fields that hold an ISO 8601 date (or date-time).
_DATE_KEYS: frozenset[str] = frozenset({"date", "retrieved"})
#: A page's front matter (:func:`front_matter_block`): the opening ``---`` with the white space
#: after it up to its last line break, then the closing ``---`` line, the first after it.
#: They are looked for one after the other: as one pattern, ``\A---\s*\n(.*?)\n---…``, a
#: page without a closing line was searched to its end again from each blank line after the
#: opening one (quadratic).
_OPENING = re.compile(r"\A---\s*\n")
_CLOSING = re.compile(r"\n---\s*(?:\n|\Z)")


class FrontMatterError(ValueError):
    """Front matter the edition refuses, with the line of the page it is on."""

    def __init__(self, line: int, reason: str) -> None:
        """A refusal at page line ``line``, for ``reason``."""
        super().__init__(f"line {line}: {reason}")
        #: The line of the page (1 is the opening ``---``).
        self.line = line
        #: What is wrong, in one sentence.
        self.reason = reason


def front_matter_block(text: str) -> tuple[str, int] | None:
    """A page's front matter (the YAML between the ``---`` lines) and where the page goes on.

    The YAML starts after the last line break of the blank run after the opening ``---``; a
    closing line right after that run's last line break but one ends it there (a block of
    blank lines).
    """
    opening = _OPENING.match(text)
    if opening is None:
        return None
    start = opening.end()
    closing = _CLOSING.search(text, start)
    if closing is not None:
        return text[start : closing.start()], closing.end()
    # the closing line may be the opening run's last line break and what follows it
    last_break = start - 1
    earlier_break = text.rfind("\n", len("---"), last_break)
    closing = _CLOSING.match(text, last_break) if earlier_break >= 0 else None
    if closing is None:
        return None
    return text[earlier_break + 1 : last_break], closing.end()


def parse_front_matter(text: str) -> dict[str, Any] | None:
    """The YAML front matter of a MyST page as a dict, or ``None`` when it has none.

    Front matter that is not YAML, uses what the loader refuses (aliases, duplicate keys, unsafe
    tags) or is not a mapping raises :class:`FrontMatterError`.
    """
    block = front_matter_block(text)
    if not block:
        return None
    try:
        # The YAML starts on the page's second line, after the opening ``---``.
        data = load_yaml(block[0], first_line=2)
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
    block = front_matter_block(text)
    if not block:
        return text
    # An empty mapping, so that MyST, which reads the front matter too, finds nothing to say.
    yaml, end = block
    blank = "---\n{}" + "\n" * yaml.count("\n") + "\n---\n"
    return blank + text[end:]


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
    """Whether a YAML value is a single value (not a list, a mapping or bytes)."""
    return value is None or (not isinstance(value, (list, dict, set, bytes)))


def _of_kind(value: Any, kind: str) -> Any | None:
    """``value`` if a field of type ``kind`` may hold it (``[]`` for an empty list), else None."""
    if kind == STR:
        return value if _is_scalar(value) else None
    if kind == LIST_OF_STR:
        ok = _is_scalar(value) or (isinstance(value, list) and all(map(_is_scalar, value)))
        return value if ok else None
    if kind == LIST_OF_MAPPINGS:
        if value in (None, ""):
            return []
        ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
        return value if ok else None
    return value


def _allowed_languages(value: Any, line: int, problems: list[tuple[int, str]]) -> list[str]:
    """The language tags of the allow-list; the others reported and dropped."""
    tags = []
    for tag in as_list(value):
        allowed = language_tag(tag)
        if allowed is None:
            problems.append((line, f"front matter: language {tag!r} is not one the "
                                   "edition knows; ignored"))
        else:
            tags.append(allowed)
    return tags


def clean_front_matter(meta: dict[str, Any], text: str = "") -> tuple[dict[str, Any], list[
        tuple[int, str]]]:
    """An article's front matter fit to present, and each problem found (page line, message).

    A field of the wrong type (as :data:`~converters.model.FRONT_MATTER_FIELDS` declares it) is
    dropped; a language tag outside the allow-list is dropped; a character XML forbids is
    removed; an address that is not http(s) is kept but is never made a link (see the header).
    """
    problems: list[tuple[int, str]] = []
    clean: dict[str, Any] = {}
    for key, raw in meta.items():
        key = str(key)
        kind = _KINDS.get(key, "")
        line = _field_line(text, key)
        value = _of_kind(raw, kind)
        if value is None and raw is not None:
            problems.append((line, f"front matter: {key!r} must be a {kind}; ignored"))
            continue
        found: list[str] = []
        value = _scrub(value, found)
        if found:
            problems.append((line, f"front matter: {key!r} holds {', '.join(found)}, which XML "
                                   "forbids; removed"))
        if key == "language":
            value = _allowed_languages(value, line, problems)
        if key in _DATE_KEYS and value and parse_iso_date(str(value)) is None:
            # Never show or cite a date that does not exist (2025-02-30): check says the same.
            problems.append((line, f"front matter: {key} {str(value)!r} is not an ISO 8601 "
                                   "date; ignored"))
            continue
        if key in ("source_url", "original_url") and value and not is_web_url(value):
            problems.append((line, f"front matter: {key} {str(value)!r} is not an http(s) "
                                   "address; shown as text, not as a link"))
        clean[key] = value
    return clean, problems


def article_body(text: str) -> str:
    """A MyST page without its front matter."""
    block = front_matter_block(text)
    return text[block[1]:] if block else text


def article_lead(meta: ArticleMeta, text: str) -> str:
    """An article's opening for its card: its first full sentence(s) (a page, with front matter)."""
    return article_teaser(meta, article_body(text))


class ArticleSource(NamedTuple):
    """An article as the listings see it: where it is and what its front matter says."""

    #: The Sphinx document name (``articles/<slug>``).
    docname: str
    #: The article's record (its checked front matter).
    meta: ArticleMeta
    #: Its first full sentence(s), as plain text (:func:`edition.article.teaser.article_teaser`).
    lead: str


def is_article(env: BuildEnvironment, docname: str) -> bool:
    """Whether a document is an article: it lies in the ``edition_articles`` folder."""
    # ``edition_articles`` is registered by the entities component, which shares the notion.
    return docname.startswith(env.config.edition_articles.rstrip("/") + "/")


# --------------------------------------------------------------------------- domain


class ArticleDomain(Domain):
    """Build state of the article component: each article's record, pages that list articles.

    The front matter is parsed and checked once per document, at ``source-read``, and kept as
    the article's record; every component reads it here (:func:`get_article_meta`). The pages
    holding a listing of the articles (:class:`~edition.article.placeholders.listing`) are
    noted as they are read, and written again when what they show of the articles changes
    (:func:`listings_to_rewrite`).
    """

    name = "article"
    label = "Article"
    # 1: the articles' leads are kept too; 2: a lead is the first full sentence(s); 3: the
    # front matter is kept as the article's record (ArticleMeta); 4: listings are placeholders,
    # the articles a page's toctree lists and a digest of what the listings show are kept.
    data_version = 4
    initial_data: ClassVar[dict[str, Any]] = {
        "articles": {}, "leads": {}, "listing_pages": set(), "toctrees": {}, "listed": ""}

    @property
    def articles(self) -> dict[str, ArticleMeta]:
        """The record of every article read, by document name."""
        return cast(dict[str, ArticleMeta], self.data.setdefault("articles", {}))

    @property
    def leads(self) -> dict[str, str]:
        """Every article's first full sentence(s), by document name (for cards)."""
        return cast(dict[str, str], self.data.setdefault("leads", {}))

    #: Every article's label (:meth:`article_labels`), until an article is read or forgotten.
    _labels: frozenset[str] | None = None

    def article_labels(self) -> frozenset[str]:
        """The label of every article read (its record's ``label``).

        Kept until an article is read, merged or forgotten: each page written asks for it (its
        paragraph numbers are those of articles' labels only).
        """
        if self._labels is None:
            self._labels = frozenset(meta.label for meta in self.articles.values())
        return self._labels

    def set_article(self, docname: str, meta: ArticleMeta, lead: str) -> None:
        """Keep an article's record and lead (read at ``source-read``)."""
        self.articles[docname] = meta
        self.leads[docname] = lead
        self._labels = None

    @property
    def listing_pages(self) -> set[str]:
        """Documents holding a listing made from every article (cards, editorial lists)."""
        return cast(set[str], self.data.setdefault("listing_pages", set()))

    @property
    def toctrees(self) -> dict[str, tuple[str, ...]]:
        """Documents whose table of contents lists the articles: the articles, as read."""
        return cast(dict[str, tuple[str, ...]], self.data.setdefault("toctrees", {}))

    def clear_doc(self, docname: str) -> None:
        """Forget what a document contributed."""
        self._labels = None
        self.articles.pop(docname, None)
        self.leads.pop(docname, None)
        self.listing_pages.discard(docname)
        self.toctrees.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        """Take over what a parallel reader found in ``docnames``."""
        self._labels = None
        for docname in docnames:
            if docname in otherdata["articles"]:
                self.articles[docname] = otherdata["articles"][docname]
            if docname in otherdata["leads"]:
                self.leads[docname] = otherdata["leads"][docname]
            if docname in otherdata["listing_pages"]:
                self.listing_pages.add(docname)
            if docname in otherdata["toctrees"]:
                self.toctrees[docname] = otherdata["toctrees"][docname]

    def process_doc(self, _env: BuildEnvironment, docname: str,
                    document: nodes.document) -> None:
        """Note a page holding a listing, and the articles its table of contents lists."""
        for node in document.findall(listing):
            self.listing_pages.add(docname)
            if "toctree" in node:
                self.toctrees[docname] = tuple(node["toctree"])

    def listed(self) -> str:
        """A digest of what the listings show of the articles: records, leads, page titles."""
        digest = hashlib.sha256()
        for docname in sorted(self.articles):
            title = self.env.titles.get(docname)
            digest.update(repr((docname, self.articles[docname], self.leads.get(docname, ""),
                                title.astext() if title is not None else "")).encode())
        return digest.hexdigest()

    def resolve_any_xref(self, _env: BuildEnvironment, _fromdocname: str, _builder: Any,
                         _target: str, _node: addnodes.pending_xref,
                         _contnode: nodes.Element) -> list[tuple[str, nodes.reference]]:
        """The domain holds no cross-reference targets of its own."""
        return []


def article_domain(env: BuildEnvironment) -> ArticleDomain:
    """The ``article`` domain of an environment."""
    return cast(ArticleDomain, env.get_domain(ArticleDomain.name))


def get_article_meta(env: BuildEnvironment, docname: str) -> ArticleMeta | None:
    """The record of an article (``None`` for pages that are not articles)."""
    return article_domain(env).articles.get(docname)


def on_source_read(app: Sphinx, docname: str, content: list[str]) -> None:
    """Check every page's front matter; keep each article's record (its checked front matter).

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
    record = ArticleMeta.from_front_matter(meta, docname)
    article_domain(app.env).set_article(docname, record, article_lead(record, content[0]))


def listings_to_rewrite(_app: Sphinx, env: BuildEnvironment) -> list[str]:
    """The pages holding a listing, when what it shows of the articles changed.

    (``env-get-updated``: every document is read then.) A listing is made when its page is
    written, so an article that comes, goes or changes needs its listings written again, not
    read: the digest of every article's record, lead and title is compared with the last
    build's.
    """
    domain = article_domain(env)
    digest = domain.listed()
    if digest == domain.data["listed"]:
        return []
    domain.data["listed"] = digest
    return sorted(domain.listing_pages & env.found_docs)


def setup_frontmatter(app: Sphinx) -> None:
    """Register the article domain and the reading of front matter."""
    app.add_domain(ArticleDomain)
    app.connect("source-read", on_source_read)
    app.connect("env-get-updated", listings_to_rewrite)
