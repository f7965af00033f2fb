"""HTML to document-model blocks and inlines, shared by the two HTML readers.

The readers (:mod:`converters.readers.nytimes`, :mod:`converters.readers.caixin`) choose
*what* is content; this module turns the chosen markup into model nodes the way a browser
shows it: inline ``<a>`` become :class:`~converters.model.Link`, ``<b>``/``<strong>``
:class:`Strong`, ``<i>``/``<em>`` :class:`Emphasis`, ``<br>`` :class:`LineBreak`, every other
element is unwrapped to its text, so no HTML ever passes through.

The trees are lxml's (:mod:`lxml.etree`, libxml2's HTML parser, the parser bs4's ``"lxml"``
builder drove before): an element's text is ``.text`` before its first child and each child's
``.tail`` after it, comments are elements whose ``tag`` is not a string, and CSS selectors are
compiled once to XPath (:mod:`lxml.cssselect`), so no Python-level tree is ever built.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeAlias
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.cssselect import CSSSelector

from ..model import (
    Block,
    BulletList,
    ConversionError,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    Paragraph,
    Removal,
    Strong,
    Text,
    plain_text,
)

#: URL schemes a link may keep; others (``javascript:``, ``data:``…) keep only their text.
LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})

#: Inline elements with a meaning in the model; every other inline element is unwrapped.
STRONG_TAGS: frozenset[str] = frozenset({"b", "strong"})
EMPHASIS_TAGS: frozenset[str] = frozenset({"i", "em"})

#: Elements a browser never shows as text (form fields hold no prose either).
INVISIBLE_TAGS: frozenset[str] = frozenset(
    {"script", "style", "noscript", "template", "head", "meta", "link", "input", "select",
     "textarea", "iframe", "object", "embed", "video", "audio", "canvas", "svg"}
)

#: Elements that start a new block: their content is never run into a neighbour's paragraph.
BLOCK_TAGS: frozenset[str] = frozenset(
    {"address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div",
     "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
     "header", "hr", "html", "img", "li", "main", "nav", "ol", "p", "pre", "section",
     "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)

#: Deepest nesting of elements accepted in a source's HTML. The real posts nest at most 20
#: deep; a deeper page (a 5,000-deep ``<div>`` nest, hundreds of unclosed ``<b>``) is refused
#: with this limit named, so no walk of the tree ever runs out of stack.
MAX_HTML_DEPTH = 100

#: Heading elements and their levels.
HEADING_TAGS: dict[str, int] = {f"h{n}": n for n in range(1, 7)}

#: Section headings are level 2 at least: level 1 is the article's title.
MIN_HEADING_LEVEL = 2

#: Whitespace HTML collapses (not the no-break space, which a browser keeps).
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")

#: The whitespace runs :func:`tidy` must look at: every run but a single plain space between
#: two characters, which stays as it is (most runs of Latin-script prose).
_SPACE_TO_RESOLVE = re.compile(
    r"[ \t\n\r\f]{2,}|[\t\n\r\f]|\A |(?<=\x00) | (?=\x00)| \Z"
)

#: Stands for a hard line break while whitespace is resolved across a block's text nodes (NUL
#: never occurs in text: inputs holding it are refused as binary, and lxml drops it).
_HARD_BREAK = "\x00"

#: East Asian widths of the characters between which a line break in the source vanishes
#: (CSS Text 3, segment break transformation): 「字\n字」 renders as 「字字」, 「a\nb」 as 「a b」.
_WIDE = frozenset({"W", "F", "H"})


#: An element of a parsed page (lxml's; comments and processing instructions are elements
#: too, with a non-string ``tag``).
Element: TypeAlias = etree._Element

#: A piece of content as the walkers see it: a text node, or an element (its tail apart).
Node: TypeAlias = "str | Element"

#: Elements whose text bs4 (which the readers used before lxml) kept as a kind of string other
#: than text: the ruby annotations (``<rt>``, ``<rp>``) never became text of a paragraph or of a
#: removal record. Their text is dropped at parsing, so that stays so (the other containers bs4
#: knew, ``script``/``style``/``template``, are invisible anyway).
RUBY_TEXT_TAGS: tuple[str, ...] = ("rt", "rp")


def squash(text: str) -> str:
    """Text with HTML whitespace collapsed to single spaces and trimmed (for metadata)."""
    return HTML_SPACE.sub(" ", text).strip()


def content(element: Element) -> list[Node]:
    """An element's children in order, as text nodes and elements (comments left out).

    What bs4 called ``element.contents``: the element's ``.text``, then each child followed by
    its ``.tail``. A comment is skipped, its tail kept (in bs4 a comment was a string never
    shown).
    """
    nodes: list[Node] = []
    if element.text:
        nodes.append(element.text)
    for child in element:
        if isinstance(child.tag, str):
            nodes.append(child)
        if child.tail:
            nodes.append(child.tail)
    return nodes


def drop(element: Element) -> None:
    """Take an element (and all it holds) out of the tree; the text after it stays in place.

    lxml keeps the text following an element as the element's ``tail``: removing the element
    alone would remove that text too, so it is handed to the previous sibling or the parent.
    """
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def visible_text(element: Element) -> str:
    """The squashed text a browser would show for an element (invisible elements skipped)."""
    pieces: list[str] = []
    _visible_pieces(element, pieces)
    return squash("".join(pieces))


def _visible_pieces(element: Element, into: list[str]) -> None:
    """Raw text of an element, with a space wherever a line or block break separates words."""
    # iterative: a stack of elements still to visit and of texts (tails, " " markers closing
    # block elements) still to write
    stack: list[Element | str] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            into.append(node)
            continue
        name = node.tag
        if not isinstance(name, str) or name in INVISIBLE_TAGS:
            continue
        if name in BLOCK_TAGS or name == "br":
            into.append(" ")
            stack.append(" ")
        for child in reversed(node):
            if child.tail:
                stack.append(child.tail)
            stack.append(child)
        if node.text:
            into.append(node.text)


def attr(element: Element, name: str) -> str:
    """An attribute's value as one string, trimmed ('' when absent).

    ``class`` keeps its words as written; callers split it (bs4 gave it as a list).
    """
    value = element.get(name)
    return value.strip() if value is not None else ""


def link_url(href: str, base: str = "") -> str:
    """The absolute URL a link keeps, or '' when it keeps only its text.

    Only text is kept of ``javascript:``, in-page ``#`` anchors, relative links without a base
    and other schemes.
    """
    href = href.strip()
    if not href or href.startswith("#"):
        return ""
    try:
        url = urljoin(base, href) if base else href
        parts = urlsplit(url)
    except ValueError:  # malformed (e.g. an unbalanced IPv6 bracket): keep the text only
        return ""
    if parts.scheme.lower() not in LINK_SCHEMES:
        return ""
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return ""
    return url


def inlines_of(nodes: Iterable[Node], base: str = "") -> list[Inline]:
    """The raw inlines of some nodes (whitespace as in the source; see :func:`tidy`)."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(Text(node))
        else:
            out.extend(_inline(node, base))
    return out


