"""The nox sessions: the edition, its tests and checks, all in one environment made from uv.lock.

Sessions: build, html, tests, tests-fast, check, lint, serve, preview, shards, bench;
tests-oldest and tests-latest. Every session that uses the toolkit runs in one environment,
``.nox/toolkit``: uv makes it from ``uv.lock`` (the project and all its extras, at the
versions the lock names) the first time, and later only checks it against the lock, so the
first session installs and the others start at once. ``tests-oldest`` and ``tests-latest``
have environments of their own:
the lowest versions ``pyproject.toml`` allows, and the newest releases (the lock ignored).

``nox -s build`` writes the edition to ``build/html``, ``build/latex/edition.pdf`` and
``build/epub``; ``nox -s tests`` runs the test suite. Both install the Debian packages they
need first (``scripts/setup-system.sh``; does nothing when they are there).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
DOCS = "docs"
BUILD = "build"
ARTICLES = ROOT / DOCS / "articles"
SEEDS = ROOT / "seeds"
SETUP_SYSTEM = "scripts/setup-system.sh"
#: When no commit date is at hand: the build date written into the PDF and EPUB must not change
#: from one build to the next.
DEFAULT_SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01T00:00:00Z

#: The environments the sessions run in (nox's own folder, so `nox` users know where to look).
ENVS = ROOT / ".nox"
#: The one environment of every toolkit session, made from uv.lock.
TOOLKIT = ENVS / "toolkit"
#: The fast suite on the declared minima, and the whole suite on the newest releases.
OLDEST = ENVS / "tests-oldest"
LATEST = ENVS / "tests-latest"
#: The uv installed into .nox/uv when none is at hand (a machine with only Python and nox); the
#: version that wrote uv.lock. A uv found on the machine must be at least UV_MINIMUM.
UV_VERSION = "0.13.9"
UV_MINIMUM = (0, 13, 9)

# The sessions make their environments themselves (above): nox makes none.
nox.options.default_venv_backend = "none"
nox.options.sessions = ["build", "tests", "check", "lint"]


def _uv_version(uv: str) -> tuple[int, ...]:
    """The version of the uv at ``uv`` (``()`` when it does not run)."""
    try:
        out = subprocess.run([uv, "--version"], capture_output=True, text=True, check=False,
                             timeout=60).stdout
    except OSError:
        return ()
    words = out.split()
    parts = words[1].split(".") if len(words) > 1 else []
    return tuple(int(p) for p in parts if p.isdigit())


def uv(session: nox.Session) -> str:
    """The uv to run: ``$UV``, beside nox's Python, on PATH, or a pinned one put into .nox/uv."""
    candidates = [os.environ.get("UV", ""), str(Path(sys.executable).parent / "uv"),
                  shutil.which("uv") or ""]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and _uv_version(candidate) >= UV_MINIMUM:
            return candidate
    own = ENVS / "uv"
    binary = own / "bin" / "uv"
    if _uv_version(str(binary)) != tuple(int(p) for p in UV_VERSION.split(".")):
        session.log(f"no uv >= {'.'.join(map(str, UV_MINIMUM))} found: installing uv "
                    f"{UV_VERSION} into {own.relative_to(ROOT)}")
        session.run(sys.executable, "-m", "venv", "--clear", str(own), external=True)
        session.run(str(own / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", f"uv=={UV_VERSION}", external=True)
    return str(binary)


def python_of(env: Path) -> str:
    """The Python of an environment."""
    return str(env / "bin" / "python")


def toolkit(session: nox.Session) -> None:
    """Bring .nox/toolkit in line with uv.lock and make it the session's environment.

    ``--locked`` refuses a lock that no longer matches pyproject.toml (run ``uv lock``), so what
    is installed is always what the lock says. The environment's ``bin`` goes first on PATH:
    ``session.run("python", …)`` and every tool run by name are the toolkit's.
    """
    env = {"UV_PROJECT_ENVIRONMENT": str(TOOLKIT), "VIRTUAL_ENV": str(TOOLKIT),
           "UV_PYTHON_DOWNLOADS": "never"}
    session.run(uv(session), "sync", "--locked", "--all-extras", "--python", sys.executable,
                external=True, env=env)
    bin_dir = str(TOOLKIT / "bin")
    path = os.environ.get("PATH", "")
    if path.split(os.pathsep)[:1] != [bin_dir]:
        # nox looks programs up on its own PATH: the toolkit's must be found first
        os.environ["PATH"] = bin_dir + os.pathsep + path
    os.environ["VIRTUAL_ENV"] = str(TOOLKIT)


def resolved_environment(session: nox.Session, env: Path, *resolution: str) -> str:
    """An environment with the project and its test extra, resolved afresh (not from the lock).

    ``resolution`` is given to ``uv pip compile`` (``--resolution lowest-direct``: the minima).
    The resolution is written to ``<env>/requirements.txt`` and installed exactly; returns the
    environment's Python.
    """
    tool = uv(session)
    python = python_of(env)
    if not Path(python).exists():
        session.run(tool, "venv", "--quiet", "--python", sys.executable, str(env),
                    external=True)
    requirements = env / "requirements.txt"
    session.run(tool, "pip", "compile", "--quiet", "--upgrade", "pyproject.toml", "--extra",
                "test", *resolution, "--python", python, "-o", str(requirements), external=True)
    session.log(f"resolved into {requirements.relative_to(ROOT)}")
    session.run(tool, "pip", "sync", "--quiet", "--python", python, str(requirements),
                external=True)
    session.run(tool, "pip", "install", "--quiet", "--python", python, "--no-deps", "-e", ".",
                external=True)
    return python


def system_packages(session: nox.Session, python: str = "") -> None:
    """Install the Debian packages the PDF, EPUB and browser tests need (when missing).

    With ``python`` (an environment with the test dependencies), the script also gets the
    browser: on Ubuntu, which has no Debian Chromium, it installs that environment's Playwright
    Chromium.
    """
    env = {"EDITION_PYTHON": python} if python else {}
    session.run("bash", SETUP_SYSTEM, external=True, env=env)


def ensure_articles(session: nox.Session, python: str = "python") -> None:
    """Convert the seeds into docs/articles when the articles are not there."""
    if any(ARTICLES.glob("*.md")):
        return
    # every seed the manifest lists, whatever its extension (.txt, .md posts of the corpus)
    listed = (SEEDS / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    seeds = sorted(f"seeds/{line.split(maxsplit=1)[1].lstrip('*')}" for line in listed
                   if line.strip())
    session.log("docs/articles is empty: converting the seeds")
    session.run(python, "-m", "converters", *seeds, "--out", str(ARTICLES.relative_to(ROOT)),
                external=True)


def source_date_epoch() -> str:
    """The time of the last commit (reproducible builds), or a fixed date outside git."""
    try:
        stamp = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=False, timeout=30,
        ).stdout.strip()
    except OSError:
        stamp = ""
    return stamp if stamp.isdigit() else DEFAULT_SOURCE_DATE_EPOCH


def sphinx(session: nox.Session, target: str, *options: str) -> None:
    """Run ``sphinx -M target docs build``: output in build/<target>, doctrees shared."""
    env = {"SOURCE_DATE_EPOCH": source_date_epoch(), "FORCE_SOURCE_DATE": "1"}
    session.run("python", "-m", "sphinx", "-M", target, DOCS, BUILD, *options, env=env)


def build_html(session: nox.Session, *options: str) -> None:
    """The web edition, in build/html, with every warning an error (and Sphinx ``options``)."""
    sphinx(session, "html", "-W", "--keep-going", "-q", *options)


@nox.session
def build(session: nox.Session) -> None:
    """Build the edition: HTML (build/html), PDF (build/latex/edition.pdf), EPUB (build/epub)."""
    toolkit(session)
    system_packages(session)
    ensure_articles(session)
    # The books first: the HTML build copies build/latex/edition.pdf and build/epub/edition.epub
    # into build/html, where every page's download menu links them (edition/outputs/downloads.py).
    # -M latexpdf writes build/latex and runs latexmk there: the PDF is build/latex/edition.pdf.
    sphinx(session, "latexpdf", "-W", "--keep-going", "-q")
    sphinx(session, "epub", "-W", "--keep-going", "-q")
    build_html(session)
    for output in ("html/index.html", "html/edition.pdf", "html/edition.epub"):
        session.log(f"built {BUILD}/{output}")
    for epub in sorted((ROOT / BUILD / "epub").glob("*.epub")):
        session.log(f"built {epub.relative_to(ROOT)}")


@nox.session
def html(session: nox.Session) -> None:
    """Build the web edition alone (build/html): no TeX, no system packages.

    Options after ``--`` go to Sphinx: ``nox -s html -- -D edition_speedups=0``.
    """
    toolkit(session)
    ensure_articles(session)
    build_html(session, *session.posargs)
    session.log(f"built {BUILD}/html/index.html")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (real Sphinx, XeLaTeX, epubcheck and Chromium runs included)."""
    toolkit(session)
    system_packages(session, python_of(TOOLKIT))
    ensure_articles(session)
    session.run("python", "-m", "pytest", *session.posargs)


#: What the inner loop leaves out (``nox -s tests`` runs everything).
FAST_MARKERS = "not pdf and not browser and not slow"


@nox.session(name="tests-fast")
def tests_fast(session: nox.Session) -> None:
    """The inner loop: the tests without PDF, browser, full docs/ builds, epubcheck or corpus."""
    toolkit(session)
    ensure_articles(session)
    session.run("python", "-m", "pytest", "-q", "-m", FAST_MARKERS, *session.posargs)


@nox.session(name="tests-oldest")
def tests_oldest(session: nox.Session) -> None:
    """The fast suite on the declared minima: each dependency at the lowest version allowed."""
    # lowest-direct: the project's own requirements at their floors, what they pull in as uv
    # resolves it; a floor that is not true fails here
    python = resolved_environment(session, OLDEST, "--resolution", "lowest-direct")
    ensure_articles(session, python)
    session.run(python, "-m", "pytest", "-q", "-m", FAST_MARKERS, *session.posargs,
                external=True)


@nox.session(name="tests-latest")
def tests_latest(session: nox.Session) -> None:
    """The whole suite on the newest releases, the lock ignored: an upgrade that breaks shows."""
    python = resolved_environment(session, LATEST, "--resolution", "highest")
    system_packages(session, python)
    ensure_articles(session, python)
    session.run(python, "-m", "pytest", *session.posargs, external=True)


@nox.session
def check(session: nox.Session) -> None:
    """What a pull request can break: pages, registry and seeds, then the site with -W."""
    toolkit(session)
    # file:line: message for each problem in the pages, the registry and the seeds ...
    session.run("python", "-m", "converters", "check")
    # ... then everything only Sphinx sees (references, directives), warnings as errors.
    session.run("python", "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                "-d", f"{BUILD}/check-doctrees", DOCS, f"{BUILD}/check-html")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff, mypy and import-linter as pyproject.toml says; regexploit; radon; zizmor."""
    toolkit(session)
    session.run("ruff", "check", ".")
    session.run("mypy")
    session.run("lint-imports")  # the layering of ARCHITECTURE.md: no cycles, layers, halves
    session.run("python", "scripts/regex_lint.py")  # regexploit: no pattern slower than linear
    session.run("python", "scripts/complexity.py")  # radon: no function graded E or F
    # the GitHub Actions workflows: pinned actions, no persisted credentials, no injection
    session.run("zizmor", "--offline", "--no-progress", ".github/workflows")


@nox.session
def shards(session: nox.Session) -> None:
    """The edition (or another project) built in shards and joined (scripts/shards.py)."""
    toolkit(session)
    ensure_articles(session)
    # Options pass through: nox -s shards -- build docs build/shards --shards 2 --by source
    session.run("python", "scripts/shards.py", *(session.posargs or ["build", DOCS,
                                                                     f"{BUILD}/shards"]))


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: converting, building, rebuilding, PDF, corpus scaling, tagging (a table)."""
    toolkit(session)
    system_packages(session)
    ensure_articles(session)
    # Options pass through: nox -s bench -- --skip-pdf --corpus ../shared/corpus; --only search
    # for the search section alone (benchmarks/search_bench.py, headless Chromium)
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def preview(session: nox.Session) -> None:
    """Serve the edition with live reload on http://127.0.0.1:8000: pages rebuild on save."""
    toolkit(session)
    ensure_articles(session)
    # Options pass through: nox -s preview -- --port 8080
    session.run("python", "scripts/preview.py", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Build the web edition and serve it on http://localhost:8000 (or the port given)."""
    toolkit(session)
    ensure_articles(session)
    build_html(session)
    port = session.posargs[0] if session.posargs else "8000"
    session.run("python", "-m", "http.server", port, "-d", f"{BUILD}/html")
