r"""Patterns of converters/ and edition/ whose matching time can grow faster than their input.

``python scripts/regex_lint.py [PATH...]`` (run by ``nox -s lint``; ``tests/test_regex_lint.py``
runs it too) prints one line per backtracking-prone pattern and exits 1 when there is one.

The analysis is regexploit's (https://github.com/doyensec/regexploit): its parser turns a
pattern into a sequence of character classes and repeats, and its search follows each run of
overlapping repeats to a character that makes the match fail and backtrack. Sources come from
strangers, so this lint asks more than regexploit's own command line does:

* **Quadratic counts.** regexploit reports runs of three overlapping repeats or more (cubic).
  Two already made a 450 KB post take minutes (``.*?`` then ``\s*$`` over a run of spaces),
  so every run is counted with one repeat more.
* **The search loop.** ``search``, ``sub``, ``findall``, ``finditer`` and ``split`` try a pattern
  at every position, and each try that runs along a repeat and fails is paid again from the
  next position (``\s+$``, ``<a[^>]*>`` on ``<a<a<a…``). A repeat counts once more when a try
  can start inside a run of its characters: when nothing before it in the pattern is an anchor
  (``\A``, ``^``; a line's ``^`` only for a repeat that takes newlines) or a character it
  does not take, nor a look-behind ``(?<![…])`` refusing its characters. A pattern only ever
  applied with ``match``/``fullmatch`` is tried once.
* **Optional endings.** A match can always stop before a trailing optional part, so a failure
  inside it (``[A-Za-z]+(?:'[A-Za-z]+)?`` on a long word) makes no try fail: the search loop is
  counted only on what a match cannot do without.
* **Lazy repeats.** regexploit reads ``.*?`` as ``.*``, which would take the spaces a following
  ``\s*$`` fails on; a lazy repeat hands them to ``\s*`` at every step instead.

Patterns are found in the imported modules (every compiled pattern a module assigns at its top
level, alone or in tuples, lists, dictionaries and dataclass records: patterns built from data
or f-strings too) and in the source (every constant pattern given to ``re.compile``,
``re.search``…, and every string literal that looks like a pattern, as regexploit's Python
scanner finds them, unless it is only a piece of a pattern found whole).
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import re
import sys
import warnings
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from regexploit.ast.at import EndOfString
from regexploit.ast.branch import Branch
from regexploit.ast.char import Character
from regexploit.ast.repeat import InfiniteRepeat
from regexploit.ast.sequence import Sequence
from regexploit.ast.sre import SreOpParser
from regexploit.languages.python_node_visitor import PythonNodeVisitor
from regexploit.redos import Redos, expand_branches, make_redos

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)  # regexploit's parser is built on them
    import sre_constants
    import sre_parse

ROOT = Path(__file__).resolve().parent.parent

#: What the lint checks when no path is given.
PACKAGES: tuple[str, ...] = ("converters", "edition")

#: Patterns the analysis flags that are linear for a reason it cannot see, each with that
#: reason: ``(file relative to the repository, pattern) -> reason``. Keep it short: a pattern
#: that can be written so that the analysis sees it is linear is written so.
ALLOWED: dict[tuple[str, str], str] = {}

#: The methods of a compiled pattern that try it at one position only.
ONE_TRY_METHODS: frozenset[str] = frozenset({"match", "fullmatch"})
#: The methods that try it at every position.
SEARCH_METHODS: frozenset[str] = frozenset(
    {"search", "sub", "subn", "split", "findall", "finditer"})


class Finding(NamedTuple):
    """One backtracking-prone pattern."""

    #: The file it is written in, relative to the repository.
    path: str
    #: Its line in the file.
    line: int
    #: The pattern.
    pattern: str
    #: How the time grows with the input's length: 2 quadratic, 3 cubic, more for worse.
    degree: int
    #: An input that makes it backtrack, as a Python expression (regexploit's).
    example: str

    def __str__(self) -> str:
        """``file:line: quadratic backtracking in '…' (try …)``."""
        name = {2: "quadratic", 3: "cubic"}.get(self.degree, f"degree {self.degree}")
        return (f"{self.path}:{self.line}: {name} backtracking in {self.pattern!r} "
                f"(try {self.example})")


# ----------------------------------------------------------------------------- the analysis


@dataclasses.dataclass(frozen=True)
class _LazyRepeat(InfiniteRepeat):
    """A lazy repeat (``*?``, ``+?``): it takes a character only when what follows fails."""

    def maximal_character_class(self) -> Any:
        """Nothing: a lazy repeat never swallows what a following ``$`` must fail on."""
        return None


@dataclasses.dataclass
class _End(EndOfString):
    """``$``, whose failing characters are looked for after the last lazy repeat only."""

    def set_character(self, previous_elems: list[Any]) -> None:
        """The characters ``$`` can fail on: regexploit's rule, cut at the last lazy repeat."""
        cut = len(previous_elems)
        while cut and not isinstance(previous_elems[cut - 1], _LazyRepeat):
            cut -= 1
        super().set_character(previous_elems[cut:])


