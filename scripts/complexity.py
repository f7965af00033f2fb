"""No function of converters/, edition/ or scripts/ too branchy to follow: radon grade E or F.

``python scripts/complexity.py [PATH...]`` (run by ``nox -s lint``; ``tests/test_complexity.py``
runs it too) prints ``file:line: name - grade (complexity)`` for every function, method and
nested function whose cyclomatic complexity radon grades E or F (31 and more), and exits 1
when there is one. A function that grows into grade E is split into helpers with names of
their own (as ``BookLayout.opening`` and ``_English.candidates`` were); grade D (21 to 30) is
allowed but better split too.

Radon's own numbers, through its Python API (``cc_visit`` and ``cc_rank``), so this gate and
``radon cc -s -n D converters edition scripts`` always agree. Radon leaves a nested function
out of its enclosing function's score, so nested functions are graded here on their own:
nesting a branchy helper does not hide it. Ruff's C90 (mccabe) counts differently (it leaves
out ``and``/``or``), which is how functions of grade E passed it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from radon.complexity import add_inner_blocks, cc_rank, cc_visit
from radon.visitors import Function

ROOT = Path(__file__).resolve().parent.parent

#: What the gate checks when no path is given.
PACKAGES: tuple[str, ...] = ("converters", "edition", "scripts")
#: Radon's grades that fail (E: 31 to 40, F: 41 and more).
FAILING_GRADES: frozenset[str] = frozenset({"E", "F"})


class Finding(NamedTuple):
    """One function too complex to pass."""

    #: the file, as given or found under a folder given
    path: Path
    #: the line of its ``def``
    line: int
    #: ``Class.method``, ``function`` or ``function.nested``, as radon names them
    name: str
    #: radon's cyclomatic complexity
    complexity: int

    @property
    def grade(self) -> str:
        """Radon's grade of the complexity, A to F."""
        return str(cc_rank(self.complexity))

    def __str__(self) -> str:
        """``file:line: name - grade (complexity)``, radon's own way of writing it."""
        return f"{self.path}:{self.line}: {self.name} - {self.grade} ({self.complexity})"


def python_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The ``.py`` files given and those under the folders given, each folder in order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(path.rglob("*.py"))
        else:
            yield path


def graded(code: str, path: Path) -> list[Finding]:
    """Every function, method and nested function of one module's source, with its score."""
    return [Finding(path, block.lineno, block.fullname, block.complexity)
            for block in add_inner_blocks(cc_visit(code)) if isinstance(block, Function)]


def failing(paths: Iterable[Path]) -> list[Finding]:
    """The functions under ``paths`` graded E or F, in file and line order."""
    found: list[Finding] = []
    for path in python_files(paths):
        found += [finding for finding in graded(path.read_text(encoding="utf-8"), path)
                  if finding.grade in FAILING_GRADES]
    return sorted(found, key=lambda finding: (str(finding.path), finding.line))


def main(argv: list[str] | None = None) -> int:
    """Print each function graded E or F; 1 when there is one, else 0."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or [ROOT / package for package in PACKAGES]
    found = failing(paths)
    for finding in found:
        print(finding)
    if found:
        print(f"{len(found)} function(s) graded E or F by radon: split each into helpers "
              "until it is D or better (scripts/complexity.py)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
