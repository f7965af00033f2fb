"""The search index, delivered by need: term chunks, a small manifest, paragraph fragments.

Sphinx's indexer writes one ``searchindex.js`` that every page loads whole (7.6 MB for 1,131
posts), and its search page then fetches every result's page to cut a snippet from it. The
edition indexes each page paragraph by paragraph instead and writes, under ``_search/`` in the
output folder:

* the manifest, in the search page itself — the few facts a query starts from: the names of
  the term chunks, the doc ids where the edition's own pages and the generated pages begin, the
  names of the other files, the English stop words; a few kilobytes whatever the collection's
  size (a name per chunk);
* ``t/<bucket>.<hash>.js`` — the term chunks. A term's bucket is the hash of its first two
  characters when it starts with a Han character (so that the browser, cutting a run of Chinese
  into the longest words the index knows, loads one chunk per pair of characters of the query:
  the words starting at each character), else of the whole term. A chunk maps each of its
  terms to its postings: for each page holding it, the page's id, whether the term is in one of
  the page's titles, and the numbers of the paragraphs (units) that hold it. A term on very
  many pages (``中国``, ``2019``) has its postings in a file of its own (``p/<hash>.js``) that
  only a query for it loads. The number of chunks grows with the collection, so that a chunk
  stays near :data:`CHUNK_BYTES`;
* ``f/<doc>/<n>.js`` — the fragments of a page's paragraphs (units) in groups of
  :data:`FRAGMENT_GROUP` (with 4, units 0–3 in ``0.js``, 4–7 in ``1.js``…), with the page's
  title and address: each fragment is a paragraph's text (for the snippet), its anchor and its
  language.
  A result loads the group of its best paragraph and links to it (``page.html#<slug>-p3``); no
  page is fetched;
* ``l/<n>.<hash>.js`` — the words holding each character, for the substring fallback alone (a
  query that finds nothing exactly: a word is looked for inside those holding its rarest
  character); ``facets.<hash>.js`` — the pages of each filter value, loaded when a filter
  is set; ``values.<hash>.js`` — the filters' values and counts (no text of a page is in the
  search page's markup).

Every file is a script that hands its data to ``window.editionSearchLoaded`` (scripts load from
``file://`` too, where ``fetch`` does not), its JSON written by
:func:`edition.security.escaping.json_for_browser` and the files through
:func:`edition.security.files.write_tree`.

What a page gives the index is :mod:`edition.web.search_pages`'s (the words it reads, the
entity and alias terms); its words are cut by the search language Sphinx would use,
:class:`edition.web.search.SearchChineseFolded`, as Sphinx's indexer cut them. The records
of the pages are kept in the doctree folder between builds, so an incremental build indexes
only the pages it writes.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

import sphinx.search
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search.en import SearchEnglish
from sphinx.util import logging

from converters.common.script import BMP_HAN_RANGES
from edition.article.chinese import chinese_tag, element_language, is_chinese_text, page_language
from edition.article.frontmatter import get_article_meta
from edition.entities.domain import entity_domain
from edition.security.escaping import json_for_browser
from edition.security.files import remove_file, write_if_changed, write_tree
from edition.web.search_pages import SEARCH_BUILDS

logger = logging.getLogger(__name__)

#: Folder of the index in the output folder.
INDEX_DIR = "_search"
#: The records of every page, kept between builds in the doctree folder.
RECORDS_NAME = "edition-search-records.pickle"
#: Version of the records' and files' layout: records of another version are read again.
FORMAT_VERSION = 6
#: Fragments per file. One per paragraph made the index tens of thousands of small files
#: (63,375 at 1,131 posts), each a new inode: on this project's build machine creating them
#: cost a build of 300 posts 2.5–8.6 s of system time (``benchmarks/search_cpu.py``, two runs),
#: and a host as many uploads. Four to a file make a quarter of the files; the first ten
#: results load about 8 KB more, the worst query's every result about twice the bytes (the
#: page's title and address are in a file once). The browser reads the number from the
#: manifest.
FRAGMENT_GROUP = 4
#: Target size of a term chunk, in bytes: the number of chunks is the index's size over this.
CHUNK_BYTES = 12_000
#: Postings longer than this (bytes of JSON) go to a file of their own.
OWN_FILE_BYTES = 1_500
#: Target size of a part of the words by character (substring fallback).
LEXICON_BYTES = 24_000
#: The global function every index file calls with its data.
LOADED = "editionSearchLoaded"
#: Filters of the search page, read from each text's front matter.
FACETS = ("publisher", "year", "language")
#: Classes of inline apparatus a snippet leaves out (its words are still indexed): notes set in
#: the margin (and their copies for phones), note marks.
NOT_SHOWN = frozenset({"sidenote", "marginnote", "sidenote-repeat", "d-n"})
#: The id of a text's own paragraph or figure (<slug>-p12, <slug>-f2, <slug>-p8-zh-Hant).
OWN_BLOCK = re.compile(r"-[pf]\d+(?:-[A-Za-z0-9-]+)?$")
#: An entity mention's link (``…#entity-<id>``).
ENTITY_LINK = re.compile(r"#entity-(?P<id>[^#]+)$")


@dataclass
class Unit:
    """A paragraph (or heading, list item, field) of a page, as a search result points to it."""

    anchor: str
    text: str
    lang: str
    title: bool = False


@dataclass
class PageRecord:
    """What the index holds of one page."""

    docname: str
    uri: str
    title: str
    title_lang: str
    units: list[Unit]
    #: term -> the units holding it, ascending
    terms: dict[str, list[int]]
    #: terms of the page's titles (scored as titles)
    title_terms: set[str]
    #: filter -> value (texts only)
    facets: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- reading a page


class _UnitBuilder:
    """The text of one unit as it is walked.

    Pieces to index (each split alone, as Sphinx splits each text node), pieces to show,
    entity links.
    """

    def __init__(self, anchor: str, lang: str, title: bool) -> None:
        self.anchor = anchor
        self.lang = lang
        self.title = title
        self.indexed: list[str] = []
        self.shown: list[str] = []
        self.entities: list[str] = []


def _is_block(node: nodes.Node) -> bool:
    """Whether a node starts a unit: a text block (a paragraph, a title), not an inline."""
    return isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline)


def _hides(node: nodes.Element) -> bool:
    """Whether a node's words are indexed but not shown in a snippet (notes, their marks)."""
    return bool(NOT_SHOWN.intersection(node["classes"])
                or type(node).__name__ == "SideNoteNode"
                or isinstance(node, nodes.footnote_reference | nodes.footnote))


