"""Browser tests: build the HTML edition once, serve it on loopback, drive Debian's Chromium.

Set ``EDITION_HTML`` to an existing HTML build to test it instead of building one, and
``EDITION_DOCS`` to the Sphinx project it was built from when that is not docs/.
Without ``/usr/bin/chromium`` the tests are skipped on a workstation and fail in CI.
"""

from __future__ import annotations

import functools
import http.server
import os
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import pytest
import yaml

from .pages import (
    DESKTOP,
    DOCS,
    REGISTRY,
    REPO,
    ArticleSource,
    CrawledPage,
    Tab,
    local_path,
    read_articles,
    site_pages,
)

#: Debian's browser: Playwright never downloads one of its own here.
CHROMIUM = Path("/usr/bin/chromium")
#: Flags keeping headless Chromium quiet, offline and usable as root in a container.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
#: Environment variable naming an existing HTML build to test instead of building one.
BUILD_ENV = "EDITION_HTML"

#: What the crawl reads from each page once its scripts have run. SVG links (the timeline)
#: keep their target in an attribute, not in a string ``.href``.
PAGE_FACTS_JS = """() => {
  const xlink = 'http://www.w3.org/1999/xlink';
  const target = a => a.getAttribute('href') ?? a.getAttributeNS(xlink, 'href');
  return {
    ids: Array.from(document.querySelectorAll('[id]'), e => e.id)
      .concat(Array.from(document.querySelectorAll('a[name]'), e => e.getAttribute('name'))),
    links: Array.from(document.querySelectorAll('a[href], a[*|href]'),
                      a => new URL(target(a), document.baseURI).href),
  };
}"""

def blank_png() -> bytes:
    """A transparent 1×1 PNG, served in place of images hosted elsewhere (tests run offline)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1×1, 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 5)) + chunk(b"IEND", b""))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives the browser."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


# --------------------------------------------------------------------------- the sources


@pytest.fixture(scope="session")
def articles() -> list[ArticleSource]:
    """Every article of the edition (files under docs/articles with front matter)."""
    found = read_articles()
    assert found, "no articles with front matter under docs/articles"
    return found


@pytest.fixture(scope="session")
def registry() -> list[dict[str, Any]]:
    """Entities of the registry, as the YAML file lists them."""
    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    return list(data.get("entities", []))


# --------------------------------------------------------------------------- the site


@pytest.fixture(scope="session")
def html_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML edition: the build named by ``EDITION_HTML``, or a fresh build of docs/."""
    existing = os.environ.get(BUILD_ENV)
    if existing:
        path = Path(existing)
        assert (path / "index.html").is_file(), f"{BUILD_ENV}={existing}: no index.html there"
        return path
    base = tmp_path_factory.mktemp("edition")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "FORCE_SOURCE_DATE": "1"}
    # The books first, beside the HTML (as nox -s build does): the HTML build copies them in.
    # A separate process: the build must not share module state with the test session.
    for target in ("latexpdf", "epub", "html"):
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-M", target, str(DOCS), str(base), "-q"],
            cwd=REPO, capture_output=True, text=True, check=False, env=env,
        )
        assert result.returncode == 0, f"{target} build failed:\n{result.stderr[-4000:]}"
    return base / "html"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Stay silent: pytest shows failures, not access logs."""


@pytest.fixture(scope="session")
def site(html_dir: Path) -> Iterator[str]:
    """Base URL (ending in ``/``) of the edition served on a free loopback port."""
    handler = functools.partial(QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (scripts/setup-system.sh)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def offline_context(browser: Any, site: str, errors: list[str], **options: Any) -> Any:
    """A browser context that serves only the site and records the errors it causes.

    Requests to other hosts (images the sources hotlink) never leave the machine: images get
    a blank stand-in, anything else is refused, and such refusals are not the site's errors.
    """
    context = browser.new_context(**options)

    def elsewhere(route: Any) -> None:
        if route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=blank_png())
        else:
            route.abort()

    context.route(lambda url: not url.startswith(site), elsewhere)

    def on_console(message: Any) -> None:
        source = message.location.get("url", "")
        # Chromium asks for /favicon.ico on its own when a page names no icon: not a link of
        # the site (and on a published site, a request outside it).
        ours = source.startswith(site) and source != site + "favicon.ico"
        if message.type == "error" and (ours or not source.startswith("http")):
            errors.append(f"console: {message.text} ({source})")

    context.on("console", on_console)
    context.on("weberror", lambda error: errors.append(f"uncaught: {error.error}"))
    return context


@pytest.fixture
def open_tab(browser: Any, site: str) -> Iterator[Callable[..., Tab]]:
    """Factory of tabs at a given viewport width; each records console and page errors."""
    contexts: list[Any] = []

    def make(width: int = DESKTOP, height: int = 900) -> Tab:
        tab = Tab(None)
        context = offline_context(browser, site, tab.errors,
                                  viewport={"width": width, "height": height})
        contexts.append(context)
        tab.page = context.new_page()
        return tab

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def crawl(browser: Any, site: str, html_dir: Path) -> dict[str, CrawledPage]:
    """Open every page of the site and every local page linked from one; keyed by URL."""
    errors: list[str] = []
    context = offline_context(browser, site, errors, viewport={"width": DESKTOP, "height": 900})
    page = context.new_page()
    queue = [site + path.relative_to(html_dir).as_posix() for path in site_pages(html_dir)]
    seen: dict[str, CrawledPage] = {}
    try:
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            file = local_path(url, site, html_dir)
            if file is None or not file.is_file() or file.suffix != ".html":
                continue  # a missing file is the link test's finding, not the crawl's
            errors.clear()
            page.goto(url, wait_until="load")
            facts = page.evaluate(PAGE_FACTS_JS)
            seen[url] = CrawledPage(url, frozenset(facts["ids"]), tuple(facts["links"]),
                                    tuple(errors))
            queue.extend(urldefrag(link)[0] for link in facts["links"] if link.startswith(site))
    finally:
        context.close()
    return seen
