"""``python -m converters add``: a corpus post becomes a seed, an article and a card."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from corpus import CORPUS, REASON
from edition_builds import copy_edition

from converters.__main__ import main
from converters.common.registry import load_registry
from converters.editing.add import readable_slug
from converters.editing.check import check
from converters.editing.seeds import read_manifest

ROOT = Path(__file__).resolve().parents[1]
#: A New York Times Chinese post whose byline is in capitals (CHRIS MILLER).
POST = CORPUS / "nytimes-cn" / "2020-09-18-37c35119ee.md"

# the shared corpus and builds of a copy of docs/
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not POST.is_file(), reason=REASON)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the edition to add a text to."""
    copy_edition(tmp_path)
    return tmp_path


def add(project: Path, *files: Path | str) -> int:
    """Run ``python -m converters add`` on the copy."""
    docs = project / "docs"
    return main(["add", *map(str, files), "--seeds", str(project / "seeds"),
                 "--out", str(docs / "articles"), "--registry", str(docs / "_data" /
                                                                    "registry.yaml"),
                 "--editorial", str(docs / "_data" / "editorial.yaml")])


def pages_of(project: Path, seed: str) -> list[Path]:
    """The article pages made from ``seed``."""
    return [p for p in sorted((project / "docs" / "articles").glob("*.md"))
            if f"\nseed: {seed}\n" in p.read_text(encoding="utf-8")]


def git(root: Path, *args: str) -> str:
    """Run git in the copy as a throwaway author; its output."""
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Editor",
                           "-c", "user.email=editor@example.org", *args],
                          check=True, capture_output=True, text=True).stdout


def published(project: Path) -> None:
    """Make the copy a repository whose main branch holds what is published."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "published")


def build_html(project: Path) -> Path:
    """A real HTML build of the copy; its output folder."""
    out = project / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q",
                          str(project / "docs"), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return out


def test_add_a_corpus_post_end_to_end(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One command: one page with a readable slug, its card, the counts of the introduction and
    the home page, no retirement, the candidates drafted, the next step printed, check ok."""
    published(project)
    before = sorted(p.name for p in (project / "docs" / "articles").glob("*.md"))
    assert add(project, POST) == 0
    out = capsys.readouterr().out
    # the seed, byte for byte, listed
    seeds = sorted((project / "seeds").glob("004_*"))
    digest = hashlib.sha256(POST.read_bytes()).hexdigest()
    assert [s.name for s in seeds] == [f"004_{digest[:16]}.md"]
    seed = seeds[0]
    assert seed.read_bytes() == POST.read_bytes()
    assert seed.name in read_manifest(project / "seeds" / "SHA256SUMS")
    # one page, its merge base, a slug read from the title and recorded in the editorial data
    after = sorted(p.name for p in (project / "docs" / "articles").glob("*.md"))
    [page] = pages_of(project, seed.name)
    assert sorted(set(after) - set(before)) == [page.name]
    front = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
    assert front["title"] == "美国要对华为实施“数码斩首”"
    registry = load_registry(project / "docs" / "_data" / "registry.yaml")
    assert page.stem == readable_slug(front["title"], registry) == \
        "meiguo-huawei-shishi-shuma-zhanshou"
    assert f"    - slug: {page.stem}" in (project / "docs" / "_data" / "editorial.yaml").read_text(
        encoding="utf-8")
    assert (project / "docs" / "_import" / page.name).read_text(encoding="utf-8") == \
        page.read_text(encoding="utf-8")
    assert front["authors"] == ["Chris Miller"]  # CHRIS MILLER in the source
    # no retirement: nothing of this text was ever published
    assert not (project / "docs" / "_data" / "retired-labels.yaml").exists()
    # the candidates drafted for review, and the next steps
    draft = project / "build" / "candidates" / f"{page.stem}.yaml"
    assert '"威廉·巴尔"' in draft.read_text(encoding="utf-8")
    assert f"python -m converters candidates --accept build/candidates/{page.stem}.yaml" in out
    assert "2. tag the accepted names by converting again: python -m converters " \
        f"seeds/{seed.name} --out docs/articles" in out
    assert "check the edition: python -m converters check" in out
    assert [str(p) for p in check(project)] == []
    # the same bytes again are not a second seed
    assert add(project, POST) == 0
    assert len(list((project / "seeds").glob("004_*"))) == 1
    # one card, and every count the edition states
    html = build_html(project)
    home = (html / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(rf'<a class="sd-stretched-link[^"]*" href="articles/{page.stem}.html"',
                          home)) == 1  # its card (the sidebar links it too)
    assert "<h1>Five Texts on China’s Internet" in home and "中国互联网五篇" in home
    assert "five sources on China’s internet industry" in home
    introduction = (html / "introduction.html").read_text(encoding="utf-8")
    assert "brings together five sources on China’s internet industry, published\n2020–2025, " \
        "presented as eight articles" in introduction
    assert "four sources" not in introduction.split("The edition began")[0]


