"""The search in headless Chromium: bytes, latency, recall and the index's build CPU.

    python benchmarks/search_bench.py [--corpus DIR] [--keep] [--legacy HTML...]
    python benchmarks/bench.py --only search          (the same, as a section of bench.py)

Builds the edition (a copy of docs/), 100 corpus posts and all of them into throwaway projects
with the edition's settings (as bench.py's corpus benchmark does), each through
``search_cpu.py`` (the CPU time spent making the index), serves each build on a loopback port
and runs the queries of issue 26 in Debian's headless Chromium (no network but the loopback):

* cold: a new browser context opens the home page (as a reader comes to the search from a page
  of the edition: the theme's 2.3 MB of scripts, style and icons are in the cache then), then
  ``search.html?q=…``; the bytes the server sent (response bodies, counted by the server) from
  then until the first results are shown, then until every result is shown ("more" clicked
  until none is left); the times from the search page's navigation (``performance.now()``);
  the bytes to the first results from an empty cache are shown beside;
* open page: the page already open (another query run first), the query typed — its first
  results, and the bytes that cost;
* warm: the same query again in that page (its files loaded): all its results shown.

Each query's articles are compared with what the search before found on the same posts (the
results recorded by ``search_legacy.py`` in ``tests/data/search_baseline.json`` and
``benchmarks/search_baselines/``). ``--legacy HTML`` measures builds made by the code before
(Sphinx's search page: each result's page fetched for its snippet) the same way.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import shutil
import statistics
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import bench  # noqa: E402  (beside this file)

#: The queries of issue 26 (ground truth by grep there): names in both scripts, pinyin, a year,
#: a number, a festival.
QUERIES = ["字节跳动", "字節跳動", "ByteDance", "张一鸣", "zhang yiming", "华为", "抖音", "2019",
           "996", "阿里巴巴", "Singles' Day"]
#: Targets of issue 26 at all posts.
TARGET_FIRST_BYTES = 250_000
TARGET_QUERY_BYTES = 1_000_000
TARGET_WARM_MS = 100.0
#: The results recorded from the search before, per collection.
BASELINES = {"edition": REPO / "tests" / "data" / "search_baseline.json",
             "100": HERE / "search_baselines" / "corpus-100.json",
             "1131": HERE / "search_baselines" / "corpus-1131.json"}
CHROMIUM = "/usr/bin/chromium"
#: Every host but the loopback resolves to nothing: nothing leaves the machine. (Playwright's
#: request routing would do it too, but it turns the browser's cache off.)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
#: The longest a query may take before the benchmark gives up on it, in ms.
TIMEOUT_MS = 600_000

# --------------------------------------------------------------------------- the pages

#: The edition's search page: first results shown; every result shown; a query typed.
NEW_FIRST = "() => document.getElementById('search-results')?.dataset.state === 'done'"
#: Waits for the results to be shown (the page sets data-state="done"), without a timer: a
#: timer's delay (4 ms at least once nested) would be counted at every "more".
WAIT_DONE = """
  const out = document.getElementById('search-results');
  const done = () => new Promise((resolve) => {
    if (out.dataset.state === 'done') { resolve(); return; }
    const watch = new MutationObserver(() => {
      if (out.dataset.state === 'done') { watch.disconnect(); resolve(); }
    });
    watch.observe(out, { attributes: true, attributeFilter: ['data-state'] });
  });
  const showAll = async () => {
    for (;;) {
      await done();
      const more = out.querySelector('.edition-search-more');
      if (!more || more.hidden) return;
      more.click();
    }
  };
  const submit = (query) => {
    document.getElementById('edition-search-query').value = query;
    document.querySelector('#edition-search form').requestSubmit();
  };
"""
NEW_ALL = "async () => {" + WAIT_DONE + " await showAll(); return performance.now(); }"
NEW_TYPED = ("async (query) => {" + WAIT_DONE + " const start = performance.now();"
             " submit(query); await done(); return performance.now() - start; }")
NEW_TYPED_ALL = ("async (query) => {" + WAIT_DONE + " const start = performance.now();"
                 " submit(query); await showAll(); return performance.now() - start; }")
NEW_RESULTS = """() => Array.from(document.querySelectorAll('#search-results ul.search > li > a'),
  a => a.getAttribute('href'))"""
#: Sphinx's search page (the search before): a first result with its snippet; every result
#: with its snippet and the search finished.
OLD_FIRST = """() => {
  if (document.querySelector('#search-results ul.search > li p.context')) return true;
  const summary = document.querySelector('#search-results .search-summary');
  return typeof Search !== 'undefined' && Search._pulse_status === -1 && summary !== null
    && summary.textContent.trim() !== ''
    && !document.querySelector('#search-results ul.search > li');
}"""
OLD_ALL = """() => {
  const summary = document.querySelector('#search-results .search-summary');
  const items = Array.from(document.querySelectorAll('#search-results ul.search > li'));
  return typeof Search !== 'undefined' && Search._pulse_status === -1 && summary !== null
    && summary.textContent.trim() !== '' && items.every((li) => li.querySelector('p.context'));
}"""


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """A static file server that counts the bytes of the bodies it sends."""

    counter: dict[str, int]
    lock: threading.Lock

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def copyfile(self, source: Any, outputfile: Any) -> None:
        """Send the file, counting its bytes."""
        data = source.read()
        outputfile.write(data)
        with self.lock:
            self.counter["bytes"] += len(data)
            self.counter["files"] += 1


class QuietServer(http.server.ThreadingHTTPServer):
    """A server that says nothing when the browser closes a connection it no longer needs."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet (a closed tab's connection, a script the page no longer waited for)."""


