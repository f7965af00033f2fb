"""The citation block of article pages: present, well-formed BibTeX, editorial values marked."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from edition.citation import bibtex, citation_text, make_citation, page_url
from edition.escaping import BIBTEX_COMMANDS, bibtex_text

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path(__file__).parent / "roots" / "test-citation" / "articles" / "r-and-d.md"


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


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
    assert entry.startswith("@online{r-and-d,")
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
    assert record.type == "online"
    fields = {k.lower(): v for k, v in record.fields.items()}
    # the title holds & % { } _ : each escaped, the text's braces as commands (BibTeX counts the
    # brace of "\{"), so the value still parses and its only braces are the edition's
    assert fields["title"] == (r"{R\&D spending rose 50\% at {\textbraceleft}Shenzhen"
                               r"{\textbraceright}\_firms}")
    assert fields["url"] == _front_matter(ARTICLE)["source_url"]
    assert fields["date"] == "2025-03-04"
    assert "Supplied by the editors: authors" in fields["note"]


@pytest.mark.sphinx("html", testroot="citation")
def test_editorial_author_is_marked(built) -> None:  # type: ignore[no-untyped-def]
    """An author the editors inferred is bracketed in both forms and explained."""
    soup = _page(built, "articles/r-and-d")
    section = soup.find(id="r-and-d-cite")
    assert section.find(class_="edition-citation-text").get_text().startswith("[Li Yuan].")
    entry = section.find(class_="edition-citation-bibtex").get_text()
    persons = parse_string(entry, "bibtex").entries["r-and-d"].persons["author"]
    assert [str(p) for p in persons] == ["{[Li Yuan]}"]
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
    c = make_citation(front, "r-and-d", "https://e.example/articles/r-and-d.html", "E")
    assert citation_text(c).startswith("袁莉. “")
    record = parse_string(bibtex(c), "bibtex").entries["r-and-d"]
    assert [str(p) for p in record.persons["author"]] == ["袁莉"]
    assert "Supplied by the editors" not in record.fields["note"]


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
        c = make_citation(front, path.stem, f"https://e.example/articles/{path.stem}.html", "E")
        entries = parse_string(bibtex(c), "bibtex").entries
        assert list(entries) == [path.stem]
        if any(e["field"] == "authors" for e in front["editorial"]):
            assert citation_text(c).startswith("[")


def test_undated_article_says_so_once() -> None:
    """No date: the citation says n.d., with one full stop, and BibTeX has no date field."""
    front = _front_matter(ARTICLE)
    front["date"], front["date_precision"] = "", ""
    c = make_citation(front, "r-and-d", "https://e.example/articles/r-and-d.html", "E")
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
    c = make_citation(_front_matter(path), slug, url, str(conf["project"]))
    # the example shows the citation as a reader's browser completes it, on 1 June 2025
    assert example == citation_text(c, accessed="2025-06-01")
