"""HTML to document-model blocks and inlines, shared by the two HTML readers.

The readers (:mod:`converters.readers.nytimes`, :mod:`converters.readers.caixin`) choose
*what* is content; this module turns the chosen markup into model nodes the way a browser
shows it: inline ``<a>`` become :class:`~converters.model.Link`, ``<b>``/``<strong>``
:class:`Strong`, ``<i>``/``<em>`` :class:`Emphasis`, ``<br>`` :class:`LineBreak`, every other
element is unwrapped to its text, so no HTML ever passes through.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import soupsieve
from bs4 import BeautifulSoup
from bs4.element import NavigableString, PageElement, Tag

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


def squash(text: str) -> str:
    """Text with HTML whitespace collapsed to single spaces and trimmed (for metadata)."""
    return HTML_SPACE.sub(" ", text).strip()


def visible_text(element: PageElement) -> str:
    """The squashed text a browser would show for an element (invisible elements skipped)."""
    pieces: list[str] = []
    _visible_pieces(element, pieces)
    return squash("".join(pieces))


def _visible_pieces(element: PageElement, into: list[str]) -> None:
    """Raw text of an element, with a space wherever a line or block break separates words."""
    # iterative: a stack of nodes still to visit, with " " markers closing block elements
    stack: list[PageElement | str] = [element]
    while stack:
        node = stack.pop()
        if isinstance(node, str) and not isinstance(node, NavigableString):
            into.append(node)
            continue
        if isinstance(node, NavigableString):
            if type(node) is NavigableString:
                into.append(str(node))
            continue
        if not isinstance(node, Tag) or node.name in INVISIBLE_TAGS:
            continue
        separated = node.name in BLOCK_TAGS or node.name == "br"
        if separated:
            into.append(" ")
            stack.append(" ")
        stack.extend(reversed(node.contents))


def attr(element: Tag, name: str) -> str:
    """An attribute's value as one string ('' when absent; multi-valued ones joined)."""
    value = element.get(name)
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return " ".join(value).strip()


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


def inlines_of(nodes: Iterable[PageElement], base: str = "") -> list[Inline]:
    """The raw inlines of some nodes (whitespace as in the source; see :func:`tidy`)."""
    out: list[Inline] = []
    for node in nodes:
        out.extend(_inline(node, base))
    return out


def _inline(node: PageElement, base: str) -> list[Inline]:
    """One node as inlines: the model's inline kinds kept, every other element unwrapped."""
    if isinstance(node, NavigableString):
        # Comments, CDATA, doctypes are NavigableString subclasses: never text.
        return [Text(str(node))] if type(node) is NavigableString else []
    if not isinstance(node, Tag) or node.name in INVISIBLE_TAGS or node.name == "img":
        return []
    if node.name == "br":
        return [LineBreak()]
    children = inlines_of(node.children, base)
    if node.name in STRONG_TAGS:
        return [Strong(children)]
    if node.name in EMPHASIS_TAGS:
        return [Emphasis(children)]
    if node.name == "a":
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


def paragraph_inlines(nodes: Iterable[PageElement], base: str = "") -> list[Inline]:
    """The tidy inlines of some nodes (empty when they show no text)."""
    inlines = tidy(inlines_of(nodes, base))
    return inlines if plain_text(inlines).strip() else []


#: A reader's hook for one block-level element: the blocks it makes of it, or None to let
#: the generic rules handle it.
BlockHook = Callable[[Tag], "list[Block] | None"]


