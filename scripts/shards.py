"""Build an edition in shards, each an ordinary Sphinx build in its own process, and join them.

    python scripts/shards.py build --shards 2 --by source PROJECT OUT
    python scripts/shards.py compare SINGLE_HTML JOINED_HTML

An edition too large for one build (memory grows with the number of texts) is split by source
(the front matter's publisher), by year (of its date) or into runs of even size (``name``). Each
shard is a copy of the project in which its own articles are whole and every other article is a
*stub*: its front matter and its outline (the title and headings with their labels). So every
shard has the edition's contents, sidebar, previous/next links and titles; it reads and writes
only its own texts. The steps, each a ``sphinx-build`` (``-b html``) in a process of its own:

1. **read**, per shard: the shard is read (only its home page is written) and the records of its
   own articles that a stub cannot give — mentions of entities and dates, leads, front matter —
   are written to ``_shard/records.json`` beside its ``objects.inv``
   (``edition/outputs/shards.py``);
2. **write**, per shard, given the other shards' records: its stubs take their articles' records
   (as a parallel build merges what another process read), so related articles and date links
   are those of the whole edition; only its own articles are written (``sphinx-build`` with their
   files named). A reference to a label that only another shard's text holds is resolved by
   intersphinx from that shard's ``objects.inv``;
3. **hub**: a build holding only stubs and the edition's own pages, given every shard's records,
   writes what is made from all the texts: the home page, the registers, the entity pages, the
   timeline, the data exports, the search page and index. Its search starts from the shards'
   page records of their texts (each write step leaves them beside its pages): the index is
   made of every page's record, as an incremental build keeps the records of the pages it does
   not write (edition/web/search_index.py);
4. **join**: the hub's output, then each shard's own article files over it (the page, its
   citation files, its TEI, its source), and one ``objects.inv`` from all.

In CI the read and write steps of each shard are jobs of a matrix, the hub's read beside the
writes, the hub's write and the join one job after them (``.github/workflows/shards.yml``).
``compare`` checks a joined site against a single build of the same project: the same pages,
byte for byte or where they differ; every internal link of the joined site leads to a page and
an anchor that exist; the registers' entries; the search index's pages, terms and paragraphs,
and a few searches.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from converters.common.markup import TARGET  # noqa: E402
from edition.article.frontmatter import FrontMatterError, front_matter_block  # noqa: E402
from edition.outputs.shards import FORMAT_VERSION, RECORDS_PATH  # noqa: E402

#: How articles can be grouped into shards.
GROUPINGS = ("source", "year", "name")
#: The folder of the articles in a project (``edition_articles``).
ARTICLES = "articles"
#: The plan file each shard's project holds, beside its conf.py (``edition_shard_plan``).
PLAN_NAME = "_shard-plan.json"
#: What is not copied from the project into a shard: the outputs of earlier builds.
NOT_COPIED = ("_build", "_generated", ARTICLES, "conf.py")
#: A heading line of MyST (ATX).
HEADING = re.compile(r"^#{1,6}\s")
#: A fence opening or closing a directive or code block (backticks or colons, three or more).
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})(?P<info>.*)$")
#: Where a shard's write step leaves its search records for the hub, in its output folder.
SEARCH_RECORDS = "_shard/search-records.pickle"
#: The search page of a built site.
SEARCH_PAGE = "search.html"
#: Sphinx's inventory of the labels and objects of a site.
INVENTORY = "objects.inv"
#: Files of a build's output folder that say how it was built, not what it holds.
BUILD_FILES = (".buildinfo", ".buildinfo.bak")
#: What of a shard's output is not joined: its records and its search index (the hub's index
#: holds every page), besides the build files.
NOT_JOINED = ("_shard", "_search", *BUILD_FILES)

#: The conf.py of a shard: the project's own, then the shard's settings.
SHARD_CONF = '''\
"""Shard {name} of {project}: the project's conf.py, then the shard's settings."""
import os
import runpy

globals().update(
    (key, value) for key, value in runpy.run_path({conf!r}).items() if not key.startswith("__")
)
from edition.citation.robustlinks import DEFAULT_SEEDS  # importable once the project's conf ran

# The seeds (the words of the sources' links) are where the project has them.
edition_seeds = os.path.join({project!r}, globals().get("edition_seeds", DEFAULT_SEEDS))
# A reference to a label that only another shard's text holds is resolved from that shard's
# inventory (its first build's objects.inv; an empty one until it exists).
extensions = [*extensions, "sphinx.ext.intersphinx"]
intersphinx_mapping = {mapping!r}
edition_shard_plan = {plan!r}
'''


# --------------------------------------------------------------------------- planning


@dataclass(frozen=True)
class Article:
    """An article of the project, as the plan sees it."""

    #: Its file.
    path: Path
    #: Its docname (``articles/<slug>``).
    docname: str
    #: Its source: the publisher its front matter states, else the host of its address.
    source: str
    #: The year of its date.
    year: str


def read_articles(project: Path) -> list[Article]:
    """Every article of a project, by name, with its source and year from its front matter."""
    from converters.common.yamlsafe import YamlRefused, load_yaml

    found = []
    for path in sorted((project / ARTICLES).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        try:
            block = front_matter_block(text)
            meta = load_yaml(block[0]) if block else {}
        except (FrontMatterError, YamlRefused):
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        address = str(meta.get("source_url") or "")
        publisher = str(meta.get("publisher") or "").strip() or \
            address.partition("://")[2].partition("/")[0] or "(no source)"
        year = str(meta.get("date") or "")[:4] or "(no date)"
        found.append(Article(path, f"{ARTICLES}/{path.stem}", publisher, year))
    return found


def plan_shards(articles: Sequence[Article], count: int, by: str) -> list[list[Article]]:
    """The articles in ``count`` shards, grouped ``by`` source, year or name.

    Groups (a source, a year) are kept whole and go, largest first, to the shard holding the
    fewest articles so far; ``name`` cuts the articles in name order into runs of even size.
    """
    if by not in GROUPINGS:
        raise ValueError(f"shards are grouped by one of {', '.join(GROUPINGS)}, not {by!r}")
    if by == "name":
        size, extra = divmod(len(articles), count)
        shards, start = [], 0
        for number in range(count):
            end = start + size + (number < extra)
            shards.append(list(articles[start:end]))
            start = end
        return shards
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.source if by == "source" else article.year, []).append(article)
    if len(groups) < count:
        raise ValueError(f"{len(groups)} {by} group(s) ({', '.join(sorted(groups))}) cannot "
                         f"make {count} shards")
    shards = [[] for _ in range(count)]
    for _key, members in sorted(groups.items(), key=lambda item: (-len(item[1]), item[0])):
        min(shards, key=len).extend(members)
    return [sorted(shard, key=lambda a: a.docname) for shard in shards]


def stub_text(text: str) -> str:
    """An article's stub: its front matter and its outline, nothing of its text.

    The outline is every heading at the top level (not inside a directive or a code block),
    each with the label line before it: the stub has the text's title, sections and labels.
    """
    block = front_matter_block(text)
    end = block[1] if block else 0
    kept = [text[:end].rstrip("\n")] if end else []
    lines = text[end:].splitlines()
    fence: str | None = None
    for number, line in enumerate(lines):
        found = FENCE.match(line)
        if fence is None and found:
            fence = found["fence"]
        elif fence is not None and found and found["fence"][0] == fence[0] \
                and len(found["fence"]) >= len(fence) and not found["info"].strip():
            fence = None
        elif fence is None and HEADING.match(line):
            label = lines[number - 1] if number and TARGET.match(lines[number - 1]) else ""
            kept.extend(["", label, line] if label else ["", line])
    return "\n".join(kept) + "\n"


# --------------------------------------------------------------------------- projects


@dataclass
class Shard:
    """One shard: its name, its articles, and where its project and builds are."""

    name: str
    articles: list[Article]
    root: Path

    @property
    def srcdir(self) -> Path:
        """The shard's Sphinx project."""
        return self.root / "src"

    @property
    def doctrees(self) -> Path:
        """Its doctree folder, shared by its read and write steps."""
        return self.root / "doctrees"

    @property
    def read_out(self) -> Path:
        """The output of its read step: its records and its inventory."""
        return self.root / "read"

    @property
    def html(self) -> Path:
        """The output of its write step."""
        return self.root / "html"

    @property
    def records(self) -> Path:
        """The records of its own articles, written by the read step."""
        return self.read_out / RECORDS_PATH

    @property
    def inventory(self) -> Path:
        """Its labels and objects, written by the read step."""
        return self.read_out / INVENTORY

    @property
    def own(self) -> list[str]:
        """The docnames of its own articles."""
        return [article.docname for article in self.articles]