def _inline(node: Element, base: str) -> list[Inline]:
    """One element as inlines: the model's inline kinds kept, every other element unwrapped."""
    name = node.tag
    if not isinstance(name, str) or name in INVISIBLE_TAGS or name == "img":
        return []
    if name == "br":
        return [LineBreak()]
    children = inlines_of(content(node), base)
    if name in STRONG_TAGS:
        return [Strong(children)]
    if name in EMPHASIS_TAGS:
        return [Emphasis(children)]
    if name == "a":
        url = link_url(attr(node, "href"), base)
        return [Link(children, url)] if url else children
    return children


def tidy(inlines: list[Inline]) -> list[Inline]:
    """Resolve whitespace the way a browser renders it, then drop what became empty.

    Runs of HTML whitespace become one space; runs at the block's edges or beside a hard
    line break vanish; a run holding a line break (pretty-printed source) vanishes between
    two wide (CJK) characters and is one space otherwise. Runs may span several text nodes
    (``foo <a> bar</a>``), so the whole block is resolved at once.
    """
    texts: list[Text | None] = []  # None stands for a LineBreak
    _collect(inlines, texts)
    joined = "".join(_HARD_BREAK if t is None else t.text for t in texts)
    replacement: dict[int, str] = {}
    run_ends: dict[int, int] = {}
    for run in _SPACE_TO_RESOLVE.finditer(joined):
        start, end = run.span()
        before = joined[start - 1] if start > 0 else _HARD_BREAK
        after = joined[end] if end < len(joined) else _HARD_BREAK
        if _HARD_BREAK in (before, after):
            keep = ""
        elif "\n" in run.group() or "\r" in run.group():
            keep = "" if _is_wide(before) and _is_wide(after) else " "
        else:
            keep = " "
        replacement[start] = keep
        run_ends[start] = end
    if not replacement:
        return _trim_breaks(_prune(inlines))  # nothing to resolve: every node keeps its text
    # each text node takes its share of the resolved runs, slice by slice (no per-character
    # work in Python: a long article is a few thousand runs, not a hundred thousand letters)
    runs = sorted(replacement.items())
    offset = 0
    index = 0  # first run that may still reach into the current node
    for node in texts:
        if node is None:
            offset += 1
            continue
        end_of_node = offset + len(node.text)
        pieces: list[str] = []
        position = offset
        while index < len(runs) and runs[index][0] < end_of_node:
            start, keep = runs[index]
            run_end = run_ends[start]
            if start >= offset:
                pieces.append(joined[position:start])
                pieces.append(keep)
                position = start + 1
            position = max(position, min(run_end, end_of_node))
            if run_end > end_of_node:
                break  # the run goes on into the next node
            index += 1
        pieces.append(joined[position:end_of_node])
        offset = end_of_node
        node.text = "".join(pieces)
    return _trim_breaks(_prune(inlines))


