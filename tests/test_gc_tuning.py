"""Garbage collection during a build: frozen and tuned while it runs, given back when it ends."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from edition.gc_tuning import GC_THRESHOLDS


@pytest.fixture
def thresholds_before() -> tuple[int, ...]:
    """The collector's thresholds before the app (requested after this fixture) exists."""
    return gc.get_threshold()


@pytest.mark.sphinx("html", testroot="frontmatter", freshenv=True)
def test_build_freezes_then_gives_the_collector_back(
        thresholds_before: tuple[int, ...], app: Any) -> None:
    seen: dict[str, Any] = {}

    def during(_app: Any, _docname: str, _source: list[str]) -> None:
        seen.setdefault("frozen", gc.get_freeze_count())
        seen.setdefault("thresholds", gc.get_threshold())

    app.connect("source-read", during)
    app.build()
    assert seen["frozen"] > 0
    assert seen["thresholds"] == GC_THRESHOLDS
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds_before != GC_THRESHOLDS
    assert (app.outdir / "index.html").exists()