class _PageWalker:
    """A resolved page walked into units, as Sphinx's indexer walks it for words."""

    def __init__(self, page_lang: str) -> None:
        self.units: list[_UnitBuilder] = [_UnitBuilder("", page_lang, True)]
        self.term_list: list[str] = []
        self.seen_title = False

    def text(self, node: nodes.Text, current: _UnitBuilder | None, anchor: str, lang: str,
             shown: bool) -> None:
        """A text node's words, in its unit (text outside any block: a unit of its own)."""
        if current is None:
            current = _UnitBuilder(anchor, lang, False)
            self.units.append(current)
        text = node.astext()
        current.indexed.append(text)
        if shown:
            current.shown.append(text)

    def search_terms(self, node: nodes.Element, anchor: str, lang: str) -> None:
        """The words search_pages gives a page.

        Its entity and alias terms, or an entity page's names and description (a unit of
        their own).
        """
        from edition.web.search_pages import TERM_LIST_CLASS

        if TERM_LIST_CLASS in node["classes"]:
            self.term_list.extend(node.astext().split())
            return
        unit = _UnitBuilder(anchor, lang, False)
        self.units.append(unit)
        unit.indexed.append(node.astext())
        unit.shown.append(node.astext())

    def start(self, node: nodes.Element, anchor: str, lang: str) -> _UnitBuilder:
        """The unit a block starts: the page's title (the first title) is unit 0."""
        if isinstance(node, nodes.title) and not self.seen_title:
            self.seen_title = True
            self.units[0].lang = lang
            return self.units[0]
        title = isinstance(node, nodes.title)
        own = (node.parent["ids"] or [anchor])[0] if title else anchor
        unit = _UnitBuilder(own, lang, title)
        self.units.append(unit)
        return unit

    def visit(self, node: nodes.Node, current: _UnitBuilder | None, anchor: str, lang: str,
              shown: bool) -> None:
        """A node and its children."""
        from edition.web.search_pages import search_terms

        if isinstance(node, nodes.Text):
            self.text(node, current, anchor, lang, shown)
            return
        if (not isinstance(node, nodes.Element) or isinstance(node, nodes.comment | nodes.raw)
                or "no-search" in node["classes"]):
            return
        if isinstance(node, search_terms):
            self.search_terms(node, anchor, lang)
            return
        anchor = node["ids"][0] if node["ids"] else anchor
        lang = element_language(node) or lang
        shown = shown and not _hides(node)
        if isinstance(node, nodes.reference) and current is not None:
            found = ENTITY_LINK.search(node.get("refuri", "") or "")
            if found:
                current.entities.append(found.group("id"))
        if current is None and _is_block(node):
            current = self.start(node, anchor, lang)
        for child in node.children:
            self.visit(child, current, anchor, lang, shown)


