"""The readers' fast selection (``htmltext.select``) finds exactly what soupsieve finds.

The pre-filter in front of soupsieve may only ever skip elements that cannot match; these
tests compare it with ``Tag.select`` on the real seeds and sampled corpus posts, for every
selector the readers use and for selectors the pre-filter reads only in part or not at all.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest
from bs4 import BeautifulSoup

from converters.model import LineBreak, Strong, Text
from converters.readers import _html as htmltext
from converters.readers import caixin, nytimes
from converters.readers._html import (
    _requirement,
    parse_html,
    remove_boilerplate,
    select,
    select_one,
    tidy,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

#: Selectors the readers use, and harder ones: attribute tests beside classes, :has() and
#: :not() with combinators inside, ids, pseudo-classes, quoted values holding syntax.
SELECTORS: tuple[str, ...] = (
    *(selector for _, selector, _ in caixin.BOILERPLATE),
    *(selector for _, selector, _ in nytimes.BOILERPLATE),
    caixin.ENTRY_SELECTOR, caixin.ARTICLE_SELECTOR, caixin.DEK_SELECTOR,
    *caixin.PUBLISHER_SELECTORS, caixin.AUTHOR_CARD_SELECTOR, caixin.FIGURE_CELL_SELECTOR,
    caixin.CAPTION_SELECTOR, caixin.CREDIT_SELECTOR,
    nytimes.BYLINE_SELECTOR, nytimes.DATELINE_SELECTOR, nytimes.LEGACY_BYLINE_SELECTOR,
    nytimes.CREDIT_SELECTOR,
    "p", "div > p", "p + p", "h2 ~ p", "a[href^='http']", "a[rel~='category']",
    "div:has(> img)", "div:not(.entry-content p)", "p:nth-child(2)", "#content", "*",
    "[class]", "img[src]", "[title='a] .b']", "div [class*='a > b']", "template p",
    "li:first-child, figure figcaption", "P", "DIV.FR",
)


def pages() -> list[Path]:
    """The HTML seeds and a sample of the corpus."""
    seeds = [p for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*"))
             if caixin.sniff(p.read_text(encoding="utf-8"))
             or "<p" in p.read_text(encoding="utf-8")]
    return seeds + corpus.sample("caixin")[:4] + corpus.sample("nytimes-cn")[:4]


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_select_finds_what_soupsieve_finds(page: Path) -> None:
    """Same elements, same order, for every selector; select_one is the first of them."""
    soup = parse_html(page.read_text(encoding="utf-8"))
    for selector in SELECTORS:
        expected = soup.select(selector)
        found = select(soup, selector)
        assert [id(e) for e in found] == [id(e) for e in expected], selector
        first = select_one(soup, selector)
        assert first is (expected[0] if expected else None), selector


def test_select_does_not_enter_templates() -> None:
    """A ``<template>``'s content is no part of the page: soupsieve skips it, so does select."""
    soup = BeautifulSoup("<div><template><p class='x'>hidden</p></template>"
                         "<p class='x'>shown</p></div>", "lxml")
    assert [p.get_text() for p in select(soup, "p.x")] == ["shown"]
    assert [p.get_text() for p in soup.select("p.x")] == ["shown"]


@pytest.mark.parametrize(("selector", "requirement"), [
    ("div.code-block", ("div", ("code-block",))),
    ("[class*='BarrierFailsafe']", ("", ("barrierfailsafe",))),
    ("div.container:has(> [class*='BarrierFailsafe'])", ("div", ("container",))),
    ("footer.entry-footer .categories a[rel~='category']", ("a", ())),
    ("a.b:not(.c .d)", ("a", ("b",))),
    ("#content", None),
    ("[title='a] .b']", None),
    ("svg|rect", None),
    ("p.a\\:b", None),
])
def test_prefilter_reads_only_the_last_compound(
    selector: str, requirement: tuple[str, tuple[str, ...]] | None
) -> None:
    """The pre-filter's test: type and class words of the matched element, or none at all."""
    assert _requirement(selector) == requirement


def test_boilerplate_removal_keeps_has_on_the_intact_page() -> None:
    """Matches are found before anything is removed: an outer block whose :has() needs an
    inner block that an earlier rule removes is still taken out, and recorded once."""
    soup = BeautifulSoup(
        "<article><div class='wrap'><p>kept?</p><div class='ad'>buy</div></div>"
        "<p>text</p></article>", "lxml")
    article = select_one(soup, "article")
    assert article is not None
    removed = remove_boilerplate(article, [("ad", ".ad", "an ad"),
                                           ("wrapper", ".wrap:has(.ad)", "holds an ad")])
    assert [(r.kind, r.text) for r in removed] == [("wrapper", "kept? buy")]
    assert article.get_text() == "text"


def test_tidy_resolves_runs_across_nodes() -> None:
    """Runs spanning text nodes, edges and hard breaks resolve as a browser shows them."""
    inlines = [Text("  a \n b"), Strong([Text(" \n c")]), Text("中\n"), Text("\n文 "),
               LineBreak(), Text(" d  ")]
    out = tidy(inlines)
    assert htmltext.plain_text(out) == "a b c中文\nd"


def test_prefilter_reads_class_selectors_as_whole_names() -> None:
    """``.fr`` asks for the class ``fr``: ``frame`` fails the pre-filter, ``FR`` passes it."""
    soup = BeautifulSoup("<div class='frame'>a</div><div class='x FR'>b</div>"
                         "<div class='fr'>c</div><div class='ads_top'>d</div>", "lxml")
    may_match = htmltext._prefilter(["div.fr", "[class*='ads_']"])
    assert [may_match(div) for div in soup.find_all("div")] == [False, True, True, True]
    assert [div.get_text() for div in select(soup, "div.fr")] == ["c"]
