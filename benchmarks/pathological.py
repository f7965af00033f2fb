"""How the converters' time grows on pathological inputs: every reader, 100 KB against 1 MB.

    python benchmarks/pathological.py [--repeat N] [--strict]

The inputs are the cases of ``tests/pathological_sources.py`` (long runs of spaces and U+3000,
``<``, unclosed and nested tags, repeated prefixes), each at 100 KB and at 1 MB. For each, in
process and in CPU time: every reader's ``sniff`` (detection asks them in turn), the reader
(detection, then ``read``) and the whole conversion (tagging and the MyST page included). The
growth exponent k = log(t(1 MB) / t(100 KB)) / log(10) is 1 for time linear in the input and 2
for quadratic; ``benchmarks/bench.py`` prints the same table and judges the worst k.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from pathological_sources import CASES, LARGE, SMALL, Case, translator_post  # noqa: E402

from converters.common.paths import DEFAULT_REGISTRY  # noqa: E402
from converters.model import ConversionError, Source  # noqa: E402 (needs the path above)
from converters.pipeline import Options, convert_source  # noqa: E402
from converters.readers import FORMATS, detect  # noqa: E402
from converters.sources import decode  # noqa: E402

#: What is timed on each input.
STEPS: tuple[str, ...] = ("sniff", "read", "convert")
#: Shortest sample worth timing, in CPU seconds (shorter work is repeated within one).
MIN_SAMPLE = 0.2
#: Size of the NYT post whose translator's name is a run of U+3000 (17.6 s of CPU before).
TRANSLATOR_POST_BYTES = 120_000


def sniff_all(source: Source) -> None:
    """Every reader's sniff, as detection would ask them all."""
    for entry in FORMATS:
        entry.reader.sniff(source.text)


def read(source: Source) -> None:
    """Detection, then the reader alone (a refusal is work done too)."""
    try:
        detect(source).read(source)
    except ConversionError:
        pass


OPTIONS = Options(editorial=None, registry=DEFAULT_REGISTRY)


def convert(source: Source) -> None:
    """The whole conversion into a MyST page, tagging included."""
    try:
        convert_source(source, OPTIONS)
    except ConversionError:
        pass


ACTIONS: dict[str, Callable[[Source], None]] = {
    "sniff": sniff_all, "read": read, "convert": convert}


def cpu_seconds(action: Callable[[Source], None], source: Source, repeat: int) -> float:
    """Least CPU time of one call over ``repeat`` samples (short calls repeated in a sample).

    The least, not the mean: on a shared machine other processes only ever add time.
    """
    start = time.process_time()
    action(source)  # warm-up (caches, the registry's automaton), timed once to size a sample
    once = time.process_time() - start
    calls = max(1, math.ceil(MIN_SAMPLE / max(once, 1e-6)))
    samples = []
    for _ in range(repeat):
        start = time.process_time()
        for _ in range(calls):
            action(source)
        samples.append((time.process_time() - start) / calls)
    return min(samples)


@dataclass
class Growth:
    """One input's CPU times at both sizes, per step."""

    case: Case
    small: dict[str, float]
    large: dict[str, float]

    def exponent(self, step: str) -> float:
        """k of time ~ size^k from 100 KB to 1 MB for one step."""
        return math.log(self.large[step] / self.small[step]) / math.log(LARGE / SMALL)

    def worst(self) -> float:
        """The largest k of the steps."""
        return max(self.exponent(step) for step in STEPS)


def measure(repeat: int, progress: Callable[[str], None] = lambda _line: None) -> list[Growth]:
    """Every case at both sizes, every step."""
    growths = []
    for case in CASES:
        times: dict[int, dict[str, float]] = {}
        for size in (SMALL, LARGE):
            source = decode(f"{case.name}.txt", case.make(size).encode("utf-8"))
            times[size] = {step: cpu_seconds(ACTIONS[step], source,
                                             repeat if size == SMALL else min(repeat, 3))
                           for step in STEPS}
        growth = Growth(case, times[SMALL], times[LARGE])
        growths.append(growth)
        progress(f"pathological {case.name}: k ≤ {growth.worst():.2f}")
    return growths


def translator_post_seconds(repeat: int) -> float:
    """CPU seconds of the whole conversion of the 120 KB post with a U+3000 translator's name."""
    source = decode("translator.txt", translator_post(TRANSLATOR_POST_BYTES).encode("utf-8"))
    return cpu_seconds(convert, source, repeat)


def rows(growths: list[Growth]) -> list[tuple[object, ...]]:
    """Table rows: input, format, then per step the two times and k."""
    out: list[tuple[object, ...]] = []
    for growth in growths:
        cells: list[object] = [growth.case.name, growth.case.format]
        for step in STEPS:
            cells += [growth.small[step], growth.large[step], f"{growth.exponent(step):.2f}"]
        out.append(tuple(cells))
    return out


#: The table's columns (seconds are CPU seconds).
HEADER: tuple[str, ...] = (
    "input", "format",
    "sniffs 100 KB s", "sniffs 1 MB s", "k",
    "read 100 KB s", "read 1 MB s", "k",
    "convert 100 KB s", "convert 1 MB s", "k",
)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table and the worst exponent (exit 1 over 1.2 with ``--strict``)."""
    from bench import TARGET_PATHOLOGICAL_EXPONENT, Table, verdict

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="samples per timing")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    table = Table("Pathological inputs (CPU, in process)", HEADER)
    growths = measure(args.repeat, lambda line: print(line, file=sys.stderr, flush=True))
    for row in rows(growths):
        table.add(*row)
    print(table.render())
    worst = max(growth.worst() for growth in growths)
    seconds = translator_post_seconds(args.repeat)
    print(f"worst k: {worst:.2f} (target ≤ {TARGET_PATHOLOGICAL_EXPONENT}: "
          f"{verdict(worst, TARGET_PATHOLOGICAL_EXPONENT)}); the 120 KB translator-line post "
          f"converts in {seconds:.3f} s of CPU")
    return 1 if args.strict and worst > TARGET_PATHOLOGICAL_EXPONENT else 0


if __name__ == "__main__":
    sys.exit(main())
