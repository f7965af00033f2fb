"""How fast the edition is made: converting, building, rebuilding, printing and tagging.

Also how conversion time grows on pathological inputs (benchmarks/pathological.py).

    python benchmarks/bench.py [--corpus ../shared/corpus] [--skip-pdf] [--skip-corpus]
                               [--skip-shards]
    python benchmarks/bench.py --only edition-corpus     # the edition with 100, 300, all posts
    python benchmarks/bench.py --only shards             # all posts in 2 shards against 1 build

Everything is measured in one run, on this machine, and printed as tables side by side with
what it is compared to (trafilatura's extraction of the same HTML, a full build, 100 posts) and
the targets the edition sets itself. Builds run in temporary copies: the edition's docs/ is
never written to, and the corpus posts never enter the edition.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import functools
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pathological  # noqa: E402  (beside this file)

from converters.common.paths import DEFAULT_REGISTRY  # noqa: E402
from converters.common.registry import Entity, Registry, load_registry  # noqa: E402
from converters.model import (  # noqa: E402 (needs the path above)
    Article,
    ConversionError,
    Paragraph,
    Source,
    article_text,
    plain_text,
)
from converters.pipeline import Options, convert_source  # noqa: E402
from converters.readers import detect  # noqa: E402
from converters.sources import load  # noqa: E402

DOCS = REPO / "docs"
SEEDS = REPO / "seeds"
#: The extra corpus, relative to the repository (shared/ sits beside the clone).
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
#: Environment variable naming the corpus folder instead.
CORPUS_ENV = "EDITION_CORPUS"
#: Jekyll front matter at the start of a post.
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
#: Reader formats whose input is HTML (what trafilatura extracts from).
HTML_FORMATS = ("nytimes", "caixin")
#: Size of the small corpus sample the whole corpus is compared to.
SAMPLE_SIZE = 100

#: Targets the edition sets itself (see README, Performance).
TARGET_INCREMENTAL = 0.10  #: rebuild after one changed paragraph, as a share of a full build
TARGET_PREVIEW_SECONDS = 1.5  #: from saving a paragraph to its HTML written by the preview
TARGET_CORPUS_RATIO = 12.0  #: convert + build of all posts, as a multiple of 100 posts
TARGET_TAGGING_EXPONENT = 1.1  #: time ~ length^k over ×1…×100; 1 is linear (noise allowed)
TARGET_TRAFILATURA = 1.0  #: converter time as a multiple of trafilatura's
TARGET_CPU_PER_ARTICLE = 0.1  #: serial build CPU seconds per article page at all posts
#: Serial build CPU seconds each added text costs in the edition as editors build it (the posts
#: converted into a copy of docs/: home cards, method page, entity pages, timeline, registers).
TARGET_CPU_PER_ADDED_TEXT = 0.1
#: Sizes of the edition-corpus builds: posts added to the edition (then all posts).
EDITION_CORPUS_SIZES = (100, 300)
TARGET_PEAK_MB = 2048.0  #: peak memory of any corpus step, MiB
TARGET_PARALLEL = 0.999  #: -j auto build time as a share of the serial build's (faster)
#: Readers and conversion on pathological inputs: time ~ size^k from 100 KB to 1 MB.
TARGET_PATHOLOGICAL_EXPONENT = 1.2
#: The 120 KB NYT post whose translator's name is a run of U+3000 (17.6 s before), CPU seconds.
TARGET_TRANSLATOR_POST_SECONDS = 1.0
#: Size of searchindex.js and serial full HTML build time (wall) before the search knew numbers,
#: pinyin and every name of an entity (measured on the 2-core machine the edition is made on);
#: both may grow by at most TARGET_FINDING_GROWTH.
BASELINE_SEARCH_INDEX_BYTES = 136_020
BASELINE_FULL_BUILD_SECONDS = 19.4
TARGET_FINDING_GROWTH = 1.30
#: Files of the search and the research data in an HTML build, measured for their size.
FINDING_FILES = (
    "search.html", "_static/edition-search.js", "_static/edition-search-names.js",
    "_static/edition-search-fold.js", "_static/edition-search-stemmer.js",
    "_static/entities.json", "_static/entities.csv", "data/articles.json",
)
#: Shortest in-process sample worth timing, in seconds (shorter work is repeated within one).
MIN_SAMPLE = 0.2

#: Sphinx's progress lines, counted to tell how many documents a build read and wrote.
READING_LINE = re.compile(r"^reading sources\.\.\. \[", re.MULTILINE)
WRITING_LINE = re.compile(r"^writing output\.\.\. \[", re.MULTILINE)
UPDATING_LINE = re.compile(
    r"updating environment: .*?(?P<added>\d+) added, (?P<changed>\d+) changed"
)

#: The corpus project's conf.py: every setting of the edition's, then its own name.
CORPUS_CONF = '''\
"""A throwaway project holding corpus posts, configured exactly as the edition."""
import runpy

globals().update(
    (key, value) for key, value in runpy.run_path({conf!r}).items() if not key.startswith("__")
)
project = "Corpus benchmark"
'''
CORPUS_INDEX = """\
# Corpus benchmark

```{toctree}
:glob:
:maxdepth: 1

articles/*
```
"""


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    """One child process: its wall time, CPU time, peak memory and outcome."""

    seconds: float
    cpu: float
    peak_mb: float
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        """Whether the command succeeded."""
        return self.returncode == 0

    def last_line(self) -> str:
        """The last non-empty line of the output, to say why a command failed."""
        lines = [line for line in self.output.splitlines() if line.strip()]
        return lines[-1][:160] if lines else ""


def run(command: Sequence[str], cwd: Path = REPO) -> Run:
    """Run a command to completion; measure it with the kernel's own accounting (``wait4``)."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED="0", LC_ALL="C.UTF-8")
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        # wait4 gives this child's own resource usage; ru_maxrss (KiB on Linux) is the
        # largest resident set of the child or any descendant it waited for (-j workers).
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
               process.returncode, output)


