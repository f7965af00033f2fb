"""Shared pytest configuration: the sphinx.testing roots, the HTML edition and its articles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from edition_builds import Article, Build, edition_build, read_articles
from hypothesis import settings

# No test fails for being slow: on a shared 2-core machine one example can take longer than
# hypothesis's 200 ms deadline (speed is the benchmark's business, not the tests').
settings.register_profile("edition", deadline=None)
settings.load_profile("edition")


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The HTML edition (built once per test session, tests/edition_builds.py)."""
    return edition_build(tmp_path_factory, "html")


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """The articles of docs/articles."""
    found = read_articles()
    assert found, "docs/articles holds no articles"
    return found


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """The folder holding the ``test-*`` Sphinx projects used by ``@pytest.mark.sphinx``."""
    return Path(__file__).parent / "roots"


def pytest_sessionstart() -> None:
    """With ``EDITION_REQUIRE_CORPUS=1`` the extra corpus must be there (.ci/run sets it)."""
    import os

    from corpus import AVAILABLE, CORPUS

    if os.environ.get("EDITION_REQUIRE_CORPUS") == "1" and not AVAILABLE:
        raise pytest.UsageError(f"EDITION_REQUIRE_CORPUS=1 but the extra corpus is not at "
                                f"{CORPUS} (EDITION_CORPUS names it)")


def corpus_line(stats: dict[str, list[Any]]) -> str:
    """Whether the tests on the extra corpus ran (and where), or how many were skipped and why."""
    from corpus import AVAILABLE, CORPUS, REASON

    if AVAILABLE:
        return f"extra corpus: {CORPUS} (its tests ran)"
    skipped = sum(1 for report in stats.get("skipped", []) if REASON in str(report.longrepr))
    return f"extra corpus: its tests were skipped ({skipped} in this run): {REASON}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say whether the tests on the extra corpus ran, and where it was looked for.

    On GitHub Actions the line goes into the job's summary too (``$GITHUB_STEP_SUMMARY``).
    """
    import os

    line = corpus_line(terminalreporter.stats)
    terminalreporter.write_line(line)
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as handle:
            handle.write(f"**Tests** — {line}\n")
