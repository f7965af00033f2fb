"""A citable edition, read from the real HTML build: head metadata, citation files, numbers."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import extruct
import pytest
from bs4 import BeautifulSoup
from edition_builds import Article, Build
from pybtex.database import parse_string

from edition.article.frontmatter import article_lead
from edition.article.record import ArticleMeta
from edition.citation.citable import http_url, json_for_script
from edition.citation.model import PARTIAL_TEXT

pytestmark = pytest.mark.sphinx
#: The tests that read the full build of docs/.
DOCS_BUILD = pytest.mark.slow

#: A RIS line: a two-character tag, two spaces, a hyphen, a space, the value.
RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - .*$")


def page_text(build: Build, article: Article) -> str:
    return (build.outdir / "articles" / f"{article.slug}.html").read_text(encoding="utf-8")


def known_authors(article: Article) -> list[str]:
    """The authors a citation names: the source's, else the editors' inference.

    Names the editors give as the original's author (an adaptation's) are not its authors.
    """
    authors = list(article.meta.get("authors") or [])
    for entry in article.meta.get("editorial") or []:
        if entry.get("field") == "authors":
            if entry.get("role") == "original-author":
                return []
            authors = authors or list(entry.get("value") or [])
    return authors


def publication_date(article: Article) -> str:
    """The date of publication, ``""`` when unknown or when the date is a distributor's post."""
    if article.meta.get("distributor"):
        return ""
    return str(article.meta["date"] or "")


def metadata(text: str) -> dict[str, Any]:
    """What extruct reads from a page."""
    return dict(extruct.extract(text, base_url="https://example.org/",
                                syntaxes=["json-ld", "opengraph", "dublincore"], uniform=True))


def highwire(text: str) -> dict[str, list[str]]:
    """The page's ``citation_*`` meta tags."""
    soup = BeautifulSoup(text, "lxml")
    tags: dict[str, list[str]] = {}
    for meta in soup.head.find_all("meta", attrs={"name": re.compile(r"^citation_")}):
        tags.setdefault(meta["name"], []).append(meta["content"])
    return tags


@DOCS_BUILD
def test_every_article_page_has_json_ld(html: Build, articles: list[Article]) -> None:
    for article in articles:
        data = metadata(page_text(html, article))
        items = [i for i in data["json-ld"] if i.get("@type") in ("NewsArticle", "Article")]
        assert len(items) == 1, article.slug
        item = items[0]
        assert item["headline"] == article.meta["title"]
        # as precise as known; a date neither the source nor the editors give is not invented,
        # and a distributor's post is not the date of publication
        if publication_date(article):
            assert item["datePublished"].startswith(publication_date(article)[:4])
        else:
            assert "datePublished" not in item
        languages = article.meta["language"]
        assert item["inLanguage"] == (languages if len(languages) > 1 else languages[0])
        authors = known_authors(article)
        assert [a["name"] for a in item.get("author", [])] == authors, article.slug
        assert item["isPartOf"]["name"] == "Four Texts on China’s Internet"


@DOCS_BUILD
def test_every_article_page_has_highwire_tags(html: Build, articles: list[Article]) -> None:
    for article in articles:
        tags = highwire(page_text(html, article))
        assert tags["citation_title"] == [article.meta["title"]]
        assert tags.get("citation_author", []) == known_authors(article)
        date = publication_date(article)[:10].replace("-", "/")
        precision = {"year": 4, "month": 7}.get(article.meta["date_precision"], 10)
        expected = [date[:precision]] if date else []
        assert tags.get("citation_publication_date", []) == expected
        assert tags.get("citation_date", []) == expected
        assert tags["citation_language"] == [article.meta["language"][0]]
        # the edition's one PDF is the whole book, not this article's
        assert "citation_pdf_url" not in tags


@DOCS_BUILD
def test_opengraph_and_dublin_core(html: Build, articles: list[Article]) -> None:
    for article in articles:
        data = metadata(page_text(html, article))
        og = data["opengraph"][0]
        assert og["og:title"] == article.meta["title"]
        assert og["og:url"].endswith(f"articles/{article.slug}.html")
        dc = data["dublincore"][0]
        titles = [e["content"] for e in dc["elements"] if e["URI"].endswith("/title")]
        assert titles == [article.meta["title"]]


@DOCS_BUILD
def test_editorial_values_are_marked(html: Build, articles: list[Article]) -> None:
    """The inferred author of the bilingual column is said to be the editors' in the JSON-LD;
    the description is the text's own, without the editors' notes: its opening sentences as
    the article says them now (tests/test_teaser.py checks what those are)."""
    article = next(a for a in articles if a.slug == "silicon-valley-china-envy")
    item = metadata(page_text(html, article))["json-ld"][0]
    assert "Supplied by the editors" in item["creditText"]
    assert "author" in item["creditText"]
    assert "Supplied by the editors" not in item["description"]
    meta = ArticleMeta.from_front_matter(article.meta, f"articles/{article.slug}")
    assert item["description"] == article_lead(meta, article.body)