def page_units(doctree: nodes.document, page_lang: str) -> tuple[list[_UnitBuilder], list[str]]:
    """The units of a page, and the terms of its term-list node.

    The first title is unit 0 (the page's title); then a text's own paragraphs and figures
    (``<slug>-p3``), then the rest (its header, the editors' notes), each in document order: a
    result's snippet comes from the first unit that matches best. What the index never reads
    (comments, raw markup, ``no-search``) is in no unit.
    """
    walker = _PageWalker(page_lang)
    walker.visit(doctree, None, "", page_lang, True)
    first, *rest = walker.units
    rest.sort(key=lambda unit: 0 if OWN_BLOCK.search(unit.anchor) else 1)
    return [first, *rest], walker.term_list


def _words(split: Any, stem: Any, word_filter: Any, text: str, *, title: bool) -> Iterator[str]:
    """The index words of a text, as Sphinx's indexer makes them (stemmed, filtered)."""
    for word in split(text):
        stemmed = stem(word)
        if title:
            if word_filter(stemmed):
                yield stemmed
            elif word_filter(word):
                yield word
        else:
            if not word_filter(stemmed) and word_filter(word):
                stemmed = word
            if word_filter(stemmed):
                yield stemmed


def facets_of(app: Sphinx, docname: str, lang: str) -> dict[str, str]:
    """A text's values for the search page's filters: publisher, year, language."""
    facets: dict[str, str] = {}
    meta = get_article_meta(app.env, docname)
    if meta is None:
        return facets
    publisher = meta.publisher
    if isinstance(publisher, str) and publisher.strip():
        facets["publisher"] = " ".join(publisher.split())
    date = str(meta.date or "")
    if re.match(r"\d{4}", date):
        facets["year"] = date[:4]
    if lang:
        facets["language"] = lang
    return facets


def title_language(app: Sphinx, docname: str, title: str) -> str:
    """The language a page's title is shown in among the results ("" for the page's own)."""
    domain = entity_domain(app.env)
    lang = domain.languages.get(docname, "") if domain.is_article(docname) else ""
    if not lang and is_chinese_text(title):
        lang = chinese_tag(title)
    return lang


class _Terms:
    """A page's terms as they are found: term -> the units holding it."""

    def __init__(self, language: Any) -> None:
        self.found: dict[str, dict[int, None]] = {}
        self.titles: set[str] = set()
        self.stems: dict[str, str] = {}
        self.terms: dict[str, str] = {}  # a word's term in a unit's text ("" for none)
        self.language = language

    def stem(self, word: str) -> str:
        """Sphinx's stem of a word, lower case (each word stemmed once per page)."""
        found = self.stems.get(word)
        if found is None:
            found = self.stems[word] = self.language.stem(word).lower()
        return found

    def add(self, term: str, unit: int) -> None:
        """A term held by a unit."""
        self.found.setdefault(term, {})[unit] = None

    def read(self, number: int, unit: _UnitBuilder) -> None:
        """The words of a unit.

        Each text node cut alone (as Sphinx cuts them); a title's words again, as Sphinx's
        title words.
        """
        split, word_filter = self.language.split, self.language.word_filter
        found, terms = self.found, self.terms
        for piece in unit.indexed:
            # _words(title=False) inlined, each word's term kept for the page: this loop runs
            # for every word of every page (a tenth of the index's time was the generator's)
            for word in split(piece):
                term = terms.get(word)
                if term is None:
                    term = self.stem(word)
                    if not word_filter(term) and word_filter(word):
                        term = word
                    terms[word] = term = term if word_filter(term) else ""
                if term:
                    units = found.get(term)
                    if units is None:
                        found[term] = {number: None}
                    else:
                        units[number] = None
        if unit.title:
            whole = "".join(unit.indexed)  # the title's text, as Sphinx splits it
            for word in _words(split, self.stem, word_filter, whole, title=True):
                self.titles.add(word)
                self.add(word, number)


