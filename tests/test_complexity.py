"""No function of converters/, edition/ or scripts/ is graded E or F by radon.

``scripts/complexity.py`` (radon's cyclomatic complexity; ``nox -s lint`` runs it) must find
nothing in the repository, and must find a function of grade E wherever it stands: at the top
of a module, in a class, nested in another function. radon is in the ``lint`` extra (``pip
install -e '.[dev]'`` has it); without it these tests are skipped and ``nox -s lint`` runs the
same check.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("radon", reason="radon is in the lint extra (nox -s lint)")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "complexity.py"


def load_gate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("complexity", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gate = load_gate()


def branchy(name: str, complexity: int, indent: str = "") -> str:
    """A function of the given cyclomatic complexity: one path, then one ``if`` per point."""
    body = "".join(f"    if x == {n}:\n        return {n}\n" for n in range(complexity - 1))
    return textwrap.indent(f"def {name}(x):\n{body}    return -1\n", indent)


def test_no_function_is_graded_e_or_f() -> None:
    found = gate.failing([ROOT / package for package in gate.PACKAGES])
    assert not found, "split these into helpers:\n" + "\n".join(map(str, found))


@pytest.mark.parametrize(("complexity", "grade"), [(30, "D"), (31, "E"), (41, "F")])
def test_the_grades_are_radons(complexity: int, grade: str) -> None:
    (finding,) = gate.graded(branchy("f", complexity), Path("m.py"))
    assert (finding.name, finding.complexity, finding.grade) == ("f", complexity, grade)


def test_a_function_of_grade_e_fails_wherever_it_stands(tmp_path: Path) -> None:
    source = (branchy("top", 31) + "\n\nclass Layout:\n" + branchy("method", 35, "    ")
              + "\n\ndef outer():\n" + branchy("nested", 41, "    ") + "    return nested\n"
              + "\n\n" + branchy("grade_d", 30))
    module = tmp_path / "module.py"
    module.write_text(source, encoding="utf-8")
    found = gate.failing([tmp_path])
    assert [(f.name, f.grade) for f in found] == [
        ("top", "E"), ("Layout.method", "E"), ("outer.nested", "F")]
    assert str(found[0]) == f"{module}:1: top - E (31)"


def test_the_command_line_fails_listing_each_function(tmp_path: Path) -> None:
    clean = tmp_path / "clean.py"
    clean.write_text(branchy("fine", 30), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(clean)], capture_output=True,
                         text=True, check=False)
    assert (run.returncode, run.stdout) == (0, "")
    bad = tmp_path / "bad.py"
    bad.write_text(branchy("too_branchy", 34), encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(clean), str(bad)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1
    assert run.stdout == f"{bad}:1: too_branchy - E (34)\n"
    assert "1 function(s) graded E or F" in run.stderr
