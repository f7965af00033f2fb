"""How every export writes a value from outside: BibTeX, RIS, CSV and JSON inside ``<script>``.

Titles, names and mention texts come from sources and pull requests, so each export format gets
one function that makes any text safe for it by construction: whatever the format would read as
syntax (a brace, a line break, a formula, ``</script>``) is spelled so that it cannot be, and
every file of the format is written through that function:

- BibTeX: :func:`bibtex_entry` writes through pybtex's own BibTeX writer; :func:`bibtex_text`
  first spells every brace, backslash and TeX-special character of the text as a LaTeX command,
  so the only braces in a value are the ones the edition puts there, balanced and in order.
- RIS: :func:`ris_text` writes each value on one line (:func:`one_line`).
- CSV: :func:`csv_text` writes every cell of every CSV file; a cell a spreadsheet would read as
  a formula is prefixed with ``'`` (:func:`csv_cell`), and the text starts with a byte order
  mark so that Excel reads it as UTF-8.
- JSON inside ``<script>``: :func:`json_for_script`, Jinja's ``htmlsafe_json_dumps``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from jinja2.utils import htmlsafe_json_dumps
from pybtex.database import BibliographyData, Entry, Person
from pybtex.database.output.bibtex import Writer

from edition.security.safety import is_web_url

# --------------------------------------------------------------------------- one line

#: Control characters (C0, DEL, C1): they mean nothing in a citation, and a terminal or a
#: reference manager may act on them; and lone surrogates, which no UTF-8 file can hold.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _control(match: re.Match[str]) -> str:
    # a control character that separates (tab, line breaks, NEL) still separates two words
    return " " if match.group().isspace() else ""


def one_line(text: str) -> str:
    """``text`` on one line: line breaks and white space runs one space, controls removed."""
    # str.split() splits at CR, LF, VT, FF, NEL, U+2028/U+2029 and every other white space, so
    # no line break of any kind survives the join.
    return " ".join(CONTROL_CHARACTERS.sub(_control, text).split())


# --------------------------------------------------------------------------- BibTeX

#: Characters that BibTeX or LaTeX read as syntax and that pybtex's writer passes through (its
#: latexcodec step encodes ``% # & _`` and treats the rest as LaTeX), each as a LaTeX command in
#: braces. BibTeX counts every brace, ``\{`` included, so a brace of the text is never written as
#: a brace: the only braces left are those of these commands, balanced and in order. ``~`` is
#: here too because BibTeX splits a name at a tie before pybtex's writer would encode it.
BIBTEX_COMMANDS: dict[str, str] = {
    "\\": r"{\textbackslash}",
    "{": r"{\textbraceleft}",
    "}": r"{\textbraceright}",
    "$": r"{\textdollar}",
    "^": r"{\textasciicircum}",
    "~": r"{\textasciitilde}",
}
_BIBTEX_TRANSLATION = str.maketrans(BIBTEX_COMMANDS)
#: Pairs TeX's fonts turn into one sign (``--`` an en dash, ````` a quotation mark, ``!``` ¡,
#: ``<<`` «): an empty group between the two keeps the characters the text has.
TEX_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=,)(?=,)|(?<=[!?])(?=`)"
                          r"|(?<=<)(?=<)|(?<=>)(?=>)")
#: What makes BibTeX split a name list (the word "and", in any case) or read a name as
#: "Family, Given" (a comma): such a name is written as one literal name in braces.
NAME_SEPARATOR = re.compile(r",|(?:^|\s)and(?:$|\s)", re.IGNORECASE)
#: Fields holding an address, which biblatex reads verbatim: written as they are, since
#: latexcodec would spell ``%``, ``_``, ``#``, ``&`` and ``~`` as LaTeX commands and break them.
VERBATIM_FIELDS = frozenset({"url"})


def bibtex_text(text: str) -> str:
    """``text`` as a BibTeX value holds it: one line, every brace and TeX special a command."""
    return TEX_LIGATURE.sub("{}", one_line(text).translate(_BIBTEX_TRANSLATION))


def bibtex_name(name: str, *, literal: bool = False) -> Person:
    """A name for a BibTeX name list; ``literal`` (or a comma or "and" in it) keeps it whole."""
    text = bibtex_text(name)
    if literal or NAME_SEPARATOR.search(text):
        # in braces, a name is one family name: neither split at "and" nor at a comma
        return Person(last="{" + text + "}")
    return Person(text)


def bibtex_url(url: str) -> str:
    """An http(s) address as a BibTeX ``url`` value (``""`` for any other address)."""
    # the edition's address check refuses braces, backslashes, quotation marks, white space
    # and controls: what it lets through is no BibTeX syntax
    return url if is_web_url(url) else ""


def braces_balanced(text: str) -> bool:
    """Whether no brace of ``text`` closes a group it did not open, and every group closes."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