def entity_terms(units: list[_UnitBuilder], allowed: set[str], mentions: dict[str, set[str]],
                 registry: Any) -> list[set[str]]:
    """The entity and alias terms of each unit, among the page's (``allowed``).

    The entities it links or mentions (the domain's mentions at its anchor) and the names it
    writes.
    """
    from edition.web.search_pages import entity_term, names_written

    found: list[set[str]] = []
    for unit in units:
        own: set[str] = set()
        if allowed:
            own.update(map(entity_term, unit.entities))
            own.update(map(entity_term, mentions.get(unit.anchor, ())))
            if registry is not None and unit.indexed:
                own.update(names_written("\n".join(unit.indexed), registry))
        found.append(own & allowed)
    return found


def make_record(app: Sphinx, doctree: nodes.document, docname: str, language: Any,
                registry: Any) -> PageRecord:
    """The index record of a resolved page."""
    env = app.env
    lang = page_language(env, docname)
    builders, term_list = page_units(doctree, lang)
    title_node = env.titles.get(docname)
    title = title_node.astext() if title_node is not None else ""
    mentions: dict[str, set[str]] = {}
    for mention in entity_domain(env).mentions.get(docname, []):
        if mention.kind == "entity":
            mentions.setdefault(mention.anchor, set()).add(mention.target)
    allowed = set(term_list)
    units: list[Unit] = []
    terms = _Terms(language)
    placed: set[str] = set()
    for number, (unit, own) in enumerate(zip(
            builders, entity_terms(builders, allowed, mentions, registry), strict=True)):
        text = title if number == 0 and title else " ".join("".join(unit.shown).split())
        unit_lang = unit.lang
        if not unit_lang.lower().startswith("zh") and is_chinese_text(text):
            unit_lang = chinese_tag(text)
        units.append(Unit(unit.anchor, text, unit_lang, unit.title))
        terms.read(number, unit)
        for term in own:
            terms.add(terms.stem(term), number)
        placed |= own
    # A term of the page that no unit holds (an author named in no paragraph): its first text.
    for term in allowed - placed:
        terms.add(terms.stem(term), 1 if len(units) > 1 else 0)
    return PageRecord(docname, app.builder.get_target_uri(docname), title,
                      title_language(app, docname, title), units,
                      {term: sorted(found) for term, found in terms.found.items()},
                      terms.titles, facets_of(app, docname, lang))


# --------------------------------------------------------------------------- the records


@dataclass
class Records:
    """Every page's record, kept in the doctree folder between builds."""

    version: int = FORMAT_VERSION
    pages: dict[str, PageRecord] = field(default_factory=dict)
    #: the last index's files (relative to the index's folder) and their texts' hashes: a file
    #: whose text is the same is not written again, one no longer made is removed
    files: dict[str, str] = field(default_factory=dict)
    #: the last index's manifest
    manifest: dict[str, Any] = field(default_factory=dict)
    #: pages read that the index leaves out (no title, or marked no-search)
    skipped: set[str] = field(default_factory=set)


def records_path(app: Sphinx) -> Path:
    """Where the records are kept: the doctree folder."""
    return Path(app.doctreedir, RECORDS_NAME)


