"""The web edition, built from the real docs/: a smoke test of every article's page, card,
links, sidenotes, parallel text, language and search words.

What one component does is tested on a small root instead (tests/test_article_root.py: header,
cards, anchors, method page; tests/test_search.py: the search page and dictionary).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from edition_builds import Article, Build

from converters.common.registry import fold
from edition.web.search import SearchChineseFolded
from edition.web.search_index import read_index

pytestmark = [pytest.mark.sphinx, pytest.mark.slow]  # the full build of docs/


def page(build: Build, name: str) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup((build.outdir / f"{name}.html").read_text(encoding="utf-8"), "lxml")


def main_text(soup: BeautifulSoup) -> Tag:
    """The page's content, without the theme's navigation."""
    main = soup.select_one("article.bd-article")
    assert main is not None
    return main


def search_index(build: Build) -> dict[str, Any]:
    """The search index (edition/search_index.py) as data, in the shape of searchindex.js."""
    return read_index(build.outdir)


def by_seed(articles: list[Article], number: str) -> list[Article]:
    """The articles made from one seed."""
    found = [a for a in articles if a.seed_number == number]
    assert found, f"no article from seed {number}"
    return found


def test_the_build_has_no_warnings(html: Build) -> None:
    assert html.warnings.strip() == ""


def test_every_article_has_a_page_and_a_card(html: Build, articles: list[Article]) -> None:
    built = sorted(p.stem for p in (html.outdir / "articles").glob("*.html"))
    assert built == sorted(a.slug for a in articles)
    cards = main_text(page(html, "index")).select(".article-card")
    assert len(cards) == len(articles)
    linked = {a["href"] for card in cards for a in card.select("a[href]")}
    assert linked == {f"articles/{a.slug}.html" for a in articles}


def test_card_teaser_is_the_dek_or_first_full_sentences(
        html: Build, articles: list[Article]) -> None:
    cards = {card.select_one("a[href]")["href"]: card
             for card in main_text(page(html, "index")).select(".article-card")}
    for article in articles:
        # The teaser is the card's last paragraph (a gloss of the title may come first).
        card = cards[f"articles/{article.slug}.html"]
        text = card.select(".sd-card-body .sd-card-text")[-1].get_text()
        text = text.strip()
        subtitle = str(article.meta["subtitle"] or "")
        supplied = {entry["field"] for entry in article.meta.get("editorial") or []}
        if subtitle and "subtitle" not in supplied:
            assert text == subtitle
        else:
            # Full sentences: never a lead-in ending in ":", never cut; the text's own words.
            assert re.search(r"[.!?。！？][”’\"')」]*$", text), (article.slug, text)
            words = re.sub(r"\s+", "", text)[:12]
            assert words and words in re.sub(r"\s+", "", main_text(
                page(html, f"articles/{article.slug}")).get_text())
            assert text != article.meta["title"]


def test_card_glosses_come_from_the_source_or_the_editors(
        html: Build, articles: list[Article]) -> None:
    decisions = Path(__file__).resolve().parents[1] / "docs" / "_data" / "editorial.yaml"
    data = yaml.safe_load(decisions.read_text("utf-8"))
    editors = {entry["slug"]: entry["gloss"]["value"] for seed in data["seeds"].values()
               for entry in seed["articles"] if "gloss" in entry}
    assert editors, "the editorial data gives no gloss"
    cards = {card.select_one("a[href]")["href"]: card
             for card in main_text(page(html, "index")).select(".article-card")}
    for article in articles:
        gloss = cards[f"articles/{article.slug}.html"].select_one(".article-card-gloss")
        subtitle = str(article.meta["subtitle"] or "")
        languages = article.meta["language"]
        if article.slug in editors:
            # The editors' words, in brackets and said to be theirs.
            assert gloss is not None and gloss.get_text() == f"[{editors[article.slug]}]"
            assert "editorial-value" in gloss["class"] and gloss["lang"] == "en"
            assert "editors’ translation" in gloss.parent.get_text()
        elif len(languages) > 1 and subtitle:
            # The source's own title in its other language.
            assert gloss is not None and gloss.get_text() == subtitle
            assert gloss["lang"].lower() == languages[1].lower()
        else:
            assert gloss is None, article.slug


def test_links_of_the_sources_are_sidenotes(html: Build, articles: list[Article]) -> None:
    for article in by_seed(articles, "000"):
        soup = main_text(page(html, f"articles/{article.slug}"))
        notes = soup.select("span.sidenote")
        assert notes, "the book theme's sidenotes are missing"
        assert soup.select("label.margin-toggle")
        assert all(note.select_one("a[href^='http']") for note in notes)


def test_in_page_links_all_lead_somewhere(html: Build, articles: list[Article]) -> None:
    # Footnotes become sidenotes; a second reference to one note must not point at nothing.
    for article in articles:
        soup = page(html, f"articles/{article.slug}")
        ids = {tag["id"] for tag in soup.select("[id]")}
        for link in soup.select("a[href^='#']"):
            if link["href"] != "#":
                assert link["href"][1:] in ids, (article.slug, link["href"])


def test_parallel_text_pairs_two_languages(html: Build, articles: list[Article]) -> None:
    for article in by_seed(articles, "002"):
        soup = page(html, f"articles/{article.slug}")
        assert soup.html is not None and soup.html["lang"] == "en"
        pairs = main_text(soup).select("div.parallel")
        assert len(pairs) == article.body.count("::::{container} parallel")
        for pair in pairs:
            assert pair.get("id", "").startswith(f"{article.slug}-p")
            halves = pair.find_all("div", recursive=False)
            assert [half.get("lang") for half in halves] == ["en", "zh-hant"]
            assert all(half.get_text(strip=True) for half in halves)
            assert pair.select_one(f"a.para-anchor[href='#{pair['id']}']") is not None


def test_page_language_is_the_articles(html: Build, articles: list[Article]) -> None:
    for article in articles:
        soup = page(html, f"articles/{article.slug}")
        assert soup.html is not None
        assert soup.html["lang"] == article.meta["language"][0]
    assert page(html, "introduction").html["lang"] == "en"  # type: ignore[index]


def test_search_index_has_chinese_and_english_names(html: Build, articles: list[Article]) -> None:
    index = search_index(html)
    docnames = index["docnames"]
    mentioning = {docnames[i] for i in _as_list(index["terms"]["字节跳动"])}
    assert mentioning >= {f"articles/{a.slug}" for a in by_seed(articles, "001")}
    bytedance = SearchChineseFolded({}).stem("ByteDance").lower()
    assert _as_list(index["terms"][bytedance])


def test_traditional_text_is_found_in_simplified(html: Build, articles: list[Article]) -> None:
    column = by_seed(articles, "002")
    assert any("英偉達" in a.body for a in column), "the bilingual column writes 英偉達"
    index = search_index(html)
    docnames = index["docnames"]
    found = {docnames[i] for i in _as_list(index["terms"]["英伟达"])}
    assert {f"articles/{a.slug}" for a in column if "英偉達" in a.body} <= found
    # Every indexed word is in its folded form: no query can miss a Traditional spelling.
    assert all(fold(term) == term.lower() for term in index["terms"])


def _as_list(value: int | list[int]) -> list[int]:
    return value if isinstance(value, list) else [value]
