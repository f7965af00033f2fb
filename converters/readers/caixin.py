"""Reader for format B: Caixin Weekly articles as the aggregator Nei.st distributes them.

A post is Jekyll front matter (``title``, ``date`` with its offset, ``from`` = the article's
URL on nei.st, ``author: Nei.st``) wrapping the WordPress HTML of the page: an
``<article>`` whose ``.entry-content`` holds the dek (``p.blog-post__description``), the
paragraphs, ``<h2>``/``<h3>`` subheadings, image containers with captions and credits, and
much of the distributor's machinery: font preloads, ad slots, a paywall block, "Related"
lists, promotional cards and the category footer. The machinery is removed and recorded; the
front matter's ``author`` names the distributor, not the writer, and is kept as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from ..common.validate import is_http_url, url_problem
from ..common.yamlsafe import YamlRefused, load_yaml
from ..model import (
    Article,
    Block,
    ConversionError,
    Figure,
    Heading,
    Inline,
    LineBreak,
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
    is_under,
    paragraph_inlines,
    parse_html,
    remove_boilerplate,
    select,
    select_one,
    squash,
    visible_text,
    walk_blocks,
)

FORMAT = "caixin"

#: The edition's language tag for these articles (simplified-script Chinese).
LANGUAGE = "zh-Hans"

#: Relative links and images of the page resolve against the distributor's site.
BASE_URL = "https://nei.st"

#: Jekyll front matter at the very start of the file.
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<yaml>.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.S)

#: What makes a text this format: front matter whose ``from`` is a nei.st URL, and the
#: WordPress ``<article>`` of the Caixin category.
SNIFF_FROM = re.compile(r"^from:\s*[\"']?https?://(?:www\.)?nei\.st/", re.M)
#: The ``<article`` tag and the class naming the category, looked for apart
#: (:func:`has_caixin_article`): as one pattern, ``<article\b[^>]*\bclass="…``, every
#: ``<article`` of a tag left open ran to the same ``>`` (or the end) again: quadratic.
ARTICLE_TAG = re.compile(r"<article\b[^>]*", re.I)
CAIXIN_CLASS = re.compile(r"\bclass=\"[^\"]*\bcategory-caixin\b", re.I)

#: Where the page keeps its parts.
ENTRY_SELECTOR = ".entry-content"
ARTICLE_SELECTOR = "article"
DEK_SELECTOR = "[class*='blog-post__description']"
#: The footer category link states the publication (``Caixin Weekly``); pages without that
#: footer state it in their tag link or byline instead.
PUBLISHER_SELECTORS: tuple[str, ...] = (
    "footer.entry-footer .categories a[rel~='category']",
    ".article-page--tags a.tag",
    ".entry-meta .byline a.url",
)
#: A writer's card some pages carry: the name, then the date (``吴敬琏 Oct 14 · 2019``,
#: ``Richard N. Cooper in Caixin Weekly Nov 18 · 2019``). When the name is a publication's
#: (``财新 May 25 · 2017``) the card names no writer.
AUTHOR_CARD_SELECTOR = "div.fr"
#: The card's date, at the end of its text (white space around it stripped in Python: a
#: pattern beginning with ``\s*`` is tried from every space of a run, each try running to the
#: run's end).
CARD_DATE = re.compile(r"[A-Z][a-z]{2} \d{1,2}(?:st|nd|rd|th)?\s*·\s*\d{4}\Z")
#: The word ``in`` before a venue (``… in Caixin Weekly``), which ends the name when the venue
#: runs to the end of the card's last line (:func:`card_name`).
CARD_VENUE = re.compile(r"(?<=\s)in\s+(?=\S)")
PUBLICATION_NAMES: frozenset[str] = frozenset(
    {"财新", "财新网", "财新周刊", "Caixin", "Caixin Weekly"}
)

#: Text standing alone between the page's blocks that is only punctuation (a stray "、"
#: between two promotional blocks): debris of the page template, not prose.
STRAY_TEXT = re.compile(r"^[\W_]+$")

#: Containers of one or more images with their captions and credits.
FIGURE_CLASS = "img"
FIGURE_CELL_SELECTOR = "[class*='grid-col']"
CAPTION_SELECTOR = ".aesop-cap-description"
CREDIT_SELECTOR = ".aesop-cap-cred"
#: Section titles of multi-part articles (a ``page-title`` block other than the article's).
SECTION_TITLE_CLASS = "page-title"

#: The issue code at the start of the URL's last segment (``cw914`` = Caixin Weekly no. 914).
ISSUE_CODE = re.compile(r"^(?P<code>cw\d+)-?(?P<rest>.*)$")
#: How much of the rest of the segment the slug keeps: enough to tell an issue's articles
#: apart, short enough to read.
SLUG_REST_LENGTH = 8
#: Without an issue code, the slug keeps this much of the segment.
SLUG_PLAIN_LENGTH = 16

#: The distributor's machinery, removed and recorded, in this order (outer blocks first, so
#: a paywall's image never becomes a figure): (kind, CSS selector, reason).
BOILERPLATE: tuple[tuple[str, str, str], ...] = (
    ("font-preload", "link",
     "font preload of the distributor's page; not text"),
    ("ad", "div.code-block, [class*='ads_']",
     "advertisement slot of the distributor's page"),
    ("paywall", ".aesop-content-comp-wrap:has([class*='BarrierFailsafe'])",
     "the distributor's paywall notice where the free preview ends; not part of the article"),
    ("paywall", "div.container:has(> [class*='BarrierFailsafe']), [class*='BarrierFailsafe']",
     "the distributor's paywall notice where the free preview ends; not part of the article"),
    ("paywall", ".bqdn, .dndo, .hide_n, .paywall-inline-tout",
     "the distributor's end-of-preview notice; not part of the article"),
    ("related", "section.collection, .article-page--related, .streamItem--heading, "
                ".streamItem--section, section.nopqrstu, .jgG9YY6ITETnf_0W9g",
     "the distributor's list of other articles ('Related'); not part of this article"),
    ("promo", ".qyoLgsBMfk2RyP6PZqEQUQ, div.container.ag.ah, section.wxyz, "
              "section.single-story-module, section.globalFooterCards",
     "the distributor's promotion of its other publications; not part of the article"),
    ("byline-card", "div.fr, .entry-meta",
     "the distributor's card naming the publication and a date; not article text"),
    ("page-chrome", ".article-page--scroll_button-container, .fullscreen_dek_below, "
                    ".article-page--tags",
     "navigation and decoration of the distributor's page (scroll button, 404 art, tag link)"),
    ("category-footer", "footer.entry-footer",
     "the distributor's category link under the article (the publication it names is kept "
     "as the publisher)"),
)


def sniff(text: str) -> bool:
    """Whether a text is a Nei.st post of a Caixin article (front matter + WordPress page)."""
    front = FRONT_MATTER.match(text)
    return (
        front is not None
        and SNIFF_FROM.search(front.group("yaml")) is not None
        and has_caixin_article(text)
    )


def has_caixin_article(text: str) -> bool:
    """Whether an ``<article>`` tag of the text has the ``category-caixin`` class.

    The class attribute must start inside the tag (before its ``>``); its value is read up to
    its closing quote.
    """
    found: re.Match[str] | None = None  # the first class at or after the tag looked at
    for tag in ARTICLE_TAG.finditer(text):
        # every later "<article" inside this tag sees the same ">", so one try per tag is
        # enough; and the class found for one tag stands for the next ones until passed
        if found is None or found.start() < tag.start():
            found = CAIXIN_CLASS.search(text, tag.start())
            if found is None:
                return False
        if found.start() < tag.end():
            return True
    return False


def read(source: Source) -> list[Article]:
    """The one article of a Nei.st Caixin post."""
    front, body_start = _front_matter(source.text)
    source_url = front.get("from", "")
    if not source_url:
        raise ConversionError("front matter has no 'from:' URL")
    if url_problem(source_url):
        raise ConversionError(
            f"front matter 'from:' {source_url[:60]!r}: {url_problem(source_url)}"
        )
    root = parse_html(source.text[body_start:])
    page = select_one(root, ARTICLE_SELECTOR)
    if page is None:
        page = body_of(root)
    if page is None:
        raise ConversionError("no HTML after the front matter (truncated post?)")
    entry = select_one(page, ENTRY_SELECTOR)
    if entry is None:
        raise ConversionError("no .entry-content in the page (truncated post?)")

    meta = Metadata(
        title=squash(front.get("title", "")),
        language=[LANGUAGE],
        source_url=source_url,
        publisher=_publisher(page),
        extra={"distributor": front["author"]} if front.get("author") else {},
    )
    meta.date, meta.date_precision = _date(front.get("date", ""))
    if not meta.title:
        heading = select_one(page, "h1")
        meta.title = visible_text(heading) if heading is not None else ""
    if not meta.title:
        raise ConversionError("no title in the front matter or the page")

    meta.authors = _card_authors(page)
    # the stray texts are taken before the boilerplate: taking an element out hands the text
    # after it to its neighbour, which would join a stray "、" to the text beside it
    stray = _remove_stray_text(entry)
    removed = remove_boilerplate(page, BOILERPLATE, BASE_URL)
    if not is_under(entry, page):  # the content was inside a boilerplate block: nothing left
        raise ConversionError("no paragraph in the article body (truncated HTML?)")
    removed.extend(stray)
    dek = select_one(entry, DEK_SELECTOR)
    if dek is not None:
        meta.subtitle = visible_text(dek)
        drop(dek)
    blocks = walk_blocks(entry, BASE_URL, _Hooks(meta).block)
    if not any(isinstance(block, Paragraph) for block in blocks):
        raise ConversionError("no paragraph in the article body (truncated HTML?)")
    meta.image_credits = list(
        dict.fromkeys(
            plain_text(b.credit) for b in blocks if isinstance(b, Figure) and b.credit
        )
    )
    return [Article(slug=slug_from_url(source_url), meta=meta, blocks=blocks, removed=removed)]


def slug_from_url(url: str) -> str:
    """The article's slug, from the last segment of its nei.st URL.

    ``caixin-`` + the issue code + the first 8 characters of the rest of the segment
    (``cw914-tiktokaee9v8s1…`` → ``caixin-cw914-tiktokae``); a segment without an issue code
    keeps its first 16 characters. Lowercase ascii, hyphens for anything else.
    """
    segments = [s for s in urlsplit(url).path.split("/") if s]
    last = segments[-1].lower() if segments else ""
    issue = ISSUE_CODE.match(last)
    if issue:
        rest = issue.group("rest")[:SLUG_REST_LENGTH]
        raw = f"{issue.group('code')}-{rest}" if rest else issue.group("code")
    else:
        raw = last[:SLUG_PLAIN_LENGTH]
    slug = re.sub(r"[^a-z0-9]+", "-", raw).strip("-")
    if not slug:
        raise ConversionError(f"no slug in the source URL {url!r}")
    return f"caixin-{slug}"


def _front_matter(text: str) -> tuple[dict[str, str], int]:
    """The front matter's fields, and where the page after it starts.

    Every value is the string it is written as.
    """
    match = FRONT_MATTER.match(text)
    if match is None:
        raise ConversionError("no front matter ('---' block) at the start")
    try:
        # every scalar kept a string: the date stays as written, offset included; a key given
        # twice is refused (the sniff reads the first 'from:', YAML would keep the last)
        data = load_yaml(match.group("yaml"), first_line=2, strings=True)
    except YamlRefused as exc:
        raise ConversionError(f"line {exc.line}: front matter refused: {exc.reason}") from None
    if not isinstance(data, dict):
        raise ConversionError("front matter is not a mapping of fields")
    fields = {str(k): v.strip() for k, v in data.items() if isinstance(v, str)}
    return fields, match.end()


#: A front-matter date: ISO 8601 with seconds and, usually, the offset it was written with.
FRONT_MATTER_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?P<second>:\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$"
)


def _date(value: str) -> tuple[str, str]:
    """The publication date as written (offset kept) and its precision."""
    match = FRONT_MATTER_DATE.match(value)
    if match is None:
        return "", ""
    return value, "second" if match.group("second") else "minute"


def _publisher(page: Element) -> str:
    """The publication the page names in its category link (or tag link, or byline)."""
    for selector in PUBLISHER_SELECTORS:  # the selectors' order decides
        for link in select(page, selector):
            name = visible_text(link)
            if name:
                return name
    return ""


def _card_authors(page: Element) -> list[str]:
    """The writer a page's author card names (none when it names only the publication)."""
    names: list[str] = []
    for card in select(page, AUTHOR_CARD_SELECTOR):
        name = card_name(visible_text(card))
        if name and name not in PUBLICATION_NAMES and name not in names:
            names.append(name)
    return names