@contextmanager
def served(html: Path) -> Iterator[tuple[str, dict[str, int]]]:
    """The build served on a loopback port, and its byte counter."""
    counter = {"bytes": 0, "files": 0}
    handler = type("Handler", (CountingHandler,), {"counter": counter, "lock": threading.Lock()})
    server = QuietServer(("127.0.0.1", 0), functools.partial(handler, directory=str(html)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", counter
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class QueryFigures:
    """One query on one build."""

    query: str
    results: int
    articles: set[str]
    first_bytes: int
    all_bytes: int
    cold_first_ms: float
    cold_all_ms: float
    open_first_ms: float = 0.0
    open_bytes: int = 0
    warm_all_ms: float = 0.0
    warm_first_ms: float = 0.0
    files: int = 0
    empty_bytes: int = 0


def measure(html: Path, queries: Sequence[str], legacy: bool = False) -> list[QueryFigures]:
    """Every query on one build, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    found: list[QueryFigures] = []
    with served(html) as (site, counter), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for query in queries:
                found.append(measure_query(browser, site, counter, query, legacy))
                bench.progress(f"search: {html.parent.name}: {query}: "
                               f"{found[-1].results} results")
        finally:
            browser.close()
    return found


def measure_query(browser: Any, site: str, counter: dict[str, int], query: str,
                  legacy: bool) -> QueryFigures:
    """One query: from an empty cache; cold (from another page of the edition, whose theme
    files are in the cache); in an open page; warm."""
    url = f"{site}search.html?q={quote(query)}"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    counter["bytes"] = counter["files"] = 0
    page.goto(url, wait_until="commit")
    page.wait_for_function(OLD_FIRST if legacy else NEW_FIRST, timeout=TIMEOUT_MS, polling=5)
    empty_bytes = counter["bytes"]
    context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    # A reader comes to the search from a page of the edition: the theme's files (1.6 MB of
    # icons' script, 0.4 MB of style) are in the cache then; what the search costs is counted.
    page.goto(f"{site}index.html", wait_until="load")
    counter["bytes"] = counter["files"] = 0
    page.goto(url, wait_until="commit")
    page.wait_for_function(OLD_FIRST if legacy else NEW_FIRST, timeout=TIMEOUT_MS, polling=5)
    cold_first = page.evaluate("() => performance.now()")
    first_bytes = counter["bytes"]
    if legacy:
        page.wait_for_function(OLD_ALL, timeout=TIMEOUT_MS, polling=5)
        cold_all = page.evaluate("() => performance.now()")
    else:
        cold_all = page.evaluate(NEW_ALL)
    all_bytes, files = counter["bytes"], counter["files"]
    hrefs = page.evaluate(NEW_RESULTS)
    articles = {h.split("#")[0].removeprefix("./").removesuffix(".html") for h in hrefs}
    articles = {a for a in articles if a.startswith("articles/")}
    figures = QueryFigures(query, len(hrefs), articles, first_bytes, all_bytes, cold_first,
                           cold_all, files=files, empty_bytes=empty_bytes)
    if legacy:
        # Sphinx's page runs a query by loading the page again: warm is that, from the cache.
        start = page.evaluate("() => Date.now()")
        page.goto(url, wait_until="commit")
        page.wait_for_function(OLD_ALL, timeout=TIMEOUT_MS, polling=5)
        figures.warm_all_ms = float(page.evaluate("() => Date.now()") - start)
        figures.open_first_ms = figures.warm_all_ms
    else:
        context.close()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{site}search.html?q=TikTok", wait_until="load")
        page.wait_for_function(NEW_FIRST, timeout=TIMEOUT_MS, polling=5)
        counter["bytes"] = 0
        figures.open_first_ms = float(page.evaluate(NEW_TYPED, query))
        figures.open_bytes = counter["bytes"]
        page.evaluate(NEW_ALL)
        figures.warm_first_ms = float(page.evaluate(NEW_TYPED, query))
        figures.warm_all_ms = float(page.evaluate(NEW_TYPED_ALL, query))
    context.close()
    return figures


# --------------------------------------------------------------------------- the builds


@dataclass
class Site:
    """One build measured."""

    name: str  #: "edition", "100", "1131"
    html: Path
    articles: int
    cpu: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0


def index_size(html: Path) -> tuple[int, int]:
    """Files and bytes of the built index (``_search/``, or searchindex.js)."""
    folder = html / "_search"
    if folder.is_dir():
        files = [p for p in folder.rglob("*") if p.is_file()]
        return len(files), sum(p.stat().st_size for p in files)
    old = html / "searchindex.js"
    return (1, old.stat().st_size) if old.is_file() else (0, 0)


def build_site(work: Path, name: str, project: Path) -> Site:
    """Build a project's HTML through search_cpu.py (the index's CPU reported)."""
    out = work / f"{name}-out"
    report = work / f"{name}-cpu.json"
    result = bench.run([sys.executable, str(HERE / "search_cpu.py"), str(report), "-b", "html",
                        "-d", str(out / ".doctrees"), str(project), str(out / "html"), "-q"])
    bench.check(result, f"HTML build of {name}")
    cpu = json.loads(report.read_text(encoding="utf-8"))
    articles = len(list((project / "articles").glob("*.md")))
    return Site(name, out / "html", articles, cpu, result.seconds)


def build_sites(work: Path, corpus: list[Path]) -> list[Site]:
    """The edition, 100 posts and all posts, built."""
    docs = work / "edition" / "docs"
    shutil.copytree(bench.DOCS, docs, ignore=shutil.ignore_patterns("_build", "_generated"))
    for page in REPO.glob("*.md"):
        shutil.copy(page, docs.parent)
    shutil.copytree(REPO / "seeds", docs.parent / "seeds")
    sites = [build_site(work, "edition", docs)]
    bench.progress(f"search: edition built ({sites[-1].wall:.0f} s)")
    if corpus:
        for posts in (bench.sample(corpus, bench.SAMPLE_SIZE), corpus):
            project, _convert = bench.corpus_project(work, f"corpus-{len(posts)}", posts)
            sites.append(build_site(work, str(len(posts)), project))
            bench.progress(f"search: {len(posts)} posts built ({sites[-1].wall:.0f} s)")
    return sites


# --------------------------------------------------------------------------- the tables


def kb(value: float) -> str:
    """Bytes as KB (1,000) or MB."""
    return f"{value / 1e6:.2f} MB" if value >= 1e6 else f"{value / 1e3:.0f} KB"


def recall(name: str, figures: QueryFigures) -> str:
    """The query's articles against what the search before found on the same posts."""
    path = BASELINES.get(name)
    if path is None or not path.is_file():
        return ""
    before = json.loads(path.read_text(encoding="utf-8")).get(figures.query)
    if before is None:
        return ""
    old = {p for p in before if p.startswith("articles/")}
    lost, gained = old - figures.articles, figures.articles - old
    if not lost and not gained:
        return f"same ({len(old)})"
    return f"lost {len(lost)}, gained {len(gained)} (of {len(old)})"


def query_table(site: Site, found: list[QueryFigures], legacy: bool) -> bench.Table:
    """One row per query."""
    kind = "the search before (Sphinx's page)" if legacy else "the index by need"
    table = bench.Table(
        f"Search, {kind}: {site.name} ({site.articles} articles)",
        ("query", "results", "bytes to first results", "bytes, all results shown",
         "empty cache: bytes to first results", "cold first ms", "cold all ms",
         "open page first ms (bytes)", "warm first ms", "warm all ms", "articles vs before"))
    for f in found:
        table.add(f.query, f.results, kb(f.first_bytes), kb(f.all_bytes), kb(f.empty_bytes),
                  f.cold_first_ms,
                  f.cold_all_ms, f"{f.open_first_ms:.0f} ({kb(f.open_bytes)})", f.warm_first_ms,
                  f.warm_all_ms,
                  recall(site.name, f))
    return table


@dataclass
class Summary:
    """A build's figures over its queries."""

    site: Site
    found: list[QueryFigures]

    def worst(self, attribute: str) -> float:
        return float(max(getattr(f, attribute) for f in self.found))

    def median(self, attribute: str) -> float:
        return float(statistics.median(getattr(f, attribute) for f in self.found))


def summary_table(summaries: list[Summary], legacy: bool) -> bench.Table:
    """Median and worst of each figure per build, and the index's size and build CPU."""
    table = bench.Table(
        "Search summary" + (" (the search before)" if legacy else ""),
        ("collection", "articles", "bytes to first results (median / max)",
         "bytes per query, all shown (median / max)", "cold first ms (median / max)",
         "warm all ms (median / max)", "index files, size", "index build CPU s",
         "same articles as before"))
    for s in summaries:
        files, size = index_size(s.site.html)
        cpu = s.site.cpu
        index_cpu = sum(cpu.get(k, 0.0) for k in ("prepare", "feed", "write"))
        detail = (f"{index_cpu:.2f} (pages {cpu.get('prepare', 0.0):.2f}, read "
                  f"{cpu.get('feed', 0.0):.2f}, write {cpu.get('write', 0.0):.2f}; build "
                  f"{cpu.get('build', 0.0):.0f})") if cpu else ""
        same = [recall(s.site.name, f) for f in s.found]
        agreed = sum(1 for r in same if r.startswith("same"))
        table.add(s.site.name, s.site.articles,
                  f"{kb(s.median('first_bytes'))} / {kb(s.worst('first_bytes'))}",
                  f"{kb(s.median('all_bytes'))} / {kb(s.worst('all_bytes'))}",
                  f"{s.median('cold_first_ms'):.0f} / {s.worst('cold_first_ms'):.0f}",
                  f"{s.median('warm_all_ms'):.0f} / {s.worst('warm_all_ms'):.0f}",
                  f"{files:,}, {kb(size)}", detail,
                  f"{agreed} of {len(same)} queries" if any(same) else "")
    return table


def targets(summaries: list[Summary], table: bench.Table) -> None:
    """The issue's targets, judged at the largest collection."""
    largest = summaries[-1]
    name = f"{largest.site.name} ({largest.site.articles} articles)"
    for label, value, limit, shown in (
            ("bytes before the first results (worst query)", largest.worst("first_bytes"),
             TARGET_FIRST_BYTES, kb),
            ("bytes per query, all results shown (worst query)", largest.worst("all_bytes"),
             TARGET_QUERY_BYTES, kb),
            ("warm query, all results shown, ms (worst query)", largest.worst("warm_all_ms"),
             TARGET_WARM_MS, lambda v: f"{v:.0f}")):
        table.add(f"search at {name}: {label}", shown(value), shown(limit),
                  bench.verdict(value, limit))
    lost = [f.query for s in summaries for f in s.found
            if (r := recall(s.site.name, f)) and not r.startswith("same")]
    table.add("search: every query finds the articles the search before found",
              "yes" if not lost else f"no: {', '.join(lost)}", "", "met" if not lost else
              "MISSED")


def bench_search(work: Path, corpus: list[Path]) -> tuple[list[bench.Table], bench.Table]:
    """Build, measure and tabulate; the tables and the targets' rows."""
    sites = build_sites(work, corpus)
    tables: list[bench.Table] = []
    summaries = []
    for site in sites:
        found = measure(site.html, QUERIES)
        summaries.append(Summary(site, found))
        tables.append(query_table(site, found, legacy=False))
    tables.insert(0, summary_table(summaries, legacy=False))
    rows = bench.Table("Targets", ("target", "measured", "limit", ""))
    targets(summaries, rows)
    return tables, rows


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(bench.os.environ.get(bench.CORPUS_ENV, bench.DEFAULT_CORPUS)))
    parser.add_argument("--skip-corpus", action="store_true", help="the edition alone")
    parser.add_argument("--keep", action="store_true", help="keep the builds")
    parser.add_argument("--legacy", nargs="+", type=Path, metavar="NAME=HTML",
                        help="measure builds of the search before instead (edition=DIR, "
                             "100=DIR, 1131=DIR)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    print(bench.machine().render(), flush=True)
    if args.legacy:
        summaries = []
        for item in args.legacy:
            name, _, html = str(item).partition("=")
            site = Site(name, Path(html), len(list(Path(html, "articles").glob("*.html"))))
            found = measure(site.html, QUERIES, legacy=True)
            summaries.append(Summary(site, found))
            print(query_table(site, found, legacy=True).render(), flush=True)
        print(summary_table(summaries, legacy=True).render(), flush=True)
        return 0
    corpus = [] if args.skip_corpus else bench.corpus_posts(args.corpus)
    work = Path(tempfile.mkdtemp(prefix="edition-search-bench-"))
    try:
        tables, rows = bench_search(work, corpus)
        for table in tables:
            print(table.render(), flush=True)
        print(rows.render(), flush=True)
    finally:
        if args.keep:
            print(f"(builds kept in {work})", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
