"""Garbage collection during a build: frozen and tuned while it runs, given back when it ends."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest
from docutils import nodes
from docutils.utils import new_document
from sphinx.errors import ExtensionError

from edition.speedups import gc_tuning
from edition.speedups.gc_tuning import GC_THRESHOLDS, take_apart


@pytest.fixture
def thresholds_before() -> tuple[int, ...]:
    """The collector's thresholds before the app (requested after this fixture) exists."""
    return gc.get_threshold()


class Cycle:
    """An object in a reference cycle: only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.mark.sphinx("html", testroot="frontmatter", freshenv=True)
def test_build_freezes_then_gives_the_collector_back(
        thresholds_before: tuple[int, ...], app: Any) -> None:
    """Frozen while it runs; thresholds back when it ends; the frozen objects stay frozen
    (an exiting process never walks them) until the next build starts and collects them."""
    seen: dict[str, Any] = {}

    def during(_app: Any, _docname: str, _source: list[str]) -> None:
        seen.setdefault("frozen", gc.get_freeze_count())
        seen.setdefault("thresholds", gc.get_threshold())

    cycle = Cycle()  # alive when the build freezes what lives, garbage once it has ended
    dead = weakref.ref(cycle)
    app.connect("source-read", during)
    app.build()
    assert seen["frozen"] > 0
    assert seen["thresholds"] == GC_THRESHOLDS
    assert gc.get_threshold() == thresholds_before != GC_THRESHOLDS
    assert (app.outdir / "index.html").exists()
    left = gc.get_freeze_count()
    assert left > 0
    del cycle
    gc.collect()
    assert dead() is not None  # frozen: no collection walks it
    app.build(force_all=True)
    assert dead() is None  # given back and collected when the next build started


def test_what_the_process_froze_since_is_left_alone() -> None:
    """A process that gave the frozen objects back itself and collected them (the preview), then
    froze others: the next build's start does not give those back (their walk is what the
    preview saved)."""
    gc_tuning.leave_frozen()  # as a build that ended
    gc.unfreeze()
    gc.collect()
    gc.freeze()  # the process's own freeze since
    assert gc.get_freeze_count() > 0
    try:
        assert gc_tuning._given_back not in gc.callbacks
        gc_tuning.give_back_frozen()
        # still frozen (giving back leaves none); not an exact count: a frozen object that
        # another thread drops (the browser tests' loop) leaves the frozen generation at once
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_collection_with_objects_frozen_gives_nothing_back() -> None:
    gc_tuning.leave_frozen()
    gc.freeze()
    try:
        gc.collect()
        assert gc_tuning._given_back in gc.callbacks
        gc_tuning.give_back_frozen()
        assert gc.get_freeze_count() == 0
        assert gc_tuning._given_back not in gc.callbacks
    finally:
        gc.unfreeze()


@pytest.mark.sphinx("html", testroot="entities", freshenv=True)
def test_written_pages_are_freed_without_the_collector(app: Any) -> None:
    """With the collector off, a written page's tree is freed once the next page is resolved.

    Only reference counting frees anything while the collector is off, and a docutils tree is
    a reference cycle: a tree's paragraphs die here only because it was taken apart. A few
    may stay as empty shells, kept by what the build still holds (a role keeps the last
    parser that used it, a replaced cross-reference its old parent), but none keeps its text.
    """
    resolved: list[list[weakref.ref[Any]]] = []
    #: For each page when the build ends: (paragraphs alive, of which still holding content).
    at_end: list[tuple[int, int]] = []

    def on_resolved(_app: Any, doctree: Any, _docname: str) -> None:
        resolved.append([weakref.ref(p) for p in doctree.findall(nodes.paragraph)])

    def before_the_last_is_taken_apart(_app: Any, _exception: BaseException | None) -> None:
        for page in resolved:
            alive = [p for p in (ref() for ref in page) if p is not None]
            at_end.append((len(alive), sum(1 for p in alive if p.children)))

    app.connect("doctree-resolved", on_resolved)
    app.connect("build-finished", before_the_last_is_taken_apart, priority=800)
    gc.disable()
    try:
        app.build()
        assert len(resolved) > 3
        *written, last = at_end
        # The last page is whole until the build ends; the others are freed or empty shells.
        assert last == (len(resolved[-1]), len(resolved[-1]))
        for (alive, whole), refs in zip(written, resolved, strict=False):
            assert whole == 0 and (alive < len(refs) or not refs)
        assert all(ref() is None or ref().children == [] for ref in resolved[-1])
    finally:
        gc.enable()


def test_a_taken_apart_tree_keeps_parts_referenced_elsewhere() -> None:
    """A text node moved into a title kept elsewhere keeps its place there."""
    document = new_document("<test>")
    section = nodes.section()
    title = nodes.title("", "Title")
    section += title
    document += section
    kept = nodes.title()
    text = title.children[0]
    kept.append(text)  # what docutils' contents filter does: moved, not copied
    take_apart(document)
    assert kept.astext() == "Title" and text.parent is kept
    assert section.children == [] and title.children == [] and title.parent is None


class WritingFailed(Exception):
    """Raised while a page is being written."""


@pytest.mark.sphinx("html", testroot="entities", freshenv=True)
def test_a_failed_build_keeps_the_tree_it_failed_on(app: Any) -> None:
    """The page whose writing raised is whole in the traceback, not taken apart at the end."""
    resolved: dict[str, Any] = {}
    failing: list[str] = []

    def on_resolved(_app: Any, doctree: Any, docname: str) -> None:
        resolved[docname] = doctree

    def fail_on_the_third(_app: Any, pagename: str, *_args: Any) -> None:
        if pagename in resolved and len(resolved) == 3:
            failing.append(pagename)
            raise WritingFailed(pagename)

    app.connect("doctree-resolved", on_resolved)
    app.connect("html-page-context", fail_on_the_third)
    with pytest.raises(ExtensionError) as raised:  # Sphinx wraps a handler's exception
        app.build()
    assert isinstance(raised.value.orig_exc, WritingFailed)
    assert gc.get_threshold() != GC_THRESHOLDS  # the collector is given back all the same
    tree = resolved[failing[0]]
    assert tree.children and tree.astext().strip() and "settings" in tree.__dict__
    assert all(child.parent is tree for child in tree.children)
    # the traceback's frame that was writing the page holds the tree as it was
    frames, entry = [], raised.tb
    while entry is not None:
        if entry.tb_frame.f_code.co_name == "_write_docname":
            frames.append(entry.tb_frame)
        entry = entry.tb_next
    assert frames and frames[0].f_locals["doctree"] is tree
    # the pages written before it were taken apart as usual
    assert all(not doctree.__dict__.get("children")
               for name, doctree in resolved.items() if name != failing[0])
