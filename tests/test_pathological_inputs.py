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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

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
from converters.myst import escape
from converters.paths import DEFAULT_REGISTRY
from converters.pipeline import Options, convert_source
from converters.readers import FORMATS, detect
from converters.sources import decode

ROOT = Path(__file__).resolve().parent.parent

#: The two sizes, in bytes of UTF-8 (about: runs are sized to reach them).
SMALL = 100_000
LARGE = 1_000_000
#: CPU seconds a child process may take for one case (both levels) at :data:`LARGE`.
CPU_LIMIT = 120

#: The ideographic space, which HTML does not collapse and ``\s`` matches.
IDEOGRAPHIC_SPACE = "\u3000"
#: Words found in no registry name and no date pattern, so tagging leaves them alone.
START, END = "Zyxwv", "Qvmjk"


@dataclass(frozen=True)
class Case:
    """One pathological source and what converting it must give."""

    name: str
    #: The format detection must find (``converters.readers.FORMATS``).
    format: str
    #: The source text for a size in bytes.
    make: Callable[[int], str]
    #: Texts the article's text must hold, for the same size.
    words: Callable[[int], list[str]] = lambda _size: []
    #: Metadata fields and their values, for the same size.
    meta: Callable[[int], dict[str, object]] = lambda _size: {}
    #: Words of the one-line refusal, when the source must be refused.
    refusal: str = ""
    #: Whether the refusal comes from detection (no format claims the source).
    undetected: bool = field(default=False)


