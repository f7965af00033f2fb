"""``python -m converters add``: a corpus post becomes a seed, an article and a card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from corpus import CORPUS, REASON
from edition_builds import copy_edition

from converters.__main__ import main
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


def add(project: Path, *files: Path) -> int:
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


def test_add_a_corpus_post(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The post is copied byte for byte as seed 004, listed, converted and checked clean."""
    assert add(project, POST) == 0
    out = capsys.readouterr().out
    seeds = sorted((project / "seeds").glob("004_*"))
    assert [s.name for s in seeds] == [f"004_{re.search(r'([0-9a-f]{64})', line).group(1)[:16]}.md"  # type: ignore[union-attr]
                                       for line in (project / "seeds" / "SHA256SUMS")
                                       .read_text(encoding="utf-8").splitlines()
                                       if line.endswith(".md")]
    seed = seeds[0]
    assert seed.read_bytes() == POST.read_bytes()
    assert seed.name in read_manifest(project / "seeds" / "SHA256SUMS")
    [page] = pages_of(project, seed.name)
    assert (project / "docs" / "_import" / page.name).read_text(encoding="utf-8") == \
        page.read_text(encoding="utf-8")
    front = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])
    assert front["authors"] == ["Chris Miller"]  # CHRIS MILLER in the source
    assert f"added as {project / 'seeds' / seed.name}" in out
    assert "names the registry does not know yet" in out
    assert [str(p) for p in check(project)] == []
    # the same bytes again are not a second seed
    assert add(project, POST) == 0
    assert len(list((project / "seeds").glob("004_*"))) == 1
    assert not list((project / "seeds").glob("005_*"))


def test_slug_change_moves_the_page_and_retires_its_labels(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A new slug leaves exactly one page, keeps the editor's edit and records the old labels."""
    assert add(project, POST) == 0
    seed = next((project / "seeds").glob("004_*")).name
    [old] = pages_of(project, seed)
    old_slug = old.stem
    text = old.read_text(encoding="utf-8")
    p2 = text.split("\n")[text.split("\n").index(f"({old_slug}-p2)=") + 1]
    old.write_text(text.replace(p2, p2 + "【编者订正】"), encoding="utf-8")
    editorial = project / "docs" / "_data" / "editorial.yaml"
    editorial.write_text(editorial.read_text(encoding="utf-8")
                         + f"\n  {seed}:\n    articles:\n    - slug: huawei-and-america\n",
                         encoding="utf-8")
    capsys.readouterr()

    assert add(project, project / "seeds" / seed) == 0
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
    editorial = project / "docs" / "_data" / "editorial.yaml"
    editorial.write_text(editorial.read_text(encoding="utf-8")
                         + f"\n  {seed}:\n    articles:\n    - slug: huawei-and-america\n",
                         encoding="utf-8")
    capsys.readouterr()

    assert add(project, project / "seeds" / seed) != 0
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


def test_added_text_has_a_card_and_is_counted_on_the_home_page(project: Path) -> None:
    """A real HTML build of the copy: a card for the new article, five sources in the title."""
    import subprocess
    import sys

    assert add(project, POST) == 0
    [page] = pages_of(project, next((project / "seeds").glob("004_*")).name)
    title = yaml.safe_load(page.read_text(encoding="utf-8").split("---\n")[1])["title"]
    out = project / "html"
    run = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q",
                          str(project / "docs"), str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    home = (out / "index.html").read_text(encoding="utf-8")
    card = re.search(rf'<a class="[^"]*" href="articles/{page.stem}.html"', home)
    assert card and title in home
    assert "<h1>Five Texts on China’s Internet" in home and "中国互联网五篇" in home
    assert "five sources on China’s internet industry" in home
