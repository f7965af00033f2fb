"""The speed-ups (edition/speedups/) behind one switch, ``edition_speedups``.

Installed all together or not at all, decided in the extension's ``setup()`` from ``conf.py``
or ``-D``; imported by nothing but that setup; and with the switch on or off the edition and
a sample of the corpus build to the same files, byte for byte.
"""

from __future__ import annotations

import ast
import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from corpus import AVAILABLE, CORPUS, REASON
from docutils import nodes
from edition_builds import DOCS, REPO, _build
from pydata_sphinx_theme import utils as pydata_utils
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.testing.util import SphinxTestApp

from edition.security.boundary import GatedMystParser

ROOTS = Path(__file__).resolve().parent / "roots"
#: The only module that may import edition.speedups (besides the package's own modules).
SETUP = "edition/__init__.py"
#: The code that could import it: the two packages, the scripts, benchmarks and projects.
SOURCES = sorted([
    *REPO.glob("converters/**/*.py"), *REPO.glob("edition/**/*.py"),
    *REPO.glob("scripts/**/*.py"), *REPO.glob("benchmarks/**/*.py"), DOCS / "conf.py",
    *ROOTS.glob("*/conf.py"), *ROOTS.glob("*/*.py"),
])
#: Files not compared: the hash of the HTML settings (``templates_path`` among them, where the
#: speed-ups add their sidebar template, so a switched build rewrites every page) and the
#: environment (in the doctree folder, and never the same bytes twice).
NOT_COMPARED = frozenset({".buildinfo", "environment.pickle"})
#: Corpus posts in the compared project.
CORPUS_POSTS = 20


# --------------------------------------------------------------------------- imports