def walk_blocks(root: Tag, base: str = "", hook: BlockHook | None = None) -> list[Block]:
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

    def __init__(self, root: Tag, base: str, hook: BlockHook | None) -> None:
        self.base = base
        self.hook = hook
        self.holders: set[int] = set()
        # a plain walk, not find_all(): bs4's filter machinery costs more than the test
        for element in root.descendants:
            if not isinstance(element, Tag) or element.name not in BLOCK_TAGS:
                continue
            node: Tag | None = element
            while node is not None and node is not root and id(node) not in self.holders:
                self.holders.add(id(node))
                node = node.parent

    def is_block(self, node: PageElement) -> bool:
        """Whether a node is, or holds, a block."""
        return isinstance(node, Tag) and id(node) in self.holders

    def holds_block(self, element: Tag) -> bool:
        """Whether an element has a block among its descendants."""
        return any(self.is_block(child) for child in element.children)

    def blocks(self, root: Tag) -> list[Block]:
        """The blocks of one element's content."""
        blocks: list[Block] = []
        pending: list[PageElement] = []

        def flush() -> None:
            if pending:
                inlines = paragraph_inlines(pending, self.base)
                if inlines:
                    blocks.append(Paragraph(inlines))
                pending.clear()

        for child in list(root.children):
            if not isinstance(child, Tag) or not self.is_block(child):
                pending.append(child)
                continue
            flush()
            made = self.hook(child) if self.hook else None
            if made is None:
                made = self.generic(child)
            blocks.extend(made)
        flush()
        return blocks

    def generic(self, element: Tag) -> list[Block]:
        """The blocks of one block element no reader rule claimed."""
        name = element.name
        if name in INVISIBLE_TAGS or name in ("hr", "img"):
            return []
        if name in HEADING_TAGS and not self.holds_block(element):
            inlines = paragraph_inlines(element.children, self.base)
            level = max(HEADING_TAGS[name], MIN_HEADING_LEVEL)
            return [Heading(level=level, inlines=inlines)] if inlines else []
        if name in ("ul", "ol"):
            items = [paragraph_inlines(li.children, self.base) for li in element.find_all("li")
                     if li.find_parent(["ul", "ol"]) is element]
            items = [item for item in items if item]
            return [BulletList(items=items)] if items else []
        if name == "p" and not self.holds_block(element):
            inlines = paragraph_inlines(element.children, self.base)
            return [Paragraph(inlines)] if inlines else []
        return self.blocks(element)


def remove_boilerplate(
    root: Tag, rules: Iterable[tuple[str, str, str]], base: str = ""
) -> list[Removal]:
    """Take out every element matching a ``(kind, CSS selector, reason)`` rule; return them.

    The first rule an element matches names it. What was removed is its visible text, or for a
    textless element the URL it carried (so the record still says what went).
    """
    rules = list(rules)
    compiled = [_matcher(selector) for _, selector, _ in rules]
    # one pass over the tree for all rules; matches come in document order, so an outer
    # block is taken out before anything inside it is looked at. Every match is found on
    # the whole tree before anything is taken out (a ``:has()`` sees the page as it was).
    matches = select(root, ", ".join(selector for _, selector, _ in rules))
    removed: list[Removal] = []
    for element in matches:
        if element.decomposed or _detached(element, root):
            continue  # inside something already taken out
        kind, _, reason = next(rule for rule, matcher in zip(rules, compiled, strict=True)
                               if matcher.matches(element))
        removed.append(Removal(kind=kind, text=_removed_text(element, base), reason=reason))
        element.decompose()
    return removed


class _Matcher:
    """A CSS selector compiled once per run: soupsieve's matcher behind a cheap pre-filter.

    Most elements of a page fail the pre-filter and never reach soupsieve, whose matching
    costs more than anything else in a conversion.
    """

    def __init__(self, selector: str) -> None:
        self.pattern = soupsieve.compile(selector)
        self.may_match = _prefilter([selector])

    def matches(self, element: Tag) -> bool:
        """Whether the element matches the selector (exactly as soupsieve decides)."""
        return self.may_match(element) and self.pattern.match(element)

    def iterate(self, root: Tag) -> Iterator[Tag]:
        """The matching elements under ``root``, in document order."""
        may_match, match = self.may_match, self.pattern.match  # looked up once per walk
        for element in _tag_descendants(root):
            if may_match(element) and match(element):
                yield element


@lru_cache(maxsize=256)
def _matcher(selector: str) -> _Matcher:
    """The compiled matcher of a selector (compiled once per run, not once per page)."""
    return _Matcher(selector)


def select(root: Tag, selector: str) -> list[Tag]:
    """The elements under ``root`` matching a CSS selector, in document order.

    That is what ``root.select(selector)`` returns, found faster.
    """
    return list(_matcher(selector).iterate(root))


