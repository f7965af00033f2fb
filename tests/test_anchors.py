"""Published anchors are a contract: each tampering with a committed label fails ``check``."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from edition_builds import copy_edition

from converters.common.retired import load_retired
from converters.common.retired import retire as append_retired
from converters.editing.anchors import (
    RETIRED_FILE,
    SIMILARITY_THRESHOLD,
    anchors,
    label_between,
    similarity,
)
from converters.editing.check import check, main

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


# --------------------------------------------------------------------------- splits and joins

RED_NOTE = "docs/articles/tiktok-red-note-china-internet.md"


def split(lines: list[str], label: str, cut_after: str) -> tuple[int, str, str]:
    """Split the paragraph labelled ``label`` after the first ``cut_after``: a blank line
    between the parts, no label on the second. The index of the second part, and both parts."""
    index = line_of(lines, f"({label})=") + 1
    text = lines[index]
    cut = text.index(cut_after) + len(cut_after)
    lines[index:index + 1] = [text[:cut], "", text[cut:]]
    return index + 2, text[:cut], text[cut:]


def test_a_split_with_the_label_on_the_short_part_passes_with_a_proposal(project: Path) -> None:
    """The first part keeps the label however short it is; the second gets the next letter."""
    lines = read(project, CAIXIN)
    second, first_part, _rest = split(lines, "tiktok-run-p4", "。")
    assert similarity(first_part, read(project, CAIXIN)[second - 2]) < SIMILARITY_THRESHOLD
    write(project, CAIXIN, lines)
    problems = found(project)
    assert problems == [f"{CAIXIN}:{second + 1}: paragraph has no label: add the line "
                        f"'(tiktok-run-p4a)=' above line {second + 1} (a new paragraph takes "
                        "the label of the one before it with the next letter: "
                        "'tiktok-run-p4a', shown as ¶4a)"]
    lines.insert(second, "(tiktok-run-p4a)=")  # the line check proposes
    write(project, CAIXIN, lines)
    assert found(project) == []


def test_the_label_stays_with_the_first_part_of_a_split(project: Path) -> None:
    lines = read(project, CAIXIN)
    label = line_of(lines, "(tiktok-run-p4)=")
    second, _first, _rest = split(lines, "tiktok-run-p4", "。")
    lines.insert(second - 1, lines.pop(label))  # the label above the second part instead
    write(project, CAIXIN, lines)
    problems = found(project)
    assert_reported(problems, CAIXIN, second, "'tiktok-run-p4' is on the second part",
                    f"move '(tiktok-run-p4)=' above line {label + 1}")
    assert not [p for p in problems if "unrelated" in p]


def test_an_unlabelled_new_paragraph_fails_naming_the_label_to_add(project: Path) -> None:
    """A paragraph added after ¶2 (and one more after it) each get the next free letter."""
    lines = read(project, CAIXIN)
    index = line_of(lines, "(tiktok-run-p3)=")
    lines[index:index] = ["这是编者加入的一段。", "", "又一段。", ""]
    write(project, CAIXIN, lines)
    problems = found(project)
    assert_reported(problems, CAIXIN, index + 1, "paragraph has no label",
                    f"add the line '(tiktok-run-p2a)=' above line {index + 1}")
    assert_reported(problems, CAIXIN, index + 3, "paragraph has no label",
                    f"add the line '(tiktok-run-p2b)=' above line {index + 3}")
    assert len(problems) == 2


def test_a_new_label_out_of_reading_order_is_refused(project: Path) -> None:
    """The next free number would read ¶4, ¶8, ¶5: the letter keeps the order."""
    lines = read(project, CAIXIN)
    second, _first, _rest = split(lines, "tiktok-run-p4", "。")
    lines.insert(second, "(tiktok-run-p8)=")
    write(project, CAIXIN, lines)
    assert_reported(found(project), CAIXIN, second + 1, "'tiktok-run-p8' is out of reading "
                    "order", "¶8 between ¶4 and ¶5", "label it 'tiktok-run-p4a' instead")


def test_a_parallel_pair_without_a_name_gets_one_proposed(project: Path) -> None:
    lines = read(project, BILINGUAL)
    index = line_of(lines, ":name: silicon-valley-china-envy-p3")
    block = lines[index - 1:lines.index("::::", index) + 1]
    end = lines.index("::::", index) + 1
    copy = [line for line in block if not line.startswith(":name:")]
    lines[end:end] = ["", *copy]
    write(project, BILINGUAL, lines)
    problems = found(project)
    assert_reported(problems, BILINGUAL, end + 2, "paragraph has no label",
                    f"add the line ':name: silicon-valley-china-envy-p3a' under line {end + 2}")


def join(lines: list[str], first: str, second: str) -> int:
    """Join the paragraph labelled ``second`` to the one labelled ``first`` (its label gone)."""
    one = line_of(lines, f"({first})=") + 1
    two = line_of(lines, f"({second})=")
    assert two == one + 2
    lines[one] += lines[two + 1]
    del lines[two:two + 3]
    return one


@pytest.mark.parametrize(("page", "first", "second"), [
    (CAIXIN, "tiktok-run-p6", "tiktok-run-p7"),  # the long part first
    (RED_NOTE, "tiktok-red-note-china-internet-p6", "tiktok-red-note-china-internet-p7"),
], ids=["long-short", "short-long"])
def test_a_join_in_either_proportion_proposes_the_retirement(
        project: Path, page: str, first: str, second: str) -> None:
    """The joined paragraph keeps the first label; check gives the exact line that retires the
    other, and with that line the check passes."""
    lines = read(project, page)
    text_line = join(lines, first, second)
    write(project, page, lines)
    problems = found(project)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{page}:{text_line}: published label '{second}' was joined "
                                  f"into '{first}': retire it — add this line to "
                                  f"{RETIRED_FILE.as_posix()}: - {{label: {second}")
    proposed = problems[0].split(f"{RETIRED_FILE.as_posix()}: ", 1)[1]
    record = project / RETIRED_FILE
    record.write_text((record.read_text(encoding="utf-8") if record.exists() else "")
                      + proposed + "\n", encoding="utf-8")
    assert load_retired(record)[-1].successor == first
    assert found(project) == []


def test_a_join_keeps_the_first_label(project: Path) -> None:
    lines = read(project, RED_NOTE)
    first, second = "tiktok-red-note-china-internet-p6", "tiktok-red-note-china-internet-p7"
    one = join(lines, first, second)
    lines[one - 1] = f"({second})="
    write(project, RED_NOTE, lines)
    problems = found(project)
    assert_reported(problems, RED_NOTE, one, f"'{first}' and '{second}' were joined",
                    f"write '({first})=' in place of '({second})='")
    assert len(problems) == 1, problems


def test_label_between_keeps_the_reading_order() -> None:
    taken = {"a-p8", "a-p8a", "a-p9", "a-p3b"}
    assert label_between("a-p8", "a-p9", {"a-p8", "a-p9"}) == "a-p8a"
    assert label_between("a-p8a", "a-p9", taken) == "a-p8b"
    assert label_between("a-p8a", "a-p8b", taken) == "a-p8aa"
    assert label_between("a-p3", "a-p4", taken) == "a-p3a"
    assert label_between("a-p3a", "", taken) == "a-p3c"
    assert label_between("a-p8", "a-p8a", taken) is None  # nothing sorts between them


def test_labels_with_letters_are_numbered_in_the_build(tmp_path: Path) -> None:
    """¶4a stands before the new paragraph, in reading order, with its cite button."""
    import sys

    copy_edition(tmp_path)
    lines = read(tmp_path, CAIXIN)
    second, _first, _rest = split(lines, "tiktok-run-p4", "。")
    lines.insert(second, "(tiktok-run-p4a)=")
    write(tmp_path, CAIXIN, lines)
    run = subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html",
                          str(tmp_path / "docs"), str(tmp_path / "html")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (tmp_path / "html" / "articles" / "tiktok-run.html").read_text(encoding="utf-8")
    numbers = re.findall(r'aria-label="Paragraph ([0-9a-z]+)">¶', page)
    assert numbers[3:6] == ["4", "4a", "5"]
    assert 'data-paragraph="tiktok-run-p4a" data-number="4a"' in page


def git_branch(root: Path) -> None:
    """Make ``root`` a repository whose main branch holds the published edition."""
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "published")


def test_a_committed_swap_on_a_branch_of_two_commits_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """No environment variable: the labels are compared with the merge base with main."""
    monkeypatch.delenv("EDITION_ANCHOR_BASE", raising=False)
    copy_edition(tmp_path)
    git_branch(tmp_path)
    git(tmp_path, "checkout", "-q", "-b", "edits")
    lines = read(tmp_path, CAIXIN)
    index = line_of(lines, "(tiktok-run-p4)=") + 1
    lines[index] = lines[index].replace("恶作剧", "恶作據", 1)
    write(tmp_path, CAIXIN, lines)
    git(tmp_path, "commit", "-q", "-am", "a typo")
    three, six = line_of(lines, "(tiktok-run-p3)="), line_of(lines, "(tiktok-run-p6)=")
    lines[three], lines[six] = lines[six], lines[three]
    write(tmp_path, CAIXIN, lines)
    git(tmp_path, "commit", "-q", "-am", "the swap")
    assert main(["--root", str(tmp_path), "--only", "anchors"]) == 1
    out, err = capsys.readouterr()
    assert f"{CAIXIN}:{three + 1}: label 'tiktok-run-p6' moved" in out
    base = git(tmp_path, "merge-base", "HEAD", "main").strip()
    assert f"merge base of HEAD with main ({base[:10]})" in err
    # on main itself (nothing to compare but the work tree), the same tree is clean
    git(tmp_path, "checkout", "-q", "main")
    assert main(["--root", str(tmp_path), "--only", "anchors"]) == 0
    assert f"merge base of HEAD with main ({base[:10]})" in capsys.readouterr().out


def test_without_a_main_branch_head_is_the_base_and_check_says_so(
        project: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("EDITION_ANCHOR_BASE", raising=False)
    git(project, "branch", "-m", "published-texts")
    assert main(["--root", str(project), "--only", "anchors"]) == 0
    assert "HEAD (there is no main branch)" in capsys.readouterr().out
