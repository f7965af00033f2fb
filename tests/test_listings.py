"""Listings of every article, made when their page is written, whatever order pages are read in.

The cards, the editorial decisions and the data page leave placeholders that are filled from
the article domain when the page is written (edition/article/placeholders.py, listings.py);
the article domain has their pages written again when an article comes, goes or changes, and
the cards' table of contents is read again when it does not list every article in edition
order. The TEI files are written at the end of the build from the articles' doctrees
(edition/outputs/tei.py). Here, on tests/roots/test-listings (a page named before the articles
folder, one after it): a build read in two processes, and a series of incremental builds — an
article added, one retitled, one moved in the edition's order, one removed — after which every
listing, entity page and TEI file is what a fresh build of the same sources makes.
"""

from __future__ import annotations

import pickle
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from lxml import etree

from edition.outputs.tei import TEI_NS

ROOT = Path(__file__).parent / "roots" / "test-listings"
#: The pages made from every article (and the entity pages the articles' mentions make).
LISTING_PAGES = ("index", "about", "data", "zz-more", "_generated/entities/li-yuan",
                 "_generated/entities/bytedance")

#: A third article, first in the edition's order (its seed sorts first), by a registry person.
THIRD = """---
title: The third text
subtitle: ''
authors: [Li Yuan]
date: '2023-01-02'
date_precision: day
language: [en]
publisher: ''
source_url: ''
original_url: ''
translator: ''
column: ''
image_credits: []
retrieved: ''
seed: 899_sample.txt
seed_sha256: ''
label: third-text
editorial: []
removed: []
---

(third-text)=
# The third text

(third-text-p1)=
The third text also names {ent}`ByteDance <bytedance>`.
"""


def page(out: Path, docname: str) -> BeautifulSoup:
    """A written page."""
    return BeautifulSoup((out / f"{docname}.html").read_text(encoding="utf-8"), "lxml")


def texts(soup: BeautifulSoup, selector: str) -> list[str]:
    """The text of each element the selector finds, in order."""
    return [" ".join(element.get_text(" ", strip=True).split())
            for element in soup.select(selector)]


@dataclass(frozen=True)
class Listed:
    """What the listings of a build show, in order."""

    #: the home page's cards: title | teaser | byline
    cards: list[str]
    #: the articles of the home page's table of contents
    toctree: list[str]
    #: the cards of the page without a table of contents
    more_cards: list[str]
    #: the articles of the editorial decisions
    decisions: list[str]
    #: the TEI files the data page links, with their articles' titles
    data: list[str]
    #: the articles on Li Yuan's page, and those mentioning ByteDance on its page
    authored: list[str]
    mentioning: list[str]
    #: the TEI files written, each with its main title
    tei: dict[str, str]


def listed(app: Any) -> Listed:
    """Read the listings a build wrote."""
    out = Path(app.outdir)
    tei = {}
    for path in sorted((out / "data" / "tei").glob("*.xml")):
        title = etree.parse(str(path)).find(f".//{{{TEI_NS}}}title[@type='main']")
        tei[path.name] = "" if title is None else str(title.text)
    index = page(out, "index")
    return Listed(
        cards=[" | ".join(texts(card, ".sd-card-title, .sd-card-text"))
               for card in index.select(".article-card")],
        toctree=[d for d in app.env.toctree_includes["index"] if d.startswith("articles/")],
        more_cards=texts(page(out, "zz-more"), ".article-card .sd-card-title"),
        decisions=texts(page(out, "about"), "p.editorial-article"),
        data=texts(page(out, "data"), "ul.research-data-tei li"),
        authored=texts(page(out, "_generated/entities/li-yuan"), "ul.entity-articles li"),
        mentioning=texts(page(out, "_generated/entities/bytedance"),
                         "ul.entity-mentions > li > p > a span.article"),
        tei=tei,
    )


def read(app: Any, last: Any) -> list[str]:
    """The documents a build read: those whose time of reading is not the last build's."""
    return sorted(docname for docname, time in app.env.all_docs.items()
                  if last.env.all_docs.get(docname) != time)


def warnings(app: Any) -> list[str]:
    """The build's warnings, but those of node classes registered again in this process."""
    return [line for line in app.warning.getvalue().splitlines()
            if line.strip() and "is already registered" not in line]


def written(out: Path, docname: str) -> str:
    """A written page, as it is."""
    return (out / f"{docname}.html").read_text(encoding="utf-8")


def test_fresh_build_lists_every_article_in_edition_order(
        make_app: Callable[..., Any], tmp_path: Path) -> None:
    """Pages read before and after the articles list them all, in the seeds' order."""
    src = tmp_path / "fresh"
    shutil.copytree(ROOT, src)
    app = make_app("html", srcdir=src, freshenv=True)
    app.build()
    assert warnings(app) == []
    assert listed(app) == Listed(
        cards=["The first text | The first text's lead sentence names ByteDance. | "
               "Li Yuan · 4 March 2025 · English · The New York Times · nytimes.com",
               "The second text | The second text's lead sentence. | 6 May 2024 · English"],
        toctree=["articles/first-text", "articles/second-text"],
        more_cards=["The first text", "The second text"],
        decisions=["The first text", "The second text"],
        data=["first-text.xml : The first text", "second-text.xml : The second text"],
        authored=["The first text"],
        mentioning=["The first text"],
        tei={"first-text.xml": "The first text", "second-text.xml": "The second text"},
    )
    # Sphinx's order: the page listing the articles was read before them.
    assert app.env.all_docs["about"] < app.env.all_docs["articles/first-text"]
    # The TEI files were made as the articles were read, and are not kept in the environment.
    assert app.env.domains["tei"].data["files"] == {}
    kept = pickle.loads((Path(app.doctreedir) / "environment.pickle").read_bytes())
    assert kept.domaindata["tei"]["files"] == {}


