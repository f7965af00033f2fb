"""Reader for format A: the New York Times Chinese edition (cn.nytimes.com) as a feed exports it.

A post is a feed-retrieval stamp ``<!--epoch ms-->``, a ``[title](url)`` line over ``------``,
then one line of HTML. Two generations of markup occur:

* newer (seed 000): ``<address>`` author, ``<time datetime>`` date, a lead ``<figure>`` whose
  ``<cite>`` is the image credit, body ``<p>`` in ``<section>``, inline ``<img>`` each followed
  by a ``<small>`` caption, and a ``<footer>`` (author's note, translator, English version);
* older (the 2020-21 corpus): Jekyll front matter first, ``<div><i>AUTHOR<br>DATE</i></div>``,
  ``<img>`` followed by ``<div><small>caption</small></div>``, the footer lines run together in
  the last ``<p>`` separated by ``<br>``.

Both end with the feed service's own footer (``获取更多RSS … feedx``), removed and recorded.
The footer lines of the article stay in the body as paragraphs; the translator, the column and
the English version's URL are also read from them into the metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from ..common.validate import XML_FORBIDDEN, is_http_url, url_problem
from ..model import (
    Article,
    Block,
    ConversionError,
    Figure,
    Link,
    Metadata,
    Paragraph,
    Removal,
    Source,
    Text,
    plain_text,
)
from ._html import (
    Element,
    attr,
    body_of,
    content,
    drop,
    paragraph_inlines,
    parse_html,
    remove_boilerplate,
    select,
    select_one,
    squash,
    visible_text,
    walk_blocks,
)

FORMAT = "nytimes"

#: The edition's language tag for this feed (simplified-script Chinese).
LANGUAGE = "zh-Hans"

#: The hosts of the source itself: the headline's link must be on one of them (any other
#: ``[title](url)`` line in a post is text, never the headline: it would spoof the source).
SOURCE_HOSTS: tuple[str, ...] = ("cn.nytimes.com", "m.cn.nytimes.com")
_SOURCE_HOST = "(?:" + "|".join(re.escape(host) for host in SOURCE_HOSTS) + ")"

#: What makes a text this format: the feed stamp, then a headline linking the source's own
#: host, then the ``------`` rule, on consecutive lines.
SNIFF_PATTERN = re.compile(
    r"^<!--\d{10,13}-->[ \t]*\r?\n"
    rf"\[[^\n]+\]\(https?://{_SOURCE_HOST}/[^\s)]*\)[ \t]*\r?\n"
    r"-{3,}[ \t]*$",
    re.M,
)

#: Jekyll front matter of the older exports (its ``title``/``from`` repeat the headline).
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*\r?\n", re.S)

#: When the feed fetched the post: milliseconds (13 digits) or seconds (10) since the epoch.
FEED_STAMP = re.compile(r"^<!--(?P<epoch>\d{10,13})-->[ \t]*$", re.M)

#: The headline line (linking the source's own host) and the rule under it; the HTML starts
#: after them.
HEADLINE = re.compile(
    rf"^\[(?P<title>[^\n]+)\]\((?P<url>https?://{_SOURCE_HOST}/[^\s)]*)\)[ \t]*\r?\n"
    r"-{3,}[ \t]*$",
    re.M,
)

#: A source date as the markup gives it: day, optionally minutes and seconds, no time zone.
SOURCE_DATE = re.compile(
    r"^(?P<day>\d{4}-\d{2}-\d{2})(?:[ T](?P<minute>\d{2}:\d{2})(?::(?P<second>\d{2}))?)?$"
)

#: Newer markup: the author and the date of publication.
BYLINE_SELECTOR = "address"
DATELINE_SELECTOR = "time[datetime]"

#: Older markup: ``<div><i>AUTHOR<br>DATE</i></div>``, the first italic run of the post.
LEGACY_BYLINE_SELECTOR = "div > i"

#: Credit of a figure (newer markup): ``<figure>…<figcaption><cite>NAME</cite>``.
CREDIT_SELECTOR = "cite"

#: How one byline separates several authors (the older export also repeats each name). The
#: white space around a separator goes with it, stripped in Python: a pattern taking it
#: (``\s*[,，]\s*``) is tried from every space of a long run, each try running to its end.
AUTHOR_SEPARATOR = re.compile(r"[,，、;；]")

#: Footer lines the metadata is read from (they stay in the body as well).
#: The translator's line is ``翻译：NAME``; the name is the rest of the line, stripped in
#: Python. (``翻译：(?P<name>\S.*?)\s*$`` tried ``\s*$`` after each character of the name:
#: quadratic in a run of spaces, 17.6 s for a 120 KB post of U+3000.)
TRANSLATOR_LABEL = re.compile(r"翻译\s*[：:]")
#: ``撰写“NAME”专栏``: the pattern matches at every ``撰写“``, up to the closing quote (or the
#: end), and only a named mention closed by ``”专栏`` counts (:func:`column_of`). Requiring the
#: ``”专栏`` in the pattern made each ``撰写“`` before a quote scan to it again: quadratic.
COLUMN_MENTION = re.compile(r"撰写“(?P<name>[^”]*)(?P<column>”专栏)?")
ENGLISH_VERSION_LINK = re.compile(r"英文版")

#: The publisher is the site the source URL is on. The URL is stated by the source itself,
#: and this is the name the site gives itself (its own footer signs translations
#: "翻译：纽约时报中文网"), so nothing is supposed.
SITE_NAMES: dict[str, str] = {
    "cn.nytimes.com": "纽约时报中文网",
    "m.cn.nytimes.com": "纽约时报中文网",
}

#: Boilerplate recognised by its text: (kind, start of the text, element, reason).
TEXT_BOILERPLATE: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    ("feed-footer", re.compile(r"^获取更多RSS"), "div",
     "the feed service's footer advertising its other feeds, not part of the article"),
    ("subscription-promo", re.compile(r"^（欢迎点击此处订阅NYT简报"), "p",
     "the site's newsletter subscription prompt placed above articles, not part of the text"),
)

#: Boilerplate recognised by selector: (kind, CSS selector, reason).
BOILERPLATE: tuple[tuple[str, str, str], ...] = (
    ("recommendation-widget", "[class*='trc_related_container']",
     "sponsored-content widget captured with the page, not part of the article"),
)

#: Separators boilerplate brings with it (the feed footer's ``<br><hr>``); alone they show
#: nothing, so they go with it.
SEPARATOR_TAGS = ("br", "hr")


def sniff(text: str) -> bool:
    """Whether a text is an NYT Chinese feed export (stamp, cn.nytimes.com headline, rule)."""
    return SNIFF_PATTERN.search(text) is not None


def read(source: Source) -> list[Article]:
    """The one article of an NYT Chinese feed export."""
    text = source.text
    headline = HEADLINE.search(text)
    if headline is None:
        raise ConversionError("no '[title](url)' headline over a '------' rule")
    title = squash(headline.group("title"))
    source_url = headline.group("url")
    if url_problem(source_url):
        raise ConversionError(f"headline URL {source_url[:60]!r}: {url_problem(source_url)}")
    slug = slug_from_url(source_url)
    root = body_of(parse_html(text[headline.end():]))
    if root is None:
        raise ConversionError("no HTML after the headline (truncated export?)")

    meta = Metadata(
        title=title,
        language=[LANGUAGE],
        publisher=SITE_NAMES.get(urlsplit(source_url).hostname or "", ""),
        source_url=source_url,
        retrieved=_retrieved(text[: headline.start()]),
    )
    _read_byline(root, meta)
    removed = _remove_boilerplate(root)
    _pair_images_with_captions(root)
    blocks = walk_blocks(root, hook=_figure_block)
    if not any(isinstance(block, Paragraph) for block in blocks):
        raise ConversionError("no paragraph in the article body (truncated HTML?)")
    meta.image_credits = _unique(
        plain_text(b.credit) for b in blocks if isinstance(b, Figure) and b.credit
    )
    _read_footer(blocks, meta)
    return [Article(slug=slug, meta=meta, blocks=blocks, removed=removed)]


def slug_from_url(url: str) -> str:
    """The article's slug: the last path segment of its URL, lowercase ascii with hyphens."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    last = segments[-1] if segments else ""
    last = re.sub(r"\.html?$", "", last.lower())
    slug = re.sub(r"[^a-z0-9]+", "-", last).strip("-")
    if not slug:
        raise ConversionError(f"no slug in the source URL {url!r}")
    return slug


