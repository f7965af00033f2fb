"""The reading page on a small root (tests/roots/test-article): an address, a number and a cite
button for each language of a parallel pair, ¶ links on the text's labels only, a list numbered
clear of its bullets, and each figure credited by its own line, never by the article's list.

The real edition's pages are checked in tests/test_reading_build.py and in the browser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from edition_builds import Build, root_build
from lxml import etree

SAMPLE = Path(__file__).parent / "roots" / "test-article" / "articles" / "sample.md"
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def uncredited_article() -> str:
    """An article whose front matter lists an image credit that none of its figures states."""
    front_matter = SAMPLE.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    assert "image_credits: [Agence France-Presse — Getty Images]" in front_matter
    front_matter = front_matter.replace("label: sample", "label: uncredited")
    return front_matter + """
---

(uncredited)=
# 没有署名的图片

(uncredited-p1)=
第一段。

:::{figure} https://images.weserv.nl/?url=static01.nyt.com/images/2025/01/17/other.jpg
:name: uncredited-f1

上海的办公室。
:::

(uncredited-p2)=
- The first item of a numbered list.
- The second item.
"""


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """tests/roots/test-article with a second article, built once."""
    return root_build(tmp_path_factory.mktemp("reading"), "article",
                      pages={"articles/uncredited.md": uncredited_article()})


def page(build: Build, name: str) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup((build.outdir / f"{name}.html").read_text(encoding="utf-8"), "lxml")


def element(soup: BeautifulSoup | Tag, **attrs: str) -> Tag:
    """The one element with these attributes."""
    found = soup.find(attrs=attrs)
    assert isinstance(found, Tag), attrs
    return found


def test_the_root_builds_without_warnings(build: Build) -> None:
    """Both articles are in the edition's format."""
    assert build.warnings.strip() == ""


def test_each_language_of_a_pair_has_its_address_number_and_cite_button(build: Build) -> None:
    """The pair's later language is ``<label>-<language>`` with the pair's ¶N and a cite button."""
    soup = page(build, "articles/sample")
    pair = element(soup, id="sample-p1")
    english, chinese = pair.find_all("div", recursive=False)
    first = english.find("p")
    assert isinstance(first, Tag) and "para-number-translation" not in str(first)
    assert element(first, **{"class": "para-number-link"})["href"] == "#sample-p1"

    own = element(soup, id="sample-p1-zh-Hant")
    assert own.name == "p" and own.find_parent("div") is chinese
    number = own.select_one("span.para-number.para-number-translation")
    assert number is not None, own
    link = number.select_one("a.para-number-link")
    assert link is not None and link["href"] == "#sample-p1-zh-Hant"
    assert link.get_text() == "¶1"
    button = number.select_one("button.para-cite")
    assert button is not None
    assert (button["data-paragraph"], button["data-number"]) == ("sample-p1-zh-Hant", "1")


def test_tei_paragraph_ids_are_ids_of_the_page(build: Build) -> None:
    """Every ``xml:id`` in the TEI file's text is an id of the article's web page."""
    tei = etree.parse(str(build.outdir / "data" / "tei" / "sample.xml"))
    text = tei.getroot().find(f"{TEI}text")
    assert text is not None
    named = {e.get(XML_ID) for e in text.iter() if e.get(XML_ID)}
    assert "sample-p1-zh-Hant" in named
    ids = {str(e["id"]) for e in page(build, "articles/sample").find_all(id=True)}
    assert named <= ids, sorted(named - ids)


def test_paragraph_links_only_on_the_texts_labels(build: Build) -> None:
    """¶ links lead to paragraph labels; the citation's text, which a button copies, has none."""
    soup = page(build, "articles/sample")
    targets = [a["href"] for a in soup.select("a.para-anchor")]
    assert targets == ["#sample-p1", "#sample-p1-zh-Hant", "#sample-p2"]
    citation = soup.select_one(".edition-citation-text")
    assert citation is not None
    assert citation.select("a.para-anchor") == []
    assert "¶" not in citation.get_text()


def test_a_list_holds_its_number(build: Build) -> None:
    """A labelled list carries the number's class, so the number stands clear of its bullets."""
    soup = page(build, "articles/uncredited")
    listing = element(soup, id="uncredited-p2")
    assert listing.name == "ul" and "has-para-number" in listing["class"]
    assert listing.select(".has-para-number") == []
    number = listing.select_one("li p span.para-number a.para-number-link")
    assert number is not None and number.get_text() == "¶2"


def test_figures_are_credited_by_their_own_line_only(build: Build) -> None:
    """A figure says the credit its source gives it, and nothing when the source gives none."""
    sample = page(build, "articles/sample")
    credited = element(sample, id="sample-f1")
    lines = [line.get_text(" ", strip=True) for line in credited.select(".figure-credit")]
    assert lines == ["Credit: Agence France-Presse — Getty Images"]
    assert "Credit" not in element(credited, **{"class": "image-fallback"}).get_text()
    text_figure = element(sample, id="sample-f2")
    assert [line.get_text() for line in text_figure.select(".figure-credit")] == [
        "Credit: Dongyan Xu"]

    uncredited = element(page(build, "articles/uncredited"), id="uncredited-f1")
    assert uncredited.select_one(".image-fallback") is not None
    words = uncredited.get_text(" ", strip=True)
    assert not re.search(r"Credit|Agence France-Presse|Getty", words), words
