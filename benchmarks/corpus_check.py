"""Convert every post of the real corpus and print, per folder, how many converted.

Usage: ``python benchmarks/corpus_check.py [CORPUS] [--render] [--no-loss]``

Each post is detected by content, checked for truncation and read by its reader; a post
counts as converted when the reader detected is the folder's format and the article has a
title, a date and body text. ``--render`` also writes each article as MyST (in memory).
Failures are listed on stderr, one line each; the exit status is 1 when any post failed.
This is both a robustness check of the readers and a measure of their speed.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from converters import myst  # noqa: E402
from converters.model import Article, ConversionError, article_text  # noqa: E402
from converters.readers import check_complete, detect, is_html  # noqa: E402
from converters.sources import load  # noqa: E402

#: Where the corpus is, unless given.
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"  # shared/ sits beside the clone

#: The format each corpus folder is in.
FOLDER_FORMATS: dict[str, str] = {"nytimes-cn": "nytimes", "caixin": "caixin"}


@dataclass
class Tally:
    """What happened to one folder's posts."""

    folder: str
    converted: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        """The folder's summary line."""
        return (f"{self.folder}: {self.converted} converted, {len(self.failures)} failed, "
                f"{self.seconds:.1f} s")


def convert(path: Path, expected: str, render: bool) -> Article:
    """One post's article, or ConversionError saying why it does not count as converted."""
    source = load(path)
    reader = detect(source)
    if reader.FORMAT != expected:
        raise ConversionError(f"detected as {reader.FORMAT}, expected {expected}")
    if is_html(reader):
        check_complete(source.text)
    articles = reader.read(source)
    if len(articles) != 1:
        raise ConversionError(f"{len(articles)} articles instead of one")
    article = articles[0]
    missing = [name for name, value in (("title", article.meta.title),
                                        ("date", article.meta.date),
                                        ("body", article_text(article))) if not value]
    if missing:
        raise ConversionError(f"no {', '.join(missing)}")
    if render:
        article.meta.seed = source.name
        myst.assign_labels(article)
        myst.render(article)
    return article


def check_folder(folder: Path, expected: str, render: bool) -> Tally:
    """Convert every post of one folder."""
    tally = Tally(folder.name)
    start = time.perf_counter()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        try:
            convert(path, expected, render)
        except ConversionError as exc:
            tally.failures.append(f"{path.name}: {exc}")
        except Exception as exc:  # a crash is a failure of the check, reported like one
            tally.failures.append(f"{path.name}: crashed: {type(exc).__name__}: {exc}")
        else:
            tally.converted += 1
    tally.seconds = time.perf_counter() - start
    return tally


def main(argv: list[str] | None = None) -> int:
    """Run the check over every known folder of the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--render", action="store_true", help="also render each article")
    parser.add_argument("--no-loss", action="store_true",
                        help="also run the readers' no-loss tests on every post, not a sample")
    args = parser.parse_args(argv)
    folders = [(args.corpus / name, fmt) for name, fmt in FOLDER_FORMATS.items()
               if (args.corpus / name).is_dir()]
    if not folders:
        print(f"error: {args.corpus}: no corpus folder ({', '.join(FOLDER_FORMATS)})",
              file=sys.stderr)
        return 2
    failed = 0
    for folder, fmt in folders:
        tally = check_folder(folder, fmt, args.render)
        for failure in tally.failures:
            print(f"error: {folder.name}/{failure}", file=sys.stderr)
        print(tally.line())
        failed += len(tally.failures)
    if args.no_loss:
        failed += _no_loss_on_every_post(args.corpus)
    return 1 if failed else 0


def _no_loss_on_every_post(corpus: Path) -> int:
    """The readers' corpus tests (text extracted independently of the readers), on all posts."""
    env = {**os.environ, "EDITION_CORPUS": str(corpus), "EDITION_CORPUS_STEP": "1"}
    tests = ["tests/test_reader_nytimes.py", "tests/test_reader_caixin.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, "-k", "corpus"],
        cwd=ROOT, env=env, check=False,
    )
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
