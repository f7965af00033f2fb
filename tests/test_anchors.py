"""Published anchors are a contract: each tampering with a committed label fails ``check``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from edition_builds import copy_edition

from converters.editing.anchors import RETIRED_FILE, SIMILARITY_THRESHOLD, anchors, similarity
from converters.editing.check import check, main
from converters.editing.retired import load_retired
from converters.editing.retired import retire as append_retired

ROOT = Path(__file__).resolve().parents[1]
CAIXIN = "docs/articles/tiktok-run.md"
BILINGUAL = "docs/articles/silicon-valley-china-envy.md"


def git(root: Path, *args: str) -> str:
    """Run git in the copy; its output."""
    result = subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=ed@example.org",
                             *args], cwd=root, capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A committed copy of the edition (a git checkout of its own) to tamper with."""
    copy_edition(tmp_path)
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "published")
    return tmp_path


def found(root: Path) -> list[str]:
    """What the check prints."""
    return [str(problem) for problem in check(root)]


def read(root: Path, name: str) -> list[str]:
    return (root / name).read_text(encoding="utf-8").split("\n")


def write(root: Path, name: str, lines: list[str]) -> None:
    (root / name).write_text("\n".join(lines), encoding="utf-8")


def line_of(lines: list[str], text: str) -> int:
    """The 0-based index of the line that is exactly ``text``."""
    return lines.index(text)


def assert_reported(problems: list[str], name: str, line: int, *words: str) -> None:
    """Some problem is at ``name:line`` and mentions every one of ``words``."""
    prefix = f"{name}:{line}: "
    assert any(p.startswith(prefix) and all(w in p for w in words) for p in problems), problems


def test_unchanged_tree_passes(project: Path) -> None:
    assert found(project) == []


def test_deleted_label_fails(project: Path) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p3)=")
    del lines[index]
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, index + 1, "'tiktok-run-p3'", "is gone")


def test_renamed_label_fails(project: Path) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p3)=")
    lines[index] = "(tiktok-run-p33)="
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, index + 1, "'tiktok-run-p3'", "renamed",
                    "'tiktok-run-p33'")


def test_swapped_labels_fail(project: Path) -> None:
    lines = read(project, CAIXIN)
    three, six = line_of(lines, "(tiktok-run-p3)="), line_of(lines, "(tiktok-run-p6)=")
    lines[three], lines[six] = lines[six], lines[three]
    write(project, CAIXIN, lines)
    problems = found(project)
    assert_reported(problems, CAIXIN, three + 1, "'tiktok-run-p6'", "moved", "'tiktok-run-p3'")
    assert_reported(problems, CAIXIN, six + 1, "'tiktok-run-p3'", "moved", "'tiktok-run-p6'")


def test_stacked_labels_fail(project: Path) -> None:
    lines = read(project, CAIXIN)
    four = line_of(lines, "(tiktok-run-p4)=")
    label = lines.pop(four)
    three = line_of(lines, "(tiktok-run-p3)=")
    lines.insert(three + 1, label)
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, three + 1, "'tiktok-run-p3'", "stacked",
                    "'tiktok-run-p4'")


def test_label_on_unrelated_paragraph_fails(project: Path) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p2)=")
    # the paragraph under the label is replaced by a paragraph of another article
    other = read(project, "docs/articles/tiktok-red-note-china-internet.md")
    lines[index + 1] = other[line_of(other, "(tiktok-red-note-china-internet-p5)=") + 1]
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, index + 1, "'tiktok-run-p2'", "unrelated")


def test_wrapped_paragraph_fails(project: Path) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p4)=") + 1
    text = lines[index]
    cut = text.index("。") + 1
    lines[index:index + 1] = [text[:cut], text[cut:]]
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, index + 1, "spans several lines")


def test_hard_line_breaks_are_not_a_wrapped_paragraph(project: Path) -> None:
    """A source's own line breaks (written as a backslash at the end of a line) are one
    paragraph; wrapping that paragraph as well is still reported."""
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p4)=") + 1
    text = lines[index]
    cut = text.index("。") + 1
    lines[index:index + 1] = [text[:cut] + "\\", text[cut:]]
    write(project, CAIXIN, lines)
    assert not [p for p in found(project) if "spans several lines" in p]
    lines[index + 1:index + 2] = [lines[index + 1][:5], lines[index + 1][5:]]
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, index + 1, "spans several lines")


def test_typo_fix_passes(project: Path) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p4)=") + 1
    assert "恶作剧" in lines[index]
    lines[index] = lines[index].replace("恶作剧", "恶作據", 1)
    write(project, CAIXIN, lines)
    assert found(project) == []


def test_bilingual_names_are_guarded(project: Path) -> None:
    lines = read(project, BILINGUAL)
    index = line_of(lines, ":name: silicon-valley-china-envy-p3")
    lines[index] = ":name: silicon-valley-china-envy-p99"
    write(project, BILINGUAL, lines)
    assert_reported(found(project), BILINGUAL, index + 1, "'silicon-valley-china-envy-p3'",
                    "renamed")


def test_bilingual_deleted_name_fails(project: Path) -> None:
    lines = read(project, BILINGUAL)
    index = line_of(lines, ":name: silicon-valley-china-envy-p5")
    del lines[index]
    write(project, BILINGUAL, lines)
    assert any(p.startswith(BILINGUAL) and "'silicon-valley-china-envy-p5'" in p
               and "is gone" in p for p in found(project))