def load_records(app: Sphinx) -> Records:
    """The records of the last build (empty when there are none or of another layout)."""
    path = records_path(app)
    try:
        with path.open("rb") as stream:
            found = pickle.load(stream)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return Records()
    if not isinstance(found, Records) or found.version != FORMAT_VERSION:
        return Records()
    return found


# --------------------------------------------------------------------------- writing the index


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of the text's code points (the browser computes the same)."""
    value = 0x811C9DC5
    for char in text:
        value ^= ord(char)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def bucket_key(term: str) -> str:
    """What a term's chunk is chosen by: its first two characters, or all of it.

    The first two characters for a Chinese term (every Chinese word of the index has two or
    more), the whole term for any other.
    """
    return term[:2] if term and _bmp_han(term[0]) else term


def _bmp_han(char: str) -> bool:
    """Whether a character is a Han ideograph of the Basic Multilingual Plane.

    The browser tells them by the same ranges, which the manifest gives it.
    """
    code = ord(char)
    return any(low <= code <= high for low, high in BMP_HAN_RANGES)


def group_of(docname: str, texts: str, generated: str) -> int:
    """0 for a text, 1 for a page of the edition, 2 for a generated page."""
    if docname.startswith(texts):
        return 0
    return 2 if docname.startswith(generated) else 1


def postings(entries: list[tuple[int, bool, list[int]]]) -> list[int]:
    """A term's postings as one list of numbers.

    For each page (ascending ids), the id's step from the last one, then the count of units
    (negative when the term is in a title), then
    the units, each as its step from the last one.
    """
    flat: list[int] = []
    last = 0
    for doc, in_title, units in entries:
        flat.append(doc - last)
        last = doc
        flat.append(-len(units) if in_title else len(units))
        previous = 0
        for unit in units:
            flat.append(unit - previous)
            previous = unit
    return flat


def script(kind: str, key: Any, data: Any) -> str:
    """An index file: a call handing ``data`` to the search page."""
    return script_of(kind, json_for_browser(key), json_for_browser(data))


@functools.cache
def _kind_json(kind: str) -> str:
    return json_for_browser(kind)


def script_of(kind: str, key: str, data: str) -> str:
    """An index file from its key and data already written as JSON by json_for_browser."""
    return f"{LOADED}({_kind_json(kind)},{key},{data});\n"


