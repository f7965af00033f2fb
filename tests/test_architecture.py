"""ARCHITECTURE.md names files, tests and hooks: each must exist, so the page cannot go stale."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")

#: A test named as ``tests/test_x.py::test_name``.
TEST_REF = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
#: A module or file of the project named in backticks, e.g. ``converters/readers/_html.py``.
PATH_REF = re.compile(r"`((?:converters|edition|tests|docs)/[\w./-]+\.(?:py|yaml|md|html))")


def test_every_named_test_exists() -> None:
    """Each recipe's test, named ``file::function``, is a test function in that file."""
    refs = TEST_REF.findall(TEXT)
    assert len(refs) >= 3, refs  # one per recipe at least
    for path, name in refs:
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        functions = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert name in functions, f"{path}::{name} is named in ARCHITECTURE.md but missing"


def test_every_named_file_exists() -> None:
    """Each project file the page names is where it says."""
    missing = [p for p in PATH_REF.findall(TEXT)
               if "<" not in p and not (ROOT / p).exists()]
    assert not missing, missing


def test_recipes_name_the_extension_points() -> None:
    """The three recipes are there, and the hooks they name exist in the code."""
    for title in ("add a source format", "add an index kind", "add an output"):
        assert f"Recipe: {title}" in TEXT
    from converters import readers
    from edition.entities import indices

    assert callable(readers.register) and callable(readers.unregister)
    assert isinstance(indices.MentionIndex, type)
