"""Full-text search for Chinese in both scripts: entity names as single words, 英伟达 finds 英偉達.

Sphinx's Chinese search (:class:`sphinx.search.zh.SearchChinese`) segments text with jieba.
This component

* writes a jieba user dictionary of every Chinese name in the entity registry into the build
  directory and hands it to Sphinx (``html_search_options['dict']``), so that 字节跳动 is one
  search term rather than 字节 + 跳动;
* folds every indexed word to Simplified characters (the registry's one-to-one OpenCC fold),
  so the index holds one form of each word;
* folds the reader's query the same way in the browser: a character map generated from the
  same fold is served to the search page, and the query splitter applies it, then cuts runs
  of Chinese into the longest words the index knows (readers type no spaces between words).
"""

from __future__ import annotations

import json
import logging as std_logging
import re
from pathlib import Path
from typing import Any

import sphinx.search
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese, jieba_load_userdict
from sphinx.search.zh import cut_for_search as jieba_cut_for_search
from sphinx.util import logging

from converters.registry import Entity, Registry, RegistryError, fold, fold_char, load_registry
from converters.script import BMP_HAN_RANGES, has_han

from .entities import entity_domain
from .files import write_if_changed
from .names import search_keys

logger = logging.getLogger(__name__)

#: File name of the jieba user dictionary, written into the doctree directory.
DICTIONARY_NAME = "edition-search-words.txt"
#: Static file (search page only) carrying the Traditional→Simplified character map.
FOLD_SCRIPT_NAME = "edition-search-fold.js"
#: Code point ranges whose characters the query fold covers: CJK ideographs (extension A and
#: the basic block), compatibility ideographs, and full-width ASCII.
FOLD_RANGES: tuple[tuple[int, int], ...] = (*BMP_HAN_RANGES, (0xFF01, 0xFF5E))
#: Static script (search page only) mapping every name key of the registry to its index term.
NAMES_SCRIPT_NAME = "edition-search-names.js"
#: The edition's search script (every page): query expansion, snippets, highlighting.
SEARCH_SCRIPT_NAME = "edition-search.js"
#: The edition's own static files (scripts), beside this module.
STATIC_DIR = Path(__file__).parent / "static"
#: Builders whose pages are searched in the browser (the index terms are added for them only).
SEARCH_BUILDERS: tuple[str, ...] = ("html", "dirhtml")
#: Start of the index term standing for an entity: an English word no text contains.
ENTITY_TERM_PREFIX = "edentity"
#: Longest word, in characters, the browser-side segmenter tries against the index.
LONGEST_WORD = 12

# jieba's own segmenter splits on anything outside this class before it looks words up, so a
# dictionary word must be made of these characters only (no spaces, no name dots).
_JIEBA_WORD = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")
#: The same class as jieba's block splitter (``jieba.re_han_default``): jieba segments each run
#: of it on its own and the text between runs character by character, so a text's words are
#: the words of its pieces, in order.
_JIEBA_BLOCK = re.compile(r"([\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+)")

