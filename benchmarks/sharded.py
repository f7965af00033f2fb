"""An edition built in shards against one build: memory per text, what each shard costs, fidelity.

    python benchmarks/sharded.py [--corpus DIR] [--posts N] [--shards 2] [--by source]
                                 [--sizes 100,300] [--keep]

Three tables, measured on this machine (each build a child process; wall and CPU time and peak
resident memory from the kernel's accounting, ``wait4``):

* memory per text of a single build: corpus samples of ``--sizes`` posts (and all of
  ``--posts``), the peak over the number of texts and the growth from one size to the next;
* the sharded build (``scripts/shards.py``) of ``--posts`` posts (all by default) in ``--shards``
  shards grouped ``--by`` source or year: each step of each shard (read, write) and of the hub,
  against the single build of the same posts;
* the comparison of the joined site with the single build: pages byte for byte, links,
  registers, search index and searches, inventory.

``benchmarks/bench.py`` prints the same tables as its sharding section (``--skip-shards``
leaves it out).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(Path(__file__).resolve().parent)]

import bench  # noqa: E402  (beside this file)


def load_shards() -> ModuleType:
    """``scripts/shards.py`` (scripts/ is not a package)."""
    if "shards_script" not in sys.modules:
        spec = importlib.util.spec_from_file_location("shards_script",
                                                      REPO / "scripts" / "shards.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["shards_script"] = module
        spec.loader.exec_module(module)
    return sys.modules["shards_script"]


@dataclass
class SingleBuild:
    """A single build of a corpus sample: how many texts, what it cost, where its HTML is."""

    posts: int
    texts: int
    run: bench.Run
    html: Path
    project: Path


def single_build(work: Path, posts: list[Path]) -> SingleBuild:
    """Convert ``posts`` into a project and build it once, serially."""
    name = f"single-{len(posts)}"
    project, convert = bench.corpus_project(work, name, posts)
    texts = len(list((project / "articles").glob("*.md")))
    if not texts:
        bench.check(convert, f"converting {len(posts)} posts")
    # a post refused (one whose article another post already wrote) is left out, as the
    # corpus benchmark counts it
    refused = convert.output.count("error:")
    bench.progress(f"single build of {texts} texts ({refused} posts refused)")
    build = bench.sphinx("html", project, work / f"{name}-out")
    bench.check(build, f"single build of {len(posts)} posts")
    bench.progress(f"single build of {texts} texts: {build.seconds:.1f} s, CPU {build.cpu:.1f} s,"
                   f" peak {build.peak_mb:.0f} MiB")
    return SingleBuild(len(posts), texts, build, work / f"{name}-out" / "html", project)


def memory_table(builds: Sequence[SingleBuild]) -> tuple[bench.Table, float]:
    """Peak memory per text of single builds; returns the growth per text (MiB) from the
    smallest to the largest build."""
    table = bench.Table("Memory of a single build, per text (serial HTML build)",
                        ("posts", "texts", "seconds", "CPU s", "peak MiB", "peak / text MiB",
                         "growth / text MiB"))
    ordered = sorted(builds, key=lambda b: b.texts)
    previous: SingleBuild | None = None
    for build in ordered:
        growth = ""
        if previous is not None and build.texts > previous.texts:
            more = build.run.peak_mb - previous.run.peak_mb
            growth = f"{more / (build.texts - previous.texts):.2f}"
        table.add(build.posts, build.texts, build.run.seconds, build.run.cpu, build.run.peak_mb,
                  build.run.peak_mb / build.texts, growth)
        previous = build
    first, last = ordered[0], ordered[-1]
    slope = (last.run.peak_mb - first.run.peak_mb) / max(last.texts - first.texts, 1)
    return table, slope


@dataclass
class ShardFigures:
    """What the sharded build is judged on."""

    matches: bool
    #: the largest peak of any shard's or the hub's build, MiB
    largest_peak: float
    single_peak: float
    comparison: list[str]


def sharded_tables(work: Path, single: SingleBuild, count: int, by: str
                   ) -> tuple[list[bench.Table], ShardFigures]:
    """Build the single build's project in shards; the steps' table and the comparison's."""
    shards = load_shards()
    bench.progress(f"sharded build of {single.texts} texts: {count} shards by {by}")
    built = shards.build_sharded(single.project, work / "sharded", count, by, bench.progress)
    steps = bench.Table(
        f"Sharded build: {single.texts} texts in {count} shards by {by} (scripts/shards.py), "
        "against the single build",
        ("step", "build", "own texts", "seconds", "CPU s", "peak MiB", "peak / single"))
    run = single.run
    steps.add("single build", "all", single.texts, run.seconds, run.cpu, run.peak_mb, 1.0)
    for step in built.runs:
        steps.add(step.step, step.shard, step.texts, step.seconds, step.cpu, step.peak_mb,
                  step.peak_mb / run.peak_mb)
    total_cpu = sum(step.cpu for step in built.runs)
    # in CI the shards' reads run side by side, then their writes, then the hub
    reads = [s.seconds for s in built.runs if s.step == "read" and s.shard != "hub"]
    writes = [s.seconds for s in built.runs if s.step == "write" and s.shard != "hub"]
    hub = sum(s.seconds for s in built.runs if s.shard == "hub")
    largest = max(step.peak_mb for step in built.runs)
    steps.add("all steps", "", "", sum(s.seconds for s in built.runs), total_cpu, largest,
              largest / run.peak_mb)
    steps.add("critical path (shards side by side)", "", "", max(reads) + max(writes) + hub,
              "", "", "")
    bench.progress("comparing the joined site with the single build")
    comparison = shards.compare_sites(single.html, built.html, shards.DEFAULT_QUERIES)
    result = bench.Table("Sharded build against the single build (scripts/shards.py compare)",
                         ("check", "result"))
    for line in comparison.lines():
        check, _, outcome = line.partition(": ")
        result.add(check.strip(), outcome)
    result.add("verdict", "the joined site is the single build's" if comparison.matches
               else "DIFFERS (see above)")
    return [steps, result], ShardFigures(comparison.matches, largest, run.peak_mb,
                                         comparison.lines())