def imported_modules(text: str, name: str) -> list[tuple[int, str]]:
    """Every module the file ``name`` imports (relative imports resolved) or names in full."""
    package = PurePosixPath(name).parts[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package[:len(package) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # importlib.import_module("edition.speedups…"), app.setup_extension("…")
            found.append((node.lineno, node.value))
    return found


def is_speedups(module: str) -> bool:
    """Whether a module name is edition.speedups or one of its modules."""
    return module == "edition.speedups" or module.startswith("edition.speedups.")


def test_only_the_setup_imports_the_speedups() -> None:
    """edition/__init__.py's setup() is the one way in: switching it off removes them all."""
    offenders = []
    for path in SOURCES:
        name = path.relative_to(REPO).as_posix()
        if name == SETUP or name.startswith("edition/speedups/"):
            continue
        offenders += [f"{name}:{line}: {module}"
                      for line, module in imported_modules(path.read_text(encoding="utf-8"), name)
                      if is_speedups(module)]
    assert not offenders, offenders
    setup = (REPO / SETUP).read_text(encoding="utf-8")
    assert any(is_speedups(module) for _line, module in imported_modules(setup, SETUP))


def test_the_import_check_resolves_relative_imports() -> None:
    """``from ..speedups import x`` in edition/web/ is found as edition.speedups."""
    probe = "from ..speedups import gc_tuning\nfrom .. import speedups\n"
    found = {module for _line, module in imported_modules(probe, "edition/web/probe.py")}
    assert {"edition.speedups", "edition.speedups.gc_tuning"} <= found
    found = {module for _line, module in imported_modules(probe, "edition/web/__init__.py")}
    assert {"edition.speedups", "edition.speedups.gc_tuning"} <= found


# --------------------------------------------------------------------------- the switch


def speedup_handlers(app: Sphinx) -> set[str]:
    """The modules of edition/speedups/ that connected an event handler."""
    modules = {getattr(listener.handler, "__module__", "")
               for listeners in app.events.listeners.values() for listener in listeners}
    return {module for module in modules if is_speedups(module)}


def make_app(tmp_path: Path, conf_line: str = "", **overrides: Any) -> SphinxTestApp:
    """An application for a copy of the front-matter root (``conf_line`` added to conf.py)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-frontmatter", src)
    if conf_line:
        with (src / "conf.py").open("a", encoding="utf-8") as conf:
            conf.write(f"\n{conf_line}\n")
    return SphinxTestApp("html", srcdir=src, builddir=tmp_path / "build",
                         confoverrides=overrides)


@pytest.mark.parametrize(("conf_line", "overrides", "on"), [
    pytest.param("", {}, True, id="default"),
    pytest.param("", {"edition_speedups": "1"}, True, id="-D edition_speedups=1"),
    pytest.param("", {"edition_speedups": "0"}, False, id="-D edition_speedups=0"),
    pytest.param("edition_speedups = False", {}, False, id="conf.py"),
    pytest.param("edition_speedups = False", {"edition_speedups": "1"}, True,
                 id="-D over conf.py"),
])
def test_the_switch_is_read_in_setup(tmp_path: Path, conf_line: str, overrides: dict[str, str],
                                     on: bool) -> None:
    """conf.py and -D decide, before anything is registered: all of edition/speedups/ or none."""
    from edition.speedups.myst_yaml import EditionMystParser
    from edition.speedups.navigation import TEMPLATES
    from edition.speedups.stddomain import EditionStandardDomain
    from edition.speedups.theme_checks import THEME_CHECK
    from edition.speedups.tree_walks import DOCUTILS_FINDALL

    app = make_app(tmp_path, conf_line, **overrides)
    try:
        assert app.config.edition_speedups is on
        parser = app.registry.source_parsers["markdown"]
        domain = app.registry.domains["std"]
        handlers = speedup_handlers(app)
        # an application made and not built replaces no library function (a build does)
        assert nodes.Node.findall is DOCUTILS_FINDALL
        assert pydata_utils._update_and_remove_templates is THEME_CHECK
        if on:
            assert parser is EditionMystParser and domain is EditionStandardDomain
            assert str(TEMPLATES) in app.config.templates_path
            assert handlers == {f"edition.speedups.{name}"
                                for name in ("gc_tuning", "stddomain", "navigation", "swap")}
        else:
            # the boundary's parser (the allowlist is not a speed-up), Sphinx's own domain
            assert parser is GatedMystParser and domain is StandardDomain
            assert str(TEMPLATES) not in app.config.templates_path
            assert handlers == set()
    finally:
        app.cleanup()


def test_a_command_line_value_sphinx_cannot_read_is_one_warning(tmp_path: Path) -> None:
    """``-D edition_speedups=false``: Sphinx reads only 0 and 1; a warning, and the default."""
    app = make_app(tmp_path, edition_speedups="false")
    try:
        assert app.config.edition_speedups is True
        warnings = app.warning.getvalue()
        assert "'edition_speedups' must be '0' or '1', got 'false'" in warnings
        assert "Traceback" not in warnings
    finally:
        app.cleanup()


@pytest.mark.parametrize("on", [True, False], ids=["on", "off"])
def test_a_build_with_the_switch(tmp_path: Path, on: bool) -> None:
    """The collector is tuned only when on; the standard domain is Sphinx's own when off."""
    from edition.speedups.stddomain import EditionStandardDomain

    gc.unfreeze()  # what an earlier build of this process left frozen
    app = make_app(tmp_path, edition_speedups=on)
    frozen: list[int] = []
    app.connect("source-read", lambda *_: frozen.append(gc.get_freeze_count()))
    try:
        app.build()
        assert frozen
        assert (min(frozen) > 0) is on
        domain = app.env.domains.standard_domain
        assert isinstance(domain, EditionStandardDomain) is on
        assert (gc.get_freeze_count() > 0) is on  # left frozen for the next build, or the exit
    finally:
        app.cleanup()


def test_off_on_the_command_line_imports_none_of_it(tmp_path: Path) -> None:
    """``sphinx-build -D edition_speedups=0``: a boolean from the command line, and no module
    of edition/speedups/ is even imported (an upgrade that breaks an import is met too)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-frontmatter", src)
    script = (
        "import sys\n"
        "from sphinx.cmd.build import build_main\n"
        f"code = build_main(['-q', '-b', 'html', '-D', 'edition_speedups=0', {str(src)!r},"
        f" {str(tmp_path / 'out')!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.startswith('edition.speedups')))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    assert result.stdout.strip().splitlines()[-1] == "0 []", result.stdout + result.stderr
    assert (tmp_path / "out" / "index.html").is_file()


# --------------------------------------------------------------------------- same output


def output_files(outdir: Path) -> dict[str, bytes]:
    """Every file a build wrote, by its path in the output folder."""
    return {path.relative_to(outdir).as_posix(): path.read_bytes()
            for path in sorted(outdir.rglob("*"))
            if path.is_file() and path.name not in NOT_COMPARED}


def assert_same_output(project: Path, srcdir: str, work: Path) -> int:
    """Build a copy of ``project`` (its folder ``srcdir``) with the switch on and with it off:
    every file the same. How many files were compared."""
    builds = {}
    for on in (True, False):
        copy = work / f"project-{'on' if on else 'off'}"
        shutil.copytree(project, copy)
        build = _build(copy / srcdir, work / f"build-{'on' if on else 'off'}", "html",
                       {"edition_speedups": on})
        assert "Traceback" not in build.warnings
        builds[on] = output_files(build.outdir)
    assert sorted(builds[True]) == sorted(builds[False])
    different = [name for name in builds[True] if builds[True][name] != builds[False][name]]
    assert not different, different
    return len(builds[True])


def corpus_sample(size: int) -> list[Path]:
    """``size`` posts spread evenly over the corpus (both of its formats)."""
    posts = sorted(p for p in CORPUS.glob("*/*.md") if p.name != "README.md")
    step = len(posts) / size
    return [posts[int(i * step)] for i in range(size)]


@pytest.mark.slow
def test_the_edition_is_the_same_without_the_speedups(tmp_path: Path) -> None:
    """docs/ in HTML: every file byte for byte (the search index and the sidebar included)."""
    edition = tmp_path / "edition"
    shutil.copytree(DOCS, edition / "docs",
                    ignore=shutil.ignore_patterns("_build", "_generated", "__pycache__"))
    shutil.copytree(REPO / "seeds", edition / "seeds")
    shutil.copy2(REPO / "CONTRIBUTING.md", edition / "CONTRIBUTING.md")
    assert assert_same_output(edition, "docs", tmp_path) > 300


#: A project of corpus posts configured as the edition (as benchmarks/bench.py makes one).
CORPUS_CONF = '''\
import runpy

globals().update(
    (key, value) for key, value in runpy.run_path({conf!r}).items() if not key.startswith("__")
)
project = "Corpus sample"
'''
CORPUS_INDEX = "# Corpus sample\n\n```{toctree}\n:glob:\n:maxdepth: 1\n\narticles/*\n```\n"


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=REASON)
def test_a_corpus_sample_is_the_same_without_the_speedups(tmp_path: Path) -> None:
    """Twenty corpus posts converted by the converters' command line, built both ways."""
    project = tmp_path / "corpus"
    shutil.copytree(DOCS, project, ignore=shutil.ignore_patterns(
        "articles", "_build", "_generated", "*.md"))
    (project / "conf.py").write_text(CORPUS_CONF.format(conf=str(DOCS / "conf.py")),
                                     encoding="utf-8")
    (project / "index.md").write_text(CORPUS_INDEX, encoding="utf-8")
    (project / "articles").mkdir()
    posts = corpus_sample(CORPUS_POSTS)
    subprocess.run([sys.executable, "-m", "converters", *map(str, posts),
                    "--out", str(project / "articles")], cwd=REPO, check=True,
                   capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert len(list((project / "articles").glob("*.md"))) >= CORPUS_POSTS
    assert assert_same_output(project, ".", tmp_path) > CORPUS_POSTS


def test_a_build_checks_fewer_templates_then_gives_the_theme_its_check_back(
        tmp_path: Path) -> None:
    """The theme's check is ours during the build, the theme's own after it."""
    from pydata_sphinx_theme import utils

    from edition.speedups.theme_checks import THEME_CHECK, _check_fewer

    app = make_app(tmp_path)
    during: list[object] = []
    app.connect("html-page-context", lambda *_: during.append(utils._update_and_remove_templates),
                priority=100)
    try:
        app.build()
        assert during and all(function is _check_fewer for function in during)
        assert utils._update_and_remove_templates is THEME_CHECK
    finally:
        app.cleanup()
