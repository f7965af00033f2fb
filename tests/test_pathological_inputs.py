"""Pathological inputs: every reader, and the whole conversion, take time linear in the input.

Each case is a source in one of the formats of ``converters.readers.FORMATS``, shaped so that
its reader reaches the patterns that once backtracked: long runs of spaces and of U+3000
(ideographic space), ``<`` and unclosed tags, nested tags, a prefix repeated many times (a
``翻译：`` line, a Caixin card, ``撰写“``). Each says what must come out: the text, kept, and
the metadata read from it, or one clean line of :class:`ConversionError`.

The ~100 KB inputs are converted in process. The ~1 MB ones are converted in a child process
whose CPU time is limited (``RLIMIT_CPU``, :data:`CPU_LIMIT` seconds), so that a pattern gone
quadratic again (the translator's line took 17.6 s at 120 KB, and minutes at 450 KB) fails its
test instead of hanging the suite. No time is asserted: a linear conversion of 1 MB takes a
second or two, far inside the limit.
"""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pathological_sources import CASES, LARGE, SMALL, Case

from converters.common.markup import escape
from converters.common.paths import DEFAULT_REGISTRY
from converters.model import (
    Article,
    BulletList,
    ConversionError,
    Figure,
    Heading,
    Paragraph,
    ParallelPair,
    plain_text,
)
from converters.pipeline import Options, convert_source
from converters.readers import FORMATS, detect
from converters.sources import decode

ROOT = Path(__file__).resolve().parent.parent

#: CPU seconds a child process may take for one case (both levels) at :data:`LARGE`.
CPU_LIMIT = 120


def test_every_reader_has_cases() -> None:
    """Each format of the format table meets pathological inputs here."""
    assert {entry.reader.FORMAT for entry in FORMATS} <= {case.format for case in CASES}


# --------------------------------------------------------------------------- the checks


def article_text(articles: list[Article]) -> str:
    """The text of the articles' blocks, one block (or pair's side, or item) a line."""
    lines: list[str] = []
    for article in articles:
        for block in article.blocks:
            if isinstance(block, (Paragraph, Heading)):
                lines.append(plain_text(block.inlines))
            elif isinstance(block, ParallelPair):
                lines.extend((plain_text(block.left.inlines), plain_text(block.right.inlines)))
            elif isinstance(block, BulletList):
                lines.extend(plain_text(item) for item in block.items)
            elif isinstance(block, Figure):
                lines.append(plain_text(block.caption))
    return "\n".join(lines)


def check_refusal(case: Case, error: ConversionError) -> None:
    """A refusal is the one the case expects, in one line."""
    message = str(error)
    assert case.refusal, f"{case.name}: refused: {message[:200]}"
    assert case.refusal in message, message[:200]
    assert "\n" not in message


def check_articles(case: Case, size: int, articles: list[Article]) -> None:
    """The articles keep the case's words and carry its metadata."""
    assert not case.refusal, f"{case.name}: converted, but must be refused"
    assert articles
    text = article_text(articles)
    for word in case.words(size):
        assert word in text, f"{case.name}: {word[:40]!r}… ({len(word)} characters) is lost"
    for key, value in case.meta(size).items():
        assert getattr(articles[0].meta, key) == value, f"{case.name}: {key}"


def read(case: Case, size: int) -> None:
    """Detect the format and read the source with its reader alone."""
    source = decode(f"{case.name}.txt", case.make(size).encode("utf-8"))
    try:
        reader = detect(source)
        assert reader.FORMAT == case.format
        articles = reader.read(source)
    except ConversionError as error:
        check_refusal(case, error)
        return
    check_articles(case, size, articles)


def convert(case: Case, size: int) -> None:
    """The whole conversion (entity and date tagging included) into a MyST page."""
    source = decode(f"{case.name}.txt", case.make(size).encode("utf-8"))
    try:
        converted = convert_source(source, Options(editorial=None, registry=DEFAULT_REGISTRY))
    except ConversionError as error:
        check_refusal(case, error)
        return
    assert converted.format == case.format
    check_articles(case, size, converted.articles)
    page = "\n".join(converted.pages.values())
    for word in case.words(size):
        assert escape(word) in page, f"{case.name}: {word[:40]!r}… is not on the page"


def run_in_child(name: str, size: int) -> None:
    """What the child process runs: both levels of one case (an assertion fails the process)."""
    case = next(case for case in CASES if case.name == name)
    read(case, size)
    convert(case, size)


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_reader_at_100_kb(case: Case) -> None:
    read(case, SMALL)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_conversion_at_100_kb(case: Case) -> None:
    convert(case, SMALL)


def _limit_cpu() -> None:
    """In the child: a CPU limit, so that a quadratic pattern ends it instead of hanging."""
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT + 5))


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_reader_and_conversion_at_1_mb(case: Case) -> None:
    code = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]\n"
            "import test_pathological_inputs as cases\n"
            f"cases.run_in_child({case.name!r}, {LARGE})\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=ROOT, preexec_fn=_limit_cpu, check=False)
    if result.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"{case.name}: killed after {CPU_LIMIT} s of CPU at 1 MB "
                    "(does a pattern backtrack again?)")
    assert result.returncode == 0, result.stderr[-3000:]