def _retrieved(prelude: str) -> str:
    """When the feed fetched the post, as ISO 8601 UTC ('' when the stamp is missing)."""
    stamp = FEED_STAMP.search(prelude)
    if stamp is None:
        return ""
    epoch = int(stamp.group("epoch"))
    seconds = epoch / 1000 if len(stamp.group("epoch")) == 13 else epoch
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ConversionError(f"feed stamp {epoch} is not a time") from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _read_byline(root: Element, meta: Metadata) -> None:
    """Authors and date into the metadata; the byline markup leaves the body."""
    address = select_one(root, BYLINE_SELECTOR)
    dateline = select_one(root, DATELINE_SELECTOR)
    if address is not None or dateline is not None:
        if address is not None:
            meta.authors = split_authors(visible_text(address))
            drop(address)
        if dateline is not None:
            meta.date, meta.date_precision = parse_date(attr(dateline, "datetime"))
            drop(dateline)
        return
    for italic in select(root, LEGACY_BYLINE_SELECTOR)[:1]:
        lines = [squash(s) for s in _strings(italic) if squash(s)]
        if lines and SOURCE_DATE.match(lines[-1]):
            meta.date, meta.date_precision = parse_date(lines[-1])
            meta.authors = split_authors(" ".join(lines[:-1]))
            holder = italic.getparent()
            # the byline's own <div> goes with it, unless it holds anything else
            if holder is not None and visible_text(holder) == visible_text(italic):
                drop(holder)
            else:
                drop(italic)


