"""Finding things in the built edition: the register, the dates, the research data and TEI.

Everything is checked on a real HTML build of docs/ (tests/edition_builds.py), the TEI files
against the TEI P5 schema of schemas/tei/tei_all.rng (with jing, or lxml's RelaxNG).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from edition_builds import REPO, Article, Build
from lxml import etree

from edition.entities import sentence_around
from edition.tei import NCNAME, TEI_NS, XML_NS, xml_id

pytestmark = pytest.mark.sphinx
#: The tests that read the full build of docs/.
DOCS_BUILD = pytest.mark.slow

#: The TEI P5 schema (all modules), kept in the repository (schemas/tei/README.md).
TEI_SCHEMA = REPO / "schemas" / "tei" / "tei_all.rng"
#: Mentions as the articles write them: role, shown text, target.
MENTION = re.compile(r"\{(ent|date)\}`([^`<]*?)\s*<([^`>]+)>`")
#: Paragraph labels of the articles: ``(label)=`` lines, or ``:name:`` of a parallel pair.
LABEL = re.compile(r"^\(([\w-]+)\)=$", re.MULTILINE)
#: A footnote reference of MyST (``[^label]``), not its definition (``[^label]:``).
FOOTNOTE_REF = re.compile(r"\[\^([^\]]+)\](?!:)")
NAME_OPTION = re.compile(r"^:name: ([\w-]+)$", re.MULTILINE)
TEI = {"tei": TEI_NS}


def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def plain(text: str) -> str:
    """Text with whitespace collapsed."""
    return re.sub(r"\s+", " ", text).strip()


def shown_text(markdown: str) -> str:
    """A paragraph of an article as the page shows it: roles replaced by their text."""
    text = MENTION.sub(lambda m: m.group(2), markdown)
    return re.sub(r"\[\^[^\]]+\]", "", text)


# --------------------------------------------------------------------------- the register


@DOCS_BUILD
def test_bytedance_page_lists_each_paragraph_once_in_context(
    html: Build, articles: list[Article]
) -> None:
    """One line per paragraph, with a count when the name recurs and words from that paragraph."""
    paragraphs: dict[str, str] = {}
    mentions: Counter[str] = Counter()
    for article in articles:
        for block in article.body.split("\n\n"):
            label = LABEL.search(block)
            if label is None or not re.search(r"-p\d+$", label.group(1)):
                continue  # paragraphs only (figures and sections are written otherwise)
            text = block[label.end():]
            paragraphs[label.group(1)] = plain(shown_text(text))
            for role, _shown, target in MENTION.findall(text):
                if role == "ent" and target == "bytedance":
                    mentions[label.group(1)] += 1
    assert mentions, "premise: the articles mention ByteDance"
    page = soup(html.outdir / "_generated" / "entities" / "bytedance.html")
    lines = page.select("ul.entity-mentions > li > ul > li")
    anchors = [str(li.select_one("a")["href"]).split("#")[1] for li in lines]
    assert len(anchors) == len(set(anchors)), f"a paragraph listed twice: {anchors}"
    assert {a for a in anchors if a in paragraphs} == {a for a in mentions if a in paragraphs}
    for li in lines:
        anchor = str(li.select_one("a")["href"]).split("#")[1]
        if anchor not in paragraphs:
            continue
        count = li.select_one(".mention-count")
        if mentions[anchor] > 1:
            assert count is not None and count.get_text().strip() == f"×{mentions[anchor]}"
        else:
            assert count is None
        for kwic in li.select(".kwic"):
            name = kwic.select_one("strong.mention-text")
            assert name is not None and name.get_text() in paragraphs[anchor]
            # The words around the name are the paragraph's, in its script, as written.
            around = plain(kwic.get_text()).replace("…", "").strip()
            parts = [p.strip() for p in around.split(name.get_text()) if p.strip()]
            assert parts, f"{anchor}: no words around the name"
            for part in parts:
                assert part in paragraphs[anchor], (anchor, part)
    # Each article's heading gives its date.
    headings = [plain(p.get_text()) for p in page.select("ul.entity-mentions > li > p")]
    assert any("(2025-01-21)" in h for h in headings), headings


@DOCS_BUILD
def test_overview_lists_every_entity_with_names_and_counts(html: Build) -> None:
    """The overview: names in every script and pinyin, the type in words, counts."""
    page = soup(html.outdir / "_generated" / "entities" / "index.html")
    table = page.select_one("table.entity-overview")
    assert table is not None
    heads = [plain(th.get_text()) for th in table.select("thead th")]
    assert heads == ["English", "Simplified", "Traditional", "Pinyin", "Type", "Mentions",
                     "Texts"]
    rows = {plain(tr.select("td")[0].get_text()): [plain(td.get_text()) for td in tr.select("td")]
            for tr in table.select("tbody tr")}
    records = json.loads((html.outdir / "_static" / "entities.json").read_text("utf-8"))
    entities = [r for r in records if r["type"] != "date"]
    assert len(rows) == len(entities)
    bytedance = rows["ByteDance"]
    assert bytedance[1:5] == ["字节跳动", "字節跳動", "zì jié tiào dòng", "company or organisation"]
    record = next(r for r in entities if r["id"] == "bytedance")
    assert bytedance[5:] == [str(record["mention_count"]), str(record["text_count"])]
    assert rows["Zhang Yiming"][3:5] == ["zhāng yī míng", "person"]
    # Parties and agencies are registry "companies": no title calls them companies only.
    title = plain(page.select_one("h1").get_text())
    assert title.rstrip("#").strip() == "People, companies and organisations"
    index = soup(html.outdir / "ent-companies.html")
    heading = plain(index.select_one("article h1").get_text())
    assert "Index of companies and organisations" in heading


# --------------------------------------------------------------------------- dates


@DOCS_BUILD
def test_index_of_dates_has_publication_and_mention(html: Build, articles: list[Article]) -> None:
    """2025-01-21, the publication date of seed 000, is in the index, pointing into 000."""
    first = next(a for a in articles if a.seed_number == "000")
    assert str(first.meta["date"]).startswith("2025-01-21")
    page = soup(html.outdir / "ent-dates.html")
    rows = page.select("table.indextable tr")
    start = next(i for i, tr in enumerate(rows) if plain(tr.get_text()) == "2025-01-21")
    entries: list[tuple[str, str]] = []
    for tr in rows[start + 1:]:
        if not any(c.startswith("cg-") for c in tr.get("class", [])):
            break  # the next date
        link = tr.select_one("a")
        entries.append((plain(tr.get_text()), str(link["href"]) if link else ""))
    # The entry names the article and gives the date as its header writes it.
    assert (f"– published: {first.meta['title']} (21 January 2025)",
            f"articles/{first.slug}.html#{first.slug}") in entries, entries


@DOCS_BUILD
def test_timeline_gives_the_sentence_of_each_dated_mention(html: Build) -> None:
    """Every dated mention on the timeline stands in its sentence; publications are there too."""
    page = soup(html.outdir / "_generated" / "timeline.html")
    records = json.loads((html.outdir / "_static" / "entities.json").read_text("utf-8"))
    dates = [r for r in records if r["type"] == "date"]
    kwics = page.select("ul.entity-mentions .kwic")
    assert kwics
    hrefs = {str(a["href"]).split("#")[-1] for a in page.select("ul.entity-mentions a")}
    for record in dates:
        for mention in record["mentions"]:
            assert mention["anchor"] in hrefs, (record["iso"], mention)
    for kwic in kwics:
        date = kwic.select_one("strong.mention-text")
        assert date is not None
        assert len(plain(kwic.get_text())) > len(date.get_text())
    published = [plain(p.get_text()) for p in page.select("li.publication p")]
    assert any(p.startswith("published: ") for p in published)
    assert sum(len(r["published"]) for r in dates) == len(published)


@pytest.mark.parametrize(
    ("before", "shown", "after", "sentence"),
    [
        ("Foo. When OpenAI released ChatGPT on ", "Nov. 30, 2022", ", A.I. engineers wept. So.",
         "When OpenAI released ChatGPT on Nov. 30, 2022, A.I. engineers wept."),
        ("前文。」7 月中旬，", "2020年", "他说。后文", "7 月中旬，2020年他说。"),
        ("", "2014", " was the year", "2014 was the year"),
    ],
)
def test_sentence_around(before: str, shown: str, after: str, sentence: str) -> None:
    """The sentence of a mention, in English and Chinese, abbreviations kept inside."""
    assert sentence_around(before, shown, after) == sentence


# --------------------------------------------------------------------------- research data


@cache
def validator() -> str:
    """``jing`` when installed, else ``lxml``."""
    return "jing" if shutil.which("jing") else "lxml"


def validate(path: Path) -> list[str]:
    """Problems of a TEI file against tei_all.rng (empty when valid)."""
    if validator() == "jing":
        result = subprocess.run(["jing", str(TEI_SCHEMA), str(path)], capture_output=True,
                                text=True, check=False)
        return [line for line in result.stdout.splitlines() if line.strip()]
    schema = etree.RelaxNG(etree.parse(str(TEI_SCHEMA)))
    if schema.validate(etree.parse(str(path))):
        return []
    return [str(error) for error in schema.error_log]


@DOCS_BUILD
def test_every_article_has_a_valid_tei_file(html: Build, articles: list[Article]) -> None:
    """Each article's TEI file validates against the TEI P5 schema (tei_all)."""
    assert TEI_SCHEMA.is_file(), f"{TEI_SCHEMA} is missing"
    for article in articles:
        path = html.outdir / "data" / "tei" / f"{article.slug}.xml"
        assert path.is_file(), f"no TEI file for {article.slug}"
        assert validate(path) == [], article.slug


