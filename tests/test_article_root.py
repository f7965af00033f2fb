"""The article components on a small root (tests/roots/test-article): header, cards, anchors,
the method page; one build shared by the module, and ``confoverrides`` for what a setting changes.

The full build of docs/ (tests/test_build_html.py) stays the smoke test of the real edition.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from edition_builds import Build, root_build

ROOT_ARTICLE = Path(__file__).parent / "roots" / "test-article" / "articles" / "sample.md"


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """tests/roots/test-article, built once."""
    return root_build(tmp_path_factory.mktemp("article"), "article")


def body(build: Build, name: str) -> Tag:
    """The content of a built page, without the theme's navigation."""
    soup = BeautifulSoup((build.outdir / f"{name}.html").read_text(encoding="utf-8"), "lxml")
    main = soup.select_one("div[role=main]")
    assert main is not None
    return main


def test_the_root_builds_without_warnings(build: Build) -> None:
    """The sample article is in the edition's format: nothing to warn about."""
    assert build.warnings.strip() == ""


def test_article_header_shows_the_front_matter(build: Build) -> None:
    """Authors, the source as a link, and a target for each editorial decision."""
    header = body(build, "articles/sample").select_one(".article-header")
    assert header is not None
    text = header.get_text(" ", strip=True)
    assert "袁莉" in text and "纽约时报中文网" in text and "新新世界" in text
    source = "https://cn.nytimes.com/technology/20250304/silicon-valley-china/zh-hant/dual/"
    assert header.select_one(f"a[href='{source}']") is not None
    for field in ("authors", "title"):
        assert header.find(id=f"sample-editorial-{field}") is not None
    assert "Removed from the source: advertisement, feed footer" in text


def test_card_summary_is_the_first_sentence_and_links_the_article(build: Build) -> None:
    """Without a subtitle, the card says the article's first full sentences and leads to it."""
    cards = body(build, "index").select(".article-card")
    assert len(cards) == 1
    assert [a["href"] for a in cards[0].select("a[href]")] == ["articles/sample.html"]
    summary = cards[0].select_one(".sd-card-body .sd-card-text")
    assert summary is not None
    # A short first sentence is followed by the next (edition/article/teaser.py: TEASER_MIN).
    assert summary.get_text(strip=True) == (
        "Silicon Valley has a China envy problem, said a post by Andreessen Horowitz. "
        "This sample stands in for a converted article.")
    byline = cards[0].select_one(".article-card-byline")
    assert byline is not None and "4 March 2025" in byline.get_text()


def test_every_labelled_block_has_a_visible_anchor(build: Build) -> None:
    """Each ``(slug-pN)=`` or ``:name: slug-pN`` of the page is a target with one ¶ link."""
    source = ROOT_ARTICLE.read_text(encoding="utf-8")
    labels = re.findall(r"^\((sample-p\d+)\)=$", source, re.M)
    labels += re.findall(r"^:name: (sample-p\d+)$", source, re.M)
    assert len(labels) == 2
    page = body(build, "articles/sample")
    for label in labels:
        target = page.find(id=label)
        assert isinstance(target, Tag), label
        anchors = [a for a in target.select("a.para-anchor") if a["href"] == f"#{label}"]
        assert len(anchors) == 1, label
        assert anchors[0].get_text() == "¶"


def test_method_page_lists_the_article_and_each_removal(build: Build) -> None:
    """The method page links every article and lists each decision and removal."""
    method = body(build, "method")
    linked = [a["href"] for a in method.select("p.editorial-article a[href]")]
    assert linked == ["articles/sample.html"]
    items = [li.get_text(" ", strip=True) for li in method.select("li")]
    assert len([i for i in items if i.startswith("Removed")]) == 2
    assert len([i for i in items if i.startswith("Supplied")]) == 2


@pytest.mark.sphinx("html", testroot="article", confoverrides={"edition_articles": "elsewhere"})
def test_cards_without_articles_warn(app: Any) -> None:
    """An ``edition_articles`` folder holding no page: the cards directive says so, located."""
    app.build()
    warnings = app.warning.getvalue()
    assert re.search(r"index\.md:\d+: WARNING: no articles found \(edition_articles = "
                     r"'elsewhere'\)", warnings), warnings


@pytest.mark.sphinx("html", testroot="article", confoverrides={"edition_method_page": ""})
def test_header_without_a_method_page_links_none(app: Any) -> None:
    """``edition_method_page`` empty: the header keeps its rows and links no method page."""
    app.build()
    soup = BeautifulSoup((Path(app.outdir) / "articles" / "sample.html").read_text("utf-8"),
                         "lxml")
    header = soup.select_one(".article-header")
    assert header is not None and "纽约时报中文网" in header.get_text()
    assert not [a for a in header.select("a[href]") if "method" in a["href"]]


def test_header_links_the_method_page(build: Build) -> None:
    """With the default ``edition_method_page``, the header links it (the case above differs)."""
    header = body(build, "articles/sample").select_one(".article-header")
    assert header is not None
    assert [a for a in header.select("a[href]") if a["href"].startswith("../method.html")]
