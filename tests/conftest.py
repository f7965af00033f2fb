"""Shared pytest configuration: where the sphinx.testing roots live."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """The folder holding the ``test-*`` Sphinx projects used by ``@pytest.mark.sphinx``."""
    return Path(__file__).parent / "roots"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Under CI the shared corpus must be there: its tests would otherwise skip unnoticed."""
    import os

    from corpus import CORPUS

    if os.environ.get("CI") and not CORPUS.is_dir():
        raise pytest.UsageError(f"CI: the shared corpus is missing at {CORPUS}")
