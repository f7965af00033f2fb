"""Reading the edition's exports back as their readers do: BibTeX, RIS and CSV.

The checks are written apart from the code under test: a BibTeX value is decoded by latexcodec
(plus the standard LaTeX text commands it does not know), a .bib file is read by the real
``bibtex`` program through a style that prints each entry's fields, and what a value should
become is spelled out here, not taken from ``edition.security.escaping``.
"""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
import pytest

#: LaTeX text commands that latexcodec does not decode, and the characters they print.
TEXT_COMMANDS: dict[str, str] = {
    "textbraceleft": "{", "textbraceright": "}", "textdollar": "$", "textasciicircum": "^",
}
_TEXT_COMMAND = re.compile(r"\\(" + "|".join(TEXT_COMMANDS) + r")(?![A-Za-z])")
#: Characters of the Unicode private use area standing in for those commands while latexcodec
#: decodes the rest.
_MARKS = {name: chr(0xE000 + number) for number, name in enumerate(TEXT_COMMANDS)}

#: First characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

#: Titles and names from strangers, each one a way to break out of a BibTeX value, a RIS line
#: or a LaTeX argument.
HOSTILE_TEXTS: dict[str, str] = {
    "entry injection": "X}}} @misc(evil, url={https://evil.example}) @comment(",
    "injection in parentheses": "X}) @misc(evil, url = \"https://evil.example\") @comment{",
    "close then open": "}{",
    "backslash": "\\",
    "LaTeX commands": r"\input{/etc/hostname}\write18{id}\textbf{x}\\ \{ \}",
    "percent": "100% sure % not a comment",
    "at sign": "@misc{evil, title={x}}",
    "hash and friends": "#1 & $x^2$ a_b ~ ^",
    "unbalanced open": "{{{ never closed",
    "unbalanced close": "closed }}} twice }",
    "ligatures": "a -- b --- c `` d '' e ,, f !` g ?` h << i >>",
    "quotation marks": "\"quoted\" and 'single'",
    "name separators": "Tom and Jerry, Jr. AND {x} and",
    "CJK": "TikTok、小红书和中国互联网「占领世界」梦想的破灭｛全角｝",
    "newlines": "first line\nTY  - JOUR\r\nER  - \r\n@misc(evil,\u2028x)\x85y",
    "control characters": "a\x00b\x1b[31mc\x7fd\x9be\x01f\ud800g",
    "very long": ("}{\\%#@ 长" * 400) + "{" * 300 + "}" * 299,
}


def expected_text(text: str) -> str:
    """What a one-line value of an export holds for ``text``.

    White space runs (line breaks included) are one space, other control characters and lone
    surrogates are gone.
    """
    kept = "".join(c if c.isspace() or unicodedata.category(c) not in ("Cc", "Cs") else ""
                   for c in text)
    return " ".join(kept.split())


def decode_bibtex(value: str) -> str:
    """The text a BibTeX value prints: its commands decoded, the grouping braces dropped."""
    # latexcodec leaves \textbraceleft and its like as they are: stand-ins first
    value = _TEXT_COMMAND.sub(lambda m: _MARKS[m.group(1)], value)
    text = codecs.decode(value, "ulatex")
    # every brace left groups (a literal brace of the text is a command): not text
    text = text.replace("{", "").replace("}", "")
    for name, mark in _MARKS.items():
        text = text.replace(mark, TEXT_COMMANDS[name])
    return " ".join(text.split())


def person_text(person: Any) -> str:
    """A pybtex ``Person`` read back as the name it was written from, decoded."""
    # BibTeX reads "First von Last" and "von Last, First" into the same parts, in this order
    parts = [*person.first_names, *person.middle_names, *person.prelast_names,
             *person.last_names, *person.lineage_names]
    return decode_bibtex(" ".join(parts))


# --------------------------------------------------------------------------- the bibtex program

#: A BibTeX style printing, for every entry (of any type), its key and type, its title and
#: ``url`` as stored and its number of authors, one line each.
FIELDS_STYLE = r"""
ENTRY { title author url } {} {}
FUNCTION {field.or.empty} { duplicate$ missing$ { pop$ "" } 'skip$ if$ }
FUNCTION {output.entry}
{ "\entry{" cite$ * "}{" * type$ * "}" * write$ newline$
  "\title{" title field.or.empty * "}" * write$ newline$
  "\authors{" author empty$ { "0" } { author num.names$ int.to.str$ } if$ * "}" * write$ newline$
  "\url{" url field.or.empty * "}" * write$ newline$
}
FUNCTION {online} { output.entry }
FUNCTION {misc} { output.entry }
FUNCTION {article} { output.entry }
FUNCTION {default.type} { output.entry }
READ
ITERATE {call.type$}
"""

_BBL_LINE = re.compile(r"^\\(entry|title|authors|url)\{(.*)\}$")


@dataclass
class BibTeXEntry:
    """One entry as the bibtex program read it."""

    key: str
    type: str
    title: str = ""
    authors: int = 0
    url: str = ""


def require_bibtex() -> str:
    """The path of the ``bibtex`` program (the test is skipped without it, failed on CI)."""
    path = shutil.which("bibtex")
    if path is None:
        message = "bibtex missing: run scripts/setup-system.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def read_with_bibtex(bib_files: list[Path], workdir: Path) -> tuple[list[BibTeXEntry], str]:
    """Every entry the bibtex program reads from ``bib_files`` (all cited), and its log."""
    workdir.mkdir(parents=True, exist_ok=True)
    names = []
    for number, path in enumerate(bib_files):
        shutil.copyfile(path, workdir / f"refs{number}.bib")
        names.append(f"refs{number}")
    (workdir / "fields.bst").write_text(FIELDS_STYLE, encoding="utf-8")
    (workdir / "main.aux").write_text(
        "\\citation{*}\n\\bibdata{" + ",".join(names) + "}\n\\bibstyle{fields}\n",
        encoding="utf-8")
    result = subprocess.run([require_bibtex(), "main"], cwd=workdir, capture_output=True,
                            text=True, check=False, timeout=120)
    log = result.stdout + (workdir / "main.blg").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log
    bbl = (workdir / "main.bbl").read_text(encoding="utf-8")
    # bibtex breaks a long output line at a space, continuing it after two spaces
    bbl = bbl.replace("\n  ", " ")
    entries: list[BibTeXEntry] = []
    for line in bbl.splitlines():
        match = _BBL_LINE.match(line)
        assert match is not None, line
        kind, value = match.groups()
        if kind == "entry":
            key, entry_type = value.split("}{")
            entries.append(BibTeXEntry(key, entry_type))
        elif kind == "authors":
            entries[-1].authors = int(value)
        else:
            setattr(entries[-1], kind, value)
    return entries, log
