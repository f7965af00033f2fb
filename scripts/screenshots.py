"""Screenshots of the built edition for the README: pages at 1280 and 390 px, and PDF pages.

Run after ``nox -s build``::

    python scripts/screenshots.py

Pages are opened in Debian's headless Chromium (never a downloaded browser) from build/html;
PDF pages are rendered with pdftoppm from build/latex/edition.pdf. The images are written to
docs/_static/screenshots/.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

class Shot(NamedTuple):
    """One screenshot of a web page."""

    #: The image's name (``<name>.png``).
    name: str
    #: The page, relative to the HTML build.
    page: str
    width: int
    height: int
    #: The id of the element scrolled to the top ("" for the top of the page).
    anchor: str = ""
    #: Script run before the screenshot, as a reader's action ("" for none); it gets the page.
    action: str = ""
    #: The address's query ("q=…" for the search page; "" for none).
    query: str = ""


#: The parallel text read in Chinese alone: the switch's 中文 button pressed, the switch in view
#: below the page's sticky header.
READ_CHINESE = """() => {
  const group = document.querySelector('.language-switch');
  group.querySelector('button[value=zh]').click();
  group.scrollIntoView();
  window.scrollBy(0, -64);
}"""
#: On a phone: open the first note and press the cite button of paragraph 2 ("copied").
CITE_ON_PHONE = """() => {
  document.querySelector('article label.margin-toggle').click();
  document.querySelector('button.para-cite[data-paragraph$="-p2"]').click();
}"""

#: The search page once its results are shown (the index loads from file:// too).
SEARCH_DONE = """async () => {
  const out = document.getElementById('search-results');
  while (out.dataset.state !== 'done') await new Promise((resolve) => setTimeout(resolve, 20));
}"""
#: The search page on a phone with its filters open, once its results are shown.
SEARCH_FILTERS = """async () => {
  document.querySelector('.edition-search-filters').open = true;
  const out = document.getElementById('search-results');
  while (out.dataset.state !== 'done') await new Promise((resolve) => setTimeout(resolve, 20));
}"""

#: The web pages of the README.
PAGES: tuple[Shot, ...] = (
    Shot("home-1280", "index.html", 1280, 1000),
    Shot("home-390", "index.html", 390, 844),
    Shot("article-1280", "articles/tiktok-red-note-china-internet.html", 1280, 1000,
         "tiktok-red-note-china-internet-p1"),
    Shot("article-390", "articles/china-internet-at-thirty.html", 390, 844),
    Shot("article-cite-390", "articles/tiktok-red-note-china-internet.html", 390, 844,
         "tiktok-red-note-china-internet-p1", CITE_ON_PHONE),
    Shot("parallel-1280", "articles/silicon-valley-china-envy.html", 1280, 1000,
         "silicon-valley-china-envy-p2"),
    Shot("parallel-zh-1280", "articles/silicon-valley-china-envy.html", 1280, 1000,
         action=READ_CHINESE),
    Shot("parallel-390", "articles/silicon-valley-china-envy.html", 390, 844,
         "silicon-valley-china-envy-p2"),
    Shot("register-1280", "ent-companies.html", 1280, 1000),
    Shot("search-1280", "search.html", 1280, 1000, action=SEARCH_DONE,
         query="q=%E5%AD%97%E8%8A%82%E8%B7%B3%E5%8A%A8"),
    Shot("search-390", "search.html", 390, 844, action=SEARCH_FILTERS,
         query="q=zhang%20yiming&language=zh-Hans"),
)
#: (image name, words on the PDF page to show; "" for the title page): an article's opening
#: and the parallel columns.
PDF_PAGES: tuple[tuple[str, str], ...] = (
    ("pdf-article", "上周，约50万美国用户"),
    ("pdf-parallel", "Some have called for an American"),
)


def shoot_pages(html: Path, out: Path) -> None:
    """Screenshot each page of :data:`PAGES`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for shot in PAGES:
                page = browser.new_page(viewport={"width": shot.width, "height": shot.height})
                address = (html / shot.page).as_uri()
                page.goto(f"{address}?{shot.query}" if shot.query else address)
                page.wait_for_load_state("load")
                if shot.action:
                    page.evaluate(shot.action)
                if shot.anchor:
                    # Scrolled rather than opened at the anchor, which would highlight it.
                    page.evaluate("id => document.getElementById(id).scrollIntoView()",
                                  shot.anchor)
                page.wait_for_timeout(500)
                page.screenshot(path=str(out / f"{shot.name}.png"))
                page.close()
        finally:
            browser.close()


def page_with(pdf: Path, words: str) -> int:
    """The number of the first PDF page holding ``words`` (1 for ``""``)."""
    if not words:
        return 1
    number = 1
    while True:
        result = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
                                capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise SystemExit(f"error: {pdf}: no page holds {words!r}")
        if words in " ".join(result.stdout.split()):
            return number
        number += 1


def render_pdf_pages(pdf: Path, out: Path) -> None:
    """Render each page of :data:`PDF_PAGES` at 80 dpi."""
    for name, words in PDF_PAGES:
        number = page_with(pdf, words)
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(number), "-l", str(number),
             str(pdf), str(out / name)],
            check=True,
        )


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "build" / "html")
    parser.add_argument("--pdf", type=Path, default=ROOT / "build" / "latex" / "edition.pdf")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "_static" / "screenshots")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--pdf-only", action="store_true",
                      help="render the PDF pages only, not the web pages")
    only.add_argument("--web-only", action="store_true",
                      help="take the web pages only (no PDF needed)")
    args = parser.parse_args(argv)
    if not (args.html / "index.html").is_file() or not (args.web_only or args.pdf.is_file()):
        print("error: build the edition first (nox -s build)", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.pdf_only:
        shoot_pages(args.html, args.out)
    if not args.web_only:
        render_pdf_pages(args.pdf, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