#: Elements whose own text bs4 kept as strings of another kind (never text of a byline).
_NOT_TEXT: frozenset[str] = frozenset({"script", "style", "template"})


def _strings(element: Element) -> list[str]:
    """The text nodes inside an element, in order (comments' text left out)."""
    strings: list[str] = []
    for node in element.iter():
        if node is not element and node.tail:
            strings.append(node.tail)
        if node.tag not in _NOT_TEXT and isinstance(node.tag, str) and node.text:
            strings.append(node.text)
    return strings


def split_authors(byline: str) -> list[str]:
    """The names of a byline, in order, each once."""
    pieces = AUTHOR_SEPARATOR.split(squash(byline))
    # the white space on each side of a separator belongs to the separator
    names = [piece.lstrip() if index else piece for index, piece in enumerate(pieces)]
    names[:-1] = [name.rstrip() for name in names[:-1]]
    return _unique(name for name in names if name)


def translator_of(line: str) -> str:
    """The translator a footer line names (``翻译：NAME``), or ''."""
    line = line.strip()
    label = TRANSLATOR_LABEL.match(line)
    return line[label.end():].strip() if label else ""


def column_of(text: str) -> str:
    """The column a footer names (``撰写“NAME”专栏``), or ''."""
    for mention in COLUMN_MENTION.finditer(text):
        if mention.group("name") and mention.group("column"):
            return mention.group("name")
    return ""


def parse_date(value: str) -> tuple[str, str]:
    """A source date as ISO 8601 and its precision; no time zone is added (none is stated)."""
    match = SOURCE_DATE.match(squash(value))
    if match is None:
        return "", ""
    if match.group("second"):
        return f"{match['day']}T{match['minute']}:{match['second']}", "second"
    if match.group("minute"):
        return f"{match['day']}T{match['minute']}", "minute"
    return match["day"], "day"


def _remove_boilerplate(root: Element) -> list[Removal]:
    """Take out the feed's and the site's boilerplate, recording each removal."""
    removed: list[Removal] = []
    for kind, pattern, name, reason in TEXT_BOILERPLATE:
        found = [el for el in root.iterdescendants(name) if pattern.match(visible_text(el))]
        # a wrapper whose text starts the same way is not the boilerplate: keep the innermost
        # (the elements themselves are held, so their proxies keep their identity)
        inside = {parent for el in found for parent in el.iterancestors()}
        innermost = [el for el in found if el not in inside]
        for element in innermost:
            removed.append(Removal(kind=kind, text=visible_text(element), reason=reason))
            _drop_separators_before(element)
            drop(element)
    removed.extend(remove_boilerplate(root, BOILERPLATE))
    return removed


def _drop_separators_before(element: Element) -> None:
    """Remove the ``<br><hr>`` right before a piece of boilerplate (the feed footer's).

    Blank text and blank comments between them are stepped over (comments were strings in
    bs4's tree); anything else ends the run.
    """
    node = element
    while True:
        sibling = node.getprevious()
        parent = node.getparent()
        before = sibling.tail if sibling is not None else (
            parent.text if parent is not None else None)
        if before and before.strip():
            return
        if sibling is None:
            return
        if not isinstance(sibling.tag, str):
            if (sibling.text or "").strip():
                return
            node = sibling
        elif sibling.tag in SEPARATOR_TAGS:
            drop(sibling)
        else:
            return


