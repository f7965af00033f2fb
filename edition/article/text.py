"""Shared helpers for article text: an article's record in words, dates and languages in words.

Cards, the header, the citation and the book all present an article's record in words; what a
byline, a date, a language or a summary looks like is decided here, once (what the editors
supplied, and in which role, the record itself says: :mod:`edition.article.record`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from docutils import nodes

from converters.common.dates import format_date
from converters.common.markup import escape_literal, without_inline_markup

if TYPE_CHECKING:
    from edition.article.record import ArticleMeta

#: Readable names of the BCP 47 tags the edition uses.
LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "zh": "Chinese",
    "zh-Hans": "Chinese (Simplified)",
    "zh-Hant": "Chinese (Traditional)",
}

#: Readable names of the kinds of removed material (the ``removed`` list of the front matter).
REMOVAL_NAMES: dict[str, str] = {
    "advertisement": "advertisement",
    "ad": "advertisement",
    "paywall": "paywall notice",
    "related": "related-articles list",
    "related-links": "related-articles list",
    "feed-footer": "feed footer",
    "author-bio": "author biography",
    "navigation": "navigation",
    "promo": "promotion",
    "category-footer": "category footer",
    "font-preload": "font loader",
}

#: What a byline says before the names of an original's authors.
ORIGINAL_BY = "from a work by"

#: How long a summary on a card may get before it is cut.
SUMMARY_LENGTH = 140

#: What the date of a distributed text is: the distributor's post, not the publication's.
POSTED = "posted by {distributor}, whose copy is the source; {publication}’s own date is not stated"

# The end of a sentence: Chinese full stops end one at once, Latin ones before a space.
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$)")
# MyST inline syntax a summary must shed: roles (text or explicit-title form) and footnotes.
# A link "[text](target)" keeps its text. The pattern matches from each "[" as far as the link
# goes, to the end of the text when it is not closed, and only a closed link is replaced
# (shown_text): "\[([^\]]*)\]\([^)]*\)" ran from every "[" of an unclosed one to the same place.
_LINK = re.compile(r"\[(?P<text>[^\]]*)(?:\]\([^)]*(?P<closed>\))?)?")
_ESCAPED = re.compile(r"\\(.)")


def language_name(tag: str) -> str:
    """A BCP 47 tag in words, falling back to the tag itself."""
    return LANGUAGE_NAMES.get(tag, tag)


def shown_text(myst: str) -> str:
    """Running MyST text as a reader sees it: roles, footnote marks and escapes removed."""
    text = without_inline_markup(myst)
    text = _LINK.sub(lambda link: link["text"] if link["closed"] else link.group(), text)
    # Unescape in one pass so that an escaped backslash is not read as an escape again.
    return _ESCAPED.sub(r"\1", text).strip()


def first_sentence(text: str, limit: int = SUMMARY_LENGTH) -> str:
    """The first sentence of a text, cut with an ellipsis if it runs past ``limit`` characters."""
    match = _SENTENCE_END.search(text)
    sentence = text[: match.end()] if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rstrip() + "…"
    return sentence


def summary(meta: ArticleMeta, lead: str) -> str:
    """One line to present an article: its dek (subtitle) if it has one, else its first sentence.

    ``lead`` is the plain text of the article's first paragraph (see :mod:`edition.article.teaser`).
    """
    return meta.subtitle or first_sentence(lead)


def authors_byline(meta: ArticleMeta) -> str:
    """The authors as a byline names them: bracketed when supplied, an original's marked so.

    Names the editors supply are in square brackets; names they give as the author of the
    work the text translates or adapts follow "from a work by".
    """
    names = meta.bracketed("authors", ", ".join(meta.authors))
    return f"{ORIGINAL_BY} {names}" if names and meta.original_author_role else names


def day_date(meta: ArticleMeta) -> str:
    """The article's date in words, to the day at most (the header has the time)."""
    precision = meta.date_precision
    return format_date(meta.date, "day" if precision in ("minute", "second") else precision)


def byline(meta: ArticleMeta) -> str:
    """Author, date, language, publisher and source site on one line, for a card.

    Values the editors supplied are in square brackets, as in the article header; the date is
    given to the day at most (the header has the time).
    """
    parts = (
        authors_byline(meta),
        meta.bracketed("date", day_date(meta)),
        " / ".join(language_name(t) for t in meta.language),
        meta.bracketed("publisher", meta.publisher),
        urlsplit(meta.source_url).netloc.removeprefix("www."),
    )
    return " · ".join(part for part in parts if part)


def escape_myst(text: str) -> str:
    """Text that MyST renders literally (CommonMark: a backslash escapes any ASCII punctuation)."""
    return escape_literal(" ".join(text.split()))


def paragraph(*children: nodes.Node, classes: Iterable[str] = ()) -> nodes.paragraph:
    """A paragraph of the given inline nodes, with classes."""
    para = nodes.paragraph("", "", *children)
    para["classes"].extend(classes)
    return para


def source_link(url: str) -> nodes.reference:
    """A link to an address that shows the address itself."""
    return nodes.reference(url, url, refuri=url, classes=["article-source-link"])


def date_qualifier(meta: ArticleMeta) -> str:
    """What the article's date is when it is not the date of publication (``""`` otherwise)."""
    distributor = meta.posted_by
    if not distributor:
        return ""
    publication = meta.publisher or "the publication"
    return POSTED.format(distributor=distributor, publication=publication)
