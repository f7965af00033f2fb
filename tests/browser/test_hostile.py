"""No script from a source or a data file runs in a reader's browser: the hostile project.

Every payload of tests/roots/test-hostile sets ``window.__pwned`` to the number of its field.
Before any script of a page runs, the test makes ``__pwned`` a property whose setter reports the
value on the console; then it opens every page of the built site, and clicks every link, button
and disclosure of each page, reloading the page whenever a click leaves it. A report, at any
moment on any page, names the field whose payload ran.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_builds import PAYLOAD_FIELDS, hostile_build

from .conftest import QuietHandler, offline_context
from .pages import site_pages

#: Reports every assignment to ``window.__pwned`` (and stops the print dialog, which would
#: block a headless browser).
TRAP_JS = """
Object.defineProperty(window, '__pwned', {
  configurable: false,
  get() { return window.__pwnedValue; },
  set(value) { window.__pwnedValue = value; console.log('PWNED ' + value); },
});
window.print = () => {};
"""
#: Keeps a tab on its page while its elements are clicked: after every handler has run, the
#: default action of a link to another page or of a form is cancelled (those pages are loaded
#: on their own). A javascript: link keeps its default action: running its script.
STAY_JS = """() => {
  window.addEventListener('click', event => {
    const link = event.target.closest && event.target.closest('a');
    if (link && !/^\\s*javascript:/i.test(link.getAttribute('href') || '')) {
      event.preventDefault();
    }
  });
  window.addEventListener('submit', event => event.preventDefault());
}"""
#: A click as a script makes it (SVG links of the timeline have no ``click()``).
CLICK_JS = "e => e.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}))"
#: What a reader can click or activate.
CLICKABLE = "a, button, summary, [onclick], [role=button], input[type=submit], label"
#: Event handlers a payload might have slipped into an attribute, fired on every element.
EVENTS_JS = """() => {
  const kinds = ['mouseover', 'mouseenter', 'focus', 'focusin', 'pointerdown', 'animationstart'];
  for (const element of document.querySelectorAll('*')) {
    for (const kind of kinds) element.dispatchEvent(new Event(kind, {bubbles: true}));
  }
}"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The hostile project built to HTML and served on a loopback port."""
    build = hostile_build(tmp_path_factory, "html")
    handler = functools.partial(QuietHandler, directory=str(build.outdir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", build.outdir
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def trapped(browser: Any, hostile_site: tuple[str, Path]) -> Iterator[tuple[Any, list[str]]]:
    """A browser context with the ``__pwned`` trap in every page, and the reports it made."""
    site, _outdir = hostile_site
    reports: list[str] = []
    errors: list[str] = []
    context = offline_context(browser, site, errors)
    context.add_init_script(TRAP_JS)

    def on_console(message: Any) -> None:
        if message.text.startswith("PWNED "):
            number = message.text.split()[1]
            field = PAYLOAD_FIELDS.get(int(number), "?") if number.isdigit() else "?"
            reports.append(f"{field} ({number}) on {message.location.get('url', '')}")

    def on_page(page: Any) -> None:
        page.on("console", on_console)

    context.on("page", on_page)
    try:
        yield context, reports
    finally:
        context.close()


def open_page(context: Any, url: str) -> Any:
    """A new tab showing ``url``, loaded (a tab per page: no late navigation of another)."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    return page


def pages_of(site: str, outdir: Path) -> list[str]:
    """The URL of every page of the hostile site."""
    return [site + path.relative_to(outdir).as_posix() for path in site_pages(outdir)]


def test_the_hostile_site_has_every_kind_of_page(hostile_site: tuple[str, Path]) -> None:
    site, outdir = hostile_site
    urls = pages_of(site, outdir)
    for page in ("index.html", "articles/hostile.html", "method.html", "injected.html",
                 "_generated/entities/hostile-co.html", "_generated/entities/hostile-author.html",
                 "ent-companies.html", "genindex.html", "search.html"):
        assert site + page in urls


def test_no_payload_runs_on_load(trapped: tuple[Any, list[str]],
                                 hostile_site: tuple[str, Path]) -> None:
    context, reports = trapped
    site, outdir = hostile_site
    for url in pages_of(site, outdir):
        page = open_page(context, url)
        page.evaluate(EVENTS_JS)
        assert page.evaluate("() => window.__pwned") is None, url
        page.close()
    page = context.new_page()
    # The print layout shows the print-only header (where the theme put the title unescaped).
    page.emulate_media(media="print")
    page.goto(site + "articles/hostile.html", wait_until="load")
    header = page.locator("#jb-print-docs-body h1")
    assert header.is_visible()
    assert "onerror=" in header.inner_text()
    assert reports == []


def test_no_payload_runs_in_search_results(trapped: tuple[Any, list[str]],
                                           hostile_site: tuple[str, Path]) -> None:
    """The search shows titles and summaries of the hostile pages: as text."""
    context, reports = trapped
    site, _outdir = hostile_site
    for query in ("Hostile", "onerror", "pwned", "敌意"):
        page = open_page(context, f"{site}search.html?q={query}")
        page.wait_for_selector("#search-results li", timeout=30_000)
        assert page.locator("#search-results li").count() > 0
        assert page.evaluate("() => window.__pwned") is None, query
        page.close()
    assert reports == []


def test_no_payload_runs_on_any_click(trapped: tuple[Any, list[str]],
                                      hostile_site: tuple[str, Path]) -> None:
    context, reports = trapped
    site, outdir = hostile_site
    clicked = 0
    for url in pages_of(site, outdir):
        page = open_page(context, url)
        page.evaluate(STAY_JS)
        count = page.locator(CLICKABLE).count()
        for index in range(count):
            # A script click: it follows javascript: links and runs handlers of hidden elements
            # too (menus, the print header), which a pointer could not reach.
            page.locator(CLICKABLE).nth(index).evaluate(CLICK_JS, timeout=5000)
            clicked += 1
            page.wait_for_load_state("load")
            for other in context.pages:
                if other is not page:  # a link opened in a new tab
                    other.wait_for_load_state("load")
                    other.close()
            if page.url.split("#")[0] != url:
                # The click left the page: the rest of its elements are clicked on a fresh copy.
                page.close()
                page = open_page(context, url)
                page.evaluate(STAY_JS)
        page.close()
    assert clicked > 100  # every page has its menus, buttons and links
    assert reports == []
