"""The entity component of the extension, through real Sphinx builds of small projects.

``tests/roots/test-entities`` is a tiny edition: three articles (Simplified Chinese,
Traditional Chinese, English with Traditional Chinese in parallel) marking entity and date
mentions, a home page with one mention, and a registry. Expected values are worked out from
those sources (by reading the MyST text independently of the extension), not copied from output.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from pybtex.database import parse_string

from converters.common.dates import date_target as parse_iso
from edition.entities.domain import collation_key, entity_domain, index_letter

ROOTS = Path(__file__).resolve().parent / "roots"
ENTITIES_ROOT = ROOTS / "test-entities"

#: A mention in MyST: role, shown text, target.
MENTION = re.compile(r"\{(ent|date)\}`([^`<]*?)\s*<([^`>]+)>`")
#: Lines that give the following text its anchor: a ``(label)=`` target or a ``:name:`` option.
ANCHOR_LINE = re.compile(r"^\((?P<label>[^)]+)\)=$|^:name:\s*(?P<name>\S+)$")


# --------------------------------------------------------------------------- oracle


def publication_dates(root: Path = ENTITIES_ROOT) -> set[str]:
    """ISO dates of the articles' publication, from their front matter (time dropped)."""
    found = set()
    for path in sorted((root / "articles").glob("*.md")):
        match = re.search(r"^date: '(\d{4}(?:-\d{2}(?:-\d{2})?)?)", path.read_text("utf-8"),
                          re.MULTILINE)
        if match:
            found.add(match.group(1))
    return found


def source_mentions(root: Path = ENTITIES_ROOT) -> list[tuple[str, str, str, str, str]]:
    """(kind, target, docname, anchor, text) of every mention, read from the MyST sources.

    The anchor of a mention is the last label (``(x)=`` or ``:name: x``) above it: in these
    sources every paragraph, heading and parallel pair has one.
    """
    found = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if rel.parts[0].startswith("_"):
            continue  # generated pages
        docname = rel.with_suffix("").as_posix()
        anchor = ""
        for line in path.read_text(encoding="utf-8").splitlines():
            label = ANCHOR_LINE.match(line.strip())
            if label:
                anchor = label.group("label") or label.group("name")
                continue
            for role, text, target in MENTION.findall(line):
                found.append(("entity" if role == "ent" else "date", target, docname, anchor, text))
    return found