@dataclasses.dataclass(frozen=True)
class _Start:
    r"""``\A`` or ``^``: passed after a newline (``character``) or never (None)."""

    character: Character | None = None

    starriness = 0
    minimum_length = 1  # not a character, but nothing can be skipped over it either

    def overall_character_class(self) -> Character | None:
        """The character a run must consist of to pass the anchor (a newline) or None."""
        return self.character

    maximal_character_class = overall_character_class
    exact_character_class = overall_character_class

    def example(self) -> str:
        """An anchor adds nothing to an example input."""
        return ""


@dataclasses.dataclass(frozen=True)
class _NotAfter:
    """``(?<![…])``: the character before may not be one of ``character``'s."""

    character: Character

    starriness = 0
    minimum_length = 0  # takes no character

    def overall_character_class(self) -> None:
        """None: a run goes through it as through any part that takes nothing."""
        return None

    maximal_character_class = overall_character_class

    def example(self) -> str:
        """A look-behind adds nothing to an example input."""
        return ""


class _Parser(SreOpParser):
    """regexploit's parser, keeping lazy repeats and anchors at the start apart."""

    multiline = False

    def parse_sre(self, pattern: str, flags: int = 0) -> Any:
        """A pattern's sequence of classes and repeats."""
        parsed = sre_parse.parse(pattern, flags)
        self.multiline = bool(parsed.state.flags & re.MULTILINE)
        return self.sequence_or_singleton(parsed)

    def from_MIN_REPEAT(self, data: Any) -> Any:
        """A lazy repeat: regexploit's reading, marked lazy when it is unbounded."""
        parsed = self.from_MAX_REPEAT(data)
        if isinstance(parsed, InfiniteRepeat):
            return _LazyRepeat(parsed.repeat, parsed.minimum_repeats, parsed.forced_starriness)
        if isinstance(parsed, Sequence) and isinstance(parsed.elements[-1], InfiniteRepeat):
            last = parsed.elements[-1]
            lazy = _LazyRepeat(last.repeat, last.minimum_repeats, last.forced_starriness)
            return Sequence([*parsed.elements[:-1], lazy])
        return parsed

    def from_POSSESSIVE_REPEAT(self, data: Any) -> Any:
        """A possessive repeat, taken as a greedy one (it still costs a try its run)."""
        return self.from_MAX_REPEAT(data)

    def from_ATOMIC_GROUP(self, data: Any) -> Any:
        """An atomic group, taken as a plain one."""
        return self.sequence_or_singleton(data)

    def from_ASSERT_NOT(self, data: Any) -> Any:
        """A negative look-behind at one character as :class:`_NotAfter`; else regexploit's."""
        direction, ops = data
        if direction < 0 and len(ops) == 1 and ops[0][0] in (
                sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.IN):
            character = self.parse_op(*ops[0])
            if character is not None:
                return _NotAfter(character)
        return super().from_ASSERT_NOT(data)

    def from_AT(self, at: Any) -> Any:
        r"""``$`` as :class:`_End`, ``\A`` and ``^`` as :class:`_Start`.

        Other anchors as regexploit reads them: ``\b`` not at all.
        """
        if at is sre_constants.AT_BEGINNING_STRING:
            return _Start()
        if at is sre_constants.AT_BEGINNING:
            return _Start(Character.LITERAL(ord("\n")) if self.multiline else None)
        parsed = super().from_AT(at)
        return _End() if isinstance(parsed, EndOfString) else parsed


def _reachable_by_search(before: list[Any], repeated: Character) -> bool:
    """Whether a try can start inside a run of ``repeated`` and pass ``before`` to reach it."""
    for element in before:
        if isinstance(element, _NotAfter):
            # a try starts only where the character before is none of the run's
            if (repeated & element.character.negate()) is None:
                return False
        elif isinstance(element, _Start):
            if element.character is None or (element.character & repeated) is None:
                return False
        elif element.minimum_length > 0:
            character = element.overall_character_class()
            if character is None or (character & repeated) is None:
                return False
    return True


