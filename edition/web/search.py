"""Full-text search for Chinese in both scripts: entity names as single words, 英伟达 finds 英偉達.

Sphinx's Chinese search (:class:`sphinx.search.zh.SearchChinese`) segments text with jieba.
This component segments with jieba-rs instead (the ``rjieba`` binding: jieba's algorithm and
dictionary, compiled), cutting its words as jieba does (:func:`cut_for_search`: the same words,
in a quarter of the CPU time; segmenting was a fifth of a build's), and

* writes a jieba user dictionary of every Chinese name in the entity registry into the build
  directory and hands it to Sphinx (``html_search_options['dict']``), so that 字节跳动 is one
  search term rather than 字节 + 跳动;
* folds every indexed word to Simplified characters (the registry's one-to-one OpenCC fold),
  so the index holds one form of each word;
* folds the reader's query the same way in the browser: a character map generated from the
  same fold is served to the search page, and the query splitter applies it, then cuts runs
  of Chinese into the longest words the index knows (readers type no spaces between words).

What each page gives the index, and the names the search page plans a query with, are
:mod:`edition.web.search_pages`'s.
"""

from __future__ import annotations

import json
import logging as std_logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rjieba
import sphinx.search
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese
from sphinx.util import logging

from converters.common.registry import Registry, RegistryError, fold, fold_char, load_registry
from converters.common.script import BMP_HAN_RANGES, has_han
from edition.security.files import write_if_changed
from edition.web.reading import WEB_BUILDERS
from edition.web.search_pages import setup_search_pages

logger = logging.getLogger(__name__)

#: File name of the jieba user dictionary, written into the doctree directory.
DICTIONARY_NAME = "edition-search-words.txt"
#: Static file (search page only) carrying the Traditional→Simplified character map.
FOLD_SCRIPT_NAME = "edition-search-fold.js"
#: Code point ranges whose characters the query fold covers: CJK ideographs (extension A and
#: the basic block), compatibility ideographs, and full-width ASCII.
FOLD_RANGES: tuple[tuple[int, int], ...] = (*BMP_HAN_RANGES, (0xFF01, 0xFF5E))
#: The edition's search script (every page): planning a query, ranking, snippets, highlighting.
SEARCH_SCRIPT_NAME = "edition-search.js"
#: The edition's own static files (scripts), beside this module.
STATIC_DIR = Path(__file__).parent / "static"
#: Longest word, in characters, the browser-side segmenter tries against the index.
LONGEST_WORD = 12

# jieba's own segmenter splits on anything outside this class before it looks words up, so a
# dictionary word must be made of these characters only (no spaces, no name dots).
_JIEBA_WORD = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")

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


#: One line of a jieba user dictionary: a word, then optionally its frequency and its tag
#: (jieba's own ``re_userdict``).
USER_DICTIONARY_LINE = re.compile(r"^(?P<word>.+?)(?: (?P<freq>[0-9]+))?(?: (?P<tag>[a-z]+))?$")

#: Segmented folded text: (Chinese words with their search n-grams, Latin words).
Segments = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]

#: The segmenter of the user dictionary used last (its path, time and size), with the
#: segmentations already made: pages quote each other (entity pages quote articles) and a
#: preview that keeps its process rebuilds the search index of unchanged pages on every save.
_SEGMENTERS: dict[tuple[str, int, int], tuple[Any, Segments]] = {}

#: The Snowball stem of each word seen by this process (the stemmer is pure Python and its
#: result depends on the word alone; a preview keeps them from one build to the next).
_STEMS: dict[str, str] = {}


#: How jieba's HMM step cuts a run of Latin letters, digits and signs that is not a dictionary
#: word (its ``finalseg.re_skip``): jieba-rs keeps www.nytimes.com or donald-trump whole.
LATIN_PIECES = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")
#: The characters jieba's segmenter reads as Chinese (its ``re_han_default``, less the Latin).
JIEBA_HAN = re.compile("[\u4e00-\u9fd5]")


def jieba_words(segmenter: Any, text: str) -> Iterator[str]:
    """Jieba's ``cut`` (HMM on) of a text, made by a jieba-rs segmenter."""
    for word in segmenter.cut(text, True):
        if len(word) > 1 and not JIEBA_HAN.search(word) and not segmenter.has_word(word):
            yield from (piece for piece in LATIN_PIECES.split(word) if piece)
        else:
            yield word


def cut_for_search(segmenter: Any, text: str) -> list[str]:
    """Jieba's ``cut_for_search`` of a text, made by a jieba-rs segmenter.

    Each word, preceded by the dictionary's two- and then three-character words inside it, as
    jieba orders them. On every line of the corpus posts and of the edition (157,215 lines)
    the words are jieba's own, in the same order (``tests/test_search_language.py`` compares
    every line of the edition's pages); jieba-rs does it in a quarter of the CPU time.
    """
    words: list[str] = []
    for word in jieba_words(segmenter, text):
        length = len(word)
        if length > 2:
            words.extend(g for i in range(length - 1)
                         if segmenter.has_word(g := word[i:i + 2]))
        if length > 3:
            words.extend(g for i in range(length - 2)
                         if segmenter.has_word(g := word[i:i + 3]))
        words.append(word)
    return words