def sphinx(builder: str, source: Path, out: Path, *options: str) -> Run:
    """A ``sphinx-build`` in a child process (``-M`` makes, e.g. ``latexpdf``, included)."""
    if builder.startswith("-M "):
        args = ["-M", builder[3:], str(source), str(out)]
    else:
        args = ["-b", builder, "-d", str(out / ".doctrees"), str(source), str(out / builder)]
    return run([sys.executable, "-m", "sphinx", *args, *options])


def timed(function: Callable[[], object], repeat: int, warm_up: bool = True) -> float:
    """Best wall time of ``repeat`` calls, after one unmeasured warm-up call.

    The minimum, not the mean: on a shared machine other processes only ever add time.
    """
    if warm_up:
        function()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return min(samples)


# --------------------------------------------------------------------------- reporting


@dataclass
class Table:
    """A titled table printed with aligned columns."""

    title: str
    header: tuple[str, ...]
    rows: list[tuple[str, ...]] = field(default_factory=list)

    def add(self, *cells: object) -> None:
        """Append a row; numbers are formatted by :func:`cell`."""
        self.rows.append(tuple(cell(value) for value in cells))

    def render(self) -> str:
        """The table as text."""
        widths = [max(len(row[i]) for row in [self.header, *self.rows])
                  for i in range(len(self.header))]
        lines = [f"## {self.title}", ""]
        for index, row in enumerate([self.header, *self.rows]):
            lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
                         + " |")
            if index == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines) + "\n"


def cell(value: object) -> str:
    """A value as shown in a table: seconds and ratios rounded to a sensible precision."""
    if isinstance(value, float):
        if value >= 100:
            return f"{value:.0f}"
        if value >= 1:
            return f"{value:.2f}"
        return f"{value:.3g}"
    return str(value)


def verdict(value: float, limit: float) -> str:
    """``met`` when a measured value is within its target, else ``MISSED``."""
    return "met" if value <= limit else "MISSED"


def machine() -> Table:
    """The machine and software the figures were measured on."""
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0.0
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) / 1024 / 1024
    import sphinx as sphinx_package

    table = Table("Machine", ("", ""))
    table.add("date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"))
    table.add("CPU", cpu)
    table.add("cores", str(os.cpu_count()))
    table.add("RAM", f"{memory:.0f} GiB")
    table.add("Python", f"{platform.python_version()} ({platform.python_implementation()})")
    table.add("Sphinx", sphinx_package.__version__)
    table.add("command", "python " + " ".join(sys.argv))
    return table


# --------------------------------------------------------------------------- the corpus


def corpus_posts(corpus: Path) -> list[Path]:
    """Every post of the corpus (``*.md`` under its format folders), in a fixed order."""
    return sorted(p for p in corpus.glob("*/*.md") if p.name != "README.md")


def sample(posts: list[Path], size: int) -> list[Path]:
    """``size`` posts spread evenly over the list, so every format is represented in proportion."""
    if len(posts) <= size:
        return list(posts)
    step = len(posts) / size
    return [posts[int(i * step)] for i in range(size)]


# --------------------------------------------------------------------------- converting


def as_html_document(text: str) -> str:
    """A source as a plain HTML document: front matter removed, body wrapped in ``<html>``."""
    return f"<html><body>{FRONT_MATTER.sub('', text, count=1)}</body></html>"


def bench_convert(corpus: list[Path], repeat: int) -> tuple[Table, float]:
    """Converters against ``trafilatura.extract`` of the same HTML; returns the worst ratio.

    "read" is the reader alone (HTML to the document model, what trafilatura does: find the
    text); "convert" is the whole conversion (editorial data, entity and date tagging, MyST).
    The character counts show how much text each finds (trafilatura misses some formats).
    """
    import trafilatura

    options = Options()
    seeds = sorted(SEEDS.glob("*.txt"))
    table = Table(
        "Converting: converters vs trafilatura.extract (in process, best of runs)",
        ("input", "files", "read s", "convert s", "trafilatura s", "convert/traf",
         "read/traf", "characters found: ours / trafilatura's"),
    )
    sources = {path: load(path) for path in [*seeds, *corpus]}

    def read_all(paths: list[Path]) -> Callable[[], int]:
        def go() -> int:
            found = 0
            for path in paths:
                source = sources[path]
                try:
                    found += sum(len(article_text(a)) for a in detect(source).read(source))
                except ConversionError:  # a refused post still cost its reading time
                    pass
            return found
        return go

    def convert_all(paths: list[Path]) -> Callable[[], int]:
        def go() -> int:
            for path in paths:
                try:
                    convert_source(sources[path], options)
                except ConversionError:
                    pass
            return 0
        return go

    # trafilatura finds no text in a post that starts with Jekyll front matter or with the
    # feed's Markdown title lines: it gets each input as an HTML document, prepared untimed.
    html_documents = {p: as_html_document(source.text) for p, source in sources.items()}

    def extract_all(paths: list[Path]) -> Callable[[], int]:
        def go() -> int:
            return sum(len(trafilatura.extract(html_documents[p]) or "") for p in paths)
        return go

    html_seeds = [p for p in seeds if detect(sources[p]).FORMAT in HTML_FORMATS]
    table.add("4 seeds (all formats)", len(seeds), timed(read_all(seeds), repeat),
              timed(convert_all(seeds), repeat), "", "", "", "")
    worst = 0.0
    groups: list[tuple[str, list[Path], int]] = [("HTML seeds", html_seeds, repeat)]
    for folder in sorted({p.parent for p in corpus}):
        posts = [p for p in corpus if p.parent == folder]
        groups.append((f"corpus {folder.name}", posts, 1))
    for name, paths, times in groups:
        # The seeds warmed every cache up; a corpus pass is long enough to time once.
        read = timed(read_all(paths), times, warm_up=times > 1)
        ours = timed(convert_all(paths), times, warm_up=times > 1)
        theirs = timed(extract_all(paths), times, warm_up=times > 1)
        worst = max(worst, ours / theirs)
        found = f"{read_all(paths)()} / {extract_all(paths)()}"
        table.add(name, len(paths), read, ours, theirs, ours / theirs, read / theirs, found)
    return table, worst