def card_name(text: str) -> str:
    """The name on a writer's card: its text without the date at the end, nor the venue."""
    trimmed = text.rstrip()
    date = CARD_DATE.search(trimmed)
    if date is not None:
        text = trimmed[: date.start()].rstrip()
    # the venue runs from the first " in " whose next word starts on the text's last line (or
    # on the line before a final line break) to the end of that line
    last_break = text.rfind("\n", 0, len(text) - 1)
    for venue in CARD_VENUE.finditer(text):
        if venue.end() > last_break:
            return text[: venue.start()].strip()
    return text.strip()


def _remove_stray_text(entry: Element) -> list[Removal]:
    """Take out punctuation left standing between the content's blocks, recording it."""
    removed: list[Removal] = []

    def stray(text: str | None) -> bool:
        if text is None or not STRAY_TEXT.match(text.strip()):
            return False
        removed.append(Removal(kind="page-debris", text=text.strip(),
                               reason="punctuation standing alone between the page's "
                                      "blocks, debris of its template"))
        return True

    # the texts directly in the content: its .text and the tail of each child
    if stray(entry.text):
        entry.text = None
    for child in entry:
        if stray(child.tail):
            child.tail = None
    return removed


class _Hooks:
    """The Caixin-specific block rules: figures, duplicated headers, section titles."""

    def __init__(self, meta: Metadata) -> None:
        self.meta = meta

    def block(self, element: Element) -> list[Block] | None:
        """The blocks of one block element, or None for the generic rules."""
        classes = attr(element, "class").split()
        if element.tag == "h1" and visible_text(element) == self.meta.title:
            return []  # the page header repeated inside the content
        if (any("blog-post__description" in c for c in classes)
                and visible_text(element) == self.meta.subtitle):
            return []  # the dek repeated in a hero header
        if FIGURE_CLASS in classes or element.tag in ("figure", "img"):
            return _figures(element)
        if (SECTION_TITLE_CLASS in classes
                and next(element.iterdescendants("p", "div", "h1", "h2"), None) is None):
            inlines = paragraph_inlines(content(element), BASE_URL)
            if not inlines or visible_text(element) == self.meta.title:
                return []
            return [Heading(level=2, inlines=inlines)]
        return None