@DOCS_BUILD
def test_tei_holds_every_anchor_mention_and_date(html: Build, articles: list[Article]) -> None:
    """Every paragraph id, entity mention and dated mention of an article is in its TEI."""
    for article in articles:
        tree = etree.parse(str(html.outdir / "data" / "tei" / f"{article.slug}.xml"))
        ids = set(tree.xpath("//@xml:id", namespaces={"xml": XML_NS}))
        labels = [label for label in LABEL.findall(article.body)
                  + NAME_OPTION.findall(article.body) if re.search(r"-[psf]\d+$", label)]
        assert labels, article.slug
        for label in labels:
            assert NCNAME.match(xml_id(label))
            assert xml_id(label) in ids, f"{article.slug}: {label} not in the TEI"
        found = MENTION.findall(article.body)
        entities = Counter(t for role, _s, t in found if role == "ent")
        dates = Counter(t for role, _s, t in found if role == "date")
        names = Counter(tree.xpath("//tei:text//tei:persName/@key | //tei:text//tei:orgName/@key",
                                   namespaces=TEI))
        whens = Counter(tree.xpath("//tei:text//tei:date/@when", namespaces=TEI))
        assert names == entities, article.slug
        assert whens == dates, article.slug
        for element in tree.xpath("//tei:persName | //tei:orgName", namespaces=TEI):
            assert element.get("ref", "").split()[0].endswith(
                f"_generated/entities/{element.get('key')}.html"
            )
        header = tree.xpath("//tei:teiHeader//tei:title[@type='main']", namespaces=TEI)[0]
        editorial = [e.get("field") for e in article.meta.get("editorial") or []]
        if "title" in editorial:
            note_id = header.get("corresp", "").lstrip("#")
            note = tree.xpath(f"//tei:note[@xml:id='{note_id}']", namespaces=TEI)
            assert note and note[0].get("type") == "editorial" and note[0].get("resp")


