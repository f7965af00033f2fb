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
from bs4 import BeautifulSoup, Tag
from edition_builds import REPO, Article, Build
from lxml import etree

from edition.entities.domain import sentence_around
from edition.outputs.tei import NCNAME, TEI_NS, XML_NS, xml_id
from edition.web.search_index import read_index

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
    text = re.sub(r"\[\^[^\]]+\]", "", text)
    # Markdown's escapes (\$, \&) are shown as the character.
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


#: Lines of MyST structure, not text: directive fences and their options.
STRUCTURE = re.compile(r"^(:{3,}|`{3,}|:\w[\w-]*:)")


def article_paragraphs(articles: list[Article]) -> dict[str, tuple[str, str]]:
    """Every labelled paragraph (``-pN``) of the articles: label → (MyST text, shown text).

    A label (``(label)=``, or the ``:name:`` of a parallel pair) holds the lines after it up
    to the next label: a pair's two columns are one paragraph.
    """
    lines: dict[str, list[str]] = {}
    for article in articles:
        label = ""
        for line in article.body.splitlines():
            target = re.fullmatch(r"\(([\w-]+)\)=", line.strip()) or \
                re.fullmatch(r":name: ([\w-]+)", line.strip())
            if target is not None:
                label = target.group(1)
                continue
            if label and re.search(r"-p\d+$", label) and line.strip() \
                    and not STRUCTURE.match(line.strip()):
                lines.setdefault(label, []).append(line.strip())
    return {label: ("\n".join(text), plain(shown_text(" ".join(text))))
            for label, text in lines.items()}


def register(page: Path) -> dict[str, tuple[Tag, Tag]]:
    """A register page's entries: the head's name → (its ``dt``, its ``dd``)."""
    body = soup(page).select_one("div.edition-register")
    assert body is not None, page
    return {dt.select_one("a.register-name").get_text(): (dt, dt.find_next_sibling("dd"))
            for dt in body.select("dt")}


# --------------------------------------------------------------------------- the register


@DOCS_BUILD
def test_a_register_entry_has_one_line_per_text(html: Build, articles: list[Article]) -> None:
    """Alibaba, named in several texts, many times: its names, then a line per text.

    Each line gives the text's title once, every paragraph that names Alibaba (a link, with
    how many times when more than once) and the number of mentions: no row per paragraph
    repeating the title.
    """
    titles = {f"articles/{a.slug}": str(a.meta["title"]) for a in articles}
    want: dict[str, dict[str, int]] = {}
    for article in articles:
        for label, (text, _shown) in article_paragraphs([article]).items():
            count = sum(1 for role, _s, target in MENTION.findall(text)
                        if role == "ent" and target == "alibaba")
            if count:
                want.setdefault(f"articles/{article.slug}", {})[label] = count
    assert len(want) > 1 and sum(map(len, want.values())) > 10, "premise: a much named entity"
    entries = register(html.outdir / "ent-companies.html")
    dt, dd = entries["Alibaba Group"]
    assert [(s.get_text(), s.get("lang")) for s in dt.select("span[lang]")] == [
        ("阿里巴巴", "zh-Hans")]
    assert dt.select_one(".register-pinyin").get_text() == "ā lǐ bā bā"
    lines = dd.select("ul.register-texts > li")
    shown = [li.select_one(".register-text").get_text() for li in lines]
    assert len(shown) == len(set(shown)) == len(want)
    assert sorted(shown) == sorted(titles[doc] for doc in want)
    for li in lines:
        doc = next(d for d in want if titles[d] == li.select_one(".register-text").get_text())
        places = []
        for link in li.select("a.register-place"):
            times = link.find_next_sibling()
            times = times if times is not None and link.next_sibling is times \
                and "register-times" in times.get("class", []) else None
            places.append((link.get_text(), str(link["href"]).split("#")[1],
                           int(times.get_text().strip().lstrip("×")) if times else 1))
        assert places == [(f"¶{label.rsplit('-p', 1)[1]}", label, count)
                          for label, count in want[doc].items()]
        total = sum(want[doc].values())
        assert li.select_one(".register-count").get_text() == \
            f"{total} mention{'s' if total > 1 else ''}"
    # Names in the text face: no code, no toggles, no slanted Chinese.
    page = (html.outdir / "ent-companies.html").read_text(encoding="utf-8")
    assert "toggler" not in page and "<code" not in page and "<em>" not in page


@DOCS_BUILD
def test_no_page_or_entry_for_an_entity_no_text_names(
    html: Build, articles: list[Article]
) -> None:
    """A registry entity that no text names has no page, no entry, no line of the overview."""
    mentioned = {target for a in articles for role, _s, target in MENTION.findall(a.body)
                 if role == "ent"}
    records = json.loads((html.outdir / "_static" / "entities.json").read_text("utf-8"))
    entities = [r for r in records if r["type"] != "date"]
    unnamed = {r["id"] for r in entities if r["id"] not in mentioned and not r["mentions"]}
    assert unnamed, "premise: the registry holds entities no text names"
    folder = html.outdir / "_generated" / "entities"
    for entity_id in unnamed:
        assert not (folder / f"{entity_id}.html").exists(), entity_id
    labels = {r["label"] for r in entities if r["id"] in unnamed}
    for name in ("ent-companies.html", "ent-people.html"):
        assert not labels & set(register(html.outdir / name)), name
    overview = {str(a["href"]).split(".html")[0]
                for a in soup(folder / "index.html").select("table.entity-overview tbody a")}
    assert overview == {r["id"] for r in entities if r["id"] not in unnamed}
    for page in html.outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Not mentioned in the texts" not in text, page
        for entity_id in unnamed:
            assert f"entities/{entity_id}.html" not in text, (page, entity_id)
    searched = set(read_index(html.outdir)["docnames"])
    for entity_id in unnamed:
        assert f"_generated/entities/{entity_id}" not in searched, entity_id


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
    # Every entity with a page: those the texts name.
    entities = [r for r in records if r["type"] != "date" and r["page"]]
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
    dt, dd = register(html.outdir / "ent-dates.html")["2025-01-21"]
    assert dt.select_one(".register-words").get_text() == "21 January 2025"
    lines = {li.select_one(".register-text").get_text(): li
             for li in dd.select("ul.register-texts > li")}
    # The line names the article, and its first place is its publication, to its title.
    line = lines[str(first.meta["title"])]
    published = line.select("a.register-place")[0]
    assert published.get_text() == "published"
    assert published["href"] == f"articles/{first.slug}.html#{first.slug}"


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