def run_of(char: str, size: int) -> str:
    """A run of one character taking about ``size`` bytes of UTF-8."""
    return char * (size // len(char.encode("utf-8")))


# --------------------------------------------------------------------------- the formats

NYT_HEAD = ("<!--1737428822000-->\n"
            "[标题](https://cn.nytimes.com/world/20250101/pathological/)\n------\n\n")


def nytimes(body: str) -> str:
    """An NYT feed export around an article body."""
    return f'{NYT_HEAD}<div class="article-body"><section>{body}</section></div>\n'


CAIXIN_HEAD = ("---\ntitle: 标题\ndate: 2019-10-14T08:00:00+08:00\n"
               "from: https://nei.st/cw914-pathological\nauthor: Nei.st\n---\n")


def caixin(body: str, card: str = "", before: str = "") -> str:
    """A Nei.st post of a Caixin article: the body, a writer's card, markup before it."""
    return (f'{CAIXIN_HEAD}{before}<article class="post category-caixin">'
            f'<div class="entry-content">{body}</div>{card}</article>\n')


#: Pairs of English and Chinese lines that make a text bilingual (three pairs at least).
PAIRS = ("The first line of the column.\n专栏的第一行。\n"
         "The second line of the column.\n专栏的第二行。\n"
         "The third line of the column.\n专栏的第三行。\n")


def bilingual(english: str, chinese: str) -> str:
    """A bilingual text with one more pair."""
    return f"{PAIRS}{english}\n{chinese}\n"


def plaintext(*lines: str) -> str:
    """A headed plain text: a heading, then the lines."""
    return "\n".join(("Heading #", *lines)) + "\n"


def u3000(size: int) -> str:
    """A run of ideographic spaces of about ``size`` bytes."""
    return run_of(IDEOGRAPHIC_SPACE, size)


def spaces(size: int) -> str:
    """A run of spaces of about ``size`` bytes."""
    return run_of(" ", size)


CASES: tuple[Case, ...] = (
    # -- nytimes
    Case("nytimes-translator-ideographic-spaces", "nytimes",
         lambda n: nytimes(f"<p>正文。</p><p>翻译：甲{u3000(n)}乙</p>"),
         words=lambda n: ["正文。", f"翻译：甲{u3000(n)}乙"],
         meta=lambda n: {"translator": f"甲{u3000(n)}乙"}),
    Case("nytimes-byline-ideographic-spaces", "nytimes",
         lambda n: nytimes(f"<address>甲{u3000(n)}，{u3000(n // 10)}乙</address><p>正文。</p>"),
         words=lambda _n: ["正文。"], meta=lambda _n: {"authors": ["甲", "乙"]}),
    Case("nytimes-column-open-quotes", "nytimes",
         lambda n: nytimes(f"<p>{run_of('撰写“', n)}</p>"),
         words=lambda n: [run_of("撰写“", n)], meta=lambda _n: {"column": ""}),
    Case("nytimes-spaces", "nytimes",
         lambda n: nytimes(f"<p>{START}{spaces(n)}{END}</p>"),
         words=lambda _n: [f"{START} {END}"]),
    Case("nytimes-angle-brackets", "nytimes",
         lambda n: nytimes(f"<p>{START} {run_of('<', n)} {END}</p>"),
         words=lambda n: [f"{START} {run_of('<', n)} {END}"]),
    Case("nytimes-unclosed-paragraphs", "nytimes",
         lambda n: nytimes(run_of(f"<p>{START}", n)),
         words=lambda _n: [START]),
    Case("nytimes-nested-tags", "nytimes",
         lambda n: nytimes(f"<p>{run_of('<b>', n // 2)}{START}{run_of('</b>', n // 2)}</p>"),
         refusal="HTML nested more than 100 elements deep"),
    # -- caixin
    Case("caixin-card-ideographic-spaces", "caixin",
         lambda n: caixin("<p>正文。</p>", f'<div class="fr">甲{u3000(n)}Oct 14 · 2019</div>'),
         words=lambda _n: ["正文。"], meta=lambda _n: {"authors": ["甲"]}),
    Case("caixin-card-venue-ideographic-spaces", "caixin",
         lambda n: caixin("<p>正文。</p>", f'<div class="fr">{START}{u3000(n // 2)}in'
                                         f'{u3000(n // 2)}Caixin Weekly Nov 18 · 2019</div>'),
         words=lambda _n: ["正文。"], meta=lambda _n: {"authors": [START]}),
    Case("caixin-article-tags-in-an-attribute", "caixin",
         lambda n: caixin("<p>正文。</p>", before=f'<div title="{run_of("<article/", n)}"></div>'),
         words=lambda _n: ["正文。"]),
    Case("caixin-spaces", "caixin",
         lambda n: caixin(f"<p>{START}{spaces(n)}{END}</p>"),
         words=lambda _n: [f"{START} {END}"]),
    Case("caixin-open-article-tags", "caixin",
         lambda n: CAIXIN_HEAD + run_of("<article ", n),
         refusal="unknown format", undetected=True),
    # -- bilingual
    Case("bilingual-ideographic-spaces", "bilingual",
         lambda n: bilingual(f"The {START}{u3000(n // 2)}{END} line.",
                             f"第{u3000(n // 2)}四行。"),
         words=lambda n: [f"The {START}{u3000(n // 2)}{END} line.", f"第{u3000(n // 2)}四行。"]),
    Case("bilingual-spaces", "bilingual",
         lambda n: bilingual(f"The {START}{spaces(n)}{END} line.", "第四行。"),
         words=lambda n: [f"The {START}{spaces(n)}{END} line."]),
    Case("bilingual-angle-bracket-then-spaces", "bilingual",
         lambda n: bilingual(f"The {START} <{spaces(n)}{END} line.", "第四行。"),
         words=lambda n: [f"The {START} <{spaces(n)}{END} line."]),
    # -- plaintext
    Case("plaintext-heading-spaces", "plaintext",
         lambda n: plaintext(f"{START}{spaces(n)}#", "Body text."),
         words=lambda _n: [START, "Body text."]),
    Case("plaintext-long-heading-like-line", "plaintext",
         lambda n: plaintext(f"{START}{spaces(n)}{END} #"),
         words=lambda n: [f"{START}{spaces(n)}{END} #"]),
    Case("plaintext-bullet-spaces", "plaintext",
         lambda n: plaintext(f"-{spaces(n)}{START}"),
         words=lambda _n: [START]),
    Case("plaintext-ideographic-spaces", "plaintext",
         lambda n: plaintext(f"{START}{u3000(n)}{END}"),
         words=lambda n: [f"{START}{u3000(n)}{END}"]),
    Case("plaintext-dotted-word", "plaintext",
         lambda n: plaintext(f"{START} {run_of('a.', n)} {END}"),
         words=lambda n: [f"{START} {run_of('a.', n)} {END}"]),
    Case("plaintext-long-word", "plaintext",
         lambda n: plaintext(f"{START} {run_of('a', n)}. {END}"),
         words=lambda n: [f"{START} {run_of('a', n)}. {END}"]),
)


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