def named_entities(root: Path = ENTITIES_ROOT) -> set[str]:
    """Registry ids the sources mention, or whose person an article names as its author."""
    named = {target for kind, target, *_ in source_mentions(root) if kind == "entity"}
    by_name = {label: record["id"] for record in registry_records(root)
               if record["type"] == "person" for label in record["labels"].values() if label}
    for path in sorted((root / "articles").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        authors = list(meta.get("authors") or [])
        for entry in meta.get("editorial") or []:
            if entry.get("field") == "authors":
                authors += entry.get("value") or []
        named.update(by_name[name] for name in authors if name in by_name)
    return named


def doc_title(docname: str, root: Path = ENTITIES_ROOT) -> str:
    """A document's title: its front matter's, else its first heading."""
    text = (root / f"{docname}.md").read_text(encoding="utf-8")
    match = re.search(r"^title: (.+)$", text, re.MULTILINE) or re.search(r"^# (.+)$", text,
                                                                           re.MULTILINE)
    assert match is not None, docname
    return match.group(1).strip()


def seed_of(docname: str, root: Path = ENTITIES_ROOT) -> str:
    """The seed an article comes from (its place in the edition's order); "~" for other pages."""
    match = re.search(r"^seed: (\S+)$", (root / f"{docname}.md").read_text("utf-8"), re.MULTILINE)
    return match.group(1) if match else "~"


def place_name(anchor: str) -> str:
    """How a register names a place: ¶ for a paragraph, § for a section, fig. for a figure."""
    match = re.search(r"-([psf])(\d+)$", anchor)
    if match is None:
        return "mentioned"
    return {"p": "¶", "s": "§", "f": "fig. "}[match.group(1)] + match.group(2)


def dated_articles(root: Path = ENTITIES_ROOT) -> int:
    """How many articles state a date in their front matter."""
    return sum(1 for path in (root / "articles").glob("*.md")
               if re.search(r"^date: '\d{4}", path.read_text("utf-8"), re.MULTILINE))


def registry_records(root: Path = ENTITIES_ROOT) -> list[dict[str, Any]]:
    """The test registry's records, read with PyYAML (not with the extension)."""
    import yaml

    data = yaml.safe_load((root / "_data" / "registry.yaml").read_text(encoding="utf-8"))
    return list(data["entities"])


def soup(path: Path) -> BeautifulSoup:
    """An HTML page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@dataclass(frozen=True)
class RegisterLine:
    """A text's line under a register entry, as the page shows it."""

    title: str
    #: The ``lang`` of the title (``""`` when it has none of its own).
    title_lang: str
    #: (label, href, times) of each place: ``("¶3", "articles/x.html#x-p3", 2)``.
    places: tuple[tuple[str, str, int], ...]
    #: The number of mentions the line states.
    mentions: int


@dataclass(frozen=True)
class RegisterEntry:
    """An entry of a register page: the head, its other names, a line per text."""

    group: str
    name: str
    href: str
    #: (text, lang, kind) of each other name: ``("字节跳动", "zh-Hans", "zh-Hans")``.
    names: tuple[tuple[str, str, str], ...]
    lines: tuple[RegisterLine, ...]


def register_entries(page: Path) -> list[RegisterEntry]:
    """Every entry of a register page, in order, as a reader sees it."""
    entries = []
    body = soup(page).select_one("div.edition-register")
    assert body is not None, f"{page.name} is not a register"
    group = ""
    for element in body.find_all(["h2", "dt"]):
        if element.name == "h2":
            group = element.get_text(strip=True)
            continue
        name = element.select_one("a.register-name")
        names = tuple(
            (span.get_text(), str(span.get("lang", "")),
             next(c for c in span["class"] if c.startswith("register-"))[len("register-"):])
            for span in element.select("span[class^='register-']"))
        lines = []
        for li in element.find_next_sibling("dd").select("ul.register-texts > li"):
            title = li.select_one(".register-text")
            places = []
            for link in li.select("a.register-place"):
                times = link.find_next_sibling()
                extra = times if times is not None and "register-times" in times["class"] \
                    and link.next_sibling is times else None
                places.append((link.get_text(), str(link["href"]),
                               int(extra.get_text().strip().lstrip("×")) if extra else 1))
            count = li.select_one(".register-count")
            lines.append(RegisterLine(title.get_text(), str(title.get("lang", "")),
                                      tuple(places),
                                      int(count.get_text().split()[0]) if count else 0))
        entries.append(RegisterEntry(group, name.get_text(), str(name["href"]), names,
                                     tuple(lines)))
    return entries


def register_groups(page: Path) -> list[str]:
    """The group headings of a register page (letters, years), in order."""
    return [h2.get_text(strip=True) for h2 in soup(page).select("div.edition-register h2")]


def built(app: Any) -> Path:
    """Build the app (incrementally when already built) and return its output folder."""
    app.build()
    return Path(app.outdir)


# --------------------------------------------------------------------------- pure parts


def test_collation_rule() -> None:
    """English labels sort as written; Chinese ones by toneless pinyin; accents do not count."""
    assert collation_key("ByteDance") == "bytedance"
    assert collation_key("知乎") == "zhihu"
    assert collation_key("Zoë") == "zoe"
    assert index_letter("知乎") == "Z"
    assert index_letter("360 Security") == "#"
    assert sorted(["知乎", "Xiaohongshu", "ByteDance"], key=collation_key) == [
        "ByteDance", "Xiaohongshu", "知乎",
    ]


def test_iso_dates() -> None:
    """Years, months and days are dates; impossible ones are not."""
    assert parse_iso("2025") == "2025"
    assert parse_iso("2025-01") == "2025-01"
    assert parse_iso("2024-02-29") == "2024-02-29"
    for bad in ("2025-13", "2023-02-29", "25-01-01", "2025/01/21", "January 2025"):
        assert parse_iso(bad) is None, bad


# --------------------------------------------------------------------------- HTML


@pytest.mark.sphinx("html", testroot="entities")
def test_build_is_clean(app: Any) -> None:
    """The test edition builds without a single warning."""
    built(app)
    assert app.warning.getvalue().strip() == ""


@pytest.mark.sphinx("html", testroot="entities")
def test_mentions_link_to_their_entries(app: Any) -> None:
    """Each mention links (or, repeated in its paragraph, keeps as its target) its entry.

    Entities go to their page, dates to their place on the timeline; a mention that is not a
    link (a name already linked in the paragraph, a date the timeline adds nothing to) keeps
    the same target for the reader's "every link" switch.
    """
    out = built(app)
    for kind, target, docname, _anchor, text in source_mentions():
        page = out / f"{docname}.html"
        spans = [
            s for s in soup(page).select(f"div.body span.mention-{kind}") if s.get_text() == text
        ]
        assert spans, (docname, text)
        for span in spans:
            link = span.find_parent("a")
            if not link.has_attr("href"):
                assert {"mention-repeat", "mention-quiet"} & set(link["class"]), link
            href = str(link.get("href") or link["data-href"])
            if kind == "entity":
                assert href.endswith(f"_generated/entities/{target}.html#entity-{target}")
            else:
                assert href.endswith(f"_generated/timeline.html#date-{target}")
            # The link leads somewhere that exists.
            file, _, fragment = href.partition("#")
            assert soup((page.parent / file).resolve()).find(id=fragment) is not None, href


@pytest.mark.sphinx("html", testroot="entities")
def test_entity_pages_list_every_mention(app: Any) -> None:
    """An entity's page links every mention of it, in every script, to its paragraph.

    An entity the texts never name has no page at all (no source, no HTML, no link to one).
    """
    out = built(app)
    expected: dict[str, list[tuple[str, str, str]]] = {}
    for kind, target, docname, anchor, text in source_mentions():
        if kind == "entity":
            expected.setdefault(target, []).append((docname, anchor, text))
    named = named_entities()
    assert "tencent" not in named and "li-yuan" in named and "li-yuan" not in expected
    for record in registry_records():
        page = out / "_generated" / "entities" / f"{record['id']}.html"
        if record["id"] not in named:
            assert not page.exists(), record["id"]
            assert not (Path(app.srcdir) / "_generated" / "entities" / f"{record['id']}.md"
                        ).exists()
            continue
        body = soup(page).select_one("div.body")
        assert body is not None
        # Labels in all scripts, description, Wikidata only when known.
        for label in record["labels"].values():
            assert label in body.get_text()
        assert record["description"] in body.get_text()
        wikidata = [a for a in body.select("a") if "wikidata.org" in str(a.get("href"))]
        assert len(wikidata) == (1 if record["wikidata"] else 0)
        # One line per paragraph: its link, a count when the name recurs there, and the
        # name in context once per language.
        lines: dict[str, tuple[set[str], int]] = {}
        for a in body.select("ul.entity-mentions a"):
            if not a.select_one("span.place"):
                continue
            line = a.find_parent("li")
            assert str(a["href"]) not in lines, f"{record['id']}: {a['href']} listed twice"
            count = line.select_one(".mention-count")
            lines[str(a["href"])] = (
                {m.get_text() for m in line.select("strong.mention-text")},
                int(count.get_text().strip().lstrip("×")) if count else 1,
            )
        want: dict[str, tuple[set[str], int]] = {}
        for docname, anchor, text in expected.get(record["id"], []):
            href = f"../../{docname}.html#{anchor}"
            texts, count = want.get(href, (set(), 0))
            want[href] = (texts | {text}, count + 1)
        assert set(lines) == set(want), record["id"]
        for href, (texts, count) in lines.items():
            assert texts <= want[href][0] and texts, (record["id"], href)
            assert count == want[href][1], (record["id"], href)
        # No page says its entity is not mentioned: a person named only as an author has
        # the articles they wrote and no list of mentions.
        assert "Not mentioned in the texts" not in body.get_text()
        assert bool(body.select("ul.entity-mentions")) == bool(want), record["id"]
    overview = soup(out / "_generated" / "entities" / "index.html").select_one(
        "table.entity-overview")
    assert overview is not None
    listed = {str(a["href"]).split("#")[0] for a in overview.select("tbody a")}
    assert listed == {f"{entity_id}.html" for entity_id in named}
    for page in out.rglob("*.html"):
        assert "entities/tencent.html" not in page.read_text(encoding="utf-8"), page
    assert entity_domain(app.env).mentioned_entities == named


@pytest.mark.sphinx("html", testroot="entities")
def test_mention_lists_say_their_language(app: Any) -> None:
    """Mention texts and titles carry lang, so browsers and screen readers use the right script."""
    out = built(app)
    body = soup(out / "_generated" / "entities" / "bytedance.html").select_one("div.body")
    assert body is not None
    by_anchor: dict[str, set[str]] = {}
    for a in body.select("ul.entity-mentions a"):
        if a.select_one("span.place"):
            for kwic in a.find_parent("li").select("span.kwic"):
                anchor = str(a["href"]).split("#")[1]
                by_anchor.setdefault(anchor, set()).add(kwic.get("lang", ""))
    # The article's main language, or that of the parallel column the mention stands in.
    assert by_anchor == {
        "china-envy-p1": {"en", "zh-Hant"},
        "red-note-p2": {"zh-Hans"},
        "red-note-p3": {"zh-Hans"},
        "tiktok-run-p1": {"zh-Hant"},
        "home-p1": {""},  # the home page states no language
    }
    titles = {s.get_text(): s.get("lang") for s in body.select("span.article")}
    assert titles["TikTok 快跑"] == "zh-Hant"
    assert titles["Silicon Valley has a China envy problem"] == "en"


@pytest.mark.sphinx("html", testroot="entities")
def test_cross_script_identity(app: Any) -> None:
    """字节跳动, 字節跳動 and ByteDance are one entity: one index entry, one page, one record."""
    out = built(app)
    records = json.loads((out / "_static" / "entities.json").read_text(encoding="utf-8"))
    bytedance = [r for r in records if r["id"] == "bytedance"]
    assert len(bytedance) == 1
    texts = {m["text"] for m in bytedance[0]["mentions"]}
    assert {"字节跳动", "字節跳動", "ByteDance"} <= texts
    entries = register_entries(out / "ent-companies.html")
    assert [e.name for e in entries].count("ByteDance") == 1
    # zh-Hans, zh-Hant and English articles all appear under that one entry.
    bytedance = next(e for e in entries if e.name == "ByteDance")
    hrefs = [href for line in bytedance.lines for _label, href, _times in line.places]
    for docname in ("articles/red-note", "articles/tiktok-run", "articles/china-envy"):
        assert any(href.startswith(f"{docname}.html#") for href in hrefs), docname


@pytest.mark.sphinx("html", testroot="entities")
def test_company_and_people_indices(app: Any) -> None:
    """A register: names by letter, each with its scripts, then one line per text.

    A line gives the text's title, every paragraph that names the entity (a link, with how
    many times when more than once) and the number of mentions, never a row per paragraph.
    """
    out = built(app)
    mentions = [(t, d, a, x) for k, t, d, a, x in source_mentions() if k == "entity"]
    registry = {r["id"]: r for r in registry_records()}
    companies = sorted(
        (r for r in registry.values() if r["type"] == "company" and r["id"] in named_entities()),
        key=lambda r: collation_key(r["label"]),
    )
    page = out / "ent-companies.html"
    entries = register_entries(page)
    assert [e.name for e in entries] == [r["label"] for r in companies]
    assert register_groups(page) == ["B", "D", "M", "T", "X", "Z"]  # 知乎 is under Z (zhihu)
    assert [e.group for e in entries if e.name == "知乎"] == ["Z"]
    assert "Tencent" not in page.read_text(encoding="utf-8")  # in the registry, never mentioned
    heads = {e.name: e for e in entries}
    bytedance = heads["ByteDance"]
    assert bytedance.href == "_generated/entities/bytedance.html#entity-bytedance"
    assert bytedance.names == (
        ("字节跳动", "zh-Hans", "zh-Hans"), ("字節跳動", "zh-Hant", "zh-Hant"),
        ("zì jié tiào dòng", "", "pinyin"))
    # 知乎 has no English name: the head itself is Chinese, with its lang.
    zhihu = soup(page).find("a", string="知乎")
    assert zhihu is not None and zhihu.get("lang") == "zh-Hans"
    # Texts in the edition's order (the seeds'), then the edition's own pages.
    order = {docname: seed_of(docname) for _t, docname, _a, _x in mentions}
    for entry in entries:
        entity_id = entry.href.split("#entity-")[1]
        want: dict[str, dict[str, int]] = {}
        for target, docname, anchor, _text in sorted(mentions, key=lambda m: order[m[1]]):
            if target == entity_id:
                places = want.setdefault(docname, {})
                places[anchor] = places.get(anchor, 0) + 1
        # One line per text, each paragraph once, in the order of the text.
        assert [line.title for line in entry.lines] == [doc_title(d) for d in want]
        for line, (docname, places) in zip(entry.lines, want.items(), strict=True):
            assert [(href, times) for _label, href, times in line.places] == [
                (f"{docname}.html#{anchor}", count) for anchor, count in places.items()]
            assert [label for label, _href, _times in line.places] == [
                place_name(anchor) for anchor in places]
            assert line.mentions == sum(places.values())
    # DeepSeek is named in both columns of the parallel pair: one place, "×2", two mentions.
    envy = heads["DeepSeek"].lines[0]
    assert (envy.places, envy.mentions) == (
        (("¶1", "articles/china-envy.html#china-envy-p1", 2),), 2)
    # Chinese titles carry the language of their text.
    titles = {line.title: line.title_lang for e in entries for line in e.lines}
    assert titles["TikTok 快跑"] == "zh-Hant"
    assert titles["TikTok、小红书和中国互联网占领世界梦想的破灭"] == "zh-Hans"
    assert titles["Silicon Valley has a China envy problem"] == ""

    people = register_entries(out / "ent-people.html")
    assert [e.name for e in people] == ["Li Yuan", "Zhang Yiming"]
    # Li Yuan is named only as an author: of one article by the source, of the other by the
    # editors, who say so.
    assert [(line.title, [label for label, *_ in line.places]) for line in people[0].lines] == [
        ("TikTok、小红书和中国互联网占领世界梦想的破灭", ["author"]),
        ("Silicon Valley has a China envy problem", ["author (attributed by the editors)"]),
    ]
    # An authorship is no mention: the line has no count.
    assert [line.mentions for line in people[0].lines] == [0, 0]
    # No toggles, no typewriter: the register is text.
    html = page.read_text(encoding="utf-8")
    assert "toggler" not in html and "modindextable" not in html
    assert not soup(page).select("div.edition-register code")


@pytest.mark.sphinx("html", testroot="entities")
def test_dates_index_is_chronological(app: Any) -> None:
    """Dates grouped by year, in time order, each linked to the timeline and to its places."""
    out = built(app)
    page = out / "ent-dates.html"
    # Dates mentioned, and the articles' publication dates ("published").
    dates = sorted({t for k, t, *_ in source_mentions() if k == "date"} | publication_dates())
    entries = register_entries(page)
    assert [e.name for e in entries] == dates
    assert register_groups(page) == sorted({d[:4] for d in dates})
    for entry in entries:
        assert entry.href == f"_generated/timeline.html#date-{entry.name}"
    published = next(e for e in entries if e.name == "2025-01-21")
    assert published.names == (("21 January 2025", "", "words"),)
    assert [(line.title, [label for label, *_ in line.places]) for line in published.lines] == [
        ("TikTok、小红书和中国互联网占领世界梦想的破灭", ["published", "¶2"])]


@pytest.mark.sphinx("html", testroot="entities")
def test_author_page_says_which_attribution_is_editorial(app: Any) -> None:
    """Li Yuan's page lists both articles; only the inferred one is marked, with its reason."""
    out = built(app)
    body = soup(out / "_generated" / "entities" / "li-yuan.html").select_one("div.body")
    assert body is not None
    items = body.select("ul.entity-articles > li")
    by_title = {li.select_one("span.article").get_text(): li for li in items}
    assert set(by_title) == {
        "Silicon Valley has a China envy problem",
        "TikTok、小红书和中国互联网占领世界梦想的破灭",
    }
    editorial = by_title["Silicon Valley has a China envy problem"].get_text()
    assert "supplied by the editors" in editorial
    assert "began this column in 2018" in editorial
    assert "supplied by the editors" not in by_title[
        "TikTok、小红书和中国互联网占领世界梦想的破灭"
    ].get_text()


@pytest.mark.sphinx("html", testroot="entities")
def test_related_articles(app: Any) -> None:
    """Other articles ranked by entities shared, ties by title; the home page has none."""
    out = built(app)

    def related(docname: str) -> list[str]:
        block = soup(out / f"{docname}.html").select_one("div.related-articles")
        if block is None:
            return []
        return [li.select_one("span.article").get_text() for li in block.select("li")]

    # red-note and tiktok-run share ByteDance, TikTok and Meituan; china-envy shares
    # ByteDance and TikTok with each of them.
    assert related("articles/red-note") == [
        "TikTok 快跑", "Silicon Valley has a China envy problem",
    ]
    assert related("articles/tiktok-run") == [
        "TikTok、小红书和中国互联网占领世界梦想的破灭", "Silicon Valley has a China envy problem",
    ]
    # A tie (two each): by title, and U+0020 sorts before U+3001.
    assert related("articles/china-envy") == [
        "TikTok 快跑", "TikTok、小红书和中国互联网占领世界梦想的破灭",
    ]
    block = soup(out / "articles/red-note.html").select_one("div.related-articles")
    assert "shares 3: ByteDance, Meituan, TikTok" in block.get_text()
    assert related("index") == []


@pytest.mark.sphinx("html", testroot="entities")
def test_timeline(app: Any) -> None:
    """The SVG has a linked bar per year with mentions; every year and date has its anchor."""
    out = built(app)
    page = soup(out / "_generated" / "timeline.html")
    svg = page.select_one("svg.edition-timeline")
    assert svg is not None
    mentioned = sorted({t for k, t, *_ in source_mentions() if k == "date"})
    dates = sorted(set(mentioned) | publication_dates())
    links = [str(a["href"]) for a in svg.select("a")]
    # Every year with a section below links to it (a year of publications only too).
    listed = sorted({d[:4] for d in dates})
    assert links == [f"#year-{y}" for y in listed]
    for year in listed:
        assert page.find(id=f"year-{year}") is not None
    for date in dates:
        assert page.find(id=f"date-{date}") is not None
    readings = [p.get_text() for p in page.select("p.timeline-date")]
    assert readings == [
        "2020 (year)", "2020-07 (July 2020)", "2020-07-24 (24 July 2020)", "2025 (year)",
        "2025-01-21 (21 January 2025)",
    ]
    # Years without mentions are drawn (as empty slots) so time is to scale, from the first
    # year listed to the last.
    labels = [t.get_text() for t in svg.select("text") if re.fullmatch(r"\d{4}", t.get_text())]
    assert labels == [str(y) for y in range(int(listed[0]), int(listed[-1]) + 1)]
    # The summary is counted from the data it sums up.
    mentions = [t for k, t, *_ in source_mentions() if k == "date"]
    summary = page.select_one("p.timeline-summary").get_text()
    assert summary == (f"From {listed[0]} to {listed[-1]}: {len(mentions)} dated mentions of "
                       f"{len(set(mentions))} dates in the texts, and the publication dates of "
                       f"{dated_articles()} texts.")
    assert svg.select_one("desc").get_text() == summary


@pytest.mark.sphinx("html", testroot="entities")
def test_placed_elsewhere_agrees_with_the_places(app: Any) -> None:
    """The quick test the reading transforms use says what the full list of places says."""
    built(app)
    domain = entity_domain(app.env)
    targets = [("date", iso) for iso in domain.dates()]
    targets += [("entity", entity_id) for entity_id in domain.registry]
    compared = 0
    for kind, target in targets:
        places = {(doc, anchor) for doc, anchor, _extra, _descr in domain.places_of(target, kind)}
        for here in [*places, ("articles/nowhere", "nowhere-p1")]:
            expected = any(place != here for place in places)
            assert domain.placed_elsewhere(target, kind, here) is expected, (kind, target, here)
            compared += 1
    # Both answers occur: a target placed once (only "here") and targets placed several times.
    answers = {domain.placed_elsewhere(t, k, p[:2]) for k, t in targets
               for p in domain.places_of(t, k)}
    assert answers == {True, False} and compared > len(targets)


@pytest.mark.sphinx("html", testroot="entities")
def test_export(app: Any) -> None:
    """entities.json and entities.csv hold every registry entity and date with its mentions."""
    out = built(app)
    records = json.loads((out / "_static" / "entities.json").read_text(encoding="utf-8"))
    registry = registry_records()
    mentions = source_mentions()
    for record in records:
        assert set(record) == {
            "id", "type", "label", "labels", "pinyin", "aliases", "wikidata", "iso", "page",
            "mention_count", "text_count", "mentions", "published",
        }
        assert record["mention_count"] == len(record["mentions"])
        assert set(record["labels"]) == {"en", "zh-Hans", "zh-Hant"}
    entities = [r for r in records if r["type"] != "date"]
    assert sorted(r["id"] for r in entities) == sorted(r["id"] for r in registry)
    assert all(r["iso"] == "" for r in entities)
    # Only an entity the texts name has a page to point to.
    named = named_entities()
    assert {r["id"] for r in entities if r["page"]} == named
    for record in entities:
        if record["page"]:
            assert (out / record["page"]).is_file(), record["page"]
    dates = [r for r in records if r["type"] == "date"]
    assert [r["iso"] for r in dates] == sorted(
        {t for k, t, *_ in mentions if k == "date"} | publication_dates()
    )
    exported = sorted(
        ("date" if r["type"] == "date" else "entity", r["id"], m["doc"], m["anchor"], m["text"])
        for r in records
        for m in r["mentions"]
    )
    assert exported == sorted(mentions)
    date = next(r for r in dates if r["iso"] == "2025-01-21")
    assert date["labels"] == {"en": "2025-01-21", "zh-Hans": "2025年1月21日",
                              "zh-Hant": "2025年1月21日"}

    rows = list(csv.reader(io.StringIO(
        (out / "_static" / "entities.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["id", "type", "label", "zh-Hans", "zh-Hant", "pinyin", "aliases",
                       "wikidata", "iso", "doc", "anchor", "text", "url"]
    assert len(rows) - 1 == len(mentions)
    assert all(r[12].endswith(f"{r[9]}.html#{r[10]}") for r in rows[1:])
    assert sorted((r[0], r[9], r[10], r[11]) for r in rows[1:]) == sorted(
        (m[1], m[2], m[3], m[4]) for m in mentions
    )


@pytest.mark.slow  # a parallel and a serial build
@pytest.mark.sphinx("html", testroot="entities", srcdir="entities-parallel", parallel=2,
                    freshenv=True)
def test_parallel_build_exports_the_same(app: Any, make_app: Callable[..., Any],
                                        tmp_path: Path) -> None:
    """Reading in two processes gives the same data as reading in one."""
    parallel = built(app)
    status = re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())
    # Read in parallel: progress is reported per chunk of documents, "first .. last".
    assert re.search(r"reading sources\.\.\. \[ *\d+%\] \S+ \.\. \S+", status)
    serial_src = tmp_path / "serial"
    shutil.copytree(ENTITIES_ROOT, serial_src)
    serial_app = make_app("html", srcdir=serial_src, freshenv=True)
    serial = built(serial_app)
    for name in ("entities.json", "entities.csv"):
        exported = (parallel / "_static" / name).read_bytes()
        assert exported == (serial / "_static" / name).read_bytes()
    for name in ("ent-companies.html", "ent-people.html", "ent-dates.html"):
        assert register_entries(parallel / name) == register_entries(serial / name)
    pages = sorted(p.relative_to(serial).as_posix() for p in serial.rglob("*.html"))
    assert sorted(p.relative_to(parallel).as_posix() for p in parallel.rglob("*.html")) == pages


def own_warnings(app: Any) -> list[str]:
    """The build's warnings, but those of Sphinx's nodes registered again in this process."""
    return [line for line in app.warning.getvalue().splitlines()
            if line.strip() and "is already registered" not in line]


def test_incremental_build(make_app: Callable[..., Any], tmp_path: Path) -> None:
    """A rebuild reads nothing; a first mention makes the entity's page, its last takes it away."""
    src = tmp_path / "incremental"
    shutil.copytree(ENTITIES_ROOT, src)
    first = make_app("html", srcdir=src, freshenv=True)
    out = built(first)
    page = src / "_generated" / "entities" / "tencent.md"
    html = out / "_generated" / "entities" / "tencent.html"
    index = src / "_generated" / "entities" / "index.md"
    assert not page.exists() and not html.exists()
    stamp = index.stat().st_mtime_ns
    again = make_app("html", srcdir=src)
    built(again)
    assert "0 added, 0 changed, 0 removed" in again.status.getvalue()
    assert index.stat().st_mtime_ns == stamp  # the generated source did not change

    article = src / "articles" / "tiktok-run.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original + "\n(tiktok-run-p3)=\n{ent}`騰訊 <tencent>`沒有回應。\n",
                       encoding="utf-8")
    second = make_app("html", srcdir=src)
    built(second)
    assert own_warnings(second) == []
    body = soup(html).select_one("div.body")
    assert body is not None
    links = [str(a["href"]) for a in body.select("ul.entity-mentions a")]
    assert "../../articles/tiktok-run.html#tiktok-run-p3" in links
    assert "Tencent" in [e.name for e in register_entries(out / "ent-companies.html")]
    mention = soup(out / "articles" / "tiktok-run.html").find("span", string="騰訊")
    assert mention is not None
    assert str(mention.find_parent("a")["href"]).endswith("entities/tencent.html#entity-tencent")

    article.write_text(original, encoding="utf-8")
    third = make_app("html", srcdir=src)
    built(third)
    assert own_warnings(third) == []
    assert not page.exists()
    assert "_generated/entities/tencent" not in third.env.all_docs
    assert "Tencent" not in [e.name for e in register_entries(out / "ent-companies.html")]
    assert "tencent" not in (out / "_generated" / "entities" / "index.html").read_text("utf-8")


def test_a_new_reading_order_rewrites_the_entity_pages(make_app: Callable[..., Any],
                                                       tmp_path: Path) -> None:
    """The editorial decisions file alone reorders two texts of one seed: the entity page that
    lists both is written again, in the new order (nothing else about the texts changed)."""
    src = tmp_path / "order"
    shutil.copytree(ENTITIES_ROOT, src)
    tiktok = src / "articles" / "tiktok-run.md"
    tiktok.write_text(tiktok.read_text(encoding="utf-8").replace(
        "seed: 001_test.txt", "seed: 000_test.txt"), encoding="utf-8")  # one seed, two texts
    decisions = src / "_data" / "editorial.yaml"

    def order(first: str, second: str) -> list[str]:
        decisions.write_text(yaml.safe_dump({"seeds": {"000_test.txt": {
            "articles": [{"slug": first}, {"slug": second}]}}}), encoding="utf-8")
        app = make_app("html", srcdir=src, confoverrides={
            "edition_editorial": "_data/editorial.yaml"})
        out = built(app)
        body = soup(out / "_generated" / "entities" / "tiktok.html").select_one("div.body")
        assert body is not None
        texts = [str(a["href"]).split("#")[0].rsplit("/", 1)[-1]
                 for a in body.select("ul.entity-mentions a")]
        # each of the two texts once, in the page's order
        return [text for text in dict.fromkeys(texts) if text in {f"{first}.html",
                                                                   f"{second}.html"}]

    assert order("red-note", "tiktok-run") == ["red-note.html", "tiktok-run.html"]
    assert order("tiktok-run", "red-note") == ["tiktok-run.html", "red-note.html"]


# --------------------------------------------------------------------------- LaTeX


@pytest.mark.sphinx("latex", testroot="entities")
def test_latex_indices(app: Any) -> None:
    """The .tex has the three indices, in order, each page reference pointing at a label."""
    out = built(app)
    assert app.warning.getvalue().strip() == ""
    tex = (out / "entities.tex").read_text(encoding="utf-8")
    titles = re.findall(r"\\renewcommand\{\\indexname\}\{([^}]*)\}", tex)
    assert titles[:3] == [
        "Index of companies and organisations", "Index of people", "Index of dates"
    ]
    indices = re.findall(r"\\begin\{sphinxtheindex\}(.*?)\\end\{sphinxtheindex\}", tex, re.S)
    assert len(indices) == 3
    companies, people, dates = indices
    entry = re.compile(r"\\sphinxstyleindexentry\{((?:[^{}]|\{\})*)\}")
    heads = [e for e in entry.findall(companies) if not e.startswith("–")]
    assert heads == ["ByteDance", "DeepSeek", "Meituan", "TikTok", "Xiaohongshu", "知乎"]
    assert [e for e in entry.findall(people) if not e.startswith("–")] == [
        "Li Yuan", "Zhang Yiming",
    ]
    date_heads = [e.replace(r"\sphinxhyphen{}", "-") for e in entry.findall(dates)
                  if not e.startswith("–")]
    assert date_heads == sorted(
        {t for k, t, *_ in source_mentions() if k == "date"} | publication_dates()
    )
    assert re.findall(r"\\bigletter\{([^}]*)\}", dates) == ["2020", "2025"]
    # Page numbers need a \label for every \pageref (parallel pairs included), and links too.
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]+)\}\}", tex))
    pagerefs = re.findall(r"\\sphinxstyleindexpageref\{([^:]+):\\detokenize\{([^}]+)\}\}", tex)
    assert pagerefs
    assert [f"{d}:{a}" for d, a in pagerefs if f"{d}:{a}" not in labels] == []
    assert "articles/china-envy:china-envy-p1" in labels
    # Links made by this component: to mentions' paragraphs, entity pages, dates, articles.
    places = {f"{d}:{a}" for _k, _t, d, a, _x in source_mentions()}
    ours = {
        ref for ref in re.findall(r"\\hyperref\[\\detokenize\{([^}]+)\}\]", tex)
        if ref in places or ref.endswith("::doc")
        or re.search(r":(entity|date|year)-[^:]+$", ref)
    }
    assert len(ours) > len(places)
    assert sorted(ours - labels) == []
    # Index entries are names and titles: set in the text face, not typewriter.
    assert r"\usepackage{sphinxeditionindex}" in tex
    style = (out / "sphinxeditionindex.sty").read_text(encoding="utf-8")
    assert r"\renewcommand{\sphinxstyleindexentry}[1]{#1}" in style
    # The timeline is a table in the PDF, not SVG.
    assert "<svg" not in tex
    assert "Dated mentions" in tex


