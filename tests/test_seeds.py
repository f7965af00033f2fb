"""Seeds are immutable once committed: the manifest and the history catch any edit."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from edition_builds import copy_edition

from converters.__main__ import main as convert_main
from converters.editing.check import check, main
from converters.editing.seeds import MANIFEST_NAME, add_to_manifest, new_seed_name, read_manifest

ROOT = Path(__file__).resolve().parents[1]
SEED = "001_116d69d97c42a296.txt"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the edition (pages, merge bases, registry, seeds)."""
    copy_edition(tmp_path)
    return tmp_path


def git(root: Path, *args: str) -> None:
    """Run git in ``root`` as a throwaway author."""
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Editor",
                    "-c", "user.email=editor@example.org", *args],
                   check=True, capture_output=True)


def edit_seed_and_convert_again(project: Path) -> None:
    """Edit a seed by one word and convert it again, as a careless editor would.

    The converter refuses the edited seed; a copy of it outside seeds/ (same name) converts,
    as an older converter converted the seed itself.
    """
    seed = project / "seeds" / SEED
    seed.write_bytes(seed.read_bytes().replace(b"TikTok", b"TikTak", 1))
    out = str(project / "docs" / "articles")
    assert convert_main([str(seed), "--out", out, "--resolved"]) == 2
    elsewhere = project / "elsewhere" / SEED
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(seed.read_bytes())
    assert convert_main([str(elsewhere), "--out", out, "--resolved"]) == 0


def test_manifest_lists_every_committed_seed() -> None:
    """seeds/SHA256SUMS is in sha256sum's format and matches every seed."""
    listed = read_manifest(ROOT / "seeds" / MANIFEST_NAME)
    seeds = sorted(p.name for p in (ROOT / "seeds").iterdir() if p.name != MANIFEST_NAME)
    assert sorted(listed) == seeds
    run = subprocess.run(["sha256sum", "-c", MANIFEST_NAME], cwd=ROOT / "seeds",
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout + run.stderr


def test_edited_and_reconverted_seed_fails_naming_the_seed(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The article now matches the edited seed, and still check names seeds/<file>."""
    edit_seed_and_convert_again(project)
    capsys.readouterr()
    found = [str(p) for p in check(project)]
    assert any(p.startswith(f"seeds/{SEED}:1: seed has changed") for p in found), found
    # the article itself is consistent with its (edited) seed: only the seed is named
    assert all(p.startswith("seeds/") for p in found), found
    assert main(["--root", str(project)]) == 1
    assert f"seeds/{SEED}:1: seed has changed" in capsys.readouterr().out


def test_seed_edited_with_its_manifest_line_fails_against_history(project: Path) -> None:
    """Updating the manifest too does not help: the first committed version is the record."""
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "edition")
    assert [str(p) for p in check(project, ["seeds"])] == []
    edit_seed_and_convert_again(project)
    add_to_manifest(project / "seeds", project / "seeds" / SEED)  # cover the tracks
    git(project, "commit", "-q", "-am", "edited a seed")
    found = [str(p) for p in check(project, ["seeds"])]
    assert any(p.startswith(f"seeds/{SEED}:1: seed has changed since it was first committed")
               for p in found), found


def test_unlisted_seed_is_reported(project: Path) -> None:
    """A file dropped into seeds/ by hand is not a seed until the manifest lists it."""
    (project / "seeds" / "004_abc.txt").write_text("x\n", encoding="utf-8")
    found = [str(p) for p in check(project, ["seeds"])]
    assert any(p.startswith("seeds/004_abc.txt:1: seed is not in seeds/SHA256SUMS")
               for p in found), found


def test_new_seed_name_rule(tmp_path: Path) -> None:
    """The next number after the highest, the first 16 hex digits of the SHA-256, the suffix."""
    (tmp_path / "000_a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "007_b.txt").write_text("b", encoding="utf-8")
    (tmp_path / MANIFEST_NAME).write_text("", encoding="utf-8")
    assert new_seed_name(tmp_path, b"abc", ".MD") == "008_ba7816bf8f01cfea.md"