def matches(element: Tag, selector: str) -> bool:
    """Whether an element matches a CSS selector (as ``soupsieve.match`` decides)."""
    return _matcher(selector).matches(element)


def select_one(root: Tag, selector: str) -> Tag | None:
    """The first element under ``root`` matching a CSS selector (``root.select_one``)."""
    return next(_matcher(selector).iterate(root), None)


def _tag_descendants(root: Tag) -> Iterator[Tag]:
    """The elements under ``root`` in document order, as soupsieve's ``select`` visits them.

    A ``<template>``'s content is not entered (it is no part of the page a browser shows).
    """
    # A stack over the children lists, not bs4's ``descendants``: most nodes of a page are
    # strings, and skipping them a list at a time costs a fraction of stepping through each.
    stack = [node for node in reversed(root.contents) if isinstance(node, Tag)]
    while stack:
        node = stack.pop()
        yield node
        if node.name != "template":
            stack.extend([child for child in reversed(node.contents) if isinstance(child, Tag)])


#: Combinators: the matched element itself is the last compound after them.
_COMBINATOR = re.compile(r"\s*[\s>+~]\s*")
#: The parts of a compound selector the pre-filter reads: a type and class tests; any other
#: part (ids, attribute tests, pseudo-classes with their arguments) only narrows the match
#: further and is left to soupsieve.
_COMPOUND_TYPE = re.compile(r"^[A-Za-z][\w-]*")
_COMPOUND_CLASS = re.compile(r"\.(-?[_A-Za-z][\w-]*)")
_COMPOUND_CLASS_ATTR = re.compile(r"""\[class\s*[*~^$|]?=\s*(['"])([^'"]*)\1\s*\]""")
_COMPOUND_PSEUDO_CALL = re.compile(r":[\w-]+\((?:[^()]|\([^()]*\))*\)")
_COMPOUND_OTHER_ATTR = re.compile(r"\[[^\]]*\]")

#: A quoted value holding selector syntax (``[title='a] .b']``) the simple reading would split.
_AWKWARD_QUOTE = re.compile(r"""(['"])[^'"]*[\[\](),][^'"]*\1""")

#: A pre-filter's requirement: a type name ('' for any) and words the class must contain.
_Requirement = tuple[str, tuple[str, ...]]