# --------------------------------------------------------------------------- building


def edit_one_paragraph(docs: Path) -> str:
    """Change the third paragraph of the first article; return the article's name."""
    article = sorted((docs / "articles").glob("*.md"))[0]
    text = article.read_text(encoding="utf-8")
    label = re.search(r"^\((?P<slug>[\w-]+)-p3\)=\n(?P<line>.+)$", text, re.MULTILINE)
    if label is None:
        raise SystemExit(f"error: {article}: no paragraph labelled -p3 to edit")
    edited = text[: label.end("line")] + " (edited for the benchmark)" + text[label.end("line"):]
    article.write_text(edited, encoding="utf-8")
    return article.stem


def documents(result: Run, parallel: bool = False) -> str:
    """How many documents a build read and wrote, from its progress lines.

    A parallel build reports progress per batch, not per document: only the number of
    documents Sphinx found changed is known then.
    """
    if parallel:
        changed = UPDATING_LINE.search(result.output)
        if changed is None:
            return ""
        return f"{int(changed['added']) + int(changed['changed'])} changed"
    return (f"read {len(READING_LINE.findall(result.output))}, "
            f"wrote {len(WRITING_LINE.findall(result.output))}")


def bench_build(work: Path, skip_pdf: bool) -> tuple[Table, float, float, float]:
    """Full and incremental HTML builds and the PDF; the rebuild ratio, full time and CPU."""
    table = Table(
        "Building the edition (a copy of docs/)",
        ("build", "seconds", "CPU s", "peak MiB", "documents", "vs full"),
    )
    docs = work / "edition" / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", "_generated"))
    for page in REPO.glob("*.md"):  # pages of docs/ include README.md and CONTRIBUTING.md
        shutil.copy(page, docs.parent)
    parallel = sphinx("html", docs, work / "edition-j", "-j", "auto")
    check(parallel, "parallel HTML build")
    full = sphinx("html", docs, work / "edition-html")
    check(full, "HTML build")
    table.add("full HTML", full.seconds, full.cpu, full.peak_mb, documents(full), 1.0)
    table.add("full HTML, -j auto", parallel.seconds, parallel.cpu, parallel.peak_mb,
              documents(parallel, parallel=True), parallel.seconds / full.seconds)
    unchanged = sphinx("html", docs, work / "edition-html")
    check(unchanged, "rebuild")
    table.add("rebuild, nothing changed", unchanged.seconds, unchanged.cpu, unchanged.peak_mb,
              documents(unchanged), unchanged.seconds / full.seconds)
    edited = edit_one_paragraph(docs)
    incremental = sphinx("html", docs, work / "edition-html")
    check(incremental, "incremental rebuild")
    # The target is judged on CPU time: a serial build's CPU time is its work, while its wall
    # time also counts whatever else the machine is doing.
    ratio = incremental.cpu / full.cpu
    table.add(f"rebuild, one paragraph of {edited}", incremental.seconds, incremental.cpu,
              incremental.peak_mb, documents(incremental), incremental.seconds / full.seconds)
    if not skip_pdf:
        pdf = sphinx("-M latexpdf", docs, work / "edition-pdf")
        outcome = documents(pdf) if pdf.ok else f"FAILED: {pdf.last_line()}"
        table.add("PDF (latexpdf)", pdf.seconds, pdf.cpu, pdf.peak_mb, outcome,
                  pdf.seconds / full.seconds)
    return table, ratio, full.seconds, full.cpu


def bench_search_index(html: Path, seconds: float) -> tuple[Table, float]:
    """Sizes of the search index and data files; the build time's growth.

    The index is no longer one file every page loads (searchindex.js, 136 KB before the search
    knew numbers, pinyin and names): its files under ``_search/`` are loaded by need, and what
    a query costs is the search section's (``--only search``).
    """
    table = Table("Search index and research data (full HTML build)",
                  ("file", "KiB", "before, KiB", "ratio"))
    index = [p for p in (html / "_search").rglob("*") if p.is_file()]
    table.add(f"_search/ ({len(index):,} files, loaded by need)",
              sum(p.stat().st_size for p in index) / 1024,
              f"searchindex.js {BASELINE_SEARCH_INDEX_BYTES / 1024:.0f}", "")
    for name in FINDING_FILES:
        path = html / name
        size = path.stat().st_size if path.is_file() else 0
        table.add(name, size / 1024, "", "")
    tei = sorted((html / "data" / "tei").glob("*.xml"))
    table.add(f"data/tei/*.xml ({len(tei)} files)",
              sum(p.stat().st_size for p in tei) / 1024, "", "")
    table.add("full HTML build, seconds", seconds, BASELINE_FULL_BUILD_SECONDS,
              seconds / BASELINE_FULL_BUILD_SECONDS)
    return table, seconds / BASELINE_FULL_BUILD_SECONDS


