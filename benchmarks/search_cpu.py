"""A ``sphinx-build`` that also reports the CPU time of its search index.

    PYTHONPATH=CHECKOUT python benchmarks/search_cpu.py REPORT.json SPHINX-BUILD-ARGUMENTS...

Runs Sphinx in this process with timers around what makes the search index — for the
edition's index (edition/search_index.py): what each page gives the index
(``search_pages.prepare_for_index``), the reading of each page into paragraphs, words and terms
(``SearchIndexer.feed``) and the writing of the files (``SearchIndexer.finish``); for Sphinx's
own index, where a build has it (the code before issue 26): the same preparation, Sphinx's
``IndexBuilder.feed`` and the dumping of searchindex.js — and writes the CPU seconds of each
to REPORT.json.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SPENT: dict[str, float] = {}


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, its CPU time added to SPENT[name] at every call."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[name] = SPENT.get(name, 0.0) + time.process_time() - start

    return wrapper


def patch() -> None:
    """Put the timers in place, before Sphinx's application is made (and connects them)."""
    import sphinx.builders.html
    import sphinx.search

    try:
        import edition.web.search_pages as pages
    except ImportError:  # the code before the extension's packages
        import edition.search_pages as pages  # type: ignore[no-redef]

    pages.prepare_for_index = timed("prepare", pages.prepare_for_index)
    try:
        import edition.web.search_index as index
    except ImportError:  # the code before the index by need
        index = None
    if index is not None:
        index.SearchIndexer.feed = timed("feed", index.SearchIndexer.feed)
        index.SearchIndexer.finish = timed("write", index.SearchIndexer.finish)
    sphinx.search.IndexBuilder.feed = timed("feed", sphinx.search.IndexBuilder.feed)
    html = sphinx.builders.html.StandaloneHTMLBuilder
    html.dump_search_index = timed("write", html.dump_search_index)


def main(argv: list[str]) -> int:
    report, *arguments = argv
    # The code measured is the one on PYTHONPATH (bench.py sets it to this repository; another
    # checkout's, to measure the search before).
    patch()
    from sphinx.cmd.build import main as build

    start = time.process_time()
    status = build(arguments)
    SPENT["build"] = time.process_time() - start
    Path(report).write_text(json.dumps(SPENT, indent=1) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
