"""Sessions: build, tests, tests-fast, check, lint, serve, preview, bench.

``nox -s build`` writes the edition to ``build/html``, ``build/latex/edition.pdf`` and
``build/epub``; ``nox -s tests`` runs the test suite. Both install the Debian packages they
need first (``scripts/setup-system.sh``; does nothing when they are there).
"""

from __future__ import annotations

import shutil
import subprocess
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

nox.options.default_venv_backend = "uv" if shutil.which("uv") else "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["build", "tests", "check", "lint"]


def system_packages(session: nox.Session, browser: bool = False) -> None:
    """Install the Debian packages the PDF, EPUB and browser tests need (when missing).

    With ``browser``, the session's Python is handed to the script: on Ubuntu, which has no
    Debian Chromium, it installs the Chromium of the session's Playwright with it.
    """
    env = {"EDITION_PYTHON": str(Path(session.bin) / "python")} if browser else {}
    session.run("bash", SETUP_SYSTEM, external=True, env=env)


def ensure_articles(session: nox.Session) -> None:
    """Convert the seeds into docs/articles when the articles are not there."""
    if any(ARTICLES.glob("*.md")):
        return
    # every seed the manifest lists, whatever its extension (.txt, .md posts of the corpus)
    listed = (SEEDS / "SHA256SUMS").read_text(encoding="utf-8").split("\n")
    seeds = sorted(f"seeds/{line.split(maxsplit=1)[1].lstrip('*')}" for line in listed
                   if line.strip())
    session.log("docs/articles is empty: converting the seeds")
    session.run("python", "-m", "converters", *seeds, "--out", str(ARTICLES.relative_to(ROOT)))


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


def build_html(session: nox.Session) -> None:
    """The web edition, in build/html, with every warning an error."""
    sphinx(session, "html", "-W", "--keep-going", "-q")


@nox.session
def build(session: nox.Session) -> None:
    """Build the edition: HTML (build/html), PDF (build/latex/edition.pdf), EPUB (build/epub)."""
    session.install("-e", ".")
    system_packages(session)
    ensure_articles(session)
    # The books first: the HTML build copies build/latex/edition.pdf and build/epub/edition.epub
    # into build/html, where every page's download menu links them (edition/downloads.py).
    # -M latexpdf writes build/latex and runs latexmk there: the PDF is build/latex/edition.pdf.
    sphinx(session, "latexpdf", "-W", "--keep-going", "-q")
    sphinx(session, "epub", "-W", "--keep-going", "-q")
    build_html(session)
    for output in ("html/index.html", "html/edition.pdf", "html/edition.epub"):
        session.log(f"built {BUILD}/{output}")
    for epub in sorted((ROOT / BUILD / "epub").glob("*.epub")):
        session.log(f"built {epub.relative_to(ROOT)}")


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (real Sphinx, XeLaTeX, epubcheck and Chromium runs included)."""
    session.install("-e", ".[test]")
    system_packages(session, browser=True)
    ensure_articles(session)
    session.run("python", "-m", "pytest", *session.posargs)


#: What the inner loop leaves out (``nox -s tests`` runs everything).
FAST_MARKERS = "not pdf and not browser and not slow"


@nox.session(name="tests-fast")
def tests_fast(session: nox.Session) -> None:
    """The inner loop: the tests without PDF, browser, full docs/ builds, epubcheck or corpus."""
    session.install("-e", ".[test]")
    ensure_articles(session)
    session.run("python", "-m", "pytest", "-q", "-m", FAST_MARKERS, *session.posargs)


@nox.session
def check(session: nox.Session) -> None:
    """What a pull request can break: pages, registry and seeds, then the site with -W."""
    session.install("-e", ".")
    # file:line: message for each problem in the pages, the registry and the seeds ...
    session.run("python", "-m", "converters", "check")
    # ... then everything only Sphinx sees (references, directives), warnings as errors.
    session.run("python", "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                "-d", f"{BUILD}/check-doctrees", DOCS, f"{BUILD}/check-html")


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff and mypy, as configured in pyproject.toml."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", ".")
    session.run("mypy")
    session.run("python", "scripts/regex_lint.py")  # regexploit: no pattern slower than linear
    # the GitHub Actions workflows: pinned actions, no persisted credentials, no injection
    session.run("zizmor", "--offline", "--no-progress", ".github/workflows")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks: converting, building, rebuilding, PDF, corpus scaling, tagging (a table)."""
    session.install("-e", ".[bench]")
    system_packages(session)
    ensure_articles(session)
    # Options pass through: nox -s bench -- --skip-pdf --corpus ../shared/corpus
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session
def preview(session: nox.Session) -> None:
    """Serve the edition with live reload on http://127.0.0.1:8000: pages rebuild on save."""
    session.install("-e", ".[preview]")
    ensure_articles(session)
    # Options pass through: nox -s preview -- --port 8080
    session.run("python", "scripts/preview.py", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Build the web edition and serve it on http://localhost:8000 (or the port given)."""
    session.install("-e", ".")
    ensure_articles(session)
    build_html(session)
    port = session.posargs[0] if session.posargs else "8000"
    session.run("python", "-m", "http.server", port, "-d", f"{BUILD}/html")