#: How often the preview benchmark asks the server whether the page has changed.
PREVIEW_POLL_SECONDS = 0.05
#: How long the preview server may take to come up or to rebuild before the benchmark gives up.
PREVIEW_DEADLINE = 600.0
#: Rebuilds after a one-paragraph edit measured by the preview benchmark (the best is shown).
PREVIEW_EDITS = 10


def _served(url: str) -> str:
    """The page at ``url`` ('' while the server does not answer)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def _wait_served(url: str, needle: str, server: subprocess.Popen[bytes]) -> float:
    """Seconds until the page at ``url`` contains ``needle`` (exits when it never does)."""
    start = time.perf_counter()
    while time.perf_counter() - start < PREVIEW_DEADLINE:
        if server.poll() is not None:
            raise SystemExit("error: the preview server stopped")
        if needle in _served(url):
            return time.perf_counter() - start
        time.sleep(PREVIEW_POLL_SECONDS)
    raise SystemExit(f"error: {url} never showed {needle!r}")


#: The preview's line after each build (scripts/preview.py's BUILT_LINE).
PREVIEW_BUILT = re.compile(r"^preview: built \((?P<kind>[^)]*)\) in (?P<wall>[\d.]+) s, "
                           r"CPU (?P<cpu>[\d.]+) s$", re.MULTILINE)
#: The preview's line after each build's: its garbage collected while the editor reads.
PREVIEW_TIDY = re.compile(r"^preview: collected garbage, CPU (?P<cpu>[\d.]+) s$", re.MULTILINE)


def _wait_written(path: Path, needle: str, server: subprocess.Popen[bytes]) -> float:
    """Seconds until the file at ``path`` contains ``needle`` (exits when it never does)."""
    start = time.perf_counter()
    while time.perf_counter() - start < PREVIEW_DEADLINE:
        if server.poll() is not None:
            raise SystemExit("error: the preview server stopped")
        try:
            if needle in path.read_text(encoding="utf-8"):
                return time.perf_counter() - start
        except (OSError, UnicodeDecodeError):  # not there yet, or being written
            pass
        time.sleep(PREVIEW_POLL_SECONDS / 5)
    raise SystemExit(f"error: {path} never showed {needle!r}")


def bench_preview(work: Path, full_cpu: float) -> tuple[Table, float, float]:
    """``nox -s preview``: from saving a one-paragraph edit to its HTML; returns ratio, wall.

    The ratio is the CPU time of the preview's in-process rebuild against ``full_cpu``, the
    CPU time of a full ``sphinx-build`` of the same edition (what a rebuild used to repeat).
    """
    import signal
    import socket

    table = Table("Live preview (scripts/preview.py: one Sphinx application kept alive)",
                  ("step", "seconds", "CPU s", "vs full build (CPU)"))
    project = work / "preview"
    shutil.copytree(DOCS, project / "docs", ignore=shutil.ignore_patterns("_build",
                                                                          "_generated"))
    for page in REPO.glob("*.md"):
        shutil.copy(page, project)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    article = sorted((project / "docs" / "articles").glob("*.md"))[0]
    url = f"http://127.0.0.1:{port}/articles/{article.stem}.html"
    html = project / "html" / "articles" / f"{article.stem}.html"
    log = project / "preview.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "preview.py"), "--port", str(port),
             "--docs", str(project / "docs"), "--out", str(project / "html")],
            stdout=output, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        first = _wait_served(url, f"{article.stem}-p3", server)
        wall: list[float] = []
        for edit in range(PREVIEW_EDITS):
            time.sleep(1.0)  # the watcher settles; each save is its own change
            text = article.read_text(encoding="utf-8")
            label = f"({article.stem}-p3)=\n"
            start = text.index(label) + len(label)
            end = text.index("\n", start)
            marker = f" (preview edit {edit})"
            article.write_text(text[:end] + marker + text[end:], encoding="utf-8")
            wall.append(_wait_written(html, marker, server))
            _wait_served(url, marker, server)  # and the server gives it out (untimed)
        deadline = time.perf_counter() + PREVIEW_DEADLINE
        while (len(builds := PREVIEW_BUILT.findall(log.read_text(encoding="utf-8")))
               <= PREVIEW_EDITS and time.perf_counter() < deadline):
            time.sleep(PREVIEW_POLL_SECONDS)  # the build's end (search index, exports)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    first_cpu = builds[0][2]
    table.add("start and first full build (served)", first, float(first_cpu),
              float(first_cpu) / full_cpu)
    rebuilds = [float(cpu) for kind, _wall, cpu in builds[1:] if kind == "rebuild"]
    if len(rebuilds) < PREVIEW_EDITS:
        raise SystemExit(f"error: the preview rebuilt {len(rebuilds)} times for "
                         f"{PREVIEW_EDITS} edits:\n{log.read_text(encoding='utf-8')}")
    rebuild_walls = [float(w) for kind, w, _cpu in builds[1:] if kind == "rebuild"]
    # A rebuild's CPU varies from edit to edit (the garbage collector, the machine's other
    # work): the mean over many edits is the figure judged, with the spread beside it.
    mean_cpu = statistics.mean(rebuilds)
    table.add(f"rebuild in process, one paragraph of {article.stem} (mean of "
              f"{len(rebuilds)}; CPU {min(rebuilds):.2f}–{max(rebuilds):.2f} s)",
              statistics.mean(rebuild_walls), mean_cpu, mean_cpu / full_cpu)
    tidy = [float(cpu) for cpu in PREVIEW_TIDY.findall(log.read_text(encoding="utf-8"))[1:]]
    if tidy:
        # Not part of the rebuild: it runs once the page is written and reported.
        table.add(f"then, while the editor reads: garbage collected (mean of {len(tidy)})",
                  "", statistics.mean(tidy), "")
    table.add(f"save to written HTML (median of {PREVIEW_EDITS}; each: "
              f"{', '.join(f'{w:.2f}' for w in wall)})", statistics.median(wall), "", "")
    return table, mean_cpu / full_cpu, statistics.median(wall)


def progress(message: str) -> None:
    """Say on stderr how far a long run has come (the tables come at the end of each part)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def check(result: Run, what: str) -> None:
    """Stop the benchmark when a build it depends on failed."""
    if not result.ok:
        raise SystemExit(f"error: {what} failed ({result.returncode}):\n{result.output[-3000:]}")


