"""The books: the home page and every page's download menu lead to the PDF and the EPUB."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO

from .pages import MAIN, ArticleSource, Tab

#: Each book: its file in the web edition, the content type it must be served with, and the
#: first bytes of a real file of its kind.
BOOKS: dict[str, tuple[str, bytes]] = {
    "edition.pdf": ("application/pdf", b"%PDF-"),
    "edition.epub": ("application/epub+zip", b"PK\x03\x04"),
}

#: The links of the header's download menu.
MENU_LINKS = ".dropdown-download-buttons a.dropdown-item[href]"


def follow(tab: Tab, url: str, name: str) -> None:
    """Fetch a link as the browser would: HTTP 200, the book's content type, a real book."""
    response = tab.page.request.get(url)
    assert response.status == 200, (url, response.status)
    content_type, magic = BOOKS[name]
    assert response.headers["content-type"].split(";")[0] == content_type, url
    body = response.body()
    assert body.startswith(magic), url
    if name.endswith(".epub"):
        with zipfile.ZipFile(BytesIO(body)) as book:
            assert book.read("mimetype") == b"application/epub+zip"


def test_home_page_links_both_books(open_tab: Callable[..., Tab], site: str) -> None:
    """The home page's text links the PDF and the EPUB, and both links work."""
    tab = open_tab()
    tab.goto(site + "index.html")
    links = tab.page.eval_on_selector_all(f":is({MAIN}) a[href]", "els => els.map(a => a.href)")
    for name in BOOKS:
        found = [link for link in links if link == site + name]
        assert found, f"the home page does not link {name}"
        follow(tab, found[0], name)
    assert not tab.errors, tab.errors


def test_every_page_kind_offers_both_books_in_its_menu(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """The download menu of the home page, an article and an index page leads to both books."""
    tab = open_tab()
    for page in ("index.html", articles[0].page, "_generated/entities/index.html", "cite.html"):
        tab.goto(site + page)
        links = tab.page.eval_on_selector_all(MENU_LINKS, "els => els.map(a => a.href)")
        for name in BOOKS:
            assert site + name in links, (page, name, links)
        # The theme's own entry prints the page, and now says so.
        labels = tab.page.eval_on_selector_all(
            ".dropdown-download-buttons .dropdown-item", "els => els.map(e => e.textContent)")
        assert any("Print this page" in label for label in labels), labels
    # Open the menu and click the PDF entry: the browser downloads or shows the real file.
    tab.goto(site + articles[0].page)
    tab.page.locator(".dropdown-download-buttons button").first.click()
    entry = tab.page.locator(f"{MENU_LINKS}[href$='edition.pdf']").first
    assert entry.is_visible()
    follow(tab, entry.evaluate("a => a.href"), "edition.pdf")