def test_bilingual_swapped_names_fail(project: Path) -> None:
    lines = read(project, BILINGUAL)
    two = line_of(lines, ":name: silicon-valley-china-envy-p2")
    six = line_of(lines, ":name: silicon-valley-china-envy-p6")
    lines[two], lines[six] = lines[six], lines[two]
    write(project, BILINGUAL, lines)
    assert_reported(found(project), BILINGUAL, two + 1, "'silicon-valley-china-envy-p6'", "moved")


def test_bilingual_wrapped_paragraph_fails(project: Path) -> None:
    lines = read(project, BILINGUAL)
    index = line_of(lines, ":name: silicon-valley-china-envy-p6") + 3
    text = lines[index]
    assert text.startswith("Suddenly")
    cut = text.index(". ") + 1
    lines[index:index + 1] = [text[:cut], text[cut + 1:]]
    write(project, BILINGUAL, lines)
    assert_reported(found(project), BILINGUAL, index + 1, "spans several lines")


def test_bilingual_duplicate_name_fails(project: Path) -> None:
    lines = read(project, BILINGUAL)
    index = line_of(lines, ":name: silicon-valley-china-envy-p4")
    lines[index] = ":name: silicon-valley-china-envy-p3"
    write(project, BILINGUAL, lines)
    problems = found(project)
    assert_reported(problems, BILINGUAL, index + 1, "'silicon-valley-china-envy-p3'",
                    "already defined")
    assert any("'silicon-valley-china-envy-p4'" in p and "is gone" in p for p in problems)


def test_recorded_retirement_passes(project: Path) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p7)=")
    del lines[index:index + 3]  # the label, the paragraph and the blank line after it
    write(project, CAIXIN, lines)
    assert any("'tiktok-run-p7'" in p for p in found(project))
    append_retired(project / RETIRED_FILE, "tiktok-run-p7", "tiktok-run-p6",
                   "The closing sentence repeated the one before it.")
    assert found(project) == []


def test_retirement_needs_an_existing_successor(project: Path) -> None:
    path = project / RETIRED_FILE
    append_retired(path, "tiktok-run-p9", "tiktok-run-p99", "Merged into another paragraph.")
    line = load_retired(path)[-1].line
    assert_reported(found(project), RETIRED_FILE.as_posix(), line, "'tiktok-run-p99'",
                    "not a label")


def test_retiring_a_label_still_in_use_fails(project: Path) -> None:
    path = project / RETIRED_FILE
    line = append_retired(path, "tiktok-run-p2", "", "Text gone.").line
    assert_reported(found(project), RETIRED_FILE.as_posix(), line, "'tiktok-run-p2'",
                    "still used")


def test_renamed_article_is_reported_unless_retired(project: Path) -> None:
    old = project / CAIXIN
    text = old.read_text(encoding="utf-8")
    old.unlink()
    new_name = "docs/articles/tiktok-runs.md"
    (project / new_name).write_text(re.sub(r"\btiktok-run\b", "tiktok-runs", text),
                                    encoding="utf-8")
    problems = found(project)
    assert any(p.startswith(CAIXIN + ":1: ") and "'tiktok-run-p1'" in p for p in problems)
    path = project / RETIRED_FILE
    append_retired(path, "tiktok-run", "tiktok-runs", "The article's slug was corrected.")
    for number in range(1, 8):
        append_retired(path, f"tiktok-run-p{number}", f"tiktok-runs-p{number}",
                       "The article's slug was corrected.")
    append_retired(path, "tiktok-run-f1", "tiktok-runs-f1", "The article's slug was corrected.")
    assert found(project) == []


def test_not_a_git_checkout_says_so(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / ".git")
    assert main(["--root", str(project), "--only", "anchors"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a git checkout" in err[0]


def test_the_command_exits_non_zero_with_file_line(project: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p5)=")
    del lines[index]
    write(project, CAIXIN, lines)
    assert main(["--root", str(project), "--only", "anchors"]) == 1
    out = capsys.readouterr().out
    assert f"{CAIXIN}:{index + 1}: published label 'tiktok-run-p5'" in out


def test_similarity_threshold() -> None:
    """A typo fix stays above the threshold; an unrelated paragraph falls below it."""
    text = {a.label: a.text for a in anchors((ROOT / CAIXIN).read_text(encoding="utf-8"))}
    typo = text["tiktok-run-p4"].replace("恶作剧", "恶作據")
    assert similarity(text["tiktok-run-p4"], typo) >= SIMILARITY_THRESHOLD
    assert similarity(text["tiktok-run-p4"], text["tiktok-run-p5"]) < SIMILARITY_THRESHOLD


def test_retirement_record_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "retired-labels.yaml"
    assert load_retired(path) == []
    first = append_retired(path, "old-slug-p3", "new-slug-p3", "Slug corrected: “x” → y.")
    second = append_retired(path, "old-slug", "new-slug", "Slug corrected.")
    entries = load_retired(path)
    assert [e.label for e in entries] == ["old-slug-p3", "old-slug"]
    assert entries[0].reason == "Slug corrected: “x” → y."
    assert (first.line, second.line) == (entries[0].line, entries[1].line)
    with pytest.raises(ValueError):
        append_retired(path, "old-slug", "x", "again")
