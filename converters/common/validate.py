"""Values that leave the converters for a page, a link or LaTeX: what each may be.

A URL becomes a link a reader clicks and a language tag goes into ``<html lang="…">`` and into
LaTeX, so both are checked against what the edition allows, not merely escaped: a URL must be
absolute ``http``/``https`` with a host, and a language one of :data:`LANGUAGE_TAGS`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: Characters XML 1.0 forbids (C0 controls but tab and line ends, lone surrogates, U+FFFE/F):
#: a source may carry them (``&#1;``) and a page may be typed with them; an EPUB's XHTML must
#: not hold them. The converters remove them (recorded), the extension removes them (warned).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: The only schemes a URL of the edition may have (``javascript:``, ``data:``, ``file:`` … run
#: script or read files when clicked).
HTTP_SCHEMES: frozenset[str] = frozenset({"http", "https"})

#: BCP 47 tags the edition accepts, in their canonical spelling: the languages of the sources
#: (English, Chinese in either script or region) and a few neighbours a new source may bring.
#: A tag outside the list is refused rather than passed on; add it here when a source needs it.
LANGUAGE_TAGS: frozenset[str] = frozenset({
    "en", "en-GB", "en-US",
    "zh", "zh-Hans", "zh-Hant", "zh-CN", "zh-TW", "zh-HK", "zh-SG", "zh-MO",
    "zh-Hans-CN", "zh-Hans-SG", "zh-Hant-TW", "zh-Hant-HK", "zh-Hant-MO",
    "ja", "ko", "fr", "de", "es", "ru",
})

#: Characters that never belong in a URL written into a page (they end an attribute or a
#: Markdown autolink, or hide what the link is).
URL_FORBIDDEN = frozenset(' \t\n\r\f\v"<>\\`{}|^')
#: Any character a URL may not hold: those above, C0 controls and DEL (one search, not a loop).
_URL_FORBIDDEN_CHAR = re.compile(
    "[" + re.escape("".join(sorted(URL_FORBIDDEN))) + "\x00-\x1f\x7f]")


def is_http_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host and nothing that breaks out."""
    if not value or _URL_FORBIDDEN_CHAR.search(value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - a malformed port raises here
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)


def url_problem(value: str) -> str:
    """Why a URL is refused ('' when it is fine), for one-line messages."""
    if is_http_url(value):
        return ""
    scheme = value.split(":", 1)[0].strip().lower() if ":" in value else ""
    if scheme and scheme.isalpha() and scheme not in HTTP_SCHEMES:
        return f"scheme '{scheme}:' is not allowed (only http and https)"
    return "is not an http(s) URL (absolute, with a host)"


def canonical_language(tag: str) -> str | None:
    """The allow-listed spelling of a BCP 47 tag (case-insensitive), or None if not allowed."""
    return _BY_FOLDED.get(tag.strip().lower()) if isinstance(tag, str) else None


def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is exactly one of :data:`LANGUAGE_TAGS`."""
    return tag in LANGUAGE_TAGS


def language_problem(tag: object) -> str:
    """Why a language tag is refused ('' when it is fine), for one-line messages."""
    if isinstance(tag, str) and tag in LANGUAGE_TAGS:
        return ""
    if isinstance(tag, str) and canonical_language(tag):
        return f"language {tag!r} is written {canonical_language(tag)!r} in the edition"
    shown = repr(tag)[:40]
    return (f"language {shown} is not a BCP 47 tag of the edition's allow-list "
            f"({', '.join(sorted(LANGUAGE_TAGS))})")


_BY_FOLDED: dict[str, str] = {tag.lower(): tag for tag in LANGUAGE_TAGS}
