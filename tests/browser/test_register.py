"""The register in the browser: the overview filters and sorts; the timeline reads on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .pages import DESKTOP, PHONE, Tab

#: The overview page of every entity.
OVERVIEW = "_generated/entities/index.html"
#: Names in the visible rows of the overview, in order.
VISIBLE_NAMES_JS = """() => Array.from(
  document.querySelectorAll('table.entity-overview tbody tr'))
  .filter(tr => !tr.hidden).map(tr => tr.cells[0].textContent.trim())"""
#: A column of the visible rows, as text.
COLUMN_JS = """(index) => Array.from(
  document.querySelectorAll('table.entity-overview tbody tr'))
  .filter(tr => !tr.hidden).map(tr => tr.cells[index].textContent.trim())"""
#: Rendered height, in CSS pixels, of the smallest year label of the timeline chart.
LABEL_HEIGHT_JS = """() => Math.min(...Array.from(
  document.querySelectorAll('svg.edition-timeline text'))
  .filter(t => /^\\d{4}$/.test(t.textContent))
  .map(t => t.getBoundingClientRect().height))"""


def test_overview_filters_by_any_name(open_tab: Callable[..., Tab], site: str) -> None:
    """Typing pinyin without tones, or a Traditional name, keeps only the matching rows."""
    tab = open_tab()
    tab.goto(site + OVERVIEW)
    every = tab.page.evaluate(VISIBLE_NAMES_JS)
    assert len(every) > 100
    box = tab.page.get_by_role("searchbox")
    box.fill("zhang yi")
    assert tab.page.evaluate(VISIBLE_NAMES_JS) == ["Zhang Yiming"]
    box.fill("字節跳動")
    assert tab.page.evaluate(VISIBLE_NAMES_JS) == ["ByteDance"]
    box.fill("")
    assert tab.page.evaluate(VISIBLE_NAMES_JS) == every
    assert not tab.errors, tab.errors


def test_overview_sorts_by_mentions(open_tab: Callable[..., Tab], site: str) -> None:
    """Choosing "Mentions" sorts the rows by their number, then the other way round."""
    tab = open_tab()
    tab.goto(site + OVERVIEW)
    button = tab.page.get_by_role("button", name="Mentions")
    button.click()
    counts = [int(c) for c in tab.page.evaluate(COLUMN_JS, 5)]
    assert counts == sorted(counts)
    button.click()
    counts = [int(c) for c in tab.page.evaluate(COLUMN_JS, 5)]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    header = tab.page.locator("table.entity-overview th", has=button)
    assert header.get_attribute("aria-sort") == "descending"
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_timeline_labels_are_legible(
    open_tab: Callable[..., Tab], site: str, width: int
) -> None:
    """The chart's year labels are at least 11 px high on a laptop and on a phone."""
    tab = open_tab(width=width)
    tab.goto(site + "_generated/timeline.html")
    height = tab.page.evaluate(LABEL_HEIGHT_JS)
    assert height >= 11, f"{width} px: year labels {height:.1f} px high"
    overflow = tab.page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"{width} px: the page scrolls sideways by {overflow} px"


def test_overview_fits_a_phone(open_tab: Callable[..., Tab], site: str) -> None:
    """At 390 px the wide table scrolls inside the column; the page does not scroll sideways."""
    tab = open_tab(width=PHONE)
    tab.goto(site + OVERVIEW)
    overflow = tab.page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    assert tab.page.get_by_role("searchbox").is_visible()
