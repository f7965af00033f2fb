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


def test_every_recipe_names_the_test_that_follows_it() -> None:
    """Each recipe names its test as ``file::function`` (which must exist, above).

    The hooks a recipe names are exercised by that test (a toy reader, index kind and builder
    in tests/test_recipes*.py), not by asserting here that they are callable.
    """
    section = TEXT.split("\n## Recipes\n", 1)[1].split("\n## ", 1)[0]
    recipes = dict(part.split("\n", 1) for part in section.split("\n### Recipe: ")[1:])
    assert {"add a source format", "add an index kind", "add an output"} <= recipes.keys()
    untested = [title for title, text in recipes.items() if not TEST_REF.search(text)]
    assert not untested, f"recipes without a test named: {untested}"
