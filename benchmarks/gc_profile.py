"""The garbage collector's share of a build: collections and their CPU, by generation.

Usage, from the repository root::

    python benchmarks/gc_profile.py [SOURCE [OUT]]        # default: docs/ into /tmp/gc-profile

For the corpus figure of the README, convert all posts into a project first (what
``benchmarks/bench.py`` does with ``corpus_project``) and pass that project as SOURCE. Prints
the build's CPU inside ``sphinx-build``'s main, each generation's collections and CPU, every
full collection with its time and size, and the peak resident memory; then the collection at
interpreter exit (after the build, printed separately) and one with what the build left frozen
given back. Figures, not assertions.
"""

from __future__ import annotations

import gc
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any


class GcClock:
    """CPU time of every collection, by generation, from ``gc.callbacks``."""

    def __init__(self) -> None:
        """No collection seen yet."""
        self.started = 0.0
        self.cpu = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        #: (seconds since start, CPU seconds, objects collected) of every full collection.
        self.full: list[tuple[float, float, int]] = []
        self.origin = time.perf_counter()

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        """Start or stop the clock of one collection."""
        if phase == "start":
            self.started = time.process_time()
            return
        generation = info["generation"]
        spent = time.process_time() - self.started
        self.cpu[generation] += spent
        self.count[generation] += 1
        if generation == 2:
            self.full.append((time.perf_counter() - self.origin, spent, info["collected"]))


def main() -> None:
    """Build SOURCE with ``sphinx-build -b html -q`` in this process, under the clock."""
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/gc-profile")
    shutil.rmtree(out, ignore_errors=True)
    from sphinx.cmd.build import main as sphinx_build

    clock = GcClock()
    gc.callbacks.append(clock)
    cpu = time.process_time()
    status = sphinx_build(["-b", "html", "-q", "-d", str(out / ".doctrees"), str(source),
                           str(out / "html")])
    cpu = time.process_time() - cpu
    gc.callbacks.remove(clock)
    print(f"build: exit status {status}, CPU {cpu:.1f} s, "
          f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MiB")
    for generation in range(3):
        print(f"generation {generation}: {clock.count[generation]} collections, "
              f"CPU {clock.cpu[generation]:.2f} s")
    largest = sorted(clock.full, key=lambda f: -f[1])[:10]
    print("largest full collections (at s, CPU s, objects freed):",
          ", ".join(f"{at:.0f}/{spent:.2f}/{freed}" for at, spent, freed in largest) or "none")
    for what, give_back in (("as at interpreter exit, the build's frozen objects left alone",
                             False),
                            ("with them given back, as the next build of a process does", True)):
        clock = GcClock()
        gc.callbacks.append(clock)
        start = time.process_time()
        if give_back:
            gc.unfreeze()
        gc.collect()
        gc.callbacks.remove(clock)
        print(f"a full collection after the build ({what}): "
              f"CPU {time.process_time() - start:.2f} s, {clock.full[0][2]} objects freed")


if __name__ == "__main__":
    main()
