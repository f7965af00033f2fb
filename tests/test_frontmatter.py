"""Front matter: parsed once per document per build, and read by every component from the domain."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

import converters.common.yamlsafe
import edition.article.frontmatter
from converters.model import FRONT_MATTER_FIELDS, header_fields

ARTICLES = ("first-text", "second-text")


def _caller_package(depth: int = 2) -> str:
    """The top two levels of the module that called the patched function."""
    name = str(sys._getframe(depth).f_globals.get("__name__", ""))
    return ".".join(name.split(".")[:2])


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, app: Any) -> dict[str, Counter[str]]:
    """Count, per article, disk reads of its file (by reading module), parses and YAML loads."""
    counts: dict[str, Counter[str]] = {slug: Counter() for slug in ARTICLES}
    articles = {str(Path(app.srcdir, "articles", f"{slug}.md")): slug for slug in ARTICLES}

    def reading(original: Any) -> Any:
        def read(self: Path, *args: Any, **kwargs: Any) -> Any:
            slug = articles.get(str(self))
            if slug:
                counts[slug][f"read by {_caller_package()}"] += 1
            return original(self, *args, **kwargs)
        return read

    monkeypatch.setattr(Path, "read_text", reading(Path.read_text))
    monkeypatch.setattr(Path, "read_bytes", reading(Path.read_bytes))

    parse = edition.article.frontmatter.parse_front_matter

    def counting_parse(text: str) -> dict[str, Any] | None:
        for slug in ARTICLES:
            if f"\nlabel: {slug}\n" in text:
                counts[slug]["parsed"] += 1
        return parse(text)

    monkeypatch.setattr(edition.article.frontmatter, "parse_front_matter", counting_parse)
    scan = converters.common.yamlsafe.scan

    def counting_scan(text: str, *args: Any, **kwargs: Any) -> None:
        for slug in ARTICLES:
            if f"\nlabel: {slug}" in f"\n{text}":
                counts[slug]["YAML loaded"] += 1
        scan(text, *args, **kwargs)

    monkeypatch.setattr(converters.common.yamlsafe, "scan", counting_scan)
    return counts


@pytest.mark.sphinx("html", testroot="frontmatter", freshenv=True)
def test_front_matter_is_read_once_per_build(app: Any, counted: dict[str, Counter[str]]) -> None:
    """Each article's front matter is parsed once; its file is read by Sphinx (and the encoding
    check) only, not again by the header, cards, citation, entities, export or TEI."""
    app.build()
    for slug in ARTICLES:
        assert counted[slug] == Counter({
            "read by sphinx.builders": 1,  # Sphinx reads the page
            "read by edition.security": 1,  # the check for bytes that are not UTF-8
            "parsed": 1,
            "YAML loaded": 1,
        }), slug
    # Everything was built from that one reading.
    out = Path(app.outdir)
    first = BeautifulSoup((out / "articles/first-text.html").read_text(encoding="utf-8"), "lxml")
    assert first.select_one(".article-header") is not None
    assert first.find(id="first-text-cite") is not None
    assert (out / "articles/first-text.bib").is_file()


@pytest.mark.sphinx("html", testroot="frontmatter", freshenv=True)
def test_listings_find_every_article_from_the_domain(app: Any) -> None:
    """Cards and the editorial decisions list both articles, even on a page read before them."""
    app.build()
    out = Path(app.outdir)
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "lxml")
    cards = {card.select_one(".sd-card-title").get_text(strip=True):
             card.select_one(".sd-card-text").get_text(strip=True)
             for card in index.select(".article-card")}
    # The opening's full sentences (kept in the domain at source-read) when there is no dek:
    # short ones are joined, across paragraphs, up to three.
    assert cards == {"The first text": "Its lead sentence is the card's summary. A second "
                                       "sentence is not. A second paragraph.",
                     "第二篇": "A dek of its own"}
    about = BeautifulSoup((out / "about.html").read_text(encoding="utf-8"), "lxml")
    listed = [a.get_text(strip=True) for a in about.select("p.editorial-article a")]
    assert sorted(listed) == ["The first text", "第二篇"]
    assert "Removed advertisement: 2 characters" in about.get_text()


def test_schema_declares_every_front_matter_key_once() -> None:
    """The writer's keys are the schema's, each declared once, with a type and a meaning."""
    keys = [field.key for field in FRONT_MATTER_FIELDS]
    assert len(keys) == len(set(keys))
    assert keys[:3] == ["title", "subtitle", "authors"]
    assert keys[-3:] == ["label", "editorial", "removed"]
    assert all(field.spec.kind and field.spec.help for field in FRONT_MATTER_FIELDS)


@pytest.mark.sphinx("html", testroot="frontmatter", freshenv=True)
def test_header_rows_follow_the_schema(app: Any) -> None:
    """The header's rows are the schema's header fields that the article states, in its order."""
    app.build()
    page = BeautifulSoup((Path(app.outdir) / "articles/first-text.html").read_text(
        encoding="utf-8"), "lxml")
    rows = [name.get_text(strip=True).rstrip(":")
            for name in page.select(".article-header .article-meta dt")]
    stated = {"authors", "date", "publisher", "language", "source_url"}
    assert rows == [field.spec.header for field in header_fields() if field.key in stated]
    publisher = page.select(".article-header .article-meta dd")[rows.index("Publisher")]
    # Supplied by the editors: in square brackets, with a link to their reason.
    assert publisher.get_text(" ", strip=True).startswith("[ The New York Times ]")
    assert publisher.find("a", class_="editorial-why") is not None