def empty_inventory(path: Path) -> Path:
    """Write an inventory with no entry (what a shard not yet read offers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"# Sphinx inventory version 2\n# Project: (not yet built)\n# Version: \n"
                     b"# The remainder of this file is compressed using zlib.\n"
                     + zlib.compress(b""))
    return path


def site_root(number: int) -> str:
    """The address of the joined site's root, as intersphinx target of the ``number``-th shard.

    Every shard's pages land in the same site, so all of them are at its root; intersphinx wants
    a distinct address per inventory, so each spells the root differently (``./``, ``././``).
    """
    return "./" * (number + 1)


#: The time every source file of a shard's project is dated to (2001-01-01): older than any
#: reading, so a step run on another machine, after the project and the doctrees were copied
#: there (as CI jobs pass them on), finds the sources as the step before read them. A plan is
#: a copy of the project as it was: the steps never look at the project again, and a new plan
#: (the project changed) starts from nothing, so no change can hide behind the date.
SOURCE_TIME = 978307200


def make_project(project: Path, shard: Shard, everyone: Sequence[Shard],
                 articles: Sequence[Article]) -> None:
    """Copy the project for one shard: its articles whole, the others' as stubs, its conf.py."""
    if shard.srcdir.exists():
        shutil.rmtree(shard.srcdir)
    shutil.copytree(project, shard.srcdir, ignore=lambda folder, names: [
        n for n in names if Path(folder) == project and n in NOT_COPIED])
    # pages may include the Markdown files beside the project (docs/ includes
    # ../CONTRIBUTING.md): they are beside each shard's copy too
    for page in project.parent.glob("*.md"):
        shutil.copy2(page, shard.root / page.name)
    folder = shard.srcdir / ARTICLES
    folder.mkdir()
    own = set(shard.own)
    for article in articles:
        text = article.path.read_text(encoding="utf-8")
        (folder / article.path.name).write_text(
            text if article.docname in own else stub_text(text), encoding="utf-8")
    empty = empty_inventory(shard.root / "empty-objects.inv")
    # relative to the project (intersphinx reads a local inventory from the source folder)
    mapping = {other.name: (site_root(number), (os.path.relpath(other.inventory, shard.srcdir),
                                                os.path.relpath(empty, shard.srcdir)))
               for number, other in enumerate(everyone) if other is not shard}
    (shard.srcdir / "conf.py").write_text(SHARD_CONF.format(
        name=shard.name, project=str(project), conf=str(project / "conf.py"), mapping=mapping,
        plan=PLAN_NAME), encoding="utf-8")


