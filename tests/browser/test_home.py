"""The home page lists every article, and each article's card opens it."""

from __future__ import annotations

from collections.abc import Callable

from .pages import MAIN, ArticleSource, Tab

#: The heading text of the current page, without its ¶/# permalink.
TITLE_JS = """() => {
  const h1 = document.querySelector('h1');
  if (!h1) return '';
  const copy = h1.cloneNode(true);
  copy.querySelectorAll('.headerlink').forEach(e => e.remove());
  return copy.textContent.replace(/\\s+/g, ' ').trim();
}"""


def squash(text: str) -> str:
    """Whitespace collapsed, for comparing titles."""
    return " ".join(text.split())


def test_home_lists_every_article(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Every article file (by its front matter) has a link in the home page's main text."""
    tab = open_tab()
    tab.goto(site + "index.html")
    links = tab.page.eval_on_selector_all(f":is({MAIN}) a[href]", "els => els.map(a => a.href)")
    linked = {link.split("#")[0] for link in links}
    missing = [a.slug for a in articles if site + a.page not in linked]
    assert not missing, f"articles not listed on the home page: {missing}"


def test_each_card_opens_its_article(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Clicking an article's card (or its link) lands on the article, titled as its source says."""
    tab = open_tab()
    for article in articles:
        tab.goto(site + "index.html")
        href = f"a[href$='{article.page}'], a[href$='{article.page}#{article.slug}']"
        card = tab.page.locator(f":is({MAIN}) .sd-card:has({href})")
        target = card.first if card.count() else tab.page.locator(f":is({MAIN}) {href}").first
        assert target.count(), f"{article.slug}: no card or link on the home page"
        with tab.page.expect_navigation():
            target.click()
        assert tab.page.url.split("#")[0] == site + article.page
        assert squash(tab.page.evaluate(TITLE_JS)) == squash(article.title)
    assert not tab.errors, tab.errors
