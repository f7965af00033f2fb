"""The indices of companies, people and dates: every entry leads to a place that names it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import opencc
import pytest

from .pages import Tab

#: The three indices, by the name Sphinx gives their pages (``<domain>-<name>.html``).
INDICES = ("companies", "people", "dates")

#: Index rows: Sphinx's domain-index table; sub-entries carry a ``cg-N`` class.
ROWS_JS = """() => Array.from(document.querySelectorAll('table.indextable tr'), tr => {
  const link = tr.querySelector('a[href]');
  const extra = tr.querySelector('td:nth-child(2) em');
  return link && {sub: /(^|\\s)cg-\\d+/.test(tr.className), name: link.textContent.trim(),
                  href: link.href, extra: extra ? extra.textContent.trim() : ''};
}).filter(Boolean)"""

#: The text of the element a fragment names: the block holding it when it is an inline.
TARGET_TEXT_JS = """(id) => {
  const el = document.getElementById(id);
  if (!el) return null;
  const inline = getComputedStyle(el).display.startsWith('inline');
  const block = inline ? el.parentElement.closest('p, li, dd, div, section') : el;
  return block.textContent;
}"""

_T2S = opencc.OpenCC("t2s")


def fold(text: str) -> str:
    """Compare names across scripts and case: Simplified, casefolded, spaces squashed."""
    return " ".join(_T2S.convert(text).casefold().split())


@dataclass(frozen=True)
class Entry:
    """One index entry: a heading (entity or date) or a place under it."""

    #: The heading this entry belongs to (its own name for a heading).
    heading: str
    #: Link target.
    href: str
    #: Sphinx's "extra" text: for a place, ``¶N`` and the words of the mention.
    extra: str


def index_page(html_dir: Path, name: str) -> str:
    """The file name of an index page, whatever the domain's name."""
    found = sorted(p.name for p in html_dir.glob(f"*-{name}.html"))
    assert len(found) == 1, f"index of {name}: expected one *-{name}.html, found {found}"
    return found[0]


def entries(tab: Tab, url: str) -> list[Entry]:
    """Every linked entry of an index page, each with its heading."""
    tab.goto(url)
    heading = ""
    found = []
    for row in tab.page.evaluate(ROWS_JS):
        if not row["sub"]:
            heading = row["name"]
        found.append(Entry(heading, row["href"], row["extra"]))
    return found


def names_by_label(registry: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Every name of each entity (labels and aliases), keyed by its preferred label."""
    names: dict[str, list[str]] = {}
    for entity in registry:
        labels = entity.get("labels") or {}
        every = [entity["label"], *labels.values(), *(entity.get("aliases") or [])]
        names[entity["label"]] = [fold(n) for n in every if n]
    return names


def mention_words(extra: str) -> str:
    """The words of the mention in a place's extra text (``(¶3 2025年)`` → ``2025年``).

    A publication date's extra is the date as the article's header writes it (``([2024])``).
    """
    inner = extra.removeprefix("(").removesuffix(")")
    first, _, rest = inner.partition(" ")
    return rest if first.startswith(("¶", "§", "fig")) else inner


def follow(tab: Tab, found: list[Entry]) -> dict[Entry, str | None]:
    """The text each entry's link lands on (``None`` when the fragment is missing)."""
    by_page: dict[str, list[Entry]] = defaultdict(list)
    for entry in found:
        by_page[urldefrag(entry.href)[0]].append(entry)
    landed: dict[Entry, str | None] = {}
    for page, group in by_page.items():
        tab.goto(page)
        for entry in group:
            landed[entry] = tab.page.evaluate(TARGET_TEXT_JS, urldefrag(entry.href)[1])
    return landed


@pytest.mark.parametrize("name", ["companies", "people"])
def test_entity_index_entries_land_on_the_entity(
    open_tab: Callable[..., Tab],
    site: str,
    html_dir: Path,
    registry: list[dict[str, Any]],
    name: str,
) -> None:
    """Each entry of the company and people indices lands on text naming that entity."""
    tab = open_tab()
    found = entries(tab, site + index_page(html_dir, name))
    assert found, f"the index of {name} is empty"
    names = names_by_label(registry)
    unknown = {e.heading for e in found} - names.keys()
    assert not unknown, f"index headings that are no registry label: {unknown}"
    for entry, text in follow(tab, found).items():
        assert text is not None, f"{entry.href}: no such anchor"
        assert any(n in fold(text) for n in names[entry.heading]), (
            f"{entry.heading}: {entry.href} lands on text not naming it: {text[:200]!r}"
        )
    assert not tab.errors, tab.errors


def test_date_index_entries_land_on_the_date(
    open_tab: Callable[..., Tab], site: str, html_dir: Path
) -> None:
    """Each place in the date index lands on the paragraph holding that date's words."""
    tab = open_tab()
    found = entries(tab, site + index_page(html_dir, "dates"))
    places = [e for e in found if e.extra]
    assert places, "the index of dates lists no places"
    for entry, text in follow(tab, found).items():
        assert text is not None, f"{entry.href}: no such anchor"
        words = mention_words(entry.extra) if entry.extra else entry.heading
        assert fold(words) in fold(text), (
            f"{entry.heading}: {entry.href} lands on text without {words!r}: {text[:200]!r}"
        )
    assert not tab.errors, tab.errors