def _collect(inlines: list[Inline], into: list[Text | None]) -> None:
    """Text nodes (and None for each line break) in document order."""
    stack = list(reversed(inlines))
    while stack:
        node = stack.pop()
        if isinstance(node, Text):
            into.append(node)
        elif isinstance(node, LineBreak):
            into.append(None)
        elif isinstance(node, (Strong, Emphasis, Link)):
            stack.extend(reversed(node.children))


def _is_wide(char: str) -> bool:
    """Whether a character is wide or full-width (CJK ideographs, kana, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in _WIDE


def _prune(inlines: list[Inline]) -> list[Inline]:
    """Drop empty text and unwrap containers that show no text; merge neighbouring texts."""
    out: list[Inline] = []
    pending = deque(inlines)  # popleft, not list.pop(0): a million links stay linear
    while pending:
        node = pending.popleft()
        if isinstance(node, (Strong, Emphasis, Link)):
            node.children = _prune(node.children)
            if not plain_text(node.children).strip():
                # an empty <b></b> or a link around a blank shows nothing of its own; what
                # it holds (a space, a <br>) still separates its neighbours
                pending.extendleft(reversed(node.children))
                continue
        elif isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return out


def _trim_breaks(inlines: list[Inline]) -> list[Inline]:
    """Line breaks at the very start or end of a block show nothing."""
    start, end = 0, len(inlines)
    while start < end and isinstance(inlines[start], LineBreak):
        start += 1
    while end > start and isinstance(inlines[end - 1], LineBreak):
        end -= 1
    return inlines[start:end]


def paragraph_inlines(nodes: Iterable[Node], base: str = "") -> list[Inline]:
    """The tidy inlines of some nodes (empty when they show no text)."""
    inlines = tidy(inlines_of(nodes, base))
    return inlines if plain_text(inlines).strip() else []


#: A reader's hook for one block-level element: the blocks it makes of it, or None to let
#: the generic rules handle it.
BlockHook = Callable[[Element], "list[Block] | None"]


def walk_blocks(root: Element, base: str = "", hook: BlockHook | None = None) -> list[Block]:
    """The blocks of an element's content, in source order.

    Inline content between blocks (text directly in a ``<div>``) becomes a paragraph of its
    own; block elements go to ``hook`` first, then to the generic rules: headings, lists,
    paragraphs, and containers (``div``, ``section``…) walked into.
    """
    return _Walker(root, base, hook).blocks(root)


class _Walker:
    """One walk over a tree; knows once which elements are or hold blocks.

    Asking each element again at every level of nesting would make deep pages quadratic.
    """

    def __init__(self, root: Element, base: str, hook: BlockHook | None) -> None:
        self.base = base
        self.hook = hook
        # the elements themselves are kept (not their id()): lxml makes a new proxy for an
        # element nobody holds, so only a held proxy keeps its identity
        self.holders: set[Element] = set()
        for element in root.iterdescendants(*BLOCK_TAGS):
            node: Element | None = element
            while node is not None and node is not root and node not in self.holders:
                self.holders.add(node)
                node = node.getparent()

    def is_block(self, node: Node) -> bool:
        """Whether a node is, or holds, a block."""
        return not isinstance(node, str) and node in self.holders

    def holds_block(self, element: Element) -> bool:
        """Whether an element has a block among its descendants."""
        return any(child in self.holders for child in element)

    def blocks(self, root: Element) -> list[Block]:
        """The blocks of one element's content."""
        blocks: list[Block] = []
        pending: list[Node] = []

        def flush() -> None:
            if pending:
                inlines = paragraph_inlines(pending, self.base)
                if inlines:
                    blocks.append(Paragraph(inlines))
                pending.clear()

        if root.text:
            pending.append(root.text)
        for child in list(root):
            if child in self.holders:
                flush()
                made = self.hook(child) if self.hook else None
                if made is None:
                    made = self.generic(child)
                blocks.extend(made)
            elif isinstance(child.tag, str):
                pending.append(child)
            if child.tail:  # the text after a block is inline content of its own
                pending.append(child.tail)
        flush()
        return blocks

    def generic(self, element: Element) -> list[Block]:
        """The blocks of one block element no reader rule claimed."""
        name = element.tag
        if name in INVISIBLE_TAGS or name in ("hr", "img"):
            return []
        if name in HEADING_TAGS and not self.holds_block(element):
            inlines = paragraph_inlines(content(element), self.base)
            level = max(HEADING_TAGS[name], MIN_HEADING_LEVEL)
            return [Heading(level=level, inlines=inlines)] if inlines else []
        if name in ("ul", "ol"):
            items = [paragraph_inlines(content(li), self.base)
                     for li in element.iterdescendants("li")
                     if next(li.iterancestors("ul", "ol"), None) is element]
            items = [item for item in items if item]
            return [BulletList(items=items)] if items else []
        if name == "p" and not self.holds_block(element):
            inlines = paragraph_inlines(content(element), self.base)
            return [Paragraph(inlines)] if inlines else []
        return self.blocks(element)


