"""Shared pytest configuration: the sphinx.testing roots, the HTML edition and its articles."""

from __future__ import annotations

from pathlib import Path

import pytest
from edition_builds import Article, Build, edition_build, read_articles


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
    """Under CI the shared corpus must be there: its tests would otherwise skip unnoticed."""
    import os

    from corpus import CORPUS

    if os.environ.get("CI") and not CORPUS.is_dir():
        raise pytest.UsageError(f"CI: the shared corpus is missing at {CORPUS}")