def _without_optional_end(elements: list[Any]) -> list[Any]:
    """The elements a match cannot do without: trailing optional ones removed."""
    end = len(elements)
    while end and elements[end - 1].minimum_length == 0:
        end -= 1
    return elements[:end]


def _runs(elements: list[Any], searched: bool) -> Iterator[Redos]:
    """The runs regexploit finds in one sequence of elements, counted as the module's doc says."""
    for expanded in expand_branches(Sequence(elements)):
        # regexploit gives up on a run that meets an optional part it cannot go through, also
        # at the end, where nothing can fail any more: the end is cut off first
        sequence = Sequence(_without_optional_end(expanded.elements))
        for index, element in enumerate(sequence.elements):
            if not isinstance(element, InfiniteRepeat):
                continue
            repeated = element.overall_character_class()
            if repeated is None:
                continue
            loop = int(searched and _reachable_by_search(sequence.elements[:index], repeated))
            # regexploit reports from 3 up: one more makes a pair of repeats count
            yield from make_redos(sequence, index, index + 1, repeated,
                                  element.starriness + 1 + loop)


def analyse(pattern: str, flags: int = 0, searched: bool = True) -> list[Redos]:
    """How a pattern backtracks on long inputs; worst first, none when it is linear.

    Each :class:`~regexploit.redos.Redos` has a ``starriness`` one more than the degree of the
    polynomial its time grows by (3: quadratic). ``searched`` is false for a pattern that is
    only ever tried at one position (``match``, ``fullmatch``).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sre_parse's own deprecation warnings
        try:
            parsed = _Parser().parse_sre(pattern, flags)
        except re.error:
            return []  # a string that only looks like a pattern
    if parsed is None:
        return []
    alternatives = parsed.branches if isinstance(parsed, Branch) and not parsed.optional \
        else [parsed]
    found: list[Redos] = []
    for alternative in alternatives:
        if alternative is None:
            continue
        elements = alternative.elements if isinstance(alternative, Sequence) else [alternative]
        # what one try costs, then what the search loop adds to the part that can fail
        for redos in (*_runs(elements, searched=False),
                      *_runs(_without_optional_end(elements), searched=searched)):
            if redos not in found:
                found.append(redos)
    return sorted(found, key=lambda r: -r.starriness)


# ---------------------------------------------------------------------- finding the patterns


class Pattern(NamedTuple):
    """A pattern and where it was found."""

    path: str
    line: int
    pattern: str
    flags: int
    #: Whether it is tried at every position (False: only ``match``/``fullmatch`` apply it).
    searched: bool = True
    #: Whether it is passed to the ``re`` module or compiled (False: a string that looks like
    #: one).
    definite: bool = True


class _Source(NamedTuple):
    """What the lint reads in one file."""

    path: str
    tree: ast.Module
    #: Top-level names bound by assignment, with their line.
    assigned: dict[str, int]


def _relative(path: Path) -> str:
    """A path as the findings and the allow-list name it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def _read(path: Path) -> _Source:
    """One file's tree and top-level assignments."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    assigned: dict[str, int] = {}
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name):
                assigned[target.id] = node.lineno
    return _Source(_relative(path), tree, assigned)


def _called_name(node: ast.expr) -> str | None:
    """The last name of what a method is called on (``X.match`` and ``mod.X.match``: X)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def methods_used(sources: Iterable[_Source]) -> dict[str, set[str]]:
    """For each name, the pattern methods called on it anywhere (``X.search(…)``: search).

    A name used any other way (handed to a function, put in a tuple) has ``"other"``.
    """
    used: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        receivers: set[int] = set()
        for node in ast.walk(source.tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ONE_TRY_METHODS | SEARCH_METHODS):
                name = _called_name(node.func.value)
                if name is not None:
                    used[name].add(node.func.attr)
                    receivers.add(id(node.func.value))
        for node in ast.walk(source.tree):
            if (isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load)
                    and id(node) not in receivers):
                name = _called_name(node)
                if name is not None:
                    used[name].add("other")
    return used