def run_all(work: Path, corpus: list[Path], posts: int, sizes: Sequence[int], count: int,
            by: str, single: SingleBuild | None = None) -> tuple[list[bench.Table],
                                                                  ShardFigures]:
    """Every table: memory per text at ``sizes`` and at ``posts``; sharded against single."""
    chosen = bench.sample(corpus, posts)
    builds = [single_build(work, bench.sample(corpus, size)) for size in sizes
              if size < len(chosen)]
    if single is None:
        single = single_build(work, chosen)
    memory, _slope = memory_table([*builds, single])
    print(memory.render(), flush=True)
    tables, figures = sharded_tables(work, single, count, by)
    return [memory, *tables], figures


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the tables (exit 1 when the joined site differs, with ``--strict``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get(bench.CORPUS_ENV, bench.DEFAULT_CORPUS)))
    parser.add_argument("--posts", type=int, default=0, help="posts to build (0: all)")
    parser.add_argument("--sizes", default="100,300",
                        help="sample sizes whose single build's memory is measured")
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--by", default="source", help="source, year or name")
    parser.add_argument("--keep", action="store_true", help="keep the builds")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when the joined site is not the single build's")
    args = parser.parse_args(argv)
    corpus = bench.corpus_posts(args.corpus)
    if not corpus:
        print(f"error: {args.corpus}: no corpus posts (*/*.md) there", file=sys.stderr)
        return 2
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    print(bench.machine().render(), flush=True)
    with bench.workspace(args.keep) as work:
        tables, figures = run_all(work, corpus, args.posts or len(corpus), sizes, args.shards,
                                  args.by)
    for table in tables[1:]:  # the first, the memory per text, is printed as it is measured
        print(table.render(), flush=True)
    return 1 if args.strict and not figures.matches else 0


if __name__ == "__main__":
    sys.exit(main())