def date_sources(srcdir: Path) -> None:
    """Date every file of a project to :data:`SOURCE_TIME` (see there)."""
    for path in srcdir.rglob("*"):
        if path.is_file():
            os.utime(path, (SOURCE_TIME, SOURCE_TIME))


def write_plan(shard: Shard, peers: Iterable[Shard]) -> None:
    """The shard's plan: its own articles, and the records of ``peers`` it takes."""
    plan = {"version": FORMAT_VERSION, "name": shard.name, "own": shard.own,
            "peers": [os.path.relpath(peer.records, shard.srcdir) for peer in peers]}
    (shard.srcdir / PLAN_NAME).write_text(json.dumps(plan, indent=1) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- building


@dataclass
class Run:
    """One sphinx-build process: what it was, its wall time, CPU time and peak memory."""

    step: str
    shard: str
    texts: int
    seconds: float
    cpu: float
    peak_mb: float
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        """Whether the build succeeded."""
        return self.returncode == 0


def sphinx_build(step: str, shard: Shard, outdir: Path, files: Sequence[Path]) -> Run:
    """``sphinx-build -b html`` of a shard, writing only ``files``; measured with ``wait4``."""
    date_sources(shard.srcdir)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-d", str(shard.doctrees),
               str(shard.srcdir), str(outdir), *map(str, files)]
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONHASHSEED="0", LC_ALL="C.UTF-8")
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    return Run(step, shard.name, len(shard.articles), seconds, usage.ru_utime + usage.ru_stime,
               usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), output)


def checked(run: Run) -> Run:
    """The run, or the end of the program with its output when it failed."""
    if not run.ok:
        raise SystemExit(f"error: {run.step} of {run.shard} failed ({run.returncode}):\n"
                         f"{run.output[-4000:]}")
    return run


def root_file(srcdir: Path) -> Path:
    """The project's home page (the one page a read step writes)."""
    for suffix in (".md", ".rst"):
        if (srcdir / f"index{suffix}").is_file():
            return srcdir / f"index{suffix}"
    raise SystemExit(f"error: {srcdir}: no index.md or index.rst")


def documents_of(records: Path) -> dict[str, str]:
    """Every document a read step found, with its source file (from its records file)."""
    data = json.loads(records.read_text(encoding="utf-8"))
    return dict(data["documents"])


#: The layout of a sharded build, in its work folder: the project, the shards and their texts.
LAYOUT = "layout.json"


