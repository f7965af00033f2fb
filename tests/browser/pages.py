"""What the browser tests know about the edition: its sources, its pages, and a browser tab."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import yaml

REPO = Path(__file__).resolve().parents[2]
#: Environment variable naming another Sphinx project of the edition to test (default docs/).
DOCS_ENV = "EDITION_DOCS"
DOCS = Path(os.environ.get(DOCS_ENV, REPO / "docs"))
ARTICLES = DOCS / "articles"
REGISTRY = DOCS / "_data" / "registry.yaml"

#: Viewport widths: a laptop (sidenotes, side-by-side parallel text) and a phone.
DESKTOP = 1280
PHONE = 390

#: The page's main text in sphinx-book-theme, leaving out the navigation sidebars.
MAIN = "article.bd-article"

#: Folders of a Sphinx build that hold assets, not pages.
ASSET_DIRS = ("_static", "_sources", "_images", "_downloads", "_sphinx_design_static")


@dataclass(frozen=True)
class ArticleSource:
    """An article of the edition as its MyST source declares it."""

    #: File stem, which is also the page name under ``articles/``.
    slug: str
    #: Front matter.
    meta: dict[str, Any] = field(repr=False)
    #: Text after the front matter.
    body: str = field(repr=False)

    @property
    def title(self) -> str:
        """The article's title."""
        return str(self.meta.get("title", ""))

    @property
    def seed(self) -> str:
        """Seed file the article comes from (e.g. ``000_a5d8….txt``)."""
        return str(self.meta.get("seed", ""))

    @property
    def page(self) -> str:
        """Path of the article's HTML page, relative to the site root."""
        return f"articles/{self.slug}.html"


def read_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """Split a MyST file into its YAML front matter and its body."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    meta = yaml.safe_load(text[4:end]) or {}
    return meta, text[end + 5 :]


def read_articles(folder: Path = ARTICLES) -> list[ArticleSource]:
    """Every article in a folder: the ``.md`` files that have front matter."""
    found = []
    for path in sorted(folder.glob("*.md")):
        meta, body = read_front_matter(path)
        if meta:
            found.append(ArticleSource(path.stem, meta, body))
    return found


def site_pages(html_dir: Path) -> list[Path]:
    """Every HTML page of a build, assets excluded."""
    return sorted(
        path for path in html_dir.rglob("*.html")
        if path.relative_to(html_dir).parts[0] not in ASSET_DIRS
    )


def local_path(url: str, site: str, html_dir: Path) -> Path | None:
    """The file a URL of the served site comes from (``None`` for other sites)."""
    bare, _fragment = urldefrag(url)
    if not bare.startswith(site):
        return None
    relative = unquote(urlsplit(bare).path)[len(urlsplit(site).path):]
    target = html_dir / relative
    return target / "index.html" if relative == "" or relative.endswith("/") else target


@dataclass
class Tab:
    """A page in its own browser context, with the console errors it reported."""

    #: The Playwright page.
    page: Any
    #: Console errors and uncaught exceptions, in order.
    errors: list[str] = field(default_factory=list)

    def goto(self, url: str) -> None:
        """Open a URL and wait until the page and its scripts have loaded."""
        response = self.page.goto(url, wait_until="load")
        status = response.status if response is not None else None
        assert response is not None and response.ok, f"{url}: HTTP {status}"


@dataclass(frozen=True)
class CrawledPage:
    """What one page of the site contains, as the browser sees it."""

    #: URL the page was opened at.
    url: str
    #: Every id (and ``<a name>``) in the rendered page.
    ids: frozenset[str]
    #: Every link target, resolved to an absolute URL.
    links: tuple[str, ...]
    #: Console errors and uncaught exceptions while the page loaded.
    errors: tuple[str, ...]