def snippet_core(text: str) -> tuple[bool, str, bool]:
    """A snippet as (cut at its start, its words, cut at its end): ellipses taken off."""
    text = plain(text)
    start, end = text.startswith("…"), text.endswith("…")
    return start, text.strip("…").strip(), end


def is_word_char(char: str) -> bool:
    """A letter or digit of a Latin word (Chinese has no word boundaries to respect)."""
    return char.isascii() and char.isalnum()


@DOCS_BUILD
def test_no_snippet_is_cut_inside_a_word_without_an_ellipsis(
    html: Build, articles: list[Article]
) -> None:
    """On the timeline and the entity pages, a snippet cut inside its paragraph says so (…),
    and is cut between words, never inside one."""
    paragraphs = {label: shown for label, (_text, shown) in article_paragraphs(articles).items()}
    pages = [html.outdir / "_generated" / "timeline.html",
             *sorted((html.outdir / "_generated" / "entities").glob("*.html"))]
    checked = cut = 0
    for page in pages:
        for kwic in soup(page).select("ul.entity-mentions .kwic"):
            link = kwic.find_parent("li").select_one("a[href*='#']")
            label = str(link["href"]).split("#")[1]
            if label not in paragraphs:
                continue  # a heading or a figure caption
            start, words, end = snippet_core(kwic.get_text())
            paragraph = paragraphs[label]
            at = paragraph.find(words)
            assert at >= 0, (page.name, label, words)
            before = paragraph[at - 1] if at > 0 else ""
            after = paragraph[at + len(words):at + len(words) + 1]
            # Cut inside a word: never. Cut between words: only with an ellipsis.
            assert not (is_word_char(words[0]) and is_word_char(before)), (page.name, words)
            assert not (is_word_char(words[-1]) and is_word_char(after)), (page.name, words)
            assert start or not paragraph[:at].strip() \
                or re.search(r"[.!?。！？；”」]\s*$", paragraph[:at]), (page.name, words)
            assert end or at + len(words) == len(paragraph) \
                or re.search(r"[.!?。！？；”」)]$", words), (page.name, words)
            checked += 1
            cut += start or end
    assert checked > 300 and cut > 50, (checked, cut)


@DOCS_BUILD
def test_timeline_summary_states_the_range_of_its_dates(html: Build) -> None:
    """The summary and the chart span the years listed below them, counted from the data."""
    page = soup(html.outdir / "_generated" / "timeline.html")
    records = json.loads((html.outdir / "_static" / "entities.json").read_text("utf-8"))
    dates = [r for r in records if r["type"] == "date"]
    years = sorted({r["iso"][:4] for r in dates})
    sections = [h2.get_text().strip("#").strip() for h2 in page.select("article h2")]
    assert [y for y in sections if re.fullmatch(r"\d{4}", y)] == years
    mentions = sum(r["mention_count"] for r in dates)
    mentioned = sum(1 for r in dates if r["mention_count"])
    published = sum(len(r["published"]) for r in dates)
    summary = plain(page.select_one("p.timeline-summary").get_text())
    assert summary == (f"From {years[0]} to {years[-1]}: {mentions} dated mentions of "
                       f"{mentioned} dates in the texts, and the publication dates of "
                       f"{published} texts.")
    svg = page.select_one("svg.edition-timeline")
    assert svg.select_one("desc").get_text() == summary
    labels = [t.get_text() for t in svg.select("text") if re.fullmatch(r"\d{4}", t.get_text())]
    assert labels == [str(y) for y in range(int(years[0]), int(years[-1]) + 1)]


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
def test_tei_credits_roles_and_says_whose_date_it_is(html: Build, articles: list[Article]) -> None:
    """The author of an adapted original is no author of the text; a distributor's post is
    said to be the distributor's, as the header and the citations say."""
    adapted = distributed = 0
    for article in articles:
        tree = etree.parse(str(html.outdir / "data" / "tei" / f"{article.slug}.xml"))
        editorial = {e.get("field"): e for e in article.meta.get("editorial") or []}
        authors = tree.xpath("//tei:teiHeader//tei:author/text()", namespaces=TEI)
        if (editorial.get("authors") or {}).get("role") == "original-author":
            adapted += 1
            assert authors == [], article.slug
            credited = tree.xpath("//tei:sourceDesc//tei:respStmt[tei:resp[contains(., "
                                  "'original')]]/tei:name/text()", namespaces=TEI)
            assert credited == list(article.meta["authors"]), article.slug
        else:
            assert len(authors) == 2 * len(article.meta.get("authors") or []), article.slug
        note = tree.xpath("//tei:sourceDesc//tei:note[@type='date']/text()", namespaces=TEI)
        if article.meta.get("distributor") and "date" not in editorial:
            distributed += 1
            assert note and str(article.meta["distributor"]) in note[0], article.slug
        else:
            assert note == [], article.slug
    assert adapted and distributed  # the edition has both


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
