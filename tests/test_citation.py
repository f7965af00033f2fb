"""The citation block of article pages: present, well-formed BibTeX, editorial values marked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from edition.article.record import ArticleMeta
from edition.article.text import date_qualifier
from edition.citation.model import (
    Citation,
    bibtex,
    citation_text,
    make_citation,
    page_url,
)
from edition.security.escaping import BIBTEX_COMMANDS, bibtex_text

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path(__file__).parent / "roots" / "test-citation" / "articles" / "r-and-d.md"


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def _record(front: dict[str, object], slug: str) -> ArticleMeta:
    """The record the edition keeps of an article with this front matter."""
    return ArticleMeta.from_front_matter(front, f"articles/{slug}")


@pytest.fixture
def built(app):  # type: ignore[no-untyped-def]
    """The test-citation root built to HTML; its app."""
    app.build()
    return app


def _page(app, docname: str) -> BeautifulSoup:  # type: ignore[no-untyped-def]
    html = (Path(app.outdir) / f"{docname}.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "lxml")


@pytest.mark.sphinx("html", testroot="citation")
def test_article_page_has_citation_block(built) -> None:  # type: ignore[no-untyped-def]
    """The article ends with a citation section holding plain text and a BibTeX entry."""
    soup = _page(built, "articles/r-and-d")
    section = soup.find(id="r-and-d-cite")
    assert section is not None
    assert section.find("h2").get_text().startswith("Cite this article")
    text = section.find(class_="edition-citation-text").get_text()
    front = _front_matter(ARTICLE)
    page_url = built.config.html_baseurl + "articles/r-and-d.html"
    for value in (front["title"], front["publisher"], front["source_url"], page_url,
                  built.config.project, "2025-03-04"):
        assert str(value) in text
    assert "accessed" in text
    entry = section.find(class_="edition-citation-bibtex").get_text()
    assert entry.startswith("@article{r-and-d,")
    # the citation block is the article's last section, after its paragraphs
    assert section.find_previous(id="r-and-d-p2") is not None


@pytest.mark.sphinx("html", testroot="citation")
def test_paragraph_citation_uses_the_pilcrow_anchor(built) -> None:  # type: ignore[no-untyped-def]
    """The block says how to cite a paragraph, with an address that really exists."""
    soup = _page(built, "articles/r-and-d")
    section = soup.find(id="r-and-d-cite")
    link = section.find("a", href=lambda h: h and h.endswith("#r-and-d-p1"))
    assert link is not None
    assert link["href"] == built.config.html_baseurl + "articles/r-and-d.html#r-and-d-p1"
    anchor = link["href"].split("#", 1)[1]
    assert soup.find(id=anchor) is not None
    assert "¶" in section.get_text()


@pytest.mark.sphinx("html", testroot="citation")
def test_bibtex_is_well_formed_and_escaped(built) -> None:  # type: ignore[no-untyped-def]
    """A BibTeX parser reads the entry back: key from the slug, specials escaped, all fields."""
    soup = _page(built, "articles/r-and-d")
    entry = soup.find(id="r-and-d-cite").find(class_="edition-citation-bibtex").get_text()
    data = parse_string(entry, "bibtex")
    assert list(data.entries) == ["r-and-d"]
    record = data.entries["r-and-d"]
    assert record.type == "article" and record.fields["entrysubtype"] == "newspaper"
    fields = {k.lower(): v for k, v in record.fields.items()}
    # the title holds & % { } _ : each escaped, the text's braces as commands (BibTeX counts the
    # brace of "\{"), so the value still parses and its only braces are the edition's
    assert fields["title"] == (r"{R\&D spending rose 50\% at {\textbraceleft}Shenzhen"
                               r"{\textbraceright}\_firms}")
    # the address is the edition's page; the source's is in the note
    assert fields["url"] == built.config.html_baseurl + "articles/r-and-d.html"
    assert f"Source: {_front_matter(ARTICLE)['source_url']}." in fields["note"]
    assert fields["date"] == "2025-03-04"
    assert "Supplied by the editors, not stated by the source: author." in fields["note"]
    # the page's entry keeps to the citation; the file adds the editors' reasons
    assert "annote" not in fields
    written = parse_string((Path(built.outdir) / "articles" / "r-and-d.bib").read_text("utf-8"),
                           "bibtex").entries["r-and-d"]
    assert "the column this text belongs to is hers" in written.fields["annote"]


@pytest.mark.sphinx("html", testroot="citation")
def test_editorial_author_is_marked(built) -> None:  # type: ignore[no-untyped-def]
    """An author the editors inferred is bracketed in the text, a plain name in a note's care."""
    soup = _page(built, "articles/r-and-d")
    section = soup.find(id="r-and-d-cite")
    assert section.find(class_="edition-citation-text").get_text().startswith("[Li Yuan].")
    entry = section.find(class_="edition-citation-bibtex").get_text()
    record = parse_string(entry, "bibtex").entries["r-and-d"]
    # a reference manager files the name as a name: family Yuan, given Li, no bracket
    assert [str(p) for p in record.persons["author"]] == ["Yuan, Li"]
    assert "[" not in entry.split("note =", 1)[0]
    assert "author" in record.fields["note"] and "Supplied by the editors" in record.fields["note"]
    assert "Square brackets mark what the editors supplied" in section.get_text()


