"""Citing in the browser: ¶ numbers in the margin, the paragraph citation on the clipboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import offline_context
from .pages import DESKTOP, ArticleSource

#: Each paragraph number (its link's box) with the box of its paragraph's text. The number a
#: pair's later language shows when read alone is the view's (tests/browser/test_reading.py).
NUMBERS_JS = """() => Array.from(
    document.querySelectorAll(':not(.para-number-translation) > a.para-number-link'), link => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY,
            width: r.width, height: r.height}; };
  const para = link.closest('.has-para-number');
  const style = getComputedStyle(link);
  return {text: link.textContent, number: box(link), para: box(para),
          visible: style.visibility !== 'hidden' && style.display !== 'none'
                   && parseFloat(style.opacity) > 0.3};
})"""
#: The boxes of the sidenotes and of the primary sidebar.
OBSTACLES_JS = """() => Array.from(
  document.querySelectorAll('span.sidenote, span.marginnote, .bd-sidebar-primary'), e => {
    const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY};
  }).filter(b => b.right > b.left && b.bottom > b.top)"""
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two boxes share any area."""
    return (min(a["right"], b["right"]) > max(a["left"], b["left"])
            and min(a["bottom"], b["bottom"]) > max(a["top"], b["top"]))


@pytest.fixture
def clipboard_tab(browser: Any, site: str) -> Iterator[tuple[Any, list[str]]]:
    """A desktop tab allowed to read what the page puts on the clipboard."""
    errors: list[str] = []
    context = offline_context(browser, site, errors, viewport={"width": DESKTOP, "height": 900},
                              permissions=["clipboard-read", "clipboard-write"])
    try:
        yield context.new_page(), errors
    finally:
        context.close()


def test_numbers_are_visible_in_the_margin(open_tab: Any, site: str,
                                           articles: list[ArticleSource]) -> None:
    """At 1280 px every ¶N is shown left of its paragraph, clear of sidenotes and sidebar."""
    tab = open_tab(DESKTOP)
    for article in articles:
        tab.goto(f"{site}articles/{article.slug}.html")
        numbers = tab.page.evaluate(NUMBERS_JS)
        labels = re.findall(r"(?:^\(|:name: )[a-z0-9-]+-p(\d+)\)?=?$", article.body,
                            flags=re.MULTILINE)
        assert [n["text"] for n in numbers] == [f"¶{n}" for n in labels], article.slug
        obstacles = tab.page.evaluate(OBSTACLES_JS)
        for number in numbers:
            box = number["number"]
            assert number["visible"] and box["width"] > 0 and box["left"] >= 0, number
            assert box["right"] <= number["para"]["left"] + 1, number
            assert not [o for o in obstacles if overlap(box, o)], (article.slug, number)
        assert tab.errors == []


def test_paragraph_cite_button_copies_its_citation(clipboard_tab: tuple[Any, list[str]],
                                                   site: str) -> None:
    page, errors = clipboard_tab
    page.goto(f"{site}articles/tiktok-run.html", wait_until="load")
    article = page.locator(".edition-citation-text").inner_text()
    assert "YYYY" not in article
    accessed = page.locator(".edition-accessed").inner_text()
    assert ISO_DAY.fullmatch(accessed)
    page.locator("#tiktok-run-p3").hover()
    page.locator('button.para-cite[data-paragraph="tiktok-run-p3"]').click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    address = "https://china-internet-edition.github.io/edition/articles/tiktok-run.html"
    assert copied == " ".join(article.split()).replace(
        f"{address} (accessed", f"¶3, {address}#tiktok-run-p3 (accessed")
    assert copied.startswith("“TikTok 快跑")
    assert errors == []


def test_copy_citation_button(clipboard_tab: tuple[Any, list[str]], site: str) -> None:
    page, errors = clipboard_tab
    page.goto(f"{site}articles/tiktok-run.html", wait_until="load")
    page.get_by_role("button", name="Copy BibTeX").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied.startswith("@article{tiktok-run,") and copied.rstrip().endswith("}")
    page.get_by_role("button", name="Copy citation").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "YYYY" not in copied and ISO_DAY.search(copied)
    assert errors == []
