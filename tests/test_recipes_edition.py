"""The recipes "add an index kind" and "add an output", followed in a test root's conf.py only."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).parent / "roots" / "test-recipes-edition"


@pytest.mark.sphinx("html", testroot="recipes-edition", freshenv=True)
def test_a_new_index_kind_gets_its_page(app: Any, warning: Any) -> None:
    """The toy index of years, registered with add_index_to_domain, is a page linked from home."""
    app.build()
    assert "WARNING" not in warning.getvalue()
    out = Path(app.outdir)
    page = BeautifulSoup((out / "ent-years.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("h1").get_text(strip=True) == "Index of years"
    register = page.select_one("div.edition-register")
    assert register is not None
    groups = [h2.get_text(strip=True) for h2 in register.select("h2")]
    assert groups == ["2020s"]
    heads = {a.get_text(strip=True): a["href"] for a in register.select("dt a.register-name")}
    # Each year points at its entry in the timeline, which the edition generates.
    assert heads == {"2020": "_generated/timeline.html#year-2020",
                     "2025": "_generated/timeline.html#year-2025"}
    # The years' places are the paragraphs that mention a date of that year, one line per
    # text, each paragraph a link.
    places: dict[str, list[str]] = {}
    for dt in register.select("dt"):
        year = dt.select_one("a.register-name").get_text(strip=True)
        places[year] = [str(a["href"]) for a in
                        dt.find_next_sibling("dd").select("a.register-place")]
    assert "articles/red-note.html#red-note-p3" in places["2020"]  # 2020
    assert "articles/tiktok-run.html#tiktok-run-p1" in places["2020"]  # 2020-07
    assert "articles/red-note.html#red-note-p2" in places["2025"]  # 2025-01-21
    home = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "lxml")
    assert home.find("a", href="ent-years.html") is not None


@pytest.mark.sphinx("latex", testroot="recipes-edition", freshenv=True,
                    confoverrides={"latex_engine": "xelatex"})
def test_a_new_index_kind_is_printed_by_latex(app: Any, warning: Any) -> None:
    """With ``latex_domain_indices`` on (Sphinx's default), the .tex prints the toy index too."""
    app.build()
    assert "WARNING" not in warning.getvalue()
    tex = (Path(app.outdir) / "recipestest.tex").read_text(encoding="utf-8")
    title = r"\renewcommand{\indexname}{Index of years}"
    assert tex.count(title) == 1
    index = tex.split(title, 1)[1].split(r"\end{sphinxtheindex}", 1)[0]
    assert re.findall(r"\\bigletter\{([^}]*)\}", index) == ["2020s"]
    entries = re.findall(r"\\sphinxstyleindexentry\{((?:[^{}]|\{\})*)\}.*?"
                         r"\\sphinxstyleindexpageref\{([^:}]+):\\detokenize\{([^}]+)\}\}", index)
    # Each year points at its entry in the timeline, its places at the texts mentioning it.
    heads = [(head, f"{doc}#{anchor}") for head, doc, anchor in entries if head.isdigit()]
    assert heads == [("2020", "_generated/timeline#year-2020"),
                     ("2025", "_generated/timeline#year-2025")]
    places = {f"{doc}#{anchor}" for head, doc, anchor in entries if not head.isdigit()}
    assert "articles/red-note#red-note-p3" in places  # 2020


@pytest.mark.sphinx("articlelist", testroot="recipes-edition", freshenv=True)
def test_a_new_output_builder_runs_on_the_domain(app: Any) -> None:
    """The toy builder, added from conf.py, writes its file from the article domain's data."""
    app.build()
    listed = json.loads((Path(app.outdir) / "articles.json").read_text(encoding="utf-8"))
    assert [a["docname"] for a in listed] == [
        "articles/china-envy", "articles/red-note", "articles/tiktok-run"]
    sources = {path.stem: path.read_text(encoding="utf-8")
               for path in (ROOT / "articles").glob("*.md")}
    for article in listed:
        text = sources[article["docname"].split("/")[1]]
        assert f"date: '{article['date']}'" in text
        assert f"title: {article['title']}" in text