class BibTeXWriter(Writer):
    """pybtex's BibTeX writer, with the addresses of :data:`VERBATIM_FIELDS` left as they are."""

    def _write_field(self, stream: Any, type: str, value: str) -> None:
        # the one method of pybtex's writer this class changes (``type`` is its name for the
        # field's name): an address goes out without its latexcodec step
        if type.lower() in VERBATIM_FIELDS:
            stream.write(f",\n    {type} = {self.quote(value)}")
        else:
            super()._write_field(stream, type, value)


def bibtex_entry(key: str, entry_type: str, fields: Sequence[tuple[str, str]],
                 persons: Sequence[tuple[str, Sequence[Person]]] = ()) -> str:
    """One BibTeX entry written by pybtex's writer; values made by the functions above."""
    values = list(fields)
    values += [(role, str(name)) for role, names in persons for name in names]
    for name, value in values:
        # a value that is not made of bibtex_text(), bibtex_url() and balanced braces of the
        # caller's own would be the caller's mistake: refuse it rather than write it
        if not braces_balanced(value):
            raise ValueError(f"BibTeX field {name!r}: unbalanced braces")
    entry = Entry(entry_type, fields=[(name, value) for name, value in fields if value],
                  persons={role: list(names) for role, names in persons if names})
    text: str = BibTeXWriter().to_string(BibliographyData({key: entry}))
    return text.strip()


# --------------------------------------------------------------------------- RIS

#: A RIS tag: two characters, a capital letter then a capital letter or a digit.
RIS_TAG = re.compile(r"[A-Z][A-Z0-9]")


def ris_text(record: Iterable[tuple[str, str]]) -> str:
    """A RIS record, one ``TAG  - value`` line each (CRLF), every value on one line."""
    lines = []
    for tag, value in record:
        if not RIS_TAG.fullmatch(tag):
            raise ValueError(f"not a RIS tag: {tag!r}")
        # a line break in a value would start a line of its own: "TY  - " opens a new record
        lines.append(f"{tag}  - {one_line(value)}".rstrip() + "\r\n")
    return "".join(lines)


# --------------------------------------------------------------------------- CSV

#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection):
#: ``=HYPERLINK(…)`` in a mention text would become a live link, ``@SUM(…)`` a computation.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A value as a CSV cell: text, with ``'`` before a first character that starts a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


#: The byte order mark every CSV file starts with: without it Excel reads a CSV file in the
#: system's legacy code page and shows Chinese as mojibake; Python reads it with ``utf-8-sig``.
CSV_BOM = "\ufeff"


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """CSV text as RFC 4180 has it (CRLF line ends) after a BOM, every cell through csv_cell."""
    out = io.StringIO()
    out.write(CSV_BOM)
    # The csv module quotes a cell holding a character of its line terminator: with "\n" alone,
    # a carriage return inside a cell would be written bare, and a reader would end the row there.
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


# --------------------------------------------------------------------------- JSON in <script>


def json_for_script(data: object) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``<``, ``>``, ``&``, ``'``)."""
    # htmlsafe_json_dumps (Jinja's tojson) writes those four as \u003c-style escapes: no
    # "</script>" or "<!--" can end or change the element, and the JSON still reads the same
    return str(htmlsafe_json_dumps(data, ensure_ascii=False, indent=1))


def json_for_browser(data: object) -> str:
    """Compact JSON for a script the browser runs (the search index).

    As safe inside HTML as :func:`json_for_script` (no ``<``, ``>``, ``&``, ``'``), without
    its indentation.
    """
    return str(htmlsafe_json_dumps(data, ensure_ascii=False, separators=(",", ":")))