@dataclass
class Layout:
    """A planned sharded build: its shards, its hub and where the joined site goes."""

    project: Path
    shards: list[Shard]
    hub: Shard
    out: Path

    @property
    def html(self) -> Path:
        """The joined site."""
        return self.out / "html"

    def named(self, name: str) -> Shard:
        """The shard (or the hub) of that name."""
        for shard in [*self.shards, self.hub]:
            if shard.name == name:
                return shard
        raise SystemExit(f"error: no shard {name!r} in {self.out / 'work' / LAYOUT} "
                         f"(there are {', '.join(s.name for s in self.shards)} and hub)")

    @property
    def articles(self) -> set[str]:
        """Every article's docname."""
        return {d for shard in self.shards for d in shard.own}


def plan(project: Path, out: Path, count: int, by: str) -> Layout:
    """Group the articles into shards and make each shard's project and the hub's."""
    project = project.resolve()
    out = out.resolve()
    articles = read_articles(project)
    if not articles:
        raise ValueError(f"{project}/{ARTICLES}: no articles")
    work = out / "work"
    if work.exists():  # a new plan starts from nothing (see SOURCE_TIME)
        shutil.rmtree(work)
    shards = [Shard(f"shard-{n + 1}", members, work / f"shard-{n + 1}")
              for n, members in enumerate(plan_shards(articles, count, by))]
    hub = Shard("hub", [], work / "hub")
    for shard in [*shards, hub]:
        make_project(project, shard, [*shards, hub] if shard is not hub else shards, articles)
    layout = Layout(project, shards, hub, out)
    (work / LAYOUT).write_text(json.dumps({
        "project": str(project), "by": by,
        "shards": {s.name: s.own for s in shards}}, indent=1) + "\n", encoding="utf-8")
    return layout


def load_layout(out: Path) -> Layout:
    """The layout :func:`plan` wrote into ``out``."""
    out = out.resolve()
    path = out / "work" / LAYOUT
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(f"error: {path}: no plan there ({exc}); run the plan step first"
                         ) from None
    project = Path(data["project"])
    shards = [Shard(name, [Article(project / f"{d}.md", d, "", "") for d in own],
                    out / "work" / name) for name, own in data["shards"].items()]
    return Layout(project, shards, Shard("hub", [], out / "work" / "hub"), out)


def read_step(layout: Layout, name: str) -> Run:
    """Read a shard: its records and its inventory for the others.

    The hub is read with every shard's records (its entity pages are made from them).
    """
    shard = layout.named(name)
    write_plan(shard, layout.shards if shard is layout.hub else [])
    return checked(sphinx_build("read", shard, shard.read_out, [root_file(shard.srcdir)]))


def write_step(layout: Layout, name: str) -> Run:
    """Write a shard's own articles, with the others' records.

    The hub writes every page but the stubs, its search index started from the shards'.
    """
    shard = layout.named(name)
    documents = documents_of(shard.records)
    if shard is not layout.hub:
        write_plan(shard, [peer for peer in layout.shards if peer is not shard])
        prepare_search(shard.doctrees, documents, {})
        run = checked(sphinx_build("write", shard, shard.html,
                                   [shard.srcdir / f"{d}.md" for d in shard.own]))
        keep_search_records(shard)
        return run
    write_plan(shard, layout.shards)
    indexed = {}
    for other in layout.shards:
        indexed.update(search_records(other.html / SEARCH_RECORDS).pages)
    prepare_search(shard.doctrees, documents, indexed)
    stubs = layout.articles
    pages = [shard.srcdir / source for docname, source in documents.items()
             if docname not in stubs]
    return checked(sphinx_build("write", shard, shard.html, pages))


@dataclass
class ShardedBuild:
    """Everything a sharded build made: its layout, its runs and the joined site."""

    layout: Layout
    runs: list[Run] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def shards(self) -> list[Shard]:
        """The shards."""
        return self.layout.shards

    @property
    def html(self) -> Path:
        """The joined site."""
        return self.layout.html


def build_sharded(project: Path, out: Path, count: int, by: str,
                  report: Callable[[str], None] = lambda _m: None) -> ShardedBuild:
    """Build ``project`` in ``count`` shards grouped ``by``, then the hub; join into out/html.

    The steps one after the other, as CI runs them in jobs: every shard's read, every shard's
    write, the hub's read and write, the join.
    """
    layout = plan(project, out, count, by)
    built = ShardedBuild(layout)
    order = [(step, shard.name) for step in (read_step, write_step) for shard in layout.shards]
    order += [(step, layout.hub.name) for step in (read_step, write_step)]
    for step, name in order:
        run = step(layout, name)
        built.runs.append(run)
        report(f"{name}: {run.step} of {run.texts} texts: {run.seconds:.1f} s, CPU "
               f"{run.cpu:.1f} s, peak {run.peak_mb:.0f} MiB")
    report("join")
    built.notes.extend(join(layout))
    return built


