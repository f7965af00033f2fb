"""Garbage collection during a build: survivors frozen page by page, written pages freed at once.

A build allocates millions of small objects (docutils nodes, tokens, strings), and a docutils
tree is one big reference cycle (every node points to its parent and to its document), so only
CPython's cyclic collector frees it. Sphinx keeps every document tree it reads in memory until
the document is written, so the live heap grows to millions of objects, and each full
collection walks all of them: measured on the 1,131-post corpus build, 15 full collections
took 20.7 s of 113 s of CPU, the last ones walking some five million dead trees of pages
already written (``benchmarks/gc_profile.py`` prints these figures).

Two things keep the collector's work proportional to what is new:

* **Freeze what survives.** ``gc.freeze()`` (documented for this purpose) moves every object
  alive into a permanent generation that collections skip. It is called when reading starts
  and then every :data:`PAGES_PER_FREEZE` pages read or resolved for writing, each time right
  after a collection, so what is frozen is what is still alive. A collection then only walks
  the objects made since the last freeze: each object is walked about once in the whole build
  instead of once per full collection.
* **Take a written tree apart.** A frozen tree that becomes garbage is never collected (until
  the build ends), so once a page is written its tree is taken apart: every children list
  emptied, every upward reference (``parent``, ``document``) cut, the document's own tables
  emptied. Nothing then points back up, and reference counting frees the tree at once. This
  is only done where the written tree is known to be unused afterwards: a serial write by an
  HTML-family builder (pages are written one after another, each right after it is
  resolved), and only once the page's writing has returned, never in a build that failed
  (its traceback shows the tree as it was). A parallel write hands trees to child processes,
  so there the write phase is left to the collector as it is.

What still waits (below: for the process's next build, or for no one in a process that exits):
objects alive at a freeze that later die in a cycle, such as nodes that resolving replaces (a
cross-reference by its link). On the 1,131-post
build the collector's CPU went from 20.7 s to about 6 s, and peak memory from 1,665 to
1,345 MiB, with byte-identical output.

When the build ends, the thresholds are given back; the frozen objects stay frozen until the
next build of the process starts (``env-before-read-docs``), which gives them back to the
collector and collects them before freezing again. A ``sphinx-build`` process, which exits after
its one build, never walks them: given back at the end, they were walked by the collection
CPython makes at interpreter exit (1.3 s of CPU after a 300-post build, 615,711 objects freed
— about 4 ms per text, ``benchmarks/gc_profile.py``), only for the process to end. CPython does
not promise a ``__del__`` at exit for objects still alive (its documentation of
``object.__del__``), and none of the build's objects needs one: files are closed by their
writers. A process that builds again is given them back at the start of its next build, or
sooner by itself: a full collection after :func:`gc.unfreeze` (the preview's, after each build,
while the editor reads) is seen by a ``gc.callbacks`` hook, and the next build start then leaves
alone what the process froze since (:func:`give_back_frozen`).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

#: Net allocations between young collections (CPython's default is 700), then how many young
#: collections between middle ones and middle ones between full ones (its defaults: 10, 10).
GC_THRESHOLDS = (10_000, 10, 10)

#: Pages read or resolved between two freezes. Whatever is alive at a freeze and dies later
#: in a reference cycle stays frozen until the build ends (the last page's Markdown parser,
#: which roles keep, for instance), so freezing after every page would keep one of those per
#: page; every twentieth page keeps few and still walks each object about once (measured on
#: the 1,131-post build: 1 page: 105 s CPU, 1,377 MiB; 20 pages: 102 s, 1,345 MiB).
PAGES_PER_FREEZE = 20
#: Builders whose serial write resolves, writes and then drops each page's tree, one page at a
#: time (Sphinx's ``Builder._write_serial``), so a tree can be taken apart once the next page
#: is resolved or the build ends. (The EPUB builder resolves the root page twice more at the
#: end for its table of contents and keeps only strings from it.)
ONE_PAGE_AT_A_TIME = frozenset({"html", "dirhtml", "epub"})


class BuildCollector:
    """The collector's state for one build of one application."""

    def __init__(self, thresholds: tuple[int, int, int]) -> None:
        """Remember the thresholds to give back when the build ends."""
        #: The collector's thresholds before the build.
        self.thresholds = thresholds
        #: The last page resolved for writing, to take apart once it is written.
        self.written: nodes.document | None = None
        #: Pages read or resolved so far (a freeze every :data:`PAGES_PER_FREEZE`).
        self.pages = 0

    def page_done(self) -> None:
        """Count a page read or resolved; collect and freeze every :data:`PAGES_PER_FREEZE`."""
        self.pages += 1
        if self.pages % PAGES_PER_FREEZE == 0:
            collect_and_freeze()


def collect_and_freeze() -> None:
    """Free what is garbage among the objects made since the last freeze; freeze the rest."""
    gc.collect()
    gc.freeze()


