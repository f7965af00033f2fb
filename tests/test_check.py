"""``python -m converters check``: each kind of breakage is reported at its exact file:line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from edition_builds import copy_edition

from converters.editing.check import KINDS, Problem, check, main
from converters.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
#: The cases of one page each: title, page text, every problem expected (see the file's head).
CASES = yaml.safe_load((Path(__file__).parent / "data" / "check_cases.yaml").read_text(
    encoding="utf-8"))
#: Every kind of check but the published anchors, which compare with the git history.
PAGE_KINDS = tuple(kind for kind in KINDS if kind != "anchors")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the edition (pages, registry, seeds) to break things in."""
    copy_edition(tmp_path)
    articles = tmp_path / "docs" / "articles"
    if not list(articles.glob("*.md")):
        # the articles are not converted yet in this checkout: convert the real seeds
        for seed in SEEDS:
            for name, text in convert_file(seed, Options()).pages.items():
                (articles / name).write_text(text, encoding="utf-8")
    return tmp_path


def problems(root: Path) -> list[str]:
    """Every problem the check finds, as printed."""
    return [str(p) for p in check(root)]


def article_with(root: Path, needle: str) -> Path:
    """The first article whose text contains ``needle``."""
    for path in sorted((root / "docs" / "articles").glob("*.md")):
        if needle in path.read_text(encoding="utf-8"):
            return path
    raise AssertionError(f"no article contains {needle!r}")


def rewrite_line(path: Path, match: Callable[[str], bool], change: Callable[[str], str]) -> int:
    """Change the first line that ``match`` accepts; return its 1-based number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for index, line in enumerate(lines):
        if match(line):
            lines[index] = change(line)
            path.write_text("\n".join(lines), encoding="utf-8")
            return index + 1
    raise AssertionError(f"no matching line in {path}")


def set_field(path: Path, field: str, line_text: str) -> int:
    """Replace a front-matter field (with any continuation lines) by one line; its number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    index = next(i for i, s in enumerate(lines) if s.startswith(f"{field}:"))
    end = index + 1
    while end < len(lines) and lines[end].startswith(("- ", "  ")):
        end += 1
    lines[index:end] = [line_text] if line_text else []
    path.write_text("\n".join(lines), encoding="utf-8")
    return index + 1


def where(root: Path, path: Path, line: int) -> str:
    """The ``file:line:`` prefix the check prints for a place."""
    return f"{path.relative_to(root).as_posix()}:{line}: "


def reported(found: list[str], prefix: str, words: str) -> bool:
    """Whether some problem starts at ``prefix`` and mentions ``words``."""
    return any(p.startswith(prefix) and words in p for p in found)


def test_the_edition_as_committed_is_clean(project: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """The real pages, registry and seeds pass; the command exits 0 and says what it checked."""
    assert problems(project) == []
    assert main(["--root", str(project)]) == 0
    pages = len(list((project / "docs").rglob("*.md"))) - len(
        list((project / "docs" / "_import").glob("*.md")))
    assert re.fullmatch(rf"ok: {pages} pages, [1-9]\d* registry entries, seeds unchanged\n",
                        capsys.readouterr().out)


def test_output_format_and_exit_status(project: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """Problems are printed one per line as file:line: message, and the exit status is 1."""
    page = article_with(project, "publisher:")
    set_field(page, "publisher", "publisher: [a, b]")
    assert main(["--root", str(project)]) == 1
    out = capsys.readouterr().out.strip().split("\n")
    assert out and all(re.match(r"^[^:\s]+:\d+: \S", line) for line in out)


def case_page(case: dict[str, Any]) -> str:
    """The page text of a case: the front matter with its fields set, then the body."""
    lines = CASES["defaults"]["front_matter"].split("\n")
    for field, line in (case.get("set") or {}).items():
        index = next((i for i, s in enumerate(lines) if s.startswith(f"{field}:")), None)
        if index is None:  # a field the page does not have: added before the closing ---
            closing = lines.index("---", 1)
            lines[closing:closing] = [line]
            continue
        end = index + 1
        while end < len(lines) and lines[end].startswith(("- ", "  ")):
            end += 1
        lines[index:end] = [line] if line else []
    return "\n".join(lines) + case.get("body", CASES["defaults"]["body"])


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of the edition's registry, editorial data and seeds, and no page yet."""
    root = tmp_path_factory.mktemp("check-cases")
    shutil.copytree(ROOT / "docs" / "_data", root / "docs" / "_data")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    (root / "docs" / "articles").mkdir()
    return root


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["title"] for c in CASES["cases"]])
def test_check_case(small_project: Path, case: dict[str, Any]) -> None:
    """Each problem of a case's page is found at its line, and nothing else is."""
    page = small_project / "docs" / "articles" / "check-case.md"
    text = case_page(case)
    page.write_text(text, encoding="utf-8")
    lines = text.split("\n")
    expected = []
    for item in case["expect"]:
        line = next(n for n, s in enumerate(lines, 1) if item["at"] in s)
        expected.append((line, item["says"]))
    found = problems_of(check(small_project, PAGE_KINDS), "docs/articles/check-case.md")
    assert len(found) == len(expected), found
    for line, says in expected:
        assert any(f.startswith(f"{line}: ") and says in f for f in found), (line, says, found)