def remove_boilerplate(
    root: Element, rules: Iterable[tuple[str, str, str]], base: str = ""
) -> list[Removal]:
    """Take out every element matching a ``(kind, CSS selector, reason)`` rule; return them.

    The first rule an element matches names it. What was removed is its visible text, or for a
    textless element the URL it carried (so the record still says what went).
    """
    rules = list(rules)
    # Every match is found on the whole tree before anything is taken out (a ``:has()`` sees
    # the page as it was). The matches are taken in document order, so an outer block is taken
    # out before anything inside it is looked at; that order is read off one walk of the tree,
    # which costs a tenth of an XPath union of all the rules (libxml2 sorts unions slowly).
    first_rule: dict[Element, int] = {}
    for index, (_, selector, _) in enumerate(rules):
        for element in select(root, selector):
            first_rule.setdefault(element, index)
    if not first_rule:
        return []
    position = {element: index for index, element in enumerate(root.iter())}
    removed: list[Removal] = []
    for element in sorted(first_rule, key=position.__getitem__):
        if not is_under(element, root):
            continue  # inside something already taken out
        kind, _, reason = rules[first_rule[element]]
        removed.append(Removal(kind=kind, text=_removed_text(element, base), reason=reason))
        drop(element)
    return removed


@lru_cache(maxsize=256)
def _compiled(selector: str) -> CSSSelector:
    """A CSS selector compiled to XPath once per run, not once per page."""
    return CSSSelector(selector, translator="html")


def select(root: Element, selector: str) -> list[Element]:
    """The elements under ``root`` (not ``root`` itself) matching a CSS selector, in order.

    What ``root.select(selector)`` of bs4/soupsieve returned: the compiled XPath starts at
    ``descendant-or-self``, so ``root`` is left out here; a ``<template>``'s content is no part
    of the page a browser shows and is left out too.
    """
    found = [element for element in _compiled(selector)(root) if element is not root]
    if found and next(root.iterdescendants("template"), None) is not None:
        found = [element for element in found
                 if not any(a.tag == "template" for a in _ancestors_below(element, root))]
    return found