def corpus_project(work: Path, name: str, posts: list[Path]) -> tuple[Path, Run]:
    """Convert posts into a throwaway Sphinx project configured as the edition."""
    project = work / name
    shutil.copytree(DOCS, project, ignore=shutil.ignore_patterns(
        "articles", "_build", "_generated", "*.md"))
    (project / "conf.py").write_text(CORPUS_CONF.format(conf=str(DOCS / "conf.py")),
                                     encoding="utf-8")
    (project / "index.md").write_text(CORPUS_INDEX, encoding="utf-8")
    articles = project / "articles"
    articles.mkdir()
    convert = run([sys.executable, "-m", "converters", *map(str, posts), "--out", str(articles)])
    return project, convert


@dataclass
class CorpusFigures:
    """What the corpus benchmark measures against its targets."""

    ratio: float  #: convert + build of all posts / of 100 posts (worst of serial and -j)
    cpu_per_article: float  #: serial build CPU seconds per article page, all posts
    peak_mb: float  #: largest resident set of any step, all posts
    parallel_vs_serial: float  #: -j auto build time / serial build time (wall), all posts
    #: the serial builds by number of posts: (texts, build, project, HTML folder)
    serial: dict[int, tuple[int, Run, Path, Path]] = field(default_factory=dict)


def bench_corpus(work: Path, corpus: list[Path]) -> tuple[Table, CorpusFigures]:
    """Convert + build 100 posts and all posts, serial and ``-j auto``; the targets' figures."""
    table = Table(
        "Corpus: convert + build (throwaway project, edition settings)",
        ("posts", "articles", "step", "seconds", "CPU s", "peak MiB", "all/100"),
    )
    totals: dict[tuple[str, int], float] = {}
    builds: dict[tuple[str, int], Run] = {}
    serial: dict[int, tuple[int, Run, Path, Path]] = {}
    made = 0
    for posts in (sample(corpus, SAMPLE_SIZE), corpus):
        size = len(posts)
        project, convert = corpus_project(work, f"corpus-{size}", posts)
        made = len(list((project / "articles").glob("*.md")))
        refused = convert.output.count("error:")
        table.add(size, made, f"convert ({refused} refused)", convert.seconds, convert.cpu,
                  convert.peak_mb, "")
        progress(f"corpus {size}: convert {convert.seconds:.0f} s")
        for mode, options in (("serial", ()), ("-j auto", ("-j", "auto"))):
            build = sphinx("html", project, work / f"corpus-{size}-{mode[:2]}", *options)
            outcome = "" if build.ok else f" FAILED: {build.last_line()}"
            table.add(size, made, f"build {mode}{outcome}", build.seconds, build.cpu,
                      build.peak_mb, "")
            progress(f"corpus {size}: build {mode} {build.seconds:.0f} s")
            totals[(mode, size)] = convert.seconds + build.seconds
            builds[(mode, size)] = build
        serial[size] = (made, builds[("serial", size)], project,
                        work / f"corpus-{size}-se" / "html")
    small, large = SAMPLE_SIZE, len(corpus)
    ratio = 0.0
    for mode in ("serial", "-j auto"):
        mode_ratio = totals[(mode, large)] / totals[(mode, small)]
        ratio = max(ratio, mode_ratio)
        table.add(f"{small} → {large}", "", f"convert + build {mode}",
                  f"{totals[(mode, small)]:.1f} → {totals[(mode, large)]:.1f}", "", "",
                  mode_ratio)
    serial_builds = serial
    serial, parallel = builds[("serial", large)], builds[("-j auto", large)]
    figures = CorpusFigures(ratio, serial.cpu / max(made, 1),
                            max(serial.peak_mb, parallel.peak_mb),
                            parallel.seconds / serial.seconds, serial_builds)
    table.add(large, made, "build serial: CPU s per article page", "", figures.cpu_per_article,
              "", "")
    return table, figures


def bench_shards(work: Path, corpus: list[Path], figures: CorpusFigures | None,
                 targets: Table) -> None:
    """All posts in two shards by source against their serial build (benchmarks/sharded.py).

    The corpus section's serial builds (100 and all posts), when it ran, are reused; the
    others (300 posts, for the memory per text) are built here.
    """
    import sharded  # beside this file; it imports this module

    singles = [sharded.SingleBuild(posts, texts, run, html, project)
               for posts, (texts, run, project, html) in
               sorted((figures.serial if figures else {}).items())]
    done = {single.posts for single in singles}
    singles += [sharded.single_build(work, sample(corpus, size))
                for size in (*SHARD_MEMORY_SIZES, len(corpus))
                if size not in done and size <= len(corpus)]
    singles.sort(key=lambda single: single.posts)
    memory, _slope = sharded.memory_table(singles)
    print(memory.render(), flush=True)
    tables, shards = sharded.sharded_tables(work, singles[-1], 2, "source")
    for table in tables:
        print(table.render(), flush=True)
    targets.add("all posts in 2 shards: the joined site is the single build's",
                "yes" if shards.matches else "no", "yes",
                "met" if shards.matches else "MISSED")
    targets.add("all posts in 2 shards: largest peak of a build / single build's",
                shards.largest_peak / shards.single_peak, "", "comparison")


