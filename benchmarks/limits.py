"""The converters' stated limits, measured: time and peak memory of a conversion at each limit.

    python benchmarks/limits.py [--only NAME] [--keep DIR]

For each limit (input size, links, figures, blocks, HTML nesting) it generates an NYT feed post
that is exactly at the limit, converts it in a fresh process (tagging on, as ``nox -s build``
does) and prints the wall time and the process's peak resident memory, then checks that one
step past the limit is refused in one line. The inputs are written to a temporary folder and
removed afterwards; the edition is never written to.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from converters import pipeline, sources  # noqa: E402 (needs the path above)
from converters.common.yamlsafe import MAX_YAML_CHARS, YamlRefused, load_yaml  # noqa: E402
from converters.readers import _html as htmltext  # noqa: E402 (needs the path above)

#: The post's head: feed stamp, headline on the source's own host, rule.
HEAD = ("<!--1737428822000-->\n"
        "[极限测试](https://cn.nytimes.com/business/20250121/limits-test/)\n------\n\n")
#: One ordinary paragraph of Chinese prose (about 300 bytes).
SENTENCE = "上周，约50万美国用户为抗议美国政府即将对TikTok实施的禁令，涌入了另一款中国应用小红书。"

#: What a conversion may take at the largest input (the edition's own target).
BUDGET_SECONDS = 60.0
BUDGET_BYTES = 1024**3


def post(body: str) -> bytes:
    """A complete feed post with ``body`` as its article HTML."""
    return (HEAD + "<section>" + body + "</section>").encode("utf-8")


def sized(size: int) -> bytes:
    """A post of exactly ``size`` bytes: ordinary paragraphs, padded in the last one."""
    paragraph = f"<p>{SENTENCE * 3}</p>"
    empty = len(post(""))
    count = (size - empty) // len(paragraph.encode())
    body = paragraph * count
    pad = size - empty - len(body.encode()) - len(b"<p></p>")
    body += "<p>" + "x" * max(pad, 0) + "</p>"
    data = post(body)
    return data + b" " * (size - len(data)) if len(data) < size else data


def links(count: int) -> bytes:
    """A post whose paragraphs hold ``count`` links in all (100 per paragraph)."""
    paragraphs = []
    for start in range(0, count, 100):
        run = "".join(f'<a href="https://example.com/{n}">链接{n}</a>，'
                      for n in range(start, min(start + 100, count)))
        paragraphs.append(f"<p>{run}</p>")
    return post("".join(paragraphs))


def figures(count: int) -> bytes:
    """A post with ``count`` figures, each with its caption."""
    figure = '<p>{0}</p><img src="https://example.com/{1}.jpg"><small>图{1}</small>'
    return post("".join(figure.format(SENTENCE, n) for n in range(count)))


def blocks(count: int) -> bytes:
    """A post of ``count`` short paragraphs."""
    return post("".join(f"<p>第{n}段。</p>" for n in range(count)))


def nesting(depth: int) -> bytes:
    """A post whose paragraph sits ``depth`` elements deep (``<html>``, ``<body>``,
    ``<section>`` and the ``<p>`` itself count)."""
    divs = depth - 4
    return post("<div>" * divs + f"<p>{SENTENCE}</p>" + "</div>" * divs)


@dataclass(frozen=True)
class Limit:
    """One stated limit: its name, the constant's value, and inputs at and past it."""

    name: str
    value: int
    unit: str
    make: Callable[[int], bytes]
    over: int  #: the first refused value


LIMITS: tuple[Limit, ...] = (
    Limit("input size", sources.MAX_INPUT_BYTES, "bytes", sized, sources.MAX_INPUT_BYTES + 1),
    Limit("links per article", pipeline.MAX_LINKS, "links", links, pipeline.MAX_LINKS + 1),
    Limit("figures per article", pipeline.MAX_FIGURES, "figures", figures,
          pipeline.MAX_FIGURES + 1),
    Limit("blocks per article", pipeline.MAX_BLOCKS, "paragraphs", blocks,
          pipeline.MAX_BLOCKS + 1),
    Limit("HTML nesting", htmltext.MAX_HTML_DEPTH, "elements deep", nesting,
          htmltext.MAX_HTML_DEPTH + 1),
)


