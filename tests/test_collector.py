"""The collector's thresholds: raised while a build runs, the process's own again after it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from edition.collector import BUILD_THRESHOLDS

PROCESS_THRESHOLDS = (700, 10, 10)


@pytest.fixture
def default_thresholds() -> Iterator[None]:
    """CPython's default thresholds for the test, whatever the process had before."""
    before = gc.get_threshold()
    gc.set_threshold(*PROCESS_THRESHOLDS)
    yield
    gc.set_threshold(*before)


@pytest.mark.sphinx("html", testroot="article")
@pytest.mark.usefixtures("default_thresholds")
def test_build_collects_less_often_and_gives_thresholds_back(app: Any) -> None:
    """Every build of an application reads with the build's thresholds and restores the old."""
    seen: list[tuple[int, int, int]] = []

    def note(_app: Any, _env: Any) -> list[str]:
        seen.append(gc.get_threshold())
        return []

    app.connect("env-updated", note)
    app.build()
    assert seen and set(seen) == {BUILD_THRESHOLDS}
    assert gc.get_threshold() == PROCESS_THRESHOLDS
    # a second build of the same application (as the preview makes) raises them again
    seen.clear()
    app.build()
    assert seen and set(seen) == {BUILD_THRESHOLDS}
    assert gc.get_threshold() == PROCESS_THRESHOLDS
