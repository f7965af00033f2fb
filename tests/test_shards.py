"""An edition built in shards (scripts/shards.py, edition/outputs/shards.py) is the single build.

The pure parts first (plans, stubs, records, the search index's merge); then 30 corpus posts
built once whole and once in two shards (by source) and the joined site compared with the
single build: the same pages byte for byte, every link of the joined site leading somewhere,
the registers, the search index and a few searches, the inventory. The comparison is only
worth something if the shards need each other: the test checks that related articles link
across the shards and that the home page cites a paragraph of each shard's text. The edition
itself (docs/, seven texts) is built in two shards too, where the corpus is absent.
"""

from __future__ import annotations

import importlib.util
import json
import pickle
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from corpus import AVAILABLE, CORPUS, REASON
from edition_builds import copy_edition

from edition.entities.domain import Authorship, Mention, Publication
from edition.outputs.shards import (
    ArticleRecords,
    ShardError,
    parse_records,
    read_plan,
    records_json,
)

REPO = Path(__file__).resolve().parents[1]
#: Posts of the corpus in the sample (spread evenly over it: both sources, every year).
SAMPLE = 30


def load_script(name: str, path: Path) -> ModuleType:
    """A module of scripts/ or benchmarks/ (neither is a package; a module there imports the
    modules beside it)."""
    if name not in sys.modules:
        if str(path.parent) not in sys.path:
            sys.path.append(str(path.parent))
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


shards = load_script("shards_script", REPO / "scripts" / "shards.py")


# --------------------------------------------------------------------------- the pure parts


ARTICLE = """\
---
title: 一篇文章
publisher: 财新周刊
date: '2020-05-01'
---

(caixin-x)=
# 一篇文章 {ent}`字节跳动 <bytedance>`

(caixin-x-p1)=
第一段。

:::{figure} https://example.org/a.jpg
:name: caixin-x-f1

# not a heading: inside a directive
:::

(caixin-x-s1)=
## 第二节

```text
# not a heading either
```

(caixin-x-p2)=
第二段。
"""


def test_a_stub_keeps_the_front_matter_and_the_outline_only() -> None:
    stub = shards.stub_text(ARTICLE)
    assert stub == ("---\ntitle: 一篇文章\npublisher: 财新周刊\ndate: '2020-05-01'\n---\n\n"
                    "(caixin-x)=\n# 一篇文章 {ent}`字节跳动 <bytedance>`\n\n"
                    "(caixin-x-s1)=\n## 第二节\n")


def articles(*specs: tuple[str, str, str]) -> list[Any]:
    return [shards.Article(Path(f"{name}.md"), f"articles/{name}", source, year)
            for name, source, year in specs]


def test_shards_keep_a_source_or_a_year_whole_and_balance_the_rest() -> None:
    found = articles(("a", "NYT", "2020"), ("b", "NYT", "2021"), ("c", "Caixin", "2020"),
                     ("d", "NYT", "2020"), ("e", "Other", "2019"))
    by_source = shards.plan_shards(found, 2, "source")
    assert [[a.docname[9:] for a in shard] for shard in by_source] == [["a", "b", "d"],
                                                                        ["c", "e"]]
    by_year = shards.plan_shards(found, 2, "year")
    assert [[a.docname[9:] for a in shard] for shard in by_year] == [["a", "c", "d"],
                                                                      ["b", "e"]]
    by_name = shards.plan_shards(found, 2, "name")
    assert [len(shard) for shard in by_name] == [3, 2]
    with pytest.raises(ValueError, match="cannot make 4 shards"):
        shards.plan_shards(found, 4, "source")


def test_records_come_back_as_they_went() -> None:
    records = [ArticleRecords(
        "articles/x", "第一句。", "zh-Hans",
        (Mention("entity", "bytedance", "articles/x", "x-p1", "字节跳动", 0, "zh-Hans", "在",
                 "之后"),),
        (Authorship("li-yuan", "articles/x", "x", False, ""),),
        Publication("articles/x", "2020-05-01", "x", True))]
    assert parse_records(records_json(records, {"index": "index.md"}), "here") == records
    with pytest.raises(ShardError, match="not a shard's records file"):
        parse_records('{"version": 1, "articles": {"a": {}}}', "here")


def test_a_plan_that_is_not_one_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps({"version": 1, "name": "s", "own": ["articles/a"],
                                "peers": ["../b/records.json"]}), encoding="utf-8")
    plan = read_plan(path)
    assert plan.own == {"articles/a"} and plan.peers == (tmp_path / "../b/records.json",)
    path.write_text('{"version": 1, "name": "s", "own": "articles/a"}', encoding="utf-8")
    with pytest.raises(ShardError, match="lists of docnames"):
        read_plan(path)