def short_hash(text: str) -> str:
    """Ten hex digits of the text's SHA-256: a file's name changes with its content."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


@dataclass
class IndexFiles:
    """The index as files: path relative to the output folder -> text."""

    files: dict[str, str] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)


def term_files(table: dict[str, list[tuple[int, bool, list[int]]]],
               out: IndexFiles) -> dict[str, str]:
    """Each term's postings as JSON, or the name of their own file (as JSON) when they are long.

    Each list is encoded once: the chunks are put together from these pieces.
    """
    inline: dict[str, str] = {}
    for term, entries in table.items():
        encoded = json_for_browser(postings(entries))
        if len(encoded) > OWN_FILE_BYTES:
            name = f"p/{short_hash(term)}.js"
            out.files[name] = script_of("p", json_for_browser(term), encoded)
            inline[term] = json_for_browser(name)
        else:
            inline[term] = encoded
    return inline


def chunk_files(inline: dict[str, str], out: IndexFiles) -> list[str]:
    """The term chunks: as many as keep each near :data:`CHUNK_BYTES`; their hashes.

    Chunk N is ``t/N.<hash>.js``.
    """
    total = sum(len(term) * 3 + len(value) for term, value in inline.items())
    count = max(1, -(-total // CHUNK_BYTES))
    buckets: list[list[str]] = [[] for _ in range(count)]
    for term in sorted(inline):
        buckets[fnv1a(bucket_key(term)) % count].append(
            f"{json_for_browser(term)}:{inline[term]}")
    hashes = []
    for number, bucket in enumerate(buckets):
        text = script_of("t", str(number), "{" + ",".join(bucket) + "}")
        digest = short_hash(text)
        out.files[f"t/{number}.{digest}.js"] = text
        hashes.append(digest)
    return hashes


def lexicon_parts(inline: dict[str, str], out: IndexFiles) -> tuple[list[str], dict[str, int]]:
    """The words of the index by character, for the substring fallback.

    Returns the files' hashes, and how many words hold each Latin letter and digit. Part N
    (``l/N.<hash>.js``) maps each character whose hash falls to it to every word that holds the
    character: a query word is looked for inside the words holding its rarest character, one
    part loaded. The terms standing for entities and aliases are the index's own: no part of a
    word.
    """
    from edition.web.search_pages import ALIAS_TERM_PREFIX, ENTITY_TERM_PREFIX

    by_char: dict[str, list[str]] = {}
    for term in sorted(inline):
        if term.startswith((ENTITY_TERM_PREFIX, ALIAS_TERM_PREFIX)):
            continue
        for char in dict.fromkeys(term):
            by_char.setdefault(char, []).append(term)
    size = sum(len(json_for_browser(terms)) for terms in by_char.values())
    count = max(1, -(-size // LEXICON_BYTES))
    parts: list[dict[str, list[str]]] = [{} for _ in range(count)]
    for char in sorted(by_char):
        parts[fnv1a(char) % count][char] = by_char[char]
    hashes = []
    for number, part in enumerate(parts):
        text = script("l", number, part)
        digest = short_hash(text)
        out.files[f"l/{number}.{digest}.js"] = text
        hashes.append(digest)
    counts = {char: len(terms) for char, terms in by_char.items()
              if char.isascii() and char.isalnum()}
    return hashes, counts


def build_index(pages: list[PageRecord], texts: str, generated: str,
                stopwords: Iterable[str]) -> IndexFiles:
    """Every file of the index, from the pages' records."""
    ordered = sorted(pages, key=lambda p: (group_of(p.docname, texts, generated), p.docname))
    out = IndexFiles()
    # term -> [(doc, in title, units)]
    table: dict[str, list[tuple[int, bool, list[int]]]] = {}
    facets: dict[str, dict[str, list[int]]] = {name: {} for name in FACETS}
    groups = [0, 0]
    langs: dict[str, str] = {}
    for doc, page in enumerate(ordered):
        group = group_of(page.docname, texts, generated)
        if group == 0:
            groups[0] = groups[1] = doc + 1
        elif group == 1:
            groups[1] = doc + 1
        for term, units in page.terms.items():
            table.setdefault(term, []).append((doc, term in page.title_terms, units))
        for name, value in page.facets.items():
            facets.setdefault(name, {}).setdefault(value, []).append(doc)
        meta = {"u": page.uri, "t": page.title}
        if page.title_lang:
            meta["l"] = page.title_lang
        # The page's part, written once per file; each fragment: its paragraph.
        page_json = json_for_browser(meta)
        fragments = []
        for unit in page.units:
            lang = langs.get(unit.lang)
            if lang is None:
                lang = langs[unit.lang] = json_for_browser(unit.lang)
            fragments.append(f'{{"a":{json_for_browser(unit.anchor)},'
                             f'"x":{json_for_browser(unit.text)},"l":{lang}}}')
        for group in range(0, len(fragments), FRAGMENT_GROUP):
            part = ",".join(fragments[group:group + FRAGMENT_GROUP])
            number = group // FRAGMENT_GROUP
            out.files[f"f/{doc}/{number}.js"] = script_of(
                "f", f"[{doc},{number}]", f'{{"d":{page_json},"u":[{part}]}}')
    inline = term_files(table, out)
    chunks = chunk_files(inline, out)
    lexicon_files, letters = lexicon_parts(inline, out)
    facet_text = script("facets", 0, facets)
    facet_file = f"facets.{short_hash(facet_text)}.js"
    out.files[facet_file] = facet_text
    # The filters' values are words of the texts (a publisher's name): a file of their own,
    # never in the search page's markup.
    values = {name: sorted(((value, len(docs)) for value, docs in found.items()),
                           key=lambda item: (-item[1], item[0]) if name != "year"
                           else (item[0],))
              for name, found in facets.items() if found}
    values_text = script("values", 0, values)
    values_file = f"values.{short_hash(values_text)}.js"
    out.files[values_file] = values_text
    out.manifest = {
        "version": FORMAT_VERSION,
        "docs": len(ordered),
        "groups": groups,
        "chunks": chunks,
        "lexicon": lexicon_files,
        "letters": letters,
        "han": [list(pair) for pair in BMP_HAN_RANGES],
        "fragments": FRAGMENT_GROUP,
        "facets": facet_file,
        "values": values_file,
        "stopwords": sorted(stopwords),
    }
    # The files' addresses carry the build's hash: a browser never mixes two builds' files.
    digest = hashlib.sha256(json_for_browser(out.manifest).encode("utf-8"))
    for name in sorted(out.files):
        digest.update(name.encode("utf-8"))
        digest.update(hashlib.sha256(out.files[name].encode("utf-8")).digest())
    out.manifest["build"] = digest.hexdigest()[:10]
    return out