def _pair_images_with_captions(root: Element) -> None:
    """Wrap each inline image and the ``<small>`` caption right after it in a ``<figure>``.

    Image and caption so become one figure wherever they sit (in a ``<p>`` or not). The text
    between and after them stays outside the figure, after it (lxml moves an element with its
    tail, so the tails are handed over first).
    """
    for image in list(root.iterdescendants("img")):
        if next(image.iterancestors("figure"), None) is not None:
            continue
        caption = _caption_after(image)
        if XML_FORBIDDEN.search((image.tail or "") + ("" if caption is None
                                                      else caption.tail or "")):
            # lxml refuses to set a text holding a character XML forbids: the image stays
            # where it is, and the pipeline removes (and records) the character later
            continue
        figure = image.makeelement("figure", {})
        outside = [image.tail or ""]
        image.tail = None
        if caption is not None:
            outside.append(caption.tail or "")
            caption.tail = None
        image.addprevious(figure)
        figure.append(image)
        if caption is not None:
            figure.append(caption)
        figure.tail = "".join(outside) or None


def _caption_after(image: Element) -> Element | None:
    """The caption following an image: ``<small>``, or a ``<div>`` holding only one.

    Blank text and blank comments before it are stepped over (comments were strings in bs4's
    tree).
    """
    node = image
    while True:
        if (node.tail or "").strip():
            return None
        sibling = node.getnext()
        if sibling is None:
            return None
        if isinstance(sibling.tag, str):
            break
        if (sibling.text or "").strip():
            return None  # a comment with words is no blank to step over
        node = sibling
    if sibling.tag == "small":
        return sibling
    shown = _shown_children(sibling)
    if (sibling.tag == "div" and len(shown) == 1 and not isinstance(shown[0], str)
            and shown[0].tag == "small"):
        return sibling
    return None


def _shown_children(element: Element) -> list[Element | str]:
    """An element's children but blank text and blank comments (bs4's non-blank contents)."""
    shown: list[Element | str] = []
    if (element.text or "").strip():
        shown.append(element.text)
    for child in element:
        if isinstance(child.tag, str) or (child.text or "").strip():
            shown.append(child)
        if (child.tail or "").strip():
            shown.append(child.tail)
    return shown


def _figure_block(element: Element) -> list[Block] | None:
    """A ``<figure>`` as a model figure: image, caption, credit (from ``<cite>``)."""
    if element.tag != "figure":
        return None
    image = next(element.iterdescendants("img"), None)
    url = attr(image, "src") if image is not None else ""
    if url and not is_http_url(url):
        url = ""  # not a web image (data:, javascript:…): the caption stays, as text
    alt = attr(image, "alt") if image is not None else ""
    credits = [visible_text(cite) for cite in select(element, CREDIT_SELECTOR)]
    for cite in select(element, CREDIT_SELECTOR):
        drop(cite)
    caption = paragraph_inlines(content(element))
    credit = "; ".join(c for c in credits if c)
    if not (url or caption or credit):
        return []
    return [Figure(image=url, caption=caption, credit=[Text(credit)] if credit else [], alt=alt)]


def _read_footer(blocks: list[Block], meta: Metadata) -> None:
    """Translator, column and English version from the article's closing lines."""
    paragraphs = [b for b in reversed(blocks) if isinstance(b, Paragraph)]
    for paragraph in paragraphs:
        text = plain_text(paragraph.inlines)
        if not meta.translator:
            meta.translator = next(
                (name for name in map(translator_of, text.split("\n")) if name), "")
        if not meta.column:
            meta.column = column_of(text)
        if not meta.original_url:
            for link in _links(paragraph):
                if ENGLISH_VERSION_LINK.search(plain_text(link.children)) and is_http_url(
                        link.url):
                    meta.original_url = link.url
                    break


def _links(paragraph: Paragraph) -> list[Link]:
    """The links of a paragraph, nested ones included."""
    found: list[Link] = []
    # depth-first in document order without recursion: a stack holding the nodes reversed
    stack = list(reversed(paragraph.inlines))
    while stack:
        node = stack.pop()
        if isinstance(node, Link):
            found.append(node)
        children = getattr(node, "children", None)
        if children:
            stack.extend(reversed(children))
    return found


def _unique(values: Iterable[str]) -> list[str]:
    """Strings in first-seen order, each once."""
    return list(dict.fromkeys(values))