@pytest.mark.sphinx("html", testroot="citation")
def test_edition_pages_have_no_citation(built) -> None:  # type: ignore[no-untyped-def]
    """Only articles are cited this way; the edition's own pages are left alone."""
    assert _page(built, "index").find(class_="edition-citation") is None


def test_stated_authors_are_not_marked() -> None:
    """Authors the source states are plain; a CJK name stays one name in BibTeX."""
    front = _front_matter(ARTICLE)
    front["authors"] = ["袁莉"]
    front["editorial"] = []
    c = make_citation(_record(front, "r-and-d"), "https://e.example/articles/r-and-d.html", "E")
    assert citation_text(c).startswith("袁莉. “")
    record = parse_string(bibtex(c), "bibtex").entries["r-and-d"]
    assert [str(p) for p in record.persons["author"]] == ["袁莉"]
    assert "Supplied by the editors" not in record.fields["note"]
    assert "annote" not in record.fields


def test_bibtex_text_leaves_only_its_own_braces() -> None:
    """Every LaTeX special is a command; the only braces left are those of the commands."""
    nasty = "a{b}c\\d%e&f$g#h_i~j^k}}} @misc(x, url={y}) {{{"
    escaped = bibtex_text(nasty)
    entry = f"@misc{{k,\n  title = {{{escaped}}}\n}}"
    assert parse_string(entry, "bibtex").entries["k"].fields["title"] == escaped
    for command in BIBTEX_COMMANDS.values():
        escaped = escaped.replace(command, "")
    assert "{" not in escaped.replace("{}", "") and "}" not in escaped.replace("{}", "")


def test_real_articles_make_parseable_entries() -> None:
    """Every article of the edition gives a BibTeX entry a parser accepts, keyed by its slug."""
    articles = sorted((ROOT / "docs" / "articles").glob("*.md"))
    if not articles:
        pytest.skip("no converted articles in docs/articles yet")
    for path in articles:
        front = _front_matter(path)
        url = f"https://e.example/articles/{path.stem}.html"
        c = make_citation(_record(front, path.stem), url, "E")
        entries = parse_string(bibtex(c), "bibtex").entries
        assert list(entries) == [path.stem]
        entry = entries[path.stem]
        # every entry leads to the edition's page; no bracket in a name or a title
        assert entry.fields["url"] == url, path.stem
        names = [str(p) for role in entry.persons.values() for p in role]
        assert not [n for n in names if "[" in n or "]" in n], path.stem
        assert "[" not in entry.fields["title"], path.stem
        editorial = {e["field"]: e for e in front["editorial"]}
        if "authors" in editorial and not editorial["authors"].get("role"):
            assert citation_text(c).startswith("[")


def test_undated_article_says_so_once() -> None:
    """No date: the citation says n.d., with one full stop, and BibTeX has no date field."""
    front = _front_matter(ARTICLE)
    front["date"], front["date_precision"] = "", ""
    c = make_citation(_record(front, "r-and-d"), "https://e.example/articles/r-and-d.html", "E")
    assert "n.d. " in citation_text(c) and "n.d.." not in citation_text(c)
    assert "date" not in parse_string(bibtex(c), "bibtex").entries["r-and-d"].fields