def _figures(container: Element) -> list[Block]:
    """The figures of an image container: one per image, caption and credit on the first."""
    cells = select(container, FIGURE_CELL_SELECTOR) or [container]
    figures: list[Block] = []
    for cell in cells:
        credit_elements = select(cell, CREDIT_SELECTOR)
        credit = "; ".join(t for t in (visible_text(c) for c in credit_elements) if t)
        for element in credit_elements:
            drop(element)
        captions = select(cell, CAPTION_SELECTOR)
        caption = _joined(captions) if captions else _joined([cell])
        found = [cell] if cell.tag == "img" else list(cell.iterdescendants("img"))
        images = [_image_url(img) for img in found]
        images = [url for url in images if url]
        alt = attr(found[0], "alt") if found else ""
        if not images and (caption or credit):
            images = [""]  # the image is gone, its caption stays
        for index, url in enumerate(images):
            if index == 0:
                figures.append(Figure(image=url, caption=caption,
                                      credit=[Text(credit)] if credit else [], alt=alt))
            else:
                figures.append(Figure(image=url, caption=[]))
    return figures


def _joined(elements: Iterable[Element]) -> list[Inline]:
    """The text of some elements as one caption, their blocks separated by line breaks."""
    inlines: list[Inline] = []
    for element in elements:
        for block in walk_blocks(element, BASE_URL):
            runs = [block.inlines] if isinstance(block, (Paragraph, Heading)) else []
            for run in runs:
                if inlines:
                    inlines.append(LineBreak())
                inlines.extend(run)
    if not plain_text(inlines).strip():
        return []
    return inlines


def _image_url(image: Element) -> str:
    """An image's address: the full-size one when the page gives it, made absolute."""
    holder = next((figure for figure in image.iterancestors("figure")
                   if figure.get("data-href") is not None), None)
    for value in (
        attr(holder, "data-href") if holder is not None else "",
        attr(image, "data-src"),
        attr(image, "src"),
    ):
        if value and not value.startswith("data:"):
            try:
                url = urljoin(BASE_URL + "/", value)
            except ValueError:  # malformed (an unbalanced IPv6 bracket): no image
                return ""
            # only a web image is kept (javascript:, file:… keep the caption as text)
            return url if is_http_url(url) else ""
    return ""