def problems_of(found: list[Problem], shown: str) -> list[str]:
    """The problems of one file, as ``line: message``; a problem elsewhere fails the case."""
    assert all(p.path == shown for p in found), [str(p) for p in found]
    return [f"{p.line}: {p.message}" for p in found]


def test_registry_duplicate_id(project: Path) -> None:
    """A second registry entry with an existing id: reported at the entry, by the loader."""
    registry = project / "docs" / "_data" / "registry.yaml"
    text = registry.read_text(encoding="utf-8")
    start = text.index("- id: bytedance")
    end = text.index("\n- id:", start) + 1
    entry = text[start:end].replace('label: "ByteDance"', 'label: "ByteDance again"')
    entry = entry.replace("字节跳动", "字节跳动二").replace("字節跳動", "字節跳動二")
    entry = entry.replace('en: "ByteDance"', 'en: "ByteDance again"')
    marker = "\nnot_entities:"
    new = text.replace(marker, "\n" + entry.rstrip("\n") + marker, 1) if marker in text else (
        text.rstrip("\n") + "\n" + entry)
    registry.write_text(new, encoding="utf-8")
    line = new.split("\n").index("- id: bytedance", text.split("\n").index("- id: bytedance") + 1)
    assert reported(problems(project), f"docs/_data/registry.yaml:{line + 1}: ",
                    "duplicate id 'bytedance'")


def test_duplicate_label_across_articles(project: Path) -> None:
    """A label that another article already defines."""
    articles = sorted((project / "docs" / "articles").glob("*.md"))
    first, second = articles[0], articles[1]
    label = f"{first.stem}-p1"
    first_text = first.read_text(encoding="utf-8").split("\n")
    first_line = next(n for n, s in enumerate(first_text, 1)
                      if s == f"({label})=" or s == f":name: {label}")
    line = rewrite_line(second, lambda s: s == f"({second.stem}-p1)=" or s == (
        f":name: {second.stem}-p1"), lambda s: s.replace(f"{second.stem}-p1", label))
    assert reported(problems(project), where(project, second, line),
                    f"label '{label}' is already defined at "
                    f"{first.relative_to(project).as_posix()}:{first_line}")


def test_changed_seed(project: Path) -> None:
    """A seed edited by a byte: every article made from it points at its seed_sha256 line."""
    page = article_with(project, "seed_sha256:")
    text = page.read_text(encoding="utf-8")
    seed = re.search(r"^seed: (\S+)$", text, re.M).group(1)  # type: ignore[union-attr]
    with open(project / "seeds" / seed, "ab") as handle:
        handle.write(b" ")
    line = next(n for n, s in enumerate(text.split("\n"), 1) if s.startswith("seed_sha256:"))
    assert reported(problems(project), where(project, page, line), f"seed seeds/{seed} has changed")


def test_only_registry(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--only registry`` (the pre-commit hook) checks the registry and nothing else."""
    page = article_with(project, "publisher:")
    set_field(page, "publisher", "publisher: [a, b]")
    assert main(["--root", str(project), "--only", "registry"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")
    registry = project / "docs" / "_data" / "registry.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "type: company", "type: firm", 1), encoding="utf-8")
    assert main(["--root", str(project), "--only", "registry"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("docs/_data/registry.yaml:") and "firm" in out


def test_editorial_data(project: Path) -> None:
    """Editorial data its loader refuses is reported against the data file."""
    data = project / "docs" / "_data" / "editorial.yaml"
    text = data.read_text(encoding="utf-8")
    data.write_text(text.replace("\nseeds:", "\nseedz:", 1), encoding="utf-8")
    assert reported(problems(project), "docs/_data/editorial.yaml:1: ", "seedz")


def test_command_line(project: Path) -> None:
    """``python -m converters check`` is the command contributors and nox run."""
    import subprocess
    import sys

    page = article_with(project, "language:")
    line = set_field(page, "language", "language: [zh_CN]")
    run = subprocess.run([sys.executable, "-m", "converters", "check", "--root", str(project)],
                         capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 1
    assert run.stdout.startswith(where(project, page, line))
    assert "1 problem(s) found" in run.stderr
