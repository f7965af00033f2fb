"""CPU of the conversion of corpus posts against ``trafilatura.extract``, and after reading.

Usage: ``python benchmarks/prof_conv.py [p]`` from the repository root; ``p`` adds cProfiles
(cumulative, and by own time restricted to the modules after reading).
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, "benchmarks")
import bench
import trafilatura

from converters.model import Source
from converters.pipeline import Options, convert_source
from converters.readers import detect
from converters.sources import load

CORPUS = Path("../shared/corpus")
POSTS = 100
AFTER_READING = r"converters/(pipeline|tagging|dates|myst|editorial|registry|script)\.py"


def main() -> None:
    """Time each corpus folder's first posts: whole conversion, reading alone, trafilatura."""
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        posts = [p for p in sorted(folder.rglob("*")) if p.is_file()][:POSTS]
        sources = [load(p) for p in posts]
        docs = [bench.as_html_document(s.text) for s in sources]
        opts = Options()

        def ours(sources: list[Source] = sources, opts: Options = opts) -> None:
            for s in sources:
                try:
                    convert_source(s, opts)
                except Exception:  # a refused post is measured as refused
                    continue

        def reading(sources: list[Source] = sources) -> None:
            for s in sources:
                try:
                    detect(s).read(s)
                except Exception:
                    continue

        def theirs(docs: list[str] = docs) -> None:
            for d in docs:
                trafilatura.extract(d)

        ours()
        theirs()
        reading()
        for _ in range(3):
            t = time.process_time()
            ours()
            whole = time.process_time() - t
            t = time.process_time()
            reading()
            read = time.process_time() - t
            t = time.process_time()
            theirs()
            traf = time.process_time() - t
            print(f"{folder.name} {len(sources)} whole {whole:.3f} read {read:.3f} "
                  f"after-reading {whole - read:.3f} traf {traf:.3f} ratio {whole / traf:.2f}")
        if len(sys.argv) > 1:
            profile = cProfile.Profile()
            profile.enable()
            ours()
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(AFTER_READING, 30)


if __name__ == "__main__":
    main()