#: Sample sizes whose single build's peak memory per text the sharding section reports.
SHARD_MEMORY_SIZES = (100, 300)


def edition_corpus_project(work: Path, name: str, posts: list[Path]) -> tuple[Path, Run]:
    """The edition as editors build it, with ``posts`` converted into its articles.

    A copy of docs/ (home page with its cards, editorial method, contributing guide with the
    README and CONTRIBUTING beside it, data page; entity pages, timeline and registers are
    generated by the build) whose articles/ holds the edition's texts and the posts.
    """
    project = work / name
    docs = project / "docs"
    shutil.copytree(DOCS, docs, ignore=shutil.ignore_patterns("_build", "_generated"))
    for page in REPO.glob("*.md"):  # pages of docs/ include README.md and CONTRIBUTING.md
        shutil.copy(page, project)
    convert = run([sys.executable, "-m", "converters", *map(str, posts),
                   "--out", str(docs / "articles")])
    return docs, convert


@dataclass
class EditionCorpusFigures:
    """What the edition-corpus benchmark measures against its targets."""

    #: serial build CPU seconds per added text, from the smallest size to each larger one
    per_added_text: dict[int, float]
    #: build CPU of all posts / of 100 posts
    ratio: float
    #: peak memory of the build of all posts, MiB
    peak_mb: float


def bench_edition_corpus(work: Path, corpus: list[Path],
                         repeat: int) -> tuple[Table, EditionCorpusFigures]:
    """Serial HTML builds of the edition with 100, 300 and all posts: CPU per added text.

    Each build is a new ``sphinx-build`` with the edition's own configuration; its CPU time
    (user + system, from ``wait4``) is what other work on the machine changes least. It still
    changes it (on a shared 2-core machine, by a fifth at a load of 5), so the smaller sizes are
    built ``repeat`` times in turns (100, 300, 100, 300, …: both see the same load) and the
    least CPU of each size is taken; all posts are built once, last.
    """
    table = Table(
        "Edition with corpus posts: serial HTML build (copy of docs/, edition configuration)",
        ("posts", "texts", "step", "seconds", "CPU s", "peak MiB", "CPU per added text"),
    )
    sizes = [size for size in EDITION_CORPUS_SIZES if size < len(corpus)] + [len(corpus)]
    texts: dict[int, int] = {}
    projects: dict[int, Path] = {}
    for size in sizes:
        docs, convert = edition_corpus_project(work, f"edition-corpus-{size}",
                                               sample(corpus, size))
        projects[size] = docs
        texts[size] = len(list((docs / "articles").glob("*.md")))
        refused = convert.output.count("error:")
        table.add(size, texts[size], f"convert ({refused} refused)", convert.seconds,
                  convert.cpu, convert.peak_mb, "")
    builds: dict[int, list[Run]] = {size: [] for size in sizes}
    turns = [(attempt, size) for attempt in range(repeat) for size in sizes[:-1]]
    for attempt, size in [*turns, (0, sizes[-1])]:
        out = work / f"edition-corpus-{size}-{attempt}"
        build = sphinx("html", projects[size], out)
        check(build, f"edition build with {size} posts")
        builds[size].append(build)
        progress(f"edition corpus {size}: build {build.seconds:.0f} s, CPU {build.cpu:.1f} s")
        shutil.rmtree(out, ignore_errors=True)  # 0.5 GB of HTML at all posts
    cpu: dict[int, float] = {}
    peak: dict[int, float] = {}
    first, last = sizes[0], sizes[-1]
    for size in sizes:
        best = min(builds[size], key=lambda b: b.cpu)
        cpu[size], peak[size] = best.cpu, max(b.peak_mb for b in builds[size])
        spread = (f" (least of {', '.join(f'{b.cpu:.1f}' for b in builds[size])})"
                  if len(builds[size]) > 1 else "")
        added = "" if size == first else (cpu[size] - cpu[first]) / (texts[size] - texts[first])
        table.add(size, texts[size], f"build serial{spread}", best.seconds, best.cpu,
                  peak[size], added)
    per_added = {size: (cpu[size] - cpu[first]) / (texts[size] - texts[first])
                 for size in sizes[1:]}
    table.add(f"{first} → {last}", "", "build CPU ratio", "", cpu[last] / cpu[first], "", "")
    table.add(f"{first} → {last}", "", "peak MiB per added text", "",
              "", (peak[last] - peak[first]) / (texts[last] - texts[first]), "")
    return table, EditionCorpusFigures(per_added, cpu[last] / cpu[first], peak[last])


# --------------------------------------------------------------------------- tagging


def synthetic_registry(registry: Registry, factor: int, seed: int = 7) -> Registry:
    """The registry plus ``factor - 1`` times as many made-up entities (names absent from text)."""
    rng = random.Random(seed)
    han = [chr(c) for c in range(0x4E00, 0x9FA5)]
    extra: list[Entity] = []
    for number in range(len(registry.entities) * (factor - 1)):
        chinese = "".join(rng.choices(han, k=rng.randint(2, 5)))
        latin = "Zq" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(4, 9)))
        extra.append(Entity(
            id=f"synthetic-{number}", type="company", label=latin.title(),
            labels={"en": latin.title(), "zh-Hans": chinese, "zh-Hant": chinese},
            aliases=(latin.upper(),), description="synthetic", wikidata="",
        ))
    return Registry(entities=registry.entities + tuple(extra),
                    not_entities=registry.not_entities)


def lengthened(article: Article, factor: int) -> Article:
    """The article with every paragraph ``factor`` times as long (its inlines repeated)."""
    longer = copy.deepcopy(article)
    for block in longer.blocks:
        if isinstance(block, Paragraph):
            block.inlines = [copy.deepcopy(node) for _ in range(factor) for node in block.inlines]
    return longer


