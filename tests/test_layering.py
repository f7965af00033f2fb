"""The package layout and its layering: what ARCHITECTURE.md says is what the code does."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _listed_layout() -> list[str]:
    """The module list of ARCHITECTURE.md's Layout section (its one fenced block)."""
    section = ARCHITECTURE.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```\n(.*?)^```", section, re.M | re.S)
    assert len(blocks) == 1, "the Layout section has one list of modules"
    return blocks[0].split()


def _tree() -> list[str]:
    names = []
    for package in ("converters", "edition"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            relative = path.relative_to(ROOT)
            names.append(relative.parent.as_posix() + "/" if path.name == "__init__.py"
                         else relative.as_posix())
    return names


def test_layout_lists_every_module() -> None:
    """Each module and package of the tree is listed, and nothing listed is missing."""
    listed, tree = _listed_layout(), _tree()
    assert sorted(set(listed)) == listed == sorted(listed), "keep the list sorted, once each"
    assert set(tree) - set(listed) == set(), "modules missing from ARCHITECTURE.md"
    assert set(listed) - set(tree) == set(), "ARCHITECTURE.md lists modules that do not exist"


def test_every_package_says_what_it_owns() -> None:
    """Each package's ``__init__.py`` has a docstring (what the package owns)."""
    import ast

    for name in _tree():
        if name.endswith("/"):
            text = (ROOT / name / "__init__.py").read_text(encoding="utf-8")
            assert ast.get_docstring(ast.parse(text)), f"{name}__init__.py has no docstring"


def test_import_contracts_hold() -> None:
    """import-linter's contracts (pyproject.toml) are all kept: layers, no cycles, the halves."""
    pytest.importorskip("importlinter", reason="import-linter is in the lint extra")
    # in its own process: import-linter configures logging, which would silence the Sphinx
    # warnings later tests of this process read
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(no_cache=True))"],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def test_contracts_cover_what_architecture_promises() -> None:
    """The contracts named in ARCHITECTURE.md are the ones configured, none dropped quietly."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    kinds = sorted(c["type"] for c in contracts)
    assert kinds == ["acyclic_siblings", "forbidden", "forbidden", "layers", "protected"]
    layers = next(c for c in contracts if c["type"] == "layers")
    assert layers["layers"] == ["config", "web | outputs", "citation", "entities", "article",
                                "security"]
    for package in ("web", "outputs", "citation", "entities", "article", "security",
                    "speedups"):
        assert f"`edition/{package}/`" in ARCHITECTURE
