"""The registers of companies, people and dates: every place leads to text that names it."""

from __future__ import annotations

import json
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

#: A register's links: each head (the name, to its page), then each place under it (``¶N``,
#: ``author``, ``published``) with the title of the text it is in.
ROWS_JS = """() => Array.from(
  document.querySelectorAll('div.edition-register dt'), dt => {
    const head = dt.querySelector('a.register-name');
    const rows = [{sub: false, name: head.textContent.trim(), href: head.href, extra: ''}];
    for (const li of dt.nextElementSibling.querySelectorAll('ul.register-texts > li')) {
      for (const place of li.querySelectorAll('a.register-place')) {
        rows.push({sub: true, name: li.querySelector('.register-text').textContent.trim(),
                   href: place.href, extra: place.textContent.trim()});
      }
    }
    return rows;
  }).flat()"""

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
    #: How the place is named (``¶3``, ``author``, ``published``); ``""`` for a heading.
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


def mention_texts(html_dir: Path) -> dict[tuple[str, str], set[str]]:
    """The words of every dated mention, by date and paragraph address (the research data)."""
    records = json.loads((html_dir / "_static" / "entities.json").read_text(encoding="utf-8"))
    words: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record in records:
        if record["type"] == "date":
            for mention in record["mentions"]:
                words[record["iso"], f"{mention['doc']}.html#{mention['anchor']}"].add(
                    mention["text"])
    return words


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
    """Each place in the date register lands on the paragraph holding that date's words, or on
    the title of the text published that day."""
    tab = open_tab()
    found = entries(tab, site + index_page(html_dir, "dates"))
    places = [e for e in found if e.extra]
    assert places, "the index of dates lists no places"
    words = mention_texts(html_dir)
    for entry, text in follow(tab, found).items():
        assert text is not None, f"{entry.href}: no such anchor"
        if not entry.extra:
            continue  # a date's own entry on the timeline
        if entry.extra.startswith("published"):
            # The article's header gives its date, in words: the year is there.
            assert entry.heading[:4] in text, (entry.heading, entry.href)
            continue
        said = words[entry.heading, entry.href.removeprefix(site)]
        assert said, f"{entry.heading}: {entry.href} is no place of a mention"
        assert any(fold(w) in fold(text) for w in said), (
            f"{entry.heading}: {entry.href} lands on text without {said!r}: {text[:200]!r}"
        )
    assert not tab.errors, tab.errors
