"""Re-importing converter output into edited pages: edits survive, clashes are reported."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from converters import myst
from converters.__main__ import main
from converters.editing.reimport import base_path, find_conflicts, merge3, reimport
from converters.pipeline import Converted, Options, convert_file

ROOT = Path(__file__).resolve().parents[1]
#: The bilingual column (one article, slug from the editorial data) and the Caixin feature.
SEEDS = [ROOT / "seeds" / "002_adb9185c34c19f90.txt", ROOT / "seeds" / "001_116d69d97c42a296.txt"]


@pytest.fixture(params=SEEDS, ids=lambda p: p.name[:3])
def seed(request: pytest.FixtureRequest) -> Path:
    """A real seed."""
    return Path(request.param)


def convert(seed: Path, out: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the command line on one seed; its exit status and what it wrote on stderr."""
    status = main([str(seed), "--out", str(out)])
    return status, capsys.readouterr().err


def converter_output(seed: Path) -> dict[str, str]:
    """What the converter makes of a seed right now (file name -> text)."""
    return convert_file(seed, Options()).pages


def improve_converter(monkeypatch: pytest.MonkeyPatch, column: str) -> None:
    """Simulate a better converter: it now emits another value for the ``column`` field."""
    original = myst.front_matter

    def front_matter(article: Any) -> dict[str, Any]:
        data = original(article)
        data["column"] = column
        return data

    monkeypatch.setattr(myst, "front_matter", front_matter)


def edit_paragraph(page: Path, number: int = 2) -> tuple[str, str]:
    """Change paragraph ``number`` of a page as an editor would; the old and new line."""
    lines = page.read_text(encoding="utf-8").split("\n")
    slug = page.stem
    label = f"{slug}-p{number}"
    # a paragraph's label is a target line; a parallel pair's is the :name: of its container
    target = next(i for i, s in enumerate(lines) if s in (f"({label})=", f":name: {label}")) + 1
    # a parallel pair starts with its container line: edit the first text line inside it
    while lines[target].startswith((":", "(")) or not lines[target].strip():
        target += 1
    old = lines[target]
    lines[target] = old.replace(old[:12], old[:12] + "【订正】", 1)
    page.write_text("\n".join(lines), encoding="utf-8")
    return old, lines[target]


def line_number(text: str, starts_with: str) -> int:
    """The 1-based line of ``text`` that starts with ``starts_with``."""
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(starts_with):
            return number
    raise AssertionError(f"no line starts with {starts_with!r}")


