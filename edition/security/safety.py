"""What a page or data file may put into HTML, LaTeX or XML: the allow-lists and the checks.

Pure functions and data, no Sphinx: the extension's components call them wherever a value
from a source, a page or a data file is about to become an attribute, a link, a template value
or a LaTeX command argument.
"""

from __future__ import annotations

from converters.common import validate

#: The language tags (BCP 47) the edition can name, typeset and mark up: the converters' list,
#: so that a page and its source are judged alike. A tag outside it never reaches
#: ``<html lang>``, a ``lang`` attribute or LaTeX.
LANGUAGE_TAGS: frozenset[str] = validate.LANGUAGE_TAGS


def language_tag(value: object) -> str | None:
    """The allowed tag ``value`` names, in its usual case, or ``None`` if it is not allowed."""
    if not isinstance(value, str):
        return None
    return validate.canonical_language(value.replace("_", "-"))


def class_language(name: str) -> str:
    """The tag a language class names, as the allow-list spells it (``""`` for any other).

    Docutils lower-cases class names (``language-zh-hant``); the tag is read back through the
    allow-list, so a class never gives a ``lang`` or ``xml:lang`` the edition does not know.
    """
    return language_tag(name) or ""


def is_web_url(value: object) -> bool:
    """Whether ``value`` is an absolute ``http``/``https`` address with a host, fit for a link."""
    return isinstance(value, str) and validate.is_http_url(value)


def xml_forbidden(text: str) -> list[str]:
    """The characters of ``text`` that XML forbids, as ``U+XXXX`` (in order, each once)."""
    found = dict.fromkeys(f"U+{ord(char):04X}" for char in validate.XML_FORBIDDEN.findall(text))
    return list(found)


def strip_xml_forbidden(text: str) -> str:
    """``text`` without the characters XML forbids."""
    return validate.XML_FORBIDDEN.sub("", text)