@DOCS_BUILD
def test_mentions_carry_wikidata(html: Build, articles: list[Article]) -> None:
    article = next(a for a in articles if a.slug == "silicon-valley-china-envy")
    item = metadata(page_text(html, article))["json-ld"][0]
    same_as = {m["name"]: m.get("sameAs") for m in item["mentions"]}
    assert all(v is None or re.fullmatch(r"https://www\.wikidata\.org/wiki/Q\d+", v)
               for v in same_as.values())
    assert any(v for v in same_as.values())


@DOCS_BUILD
def test_paywalled_source_says_so(html: Build, articles: list[Article]) -> None:
    """The header says the text is a preview; so do the JSON-LD and the RIS/CSL notes."""
    line = PARTIAL_TEXT["paywall"]
    for article in articles:
        soup = BeautifulSoup(page_text(html, article), "lxml")
        header = soup.select_one(".article-header")
        partial = any(e.get("kind") == "paywall" for e in article.meta.get("removed") or [])
        assert (line in header.get_text()) == partial, article.slug
        if partial:
            item = metadata(str(soup))["json-ld"][0]
            assert item["abstract"] == line
            assert item["isBasedOn"]["isAccessibleForFree"] is False
            ris = (html.outdir / "articles" / f"{article.slug}.ris").read_bytes().decode()
            assert f"N1  - {line}" in ris


@DOCS_BUILD
def test_citation_files_parse(html: Build, articles: list[Article]) -> None:
    """Every article has .bib (pybtex), .ris (line format) and .json (CSL type and title)."""
    for article in articles:
        base = html.outdir / "articles" / article.slug
        bib = parse_string(base.with_suffix(".bib").read_text(encoding="utf-8"), "bibtex")
        assert list(bib.entries) == [article.slug]
        ris = base.with_suffix(".ris").read_bytes().decode("utf-8").split("\r\n")
        # a newspaper's article, or a page of the edition when no publication is stated
        kind = "NEWS" if article.meta["publisher"] else "ELEC"
        assert ris[0] == f"TY  - {kind}" and ris[-2] == "ER  -" and ris[-1] == ""
        assert all(RIS_LINE.match(line) for line in ris[:-2]), ris
        assert any(line == f"TI  - {article.meta['title']}" for line in ris)
        csl = json.loads(base.with_suffix(".json").read_text(encoding="utf-8"))
        assert isinstance(csl, list) and len(csl) == 1
        assert csl[0]["type"] and csl[0]["title"] == article.meta["title"]
        assert csl[0]["id"] == article.slug


@DOCS_BUILD
def test_citation_block_links_the_files(html: Build, articles: list[Article]) -> None:
    for article in articles:
        soup = BeautifulSoup(page_text(html, article), "lxml")
        links = {a["href"] for a in soup.select("a.edition-citation-file")}
        assert links == {f"{article.slug}.bib", f"{article.slug}.ris", f"{article.slug}.json"}
        assert "YYYY-MM-DD" not in soup.get_text()


@DOCS_BUILD
def test_paragraph_numbers_follow_the_labels(html: Build, articles: list[Article]) -> None:
    """Each labelled paragraph shows ¶N, where N is the number in its label."""
    for article in articles:
        soup = BeautifulSoup(page_text(html, article), "lxml")
        labels = re.findall(rf"(?:^\(|:name: )({re.escape(article.slug)}-p(\d+))\)?=?$",
                            article.body, flags=re.MULTILINE)
        assert labels
        for label, number in labels:
            link = soup.select_one(f'a.para-number-link[href="#{label}"]')
            assert link is not None, label
            assert link.get_text() == f"¶{number}"
            assert soup.find(id=label).find(class_="para-number") is link.parent


def test_json_for_script_cannot_close_the_script() -> None:
    text = json_for_script({"headline": "</script><script>alert(1)</script> & more"})
    assert "</" not in text and "<" not in text and "&" not in text
    assert json.loads(text)["headline"].startswith("</script>")


def test_only_http_urls_reach_the_head() -> None:
    assert http_url("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", "data:text/html,x", "https://exa mple.org", "//x.org",
                "ftp://x.org/"):
        assert http_url(bad) == ""


@DOCS_BUILD
def test_no_citation_placeholder_is_left(html: Build) -> None:
    for path in [*Path(html.outdir, "articles").glob("*.html"), Path(html.outdir, "cite.html")]:
        assert "YYYY-MM-DD" not in path.read_text(encoding="utf-8"), path


@pytest.fixture
def citable(app):  # type: ignore[no-untyped-def]
    """The test-citable root built to HTML; its output folder."""
    app.build()
    return Path(app.outdir)


