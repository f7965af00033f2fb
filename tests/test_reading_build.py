"""The reading pages of the real edition (the full build of docs/): figure credits as the source
states them, and every paragraph address of the TEI files on the web page.

The layout is checked in the browser (tests/browser/test_reading*.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from edition_builds import REPO, Article, Build
from lxml import etree
from lxml import html as lxml_html

pytestmark = [pytest.mark.sphinx, pytest.mark.slow]  # the full build of docs/

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def page(build: Build, name: str) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup((build.outdir / f"{name}.html").read_text(encoding="utf-8"), "lxml")


def seed_figures(seed: Path) -> list[tuple[str, str]]:
    """Each image of an HTML seed in order: its address and the credit the source gives it.

    The New York Times Chinese feed credits a photograph in ``<figure><figcaption><cite>``;
    the images it places inside paragraphs (``<p><img><small>caption``) carry no credit.
    """
    text = seed.read_text(encoding="utf-8")
    tree = lxml_html.fromstring(text[text.index("<address>"):])
    found = []
    for image in tree.iter("img"):
        figure = next((a for a in image.iterancestors("figure")), None)
        cites = figure.findall(".//cite") if figure is not None else []
        credit = "; ".join(" ".join(c.text_content().split()) for c in cites)
        found.append((str(image.get("src")), credit))
    return found


def test_figures_of_the_tiktok_column_are_credited_as_the_source_says(
        html: Build, articles: list[Article]) -> None:
    """Only the photograph the seed credits says "Credit: …"; the others say nothing of a credit."""
    article = next(a for a in articles if a.slug == "tiktok-red-note-china-internet")
    stated = seed_figures(REPO / "seeds" / str(article.meta["seed"]))
    assert len(stated) == 4 and stated[0][1] == "Dongyan Xu"
    assert [credit for _, credit in stated[1:]] == ["", "", ""]
    main = page(html, f"articles/{article.slug}").select_one("article.bd-article")
    assert main is not None
    figures = main.select("figure")
    assert [str(f.select_one("img")["src"]) for f in figures] == [src for src, _ in stated]
    for figure, (_src, credit) in zip(figures, stated, strict=True):
        for link in figure.select(".headerlink"):
            link.decompose()
        words = figure.get_text(" ", strip=True)
        lines = [line.get_text(" ", strip=True) for line in figure.select(".figure-credit")
                 if line.find_parent(class_="figure-credit") is None]
        if credit:
            assert lines == [f"Credit: {credit}"], (figure["id"], lines)
            assert words.count(credit) == 1, (figure["id"], words)
        else:
            assert lines == [], (figure["id"], lines)
            assert "Credit" not in words and "Dongyan Xu" not in words, (figure["id"], words)


def test_every_paragraph_address_of_the_tei_files_is_on_the_web_page(
        html: Build, articles: list[Article]) -> None:
    """For every article, the ``xml:id`` of each TEI paragraph (both languages) is a page id."""
    checked = 0
    for article in articles:
        tei = etree.parse(str(html.outdir / "data" / "tei" / f"{article.slug}.xml"))
        text = tei.getroot().find(f"{TEI}text")
        assert text is not None, article.slug
        named = {e.get(XML_ID) for e in text.iter(f"{TEI}p") if e.get(XML_ID)}
        assert named, article.slug
        ids = {str(e["id"]) for e in page(html, f"articles/{article.slug}").find_all(id=True)}
        assert named <= ids, (article.slug, sorted(named - ids)[:5])
        checked += len(named)
    bilingual = html.outdir / "articles" / "silicon-valley-china-envy.html"
    chinese = BeautifulSoup(bilingual.read_text(encoding="utf-8"), "lxml").find(
        id="silicon-valley-china-envy-p8-zh-Hant")
    assert isinstance(chinese, Tag) and chinese.name == "p"
    assert checked > 250


def test_the_download_menu_offers_readers_the_books_not_the_source(html: Build) -> None:
    """No page's menu links its MyST source; the books and the print entry stay."""
    for name in ("index", "articles/tiktok-run", "cite"):
        soup = page(html, name)
        menu = soup.select_one(".dropdown-download-buttons")
        assert menu is not None, name
        links = [str(a.get("href")) for a in menu.select("a[href]")]
        assert not [link for link in links if "_sources" in link or link.endswith(".md")], links
        assert any(link.endswith("edition.pdf") for link in links), links