# --------------------------------------------------------------------------- Sphinx


class SearchIndexer:
    """Collects the records of the pages a build writes, and writes the index at its end."""

    def __init__(self, app: Sphinx) -> None:
        """The last build's records, and the language and registry the pages are read with."""
        from edition.web.search_pages import page_registry

        self.app = app
        self.records = load_records(app)
        self.language = search_language(app)
        self.registry = page_registry(app)
        self.changed = False

    def feed(self, doctree: nodes.document, docname: str) -> None:
        """Read a page into its record (none for a page without a title or marked no-search)."""
        app = self.app
        metadata = app.env.metadata.get(docname, {})
        title = app.env.titles.get(docname)
        self.changed = True
        if "no-search" in metadata or "nosearch" in metadata or title is None \
                or not title.astext():
            self.records.pages.pop(docname, None)
            self.records.skipped.add(docname)
            return
        self.records.skipped.discard(docname)
        self.records.pages[docname] = make_record(app, doctree, docname, self.language,
                                                  self.registry)

    def unrecorded(self, docnames: Iterable[str]) -> list[str]:
        """The pages the records lack (the records were lost, or of another layout)."""
        known = self.records.pages.keys() | self.records.skipped
        return sorted(set(docnames) - known)

    def finish(self) -> dict[str, Any]:
        """Write the index (what changed of it) and return its manifest."""
        app = self.app
        all_docs = set(app.env.all_docs)
        for docname in list(self.records.pages):
            if docname not in all_docs:
                del self.records.pages[docname]
                self.changed = True
        if not self.changed and self.records.manifest:
            return self.records.manifest
        config = app.config
        index = build_index(list(self.records.pages.values()),
                            f"{config.edition_articles.strip('/')}/",
                            f"{config.edition_generated.strip('/')}/",
                            self.language.stopwords)
        outdir = Path(app.outdir, INDEX_DIR)
        digests = {name: short_hash(text) for name, text in index.files.items()}
        unchanged = [name for name, digest in digests.items()
                     if self.records.files.get(name) == digest]
        write_tree(outdir, index.files, unchanged)
        for name in sorted(set(self.records.files) - set(digests)):
            remove_file(outdir / name)
        self.records.files = digests
        self.records.manifest = index.manifest
        write_if_changed(records_path(app), pickle.dumps(self.records, protocol=5))
        self.changed = False
        return index.manifest


def search_language(app: Sphinx) -> Any:
    """The search language Sphinx's indexer would use, found as Sphinx finds it.

    The edition's ``zh`` is its folded Chinese, registered by edition/web/search.py.
    """
    lang = app.config.html_search_language or app.config.language or "en"
    found = sphinx.search.languages.get(lang) or sphinx.search.languages.get(
        lang.partition("_")[0])
    if isinstance(found, str):
        module, _, name = found.rpartition(".")
        found = getattr(import_module(module), name)
    language = found if found is not None else SearchEnglish
    return language(dict(app.config.html_search_options))


def indexer_of(app: Sphinx) -> SearchIndexer | None:
    """The edition's indexer of a build (``None`` where it writes no search)."""
    found = SEARCH_BUILDS.get(app)
    return found if isinstance(found, SearchIndexer) else None