def test_a_slug_corrected_before_it_was_published_leaves_no_retirement(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Added, then added again with another --slug before any commit: the page moves alone."""
    published(project)
    assert add(project, POST) == 0
    seed = next((project / "seeds").glob("004_*"))
    [old] = pages_of(project, seed.name)
    capsys.readouterr()
    assert add(project, seed, "--slug", "huawei-digital-decapitation") == 0
    [new] = pages_of(project, seed.name)
    assert new.name == "huawei-digital-decapitation.md" and not old.exists()
    assert "0 label(s) recorded as retired" in capsys.readouterr().out
    assert not (project / "docs" / "_data" / "retired-labels.yaml").exists()
    assert [str(p) for p in check(project)] == []


def test_slug_change_moves_the_page_and_retires_its_labels(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Once published, a new slug leaves exactly one page, keeps the editor's edit and records
    the old labels."""
    assert add(project, POST) == 0
    published(project)
    seed = next((project / "seeds").glob("004_*")).name
    [old] = pages_of(project, seed)
    old_slug = old.stem
    text = old.read_text(encoding="utf-8")
    p2 = text.split("\n")[text.split("\n").index(f"({old_slug}-p2)=") + 1]
    old.write_text(text.replace(p2, p2 + "【编者订正】"), encoding="utf-8")
    capsys.readouterr()

    assert add(project, project / "seeds" / seed, "--slug", "huawei-and-america") == 0
    [new] = pages_of(project, seed)
    assert new.name == "huawei-and-america.md"
    assert not old.exists() and not (project / "docs" / "_import" / old.name).exists()
    assert p2 + "【编者订正】" in new.read_text(encoding="utf-8").split("\n")
    assert "(huawei-and-america-p2)=" in new.read_text(encoding="utf-8").split("\n")
    retired = yaml.safe_load((project / "docs" / "_data" / "retired-labels.yaml")
                             .read_text(encoding="utf-8"))
    assert {"label": old_slug, "successor": "huawei-and-america"} == \
        {k: retired[0][k] for k in ("label", "successor")}
    assert {"label": f"{old_slug}-p2", "successor": "huawei-and-america-p2"} in \
        [{k: e[k] for k in ("label", "successor")} for e in retired]
    assert all(e["reason"] for e in retired)
    assert "moved to" in capsys.readouterr().out
    assert [str(p) for p in check(project)] == []


def test_a_refused_record_of_retired_labels_moves_no_page(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A slug change whose record of retired labels is refused: one located line, nothing moved."""
    assert add(project, POST) == 0
    seed = next((project / "seeds").glob("004_*")).name
    [old] = pages_of(project, seed)
    record = project / "docs" / "_data" / "retired-labels.yaml"
    record.write_text('- label: "../index"\n  successor: x\n  reason: "A path."\n',
                      encoding="utf-8")
    capsys.readouterr()

    assert add(project, project / "seeds" / seed, "--slug", "huawei-and-america") != 0
    assert pages_of(project, seed) == [old]
    err = capsys.readouterr().err
    assert err.startswith(f"error: {record}: line 1: label '../index' is not"), err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_refused_file_adds_nothing(project: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    """A file the converters refuse leaves seeds/ and the manifest as they were."""
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01binary")
    manifest = (project / "seeds" / "SHA256SUMS").read_bytes()
    assert add(project, bad) == 2
    assert "nothing was added" in capsys.readouterr().err
    assert (project / "seeds" / "SHA256SUMS").read_bytes() == manifest
    assert not list((project / "seeds").glob("004_*"))
