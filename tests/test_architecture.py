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


#: Sphinx's events, as the data-flow diagram names them.
EVENTS = ("config-inited", "builder-inited", "env-before-read-docs", "source-read",
          "doctree-read", "env-updated", "doctree-resolved", "build-finished",
          "html-page-context", "missing-reference", "env-get-outdated")


def _diagram_claims() -> list[tuple[str, str]]:
    """(event, module file) for each module the data-flow diagram puts at a Sphinx event."""
    section = TEXT.split("### From MyST pages to the outputs", 1)[1]
    diagram = section.split("```", 2)[1]
    claims: list[tuple[str, str]] = []
    event = ""
    for line in diagram.splitlines():
        head = re.match(r"\s*│\s(\S+)\s{2,}", line)
        if head:
            event = head.group(1) if head.group(1) in EVENTS else ""
        elif not re.match(r"\s*│\s{3,}", line):
            event = ""  # a stage of the diagram without a bar ends the event's lines
        if event:
            claims += [(event, name) for name in re.findall(r"\b([a-z_]+\.py)\b", line)]
    return claims


def test_the_data_flow_diagram_names_real_handlers() -> None:
    """Each module the diagram places at a Sphinx event connects a handler to that event."""
    claims = _diagram_claims()
    assert len(claims) >= 10, claims
    wrong = []
    for event, name in claims:
        files = list((ROOT / "edition").rglob(name))
        assert files, f"ARCHITECTURE.md names edition's {name}, which does not exist"
        if not any(f'connect("{event}"' in path.read_text(encoding="utf-8") for path in files):
            wrong.append(f"{name} at {event}")
    assert not wrong, f"the diagram places modules at events they do not handle: {wrong}"


def test_every_rule_names_the_test_that_keeps_it() -> None:
    """Each rule of "Rules the code keeps" names a test file (or ``file::function``) of its own."""
    section = TEXT.split("## Rules the code keeps", 1)[1].split("\n### ", 1)[0]
    rules = re.split(r"\n- ", section)[1:]
    assert len(rules) >= 5, rules
    untested = [rule.split("\n", 1)[0] for rule in rules if "`tests/" not in rule]
    assert not untested, f"rules without a test: {untested}"
