"""Accessibility: axe-core finds no serious or critical violation on the kinds of page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from .pages import ArticleSource, Tab

#: Impacts that fail the test (axe also reports "minor" and "moderate").
BLOCKING = ("serious", "critical")


def page_of_kind(kind: str, articles: list[ArticleSource], html_dir: Path) -> str:
    """The page standing for one kind: the home page, an article, the parallel text, an index."""
    if kind == "home":
        return "index.html"
    if kind == "article":
        return next(a.page for a in articles if a.seed.startswith("000_"))
    if kind == "parallel":
        return next(a.page for a in articles if "{container} parallel" in a.body)
    found = sorted(p.name for p in html_dir.glob("*-companies.html"))
    assert found, "no index of companies"
    return found[0]


def describe(violation: dict[str, Any]) -> str:
    """One violation: rule, impact, what it means and where (first few elements)."""
    where = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:4])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} — at {where}"


@pytest.mark.parametrize("kind", ["home", "article", "parallel", "index"])
def test_no_serious_violations(
    open_tab: Callable[..., Tab],
    site: str,
    html_dir: Path,
    articles: list[ArticleSource],
    kind: str,
) -> None:
    """axe-core (WCAG 2.x A/AA and best practices) reports nothing serious or critical."""
    tab = open_tab()
    tab.goto(site + page_of_kind(kind, articles, html_dir))
    results = Axe().run(tab.page)
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(describe(v) for v in blocking)