# --------------------------------------------------------------------------- joining


def search_records(path: Path) -> Any:
    """The edition's search records (edition/web/search_index.py) kept at ``path``.

    A file of this sharded build's own steps, read back by the next step.
    """
    from edition.web.search_index import Records

    if not path.is_file():
        return Records()
    with path.open("rb") as stream:
        found = pickle.load(stream)
    if not isinstance(found, Records):
        raise ValueError(f"{path}: not the edition's search records")
    return found


def prepare_search(doctrees: Path, documents: Iterable[str], pages: dict[str, Any]) -> None:
    """Ready a write step's search records: what it will not write, and what others indexed.

    The search reads a page again when it has no record of it (its records were lost); a write
    step writes some pages only (a shard its texts, the hub all but the stubs), so every page
    its read step found is marked as left out — a page it writes is recorded as it is written.
    ``pages`` are the records of pages other builds wrote (the shards' texts, for the hub): the
    index is made of them too, as an incremental build keeps the records of the pages it does
    not write. The earlier output's files are forgotten: the write step writes a new folder.
    """
    from edition.web.search_index import RECORDS_NAME

    path = doctrees / RECORDS_NAME
    records = search_records(path)
    records.skipped |= set(documents)
    records.pages.update(pages)
    records.files, records.manifest = {}, {}
    path.write_bytes(pickle.dumps(records, protocol=5))


def keep_search_records(shard: Shard) -> None:
    """Leave a shard's search records of its own texts beside its output, for the hub."""
    from edition.web.search_index import RECORDS_NAME

    records = search_records(shard.doctrees / RECORDS_NAME)
    missing = sorted(set(shard.own) - set(records.pages))
    if missing:
        raise ValueError(f"{shard.name}: its search has no record of {', '.join(missing[:5])}")
    records.pages = {docname: records.pages[docname] for docname in shard.own}
    target = shard.html / SEARCH_RECORDS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pickle.dumps(records, protocol=5))


def own_files(html: Path, docnames: Iterable[str]) -> list[Path]:
    """The files of a build's output that belong to its own articles.

    The page and every file named after it (the citation files), its source, its TEI file.
    """
    found: list[Path] = []
    for docname in docnames:
        slug = docname.rsplit("/", 1)[-1]
        folder = html / docname.rsplit("/", 1)[0]
        found.extend(p for p in folder.glob(f"{slug}.*") if p.is_file())
        found.extend(p for p in (html / "_sources" / docname).parent.glob(f"{slug}.*")
                     if p.is_file())
        tei = html / "data" / "tei" / f"{slug}.xml"
        if tei.is_file():
            found.append(tei)
    return found


def read_inventory(path: Path) -> tuple[bytes, list[str]]:
    """An inventory's header and its entry lines."""
    data = path.read_bytes()
    parts = data.split(b"\n", 4)
    return b"\n".join(parts[:4]) + b"\n", zlib.decompress(parts[4]).decode().splitlines()


def inventory_key(line: str) -> tuple[str, str]:
    """An inventory line's domain:type and name (``name domain:type prio uri dispname``)."""
    found = re.match(r"(.+?)\s+(\S+)\s+(-?\d+)\s+?(\S*)\s+(.*)", line)
    return (found[2], found[1]) if found else ("", line)


def join_inventories(hub: Path, shards: Sequence[tuple[Path, set[str]]], target: Path) -> None:
    """One inventory: the hub's, with each shard's entries for its own articles instead."""
    header, lines = read_inventory(hub)
    entries = {inventory_key(line): line for line in lines}
    for path, own in shards:
        pages = {f"{d}.html" for d in own}
        for line in read_inventory(path)[1]:
            uri = line.split()[3] if len(line.split()) > 3 else ""
            if uri.split("#", 1)[0] in pages:
                entries[inventory_key(line)] = line
    # Sphinx writes each domain's entries sorted by name
    ordered = sorted(entries.items(), key=lambda item: (item[0][0].split(":")[0], item[0][1],
                                                          item[1]))
    body = "".join(line + "\n" for _key, line in ordered).encode()
    target.write_bytes(header + zlib.compress(body, 9))