def select_one(root: Element, selector: str) -> Element | None:
    """The first element under ``root`` matching a CSS selector."""
    found = select(root, selector)
    return found[0] if found else None


def _ancestors_below(element: Element, root: Element) -> list[Element]:
    """The ancestors of an element up to, not including, ``root``."""
    out: list[Element] = []
    for ancestor in element.iterancestors():
        if ancestor is root:
            break
        out.append(ancestor)
    return out


def is_under(element: Element, root: Element) -> bool:
    """Whether an element is (still) under ``root``: false once an ancestor was taken out."""
    return any(parent is root for parent in element.iterancestors())


def _removed_text(element: Element, base: str) -> str:
    """What a removal record quotes: the element's text, else the first URL it held."""
    text = visible_text(element)
    if text:
        return text
    for name in ("href", "src", "data-src"):
        found = element if element.get(name) else _first_with(element, name)
        if found is not None:
            value = attr(found, name)
            try:
                return urljoin(base, value) if base else value
            except ValueError:  # a malformed URL is still worth quoting as it was written
                return value
    return ""


def _first_with(root: Element, name: str) -> Element | None:
    """The first element under ``root`` carrying attribute ``name``."""
    for node in root.iterdescendants():
        if isinstance(node.tag, str) and node.get(name) is not None:
            return node
    return None


def parse_html(markup: str) -> Element:
    """Markup parsed the way the readers need it (libxml2, as lenient as a browser).

    The root ``<html>`` element is returned; the markup is fed to the parser in one piece, as
    bs4's ``"lxml"`` builder did, so the tree is the one the readers were written against. It
    is refused when nested deeper than :data:`MAX_HTML_DEPTH`.
    """
    parser = etree.HTMLParser(recover=True)
    try:
        parser.feed(markup)
        root = parser.close()
    except etree.LxmlError:  # nothing to build a tree of (empty, or only a comment)
        root = None
    if root is None:
        return etree.Element("html")
    check_depth(root)
    if "<r" in markup or "<R" in markup:  # cheap test first: ruby is rare
        _drop_ruby_text(root)
    return root


def _drop_ruby_text(root: Element) -> None:
    """Remove the text inside ruby annotations (``<rt>``, ``<rp>``), keeping their elements.

    bs4 kept that text as strings of another kind that the readers never showed; see
    :data:`RUBY_TEXT_TAGS`. A text belongs to the innermost container holding it, as in bs4.
    """
    if next(root.iter(*RUBY_TEXT_TAGS), None) is None:
        return
    for node in root.iter():
        if isinstance(node.tag, str) and _nearest_container(node) in RUBY_TEXT_TAGS:
            node.text = None
        if node.tail and _nearest_container(node.getparent()) in RUBY_TEXT_TAGS:
            node.tail = None


def _nearest_container(element: Element | None) -> str:
    """The innermost of the string containers bs4 knew that holds an element ('' for none)."""
    while element is not None:
        if element.tag in _STRING_CONTAINERS:
            return str(element.tag)
        element = element.getparent()
    return ""


#: The elements bs4 made special strings of: the ruby annotations and the invisible ones.
_STRING_CONTAINERS: frozenset[str] = frozenset({*RUBY_TEXT_TAGS, "script", "style", "template"})


def body_of(root: Element) -> Element | None:
    """The page's ``<body>`` (what bs4 called ``soup.body``), or None."""
    return next(root.iter("body"), None)


def check_depth(root: Element, limit: int = MAX_HTML_DEPTH) -> None:
    """Refuse a tree nested deeper than ``limit`` elements (measured without recursion)."""
    level = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "end":
            level -= 1
            continue
        level += 1
        if level > limit and isinstance(element.tag, str):  # a comment deepest is no element
            raise ConversionError(
                f"HTML nested more than {limit} elements deep (at a <{element.tag}>; "
                f"the limit is {limit}, real posts nest at most about 20)"
            )
