"""What a page or data file may put into HTML, LaTeX or XML: the allow-lists and the checks.

Pure functions and data, no Sphinx: the extension's components call them wherever a value
from a source, a page or a data file is about to become an attribute, a link, a template value
or a LaTeX command argument.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: The language tags (BCP 47) the edition can name, typeset and mark up, in their usual case.
#: A tag outside this list never reaches ``<html lang>``, a ``lang`` attribute or LaTeX.
LANGUAGE_TAGS: tuple[str, ...] = (
    "en",
    "en-GB",
    "en-US",
    "zh",
    "zh-Hans",
    "zh-Hant",
    "zh-CN",
    "zh-HK",
    "zh-TW",
)

#: URL schemes a link taken from a source or data file may have.
WEB_SCHEMES: tuple[str, ...] = ("http", "https")

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF): one of them makes an EPUB's XHTML ill-formed.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# What may not appear anywhere in an address: white space and control characters.
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f]")

_BY_LOWER = {tag.lower(): tag for tag in LANGUAGE_TAGS}


def language_tag(value: object) -> str | None:
    """The allowed tag ``value`` names, in its usual case, or ``None`` if it is not allowed."""
    if not isinstance(value, str):
        return None
    return _BY_LOWER.get(value.strip().replace("_", "-").lower())


def is_web_url(value: object) -> bool:
    """Whether ``value`` is an absolute ``http``/``https`` address with a host, fit for a link."""
    if not isinstance(value, str) or not value or _URL_FORBIDDEN.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def xml_forbidden(text: str) -> list[str]:
    """The characters of ``text`` that XML forbids, as ``U+XXXX`` (in order, each once)."""
    found = dict.fromkeys(f"U+{ord(char):04X}" for char in _XML_FORBIDDEN.findall(text))
    return list(found)


def strip_xml_forbidden(text: str) -> str:
    """``text`` without the characters XML forbids."""
    return _XML_FORBIDDEN.sub("", text)