def join(layout: Layout) -> list[str]:
    """Join the hub's and the shards' outputs into one site; return what was noticed.

    The hub's output first; over it, each shard's files of its own articles; then any file of
    a shard that no other output has (an image only its texts show), said in the notes.
    """
    notes = []
    site = layout.html
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(layout.hub.html, site, ignore=shutil.ignore_patterns("_shard", *BUILD_FILES))
    for shard in layout.shards:
        for path in own_files(shard.html, shard.own):
            target = site / path.relative_to(shard.html)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
        for path in sorted(shard.html.rglob("*")):
            relative = path.relative_to(shard.html)
            if path.is_file() and relative.parts[0] not in NOT_JOINED and \
                    not (site / relative).exists():
                notes.append(f"{shard.name}: {relative} is in no other output: copied")
                (site / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, site / relative)
    join_inventories(layout.hub.html / INVENTORY,
                     [(s.html / INVENTORY, set(s.own)) for s in layout.shards],
                     site / INVENTORY)
    return notes


# --------------------------------------------------------------------------- comparing


#: The part of a page that is its own (the theme's article element), not the site's frame.
BODY = re.compile(r'<article class="bd-article">(?P<body>.*?)</article>', re.DOTALL)
#: An internal link: an address with no scheme (and not ``mailto:``, ``data:``, ``#`` only).
HREF = re.compile(r'\shref="(?P<href>[^"]*)"')
#: An id an anchor can point at.
ID = re.compile(r'\sid="(?P<id>[^"]*)"')


@dataclass
class Comparison:
    """How a joined site compares with a single build of the same project."""

    pages: int = 0
    identical: int = 0
    #: pages whose article body differs, with the first differing line of each
    bodies_differ: dict[str, str] = field(default_factory=dict)
    #: pages whose body is identical and whose frame (sidebar, header) differs
    frames_differ: list[str] = field(default_factory=list)
    only_single: list[str] = field(default_factory=list)
    only_joined: list[str] = field(default_factory=list)
    other_files_differ: list[str] = field(default_factory=list)
    links_checked: int = 0
    #: broken internal links of the joined site that the single build does not have
    broken_links: list[str] = field(default_factory=list)
    #: broken internal links both builds have (the project's own, not the join's)
    broken_in_both: int = 0
    registers: dict[str, str] = field(default_factory=dict)
    search: dict[str, str] = field(default_factory=dict)
    #: pages each query finds (``N``: the same N pages in both; ``N / M``: not the same)
    queries: dict[str, str] = field(default_factory=dict)
    inventory: str = ""

    @property
    def matches(self) -> bool:
        """Whether the joined site is the single build's, as far as the checks go."""
        return not (self.bodies_differ or self.only_single or self.only_joined
                    or self.broken_links or self.other_files_differ
                    or any(v != "same" for v in self.registers.values())
                    or any(v != "same" for v in self.search.values())
                    or any(" / " in v for v in self.queries.values())
                    or self.inventory != "same")

    def lines(self) -> list[str]:
        """The comparison in a few lines."""
        out = [
            f"pages: {self.pages} in both, {self.identical} byte for byte the same, "
            f"{len(self.frames_differ)} with the same article body and another frame, "
            f"{len(self.bodies_differ)} with another body",
            f"files only in the single build: {len(self.only_single)}; only in the joined "
            f"site: {len(self.only_joined)}; other files that differ: "
            f"{len(self.other_files_differ)}",
            f"internal links checked: {self.links_checked}; broken in the joined site only: "
            f"{len(self.broken_links)}; broken in both builds: {self.broken_in_both}",
            "registers: " + ", ".join(f"{k} {v}" for k, v in sorted(self.registers.items())),
            "search index: " + ", ".join(f"{k} {v}" for k, v in sorted(self.search.items())),
            "searches (pages found): " + ", ".join(f"{k} {v}" for k, v in self.queries.items()),
            f"inventory (objects.inv): {self.inventory}",
        ]
        for title, items in (("body differs", [f"{k}: {v}" for k, v in
                                               sorted(self.bodies_differ.items())]),
                             ("frame differs", self.frames_differ),
                             ("only in the single build", self.only_single),
                             ("only in the joined site", self.only_joined),
                             ("other files differ", self.other_files_differ),
                             ("broken links", self.broken_links)):
            if items:
                out.append(f"  {title}: " + "; ".join(items[:8])
                           + (f" … ({len(items)} in all)" if len(items) > 8 else ""))
        return out


def site_files(html: Path) -> set[str]:
    """Every file of a site, relative, less the files that say how it was built."""
    return {p.relative_to(html).as_posix() for p in html.rglob("*")
            if p.is_file() and p.name not in BUILD_FILES and "_shard" not in p.parts}


def first_difference(one: str, other: str) -> str:
    """The first line where two texts differ, shortened."""
    for number, (a, b) in enumerate(zip(one.splitlines(), other.splitlines(), strict=False)):
        if a != b:
            return f"line {number + 1}: {a.strip()[:90]!r} / {b.strip()[:90]!r}"
    return "one is longer"


