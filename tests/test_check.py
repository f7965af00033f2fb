"""``python -m converters check``: each kind of breakage is reported at its exact file:line."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from edition_builds import copy_edition

from converters.editing.check import check, main
from converters.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


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


def test_missing_front_matter_field(project: Path) -> None:
    """A field removed from the front matter."""
    page = article_with(project, "translator:")
    set_field(page, "translator", "")
    assert reported(problems(project), where(project, page, 1), "missing field 'translator'")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("authors", "authors: 袁莉", "'authors' must be a list of strings"),
    ("date", "date: '2025-02-30'", "is not an ISO 8601 date"),
    ("date", "date: 2025-01-21", "must be a string"),
    ("language", "language: [zh_CN]", "is not a BCP 47 tag"),
    ("source_url", "source_url: cn.nytimes.com/business/", "is not an http(s) URL"),
    ("date_precision", "date_precision: week", "is not one of"),
    ("label", "label: another-slug", "differs from the file name"),
])
def test_wrong_front_matter_value(project: Path, field: str, value: str, words: str) -> None:
    """A front-matter value of the wrong type or form is reported on its own line."""
    page = article_with(project, "date_precision:")
    line = set_field(page, field, value)
    assert reported(problems(project), where(project, page, line), words)


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


def test_unknown_entity_target(project: Path) -> None:
    """An ``{ent}`` role pointing at an id the registry does not have."""
    page = article_with(project, "{ent}`")
    line = rewrite_line(page, lambda s: "{ent}`" in s,
                        lambda s: re.sub(r"(\{ent\}`[^`<]*<)[^>`]+(>`)", r"\1no-such-entity\2",
                                         s, count=1))
    assert reported(problems(project), where(project, page, line),
                    "{ent} target 'no-such-entity' is not in the registry")


def test_impossible_date_target(project: Path) -> None:
    """A ``{date}`` role pointing at a date that does not exist."""
    page = article_with(project, "{date}`")
    line = rewrite_line(page, lambda s: "{date}`" in s,
                        lambda s: re.sub(r"(\{date\}`[^`<]*<)[^>`]+(>`)", r"\g<1>2025-02-30\2",
                                         s, count=1))
    assert reported(problems(project), where(project, page, line),
                    "{date} target '2025-02-30' is not an ISO date")


def test_footnote_reference_without_definition(project: Path) -> None:
    """A footnote definition deleted: reported where the footnote is first referenced."""
    page = article_with(project, "[^1]: <")
    text = page.read_text(encoding="utf-8")
    rewrite_line(page, lambda s: s.startswith("[^1]: "), lambda s: "")
    line = next(n for n, s in enumerate(text.split("\n"), 1) if "[^1]" in s)
    assert reported(problems(project), where(project, page, line),
                    "footnote [^1] is referenced but not defined")


def test_malformed_footnote_url(project: Path) -> None:
    """A footnote whose URL has lost a slash."""
    page = article_with(project, "[^1]: <https://")
    line = rewrite_line(page, lambda s: s.startswith("[^1]: <https://"),
                        lambda s: s.replace("https://", "https:/", 1))
    assert reported(problems(project), where(project, page, line),
                    "is not a well-formed http(s) URL")


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


def test_unclosed_fence(project: Path) -> None:
    """A directive fence whose closing ``:::`` was deleted."""
    page = article_with(project, ":::{figure}")
    lines = page.read_text(encoding="utf-8").split("\n")
    opening = next(i for i, s in enumerate(lines) if s.startswith(":::{figure}"))
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i] == ":::")
    del lines[closing]
    page.write_text("\n".join(lines), encoding="utf-8")
    assert reported(problems(project), where(project, page, opening + 1), "unclosed ':::' fence")


def test_unclosed_fence_inside_a_parallel_pair(project: Path) -> None:
    """An inner language container left open inside a parallel pair."""
    page = article_with(project, "::::{container} parallel")
    lines = page.read_text(encoding="utf-8").split("\n")
    outer = next(i for i, s in enumerate(lines) if s.startswith("::::{container} parallel"))
    inner = next(i for i in range(outer, len(lines)) if lines[i].startswith(":::{container}"))
    closing = next(i for i in range(inner + 1, len(lines)) if lines[i] == ":::")
    del lines[closing]
    page.write_text("\n".join(lines), encoding="utf-8")
    shown = page.relative_to(project).as_posix()
    unclosed = [p for p in problems(project)
                if re.match(re.escape(shown) + r":\d+: unclosed ':::' fence", p)]
    assert len(unclosed) == 1
    # reported where the container that lost its closing line opens
    assert unclosed[0].startswith(where(project, page, inner + 1))


def test_docutils_level_error(project: Path) -> None:
    """MyST that parses but that docutils rejects: an unknown directive."""
    page = article_with(project, ":::{admonition}")
    line = rewrite_line(page, lambda s: s.startswith(":::{admonition}"),
                        lambda s: s.replace("{admonition}", "{admonitoin}"))
    assert reported(problems(project), where(project, page, line), "MyST: ")


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
