"""The command line on good and bad input: summaries, exit status 2, one-line errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.model import ConversionError
from converters.pipeline import Options, convert_source
from converters.sources import decode

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run the converter command as a user would (from ``cwd``, the repository by default)."""
    return subprocess.run(
        [sys.executable, "-m", "converters", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_seeds_convert_into_at_least_seven_articles_byte_identically(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        result = run(*SEEDS, "--out", out)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    pages = sorted(p.name for p in first.glob("*.md"))
    assert len(pages) >= 7
    assert pages == sorted(p.name for p in second.glob("*.md"))
    for name in pages:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # One summary line per input, naming what came out.
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(SEEDS)
    for seed, line in zip(SEEDS, lines, strict=True):
        assert line.startswith(seed.name)
        for word in ("article", "footnote", "figure", "removed"):
            assert word in line


BAD_INPUTS: dict[str, tuple[bytes, str]] = {
    "empty.txt": (b"", "empty file"),
    "blank.txt": (b"  \n\n \t\n", "empty file"),
    "binary.bin": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL byte at offset 8)"),
    "latin1.txt": (
        "Caf\u00e9 cr\u00e8me\n".encode("latin-1") * 3, "not UTF-8 (byte 0xe9 at offset 3)"
    ),
    "unknown.txt": (b"Just one ordinary sentence with no structure at all.\n", "unknown format"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    data, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = run(path, "--out", tmp_path / "out")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: {path}: ")
    assert expected in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_missing_file(tmp_path: Path) -> None:
    result = run(tmp_path / "nope.txt", "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: {tmp_path / 'nope.txt'}: no such file"]


def test_a_folder_without_sources_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "SHA256SUMS").write_text("", encoding="utf-8")
    (empty / ".hidden.txt").write_text("x", encoding="utf-8")
    (empty / "sub").mkdir()
    result = run(empty, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"note: {empty / 'SHA256SUMS'}: skipped, not a source (the seeds' manifest and notes are "
        "not converted)",
        "error: no source file to convert"]
    assert not (tmp_path / "out").exists()


def copy_project(tmp_path: Path) -> Path:
    """The edition's docs/ (its conf.py, pages, merge bases and data) and seeds/, in a folder."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "docs", project / "docs",
                    ignore=shutil.ignore_patterns("_generated", "_build"))
    shutil.copytree(ROOT / "seeds", project / "seeds")
    return project


def files_under(folder: Path) -> dict[Path, bytes]:
    """Every file under ``folder``, with its bytes."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_seeds_star_into_docs_articles(tmp_path: Path) -> None:
    """``python -m converters seeds/* --out docs/articles``, as typed in the repository: the
    shell's list includes the manifest, which is skipped with a note; the merge bases stay in
    docs/_import (docs holds conf.py); nothing is written anywhere else."""
    project = copy_project(tmp_path)
    before = files_under(tmp_path)
    typed = [f"seeds/{p.name}" for p in sorted((project / "seeds").iterdir())]  # seeds/*
    assert "seeds/SHA256SUMS" in typed
    result = run(*typed, "--out", "docs/articles", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "note: seeds/SHA256SUMS: skipped, not a source (the seeds' manifest and notes are not "
        "converted)"]
    seeds = [name for name in typed if not name.endswith("SHA256SUMS")]
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        name.removeprefix("seeds/") for name in seeds]
    after = files_under(tmp_path)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    places = {("project", "docs", "articles"), ("project", "docs", "_import")}
    assert all(p.parts[:3] in places and len(p.parts) == 4 for p in changed), changed
    pages = sorted(p.name for p in (project / "docs" / "articles").glob("*.md"))
    assert pages == sorted(p.name for p in (project / "docs" / "_import").glob("*.md"))
    assert len(pages) >= 7


def test_a_folder_stands_for_its_sources(tmp_path: Path) -> None:
    """``seeds/`` converts what ``seeds/*`` converts, into the same pages."""
    project = copy_project(tmp_path)
    star = run(*sorted((project / "seeds").iterdir()), "--out", tmp_path / "star")
    folder = run(project / "seeds", "--out", tmp_path / "folder")
    assert star.returncode == folder.returncode == 0, star.stderr + folder.stderr
    assert star.stdout == folder.stdout
    assert files_under(tmp_path / "star") == files_under(tmp_path / "folder")
    assert len(list((tmp_path / "folder").glob("*.md"))) >= 7


def test_outputs_outside_a_project_keep_their_merge_bases_inside(tmp_path: Path) -> None:
    """Two output folders side by side (no conf.py around them) never meet: each keeps its
    merge bases in its own _import/, nothing is written into the folder holding them, and the
    same article from a copy of its seed goes into the second without a refusal."""
    copy = tmp_path / "inputs" / "copy-of-000.txt"
    copy.parent.mkdir()
    copy.write_bytes(SEEDS[0].read_bytes())
    outputs = tmp_path / "outputs"
    first, second = outputs / "x", outputs / "y"
    assert run(SEEDS[0], "--out", first).returncode == 0
    bases = files_under(first / "_import")
    result = run(copy, "--out", second)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in outputs.iterdir()) == ["x", "y"]
    assert files_under(first / "_import") == bases
    name = "tiktok-red-note-china-internet.md"
    assert f"seed: {copy.name}" in (second / "_import" / name).read_text(encoding="utf-8")
    # an edit in one folder merges against that folder's base only
    page = first / name
    page.write_text(page.read_text(encoding="utf-8").replace("TikTok", "TikTok·", 1),
                    encoding="utf-8")
    assert run(SEEDS[0], "--out", first).returncode == 0
    assert "TikTok·" in page.read_text(encoding="utf-8")
    assert files_under(first / "_import") == bases


def test_articles_of_two_projects_never_share_merge_bases(tmp_path: Path) -> None:
    """``--out /tmp/a/articles`` and ``--out /tmp/b/articles``: each its own merge bases."""
    for project in ("a", "b"):
        assert run(SEEDS[1], "--out", tmp_path / project / "articles").returncode == 0
    for project in ("a", "b"):
        assert sorted(p.name for p in (tmp_path / project).iterdir()) == ["articles"]
        assert list((tmp_path / project / "articles" / "_import").glob("*.md"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


@pytest.mark.parametrize("seed_index", [0, 1])
def test_truncated_html_is_refused(tmp_path: Path, seed_index: int) -> None:
    raw = SEEDS[seed_index].read_bytes()
    # Cut in the middle of the body, on a character boundary.
    cut = raw[: len(raw) // 2].decode("utf-8", errors="ignore").encode("utf-8")
    path = tmp_path / "cut.txt"
    path.write_bytes(cut)
    result = run(path, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert "truncated HTML" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("encoding", ["gb18030", "big5"])
def test_legacy_chinese_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    seed = SEEDS[2] if encoding == "big5" else SEEDS[0]
    text = seed.read_text(encoding="utf-8")
    if encoding == "big5":
        # Big5 cannot encode every character of the seed (curly quotes, some hanzi): keep the
        # lines it can, which is still a valid bilingual text.
        lines = []
        for line in text.splitlines():
            try:
                line.encode("big5")
            except UnicodeEncodeError:
                continue
            lines.append(line)
        text = "\n".join(lines) + "\n"
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(text.encode(encoding, errors="strict"))
    result = run(path, "--out", tmp_path / "out", "--no-editorial")
    assert result.returncode == 0, result.stderr
    page = next((tmp_path / "out").glob("*.md")).read_text(encoding="utf-8")
    # A run of Chinese text from the middle of the source reaches the page intact.
    runs = re.findall(r"[\u4e00-\u9fff]{8,}", text)
    assert runs
    sample = runs[len(runs) // 2][:8]
    assert sample in page


def _convert_or_refuse(raw: bytes) -> None:
    """Converting must either succeed or raise ConversionError: never anything else."""
    try:
        convert_source(decode("random.txt", raw), Options(editorial=None, registry=None))
    except ConversionError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_random_bytes_never_raise_anything_but_a_refusal(raw: bytes) -> None:
    _convert_or_refuse(raw)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_random_text_never_raises_anything_but_a_refusal(text: str) -> None:
    _convert_or_refuse(text.encode("utf-8"))


TAGS = ["p", "div", "a", "b", "i", "section", "figure", "img", "small", "address", "time",
        "footer", "article", "header", "h1", "h2", "span", "script", "br", "li", "ul"]
ATTRS = ['', ' href="javascript:alert(1)"', ' href="/x"', ' src="https://i.example/a.jpg"',
         ' class="entry-content"', ' onclick="alert(1)"', ' class="blog-post__description"',
         ' datetime="2020-07-24 10:00:00"']


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    """Random, often broken, HTML in the shapes of the two HTML formats."""
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.integers(0, 3))
        tag = draw(st.sampled_from(TAGS))
        if kind == 0:
            parts.append(f"<{tag}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(st.text(max_size=20)))
    return "".join(parts)


PREFIXES = [
    "",
    "<!--1737428822000-->\n[Title](https://cn.nytimes.com/a/b/)\n------\n\n",
    "---\nlayout: post\ntitle: \"T\"\ndate: 2020-07-24T03:24:32+01:00\nauthor: Nei.st\n"
    "from: https://nei.st/medium/caixin/cw914-x\n---\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PREFIXES), html_fragments())
def test_random_html_never_raises_anything_but_a_refusal(prefix: str, body: str) -> None:
    _convert_or_refuse((prefix + body).encode("utf-8"))


def test_two_inputs_making_the_same_page_are_not_both_written(tmp_path: Path) -> None:
    copy = tmp_path / "copy-of-000.txt"
    copy.write_bytes(SEEDS[0].read_bytes())
    result = run(SEEDS[0], copy, "--out", tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: {copy}: its article tiktok-red-note-china-internet.md was already written "
        f"from {SEEDS[0]}"
    )
    page = (tmp_path / "out" / "tiktok-red-note-china-internet.md").read_text(encoding="utf-8")
    assert f"seed: {SEEDS[0].name}" in page