def take_apart(doctree: nodes.document) -> None:
    """Cut a written tree's upward references, so reference counting frees it.

    Every element's children list is emptied and each child's ``parent`` and ``document``
    references cut (the parent only when it is the element the walk came from: docutils
    sometimes moves a text node into a title kept elsewhere, and that link is left alone).
    Nodes the document keeps outside its tree (messages of its transforms, substitution
    definitions) are taken apart the same way, then the document's own tables are emptied.
    """
    _take_apart_tree(doctree)
    outside: list[object] = []
    for value in doctree.__dict__.values():
        if isinstance(value, list):
            outside.extend(value)
        elif isinstance(value, dict):
            outside.extend(value.values())
        else:
            outside.append(value)
    for item in outside:
        if isinstance(item, nodes.Element):
            _take_apart_tree(item)
    doctree.__dict__.clear()


def _take_apart_tree(root: nodes.Element) -> None:
    """Empty every children list under ``root`` (included), cutting the children's links up.

    Walked with a list of elements still to visit: cheaper than docutils' ``findall``, whose
    generators are nested one per level of the tree.
    """
    pending = [root]
    while pending:
        element = pending.pop()
        for child in element.children:
            if child.parent is element:
                child.parent = None
                child.document = None  # type: ignore[assignment]  # typed as a document only
            if isinstance(child, nodes.Element):
                pending.append(child)
        element.children = []


def _given_back(phase: str, info: dict[str, int]) -> None:
    """See a full collection with nothing frozen (a ``gc.callbacks`` hook).

    The hook is in ``gc.callbacks`` while the last build's objects are left frozen (the
    collector is the process's, so this state is too). A full collection with nothing frozen
    means the process gave them back itself (the preview does, after each build), so no build
    start does it again.
    """
    if phase == "stop" and info.get("generation") == 2 and gc.get_freeze_count() == 0:
        gc.callbacks.remove(_given_back)


def leave_frozen() -> None:
    """A build has ended: its frozen objects stay frozen until given back."""
    if _given_back not in gc.callbacks:
        gc.callbacks.append(_given_back)


def give_back_frozen() -> None:
    """Give the collector what the last build left frozen, unless the process did it already."""
    if _given_back in gc.callbacks:
        gc.callbacks.remove(_given_back)
        gc.unfreeze()


def freeze_long_lived(app: Sphinx, _env: BuildEnvironment, _docnames: list[str]) -> None:
    """Collect once, then keep everything alive so far out of later collections.

    Done when a build starts reading (``env-before-read-docs``, which every build emits), not
    when the application is made: an application that never builds (a test of its settings)
    would leave the process frozen, since only a build ends with ``build-finished``. What the
    process's last build left frozen is given back first, so this collection frees its garbage.
    """
    app.edition_gc = BuildCollector(gc.get_threshold())  # type: ignore[attr-defined]
    give_back_frozen()
    collect_and_freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def after_read(app: Sphinx, _doctree: nodes.document) -> None:
    """A page is read (its tree stays in memory until written): freeze what survived it."""
    state: BuildCollector | None = getattr(app, "edition_gc", None)
    if state is not None:
        state.page_done()


def after_resolved(app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """A page is resolved, so the previous one is written: take that one apart, then freeze."""
    state: BuildCollector | None = getattr(app, "edition_gc", None)
    builder = app.builder
    if state is None or builder.parallel_ok or builder.name not in ONE_PAGE_AT_A_TIME:
        return
    if state.written is not None:
        take_apart(state.written)
    state.written = doctree
    state.page_done()


def build_done(app: Sphinx, exception: BaseException | None) -> None:
    """Take the last written page apart; give the thresholds back, leave the objects frozen.

    When the build failed, the last page resolved may be the one whose writing raised: the
    traceback (and a debugger, with ``-P``) holds that tree, so it is left whole, freed once
    nothing holds it (what of it is frozen, by the next build's collection). Every page taken
    apart before had been written: Sphinx resolves the next page only after the last one's
    ``write_doc`` returned.
    """
    state: BuildCollector | None = getattr(app, "edition_gc", None)
    if state is None:
        return
    if state.written is not None and exception is None:
        take_apart(state.written)
    state.written = None
    leave_frozen()  # given back when the next build starts, unless the process does it first
    gc.set_threshold(*state.thresholds)
    app.edition_gc = None  # type: ignore[attr-defined]


def setup_gc_tuning(app: Sphinx) -> None:
    """Freeze what start-up made when a build starts reading; thresholds back when it ends."""
    app.connect("env-before-read-docs", freeze_long_lived, priority=100)
    # After every other listener (the default priority is 500): they are part of the page.
    app.connect("doctree-read", after_read, priority=999)
    app.connect("doctree-resolved", after_resolved, priority=999)
    # After every other build-finished listener: they are part of the build.
    app.connect("build-finished", build_done, priority=900)
