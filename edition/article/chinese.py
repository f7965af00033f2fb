"""Chinese text marked with its language wherever the web edition prints it.

A page's ``<html lang>`` is the language of its text: English on the edition's own pages, the
article's language on an article page. The Chinese such a page quotes — an article's title in
the sidebar and on its card, a name in a register, a date as the text writes it, an example on
the contributor guide — needs a ``lang`` of its own, or a browser draws it with the glyphs of
whatever script its first CJK font has (often the Japanese forms) and a screen reader reads it
in the page's voice.

So every run of Chinese outside an element already marked as Chinese gets ``zh-Hans`` or
``zh-Hant``:

- which of the two is read from the characters: a run holding characters that exist only in
  Traditional (or only in Simplified) writing is that script; a run both scripts write alike
  takes the Chinese language of the page's text, else Simplified;
- a text that is Chinese as a whole (four Han characters or more for each Latin word) is marked
  whole: its Latin words, like “TikTok”, are part of the Chinese sentence; in any other text
  each Chinese run is marked, with the digits and spaces between its characters
  (``2025年1月21日``);
- titles are marked when a page is read (:class:`MarkChineseTitles`), so that every place a
  title is printed — the sidebar, the previous/next links, the tables of contents — carries the
  mark (a text's own title in Chinese is marked whole, in the text's language); everything
  else when a page is resolved for the web (:func:`mark_resolved_page`), after the generated
  registers, entity pages and timeline are filled in;
- code blocks are highlighted by Pygments, which writes HTML from tokens: its formatter is given
  the same marks (:class:`ChineseHtmlFormatter`).

Docutils writes a ``language-<tag>`` class as the element's ``lang`` attribute. In the EPUB's
XHTML every ``lang`` has its twin ``xml:lang`` (older reading systems read only that one): the
EPUB's translator writes both for elements (edition/outputs/epub.py), and so do the marks of
this module in text written without nodes (:func:`writes_xhtml`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

import opencc
from docutils import nodes
from pygments.formatters import HtmlFormatter
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms import SphinxTransform

from converters.common.registry import NAME_DOTS
from converters.common.script import CJK_RANGES, HAN_CHAR, WORD_PATTERN, char_class, text_language
from edition.article.frontmatter import get_article_meta
from edition.security.safety import language_tag

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.environment import BuildEnvironment

#: The two written forms of Chinese the edition marks.
SIMPLIFIED = "zh-Hans"
TRADITIONAL = "zh-Hant"
#: Prefix of a docutils class that docutils writes as ``lang``.
LANGUAGE_CLASS = "language-"

#: A run of Chinese: CJK characters (ideographs, CJK punctuation, full-width forms), with the
#: digits, spaces and name dots between them (``2025年1月21日``, ``7 月 12 日``,
#: ``安德烈森·霍洛維茨``) and digits directly before.
# (A run starts where its digits start: the look-behind keeps a search from trying each digit
# of a long number again.)
CHINESE_RUN = re.compile(
    f"(?<![0-9])[0-9]*[{char_class(CJK_RANGES)}]"
    f"(?:[{char_class(CJK_RANGES)}0-9 {re.escape(NAME_DOTS)}]*[{char_class(CJK_RANGES)}])?"
)

#: Nodes whose text is not written as text of the page (or not at all): left as they are.
UNMARKED: tuple[type[nodes.Node], ...] = (
    nodes.raw, nodes.comment, nodes.math, nodes.math_block, nodes.substitution_definition,
    nodes.system_message,
)

#: Inline elements whose HTML visitor writes their classes (so their ``lang``): when such an
#: element holds nothing but one Chinese text, it is marked itself instead of wrapping the text.
SELF_MARKED: tuple[type[nodes.Element], ...] = (
    nodes.inline, nodes.strong, nodes.emphasis, nodes.reference, nodes.literal,
)


@functools.cache  # the converters are built once; a table of characters is filled on use
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@functools.cache  # each character is looked up once per process
def char_script(char: str) -> str:
    """The one script that writes a character: ``zh-Hant``, ``zh-Hans``; ``""`` when both do."""
    if not HAN_CHAR.match(char):
        return ""
    if _converter("t2s").convert(char) != char:
        return TRADITIONAL
    if _converter("s2t").convert(char) != char:
        return SIMPLIFIED
    return ""


def chinese_tag(text: str, default: str = SIMPLIFIED) -> str:
    """The script a Chinese text is written in, from its characters (``default``: not told)."""
    traditional = simplified = 0
    for char in text:
        script = char_script(char)
        if script == TRADITIONAL:
            traditional += 1
        elif script == SIMPLIFIED:
            simplified += 1
    if traditional > simplified:
        return TRADITIONAL
    if simplified > traditional:
        return SIMPLIFIED
    return default


#: A text is Chinese as a whole when it has at least this many Han characters per Latin word:
#: a Chinese sentence naming TikTok and ByteDance is, a line of fields naming an author and a
#: publisher in Chinese is not (its Chinese runs are marked one by one).
WHOLE_TEXT_RATIO = 4


def is_chinese_text(text: str) -> bool:
    """Whether a text is Chinese as a whole (its Latin words are names inside it)."""
    han = len(HAN_CHAR.findall(text))
    return han > 0 and han >= WHOLE_TEXT_RATIO * len(WORD_PATTERN.findall(text))


def chinese_parts(text: str, *, whole: bool = True) -> list[tuple[str, bool]]:
    """``text`` as pieces, each with whether it is Chinese to be marked.

    A text mostly in Chinese is one Chinese piece (unless not ``whole``: code, a line of
    fields); otherwise each Chinese run is its own piece.
    """
    if not HAN_CHAR.search(text):
        return [(text, False)]
    if whole and is_chinese_text(text):
        return [(text, True)]
    parts: list[tuple[str, bool]] = []
    end = 0
    for run in CHINESE_RUN.finditer(text):
        if not HAN_CHAR.search(run.group()):
            continue  # CJK punctuation alone (a full-width bracket) is not Chinese text
        if run.start() > end:
            parts.append((text[end:run.start()], False))
        parts.append((run.group(), True))
        end = run.end()
    if end < len(text):
        parts.append((text[end:], False))
    return parts


def is_chinese_tag(tag: str) -> bool:
    """Whether a language tag names Chinese (``zh``, ``zh-Hant``, ``zh-TW`` …)."""
    return tag.lower() == "zh" or tag.lower().startswith("zh-")


def element_language(node: nodes.Node) -> str:
    """The language an element's own ``language-*`` class gives (``""`` when none)."""
    if not isinstance(node, nodes.Element):
        return ""
    classes: list[str] = node.get("classes", [])
    for cls in classes:
        if cls.startswith(LANGUAGE_CLASS):
            return cls[len(LANGUAGE_CLASS):]
    return ""


