"""What the search index reads of each page, and what the search page knows of names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from edition_builds import _build, root_build
from sphinx.testing.util import SphinxTestApp

from edition.web.search import SearchChineseFolded
from edition.web.search_index import read_index
from edition.web.search_pages import NAMES_SCRIPT_NAME, alias_term, entity_term

pytestmark = pytest.mark.sphinx("html", testroot="search")


def index_of(app: SphinxTestApp) -> dict[str, Any]:
    """The built search index as data, in the shape of Sphinx's searchindex.js."""
    return read_index(Path(app.outdir))


def pages_with(index: dict[str, Any], word: str, table: str = "terms") -> set[str]:
    """The pages whose words (or titles, with ``table="titleterms"``) hold an index word."""
    found = index[table].get(word, [])
    return {index["docnames"][i] for i in (found if isinstance(found, list) else [found])}


def stem(word: str) -> str:
    """An index word as the index stores it."""
    return SearchChineseFolded({}).stem(word).lower()


@pytest.fixture
def index(app: SphinxTestApp) -> dict[str, Any]:
    app.build()
    return index_of(app)


def test_a_name_written_without_a_tag_gives_the_page_its_entity(index: dict[str, Any]) -> None:
    """festival tags ByteDance and writes Zhang Yiming untagged; notes writes him untagged."""
    assert pages_with(index, stem(entity_term("bytedance"))) >= {
        "articles/festival", "articles/run"}
    assert pages_with(index, stem(entity_term("zhang-yiming"))) >= {
        "articles/festival", "articles/run", "notes"}


def test_a_search_alias_written_gives_the_page_its_term(index: dict[str, Any]) -> None:
    """festival writes "Double 11", notes writes 双十一: both carry the alias's term."""
    assert pages_with(index, stem(alias_term(0))) == {"articles/festival", "notes"}


def test_an_entity_page_is_found_by_its_names_not_by_what_it_quotes(
        index: dict[str, Any]) -> None:
    """ByteDance's page quotes festival ("A wombat watched as ByteDance …"): wombat is not its."""
    page = "_generated/entities/bytedance"
    assert pages_with(index, "wombat") == {"articles/festival"}
    assert page in pages_with(index, stem("ByteDance"), "titleterms")
    assert page in pages_with(index, stem("Beijing"))  # its description
    assert page in pages_with(index, "字节跳动")  # its Chinese name
    # The entity page's boilerplate ("Mentions") is no word of it.
    assert page not in pages_with(index, stem("mentions"), "titleterms")


def test_an_unmentioned_entity_is_out_of_the_search(index: dict[str, Any]) -> None:
    """No text names Caixin: it has no page in the index (an entity no text names has no page),
    and no word of the index leads to it, not even its title."""
    page = "_generated/entities/caixin"
    assert "_generated/entities/bytedance" in index["docnames"]  # named: it has its page
    if page in index["docnames"]:
        position = index["docnames"].index(page)
        for table in ("terms", "titleterms"):
            for word, files in index[table].items():
                assert position not in (files if isinstance(files, list) else [files]), word
    assert not index["alltitles"].get("Caixin")


def test_an_article_is_indexed_without_its_apparatus(index: dict[str, Any]) -> None:
    """Not the citation block, the related articles, nor the addresses of the notes."""
    festival = "articles/festival"
    # run's title is in festival's related articles (they share ByteDance); festival does
    # not write it.
    assert "articles/run" in pages_with(index, stem("Marmoset"), "titleterms")
    assert festival not in pages_with(index, stem("Marmoset"))
    # The citation block says "(accessed the date you read it)"; the note's address names a
    # quokka.
    assert festival not in pages_with(index, stem("accessed"))
    assert festival not in pages_with(index, "quokka")
    assert festival not in pages_with(index, stem("Cite"), "titleterms")
    # Its own words stay, the header's among them.
    assert festival in pages_with(index, "wombat")
    assert festival in pages_with(index, stem("Weekly"))


def test_the_search_page_knows_every_name_and_no_page(
        app: SphinxTestApp) -> None:
    app.build()
    script = (Path(app.outdir) / "_static" / NAMES_SCRIPT_NAME).read_text(encoding="utf-8")
    data = json.loads(script.removeprefix("window.EDITION_NAMES = ").rstrip(";\n"))
    records = data["names"]
    alias = records[data["keys"]["双十一"]]
    assert alias == {"term": alias_term(0), "names": ["Double 11", "双十一"]}
    assert data["keys"]["double11"] == data["keys"]["shuangshiyi"] == data["keys"]["双十一"]
    person = records[data["keys"]["zhangyiming"]]
    assert person["id"] == "zhang-yiming" and person["term"] == entity_term("zhang-yiming")
    assert records[data["keys"]["张一鸣"]] is not None and "張一鳴" in person["names"]
    # Nothing that grows with the collection: no page is named in it (the index has them).
    assert set(data) == {"keys", "names"}
    assert "articles/" not in script