def bench_tagging(repeat: int) -> tuple[Table, float]:
    """``tag_article`` over ×1, ×10, ×100 text and a 10× registry; returns the worst exponent."""
    import math

    from converters.common.matching import automaton

    seed = load(sorted(SEEDS.glob("000_*.txt"))[0])
    base = read_untagged(seed)
    registry = load_registry(DEFAULT_REGISTRY)
    table = Table(
        "Entity tagging (tag_article, Aho–Corasick; text = seed 000, paragraphs lengthened)",
        ("registry", "names", "automaton s", "text ×", "characters", "seconds", "µs/char",
         "exponent"),
    )
    worst = 0.0
    for factor in (1, 10):
        names = registry if factor == 1 else synthetic_registry(registry, factor)
        start = time.perf_counter()
        automaton(names)
        built = time.perf_counter() - start
        first = 0.0
        for scale in (1, 10, 100):
            article = lengthened(base, scale)
            characters = sum(len(plain_text(b.inlines)) for b in article.blocks
                             if isinstance(b, Paragraph))
            # tag_article rewrites in place: every call gets a fresh copy. Short texts are
            # tagged many times per sample, so that a sample lasts long enough to time.
            once = timed(functools.partial(tag_next, iter([copy.deepcopy(article)]), names),
                         1, warm_up=False)
            calls = max(1, math.ceil(MIN_SAMPLE / max(once, 1e-6)))
            supply = iter([copy.deepcopy(article) for _ in range(calls * (repeat + 1))])
            seconds = timed(functools.partial(tag_many, supply, names, calls), repeat) / calls
            # The exponent k of time ~ length^k from ×1 to this length: 1 is linear.
            if scale == 1:
                first = seconds
                exponent = ""
            else:
                value = math.log(seconds / first) / math.log(scale)
                exponent = f"{value:.2f}"
                if scale == 100:
                    worst = max(worst, value)
            table.add(f"×{factor}", sum(1 for _ in names.names()), built if scale == 1 else "",
                      scale, characters, seconds, seconds / characters * 1e6, exponent)
    return table, worst


def bench_pathological(repeat: int) -> tuple[Table, float, float]:
    """Every reader and the conversion on pathological inputs at 100 KB and 1 MB.

    Returns the table, the worst growth exponent and the 120 KB translator-line post's CPU.
    """
    growths = pathological.measure(min(repeat, 3), progress)
    table = Table("Pathological inputs: 100 KB → 1 MB (CPU, in process; k = log(t1MB/t100KB)"
                  "/log 10)", pathological.HEADER)
    for row in pathological.rows(growths):
        table.add(*row)
    return table, max(g.worst() for g in growths), pathological.translator_post_seconds(repeat)


def tag_next(articles: Iterator[Article], registry: Registry) -> None:
    """Tag the next article of a supply of fresh copies."""
    from converters.tagging import tag_article

    tag_article(next(articles), registry)


def tag_many(articles: Iterator[Article], registry: Registry, calls: int) -> None:
    """Tag the next ``calls`` articles of a supply of fresh copies."""
    for _ in range(calls):
        tag_next(articles, registry)


def read_untagged(source: Source) -> Article:
    """The first article a reader makes of a source, before any tagging."""
    return detect(source).read(source)[0]


# --------------------------------------------------------------------------- search


def run_search(work: Path, corpus: list[Path], targets: Table) -> None:
    """The search section (benchmarks/search_bench.py): its tables, and its targets' rows."""
    import search_bench  # beside this file; it imports this module

    work.mkdir(parents=True, exist_ok=True)
    tables, rows = search_bench.bench_search(work, corpus)
    for table in tables:
        print(table.render(), flush=True)
    targets.rows.extend(rows.rows)


# --------------------------------------------------------------------------- main