def test_how_to_cite_page_example_is_what_the_article_shows() -> None:
    """The example in docs/cite.md is the citation the article page really carries."""
    page = (ROOT / "docs" / "cite.md").read_text(encoding="utf-8")
    example = " ".join(page.split("```text\n", 1)[1].split("```", 1)[0].split())
    slug = "silicon-valley-china-envy"
    path = ROOT / "docs" / "articles" / f"{slug}.md"
    if not path.exists():
        pytest.skip("the article is not converted in this checkout")
    conf: dict[str, object] = {"__file__": str(ROOT / "docs" / "conf.py")}
    exec(compile((ROOT / "docs" / "conf.py").read_text(encoding="utf-8"), "conf.py", "exec"), conf)
    url = page_url(str(conf["html_baseurl"]), f"articles/{slug}")
    c = make_citation(_record(_front_matter(path), slug), url, str(conf["project"]))
    # the example shows the citation as a reader's browser completes it, on 1 June 2025
    assert example == citation_text(c, accessed="2025-06-01")


def _citation(**front: object) -> Citation:
    """The citation of the test article with some of its front matter changed."""
    values = _front_matter(ARTICLE)
    values.update(front)
    return make_citation(_record(values, "r-and-d"), "https://e.example/articles/r-and-d.html",
                         "E")


def test_the_original_author_of_an_adaptation_is_not_its_author() -> None:
    """Names the editors give the role original-author are credited as such, nowhere as author."""
    c = _citation(authors=["Sam Altman"], publisher="", editorial=[
        {"field": "authors", "value": ["Sam Altman"], "role": "original-author",
         "reason": "its sections follow his essay; this English is an adaptation."}])
    assert c.authors == () and c.original_authors == ("Sam Altman",)
    text = citation_text(c)
    assert text.startswith("“R&D") and "From a work by [Sam Altman]." in text
    entry = parse_string(bibtex(c), "bibtex").entries["r-and-d"]
    assert "author" not in entry.persons and entry.type == "online"
    assert "author of the original" in entry.fields["note"]
    assert "From a work by Sam Altman" in entry.fields["note"]
    assert "this English is an adaptation" in entry.fields["annote"]


def test_a_distributors_date_is_its_post_not_the_publication() -> None:
    """A distributed text is n.d.; its distributor's post time is given as the post's."""
    c = _citation(date="2020-07-24T03:24:32+01:00", date_precision="second", editorial=[],
                  authors=[], publisher="Caixin Weekly", distributor="Nei.st")
    assert c.date == "" and c.posted == "2020-07-24T03:24:32+01:00" and c.distributor == "Nei.st"
    text = citation_text(c)
    assert "Caixin Weekly, n.d. Posted by Nei.st, 2020-07-24." in text
    assert date_qualifier(ArticleMeta.from_front_matter({
        "date": c.posted, "distributor": "Nei.st", "publisher": "Caixin Weekly"})) == (
        "posted by Nei.st, whose copy is the source; Caixin Weekly’s own date is not stated")
    entry = parse_string(bibtex(c), "bibtex").entries["r-and-d"]
    assert "date" not in entry.fields
    assert "Dated 2020-07-24T03:24:32+01:00: posted by Nei.st" in entry.fields["note"]
    # a date the editors supply is theirs, not the distributor's
    supplied = _citation(date="2020", date_precision="year", distributor="Nei.st", editorial=[
        {"field": "date", "value": "2020", "reason": "r"}])
    assert supplied.date == "2020" and supplied.posted == ""


def test_a_dek_and_a_translated_title_stay_out_of_the_title() -> None:
    """The source's dek is not a subtitle, the editors' Chinese title not the title's part."""
    dek = _citation(subtitle="迅速风靡全球")
    assert dek.deck == "迅速风靡全球" and "迅速风靡全球" not in citation_text(dek)
    assert "subtitle" not in parse_string(bibtex(dek), "bibtex").entries["r-and-d"].fields
    twin = _citation(subtitle="矽谷陷入了對中國的羨慕", editorial=[
        {"field": "subtitle", "value": "矽谷陷入了對中國的羨慕", "reason": "r"}])
    assert twin.deck == "" and "矽谷" not in citation_text(twin)
