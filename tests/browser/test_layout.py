"""Reading layout in the browser: sidenotes, the parallel text, and ¶ anchors."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from .pages import DESKTOP, MAIN, PHONE, ArticleSource, Tab

#: Each sidenote in the margin with the boxes of its reference mark and of the text block
#: holding both (a note moved under its paragraph is tests/browser/test_reading_layout.py's).
SIDENOTES_JS = f"""() => Array.from(document.querySelectorAll(
    '{MAIN} span.sidenote:not(.sidenotes-below > *)'), note => {{
  const box = e => {{ const r = e.getBoundingClientRect();
    return {{left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY,
             width: r.width, height: r.height}}; }};
  const toggle = note.previousElementSibling;
  const mark = document.querySelector(`label[for="${{toggle.id}}"]`);
  const block = note.parentElement.closest('p, li, figcaption, dd, div');
  return {{text: note.textContent.trim().slice(0, 60), note: box(note), mark: box(mark),
           block: box(block), lineHeight: parseFloat(getComputedStyle(block).lineHeight),
           viewport: innerWidth}};
}})"""

#: Each parallel pair: the boxes of its language blocks, in document order, with their lang.
PAIRS_JS = f"""() => Array.from(document.querySelectorAll('{MAIN} div.parallel'), pair =>
  Array.from(pair.querySelectorAll(':scope > [lang]'), side => {{
    const r = side.getBoundingClientRect();
    return {{lang: side.lang, left: r.left, right: r.right, top: r.top, bottom: r.bottom,
             width: r.width}};
  }}))"""

#: True once no transition or animation is running on the element.
SETTLED_JS = """(id) => document.getElementById(id).getAnimations().length === 0"""

#: The target paragraph: whether it is :target, visible at the top of the window, and styled.
TARGET_JS = """(id) => {
  const el = document.getElementById(id);
  const r = el.getBoundingClientRect();
  const probe = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + 4);
  const style = getComputedStyle(el);
  const others = Array.from(document.querySelectorAll('p[id]')).filter(p => p !== el);
  const plain = others.length ? getComputedStyle(others[others.length - 1]) : null;
  const look = s => s && [s.backgroundColor, s.outlineStyle, s.outlineWidth, s.boxShadow,
                          s.borderLeftStyle, s.borderLeftColor].join(' ');
  return {isTarget: el.matches(':target'), top: r.top, bottom: r.bottom, height: innerHeight,
          onTop: probe !== null && el.contains(probe), look: look(style), plainLook: look(plain),
          background: style.backgroundColor, outline: style.outlineStyle,
          shadow: style.boxShadow};
}"""


def with_footnotes(articles: list[ArticleSource]) -> list[ArticleSource]:
    """Articles whose source has footnotes."""
    return [a for a in articles if re.search(r"^\[\^\w+\]:", a.body, re.MULTILINE)]


def parallel_articles(articles: list[ArticleSource]) -> list[ArticleSource]:
    """Articles with parallel pairs (seed 002)."""
    return [a for a in articles if "{container} parallel" in a.body]


def test_footnotes_are_sidenotes_beside_their_paragraph(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 1280 px every footnote sits in the right margin, level with its reference."""
    annotated = with_footnotes(articles)
    assert annotated, "no article has footnotes"
    tab = open_tab(DESKTOP)
    for article in annotated:
        tab.goto(site + article.page)
        notes = tab.page.evaluate(SIDENOTES_JS)
        below = tab.page.locator(f"{MAIN} .sidenotes-below > span.sidenote").count()
        footnotes = len(re.findall(r"^\[\^\w+\]:", article.body, re.MULTILINE))
        assert len(notes) + below >= footnotes, (
            f"{article.slug}: {len(notes)} + {below} sidenotes for {footnotes}")
        previous_bottom = 0.0
        for note in notes:
            where = f"{article.slug}: sidenote {note['text']!r}"
            box, mark, block = note["note"], note["mark"], note["block"]
            assert box["width"] > 50 and box["height"] > 0, f"{where} is not shown"
            assert box["left"] >= block["right"] - 1, f"{where} overlaps its paragraph: {note}"
            assert box["right"] <= note["viewport"], f"{where} runs off the window: {note}"
            # Level with the reference's line, unless the note above pushes it down.
            expected_top = max(mark["top"], previous_bottom)
            assert abs(box["top"] - expected_top) <= 2 * note["lineHeight"], (
                f"{where} is not beside its reference: {note}"
            )
            previous_bottom = box["bottom"]
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_parallel_text_columns(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], width: int
) -> None:
    """The parallel text is two aligned columns at 1280 px and one column at 390 px."""
    pages = parallel_articles(articles)
    assert pages, "no article has parallel text"
    tab = open_tab(width)
    for article in pages:
        tab.goto(site + article.page)
        pairs = tab.page.evaluate(PAIRS_JS)
        assert len(pairs) == article.body.count("{container} parallel")
        for number, (first, second) in enumerate(pairs, 1):
            where = f"{article.slug} pair {number}"
            # BCP 47 tags are case-insensitive; docutils writes them in lower case.
            languages = {lang.lower() for lang in article.meta["language"]}
            assert {first["lang"].lower(), second["lang"].lower()} == languages, where
            assert first["width"] > 0 and second["width"] > 0, where
            if width == DESKTOP:
                assert first["right"] <= second["left"] + 1, f"{where} not side by side"
                assert abs(first["top"] - second["top"]) <= 1, f"{where} tops not aligned"
                assert first["width"] > 200 and second["width"] > 200, f"{where} too narrow"
            else:
                assert second["top"] >= first["bottom"] - 1, f"{where} not stacked"
                assert abs(first["left"] - second["left"]) <= 1, f"{where} not one column"
                assert second["right"] <= width, f"{where} wider than the window"
    assert not tab.errors, tab.errors


def test_paragraph_anchor_scrolls_and_highlights(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Opening ``article.html#<slug>-p3`` shows that paragraph, highlighted, below the header."""
    tab = open_tab(DESKTOP, 700)
    checked = 0
    for article in articles:
        anchor = f"{article.slug}-p3"
        if f"({anchor})=" not in article.body:
            continue
        tab.goto(f"{site}{article.page}#{anchor}")
        # The highlight may fade in (a CSS transition): wait for it to settle.
        tab.page.wait_for_function(SETTLED_JS, arg=anchor, timeout=5_000)
        state = tab.page.evaluate(TARGET_JS, anchor)
        where = f"{article.slug}#{anchor}"
        assert state["isTarget"], f"{where} is not the :target"
        assert 0 <= state["top"] < state["height"], f"{where} not scrolled into view: {state}"
        assert state["onTop"], f"{where} is hidden under something (a sticky header?): {state}"
        highlighted = (
            state["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
            or state["outline"] != "none"
            or state["shadow"] != "none"
        )
        assert highlighted, f"{where} has no visible :target style: {state}"
        assert state["look"] != state["plainLook"], f"{where} looks like any paragraph: {state}"
        checked += 1
    assert checked, "no article has a third paragraph label"
    assert not tab.errors, tab.errors