def start_index(app: Sphinx) -> None:
    """Replace Sphinx's search by the edition's for the web builders (``builder-inited``)."""
    from edition.web.search_pages import SEARCH_BUILDERS

    if app.builder.name not in SEARCH_BUILDERS or not getattr(app.builder, "search", False):
        SEARCH_BUILDS.pop(app, None)
        return
    # Sphinx's own index (searchindex.js, loaded whole by every page) is not made.
    setattr(app.builder, "search", False)  # noqa: B010 (an attribute of the HTML builders)
    SEARCH_BUILDS[app] = SearchIndexer(app)


def feed_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Index a page as it is written (``doctree-resolved``, after search_pages prepared it)."""
    indexer = indexer_of(app)
    if indexer is not None:
        indexer.feed(doctree, docname)


def read_unrecorded(app: Sphinx, env: Any, _added: set[str], _changed: set[str],
                    _removed: set[str]) -> list[str]:
    """Pages to read and write again because the index has no record of them.

    (``env-get-outdated``): the records were deleted, or written by another layout.
    """
    indexer = indexer_of(app)
    if indexer is None:
        return []
    return [docname for docname in indexer.unrecorded(env.all_docs) if docname in env.found_docs]


def search_page(app: Sphinx) -> Iterator[tuple[str, dict[str, Any], str]]:
    """Write the index, then the search page with its manifest (``html-collect-pages``).

    Every page has been written, and so indexed, by then.
    """
    indexer = indexer_of(app)
    if indexer is not None:
        manifest = indexer.finish()
        # Compact and as safe inside <script> as json_for_script: no "<", ">", "&" or "'".
        yield "search", {"edition_search_manifest": json_for_browser(manifest)}, \
            "edition-search.html"


def setup_search_index(app: Sphinx) -> None:
    """Register the index's collection and writing."""
    app.connect("builder-inited", start_index)
    app.connect("env-get-outdated", read_unrecorded)
    app.connect("doctree-resolved", feed_page, priority=900)
    app.connect("html-collect-pages", search_page)


# --------------------------------------------------------------------------- reading it back


#: An index file's call: kind, key, data.
INDEX_CALL = re.compile(rf"^{LOADED}\((?P<args>.*)\);\s*$", re.DOTALL)


def read_index_file(path: Path) -> tuple[str, Any, Any]:
    """The kind, key and data of one index file."""
    import json

    found = INDEX_CALL.match(path.read_text(encoding="utf-8"))
    if found is None:
        raise ValueError(f"{path}: not a file of the search index")
    kind, key, data = json.loads(f"[{found.group('args')}]")
    return kind, key, data


def read_index(outdir: Path) -> dict[str, Any]:
    """A built index read back in the shape of Sphinx's ``searchindex.js``, for tests and tools.

    ``docnames`` (by doc id), ``terms`` (term -> the ids of the pages whose text holds it, and
    not a title), ``titleterms`` (term -> the ids of the pages one of whose titles holds it),
    ``alltitles`` (the title of each page -> [[id, None]]), and ``units`` (term -> {id: the
    units holding it}).
    """
    folder = Path(outdir, INDEX_DIR)
    docnames: dict[int, str] = {}
    titles: dict[str, list[list[Any]]] = {}
    for fragment in folder.glob("f/*/0.js"):
        _kind, (doc, _unit), data = read_index_file(fragment)
        docnames[doc] = re.sub(r"\.html$", "", data["d"]["u"])
        titles.setdefault(data["d"]["t"], []).append([doc, None])
    terms: dict[str, list[int]] = {}
    title_terms: dict[str, list[int]] = {}
    units: dict[str, dict[int, list[int]]] = {}
    for chunk in sorted(folder.glob("t/*.js")):
        _kind, _key, table = read_index_file(chunk)
        for term, flat in table.items():
            if isinstance(flat, str):
                flat = read_index_file(folder / flat)[2]
            doc, i = 0, 0
            while i < len(flat):
                doc += flat[i]
                count = flat[i + 1]
                i += 2
                held, unit = [], 0
                for step in flat[i:i + abs(count)]:
                    unit += step
                    held.append(unit)
                i += abs(count)
                (title_terms if count < 0 else terms).setdefault(term, []).append(doc)
                units.setdefault(term, {})[doc] = held
    return {"docnames": [docnames[i] for i in sorted(docnames)], "terms": terms,
            "titleterms": title_terms, "alltitles": titles, "units": units}