def test_a_write_step_search_knows_what_it_will_not_write(tmp_path: Path) -> None:
    from edition.web.search_index import RECORDS_NAME, PageRecord, Records

    def page(docname: str) -> PageRecord:
        return PageRecord(docname, f"{docname}.html", docname, "", [], {"x": [0]}, set())

    earlier = Records(pages={"index": page("index")}, files={"t/0.abc.js": "abc"},
                      manifest={"build": "abc"})
    (tmp_path / RECORDS_NAME).write_bytes(pickle.dumps(earlier))
    shards.prepare_search(tmp_path, ["index", "articles/a", "articles/b"],
                          {"articles/a": page("articles/a")})
    records = pickle.loads((tmp_path / RECORDS_NAME).read_bytes())
    # no page is read again to be indexed; the shards' pages are indexed with the hub's
    assert records.skipped == {"index", "articles/a", "articles/b"}
    assert set(records.pages) == {"index", "articles/a"}
    # a new output folder: every file of the index is written there
    assert records.files == {} and records.manifest == {}


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """30 corpus posts built whole and in two shards by source; the comparison."""
    if not AVAILABLE:
        pytest.skip(REASON)
    bench = load_script("bench", REPO / "benchmarks" / "bench.py")
    work = tmp_path_factory.mktemp("shards")
    posts = bench.sample(bench.corpus_posts(CORPUS), SAMPLE)
    project, convert = bench.corpus_project(work, "project", posts)
    assert convert.ok, convert.output[-2000:]
    cited = cite_a_paragraph_of_each_shard(project)
    single = bench.sphinx("html", project, work / "single")
    assert single.ok, single.output[-3000:]
    sharded = shards.build_sharded(project, work / "sharded", 2, "source")
    comparison = shards.compare_sites(work / "single" / "html", sharded.html,
                                      shards.DEFAULT_QUERIES)
    return {"single": work / "single" / "html", "sharded": sharded, "cited": cited,
            "comparison": comparison}


def cite_a_paragraph_of_each_shard(project: Path) -> list[str]:
    """Cite the second paragraph of a text of each shard on the home page (an edition's page
    may cite a paragraph; a text may not): the hub holds those texts as stubs only."""
    cited = []
    for shard in shards.plan_shards(shards.read_articles(project), 2, "source"):
        for article in shard:
            if f"({article.path.stem}-p2)=" in article.path.read_text(encoding="utf-8"):
                cited.append(f"{article.path.stem}-p2")
                break
    with (project / "index.md").open("a", encoding="utf-8") as index:
        index.write("\nCited: " + ", ".join(f"{{ref}}`a paragraph <{label}>`"
                                            for label in cited) + ".\n")
    return cited


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=REASON)
def test_the_shards_need_each_other(built: dict[str, Any]) -> None:
    sharded = built["sharded"]
    assert [len(s.articles) for s in sharded.shards] == [20, 10]  # the NYT, Caixin
    pages = {s.name: {f"{d.split('/')[-1]}.html" for d in s.own} for s in sharded.shards}
    crossing = 0
    for shard in sharded.shards:
        others = set().union(*(p for name, p in pages.items() if name != shard.name))
        for page in pages[shard.name]:
            text = (sharded.html / "articles" / page).read_text(encoding="utf-8")
            related = text.partition('related-articles')[2]
            crossing += sum(1 for href in re.findall(r'href="([^"#]+)', related)
                            if href in others)
    assert crossing >= 5, "related articles should link from one shard to the other"
    index = (sharded.html / "index.html").read_text(encoding="utf-8")
    for label in built["cited"]:
        assert f'.html#{label}"' in index


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=REASON)
def test_the_joined_site_is_the_single_build(built: dict[str, Any]) -> None:
    comparison = built["comparison"]
    print("\n".join(comparison.lines()))
    assert len(built["cited"]) == 2
    assert comparison.pages >= 60
    assert comparison.identical == comparison.pages, comparison.bodies_differ
    assert not comparison.only_single and not comparison.only_joined
    assert not comparison.other_files_differ


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=REASON)
def test_every_link_of_the_joined_site_resolves(built: dict[str, Any]) -> None:
    comparison = built["comparison"]
    assert comparison.links_checked > 1000
    assert comparison.broken_links == []


@pytest.mark.slow
@pytest.mark.skipif(not AVAILABLE, reason=REASON)
def test_registers_search_and_inventory_are_the_single_builds(built: dict[str, Any]) -> None:
    comparison = built["comparison"]
    assert set(comparison.registers) == {"ent-companies.html", "ent-people.html",
                                         "ent-dates.html"}
    assert set(comparison.registers.values()) == {"same"}
    assert set(comparison.search) == {"docs", "terms", "titleterms", "alltitles", "units"}
    assert set(comparison.search.values()) == {"same"}
    assert set(comparison.queries) == set(shards.DEFAULT_QUERIES)
    assert all(" / " not in found for found in comparison.queries.values())
    assert comparison.inventory == "same"
    assert comparison.matches


@pytest.mark.slow
def test_the_edition_in_shards_is_its_single_build(tmp_path: Path) -> None:
    bench = load_script("bench", REPO / "benchmarks" / "bench.py")
    copy_edition(tmp_path)
    for page in ("README.md", "CONTRIBUTING.md"):  # docs/ includes them
        (tmp_path / page).write_bytes((REPO / page).read_bytes())
    single = bench.sphinx("html", tmp_path / "docs", tmp_path / "single")
    assert single.ok, single.output[-3000:]
    sharded = shards.build_sharded(tmp_path / "docs", tmp_path / "sharded", 2, "source")
    assert [len(s.own) for s in sharded.shards] == [4, 3]
    comparison = shards.compare_sites(tmp_path / "single" / "html", sharded.html)
    print("\n".join(comparison.lines()))
    assert comparison.identical == comparison.pages > 100
    assert comparison.matches
