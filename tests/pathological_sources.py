"""Pathological sources, one or more per format: what a stranger may send to the converters.

Each :class:`Case` is a source shaped so that its reader reaches the patterns that once
backtracked: long runs of spaces and of U+3000 (ideographic space), ``<`` and unclosed tags,
nested tags, a prefix repeated many times (a ``翻译：`` line, a Caixin card, ``撰写“``); and
what converting it must give. ``tests/test_pathological_inputs.py`` checks the outcome at
:data:`SMALL` and :data:`LARGE`; ``benchmarks/pathological.py`` times it and how it grows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: The two sizes, in bytes of UTF-8 (about: runs are sized to reach them).
SMALL = 100_000
LARGE = 1_000_000
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


#: The case of the NYT translator's name full of U+3000 (see :func:`translator_post`).
TRANSLATOR_CASE = "nytimes-translator-ideographic-spaces"

CASES: tuple[Case, ...] = (
    # -- nytimes
    Case(TRANSLATOR_CASE, "nytimes",
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
         refusal="unknown format"),
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


def translator_post(size: int) -> str:
    r"""An NYT post of about ``size`` bytes, most of them U+3000 in its translator's name.

    The shape of the post that took 17.6 s of CPU at 120 KB when the translator's line was read
    by ``翻译\s*[：:]\s*(?P<name>\S.*?)\s*$``.
    """
    return next(c for c in CASES if c.name == TRANSLATOR_CASE).make(size)