@pytest.mark.sphinx("html", testroot="listings", srcdir="listings-parallel", parallel=2,
                    freshenv=True)
def test_a_parallel_read_lists_every_article(app: Any) -> None:
    """Read in two processes, the home page's cards and table of contents hold every article.

    The home page is read in a process that may not have read every article: its table of
    contents is read again once every article is, its cards are made when it is written.
    """
    app.build()
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", status)
    assert warnings(app) == []
    found = listed(app)
    assert found.toctree == ["articles/first-text", "articles/second-text"]
    assert [card.split(" | ")[0] for card in found.cards] == ["The first text",
                                                              "The second text"]
    assert found.decisions == found.more_cards == ["The first text", "The second text"]
    assert found.tei == {"first-text.xml": "The first text", "second-text.xml": "The second text"}


def test_incremental_builds_keep_the_listings_and_tei_files(
        make_app: Callable[..., Any], tmp_path: Path) -> None:
    """An article added, retitled, moved and removed: each build's listings are a fresh one's.

    The listings' pages are written again without being read (their toctree apart, read again
    when the articles or their order changed); the TEI file of each article read is written,
    and the file of an article removed goes.
    """
    src = tmp_path / "incremental"
    shutil.copytree(ROOT, src)
    first = make_app("html", srcdir=src, freshenv=True)
    first.build()
    articles = src / "articles"

    def rebuild(summary: str) -> Any:
        app = make_app("html", srcdir=src)
        app.build()
        assert summary in app.status.getvalue()
        assert warnings(app) == []
        return app

    # Added: first in the edition's order, by Li Yuan, naming ByteDance.
    (articles / "third-text.md").write_text(THIRD, encoding="utf-8")
    added = rebuild("1 added, 0 changed, 0 removed")
    assert read(added, first) == ["articles/third-text", "index"]
    found = listed(added)
    assert found.toctree == ["articles/third-text", "articles/first-text",
                             "articles/second-text"]
    assert found.more_cards == found.decisions == ["The third text", "The first text",
                                                   "The second text"]
    assert found.data[2] == "third-text.xml : The third text"  # by name
    assert found.authored == ["The first text", "The third text"]  # by name
    assert found.mentioning == ["The third text", "The first text"]  # in edition order
    assert found.tei["third-text.xml"] == "The third text"

    # Retitled: the listings are written again, not read again.
    second = articles / "second-text.md"
    second.write_text(second.read_text(encoding="utf-8").replace(
        "The second text", "The second text, retitled"), encoding="utf-8")
    retitled = rebuild("0 added, 1 changed, 0 removed")
    assert read(retitled, added) == ["articles/second-text"]
    found = listed(retitled)
    assert found.more_cards[2] == found.decisions[2] == "The second text, retitled"
    assert found.cards[2].startswith("The second text, retitled | The second text, retitled's")
    assert found.data[1] == "second-text.xml : The second text, retitled"
    assert found.tei["second-text.xml"] == "The second text, retitled"

    # Moved: the first text's seed now sorts last; the home page's toctree is read again.
    text = articles / "first-text.md"
    text.write_text(text.read_text(encoding="utf-8").replace("seed: 900_", "seed: 902_"),
                    encoding="utf-8")
    moved = rebuild("0 added, 1 changed, 0 removed")
    assert read(moved, retitled) == ["articles/first-text", "index"]
    found = listed(moved)
    assert found.toctree == ["articles/third-text", "articles/second-text",
                             "articles/first-text"]
    assert found.more_cards == ["The third text", "The second text, retitled", "The first text"]

    # Removed: gone from every listing; its TEI file goes too.
    (articles / "third-text.md").unlink()
    removed = rebuild("0 added, 0 changed, 1 removed")
    assert read(removed, moved) == ["index"]
    found = listed(removed)
    assert found.toctree == ["articles/second-text", "articles/first-text"]
    assert found.decisions == ["The second text, retitled", "The first text"]
    assert found.authored == found.mentioning == ["The first text"]
    assert "third-text.xml" not in found.tei

    # What the series left is what a fresh build of the same sources writes.
    fresh_src = tmp_path / "fresh"
    shutil.copytree(src, fresh_src, ignore=shutil.ignore_patterns("_build", "_generated"))
    fresh = make_app("html", srcdir=fresh_src, freshenv=True)
    fresh.build()
    assert listed(removed) == listed(fresh)
    out, fresh_out = Path(removed.outdir), Path(fresh.outdir)
    for docname in LISTING_PAGES:
        assert written(out, docname) == written(fresh_out, docname), docname
    for path in sorted((fresh_out / "data" / "tei").glob("*.xml")):
        assert (out / "data" / "tei" / path.name).read_bytes() == path.read_bytes(), path.name
