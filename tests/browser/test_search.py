"""Search in the browser: Chinese names as words, in either script, with snippets."""

from __future__ import annotations

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
