"""The whole site: no console errors anywhere, no broken internal link or anchor."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urldefrag

from .pages import CrawledPage, local_path


def test_every_page_was_crawled(crawl: dict[str, CrawledPage], site: str) -> None:
    """The crawl reached the home page and the article pages."""
    assert site + "index.html" in crawl
    assert any("/articles/" in url for url in crawl)


def test_no_console_errors(crawl: dict[str, CrawledPage]) -> None:
    """No page logs a console error or throws while loading."""
    noisy = {url: page.errors for url, page in crawl.items() if page.errors}
    assert not noisy, noisy


def test_no_broken_internal_links(
    crawl: dict[str, CrawledPage], site: str, html_dir: Path
) -> None:
    """Every local link leads to a file that exists, and every #fragment to an id on its page."""
    broken: list[str] = []
    for url, page in sorted(crawl.items()):
        for link in page.links:
            target = local_path(link, site, html_dir)
            if target is None:
                continue
            if not target.exists():
                broken.append(f"{url} → {link}: no such file")
                continue
            bare, fragment = urldefrag(link)
            if not fragment or target.suffix != ".html":
                continue
            # A fragment names an id on the page as the browser rendered it.
            landed = crawl.get(bare) or crawl.get(bare.split("?")[0])
            if landed is None:
                broken.append(f"{url} → {link}: target page not crawled")
            elif fragment not in landed.ids:
                broken.append(f"{url} → {link}: no id {fragment!r} there")
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken[:50])