@contextmanager
def workspace(keep: bool) -> Iterator[Path]:
    """A temporary folder for builds, removed afterwards unless asked to keep it."""
    path = Path(tempfile.mkdtemp(prefix="edition-bench-"))
    try:
        yield path
    finally:
        if keep:
            print(f"(builds kept in {path})", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get(CORPUS_ENV, DEFAULT_CORPUS)),
                        help=f"corpus folder (default: ${CORPUS_ENV} or %(default)s)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per in-process timing")
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF build")
    parser.add_argument("--skip-corpus", action="store_true",
                        help="leave out the corpus (convert + build of 100 and all posts)")
    parser.add_argument("--skip-preview", action="store_true",
                        help="leave out the live preview measurement")
    parser.add_argument("--skip-shards", action="store_true",
                        help="leave out the sharded build of all posts (benchmarks/sharded.py)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary builds")
    parser.add_argument("--only", choices=sorted(ONLY),
                        help="run one part alone: edition-corpus (the edition built with 100, "
                             "300 and all posts: CPU per added text, peak memory), search "
                             "(search_bench.py: bytes, latency, recall and index CPU in "
                             "headless Chromium) or shards (all posts in 2 shards against one "
                             "build: each shard's cost, the comparison; memory per text)")
    parser.add_argument("--build-repeat", type=int, default=2,
                        help="serial builds of each smaller edition-corpus size (the least CPU "
                             "is taken; default %(default)s; all posts are built once)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every benchmark and print the tables (exit 1 on a missed target with ``--strict``)."""
    args = parse_args(argv)
    corpus = [] if args.skip_corpus else corpus_posts(args.corpus)
    if not args.skip_corpus and not corpus:
        print(f"error: {args.corpus}: no corpus posts (*/*.md) there", file=sys.stderr)
        return 2
    print(machine().render(), flush=True)
    targets = Table("Targets", ("target", "measured", "limit", ""))
    if args.only:
        needs_corpus, part = ONLY[args.only]
        if needs_corpus and not corpus:
            print(f"error: --only {args.only} needs the corpus", file=sys.stderr)
            return 2
        with workspace(args.keep) as work:
            part(work, corpus, args, targets)
    else:
        run_all(args, corpus, targets)
    print(targets.render(), flush=True)
    missed = any(row[-1] not in ("met", "comparison") for row in targets.rows)
    return 1 if args.strict and missed else 0


#: The parts ``--only`` runs alone: whether each needs the corpus, and how it is run.
ONLY: dict[str, tuple[bool, Callable[[Path, list[Path], argparse.Namespace, Table], None]]] = {
    "search": (False, lambda work, corpus, _args, targets: run_search(work, corpus, targets)),
    "shards": (True, lambda work, corpus, _args, targets: bench_shards(work, corpus, None,
                                                                        targets)),
    "edition-corpus": (True, lambda work, corpus, args, targets: edition_corpus_targets(
        work, corpus, args.build_repeat, targets)),
}


def run_all(args: argparse.Namespace, corpus: list[Path], targets: Table) -> None:
    """Every benchmark, each table printed as it is done, the targets' rows added."""
    with workspace(args.keep) as work:
        table, ratio = bench_convert(corpus, args.repeat)
        print(table.render(), flush=True)
        targets.add("converters vs trafilatura (worst ratio)", ratio, TARGET_TRAFILATURA,
                    verdict(ratio, TARGET_TRAFILATURA))
        table, exponent = bench_tagging(args.repeat)
        print(table.render(), flush=True)
        targets.add("tagging linear (worst exponent)", exponent, TARGET_TAGGING_EXPONENT,
                    verdict(exponent, TARGET_TAGGING_EXPONENT))
        table, exponent, seconds = bench_pathological(args.repeat)
        print(table.render(), flush=True)
        targets.add("pathological inputs: readers and conversion linear (worst exponent)",
                    exponent, TARGET_PATHOLOGICAL_EXPONENT,
                    verdict(exponent, TARGET_PATHOLOGICAL_EXPONENT))
        targets.add("120 KB post, translator's name of U+3000: conversion CPU s", seconds,
                    TARGET_TRANSLATOR_POST_SECONDS,
                    verdict(seconds, TARGET_TRANSLATOR_POST_SECONDS))
        table, ratio, full_seconds, full_cpu = bench_build(work, args.skip_pdf)
        print(table.render(), flush=True)
        # A new sphinx-build process pays Python's start, the imports and jieba's dictionary
        # (about 1.5 s of CPU) before any work: shown for comparison, not judged. The target
        # is the editor's save-to-preview path below, which keeps one application alive.
        targets.add("incremental rebuild, new sphinx-build / full build (CPU)", ratio,
                    "", "comparison")
        table, build = bench_search_index(work / "edition-html" / "html", full_seconds)
        print(table.render(), flush=True)
        targets.add("full HTML build / before", build, TARGET_FINDING_GROWTH,
                    verdict(build, TARGET_FINDING_GROWTH))
        if not args.skip_preview:
            table, ratio, seconds = bench_preview(work, full_cpu)
            print(table.render(), flush=True)
            targets.add("incremental rebuild, preview in process / full build (CPU)", ratio,
                        TARGET_INCREMENTAL, verdict(ratio, TARGET_INCREMENTAL))
            targets.add("preview: save to HTML, seconds (wall)", seconds,
                        TARGET_PREVIEW_SECONDS, verdict(seconds, TARGET_PREVIEW_SECONDS))
        if corpus:
            table, figures = bench_corpus(work, corpus)
            print(table.render(), flush=True)
            targets.add(f"all posts / {SAMPLE_SIZE} posts (worst)", figures.ratio,
                        TARGET_CORPUS_RATIO, verdict(figures.ratio, TARGET_CORPUS_RATIO))
            targets.add("all posts: CPU s per article page (serial)", figures.cpu_per_article,
                        TARGET_CPU_PER_ARTICLE, verdict(figures.cpu_per_article,
                                                        TARGET_CPU_PER_ARTICLE))
            targets.add("all posts: peak MiB", figures.peak_mb, TARGET_PEAK_MB,
                        verdict(figures.peak_mb, TARGET_PEAK_MB))
            targets.add("all posts: -j auto / serial build (wall)", figures.parallel_vs_serial,
                        TARGET_PARALLEL, verdict(figures.parallel_vs_serial, TARGET_PARALLEL))
            edition_corpus_targets(work, corpus, args.build_repeat, targets)
            if not args.skip_shards:
                bench_shards(work, corpus, figures, targets)
        run_search(work / "search", corpus, targets)


def edition_corpus_targets(work: Path, corpus: list[Path], repeat: int, targets: Table) -> None:
    """Run the edition-corpus benchmark, print its table, add its rows to ``targets``."""
    table, edition = bench_edition_corpus(work, corpus, repeat)
    print(table.render(), flush=True)
    first = min(EDITION_CORPUS_SIZES)
    for size, per_text in edition.per_added_text.items():
        targets.add(f"edition with posts: CPU s per added text, {first} → {size} posts",
                    per_text, TARGET_CPU_PER_ADDED_TEXT,
                    verdict(per_text, TARGET_CPU_PER_ADDED_TEXT))
    targets.add(f"edition with posts: build CPU, all / {first} posts", edition.ratio, "",
                "comparison")
    targets.add("edition with all posts: peak MiB", edition.peak_mb, TARGET_PEAK_MB,
                verdict(edition.peak_mb, TARGET_PEAK_MB))


if __name__ == "__main__":
    sys.exit(main())