# --------------------------------------------------------------------------- the index by need


def test_a_page_s_words_point_to_its_paragraphs(index: dict[str, Any]) -> None:
    """Each term's postings name the units (paragraphs) holding it: notes-p1 holds 双十一."""
    notes = index["docnames"].index("notes")
    units = index["units"][stem(alias_term(0))][notes]
    assert units and 0 not in units  # a paragraph, not the title


def test_an_incremental_build_keeps_the_pages_it_does_not_write(tmp_path: Path) -> None:
    """A rebuild that writes one page changes that page's words and keeps the others'."""
    first = root_build(tmp_path, "search")
    before = read_index(first.outdir)
    notes = first.srcdir / "notes.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\nA quetzal was seen.\n",
                     encoding="utf-8")
    again = _build(first.srcdir, tmp_path / "build", "html")
    after = read_index(again.outdir)
    assert set(after["docnames"]) == set(before["docnames"])
    assert pages_with(after, "quetzal") == {"notes"}
    assert pages_with(after, "wombat") == pages_with(before, "wombat") == {"articles/festival"}


def test_every_file_of_the_index_is_data_safe_in_a_page(tmp_path: Path) -> None:
    """Page text that looks like markup is written as JSON escapes: no "<", ">" or "&" in any
    index file, and the search page's manifest holds no text of a page."""
    build = root_build(tmp_path, "search", pages={
        "articles/hostile.md": "# A </script><script>window.__pwned = 1</script> title\n\n"
                               "(hostile-p1)=\nSee <img src=x onerror=alert(1)> & more.\n"})
    files = list((build.outdir / "_search").rglob("*.js"))
    assert files
    for file in files:
        text = file.read_text(encoding="utf-8")
        assert not {"<", ">", "&"} & set(text), file
    index = read_index(build.outdir)
    assert "articles/hostile" in index["docnames"]
    search_page = (build.outdir / "search.html").read_text(encoding="utf-8")
    manifest = search_page.split("EDITION_SEARCH_MANIFEST = ", 1)[1].split("</script>", 1)[0]
    assert "pwned" not in manifest and "onerror" not in manifest


def test_lost_records_make_the_pages_read_again(tmp_path: Path) -> None:
    """Without the index's records (deleted, or of another layout) a rebuild reads every page
    again: the index is whole, never empty."""
    first = root_build(tmp_path, "search")
    before = read_index(first.outdir)
    for records in (tmp_path / "build").rglob("edition-search-records.pickle"):
        records.unlink()
    again = _build(first.srcdir, tmp_path / "build", "html")
    assert read_index(again.outdir)["docnames"] == before["docnames"]
    assert pages_with(read_index(again.outdir), "wombat") == {"articles/festival"}


@pytest.mark.parametrize("group", [1, 3])
def test_a_page_s_fragments_are_in_files_of_the_manifest_s_group(
        group: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit n of a page is item n % group of f/<doc>/<n // group>.js, whose page part is the
    page's; the manifest tells the browser the group (one definition)."""
    from edition.web import search_index
    from edition.web.search_index import INDEX_CALL, PageRecord, Unit, build_index

    monkeypatch.setattr(search_index, "FRAGMENT_GROUP", group)
    units = [Unit("", "Title", "en", True), *(Unit(f"a-p{n}", f"para {n}", "zh-Hans")
                                               for n in range(1, 7))]
    page = PageRecord("articles/a", "articles/a.html", "Title", "", units,
                      {"para": [1, 2, 3, 4, 5, 6]}, {"title"})
    out = build_index([page], "articles/", "_generated/", [])
    assert out.manifest["fragments"] == group
    fragments = {name: json.loads(f"[{INDEX_CALL.match(text).group('args')}]")  # type: ignore[union-attr]
                 for name, text in out.files.items() if name.startswith("f/")}
    assert len(fragments) == -(-len(units) // group)
    for number, unit in enumerate(units):
        kind, key, data = fragments[f"f/0/{number // group}.js"]
        assert (kind, key) == ("f", [0, number // group])
        assert data["d"] == {"u": "articles/a.html", "t": "Title"}
        assert data["u"][number % group] == {"a": unit.anchor, "x": unit.text, "l": unit.lang}
