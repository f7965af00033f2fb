"""Shared pytest configuration: where the sphinx.testing roots live."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """The folder holding the ``test-*`` Sphinx projects used by ``@pytest.mark.sphinx``."""
    return Path(__file__).parent / "roots"