def test_first_import_writes_page_and_base(seed: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """No page yet: the page and its merge base are both the converter output."""
    out = tmp_path / "docs" / "articles"
    status, _ = convert(seed, out, capsys)
    assert status == 0
    for name, text in converter_output(seed).items():
        assert (out / name).read_text(encoding="utf-8") == text
        assert (out / "_import" / name).read_text(encoding="utf-8") == text  # no conf.py here
    assert not list(out.glob(".*.tmp"))


def test_edit_and_converter_change_are_both_kept(seed: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """An edited paragraph and a new front-matter value from the converter end up together."""
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    page = sorted(out.glob("*.md"))[0]
    old, new = edit_paragraph(page)

    improve_converter(monkeypatch, "新新世界（改进）")
    status, err = convert(seed, out, capsys)
    assert status == 0, err

    text = page.read_text(encoding="utf-8")
    assert new in text.split("\n")
    assert old not in text.split("\n")
    assert "column: 新新世界（改进）" in text
    # the base is now the new converter output, ready for the next re-import
    assert base_path(page).read_text(encoding="utf-8") == converter_output(seed)[page.name]


def test_unedited_page_is_overwritten(seed: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """A page nobody edited simply becomes the new output."""
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    improve_converter(monkeypatch, "A better column")
    status, _ = convert(seed, out, capsys)
    assert status == 0
    for name, text in converter_output(seed).items():
        assert (out / name).read_text(encoding="utf-8") == text


def test_overlapping_changes_are_marked_in_the_page(
        seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Editor and converter changed the same line: diff3 markers there, the rest merged."""
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    page = sorted(out.glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[line_number(text, "column:") - 1] = "column: 编者改的栏目"
    page.write_text("\n".join(lines), encoding="utf-8")
    _old, edited = edit_paragraph(page, 1)  # an edit elsewhere too, which merges cleanly
    base_before = base_path(page).read_bytes()

    improve_converter(monkeypatch, "转换器的新栏目")
    status, err = convert(seed, out, capsys)

    assert status == 1
    merged = page.read_text(encoding="utf-8")
    start = line_number(merged, "<<<<<<< page")
    assert f"{page}:{start}: conflict: the page has '" in err
    assert "编者改的栏目" in err and "转换器的新栏目" in err
    assert err.count(": conflict:") == 1
    hunk = merged.split("\n")[start - 1:start + 6]
    assert hunk == ["<<<<<<< page", "column: 编者改的栏目", "||||||| base",
                    next(line for line in text.split("\n") if line.startswith("column:")),
                    "=======", "column: 转换器的新栏目", ">>>>>>> converter"]
    assert edited in merged.split("\n")
    assert base_path(page).read_bytes() == base_before


def test_no_merge_flag_overwrites(tmp_path: Path) -> None:
    """``--no-merge`` writes the output as it is and keeps no merge base."""
    out = tmp_path / "articles"
    assert main([str(SEEDS[0]), "--out", str(out), "--no-merge"]) == 0
    assert list(out.glob("*.md"))
    assert not (out / "_import").exists() and not (tmp_path / "_import").exists()


# --------------------------------------------------------------------------- the merge itself


def test_conflict_lines_are_lines_of_the_merged_page(tmp_path: Path) -> None:
    """Lines reported are those of the marker in the page as written, after clean changes."""
    base = "".join(f"line {i}\n" for i in range(1, 31))
    ours = base.replace("line 3\n", "line 3\nan inserted line\n").replace("line 20\n", "ours\n")
    theirs = base.replace("line 1\n", "").replace("line 20\n", "theirs\n")
    merged, count = merge3(ours, base, theirs)
    assert count == 1
    conflicts = find_conflicts(tmp_path / "p.md", merged)
    assert [c.line for c in conflicts] == [merged.split("\n").index("<<<<<<< page") + 1]
    assert conflicts[0].ours == ["ours\n"] and conflicts[0].theirs == ["theirs\n"]
    assert "'ours'" in str(conflicts[0]) and "'theirs'" in str(conflicts[0])


def test_unchanged_converter_output_keeps_edits(tmp_path: Path) -> None:
    """When the converter output is the base again, the edited page is left alone."""
    page = tmp_path / "articles" / "a.md"
    reimport(page, "a\nb\nc\n")
    page.write_text("a\nB\nc\n", encoding="utf-8")
    digest = hashlib.sha256(page.read_bytes()).hexdigest()
    assert reimport(page, "a\nb\nc\n").action == "kept"
    assert hashlib.sha256(page.read_bytes()).hexdigest() == digest


def resolve(page: Path, keep: str) -> None:
    """Resolve the conflicts of ``page`` by hand, keeping the ``page`` or ``converter`` side."""
    out: list[str] = []
    side = ""
    for line in page.read_text(encoding="utf-8").split("\n"):
        if line.startswith("<<<<<<< "):
            side = "page"
        elif line.startswith("||||||| "):
            side = "base"
        elif line == "=======" and side:
            side = "converter"
        elif line.startswith(">>>>>>> "):
            side = ""
        elif not side or side == keep:
            out.append(line)
    page.write_text("\n".join(out), encoding="utf-8")


def test_resolved_conflict_is_not_reported_again(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """After the markers are resolved by hand, ``--resolved`` moves the base; the edit stays."""
    seed = SEEDS[0]
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    page = sorted(out.glob("*.md"))[0]
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("\ncolumn:", "\ncolumn: 编者的栏目 #", 1), encoding="utf-8")
    improve_converter(monkeypatch, "转换器的新栏目")
    status, err = convert(seed, out, capsys)
    assert status != 0 and ": conflict: " in err and "转换器的新栏目" in err

    # --resolved refuses a page that still has markers, and writes nothing
    marked = page.read_bytes()
    assert main([str(seed), "--out", str(out), "--resolved"]) == 2
    assert "still has conflict markers" in capsys.readouterr().err
    assert page.read_bytes() == marked

    resolve(page, keep="page")  # the editors keep their own column
    resolution = page.read_bytes()
    assert main([str(seed), "--out", str(out), "--resolved"]) == 0
    assert page.read_bytes() == resolution
    assert base_path(page).read_text(encoding="utf-8") == converter_output(seed)[page.name]
    status, err = convert(seed, out, capsys)
    assert (status, err) == (0, "")
    assert page.read_bytes() == resolution


def converter_rewrites(monkeypatch: pytest.MonkeyPatch, change: Callable[[str], str]) -> None:
    """Simulate a better converter whose pages differ from today's by ``change``."""
    from converters import __main__ as cli

    original = cli.convert_file

    def convert_file(path: Path, options: Options) -> Converted:
        result = original(path, options)
        result.pages = {name: change(text) for name, text in result.pages.items()}
        return result

    monkeypatch.setattr(cli, "convert_file", convert_file)


def paragraph_line(text: str, label: str) -> str:
    """The text line of the paragraph labelled ``label``."""
    lines = text.split("\n")
    return lines[lines.index(f"({label})=") + 1]


def test_edit_and_converter_change_of_one_paragraph(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Editor and converter both change p5, the converter also another line: only p5 is marked,
    the other change is applied, and after resolving and ``--resolved`` both are kept."""
    seed = ROOT / "seeds" / "001_116d69d97c42a296.txt"
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    page = out / "tiktok-run.md"
    original = page.read_text(encoding="utf-8")
    p5 = paragraph_line(original, "tiktok-run-p5")
    p2 = paragraph_line(original, "tiktok-run-p2")
    ours_p5 = p5.replace(p5[:8], p5[:8] + "【编者】", 1)
    page.write_text(original.replace(p5, ours_p5), encoding="utf-8")

    theirs_p5 = p5[:-4] + "【转换器】" + p5[-4:]
    theirs_p2 = p2 + "【转换器改进】"
    converter_rewrites(monkeypatch, lambda text: text.replace(p5, theirs_p5).replace(p2, theirs_p2))
    status, err = convert(seed, out, capsys)
    assert status == 1
    merged = page.read_text(encoding="utf-8").split("\n")
    start = merged.index("<<<<<<< page")
    assert merged[start:start + 7] == ["<<<<<<< page", ours_p5, "||||||| base", p5, "=======",
                                       theirs_p5, ">>>>>>> converter"]
    assert sum(line.startswith("<<<<<<<") for line in merged) == 1
    assert theirs_p2 in merged  # the converter's other change is applied
    assert f"{page}:{start + 1}: conflict:" in err and "【编者】" in err and "【转换器】" in err

    # the editor combines both changes of p5
    both = ours_p5[:-4] + "【转换器】" + ours_p5[-4:]
    text = "\n".join(merged)
    hunk = "\n".join(merged[start:start + 7])
    page.write_text(text.replace(hunk, both), encoding="utf-8")
    assert main([str(seed), "--out", str(out), "--resolved"]) == 0
    final = page.read_text(encoding="utf-8").split("\n")
    assert both in final and theirs_p2 in final
    assert "<<<<<<< page" not in final
    # and they survive the next run
    assert convert(seed, out, capsys) == (0, "")
    assert page.read_text(encoding="utf-8").split("\n") == final


def test_pages_of_one_seed_are_written_together_or_not_at_all(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A page of seed 003 still holding markers stops all four of its pages from changing."""
    seed = ROOT / "seeds" / "003_9afefc053d5ace72.txt"
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    pages = sorted(out.glob("*.md"))
    assert len(pages) == 4
    marked = pages[0]
    marked.write_text(marked.read_text(encoding="utf-8")
                      + "<<<<<<< page\nx\n=======\ny\n>>>>>>> converter\n", encoding="utf-8")
    before = {page: page.read_bytes() for page in pages}
    improve_converter(monkeypatch, "A better column")
    status, err = convert(seed, out, capsys)
    assert status == 2
    assert f"{marked}:" in err and "none of its pages was written" in err
    assert {page: page.read_bytes() for page in pages} == before


def test_resolved_still_merges_pages_without_conflict(tmp_path: Path) -> None:
    """``--resolved`` takes only conflicting pages as they are; clean merges still happen."""
    page = tmp_path / "articles" / "a.md"
    base = "".join(f"line {i}\n" for i in range(1, 11))
    reimport(page, base)
    page.write_text(base.replace("line 2\n", "line 2 edited\n"), encoding="utf-8")
    new = base.replace("line 8\n", "line 8 improved\n")
    assert reimport(page, new, resolved=True).action == "merged"
    assert page.read_text(encoding="utf-8") == new.replace("line 2\n", "line 2 edited\n")


# --------------------------------------------------------------------------- no silent path

NOTE = [":::{admonition} Editorial note", ":class: editorial-note", "",
        "编者按：此段数字据原文。", ":::"]


def edition_copy(tmp_path: Path) -> Path:
    """A copy of the edition (articles with their merge bases) to re-import into."""
    from edition_builds import copy_edition

    copy_edition(tmp_path)
    return tmp_path


def test_a_forgotten_resolved_is_reported_and_refused(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """Markers resolved by hand without --resolved: check names the command, the next run
    refuses to merge the resolution again, and --resolved closes the conflict."""
    from converters.editing.check import check

    root = edition_copy(tmp_path)
    seed = ROOT / "seeds" / "001_116d69d97c42a296.txt"
    out = root / "docs" / "articles"
    page = out / "tiktok-run.md"
    original = page.read_text(encoding="utf-8")
    p5 = paragraph_line(original, "tiktok-run-p5")
    page.write_text(original.replace(p5, p5.replace(p5[:8], p5[:8] + "【编者】", 1)),
                    encoding="utf-8")
    converter_rewrites(monkeypatch, lambda text: text.replace(p5, p5[:-4] + "【转换器】"
                                                              + p5[-4:]))
    assert main([str(seed), "--out", str(out)]) == 1
    capsys.readouterr()
    resolve(page, keep="page")
    resolution = page.read_bytes()
    problems = [str(p) for p in check(root)]
    assert problems == [
        "docs/articles/tiktok-run.md:1: the conflict of the last re-import has no markers left "
        "but was never recorded as resolved: run python -m converters "
        "seeds/001_116d69d97c42a296.txt --out docs/articles --resolved (it keeps the page as it "
        "is and makes the converter's output its merge base)"]
    # the next run does not merge the hand resolution as if it were an edit
    assert main([str(seed), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "never recorded as resolved: convert again with --resolved" in err
    assert page.read_bytes() == resolution
    assert main([str(seed), "--out", str(out), "--resolved"]) == 0
    assert page.read_bytes() == resolution
    assert [str(p) for p in check(root)] == []


def test_a_note_beside_a_changed_paragraph_is_kept_without_a_conflict(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The page made the converter's change of p5 by hand and added an editorial note below it
    (git calls that a conflict): merged, the note kept, no markers."""
    seed = ROOT / "seeds" / "001_116d69d97c42a296.txt"
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    page = out / "tiktok-run.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    index = lines.index("(tiktok-run-p5)=") + 1
    p5 = lines[index]
    theirs = p5[:-4] + "【转换器】" + p5[-4:]
    lines[index] = theirs
    lines[index + 1:index + 1] = ["", *NOTE]
    page.write_text("\n".join(lines), encoding="utf-8")
    assert merge3("\n".join(lines), base_path(page).read_text(encoding="utf-8"),
                  converter_output(seed)[page.name].replace(p5, theirs))[1] == 1
    converter_rewrites(monkeypatch, lambda text: text.replace(p5, theirs))
    status, err = convert(seed, out, capsys)
    assert (status, err) == (0, "")
    merged = page.read_text(encoding="utf-8").split("\n")
    assert merged[index] == theirs
    assert merged[index + 1:index + 2 + len(NOTE)] == ["", *NOTE]
    assert not any(line.startswith("<<<<<<<") for line in merged)


def test_in_a_real_conflict_the_note_stays_outside_the_markers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Page and converter both changed p5, and the page added a note: the message says the note
    is kept, and taking the converter's side keeps it."""
    seed = ROOT / "seeds" / "001_116d69d97c42a296.txt"
    out = tmp_path / "docs" / "articles"
    convert(seed, out, capsys)
    page = out / "tiktok-run.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    index = lines.index("(tiktok-run-p5)=") + 1
    p5 = lines[index]
    lines[index] = p5.replace(p5[:8], p5[:8] + "【编者】", 1)
    lines[index + 1:index + 1] = ["", *NOTE]
    page.write_text("\n".join(lines), encoding="utf-8")
    theirs = p5[:-4] + "【转换器】" + p5[-4:]
    converter_rewrites(monkeypatch, lambda text: text.replace(p5, theirs))
    status, err = convert(seed, out, capsys)
    assert status == 1
    merged = page.read_text(encoding="utf-8").split("\n")
    close = merged.index(">>>>>>> converter")
    note = merged.index(NOTE[0])
    assert note > close and merged[note:note + len(NOTE)] == NOTE
    assert f"the page's editorial note at line {note + 1}, which the converter never wrote, " \
           "is kept outside the markers" in err
    assert "【编者】" in err and "【转换器】" in err
    resolve(page, keep="converter")
    kept = page.read_text(encoding="utf-8").split("\n")
    assert theirs in kept and NOTE[3] in kept


def test_both_sides_changed_alike_the_message_quotes_what_differs(tmp_path: Path) -> None:
    """The page made the converter's change and added a paragraph: the quotes are not the same
    words twice, they show the added paragraph."""
    from converters.editing.reimport import Conflict

    base = ["第五段原文，没有改动。\n"]
    theirs = ["第五段原文，转换器改了这里。\n"]
    ours = ["第五段原文，转换器改了这里。\n", "\n", "编者加的一段话。\n"]
    message = str(Conflict(tmp_path / "p.md", 3, ours, theirs, base))
    assert "'编者加的一段话。', which the converter's output does not have" in message


def test_the_converter_refuses_an_edited_seed(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """A seed that differs from seeds/SHA256SUMS is not converted: one line, nothing written."""
    import shutil

    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    seed = seeds / "001_116d69d97c42a296.txt"
    seed.write_bytes(seed.read_bytes().replace("恶作剧".encode(), "恶作據".encode(), 1))
    out = tmp_path / "docs" / "articles"
    assert main([str(seed), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {seed}: this seed differs from {seeds / 'SHA256SUMS'}:")
    assert "seeds are never edited" in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
    # as recorded, it converts
    shutil.copyfile(ROOT / "seeds" / seed.name, seed)
    assert main([str(seed), "--out", str(out)]) == 0