def _split_top(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` characters outside parentheses and brackets."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _last_compound(selector: str) -> str | None:
    """The compound selector naming the matched element (None: no simple reading of it)."""
    if ("\\" in selector or "|" in selector.replace("|=", "")
            or _AWKWARD_QUOTE.search(selector)):
        return None  # escapes, namespaces, brackets in quotes: left to soupsieve alone
    # pseudo-class arguments (``:has(> .x)``) may hold combinators of their own
    stripped = _COMPOUND_PSEUDO_CALL.sub("", selector.strip())
    if "(" in stripped or ")" in stripped:
        return None
    # attribute tests may hold combinator characters (``[rel~='x']``): set aside first
    tests: list[str] = []

    def set_aside(match: re.Match[str]) -> str:
        tests.append(match.group())
        return f"\x01{len(tests) - 1}\x01"

    stripped = _COMPOUND_OTHER_ATTR.sub(set_aside, stripped)
    compound = _COMBINATOR.split(stripped)[-1] if stripped else ""
    return re.sub("\x01(\\d+)\x01", lambda m: tests[int(m.group(1))], compound)


def _class_rest(compound: str) -> str:
    """A compound without its type and attribute tests: what holds its ``.class`` parts."""
    name_match = _COMPOUND_TYPE.match(compound)
    rest = compound[name_match.end():] if name_match else compound
    return _COMPOUND_OTHER_ATTR.sub("", _COMPOUND_CLASS_ATTR.sub("", rest))


def _requirement(selector: str) -> _Requirement | None:
    """What an element must be to match a complex selector (None: no cheap test known)."""
    compound = _last_compound(selector)
    if compound is None:
        return None
    name_match = _COMPOUND_TYPE.match(compound)
    name = name_match.group() if name_match else ""
    rest = compound[name_match.end():] if name_match else compound
    words = [m.group(2) for m in _COMPOUND_CLASS_ATTR.finditer(rest)]
    words += [m.group(1) for m in _COMPOUND_CLASS.finditer(_class_rest(compound))]
    if not (name or words):
        return None
    return name.lower(), tuple(word.lower() for word in words)


def _class_tokens(selector: str) -> frozenset[str]:
    """The whole class names (``.fr``) the matched element must carry, lower-cased."""
    compound = _last_compound(selector)
    if compound is None:
        return frozenset()
    return frozenset(m.group(1).lower() for m in _COMPOUND_CLASS.finditer(_class_rest(compound)))


def _prefilter(selectors: Iterable[str]) -> Callable[[Tag], bool]:
    """A cheap test every element matching one of ``selectors`` passes.

    Elements failing it are never handed to soupsieve, which spends most of a conversion on
    non-matches.
    """
    #: each requirement with the whole class names it asks for (``.fr`` is no ``frame``)
    requirements: list[tuple[str, tuple[str, ...], frozenset[str]]] = []
    for selector in selectors:
        for part in _split_top(selector, ","):
            requirement = _requirement(part)
            if requirement is None:
                return lambda _element: True
            requirements.append((*requirement, _class_tokens(part)))
    names = frozenset(name for name, words, _ in requirements if not words)
    worded = [(want, words, tokens) for want, words, tokens in requirements if words]
    # one search tells most classes apart: a class holding none of the words matches no rule
    any_word = re.compile("|".join(re.escape(words[0]) for _, words, _ in worded) or "(?!)")

    def may_match(element: Tag) -> bool:
        name = element.name.lower()
        if name in names:
            return True
        # attr(element, "class") inlined: this test runs for every element of every page
        value = element.attrs.get("class")
        if value is None:
            return False
        classes = (value if isinstance(value, str) else " ".join(value)).strip().lower()
        if not classes or any_word.search(classes) is None:
            return False
        return any((not want or want == name) and all(word in classes for word in words)
                   and (not tokens or tokens <= frozenset(classes.split()))
                   for want, words, tokens in worded)

    return may_match


def _detached(element: Tag, root: Tag) -> bool:
    """Whether an element is no longer under ``root`` (an ancestor was removed)."""
    # identity, not ==: bs4 compares tags by their markup
    return not any(parent is root for parent in element.parents)


def _removed_text(element: Tag, base: str) -> str:
    """What a removal record quotes: the element's text, else the first URL it held."""
    text = visible_text(element)
    if text:
        return text
    for name in ("href", "src", "data-src"):
        found = element if element.get(name) else _first_with(element, name)
        if isinstance(found, Tag):
            value = attr(found, name)
            try:
                return urljoin(base, value) if base else value
            except ValueError:  # a malformed URL is still worth quoting as it was written
                return value
    return ""


def _first_with(root: Tag, name: str) -> Tag | None:
    """The first element under ``root`` carrying attribute ``name``.

    What ``root.find(attrs={name: True})`` returns, without bs4's filter machinery (it cost
    more than the walk).
    """
    for node in root.descendants:
        if isinstance(node, Tag) and node.attrs.get(name) is not None:
            return node
    return None


def parse_html(markup: str) -> BeautifulSoup:
    """Markup parsed the way the readers need it (lxml, as lenient as a browser).

    It is refused when nested deeper than :data:`MAX_HTML_DEPTH`.
    """
    soup = BeautifulSoup(markup, "lxml")
    check_depth(soup)
    return soup


def check_depth(root: Tag, limit: int = MAX_HTML_DEPTH) -> None:
    """Refuse a tree nested deeper than ``limit`` elements (measured without recursion)."""
    depth: dict[int, int] = {id(root): 0}
    for element in root.descendants:
        if isinstance(element, Tag) and element.parent is not None:
            level = depth.get(id(element.parent), 0) + 1
            if level > limit:
                raise ConversionError(
                    f"HTML nested more than {limit} elements deep (at a <{element.name}>; "
                    f"the limit is {limit}, real posts nest at most about 20)"
                )
            depth[id(element)] = level
