"""No regular expression of converters/ or edition/ takes time growing faster than its input.

``scripts/regex_lint.py`` (regexploit's analysis, counting quadratic runs, the search loop and
lazy repeats; ``nox -s lint`` runs it) must find nothing, and must find the patterns that made
the readers quadratic before, so that a new one fails here. regexploit is in the ``lint``
extra (``pip install -e '.[dev]'`` has it); without it these tests are skipped and ``nox -s
lint`` runs the same check.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("regexploit", reason="regexploit is in the lint extra (nox -s lint)")

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "regex_lint.py"


def load_lint() -> ModuleType:
    spec = importlib.util.spec_from_file_location("regex_lint", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["regex_lint"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


lint = load_lint()

#: Patterns the packages held before they were rewritten, each with how it was applied
#: (True: tried at every position) and the degree of the polynomial its time grew by.
FORMER: tuple[tuple[str, str, int, bool, int], ...] = (
    ("nytimes translator", r"^翻译\s*[：:]\s*(?P<name>\S.*?)\s*$", 0, False, 2),
    ("nytimes byline separator", r"\s*[,，、;；]\s*", 0, True, 2),
    ("nytimes column", r"撰写“(?P<name>[^”]+)”专栏", 0, True, 2),
    ("caixin card date", r"\s*[A-Z][a-z]{2} \d{1,2}(?:st|nd|rd|th)?\s*·\s*\d{4}\s*$", 0,
     True, 2),
    ("caixin card venue", r"\s+in\s+\S.*$", 0, True, 2),
    ("caixin sniff", r"<article\b[^>]*\bclass=\"[^\"]*\bcategory-caixin\b", re.I, True, 2),
    ("bilingual HTML test", r"<!--|<\s*/?\s*(?:div|p|span)\b", re.I, True, 2),
    ("writer's line breaks", r"\s*\n\s*", 0, True, 2),
    ("MyST role", r"\{[\w:-]+\}`([^`]*?)\s*(?:<[^<>`]*>)?`", 0, True, 2),
    ("MyST :name:", r"^:name:\s*(?P<label>\S.*?)\s*$", 0, False, 2),
    ("footnote reference", r"\[\^[^\]]+\]", 0, True, 2),
    ("URL", r"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"']+", re.I, True, 2),
    ("page front matter", r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S, False, 2),
    ("seed line", r"^seed: *'?(?P<seed>[^'\n]+?)'? *$", re.M, True, 3),
    ("teaser sentence", r".*?(?:[。！？][」』”’）)]*|(?<![A-Z])[.!?](?=\s|$))", re.S, True, 2),
    ("link", r"\[([^\]]*)\]\([^)]*\)", 0, True, 2),
)


def test_no_pattern_backtracks() -> None:
    findings = lint.find_all([ROOT / package for package in lint.PACKAGES])
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize(("what", "pattern", "flags", "searched", "degree"), FORMER,
                         ids=[row[0] for row in FORMER])
def test_the_former_patterns_are_found(what: str, pattern: str, flags: int, searched: bool,
                                       degree: int) -> None:
    found = lint.analyse(pattern, flags, searched)
    assert found, f"{what}: {pattern!r} is not reported"
    assert found[0].starriness - 1 == degree


@pytest.mark.parametrize("pattern", [
    r"[A-Za-z]+(?:['’][A-Za-z]+)?",  # the optional part cannot make a try fail
    r"^\[(?P<title>[^\n]+)\]\(",  # one try per line
    r"(?<!\s)\s*\n\s*",  # one try per run of white space
    r"\[\^(?P<label>[^\]]*)(?P<closed>\])?",  # every try succeeds, and takes what it read
])
def test_linear_patterns_are_not_reported(pattern: str) -> None:
    assert lint.analyse(pattern, re.M) == []


def test_a_new_quadratic_pattern_fails_the_lint(tmp_path: Path) -> None:
    module = tmp_path / "reader.py"
    module.write_text('import re\n\nLABEL = re.compile(r"^Name:(.*?)\\s*$")\n',
                      encoding="utf-8")
    run = subprocess.run([sys.executable, str(SCRIPT), str(module)], capture_output=True,
                         text=True, check=False, cwd=ROOT)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{module}:3: quadratic backtracking" in run.stdout


def test_every_allowed_pattern_is_there_with_its_reason() -> None:
    patterns = {(p.path, p.pattern) for p in lint.collect(
        [ROOT / package for package in lint.PACKAGES])}
    for key, reason in lint.ALLOWED.items():
        assert key in patterns, f"{key} is allowed but no longer in the code"
        assert len(reason.split()) >= 5, f"{key}: say why it is linear"
