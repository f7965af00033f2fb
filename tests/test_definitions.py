"""Concepts shared by the converters and the extension are defined once, and each name means one
thing: a second definition (a copied range of Han characters, a month list, a MyST extension
list, ROOT) is found here before it can drift from the first."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: The code that shares the concepts: the converters, the extension, the Sphinx configurations.
SOURCES = sorted(
    [*REPO.glob("converters/**/*.py"), *REPO.glob("edition/**/*.py"), REPO / "docs" / "conf.py",
     *REPO.glob("tests/roots/*/conf.py")]
)

#: Readers parse the date notation of their own source (``2025-01-21 08:00``, offsets without a
#: colon), which is not the edition's ISO 8601: they are left out of that one check.
READERS = "converters/readers/"

#: concept, what its definition looks like in the source, the one file allowed to hold it.
DEFINITIONS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    # the start of a Han / CJK block, as an escape, a literal character or a code point
    ("Han/CJK ranges",
     re.compile(r"\\u3400|\\u2e80|\\uf900|\\U00020000|0x3400|0x2E80|[\u3400\u4e00]-"),
     "converters/common/script.py"),
    ("month names", re.compile(r"[\"']September[\"']"), "converters/common/dates.py"),
    ("ISO 8601 parsing", re.compile(r"fromisoformat|\\d\{4\}-\\d\{2\}"),
     "converters/common/dates.py"),
    ("escape of every ASCII punctuation", re.compile(re.escape(r"[!-/:-@\[-`{-~]")),
     "converters/common/markup.py"),
    ("the MyST extension list", re.compile(r"[\"']attrs_inline[\"']"),
     "converters/common/markup.py"),
    ("the project root", re.compile(r"^ROOT\s*[:=]", re.M), "converters/common/paths.py"),
    ("list coercion of front-matter values", re.compile(r"else \[value\]|\[value\] if"),
     "converters/common/values.py"),
    # a file's text compared with what is about to be written over it
    ("write only if changed", re.compile(r"\.read_(?:text|bytes)\([^)]*\)\s*[!=]="),
     "edition/security/files.py"),
    ("the MyST role and label patterns", re.compile(r"^(?:ROLE|TARGET|NAME_OPTION)\s*=", re.M),
     "converters/common/markup.py"),
    # each export format written in one place, so that no file bypasses its escaping
    ("writing CSV", re.compile(r"csv\.writer\("), "edition/security/escaping.py"),
    ("writing BibTeX", re.compile(r"output\.bibtex import|to_string\(\s*[\"']bibtex"),
     "edition/security/escaping.py"),
    ("JSON inside <script>", re.compile(r"htmlsafe_json_dumps|\\\\u003c"),
     "edition/security/escaping.py"),
)

#: Module-level functions whose name once meant different things in different modules.
ONE_MEANING = ("plain_text", "text_language", "front_matter", "as_list", "format_date",
               "date_words", "is_han", "has_han", "escape_literal")


def relative(path: Path) -> str:
    """A source file as the repository names it."""
    return path.relative_to(REPO).as_posix()


@pytest.mark.parametrize(("concept", "pattern", "home"), DEFINITIONS,
                         ids=[concept for concept, _, _ in DEFINITIONS])
def test_each_concept_is_defined_once(concept: str, pattern: re.Pattern[str], home: str) -> None:
    """The concept's definition is found in its home module and nowhere else."""
    holders = [relative(path) for path in SOURCES if pattern.search(path.read_text("utf-8"))
               and not (concept == "ISO 8601 parsing" and relative(path).startswith(READERS))]
    assert holders == [home], f"{concept}: defined in {holders}, expected only in {home}"


def test_shared_names_have_one_definition() -> None:
    """No two modules define a top-level function of the same shared name."""
    defined: dict[str, list[str]] = defaultdict(list)
    for path in SOURCES:
        for node in ast.parse(path.read_text("utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name in ONE_MEANING:
                defined[node.name].append(relative(path))
    twice = {name: homes for name, homes in defined.items() if len(homes) > 1}
    assert not twice, twice
    assert set(defined) == set(ONE_MEANING)


def test_the_roots_parse_myst_as_the_edition_does() -> None:
    """Every Sphinx configuration that enables MyST extensions takes the one list."""
    for conf in [REPO / "docs" / "conf.py", *REPO.glob("tests/roots/*/conf.py")]:
        text = conf.read_text("utf-8")
        if "myst_enable_extensions" in text:
            assert "myst_enable_extensions = list(MYST_EXTENSIONS)" in text, relative(conf)