@pytest.mark.sphinx("html", testroot="citable")
def test_hostile_values_stay_data(citable: Path) -> None:  # type: ignore[no-untyped-def]
    """A title with </script> and quotes cannot leave its JSON-LD block or attribute."""
    text = (citable / "articles" / "new-slug.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "lxml")
    scripts = soup.head.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["headline"] == 'Quotes " and </script><script>alert(1)</script> & more'
    assert not [s for s in soup.find_all("script") if "alert(1)" in (s.string or "")
                and s.get("type") != "application/ld+json"]
    assert highwire(text)["citation_author"] == ['Li "the" Yuan']
    assert data["publisher"]["name"] == "The <b>Times</b>"
    assert soup.head.find("b") is None
    # a source address that is not http(s) reaches no metadata
    assert "javascript:" not in str(soup.head)


@pytest.mark.sphinx("html", testroot="citable")
def test_source_links_are_robust(citable: Path) -> None:  # type: ignore[no-untyped-def]
    soup = BeautifulSoup((citable / "articles" / "new-slug.html").read_text(encoding="utf-8"),
                         "lxml")
    url = "https://example.org/a/long-path_with?query=1&b=2"
    link = soup.select_one("a.robust-link")
    assert link["href"] == url and link["data-originalurl"] == url
    archive = f"https://web.archive.org/web/20250304/{url}"
    assert link["data-versionurl"] == archive and link["data-versiondate"] == "2025-03-04"
    copy = soup.select_one("a.robust-archive")
    assert copy["href"] == archive and copy["data-originalurl"] == url
    assert link.get_text() == url
    assert "https://<wbr/>" in str(link).replace("<wbr>", "<wbr/>") or \
        str(link).count("<wbr") >= 4
    assert "example.org" in soup.select_one(".robust-site").get_text()


@pytest.mark.sphinx("html", testroot="citable")
def test_retired_labels_lead_to_their_successors(citable: Path) -> None:  # type: ignore[no-untyped-def]
    soup = BeautifulSoup((citable / "articles" / "new-slug.html").read_text(encoding="utf-8"),
                         "lxml")
    # a retired paragraph label is an id of its successor
    old = soup.find(id="new-slug-p3")
    assert old is not None and soup.find(id="new-slug-p2") in (old, *old.parents)
    forward = (citable / "articles" / "old-slug.html").read_text(encoding="utf-8")
    page = BeautifulSoup(forward, "lxml")
    assert page.body["data-forward"] == "new-slug.html"
    assert json.loads(page.body["data-labels"]) == {"old-slug-p1": "new-slug-p1"}
    assert 'content="0; url=new-slug.html"' in forward
    assert page.find("script", src="../_static/edition-cite.js") is not None
    assert (citable / "_static" / "edition-cite.js").is_file()


@pytest.mark.sphinx("html", testroot="citable")
def test_references_to_retired_labels_reach_their_successors(
        app, citable: Path) -> None:  # type: ignore[no-untyped-def]
    """A page that still names a retired slug or paragraph links what replaced it."""
    soup = BeautifulSoup((citable / "index.html").read_text(encoding="utf-8"), "lxml")
    links = {a.get_text(): a["href"] for a in soup.select("a.reference.internal")}
    assert links["the old article"] == "articles/new-slug.html#new-slug"
    assert links["its first paragraph"] == "articles/new-slug.html#new-slug-p1"
    assert links["a removed paragraph"] == "articles/new-slug.html#new-slug-p2"
    assert "undefined label" not in app.warning.getvalue()


@pytest.mark.sphinx("html", testroot="citable")
def test_partial_source_line(citable: Path) -> None:  # type: ignore[no-untyped-def]
    soup = BeautifulSoup((citable / "articles" / "new-slug.html").read_text(encoding="utf-8"),
                         "lxml")
    assert soup.select_one(".article-header .article-partial").get_text() == \
        PARTIAL_TEXT["paywall"]


@DOCS_BUILD
def test_source_link_notes_give_the_linked_words(html: Build) -> None:
    """A source's link note repeats the words the source linked, read from its seed."""
    soup = BeautifulSoup((html.outdir / "articles" / "tiktok-run.html").read_text(
        encoding="utf-8"), "lxml")
    note = soup.select_one(".robust-words")
    assert note is not None and note.get_text() == "“互联网重估印度”"
    assert note.find_next("a", class_="robust-link")["href"] == \
        "https://nei.st/medium/caixin/cw914-miht0fzxzwxqzykht74pbg"
    # The words are the text's own, in the paragraph the note belongs to (not only in the note).
    paragraph = note.find_parent("p")
    for sidenote in paragraph.select(".sidenote"):
        sidenote.decompose()
    assert "互联网重估印度" in paragraph.get_text()