def mark_text(parent: nodes.Element, index: int, default: str) -> None:
    """Mark the Chinese of the text node ``parent[index]``."""
    text = parent[index]
    parts = chinese_parts(str(text))
    if not any(chinese for _piece, chinese in parts):
        return
    if (len(parts) == 1 and len(parent) == 1 and type(parent) in SELF_MARKED
            and not element_language(parent)):
        parent["classes"].append(f"{LANGUAGE_CLASS}{chinese_tag(str(text), default)}")
        return
    replacement: list[nodes.Node] = []
    for piece, chinese in parts:
        if chinese:
            tag = chinese_tag(piece, default)
            replacement.append(nodes.inline(piece, piece, classes=[f"{LANGUAGE_CLASS}{tag}"]))
        else:
            replacement.append(nodes.Text(piece))
    parent[index:index + 1] = replacement


def mark_chinese(root: nodes.Element, language: str, default: str = SIMPLIFIED) -> None:
    """Mark every Chinese text under ``root`` that is not inside an element marked Chinese.

    ``language`` is the language ``root`` stands in (the page's, or ``""`` when unknown);
    ``default`` the script of a run whose characters do not tell.
    """
    stack: list[tuple[nodes.Element, str]] = [(root, language)]
    while stack:
        element, outer = stack.pop()
        if isinstance(element, UNMARKED):
            continue
        own = element_language(element) or outer
        # Inside Chinese only elements are looked at: one may hold English (an article
        # header on a Chinese page) with Chinese in it again.
        chinese = is_chinese_tag(own)
        # Backwards, so that a text replaced by several nodes leaves the indices before it.
        for index in range(len(element) - 1, -1, -1):
            child = element[index]
            if isinstance(child, nodes.Text):
                if not chinese and HAN_CHAR.search(child):
                    mark_text(element, index, default)
            elif isinstance(child, nodes.Element):
                stack.append((child, own))


#: Tags of Chinese written in Traditional characters (the others are Simplified).
TRADITIONAL_TAGS: frozenset[str] = frozenset({
    "zh-Hant", "zh-TW", "zh-HK", "zh-MO", "zh-Hant-TW", "zh-Hant-HK", "zh-Hant-MO"})


def chinese_default(languages: Iterable[str]) -> str:
    """The script of the Chinese a document's languages name first (Simplified when none)."""
    for tag in languages:
        allowed = language_tag(tag)
        if allowed and is_chinese_tag(allowed):
            return TRADITIONAL if allowed in TRADITIONAL_TAGS else SIMPLIFIED
    return SIMPLIFIED


def document_languages(env: BuildEnvironment, docname: str) -> list[str]:
    """The languages a document's front matter names (none for the edition's own pages)."""
    meta = get_article_meta(env, docname)
    return list(meta.language) if meta is not None else []


def page_language(env: BuildEnvironment, docname: str) -> str:
    """The language of a page's ``<html lang>``: its article's, else the edition's."""
    meta = get_article_meta(env, docname)
    if meta is not None:
        tag = language_tag(meta.main_language)
        if tag:
            return tag
    return language_tag(env.config.language) or "en"


