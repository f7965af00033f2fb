"""Search in the browser: Chinese names as words, in either script, with snippets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .pages import ArticleSource, Tab

#: Done when Sphinx has stopped its progress pulse and written the summary line.
SEARCH_DONE_JS = """() => {
  const summary = document.querySelector('#search-results .search-summary');
  return typeof Search !== 'undefined' && Search._pulse_status === -1
    && summary !== null && summary.textContent.trim() !== '';
}"""
#: Done when every page result has its snippet (Sphinx fetches each page to cut one). Object
#: results (an entity of the ``ent`` domain) show their description instead.
SNIPPETS_DONE_JS = """() => Array.from(document.querySelectorAll('#search-results ul.search > li'))
  .every(li => li.querySelector(li.classList.contains('kind-object') ? 'span' : '.context'))"""
#: What the search page shows, for a failure message.
STATE_JS = """() => ({
  pulse: typeof Search === 'undefined' ? 'no Search' : Search._pulse_status,
  results: document.getElementById('search-results')?.innerText.slice(0, 500),
  pending: Array.from(document.querySelectorAll('#search-results ul.search > li'))
    .filter(li => !li.querySelector('.context, span')).map(li => li.querySelector('a').href),
})"""
#: Each result: its link and its snippet (or an object's description).
RESULTS_JS = """() => Array.from(document.querySelectorAll('#search-results ul.search > li'),
  li => ({href: li.querySelector('a').href,
          snippet: (li.querySelector('.context, span') || {textContent: ''})
            .textContent.trim()}))"""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    #: Article slug, or the page's path for other pages.
    page: str
    #: The text snippet shown under the result.
    snippet: str


def search(tab: Tab, site: str, query: str) -> list[Hit]:
    """Run a query on the search page and return its results once snippets have loaded."""
    tab.goto(f"{site}search.html?q={quote(query)}")
    try:
        tab.page.wait_for_function(SEARCH_DONE_JS, timeout=30_000)
        tab.page.wait_for_function(SNIPPETS_DONE_JS, timeout=30_000)
    except PlaywrightTimeout:
        state = tab.page.evaluate(STATE_JS)
        raise AssertionError(f"{query}: search did not finish: {state}; {tab.errors}") from None
    hits = []
    for result in tab.page.evaluate(RESULTS_JS):
        path = result["href"].removeprefix(site).split("#")[0]
        page = path.removeprefix("articles/").removesuffix(".html")
        hits.append(Hit(page, result["snippet"]))
    return hits


def from_seeds(articles: list[ArticleSource], *prefixes: str) -> dict[str, set[str]]:
    """Slugs of the articles made from each seed (seed files are named ``NNN_hash.txt``)."""
    return {p: {a.slug for a in articles if a.seed.startswith(p + "_")} for p in prefixes}


@pytest.mark.parametrize(
    ("query", "seeds"),
    [("字节跳动", ("000", "001")), ("ByteDance", ("003",))],
)
def test_query_finds_the_seeds_articles(
    open_tab: Callable[..., Tab],
    site: str,
    articles: list[ArticleSource],
    query: str,
    seeds: tuple[str, ...],
) -> None:
    """A company name finds the articles that name it, each result with a snippet."""
    hits = search(open_tab(), site, query)
    found = {hit.page for hit in hits}
    for seed, slugs in from_seeds(articles, *seeds).items():
        assert slugs, f"no article from seed {seed}"
        naming = {a.slug for a in articles if a.slug in slugs and query in a.body}
        # Every article of the seed that names the company is found, and at least one is.
        assert naming & found, f"{query}: nothing from seed {seed} in {sorted(found)}"
        assert naming <= found, f"{query}: {sorted(naming - found)} not found"
    assert all(hit.snippet for hit in hits), f"{query}: results without a snippet: {hits}"
    assert any(query.casefold() in hit.snippet.casefold() for hit in hits), (
        f"{query}: no snippet shows the word"
    )


def test_simplified_query_finds_traditional_text(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """英伟达 (Simplified) finds seed 002's page, which writes the name 英偉達 (Traditional)."""
    parallel = from_seeds(articles, "002")["002"]
    assert parallel, "no article from seed 002"
    bodies = " ".join(a.body for a in articles if a.slug in parallel)
    # The premise: the page only has the Traditional spelling, so finding it needs folding.
    assert "英偉達" in bodies and "英伟达" not in bodies
    hits = search(open_tab(), site, "英伟达")
    assert parallel & {hit.page for hit in hits}, f"英伟达: 002 not in {hits}"
    assert all(hit.snippet for hit in hits), f"英伟达: results without a snippet: {hits}"


