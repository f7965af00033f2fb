"""The seeds: naming a new one, and the manifest that keeps every committed seed unchanged.

``seeds/SHA256SUMS`` lists the SHA-256 of every seed in ``sha256sum`` format (so
``cd seeds && sha256sum -c SHA256SUMS`` checks it too). ``check`` compares each seed with the
manifest and, in a git checkout, with the seed as it was first committed: an edited seed fails
with the seed's own path whatever the converter did after, and so does an edited manifest.

A new seed is named ``NNN_<hash>.<ext>``: ``NNN`` the next three-digit number after the highest
in ``seeds/``, ``<hash>`` the first 16 hex digits of the SHA-256 of its bytes, ``<ext>`` the
extension it arrived with (``.txt``, or ``.md`` for the corpus's posts).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

#: The manifest's file name, inside ``seeds/``.
MANIFEST_NAME = "SHA256SUMS"
#: Files of ``seeds/`` that are not seeds.
NOT_SEEDS = frozenset({MANIFEST_NAME, "README.md"})
#: A seed's name: number, hash part and extension.
SEED_NAME = re.compile(r"(?P<number>\d{3})_(?P<id>[0-9a-z]+)(?P<suffix>\.[A-Za-z0-9]+)")
#: How many hex digits of the SHA-256 name a new seed.
HASH_DIGITS = 16
#: A manifest line: digest, two spaces (or space and '*', binary mode), file name.
MANIFEST_LINE = re.compile(r"(?P<digest>[0-9a-f]{64}) [ *](?P<name>\S.*)")


@dataclass(frozen=True)
class SeedProblem:
    """A seed (or manifest line) that is not as committed."""

    path: str  #: relative to the project root
    line: int
    message: str


def sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def seed_files(seeds: Path) -> list[Path]:
    """The seeds in ``seeds/``, by name (the manifest and hidden files are not seeds)."""
    return sorted(p for p in seeds.iterdir()
                  if p.is_file() and p.name not in NOT_SEEDS and not p.name.startswith("."))


def new_seed_name(seeds: Path, raw: bytes, suffix: str) -> str:
    """The name a new seed with these bytes gets (see the module's rule)."""
    numbers = [int(m.group("number")) for p in seed_files(seeds)
               if (m := SEED_NAME.fullmatch(p.name))]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{hashlib.sha256(raw).hexdigest()[:HASH_DIGITS]}{suffix.lower()}"


def read_manifest(manifest: Path) -> dict[str, tuple[str, int]]:
    """File name -> (digest, line) of every well-formed line of the manifest."""
    entries: dict[str, tuple[str, int]] = {}
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        match = MANIFEST_LINE.fullmatch(line.strip())
        if match:
            entries[match.group("name")] = (match.group("digest"), number)
    return entries


def add_to_manifest(seeds: Path, seed: Path) -> None:
    """Record ``seed`` in the manifest (sorted by name, one line each)."""
    manifest = seeds / MANIFEST_NAME
    entries = {name: digest for name, (digest, _line) in
               (read_manifest(manifest).items() if manifest.exists() else [])}
    entries[seed.name] = sha256(seed)
    manifest.write_text("".join(f"{entries[name]}  {name}\n" for name in sorted(entries)),
                        encoding="utf-8")


def seed_problem(path: Path) -> str:
    """Why the converter refuses ``path``: a seed that differs from its manifest ('' if none).

    A file whose folder holds a manifest is a seed: it is converted only as the manifest
    records it, so an edited seed never becomes an article (``check`` reports it too).
    """
    manifest = path.parent / MANIFEST_NAME
    if not manifest.is_file() or path.name in NOT_SEEDS:
        return ""
    listed = read_manifest(manifest)
    if path.name not in listed:
        return (f"a seed not listed in {manifest}: new texts are added with python -m "
                "converters add, which records them")
    digest, line = listed[path.name]
    actual = sha256(path)
    if actual != digest:
        return (f"this seed differs from {manifest}:{line} (its sha256 is {actual[:16]}…, the "
                f"manifest records {digest[:16]}…): seeds are never edited; restore it with "
                f"git checkout -- {path}")
    return ""


def _git(root: Path, *args: str) -> str | None:
    """Output of a git command in ``root``, or None where git or the history is unavailable."""
    git = shutil.which("git")
    if git is None:
        return None
    proc = subprocess.run([git, "-C", str(root), *args], capture_output=True, text=True,
                          check=False)
    return proc.stdout.strip() if proc.returncode == 0 else None


def first_committed(root: Path, relative: str) -> tuple[str, str] | None:
    """The commit that first added ``relative`` and the blob id it had then (None: never)."""
    added = _git(root, "log", "--format=%H", "--diff-filter=A", "--", relative)
    if not added:
        return None
    commit = added.splitlines()[-1]
    blob = _git(root, "rev-parse", f"{commit}:{relative}")
    return (commit, blob) if blob else None


def check_seeds(root: Path, seeds_dir: Path = Path("seeds")) -> list[SeedProblem]:
    """Every seed listed in the manifest with its digest, and as first committed."""
    seeds = root / seeds_dir
    manifest = seeds / MANIFEST_NAME
    shown_manifest = (seeds_dir / MANIFEST_NAME).as_posix()
    if not seeds.is_dir():
        return []
    if not manifest.is_file():
        return [SeedProblem(shown_manifest, 1, "the seed manifest is missing (it lists the "
                            "SHA-256 of every seed; python -m converters add keeps it)")]
    problems: list[SeedProblem] = []
    listed = read_manifest(manifest)
    in_git = _git(root, "rev-parse", "--is-inside-work-tree") == "true"
    files = {path.name: path for path in seed_files(seeds)}
    for name, (_digest, line) in listed.items():
        if name not in files:
            problems.append(SeedProblem(shown_manifest, line, f"seed {seeds_dir.as_posix()}/"
                                        f"{name} is listed but missing"))
    for name, path in files.items():
        shown = (seeds_dir / name).as_posix()
        actual = sha256(path)
        if name not in listed:
            problems.append(SeedProblem(shown, 1, f"seed is not in {shown_manifest} (add new "
                                        "seeds with python -m converters add)"))
        elif listed[name][0] != actual:
            problems.append(SeedProblem(shown, 1, f"seed has changed: its sha256 is {actual}, "
                                        f"{shown_manifest} records {listed[name][0]} (seeds are "
                                        f"never edited: git checkout -- {shown})"))
            continue
        if not in_git:
            continue
        first = first_committed(root, shown)
        if first is None:
            continue  # a new seed, not committed yet: the manifest is its record
        commit, blob = first
        if _git(root, "hash-object", "--", shown) != blob:
            problems.append(SeedProblem(shown, 1, f"seed has changed since it was first "
                                        f"committed in {commit[:10]} (seeds are never edited: "
                                        f"git show {commit[:10]}:{shown} > {shown})"))
    return problems
