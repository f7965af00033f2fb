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
  same fold is served to the search page, and the query splitter (``static/edition-search.js``)
  applies it, then cuts runs of Chinese into the longest words the index knows (readers type no
  spaces between words).

What each page gives the index, and the names the search page plans a query with, are
:mod:`edition.web.search_pages`'s; how the index is cut into files that the search page
loads by need, :mod:`edition.web.search_index`'s.
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
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search.zh import JIEBA_DEFAULT_DICT, SearchChinese
from sphinx.util import logging

from converters.common.registry import Registry, RegistryError, fold, fold_char, load_registry
from converters.common.script import BMP_HAN_RANGES, has_han
from edition.security.files import write_if_changed
from edition.web.reading import WEB_BUILDERS
from edition.web.search_index import setup_search_index
from edition.web.search_pages import has_search, setup_search_pages

logger = logging.getLogger(__name__)

#: File name of the jieba user dictionary, written into the doctree directory.
DICTIONARY_NAME = "edition-search-words.txt"
#: Static file (search page only) carrying the Traditional→Simplified character map.
FOLD_SCRIPT_NAME = "edition-search-fold.js"
#: Code point ranges whose characters the query fold covers: CJK ideographs (extension A and
#: the basic block), compatibility ideographs, and full-width ASCII.
FOLD_RANGES: tuple[tuple[int, int], ...] = (*BMP_HAN_RANGES, (0xFF01, 0xFF5E))
#: The edition's search script (search page): planning a query, loading the index, ranking,
#: snippets, filters.
SEARCH_SCRIPT_NAME = "edition-search.js"
#: Pages a list of the search page's sidebar shows at most (then a link to the contents).
NAVIGATION_ITEMS = 20
#: The search page's style.
SEARCH_STYLE_NAME = "edition-search.css"
#: The script highlighting the words of the last search on the page a result opened (every
#: other page).
HIGHLIGHT_SCRIPT_NAME = "edition-highlight.js"
#: Static file (search page only): the English stemmer, for the Latin words of a query.
STEMMER_SCRIPT_NAME = "edition-search-stemmer.js"
#: The edition's own static files (scripts), beside this module.
STATIC_DIR = Path(__file__).parent / "static"
#: The search's templates: its page, and the layout without Sphinx's search tools.
TEMPLATES_DIR = Path(__file__).parent / "templates"
#: Longest word, in characters, the browser-side segmenter tries against the index.
LONGEST_WORD = 12

# jieba's own segmenter splits on anything outside this class before it looks words up, so a
# dictionary word must be made of these characters only (no spaces, no name dots).
_JIEBA_WORD = re.compile(r"[\u4e00-\u9fd5a-zA-Z0-9+#&._%\-]+")

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
#: What Snowball's English stemmer may change in a lower-case word: a word without any of
#: these is its own stem (``tests/test_search_language.py`` checks it on the edition's words).
STEMMED = re.compile("[a-z'\u2019]")


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

    js_stemmer_rawcode = ""

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
            lower = word.lower()
            # Snowball's English stemmer changes only Latin letters and apostrophes: a Chinese
            # word or a number is its own stem (most of the new words of a page; each run of
            # the pure-Python stemmer costs tens of microseconds).
            stemmed = self._snowball[word] = (self.stemmer.stemWord(lower)
                                              if STEMMED.search(lower) else lower)
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


def add_search_scripts(
    app: Sphinx, pagename: str, _templatename: str, context: dict[str, Any], _doctree: Any
) -> None:
    """The search page's scripts and style; every other page's highlighting script.

    The search page gets the fold map, the stemmer and the search; every other page the
    highlighting of the words a result was found by.
    """
    if not has_search(app):
        return
    context["edition_search_by_need"] = True
    if pagename != "search":
        app.add_js_file(HIGHLIGHT_SCRIPT_NAME, loading_method="defer")
        return
    write_if_changed(Path(app.outdir, "_static", FOLD_SCRIPT_NAME), fold_script(fold_table()))
    write_if_changed(Path(app.outdir, "_static", STEMMER_SCRIPT_NAME), english_stemmer_code())
    app.add_js_file(FOLD_SCRIPT_NAME)
    app.add_js_file(STEMMER_SCRIPT_NAME)
    app.add_js_file(SEARCH_SCRIPT_NAME, loading_method="defer", priority=800)
    app.add_css_file(SEARCH_STYLE_NAME)


def shorten_lists(markup: str, limit: int, more_uri: str) -> str:
    """Navigation markup with every list cut to its first ``limit`` items.

    Then a link to the page that lists them all.
    """
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    for items in soup.find_all("ul"):
        entries = items.find_all("li", recursive=False)
        if len(entries) <= limit:
            continue
        for entry in entries[limit:]:
            entry.decompose()
        more = soup.new_tag("li", attrs={"class": "toctree-l1 edition-nav-more"})
        link = soup.new_tag("a", attrs={"class": "reference internal", "href": more_uri})
        link.string = f"… {len(entries) - limit:,} more"
        more.append(link)
        items.append(more)
    return str(soup)


def lighter_navigation(
    app: Sphinx, pagename: str, _templatename: str, context: dict[str, Any], _doctree: Any
) -> None:
    """The search page's sidebar lists at most :data:`NAVIGATION_ITEMS` pages per list.

    A collection of a thousand texts lists them all in every page's sidebar (220 KB at 1,131
    posts): the search page, where a reader comes to find one, lists the first few and links
    the contents that list them all.
    """
    if pagename != "search" or not has_search(app):
        return
    # The speed-ups' sidebar (edition/speedups/navigation.py), which calls the theme's when it
    # renders its template; else the theme's own.
    key = "edition_sidebar_nav" if "edition_sidebar_nav" in context else "generate_toctree_html"
    navigation = context.get(key)
    if navigation is None:
        return
    more_uri = context["pathto"](app.config.root_doc)

    def shorter(*args: Any, **kwargs: Any) -> Markup:
        return Markup(shorten_lists(str(navigation(*args, **kwargs)), NAVIGATION_ITEMS,
                                    more_uri))

    context[key] = shorter


def add_templates(_app: Sphinx, config: Config) -> None:
    """Put the search's templates before the theme's.

    A new list: Sphinx's default is shared by every application of the process.
    """
    if str(TEMPLATES_DIR) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES_DIR)]


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
    setup_search_index(app)
    app.connect("config-inited", write_search_dictionary)
    app.connect("config-inited", add_templates)
    app.connect("html-page-context", add_search_scripts)
    # After the theme's and the speed-ups' handlers have put the navigation in the context.
    app.connect("html-page-context", lighter_navigation, priority=700)
    app.connect("builder-inited", add_static_path)