def convert(path: Path, out: Path) -> tuple[int, float, float, int, str]:
    """Convert one file in a fresh process: exit status, wall and CPU seconds, peak bytes and
    what it printed on stderr."""
    code = (
        "import resource, sys\n"
        "from converters.__main__ import main\n"
        "status = main(sys.argv[1:])\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print(f'PEAK {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}', file=sys.stderr)\n"
        "sys.exit(status)\n"
    )
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, str(path), "--out", str(out), "--no-merge",
         "--no-editorial"],
        capture_output=True, text=True, cwd=REPO, check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    seconds = time.perf_counter() - start
    peak, cpu = 0, 0.0
    errors = []
    for line in result.stderr.splitlines():
        if line.startswith("PEAK "):
            peak = int(line.split()[1]) * 1024  # ru_maxrss is in KiB on Linux
            cpu = float(line.split()[2])
        else:
            errors.append(line)
    return result.returncode, seconds, cpu, peak, "\n".join(errors)


def billion_laughs(levels: int = 9) -> str:
    """An alias bomb of a few hundred bytes (9**levels strings once expanded)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def registry_like(size: int) -> str:
    """YAML of about ``size`` characters shaped like the registry (a list of entities)."""
    entity = ('- id: entity-{0}\n  type: company\n  label: "Entity {0}"\n'
              '  labels: {{en: "Entity {0}", zh-Hans: "实体{0}", zh-Hant: "實體{0}"}}\n'
              '  aliases: ["E{0}"]\n  description: "A made-up company."\n  wikidata: ""\n')
    parts, total, n = ["entities:\n"], 10, 0
    while total < size:
        parts.append(entity.format(n))
        total += len(parts[-1])
        n += 1
    return "".join(parts)[:size]


def yaml_rows() -> list[str]:
    """The YAML loader's limits: the alias bomb and the longest text, timed in process."""
    rows = []
    bomb = billion_laughs()
    start = time.perf_counter()
    try:
        load_yaml(bomb, path="bomb.yaml")
        outcome = "NOT REFUSED"
    except YamlRefused as refused:
        outcome = f"refused: {refused.reason[:40]}…"
    rows.append(f"| YAML alias bomb | {len(bomb)} bytes, 9⁹ strings expanded | "
                f"{(time.perf_counter() - start) * 1000:.2f} ms | {outcome} |")
    text = registry_like(MAX_YAML_CHARS)
    text = text[: text.rfind("\n- id:") + 1]  # whole entities only
    start = time.perf_counter()
    load_yaml(text)
    rows.append(f"| YAML text | {len(text):,} characters (limit {MAX_YAML_CHARS:,}) | "
                f"{time.perf_counter() - start:.2f} s | read |")
    start = time.perf_counter()
    try:
        load_yaml(text + "#" * (MAX_YAML_CHARS + 1 - len(text)))
        outcome = "NOT REFUSED"
    except YamlRefused:
        outcome = "refused before parsing"
    rows.append(f"| YAML text | {MAX_YAML_CHARS + 1:,} characters | "
                f"{(time.perf_counter() - start) * 1000:.2f} ms | {outcome} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    """Measure every limit (or one), print a Markdown table; 1 if a limit misbehaves."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=[limit.name for limit in LIMITS], action="append")
    parser.add_argument("--keep", type=Path, help="write the generated inputs here")
    args = parser.parse_args(argv)
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}\n")
    print("| Limit | Value | Input | Wall time | CPU time | Peak memory | One more |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    failed = False
    with tempfile.TemporaryDirectory(prefix="edition-limits-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for limit in LIMITS:
            if args.only and limit.name not in args.only:
                continue
            at = folder / f"{limit.name.replace(' ', '-')}.txt"
            at.write_bytes(limit.make(limit.value))
            status, seconds, cpu, peak, errors = convert(at, Path(tmp) / f"out-{at.stem}")
            past = folder / f"{limit.name.replace(' ', '-')}-over.txt"
            past.write_bytes(limit.make(limit.over))
            over_status, _, _, _, over_errors = convert(past, Path(tmp) / f"out-{past.stem}")
            refused = over_status == 2 and len(over_errors.splitlines()) == 1
            ok = status == 0 and refused
            if limit.name == "input size":
                # CPU time: on a shared machine the wall clock measures the neighbours too
                ok = ok and cpu < BUDGET_SECONDS and peak < BUDGET_BYTES
            failed |= not ok
            print(f"| {limit.name} | {limit.value:,} {limit.unit} | "
                  f"{at.stat().st_size / 1e6:.1f} MB | {seconds:.1f} s | {cpu:.1f} s | "
                  f"{peak / 2**20:,.0f} MiB | "
                  f"{'refused in one line' if refused else 'NOT REFUSED'} |"
                  + ("" if status == 0 else f" failed: {errors[:200]}"))
            sys.stdout.flush()
            if args.keep is None:
                at.unlink()
                past.unlink()
    if not args.only:
        print("\n| YAML | Input | Time | Outcome |\n| --- | --- | --- | --- |")
        for row in yaml_rows():
            failed |= "NOT REFUSED" in row
            print(row)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