def _one_try_calls(source: _Source) -> set[tuple[int, str]]:
    """``re.match(PATTERN, …)`` and ``re.fullmatch(PATTERN, …)`` calls: (line, pattern)."""
    calls: set[tuple[int, str]] = set()
    for node in ast.walk(source.tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ONE_TRY_METHODS and _called_name(node.func.value) == "re"
                and node.args and isinstance(node.args[0], ast.Constant)):
            calls.add((node.lineno, str(node.args[0].value)))
    return calls


def patterns_in_source(source: _Source) -> list[Pattern]:
    """The patterns regexploit's Python scanner finds in one file."""
    visitor = PythonNodeVisitor()
    visitor.visit(source.tree)
    one_try = _one_try_calls(source)
    return [Pattern(source.path, found.lineno, found.pattern, found.flags,
                    searched=(found.lineno, found.pattern) not in one_try,
                    definite=found.definitely_regex)
            for found in visitor.patterns if isinstance(found.pattern, str)]


def _compiled_in(value: object, seen: set[int]) -> Iterator[re.Pattern[str]]:
    """The compiled patterns in a module-level value (containers and dataclasses opened)."""
    if id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern):
        if isinstance(value.pattern, str):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _compiled_in(item, seen)
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _compiled_in(item, seen)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _compiled_in(getattr(value, field.name), seen)


def patterns_in_module(source: _Source, module: object,
                       used: dict[str, set[str]]) -> list[Pattern]:
    """The compiled patterns a module assigns at its top level, however they were built.

    A pattern held by a name on which only ``match``/``fullmatch`` is ever called is tried once;
    one inside a container, or handed on by its name, is taken to be searched.
    """
    seen: set[int] = set()
    found: list[Pattern] = []
    for name, line in source.assigned.items():
        value = getattr(module, name, None)
        one_try = isinstance(value, re.Pattern) and bool(used[name]) and \
            used[name] <= ONE_TRY_METHODS
        for compiled in _compiled_in(value, seen):
            found.append(Pattern(source.path, line, compiled.pattern, compiled.flags,
                                 searched=not one_try))
    return found


def _module_name(path: Path) -> str | None:
    """The importable name of a Python file of the packages, or None."""
    try:
        relative = path.resolve().relative_to(ROOT).with_suffix("")
    except ValueError:
        return None
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) if parts and parts[0] in PACKAGES else None


def python_files(paths: Iterable[Path]) -> list[Path]:
    """The Python files of some files and folders, sorted."""
    files: set[Path] = set()
    for path in paths:
        files.update(path.rglob("*.py") if path.is_dir() else [path])
    return sorted(files)


def collect(paths: Iterable[Path]) -> list[Pattern]:
    """Every pattern of some files and folders: compiled ones first, then the source's."""
    files = python_files(paths)
    sources = [_read(path) for path in files]
    used = methods_used(sources)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    compiled: list[Pattern] = []
    for path, source in zip(files, sources, strict=True):
        name = _module_name(path)
        if name is not None:
            compiled.extend(patterns_in_module(source, importlib.import_module(name), used))
    whole = {(p.path, p.pattern) for p in compiled}
    written: list[Pattern] = []
    for source in sources:
        for pattern in patterns_in_source(source):
            if (pattern.path, pattern.pattern) in whole:
                continue  # judged as compiled (the source cannot tell how it is applied)
            written.append(pattern)
    # a literal that is only a piece of a whole pattern (an f-string's part) is judged whole
    pieces = {(p.path, p.pattern) for p in written if not p.definite and any(
        p.pattern in q.pattern and p.pattern != q.pattern
        for q in (*compiled, *written) if q.path == p.path and q.definite)}
    return compiled + [p for p in written if (p.path, p.pattern) not in pieces]


def find_all(paths: Iterable[Path]) -> list[Finding]:
    """Every backtracking-prone pattern of some files and folders, allowed ones left out."""
    findings: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for pattern in collect(paths):
        key = (pattern.path, pattern.pattern)
        if key in ALLOWED or key in done:
            continue
        done.add(key)
        redos = analyse(pattern.pattern, pattern.flags, pattern.searched)
        if redos:
            worst = redos[0]
            findings.append(Finding(pattern.path, pattern.line, pattern.pattern,
                                    worst.starriness - 1, worst.example()))
    return sorted(findings)


def main(argv: list[str] | None = None) -> int:
    """Print each backtracking-prone pattern; 1 when there is one, else 0."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or [ROOT / package for package in PACKAGES]
    findings = find_all(paths)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} pattern(s) can backtrack on a long input: rewrite them "
              "(scripts/regex_lint.py says how they are judged)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