def user_dictionary_words(path: str) -> list[tuple[str, int | None, str | None]]:
    """The (word, frequency, tag) lines of a jieba user dictionary file, as jieba reads them."""
    words: list[tuple[str, int | None, str | None]] = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        found = USER_DICTIONARY_LINE.match(line.strip().lstrip("\ufeff"))
        if found is not None:
            freq = found.group("freq")
            words.append((found.group("word"), int(freq) if freq else None, found.group("tag")))
    return words


def _segmenter_for(dictionary: str) -> tuple[Any, Segments]:
    """A jieba-rs segmenter holding jieba's dictionary and the user dictionary, and its cache.

    Only the latest dictionary's segmenter is kept. jieba's own dictionary (Sphinx's default
    "user dictionary") is built into jieba-rs already.
    """
    try:
        stat = Path(dictionary).stat()
        key = (dictionary, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (dictionary, 0, 0)
    if key not in _SEGMENTERS:
        _SEGMENTERS.clear()
        segmenter = rjieba.Jieba()
        if dictionary and key[1] and Path(dictionary) != Path(JIEBA_DEFAULT_DICT):
            for word, freq, tag in user_dictionary_words(dictionary):
                segmenter.add_word(word, freq, tag)
        _SEGMENTERS[key] = (segmenter, {})
    return _SEGMENTERS[key]


class SearchChineseFolded(SearchChinese):
    """Sphinx's Chinese search with Traditional and Simplified folded to one form."""

    js_splitter_code = JS_SPLITTER
    js_stemmer_rawcode = ""
    js_stemmer_code = english_stemmer_code()

    def __init__(self, options: dict[str, str]) -> None:
        """Sphinx's Chinese search, with the dictionaries loaded only when text is split.

        A rebuild in which no page changed writes the search index without segmenting a word.
        Sphinx's own loading of the dictionary into jieba (most of a second) is skipped: the
        segmenter is jieba-rs's (:func:`_segmenter_for`).
        """
        self._jieba_dictionary: str | None = options.get("dict", JIEBA_DEFAULT_DICT)
        super().__init__({**options, "dict": ""})
        self._snowball = _STEMS
        self._segmenter: Any = None
        self._segments: Segments = {}

    def split(self, input: str) -> list[str]:
        """Segment the Simplified fold of a text (jieba's dictionary is Simplified, too).

        As Sphinx's split: jieba's words for search (each word and the dictionary's two- and
        three-character words inside it), then the Latin words. Each text is segmented once
        per dictionary; its Latin words are still recorded for :meth:`stem` on every call.
        """
        if self._jieba_dictionary is not None:
            dictionary, self._jieba_dictionary = self._jieba_dictionary, None
            self._segmenter, self._segments = _segmenter_for(dictionary)
        folded = fold(input)
        known = self._segments.get(folded)
        if known is None:
            latin = tuple(term.strip() for term in self.latin1_letters.findall(folded))
            words = (*cut_for_search(self._segmenter, folded), *latin)
            self._segments[folded] = known = (words, latin)
        self.latin_terms.update(known[1])
        return list(known[0])

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
    """Every Chinese name of the registry and its search aliases, folded, as jieba words.

    Sorted and unique.
    """
    words: set[str] = set()
    names = [name for name, _entity in registry.names()]
    names += [name for alias in registry.search_aliases for name in alias.names]
    for name in names:
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


def add_static_path(app: Sphinx) -> None:
    """Serve the edition's own scripts (``builder-inited``), to the web builders only.

    The folder is the web package's (the reading view's stylesheet is in it too), and nothing in
    it is for a book: added for the EPUB builder as well, its stylesheet failed epubcheck.
    """
    if app.builder.name not in WEB_BUILDERS:
        return
    if str(STATIC_DIR) not in app.config.html_static_path:
        # a new list: without html_static_path in conf.py, every app shares the default one
        app.config.html_static_path = [*app.config.html_static_path, str(STATIC_DIR)]


def setup_search(app: Sphinx) -> None:
    """Register the folded Chinese search language and its build-time data."""
    # jieba announces building its prefix dictionary on stderr at every run.
    std_logging.getLogger("jieba").setLevel(std_logging.WARNING)
    app.add_search_language(SearchChineseFolded)
    setup_search_pages(app)
    app.connect("config-inited", write_search_dictionary)
    app.connect("html-page-context", add_fold_script)
    app.connect("builder-inited", add_static_path)
    # Deferred: it runs once Sphinx's searchtools.js has defined what it changes.
    app.add_js_file(SEARCH_SCRIPT_NAME, loading_method="defer")