#: The query splitter, in language_data.js; ``window.EDITION_FOLD`` comes from the fold script.
JS_SPLITTER = r"""
/* Edition: fold Traditional to Simplified, then cut Chinese runs into indexed words. */
var editionFoldMap = null;
const editionFold = (text) => {
  if (editionFoldMap === null) {
    editionFoldMap = new Map();
    const data = window.EDITION_FOLD;
    if (data) {
      const from = Array.from(data.from);
      const to = Array.from(data.to);
      from.forEach((char, i) => editionFoldMap.set(char, to[i]));
    }
  }
  return Array.from(text, (char) => editionFoldMap.get(char) || char).join("");
};
const editionSegment = (run) => {
  const index = typeof Search !== "undefined" && Search._index ? Search._index : null;
  if (!index) return [run];
  const known = (word) =>
    Object.prototype.hasOwnProperty.call(index.terms, word) ||
    Object.prototype.hasOwnProperty.call(index.titleterms, word);
  if (known(run)) return [run];
  const chars = Array.from(run);
  const words = [];
  let i = 0;
  while (i < chars.length) {
    let found = 0;
    for (let n = Math.min(LONGEST_WORD, chars.length - i); n > 1; n--) {
      if (known(chars.slice(i, i + n).join(""))) { found = n; break; }
    }
    if (found) { words.push(chars.slice(i, i + found).join("")); i += found; } else { i += 1; }
  }
  return words.length ? words : [run];
};
var splitQuery = (query) => {
  // Tone marks and accents go (Zhāng Yīmíng is zhang yiming), as in the index's name keys.
  const plain = editionFold(query).normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");
  const terms = plain
    .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu)
    .filter((term) => term);
  const result = [];
  terms.forEach((term) => {
    // Runs of Han characters are segmented; Latin words and numbers stay whole.
    term.split(/(\p{Script=Han}+)/u).filter((part) => part).forEach((part) => {
      if (/^\p{Script=Han}+$/u.test(part)) result.push(...editionSegment(part));
      else result.push(part);
    });
  });
  return result;
};
""".replace("LONGEST_WORD", str(LONGEST_WORD))


def english_stemmer_code() -> str:
    """The browser's stemmer for Latin words: Sphinx's English Snowball stemmer, as Python's.

    Sphinx's Chinese search stems Latin words with the English stemmer in Python and loads the
    English stemmer's script in the browser, but then looks for it under the language's own
    name (``ChineseStemmer``), which no script defines: every page would stop with an error.
    The edition writes the stemmer out and names it correctly.
    """
    scripts = Path(sphinx.search.__file__).parent / "minified-js"
    try:
        base = (scripts / "base-stemmer.js").read_text(encoding="utf-8")
        english = (scripts / "english-stemmer.js").read_text(encoding="utf-8")
    except OSError:
        # Without Sphinx's stemmer scripts, words are matched unstemmed, lower case.
        return "var Stemmer = function () { this.stemWord = (word) => word; };\n"
    return "\n".join((base, english, "window.Stemmer = EnglishStemmer;"))


