"""Builds of the real edition for the build tests: one copy of docs/, each format built once.

The project is copied into the session's temporary folder (with CONTRIBUTING.md, which the
contributing page includes) so that pages generated at build time never touch the working
tree. All formats share one doctree folder, as ``sphinx -M`` does: the sources are read once.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from docutils.parsers.rst import directives, roles
from sphinx.testing.util import SphinxTestApp

REPO = Path(__file__).resolve().parents[1]
ROOTS = Path(__file__).resolve().parent / "roots"
DOCS = REPO / "docs"
ARTICLES = DOCS / "articles"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


@dataclass(frozen=True)
class Build:
    """One finished build: where it is and what Sphinx said while making it."""

    #: The copied Sphinx project.
    srcdir: Path
    #: The builder's output folder.
    outdir: Path
    #: Warnings, without terminal colours.
    warnings: str


@dataclass(frozen=True)
class Article:
    """An article of the edition, from its source file."""

    slug: str
    meta: dict[str, Any]
    body: str

    @property
    def seed_number(self) -> str:
        """``000`` … ``003``: the number of the seed the article comes from."""
        return str(self.meta.get("seed", "")).partition("_")[0]


def read_articles() -> list[Article]:
    """Every article under docs/articles with its front matter."""
    found = []
    for path in sorted(ARTICLES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        match = _FRONT_MATTER.match(text)
        if match:
            found.append(Article(path.stem, yaml.safe_load(match.group(1)), text[match.end():]))
    return found


def copy_edition(dest: Path) -> Path:
    """A working copy of the edition's sources (docs/ without builds, and seeds/) in ``dest``."""
    shutil.copytree(DOCS, dest / "docs",
                    ignore=shutil.ignore_patterns("_build", "_generated", "__pycache__"))
    shutil.copytree(REPO / "seeds", dest / "seeds")
    return dest


_BUILDS: dict[str, Build] = {}


def root_build(dest: Path, testroot: str, buildername: str = "html",
               pages: dict[str, str | bytes] | None = None,
               confoverrides: dict[str, Any] | None = None) -> Build:
    """Build a copy of ``tests/roots/test-<testroot>`` in ``dest``, with ``pages`` added.

    For tests that share one build of a small root (a module fixture) where Sphinx's ``app``
    fixture would build it again for every test.
    """
    srcdir = dest / testroot
    shutil.copytree(ROOTS / f"test-{testroot}", srcdir,
                    ignore=shutil.ignore_patterns("_generated", "_build"))
    for name, text in (pages or {}).items():
        path = srcdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return _build(srcdir, dest / "build", buildername, confoverrides)


def _build(srcdir: Path, builddir: Path, buildername: str,
           confoverrides: dict[str, Any] | None = None) -> Build:
    """One Sphinx build with docutils' global roles and directives as they were before it."""
    # docutils keeps roles and directives in module globals, which other tests may have filled
    # (a stand-in for the edition's roles, say): build with none, then put them back.
    saved_roles, saved_directives = dict(roles._roles), dict(directives._directives)
    roles._roles.clear()
    directives._directives.clear()
    try:
        app = SphinxTestApp(buildername, srcdir=srcdir, builddir=builddir,
                            confoverrides=confoverrides)
        try:
            app.build()
            return Build(srcdir, Path(app.outdir), _ANSI.sub("", app.warning.getvalue()))
        finally:
            app.cleanup()
    finally:
        roles._roles.clear()
        roles._roles.update(saved_roles)
        directives._directives.clear()
        directives._directives.update(saved_directives)


def edition_build(factory: pytest.TempPathFactory, buildername: str) -> Build:
    """Build the edition in one format (once per test session)."""
    if buildername in _BUILDS:
        return _BUILDS[buildername]
    base = factory.getbasetemp() / "edition"
    srcdir = base / "docs"
    if not srcdir.exists():
        shutil.copytree(DOCS, srcdir, ignore=shutil.ignore_patterns("_generated", "_build"))
        shutil.copy2(REPO / "CONTRIBUTING.md", base / "CONTRIBUTING.md")
        # the notes of source links repeat the linked words, read from the seeds beside docs/
        shutil.copytree(REPO / "seeds", base / "seeds")
    build = _build(srcdir, base / "build", buildername)
    _BUILDS[buildername] = build
    return build