# --------------------------------------------------------------------------- mistakes


@pytest.mark.sphinx("html", testroot="entities-warnings")
def test_unknown_id_and_malformed_date_warn(app: Any) -> None:
    """Each mistake is a warning naming the file and line; the text is still shown."""
    out = built(app)
    warnings = app.warning.getvalue()
    assert re.search(r"index\.md:7: WARNING: unknown entity id 'no-such-company'", warnings)
    assert re.search(r"index\.md:10: WARNING: malformed date '2025-13'", warnings)
    assert warnings.count("WARNING") == 2
    page = soup(out / "index.html")
    text = page.get_text()
    assert "某公司" in text and "2025年13月" in text
    # Neither mistake is a link; a mention without shown text shows the label or the date.
    unknown = page.select("span.mention-unknown")
    assert [s.get_text() for s in unknown] == ["某公司", "2025年13月"]
    assert all(s.find_parent("a") is None for s in unknown)
    plain = page.find(id="mistakes-p4")
    assert [s.get_text() for s in plain.select("a span.mention")] == ["ByteDance", "2025-01"]


def test_warnings_fail_a_strict_build(tmp_path: Path) -> None:
    """With -W (as the edition is built), a mistake in a mention fails the build."""
    from sphinx.cmd.build import build_main

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-entities-warnings", src)
    assert build_main(["-W", "-q", "-b", "html", str(src), str(tmp_path / "out")]) != 0