def internal_links(page: str, text: str) -> Iterable[tuple[str, str]]:
    """(file, anchor) of each internal link of a page (relative to the site's root)."""
    folder = posixpath_dir(page)
    for found in HREF.finditer(text):
        href = found["href"].replace("&amp;", "&")
        if not href or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("//"):
            continue
        path, _, anchor = href.partition("#")
        path = path.split("?", 1)[0]
        target = normalise(f"{folder}/{path}" if path else page)
        yield target, anchor


def posixpath_dir(page: str) -> str:
    """The folder of a page, relative to the site's root."""
    return page.rsplit("/", 1)[0] if "/" in page else "."


def normalise(path: str) -> str:
    """A relative path with ``.`` and ``..`` folded."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)


def broken_links(html: Path, pages: Iterable[str]) -> tuple[int, set[str]]:
    """How many internal links the pages have, and those that lead nowhere (page#anchor)."""
    ids: dict[str, set[str]] = {}

    def ids_of(page: str) -> set[str]:
        if page not in ids:
            path = html / page
            ids[page] = set(m["id"] for m in ID.finditer(path.read_text(encoding="utf-8"))) \
                if path.suffix == ".html" and path.is_file() else set()
        return ids[page]

    count, broken = 0, set()
    for page in pages:
        for target, anchor in internal_links(page, (html / page).read_text(encoding="utf-8")):
            count += 1
            if not (html / target).is_file() or (anchor and anchor not in ids_of(target)):
                broken.add(f"{page} -> {target}#{anchor}")
    return count, broken


def register_entries(text: str) -> list[tuple[str, list[str]]]:
    """A register page's entries: each head's text and the links of its lines."""
    body = BODY.search(text)
    html = body["body"] if body else text
    entries: list[tuple[str, list[str]]] = []
    for item in re.split(r"<dt\b", html)[1:]:
        head = re.sub(r"<[^>]+>", "", item.split("</dt>", 1)[0]).strip()
        entries.append((" ".join(head.split()), HREF.findall(item)))
    return entries


def search_words(query: str) -> set[str]:
    """A query's words as the index holds them (folded to Simplified, cut by jieba, stemmed)."""
    from edition.web.search import SearchChineseFolded

    language = SearchChineseFolded({})
    return {language.stem(word).lower() for word in language.split(query) if word.strip()}


def search_entries(html: Path) -> dict[str, Any]:
    """A site's search index by docname.

    Its pages, each term's pages (in their text, in their titles, and the paragraphs holding
    it), each title's pages.
    """
    from edition.web.search_index import read_index

    index = read_index(html)
    names: list[str] = index["docnames"]

    def by_name(table: dict[str, list[int]]) -> dict[str, set[str]]:
        return {term: {names[doc] for doc in docs} for term, docs in table.items()}

    return {
        "docs": set(names), "terms": by_name(index["terms"]),
        "titleterms": by_name(index["titleterms"]),
        "alltitles": {title: sorted(names[doc] for doc, _anchor in places)
                      for title, places in index["alltitles"].items()},
        "units": {term: {names[doc]: units for doc, units in found.items()}
                  for term, found in index["units"].items()},
    }


def compare_search(single: Path, joined: Path, queries: Sequence[str]
                   ) -> tuple[dict[str, str], dict[str, str]]:
    """The search indexes: pages, titles, every term's pages and paragraphs; then searches.

    A search finds the pages holding every word of the query: ``N`` when both find the same N
    pages, ``N / M`` when they differ.
    """
    one, other = search_entries(single), search_entries(joined)
    checks = {}
    for key in ("docs", "terms", "titleterms", "alltitles", "units"):
        a, b = one[key], other[key]
        checks[key] = "same" if a == b else (
            f"differ ({len(set(a) ^ set(b))} keys in one only, "
            f"{sum(1 for k in a if k in b and a[k] != b[k])} with other values)")
    found = {}
    for query in queries:
        words = search_words(query)
        pages = [set.intersection(*(index["terms"].get(w, set())
                                    | index["titleterms"].get(w, set()) for w in words))
                 for index in (one, other)]
        found[query] = str(len(pages[0])) if pages[0] == pages[1] else \
            f"{len(pages[0])} / {len(pages[1])}"
    return checks, found


def compare_sites(single: Path, joined: Path, queries: Sequence[str] = ()) -> Comparison:
    """Compare a joined site with a single build of the same project."""
    result = Comparison()
    one, other = site_files(single), site_files(joined)
    result.only_single = sorted(one - other)
    result.only_joined = sorted(other - one)
    pages = sorted(p for p in one & other if p.endswith(".html"))
    for page in pages:
        a = (single / page).read_text(encoding="utf-8")
        b = (joined / page).read_text(encoding="utf-8")
        result.pages += 1
        if a == b:
            result.identical += 1
            continue
        body_a, body_b = BODY.search(a), BODY.search(b)
        if body_a and body_b and body_a["body"] == body_b["body"]:
            result.frames_differ.append(page)
        else:
            result.bodies_differ[page] = first_difference(
                body_a["body"] if body_a else a, body_b["body"] if body_b else b)
    for name in sorted(one & other):
        if not name.endswith(".html") and name != INVENTORY and \
                (single / name).read_bytes() != (joined / name).read_bytes():
            result.other_files_differ.append(name)
    count, broken = broken_links(joined, sorted(p for p in other if p.endswith(".html")))
    _count, broken_single = broken_links(single, sorted(p for p in one if p.endswith(".html")))
    result.links_checked = count
    result.broken_links = sorted(broken - broken_single)
    result.broken_in_both = len(broken & broken_single)
    for register in sorted(p for p in one & other if re.match(r"^ent-\w+\.html$", p)):
        a_entries = register_entries((single / register).read_text(encoding="utf-8"))
        b_entries = register_entries((joined / register).read_text(encoding="utf-8"))
        result.registers[register] = "same" if a_entries == b_entries else \
            f"differ ({len(a_entries)} / {len(b_entries)} entries)"
    result.search, result.queries = compare_search(single, joined, queries)
    inventories = [sorted(read_inventory(site / INVENTORY)[1]) for site in (single, joined)]
    result.inventory = "same" if inventories[0] == inventories[1] else (
        f"differ ({len(set(inventories[0]) ^ set(inventories[1]))} entries in one only)")
    return result


# --------------------------------------------------------------------------- command line


#: Searches the comparison runs when none are given: names and words, Chinese and English.
DEFAULT_QUERIES = ("特朗普", "华为", "香港", "美国 选举", "TikTok", "Trump")


def run_table(runs: Sequence[Run]) -> list[str]:
    """The runs as a table: step, shard, texts, wall, CPU, peak memory."""
    lines = ["| step | shard | texts | seconds | CPU s | peak MiB |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.step} | {r.shard} | {r.texts} | {r.seconds:.1f} | {r.cpu:.1f} | "
              f"{r.peak_mb:.0f} |" for r in runs]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Build in shards (all steps, or one step as a CI job runs it), or compare."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in (("build", "every step: plan, read, write, hub, join"),
                       ("plan", "make the shards' projects and the hub's")):
        command = commands.add_parser(name, help=text)
        command.add_argument("project", type=Path, help="the Sphinx project (conf.py, articles/)")
        command.add_argument("out", type=Path, help="folder of the builds; the site in out/html")
        command.add_argument("--shards", type=int, default=2, help="how many (default 2)")
        command.add_argument("--by", choices=GROUPINGS, default="source",
                             help="group the articles by source, year or name (default source)")
    for name, text in (("read", "read a shard (after plan); the hub after every shard's read"),
                       ("write", "write a shard (after every read); the hub after every write")):
        command = commands.add_parser(name, help=text)
        command.add_argument("out", type=Path, help="the folder given to plan")
        command.add_argument("shard", help="shard-1, shard-2, … or hub")
    join_command = commands.add_parser("join", help="join the outputs into out/html")
    join_command.add_argument("out", type=Path, help="the folder given to plan")
    compare = commands.add_parser("compare", help="compare a joined site with a single build")
    compare.add_argument("single", type=Path, help="the single build's HTML folder")
    compare.add_argument("joined", type=Path, help="the joined site")
    compare.add_argument("--query", action="append", help="a search to compare (repeatable)")
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            built = build_sharded(args.project, args.out, args.shards, args.by,
                                  lambda m: print(m, file=sys.stderr, flush=True))
            print("\n".join([*run_table(built.runs), *built.notes,
                             f"joined site: {built.html}"]))
        elif args.command == "plan":
            layout = plan(args.project, args.out, args.shards, args.by)
            print(json.dumps([s.name for s in layout.shards]))
        elif args.command in ("read", "write"):
            step = read_step if args.command == "read" else write_step
            print("\n".join(run_table([step(load_layout(args.out), args.shard)])))
        elif args.command == "join":
            layout = load_layout(args.out)
            print("\n".join([*join(layout), f"joined site: {layout.html}"]))
        else:
            for folder in (args.single, args.joined):
                if not (folder / SEARCH_PAGE).is_file():
                    raise ValueError(f"{folder}: not a built site (no {SEARCH_PAGE})")
            comparison = compare_sites(args.single, args.joined,
                                       args.query or DEFAULT_QUERIES)
            print("\n".join(comparison.lines()))
            return 0 if comparison.matches else 1
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
