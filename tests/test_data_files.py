"""Data files from pull requests: refused at their line, and nothing written outside the build.

``docs/_data/edition.yaml`` names the edition and ``docs/_data/retired-labels.yaml`` sends old
addresses on; both come from strangers. An alias bomb or a format spec in the first, a label
that reads as a path in the second, must be refused at ``file:line`` by ``converters check``
(the gate CI runs first) and by the build, which must neither crash, nor hang, nor write a file
outside its own folders. Every build and check runs in a separate process with an
address-space limit and a time-out (``tests/hostile_builds.py``): an attack that got through
shows as a failed test, not as a session that swaps or hangs.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from edition_builds import ROOTS, copy_edition
from hostile_builds import BUILD_TIMEOUT, MEMORY_LIMIT, REPO, HostileBuild, crash_signs, run_build

from converters.common.edition_data import fill, parse_edition_data
from converters.common.retired import RetiredLabelsError, load_retired
from converters.common.yamlsafe import YamlRefused
from edition.security.files import destination, inside, write_if_changed, write_tree

#: The edition's data file and the retirement record, as ``converters check`` names them.
EDITION_YAML = "docs/_data/edition.yaml"
RETIRED_YAML = "docs/_data/retired-labels.yaml"
#: The titles of the edition as the real file writes them.
TITLES = ('title_en: "{sources_en_title} Texts on China’s Internet"\n'
          'title_zh: "中国互联网{sources_zh}篇"\n')


def laughs(levels: int = 9) -> str:
    """The "billion laughs" as edition.yaml's English title: nine levels of nine aliases."""
    lines = ['laughs:', '  - &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels - 1):
        lines.append(f"  - &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    lines.append(f"title_en: [{', '.join([f'*l{levels - 2}'] * 9)}]")
    lines.append('title_zh: "中国互联网{sources_zh}篇"')
    return "# The edition's name\n" + "\n".join(lines) + "\n"


#: The attacks the hostile project carries (its _data/attacks/README.md says which is which).
ATTACKS = REPO / "tests" / "roots" / "test-hostile" / "_data" / "attacks"
#: Attacks on edition.yaml: the file's text, the line refused, words of the reason.
EDITION_ATTACKS: dict[str, tuple[str, int, str]] = {
    # expanded by printing the title, nine levels of aliases are 387 million strings
    "alias-bomb": ((ATTACKS / "edition-alias-bomb.yaml").read_text(encoding="utf-8"), 3,
                   "anchor &l0 refused"),
    # str.format would pad the count to three billion characters
    "format-spec": ((ATTACKS / "edition-format-spec.yaml").read_text(encoding="utf-8"), 2,
                    "placeholder {sources:>3000000000}"),
}


def test_the_hostile_project_carries_the_bomb_as_built_here() -> None:
    """The carried alias bomb is the nine levels :func:`laughs` writes (not a weaker one)."""
    assert EDITION_ATTACKS["alias-bomb"][0] == laughs()


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_check(root: Path) -> subprocess.CompletedProcess[str]:
    """``python -m converters check --root root`` in a separate, memory-limited process."""
    return subprocess.run(
        [sys.executable, "-m", "converters", "check", "--root", str(root)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=BUILD_TIMEOUT,
        preexec_fn=_limit_memory,
    )


# --------------------------------------------------------------------------- edition.yaml


@pytest.mark.parametrize("attack", sorted(EDITION_ATTACKS))
def test_check_refuses_an_attack_on_the_edition_name(tmp_path: Path, attack: str) -> None:
    text, line, reason = EDITION_ATTACKS[attack]
    copy_edition(tmp_path)
    (tmp_path / EDITION_YAML).write_text(text, encoding="utf-8")
    result = run_check(tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert crash_signs(result.stdout + result.stderr) == []
    assert re.search(rf"^{re.escape(EDITION_YAML)}:{line}: edition data: .*{re.escape(reason)}",
                     result.stdout, re.MULTILINE), result.stdout


@pytest.mark.parametrize("attack", sorted(EDITION_ATTACKS))
def test_the_build_stops_at_an_attack_on_the_edition_name(tmp_path: Path, attack: str) -> None:
    """The build ends at its start, with the one located line and nothing written."""
    text, line, reason = EDITION_ATTACKS[attack]
    srcdir = copy_edition(tmp_path) / "docs"
    (srcdir / "_data" / "edition.yaml").write_text(text, encoding="utf-8")
    build = run_build(srcdir, "html")
    assert build.returncode != 0
    assert crash_signs(build.output) == [], build.output[-4000:]
    assert build.output.strip().splitlines() == [
        f"{srcdir / '_data' / 'edition.yaml'}:{line}: ERROR: {_reason_line(build.output)}"]
    assert reason in build.output
    assert not (build.outdir / "index.html").exists()


def _reason_line(output: str) -> str:
    """What follows ``ERROR:`` on the build's only line."""
    return output.strip().partition(": ERROR: ")[2]


@pytest.mark.parametrize(("text", "line", "reason"), [
    ('title_en: "{sources!r} Texts"\ntitle_zh: "x"\n', 1, "placeholder {sources!r}"),
    ('title_en: "{sources.__class__}"\ntitle_zh: "x"\n', 1, "placeholder {sources.__class__}"),
    ('title_en: "{sources[0]}"\ntitle_zh: "x"\n', 1, "placeholder {sources[0]}"),
    ('title_en: "Texts"\ntitle_zh: "{texts}"\n', 2, "unknown placeholder {texts}"),
    ('title_en: "Texts"\ntitle_zh: "{{sources}}"\n', 2, "not part of a placeholder"),
    ('title_en: "Texts"\ntitle_zh: 4\n', 2, "title_zh must be a string"),
    ('title_en: "Texts"\ntitle_zh: [a]\n', 2, "title_zh must be a string"),
    ('title_en: "Texts"\ntitle_zh: "x"\nsubtitle: "y"\n', 3, "unknown key 'subtitle'"),
    ('title_en: "Texts"\n', 1, "title_zh missing"),
    ('title_en: "Texts"\ntitle_en: "x"\n', 2, "duplicate key"),
    ('title_en: !!python/name:os.system ""\ntitle_zh: "x"\n', 1, "tag"),
    (f'title_en: "{"x" * 201}"\ntitle_zh: "x"\n', 1, "at most 200"),
    ("- title_en\n", 1, "must be a mapping"),
])
def test_the_edition_name_is_held_to_its_schema(text: str, line: int, reason: str) -> None:
    with pytest.raises(YamlRefused) as refused:
        parse_edition_data(text, "docs/_data/edition.yaml")
    assert refused.value.line == line
    assert reason in refused.value.reason
    assert str(refused.value).startswith(f"docs/_data/edition.yaml:{line}: ")


def test_placeholders_are_filled_by_lookup_never_formatted() -> None:
    titles = parse_edition_data(TITLES)
    values = {"sources_en_title": "{sources:>99}", "sources_zh": "{0.__class__}"}
    assert titles.filled(values) == {
        "title_en": "{sources:>99} Texts on China’s Internet",
        "title_zh": "中国互联网{0.__class__}篇"}
    assert fill("{years}: {years}", {"years": "2020–2025"}) == "2020–2025: 2020–2025"


# --------------------------------------------------------------------------- retired labels

#: Entries a hostile record adds: a label that would replace the home page, one that would
#: write outside the output folder, one that climbs into the test's own folder, a successor
#: that reads as a path. Each is refused at the line of its value.
HOSTILE_RETIREMENTS = (ATTACKS / "retired-labels.yaml").read_text(encoding="utf-8")
#: The line of each hostile value in the record (after the test root's own ten lines).
HOSTILE_LINES = (11, 14, 17, 21)


def hostile_record(srcdir: Path) -> Path:
    """The record of ``srcdir`` with the hostile entries appended."""
    path = srcdir / "_data" / "retired-labels.yaml"
    with path.open("a", encoding="utf-8") as record:
        record.write(HOSTILE_RETIREMENTS)
    return path


def test_the_record_refuses_labels_that_are_paths(tmp_path: Path) -> None:
    record = hostile_record(shutil.copytree(ROOTS / "test-citable", tmp_path / "root"))
    with pytest.raises(RetiredLabelsError) as refused:
        load_retired(record)
    assert [line for line, _ in refused.value.problems] == list(HOSTILE_LINES)
    assert all("not an article's slug or a block's label" in reason
               for _, reason in refused.value.problems)


@pytest.fixture(scope="module")
def hostile_retirements(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The citable test root with the hostile entries in its record, built with -W."""
    base = tmp_path_factory.mktemp("retired")
    srcdir = shutil.copytree(ROOTS / "test-citable", base / "docs")
    hostile_record(srcdir)
    return run_build(srcdir, "html", "-W", "--keep-going")


def test_hostile_retirements_fail_the_build_at_their_lines(
        hostile_retirements: HostileBuild) -> None:
    build = hostile_retirements
    assert crash_signs(build.output) == [], build.output[-4000:]
    for line in HOSTILE_LINES:
        assert re.search(rf"retired-labels\.yaml:{line}: ERROR: retired labels not used: ",
                         build.output), build.output[-4000:]


def test_hostile_retirements_write_nothing_outside_the_output(
        hostile_retirements: HostileBuild) -> None:
    build = hostile_retirements
    home = (build.outdir / "index.html").read_text(encoding="utf-8")
    assert "data-forward" not in home and "Moved:" not in home
    base = build.srcdir.parent
    written = {p for p in base.rglob("*")
               if not p.is_relative_to(build.outdir) and not p.is_relative_to(build.srcdir)
               and "doctrees" not in p.relative_to(base).parts[0]}
    assert written == set()
    assert not (build.outdir / "articles" / "../../../../tmp/x.html").resolve().exists()


def test_a_missing_successor_or_a_page_in_the_way_is_an_error_at_its_line(
        tmp_path: Path) -> None:
    """A successor the edition lacks, a retired slug that names one of its pages: located."""
    srcdir = shutil.copytree(ROOTS / "test-citable", tmp_path / "docs")
    (srcdir / "articles" / "notes.md").write_text("# Notes\n\nThe notes of the editors.\n",
                                                  encoding="utf-8")
    with (srcdir / "_data" / "retired-labels.yaml").open("a", encoding="utf-8") as record:
        record.write('- label: gone-slug\n  successor: never-written\n  reason: "Gone."\n'
                     '- label: notes\n  successor: new-slug\n  reason: "Not a page."\n')
    build = run_build(srcdir, "html")
    assert crash_signs(build.output) == [], build.output[-4000:]
    assert re.search(r"retired-labels\.yaml:11: ERROR: successor 'never-written' of the retired "
                     r"label 'gone-slug' is not a label of the edition", build.output), build.output
    assert re.search(r"retired-labels\.yaml:14: ERROR: retired label 'notes' names the page "
                     r"articles/notes of the edition", build.output), build.output
    assert "The notes of the editors." in (build.outdir / "articles" / "notes.html").read_text(
        encoding="utf-8")
    # the good entries still lead on
    assert (build.outdir / "articles" / "old-slug.html").is_file()


def test_check_refuses_labels_that_are_paths(tmp_path: Path) -> None:
    copy_edition(tmp_path)
    record = tmp_path / RETIRED_YAML
    record.write_text(HOSTILE_RETIREMENTS, encoding="utf-8")
    result = run_check(tmp_path)
    assert result.returncode == 1
    assert crash_signs(result.stdout + result.stderr) == []
    for line in (line - 10 for line in HOSTILE_LINES):
        assert re.search(rf"^{re.escape(RETIRED_YAML)}:{line}: .*not an article's slug",
                         result.stdout, re.MULTILINE), result.stdout


# --------------------------------------------------------------------------- confinement


def test_a_destination_outside_the_folders_is_refused(tmp_path: Path) -> None:
    """``..``, an absolute path and a symlinked folder lead outside: none is written."""
    out = tmp_path / "out"
    (out / "articles").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "linked").symlink_to(outside, target_is_directory=True)
    folders = [out]
    assert inside(out / "articles" / "a.html", folders) == (out / "articles" / "a.html").resolve()
    assert inside(out / "articles" / ".." / "a.html", folders) == (out / "a.html").resolve()
    for path in (out / "articles" / ".." / ".." / "x.html",
                 out / "articles" / "../../../../tmp/x.html",
                 Path("/tmp/x.html"),
                 out / Path("/etc/x.html"),  # an absolute part replaces the folder
                 out / "linked" / "x.html",
                 out / "linked" / ".." / "out" / ".." / "outside" / "x.html"):
        assert inside(path, folders) is None, path
        assert destination(path, folders=folders) is None
        assert not write_if_changed(path, "forwarded", folders=folders)
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "x.html").exists()


def test_a_symlinked_file_is_not_written_through(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    os.symlink(victim, out / "page.html")
    assert not write_if_changed(out / "page.html", "replaced", folders=[out])
    assert victim.read_text(encoding="utf-8") == "kept"


def test_a_tree_of_files_stays_in_its_folder(tmp_path: Path) -> None:
    """write_tree (the search index's files): plain names only, no way out of its folder."""
    out = tmp_path / "out"
    index = out / "_search"
    outside = tmp_path / "outside"
    outside.mkdir()
    index.mkdir(parents=True)
    (index / "linked").symlink_to(outside, target_is_directory=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("kept", encoding="utf-8")
    os.symlink(victim, index / "file.js")
    written = write_tree(index, {"t/0.js": "a", "../escaped.js": "b", "/etc/x.js": "c",
                                 "t/../../y.js": "d", "linked/z.js": "e", "file.js": "f"},
                         folders=[out])
    assert written == 1 and (index / "t" / "0.js").read_text(encoding="utf-8") == "a"
    assert list(outside.iterdir()) == [] and victim.read_text(encoding="utf-8") == "kept"
    assert not (out / "escaped.js").exists() and not (tmp_path / "y.js").exists()
    # a file the caller knows unchanged is not written again
    assert write_tree(index, {"t/0.js": "a"}, ["t/0.js"], folders=[out]) == 0
    assert write_tree(tmp_path / "elsewhere", {"x.js": "g"}, folders=[out]) == 0
