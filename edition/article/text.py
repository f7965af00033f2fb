"""Shared helpers for article text: front-matter values as text, dates and languages in words.

Cards, the header, the citation and the book all present an article's front matter in words;
what a value, a date, a language or a summary looks like is decided here, once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes

from converters.common.dates import format_date
from converters.common.markup import escape_literal, without_inline_markup
from converters.common.values import as_list

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

#: The role of the editors' ``authors`` whose names wrote the work the text translates or
#: adapts, not its words (the editorial data's ``role``).
ORIGINAL_AUTHOR = "original-author"
#: What a byline says before the names of an original's authors.
ORIGINAL_BY = "from a work by"

#: How long a summary on a card may get before it is cut.
SUMMARY_LENGTH = 140

#: The front-matter key naming the site that distributed the source (the Caixin reader's).
DISTRIBUTOR = "distributor"
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


def field_text(front_matter: dict[str, Any], key: str) -> str:
    """A front-matter value as a string (``""`` when absent or empty)."""
    return str(front_matter.get(key) or "")


def main_language(front_matter: dict[str, Any]) -> str:
    """The article's main language (the first listed), or ``""``."""
    languages = as_list(front_matter.get("language"))
    return languages[0] if languages else ""


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


def summary(front_matter: dict[str, Any], lead: str) -> str:
    """One line to present an article: its dek (subtitle) if it has one, else its first sentence.

    ``lead`` is the plain text of the article's first paragraph (see :mod:`edition.article.teaser`).
    """
    subtitle = field_text(front_matter, "subtitle").strip()
    if subtitle:
        return subtitle
    return first_sentence(lead)


def authors_byline(front_matter: dict[str, Any]) -> str:
    """The authors as a byline names them: bracketed when supplied, an original's marked so.

    Names the editors supply are in square brackets; names they give as the author of the
    work the text translates or adapts follow "from a work by".
    """
    names = ", ".join(as_list(front_matter.get("authors")))
    entry = next((e for e in front_matter.get("editorial") or []
                  if isinstance(e, dict) and e.get("field") == "authors"), None)
    if not names or entry is None:
        return names
    if str(entry.get("role") or "") == ORIGINAL_AUTHOR:
        return f"{ORIGINAL_BY} [{names}]"
    return f"[{names}]"


def byline(front_matter: dict[str, Any]) -> str:
    """Author, date, language, publisher and source site on one line, for a card.

    Values the editors supplied are in square brackets, as in the article header; the date is
    given to the day at most (the header has the time).
    """
    supplied = {
        str(entry.get("field")): entry
        for entry in front_matter.get("editorial") or [] if isinstance(entry, dict)
    }

    def mark(field: str, text: str) -> str:
        return f"[{text}]" if text and field in supplied else text

    precision = field_text(front_matter, "date_precision")
    date = format_date(field_text(front_matter, "date"),
                       "day" if precision in ("minute", "second") else precision)
    host = urlsplit(field_text(front_matter, "source_url")).netloc.removeprefix("www.")
    parts = (
        authors_byline(front_matter),
        mark("date", date),
        " / ".join(language_name(t) for t in as_list(front_matter.get("language"))),
        mark("publisher", field_text(front_matter, "publisher")),
        host,
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


def _stripped(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def posted_by(front: dict[str, Any]) -> str:
    """The distributor whose post dates the article (``""`` when the date is the source's own).

    A distributed text's date is the one its distributor's page gives (the Caixin reader takes
    it from the post's front matter); a date the editors supplied is theirs, not the post's.
    """
    editorial = {e.get("field") for e in front.get("editorial") or [] if isinstance(e, dict)}
    distributor = _stripped(front.get(DISTRIBUTOR))
    return distributor if distributor and _stripped(front.get("date")) and \
        "date" not in editorial else ""


def date_qualifier(front: dict[str, Any]) -> str:
    """What the article's date is when it is not the date of publication (``""`` otherwise)."""
    distributor = posted_by(front)
    if not distributor:
        return ""
    publication = _stripped(front.get("publisher")) or "the publication"
    return POSTED.format(distributor=distributor, publication=publication)
