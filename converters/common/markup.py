"""MyST as both halves read it: escaping, inline markup, labels and the extensions enabled.

The writer (:mod:`converters.myst`) escapes what it writes with these functions; the
extension and the editors' tools read labels and markup back with the same patterns.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

#: MyST inline syntax the writer produces that is not the text's words, for readers of pages
#: (:func:`without_inline_markup`): a role (``{ent}`shown <target>```, group ``content`` all
#: between the backticks; :func:`role_parts` reads the shown text out of it) and a footnote
#: reference (``[^label]``). Each pattern matches up to its closing character, or to where
#: one is missing: a try that fails there is not made again from every ``[^`` or space before
#: it (``([^`]*?)\s*<…>`` and ``\[\^[^\]]+\]`` were quadratic on a role or reference left open).
ROLE = re.compile(r"\{[\w:-]+\}`(?P<content>[^`]*)`")
FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]]*)(?P<closed>\])?")
#: A target line ``(label)=`` and a directive's ``:name:`` option line (group ``label``; a name
#: as Sphinx reads it, inner spaces included): the two ways a page defines a label. The label
#: ends at its last non-space character, found by a greedy ``.*`` (a lazy one tried the spaces
#: after each character again).
TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
NAME_OPTION = re.compile(r"^:name:\s*(?P<label>\S(?:.*\S)?)\s*$")

#: Link schemes that may become footnotes; anything else (``javascript:``, ``data:``) is dropped.
SAFE_SCHEMES: tuple[str, ...] = ("http://", "https://", "mailto:")

#: The MyST extensions the edition enables: docs/conf.py, the test roots and the checks that
#: parse pages as Sphinx does all take this list, so a page parses the same everywhere. Each
#: is syntax a page may use (converters/allowlist.py says which kind of page): ``:::``
#: fences, ``[text]{.class}`` spans (in the MyST the extension writes) and ``{{ name }}``.
#: Nothing else: maths (``dollarmath``) and HTML images or admonitions are never parsed.
MYST_EXTENSIONS: tuple[str, ...] = ("colon_fence", "attrs_inline", "substitution")

# ASCII punctuation that is syntax somewhere inside a line in CommonMark or in the MyST
# extensions we enable: emphasis (* _), code and roles (`), links and footnotes ([ ]), raw HTML
# and autolinks (< >), attributes and substitutions ({ }), math ($), tables (|), entities (&).
# A backslash escapes any ASCII punctuation in CommonMark, so escaping these is always safe.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>{}$|&])")

# What is syntax only at the start of a line: ATX headings, block quotes, list markers, thematic
# breaks and setext underlines, MyST comments (%), block breaks (+++), targets ((label)=),
# colon fences and field lists (:), tilde fences (~).
_LINE_START_SPECIAL = re.compile(r"^([#>\-+=%:~]|\((?=.*\)=))")
#: Every ASCII punctuation character: CommonMark lets a backslash escape each of them, so text
#: with all of them escaped is literal wherever it stands (generated headings, cards, lists).
ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# An ordered-list marker: digits followed by "." or ")" then a space or the end of the line.
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")

#: Characters kept as they are when a URL is percent-encoded for an autolink.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


#: White space holding a line break, from the start of its run (a try from inside a run of
#: spaces without a break would scan to its end again: quadratic).
_LINE_BREAK_SPACE = re.compile(r"(?<!\s)\s*\n\s*")


def role_parts(content: str) -> tuple[str, str | None]:
    """A role's shown text and target (None without one), from what its backticks enclose.

    The target is ``<…>`` at the very end, without angle brackets inside; neither it nor the
    white space before it is shown, nor white space at the end.
    """
    opening = content.rfind("<")
    if content.endswith(">") and opening >= 0 and ">" not in content[opening + 1 : -1]:
        return content[:opening].rstrip(), content[opening + 1 : -1]
    return content.rstrip(), None


def without_inline_markup(text: str) -> str:
    """MyST text with each role replaced by its shown text and footnote references removed."""
    text = ROLE.sub(lambda role: role_parts(role["content"])[0], text)
    # a reference left open, or empty, stays as it is
    return FOOTNOTE_REF.sub(
        lambda ref: "" if ref["label"] and ref["closed"] else ref.group(), text)


def escape(text: str) -> str:
    """Escape running text so that MyST renders exactly these characters and nothing else."""
    # Source newlines inside a paragraph are only layout; a paragraph is written on one line
    # so that no source line can start a block.
    text = _LINE_BREAK_SPACE.sub(" ", text)
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_literal(text: str) -> str:
    """Text that MyST renders literally anywhere in a line: every ASCII punctuation escaped."""
    return ASCII_PUNCTUATION.sub(r"\\\1", text)


def escape_line_start(line: str) -> str:
    """Escape what would start a block if it stood at the beginning of a line."""
    stripped = line.lstrip()
    # Leading spaces would make an indented code block (4+) or shift list nesting.
    line = stripped
    if _ORDERED_MARKER.match(line):
        return _ORDERED_MARKER.sub(r"\1\\\2", line, count=1)
    return _LINE_START_SPECIAL.sub(r"\\\1", line, count=1)


def option_value(text: str) -> str:
    """A directive option's value as a double-quoted scalar.

    No character of it (``"``, ``|``, ``#``, ``:``, a leading ``-`` or ``>``) is then read as
    option syntax and the directive never fails (a failing directive loses its ``:name:``
    too). Whitespace, line breaks included, becomes single spaces: an option is one line.
    """
    one_line = " ".join(text.split())
    # JSON's double-quoted strings are YAML's; the characters YAML also takes for line breaks
    # (NEL, LS, PS) and other invisible controls are escaped as well, which JSON leaves alone.
    quoted = json.dumps(one_line, ensure_ascii=False)
    return _OPTION_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


#: Characters written as ``\uXXXX`` inside a quoted option value (C0/C1 controls, separators).
_OPTION_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe_url(url: str) -> str:
    """Percent-encode a URL so it is one well-formed autolink (no spaces, no angle brackets)."""
    return quote(url.strip(), safe=_URL_SAFE)


def is_safe_link(url: str) -> bool:
    """Whether a link URL may be shown: http(s) and mailto only."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


#: An article's slug: lower-case ASCII words joined by hyphens. It names the article's page and
#: begins each of its labels, so it never holds a path separator, a dot or a space.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A block's label as :func:`assign_labels` gives it: the article's slug, the kind of block
#: (``p`` paragraph or list, ``s`` heading, ``f`` figure) and its number — with letters for a
#: paragraph added after the conversion (``-p8a``, converters/editing/anchors.py). A label is a slug
#: with a suffix, so whatever names a page or an anchor of the edition matches :data:`SLUG`.
BLOCK_LABEL = re.compile(
    rf"(?P<slug>{SLUG.pattern})-(?P<kind>[psf])(?P<number>[0-9]+)(?P<letters>[a-z]*)")