class MarkChineseTitles(SphinxTransform):
    """Mark the Chinese of every title as the page is read.

    Titles are printed on other pages too (the sidebar, the previous/next links, tables of
    contents, the cards), whose language may be English: the mark travels with the title.
    """

    # After the parser's own transforms, before the doctree-read event (880), where Sphinx
    # collects the titles and tables of contents.
    default_priority = 870

    def apply(self, **_kwargs: Any) -> None:
        """Mark each title that holds Chinese and is not inside a Chinese element."""
        languages = document_languages(self.env, self.env.docname)
        default = chinese_default(languages)
        for number, title in enumerate(self.document.findall(nodes.title)):
            language = ""
            parent = title.parent
            while parent is not None and not language:
                language = element_language(parent)
                parent = parent.parent
            if number == 0 and not language:
                mark_whole(title, text_language(title.astext(), languages))
            mark_chinese(title, language, default)


def mark_whole(element: nodes.Element, tag: str) -> None:
    """Mark all of an element as Chinese of ``tag`` (a text's title, in its text's language).

    Nothing for a tag that is not Chinese or not allowed, or an element without Chinese.
    """
    allowed = language_tag(tag)
    if not allowed or not is_chinese_tag(allowed) or not HAN_CHAR.search(element.astext()):
        return
    if isinstance(element, nodes.inline):
        element["classes"].append(f"{LANGUAGE_CLASS}{allowed}")
        return
    wrapper = nodes.inline("", "", *element.children, classes=[f"{LANGUAGE_CLASS}{allowed}"])
    element.children = []
    element += wrapper


#: Builders that write the web edition's HTML (the EPUB is HTML too).
HTML_FORMAT = "html"


def mark_resolved_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Mark the Chinese of a page for the web, once it is resolved (``doctree-resolved``)."""
    if app.builder.format != HTML_FORMAT:
        return
    env = app.env
    mark_chinese(doctree, page_language(env, docname),
                 chinese_default(document_languages(env, docname)))


def writes_xhtml(builder: Builder) -> bool:
    """Whether a builder writes XHTML (the EPUB), where ``xml:lang`` goes with every ``lang``."""
    return isinstance(builder, Epub3Builder)


def mark_escaped(escaped: str, default: str = SIMPLIFIED, *, xhtml: bool = False) -> str:
    """Escaped HTML text (no markup in it) with each Chinese run in a ``span`` with its ``lang``.

    For text a visitor or Pygments writes itself rather than through nodes (code, a line of
    fields), run by run; escaping changes nothing but ``& < > " '``, none of which is part of a
    Chinese run. In XHTML (``xhtml``) the span says its language as ``xml:lang`` too.
    """
    if not HAN_CHAR.search(escaped):
        return escaped

    def span(piece: str) -> str:
        tag = chinese_tag(piece, default)
        twin = f' xml:lang="{tag}"' if xhtml else ""
        return f'<span lang="{tag}"{twin}>{piece}</span>'

    return "".join(span(piece) if chinese else piece
                   for piece, chinese in chinese_parts(escaped, whole=False))


class ChineseHtmlFormatter(HtmlFormatter[str]):
    """Pygments' HTML formatter, with the Chinese of a code block marked with its ``lang``."""

    #: Whether the marks are for XHTML (``xml:lang`` too).
    xhtml: ClassVar[bool] = False

    @functools.lru_cache(maxsize=100)  # noqa: B019 - cached as the method it overrides
    def _translate_parts(self, value: str) -> list[str]:
        """The token's text escaped and split at line ends, its Chinese runs marked."""
        # The one place where Pygments turns a token's text into HTML (a private method: the
        # formatter test fails if a Pygments release renames it).
        parts: list[str] = super()._translate_parts(value)
        return [mark_escaped(part, xhtml=self.xhtml) for part in parts]


class ChineseXhtmlFormatter(ChineseHtmlFormatter):
    """The marking formatter for the EPUB's XHTML: ``lang`` and ``xml:lang``."""

    xhtml = True


def use_chinese_formatter(app: Sphinx) -> None:
    """Give the web builders' code highlighters the marking formatter (``builder-inited``)."""
    formatter = ChineseXhtmlFormatter if writes_xhtml(app.builder) else ChineseHtmlFormatter
    for name in ("highlighter", "dark_highlighter"):
        bridge = getattr(app.builder, name, None)
        if bridge is not None and getattr(bridge, "dest", "") == HTML_FORMAT:
            bridge.formatter = formatter


def setup_chinese(app: Sphinx) -> None:
    """Mark Chinese with its language in titles, pages and code blocks of the web edition."""
    app.add_transform(MarkChineseTitles)
    # Last: after the registers, entity pages and timeline are filled in (priority 500).
    app.connect("doctree-resolved", mark_resolved_page, priority=850)
    app.connect("builder-inited", use_chinese_formatter)