#: Segmentations already made, by the jieba dictionary they were made with (its path, time and
#: size) and folded text: pages quote each other (entity pages quote articles) and a preview
#: that keeps its process rebuilds the search index of unchanged pages on every save.
_SEGMENTS: dict[tuple[str, int, int], dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {}


#: The Snowball stem of each word seen by this process (the stemmer is pure Python and its
#: result depends on the word alone; a preview keeps them from one build to the next).
_STEMS: dict[str, str] = {}


#: jieba's words for each piece of text (:data:`_JIEBA_BLOCK`) segmented with the dictionary of
#: :data:`_SEGMENTS`: the texts of a collection differ, but their clauses and names recur.
_BLOCKS: dict[str, tuple[str, ...]] = {}


def _loaded_dictionary() -> tuple[str, int, int] | None:
    """The jieba user dictionary this process has loaded last (its path, time and size)."""
    return next(iter(_SEGMENTS), None)


def _segments_for(dictionary: str) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """The segmentation cache of a jieba user dictionary (only the latest one is kept)."""
    try:
        stat = Path(dictionary).stat()
        key = (dictionary, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (dictionary, 0, 0)
    if key not in _SEGMENTS:
        _SEGMENTS.clear()
        _BLOCKS.clear()
        _SEGMENTS[key] = {}
    return _SEGMENTS[key]


class SearchChineseFolded(SearchChinese):
    """Sphinx's Chinese search with Traditional and Simplified folded to one form."""

    js_splitter_code = JS_SPLITTER
    js_stemmer_rawcode = ""
    js_stemmer_code = english_stemmer_code()

    def __init__(self, options: dict[str, str]) -> None:
        """Sphinx's Chinese search, with jieba's dictionaries loaded only when text is split.

        A rebuild in which no page changed writes the search index without segmenting a word;
        loading jieba's dictionary (most of a second) would be its largest fixed cost.
        """
        self._jieba_dictionary: str | None = options.get("dict", JIEBA_DEFAULT_DICT)
        super().__init__({**options, "dict": ""})
        self._snowball = _STEMS
        self._segments: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def split(self, input: str) -> list[str]:
        """Segment the Simplified fold of a text (jieba's dictionary is Simplified, too).

        Each text is segmented once per dictionary (:data:`_SEGMENTS`); the Latin words it
        holds are still recorded for :meth:`stem` on every call, as Sphinx's own split does.
        """
        if self._jieba_dictionary is not None:
            dictionary, self._jieba_dictionary = self._jieba_dictionary, None
            loaded = _loaded_dictionary()
            self._segments = _segments_for(dictionary)
            # jieba's dictionary is the process's: the same file is not loaded again
            if dictionary and Path(dictionary).is_file() and _loaded_dictionary() != loaded:
                jieba_load_userdict(dictionary)
        folded = fold(input)
        known = self._segments.get(folded)
        if known is None:
            latin = tuple(term.strip() for term in self.latin1_letters.findall(folded))
            # Sphinx's own split: jieba's words for search, then the Latin words once more
            words = (*self._cut_for_search(folded), *latin)
            self._segments[folded] = known = (words, latin)
        self.latin_terms.update(known[1])
        return list(known[0])

    @staticmethod
    def _cut_for_search(text: str) -> list[str]:
        """``jieba.cut_for_search(text)``, each piece segmented once (:data:`_BLOCKS`)."""
        words: list[str] = []
        for piece in _JIEBA_BLOCK.split(text):
            if not piece:
                continue
            known = _BLOCKS.get(piece)
            if known is None:
                known = _BLOCKS[piece] = tuple(jieba_cut_for_search(piece))
            words.extend(known)
        return words

    def stem(self, word: str) -> str:
        """Sphinx's stem of a word, with the Snowball stemmer run once per word (:data:`_STEMS`).

        The stemmer is pure Python and Sphinx calls it for every word of every page; texts
        repeat their words. Sphinx's exception for short stems of Latin words depends on the
        words seen so far, so it is applied on every call, as Sphinx does.
        """
        stemmed = self._snowball.get(word)
        if stemmed is None:
            stemmed = self._snowball[word] = self.stemmer.stemWord(word.lower())
        if len(word) >= 3 > len(stemmed) and word in self.latin_terms:
            return word.lower()
        return stemmed


# --------------------------------------------------------------------------- build-time data


def dictionary_words(registry: Registry) -> list[str]:
    """Every Chinese name of the registry, folded, as jieba dictionary words (sorted, unique)."""
    words: set[str] = set()
    for name, _entity in registry.names():
        if not has_han(name):
            continue
        folded = fold(name)
        # A transliterated name with a dot (安德森·霍洛维茨) reaches jieba in parts.
        for part in _JIEBA_WORD.findall(folded):
            if has_han(part) and len(part) > 1:
                words.add(part)
    return sorted(words)


def fold_table() -> dict[str, str]:
    """Every character the fold changes, within :data:`FOLD_RANGES`."""
    table: dict[str, str] = {}
    for first, last in FOLD_RANGES:
        for code in range(first, last + 1):
            char = chr(code)
            folded = fold_char(char)
            if folded != char:
                table[char] = folded
    return table


def fold_script(table: dict[str, str]) -> str:
    """The fold map as a script: two aligned strings keep it a fraction of a JSON object."""
    data = {"from": "".join(table), "to": "".join(table.values())}
    return "window.EDITION_FOLD = " + json.dumps(data, ensure_ascii=False) + ";\n"


def write_search_dictionary(app: Sphinx, config: Config) -> None:
    """Write the registry's Chinese names as a jieba dictionary and use it for the search index."""
    if config.html_search_options.get("dict"):
        return  # a dictionary chosen in conf.py wins
    registry_path = Path(app.confdir, config.edition_registry)
    if not registry_path.is_file():
        return  # no registry, no entity names: jieba's own dictionary only
    try:
        registry = load_registry(registry_path)
    except RegistryError as exc:
        logger.warning("search dictionary not written: %s", exc.messages[0],
                       type="edition", subtype="search")
        return
    path = Path(app.doctreedir, DICTIONARY_NAME)
    write_if_changed(path, "".join(f"{word}\n" for word in dictionary_words(registry)))
    config.html_search_options = {**config.html_search_options, "dict": str(path)}


def add_fold_script(
    app: Sphinx, pagename: str, _templatename: str, _context: dict[str, Any], _doctree: Any
) -> None:
    """Serve the character map with the search page, the only page that reads queries."""
    if pagename != "search" or getattr(app.builder, "indexer", None) is None:
        return
    write_if_changed(Path(app.outdir, "_static", FOLD_SCRIPT_NAME), fold_script(fold_table()))
    app.add_js_file(FOLD_SCRIPT_NAME)


class search_terms(nodes.Element):  # lower case, as docutils names nodes
    """Words for the search index only: every writer skips the node, the indexer reads it."""


def skip_node(_self: Any, _node: nodes.Element) -> None:
    """Visitor of :class:`search_terms` in every writer: shown nowhere."""
    raise nodes.SkipNode


def entity_term(entity_id: str) -> str:
    """The index term standing for an entity: letters only, so that no splitter cuts it."""
    return ENTITY_TERM_PREFIX + "".join(c for c in entity_id if c.isalnum())


def add_entity_terms(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give a page the index term of every entity it mentions, or is the page of."""
    if app.builder.name not in SEARCH_BUILDERS:
        return
    domain = entity_domain(app.env)
    ids = domain.entities_of(docname)
    page_of = {domain.entity_docname(entity_id): entity_id for entity_id in domain.registry}
    if docname in page_of:
        ids = [page_of[docname], *ids]
    if ids:
        words = " ".join(entity_term(entity_id) for entity_id in dict.fromkeys(ids))
        doctree += search_terms("", nodes.Text(words))


def names_data(registry: dict[str, Entity]) -> dict[str, dict[str, Any]]:
    """Every name key -> entity term, and every entity term -> the names the texts write."""
    keys: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    for entity_id in sorted(registry):
        entity = registry[entity_id]
        term = entity_term(entity_id)
        names[term] = entity.names()
        for key in search_keys(entity):
            keys.setdefault(key, term)  # the registry rejects a name given to two entities
    return {"keys": keys, "names": names}


def names_script(registry: dict[str, Entity]) -> str:
    """The names data as a script (JSON is valid JavaScript; no HTML context is involved)."""
    text = json.dumps(names_data(registry), ensure_ascii=False, sort_keys=True)
    return "window.EDITION_NAMES = " + text + ";\n"


def add_names_script(
    app: Sphinx, pagename: str, _templatename: str, _context: dict[str, Any], _doctree: Any
) -> None:
    """Serve the names data with the search page."""
    if pagename != "search" or getattr(app.builder, "indexer", None) is None:
        return
    write_if_changed(Path(app.outdir, "_static", NAMES_SCRIPT_NAME),
                     names_script(entity_domain(app.env).registry))
    app.add_js_file(NAMES_SCRIPT_NAME)


def add_static_path(app: Sphinx) -> None:
    """Serve the edition's own scripts (``builder-inited``)."""
    if str(STATIC_DIR) not in app.config.html_static_path:
        app.config.html_static_path.append(str(STATIC_DIR))


def setup_search(app: Sphinx) -> None:
    """Register the folded Chinese search language and its build-time data."""
    # jieba announces building its prefix dictionary on stderr at every run.
    std_logging.getLogger("jieba").setLevel(std_logging.WARNING)
    app.add_search_language(SearchChineseFolded)
    app.connect("config-inited", write_search_dictionary)
    app.connect("html-page-context", add_fold_script)
    app.connect("html-page-context", add_names_script)
    app.connect("builder-inited", add_static_path)
    app.connect("doctree-resolved", add_entity_terms)
    skip = (skip_node, None)
    app.add_node(search_terms, html=skip, latex=skip, text=skip, man=skip, texinfo=skip)
    # Deferred: it runs once Sphinx's searchtools.js has defined what it changes.
    app.add_js_file(SEARCH_SCRIPT_NAME, loading_method="defer")
