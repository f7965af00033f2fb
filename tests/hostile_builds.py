"""Builds of the hostile project (tests/roots/test-hostile) and of broken variants of it.

Every build runs Sphinx in a separate process, on a copy of the project, with an address-space
limit and a time-out: an alias bomb or a runaway recursion shows as a failed build with its
output, not as a test session that swaps or hangs.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HOSTILE = REPO / "tests" / "roots" / "test-hostile"

#: Address space a build may use: a normal build of the hostile project needs a few hundred MB,
#: an expanded alias bomb tens of GB.
MEMORY_LIMIT = 3 * 1024**3
#: Seconds after which a build counts as hung.
BUILD_TIMEOUT = 600

#: What Sphinx prints when an extension raises instead of reporting a problem.
CRASH_SIGNS: tuple[str, ...] = (
    "Traceback",
    "please open an issue",
    "Exception occurred",
    "internal error",
    "MemoryError",
    "RecursionError",
)

#: Each payload sets ``window.__pwned`` to a number naming the field it was put in.
PAYLOAD_FIELDS: dict[int, str] = {
    1: "title", 2: "subtitle", 3: "authors", 4: "publisher", 5: "column", 6: "translator",
    7: "language", 8: "source_url", 9: "original_url", 10: "image_credits", 12: "retrieved",
    13: "editorial value", 14: "editorial reason", 15: "editorial URL value",
    16: "editorial URL reason", 17: "removed kind", 18: "removed text", 19: "removed reason",
    20: "headline", 21: "body text", 22: "link text", 23: "javascript: link",
    24: "javascript: autolink", 25: "footnote text", 26: "footnote javascript: address",
    27: "figure alt", 28: "figure caption", 29: "figure credit", 30: "mention text",
    31: "HTML block", 32: "inline HTML", 33: "{raw} directive", 34: "raw in {eval-rst}",
    35: "javascript: link in {eval-rst}", 36: "image :target:", 37: "editorial note",
    38: "link title", 39: "onclick attribute", 40: "registry label (index letter)",
    41: "registry label", 42: "registry zh-Hans label", 43: "registry zh-Hant label",
    44: "registry alias", 45: "registry description", 46: "registry person description",
    47: "editorial.yaml title", 48: "editorial.yaml range", 49: "editorial.yaml moved",
    50: "editorial.yaml slug", 51: "html_meta description", 52: "page title",
    53: "home page title (the sidebar's first entry)",
    60: "BibTeX-breaking title", 61: "subtitle with unbalanced braces and TeX specials",
    62: "author starting a formula", 63: "author with braces, a comma and 'and'",
    64: "publisher starting a formula", 65: "translator starting a formula",
    66: "column starting a formula", 67: "mention text starting a formula",
    68: "registry label of an entity with formula names",
    69: "registry zh-Hans label starting a formula",
    70: "registry zh-Hant label starting a formula", 71: "registry alias starting a formula",
    72: "headline of the exports article",
}

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass(frozen=True)
class HostileBuild:
    """One finished (or failed) build of a copy of the hostile project."""

    #: The copied project.
    srcdir: Path
    #: The builder's output folder.
    outdir: Path
    #: Sphinx's exit status.
    returncode: int
    #: Everything Sphinx printed, without terminal colours.
    output: str


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


#: What the repository around the copied project holds that must never be published: a
#: ``.git/config`` with a token (as a CI checkout can have one).
SECRET = "edition-secret-token-7d1f"
#: Files the payloads try to create on the machine that builds or checks them.
SENTINELS: tuple[Path, ...] = (Path("/tmp/edition-hostile-ran"), Path("/tmp/edition-pwned"))


def copy_project(target: Path) -> Path:
    """A fresh copy of the hostile project at ``target``, in a repository with a secret.

    Symbolic links are copied as links (the project carries one to /etc/passwd).
    """
    shutil.copytree(HOSTILE, target, symlinks=True,
                    ignore=shutil.ignore_patterns("_generated", "_build"))
    git = target.parent / ".git"
    git.mkdir(exist_ok=True)
    (git / "config").write_text(f'[remote "origin"]\n\turl = https://x:{SECRET}@example.com/\n',
                                encoding="utf-8")
    return target


def run_build(srcdir: Path, buildername: str, *options: str) -> HostileBuild:
    """Build ``srcdir`` with ``buildername`` in a separate, memory-limited process."""
    outdir = srcdir.parent / f"{srcdir.name}-{buildername}"
    doctrees = srcdir.parent / f"{srcdir.name}-{buildername}-doctrees"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", buildername, "-q", "-d", str(doctrees),
         *options, str(srcdir), str(outdir)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=BUILD_TIMEOUT,
        preexec_fn=_limit_memory,
    )
    output = _ANSI.sub("", result.stdout + result.stderr)
    return HostileBuild(srcdir, outdir, result.returncode, output)


_BUILDS: dict[str, HostileBuild] = {}


def hostile_build(factory: pytest.TempPathFactory, buildername: str) -> HostileBuild:
    """The hostile project built in one format, once per test session (no ``-W``).

    The build refuses the payloads the allowlist does not list, so it ends with a non-zero
    status; it still writes every page (with the refused things left out) and never crashes.
    """
    if buildername not in _BUILDS:
        for sentinel in SENTINELS:
            sentinel.unlink(missing_ok=True)
        srcdir = copy_project(factory.mktemp(f"hostile-{buildername}") / "docs")
        build = run_build(srcdir, buildername)
        assert build.returncode == 1, build.output[-4000:]
        assert crash_signs(build.output) == [], build.output[-4000:]
        _BUILDS[buildername] = build
    return _BUILDS[buildername]


def broken_build(factory: pytest.TempPathFactory, name: str,
                 change: Callable[[Path], None]) -> HostileBuild:
    """A copy of the hostile project changed by ``change``, built as CI builds (``-W``)."""
    srcdir = copy_project(factory.mktemp(name) / "docs")
    change(srcdir)
    return run_build(srcdir, "html", "-W", "--keep-going")


def crash_signs(output: str) -> list[str]:
    """The signs of a crash (rather than a reported problem) in a build's output."""
    return [sign for sign in CRASH_SIGNS if sign in output]