@DOCS_BUILD
def test_tei_keeps_every_footnote_as_a_note(html: Build, articles: list[Article]) -> None:
    """Each footnote referenced in an article is a TEI note, though HTML shows it in the margin."""
    assert any(FOOTNOTE_REF.search(article.body) for article in articles)
    for article in articles:
        tree = etree.parse(str(html.outdir / "data" / "tei" / f"{article.slug}.xml"))
        notes = set(tree.xpath("//tei:text//tei:note[@place='foot']/@n", namespaces=TEI))
        assert notes == set(FOOTNOTE_REF.findall(article.body)), article.slug


@DOCS_BUILD
def test_bilingual_tei_pairs_are_linked(html: Build, articles: list[Article]) -> None:
    """The bilingual article: aligned ``p`` pairs in two languages joined by a linkGrp."""
    bilingual = next(a for a in articles if a.seed_number == "002")
    tree = etree.parse(str(html.outdir / "data" / "tei" / f"{bilingual.slug}.xml"))
    links = tree.xpath("//tei:linkGrp[@type='translation']/tei:link/@target", namespaces=TEI)
    assert links
    # Its figures are text: a caption (head) and the photo credit (a credit note).
    figures = tree.xpath("//tei:figure[tei:head][tei:note[@type='credit']]", namespaces=TEI)
    assert figures and all(f.get(f"{{{XML_NS}}}id") for f in figures)
    for target in links:
        first, second = (t.lstrip("#") for t in target.split())
        langs = [tree.xpath(f"//tei:p[@xml:id='{i}']/@xml:lang", namespaces=TEI)
                 for i in (first, second)]
        assert langs == [["en"], ["zh-Hant"]], target


@DOCS_BUILD
def test_data_page_links_every_file(html: Build, articles: list[Article]) -> None:
    """The research data page links every data file and every TEI file, which all exist."""
    page = soup(html.outdir / "data.html")
    hrefs = {str(a["href"]) for a in page.select("article a[href]")}
    wanted = {"_static/entities.json", "_static/entities.csv", "data/articles.json",
              "data/articles.csv", *(f"data/tei/{a.slug}.xml" for a in articles)}
    assert wanted <= hrefs, sorted(wanted - hrefs)
    for href in wanted:
        assert (html.outdir / href).is_file(), href
    assert "creativecommons.org/licenses/by/4.0" in " ".join(hrefs)
    rows = list(csv.DictReader(io.StringIO(
        (html.outdir / "_static" / "entities.csv").read_text("utf-8-sig"))))
    bytedance = next(r for r in rows if r["id"] == "bytedance")
    assert (bytedance["zh-Hans"], bytedance["wikidata"]) == ("字节跳动", "Q55606242")
    assert bytedance["url"].endswith(f"#{bytedance['anchor']}")
    metadata = json.loads((html.outdir / "data" / "articles.json").read_text("utf-8"))
    assert sorted(m["slug"] for m in metadata) == sorted(a.slug for a in articles)