# --------------------------------------------------------------------------- finding things


def articles_found(hits: list[Hit]) -> set[str]:
    """Slugs of the articles among the results (not the edition's other pages)."""
    return {hit.page for hit in hits if "/" not in hit.page and not hit.page.startswith("_")}


def test_years_are_terms_with_or_without_nian(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """``2014``, ``2014年`` and ``2014 年`` find the same articles, and at least one."""
    tab = open_tab()
    plain = articles_found(search(tab, site, "2014"))
    writing = {a.slug for a in articles if "2014" in a.body}
    assert writing and writing <= plain, f"2014: {sorted(writing - plain)} not found"
    assert articles_found(search(tab, site, "2014年")) == plain
    assert articles_found(search(tab, site, "2014 年")) == plain


def test_number_996_is_found(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """``996`` finds every article that writes it, the bilingual column (seed 002) among them."""
    found = articles_found(search(open_tab(), site, "996"))
    writing = {a.slug for a in articles if "996" in a.body}
    assert from_seeds(articles, "002")["002"] & writing, "premise: seed 002 writes 996"
    assert writing <= found, f"996: {sorted(writing - found)} not in {sorted(found)}"


@pytest.mark.parametrize("query", ["zhang yiming", "Zhāng Yīmíng", "zhangyiming", "张一鸣"])
def test_pinyin_finds_the_person(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], query: str
) -> None:
    """Pinyin with or without tones and spaces finds seed 001, which writes 张一鸣."""
    found = articles_found(search(open_tab(), site, query))
    assert from_seeds(articles, "001")["001"] & found, f"{query}: 001 not in {sorted(found)}"


def test_chinese_name_finds_english_mentions(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """马云 finds the articles that name Jack Ma only in Latin letters; snippets show that name."""
    tagged = re.compile(r"\{ent\}`([^`<]*?)\s*<jack-ma>`")
    writing = {
        a.slug: set(tagged.findall(a.body)) for a in articles
        if tagged.search(a.body) and "马云" not in a.body and "馬雲" not in a.body
    }
    assert writing, "premise: an article names Jack Ma in Latin letters only"
    hits = search(open_tab(), site, "马云")
    assert set(writing) <= articles_found(hits), f"马云: {sorted(writing)} not all in {hits}"
    for hit in hits:
        if hit.page in writing:
            assert any(name in hit.snippet for name in writing[hit.page]), hit


def test_simplified_name_finds_english_article(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """字节跳动 finds the seed 003 essays, which write "ByteDance"."""
    found = articles_found(search(open_tab(), site, "字节跳动"))
    essays = {a.slug for a in articles if a.seed.startswith("003_") and "ByteDance" in a.body}
    assert essays and essays <= found, f"字节跳动: {sorted(essays - found)} not found"


@pytest.mark.parametrize("query", ["字节跳动", "ByteDance", "2020", "马云"])
def test_one_result_per_page_and_no_theme_text(
    open_tab: Callable[..., Tab], site: str, query: str
) -> None:
    """Every page is listed once, and snippets are the text's, never the theme's buttons."""
    hits = search(open_tab(), site, query)
    pages = [hit.page for hit in hits]
    assert len(pages) == len(set(pages)), f"{query}: a page listed twice: {pages}"
    for hit in hits:
        assert "Light Dark" not in hit.snippet and "System Settings" not in hit.snippet, hit


def test_opened_result_shows_the_hit(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Opening a result (马云, the text writes Ma Yun) highlights the name and shows it."""
    tab = open_tab()
    writing = [a.slug for a in articles if "<jack-ma>`" in a.body and "马云" not in a.body]
    search(tab, site, "马云")
    link = tab.page.locator(f'#search-results ul.search > li > a[href*="{writing[0]}"]').first
    link.click()
    tab.page.wait_for_load_state("load")
    hit = tab.page.locator("article span.highlighted").first
    hit.wait_for(state="attached", timeout=10_000)
    assert hit.inner_text().lower() in {"jack ma", "ma yun", "马云", "馬雲"}
    tab.page.wait_for_function(
        """() => { const r = document.querySelector('article span.highlighted')
                     .getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    assert not tab.errors, tab.errors