def test_registry_error_fails_the_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An invalid registry fails the build; each problem is reported as file:line, no crash."""
    from sphinx.cmd.build import build_main

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-entities-warnings", src)
    status = build_main([
        "-q", "-b", "html", "-D", "edition_registry=_data/broken.yaml",
        str(src), str(tmp_path / "out"),
    ])
    err = capsys.readouterr().err
    assert status != 0
    first = re.search(r"broken\.yaml:9: ERROR: id 'ByteDance Ltd' must be ASCII lower-case", err)
    assert first is not None
    assert re.search(r"broken\.yaml:10: ERROR: .*type 'corporation'", err)
    assert "Traceback" not in err and "please open an issue" not in err


def test_missing_registry_fails_the_build(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A registry path that leads nowhere says so."""
    from sphinx.cmd.build import build_main

    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-entities-warnings", src)
    status = build_main([
        "-q", "-b", "html", "-D", "edition_registry=_data/nowhere.yaml",
        str(src), str(tmp_path / "out"),
    ])
    err = capsys.readouterr().err
    assert status != 0
    assert "nowhere.yaml: registry file not found" in err
    assert "Traceback" not in err and "please open an issue" not in err


@pytest.mark.sphinx(
    "latex", testroot="entities",
    confoverrides={"latex_domain_indices": False, "edition_book_omit": ["_generated/*"]},
)
def test_book_indices(app: Any) -> None:
    """The book's own indices: each entry its names and the labels of its places, in order."""
    out = built(app)
    assert app.warning.getvalue().strip() == ""
    tex = (out / "entities.tex").read_text(encoding="utf-8")
    assert r"\begin{sphinxtheindex}" not in tex
    chapters = re.findall(r"\\chapter\{([^}]*)\}", tex)
    assert chapters[-3:] == [
        "Index of companies and organisations", "Index of people", "Index of dates"]
    # The entity pages are not in the book, and mentions are text, not links to them.
    assert "_generated/entities" not in tex
    # Each line ends with the entity's registry id, as a comment.
    entries = re.findall(r"\\editionindexentry\{(.*?)\}\{([^}]*)\}(?:% [a-z0-9-]+)?\n", tex)
    names = [name for name, _labels in entries]
    assert names[0].startswith("ByteDance (字节跳动")
    assert any(name.startswith("Li Yuan") for name in names)
    # Every place is a label of the book, given in the order of the book.
    labels = set(re.findall(r"\\label\{\\detokenize\{([^}]+)\}\}", tex))
    used = [label for _name, found in entries for label in found.split(",")]
    assert used and [label for label in used if label not in labels] == []
    # One place per mention, labelled at the mention itself (a paragraph may turn a page).
    mentioned = sorted(d for _k, t, d, _a, _x in source_mentions() if t == "bytedance")
    bytedance = next(found for name, found in entries if name.startswith("ByteDance"))
    assert sorted(label.partition(":")[0] for label in bytedance.split(",")) == mentioned
    assert all(":edition-mention-" in label for label in bytedance.split(","))
    dates = {t for k, t, *_ in source_mentions() if k == "date"}
    # the texts' own publication dates are in the index of dates too, to the day at most
    published = {str(yaml.safe_load(p.read_text(encoding="utf-8").split("---\n")[1])["date"])[:10]
                 for p in (ENTITIES_ROOT / "articles").glob("*.md")}
    assert len([n for n in names if re.search(r"\b(19|20)\d\d$", n)]) == len(dates | published)


def test_a_changed_setting_is_remembered_after_a_build_that_reads_nothing(
        make_app: Callable[..., Any], tmp_path: Path) -> None:
    """New page addresses rewrite every article's files once, not again on every later build.

    Sphinx saves its environment only after a build that read a document; a changed file suffix
    makes it re-read nothing, so the edition keeps its settings' digest beside the doctrees.
    """
    from edition.citation.changed import _BUILDS

    src = tmp_path / "settings"
    shutil.copytree(ENTITIES_ROOT, src)
    built(make_app("html", srcdir=src, freshenv=True))
    address = {"html_file_suffix": ".htm"}
    second = make_app("html", srcdir=src, confoverrides=address)
    out = built(second)
    assert _BUILDS[second].docnames == [] and _BUILDS[second].settings_changed
    bib = parse_string((out / "articles" / "red-note.bib").read_text(encoding="utf-8"), "bibtex")
    # no base URL here: the page's new address is in the note, not in url
    assert "articles/red-note.htm." in bib.entries["red-note"].fields["note"]
    third = make_app("html", srcdir=src, confoverrides=address)
    built(third)
    assert _BUILDS[third].docnames == [] and not _BUILDS[third].settings_changed
