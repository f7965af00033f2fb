"""Search in either script: the folded index, the jieba dictionary, the query splitter."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from converters.registry import load_registry
from edition.search import (
    DICTIONARY_NAME,
    FOLD_SCRIPT_NAME,
    JS_SPLITTER,
    SearchChineseFolded,
    dictionary_words,
    fold_script,
    fold_table,
)

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "docs" / "_data" / "registry.yaml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def index_of(app: SphinxTestApp) -> dict[str, Any]:
    """The built searchindex.js as data."""
    text = (Path(app.outdir) / "searchindex.js").read_text(encoding="utf-8")
    return dict(json.loads(text[text.index("(") + 1: text.rindex(")")]))


# --------------------------------------------------------------------------- build-time data


def test_dictionary_holds_every_chinese_name_of_the_registry_folded() -> None:
    registry = load_registry(REGISTRY)
    words = set(dictionary_words(registry))
    bytedance = registry.get("bytedance")
    assert bytedance is not None
    assert "字节跳动" in words
    # Traditional labels are folded: the dictionary has one form of each name.
    assert "字節跳動" not in words
    assert all(not any(char in fold_table() for char in word) for word in words)


def test_fold_table_maps_traditional_to_simplified() -> None:
    table = fold_table()
    assert table["偉"] == "伟" and table["達"] == "达"
    assert "伟" not in table  # Simplified characters are left alone
    script = fold_script({"偉": "伟", "達": "达"})
    data = json.loads(script.removeprefix("window.EDITION_FOLD = ").rstrip(";\n"))
    assert data == {"from": "偉達", "to": "伟达"}


def test_split_folds_traditional_text_before_segmenting(tmp_path: Path) -> None:
    words = tmp_path / DICTIONARY_NAME
    words.write_text("\n".join(dictionary_words(load_registry(REGISTRY))) + "\n", "utf-8")
    language = SearchChineseFolded({"dict": str(words)})
    traditional = language.split("英偉達與字節跳動都被提及")
    simplified = language.split("英伟达与字节跳动都被提及")
    assert traditional == simplified
    assert "英伟达" in traditional and "字节跳动" in traditional


# --------------------------------------------------------------------------- a small build


@pytest.mark.sphinx("html", testroot="article")
def test_index_and_pages_of_a_small_edition(app: SphinxTestApp) -> None:
    app.build()
    index = index_of(app)
    docnames = index["docnames"]
    sample = docnames.index("articles/sample")
    # The sample writes 英偉達 and 字節跳動 (Traditional) and 字节跳动 (Simplified).
    for term in ("英伟达", "字节跳动"):
        found = index["terms"][term]
        assert sample in (found if isinstance(found, list) else [found])
    assert "英偉達" not in index["terms"] and "字節跳動" not in index["terms"]
    assert (Path(app.doctreedir) / DICTIONARY_NAME).is_file()
    assert app.config.html_search_options["dict"].endswith(DICTIONARY_NAME)
    search_page = (Path(app.outdir) / "search.html").read_text(encoding="utf-8")
    assert FOLD_SCRIPT_NAME in search_page
    assert (Path(app.outdir) / "_static" / FOLD_SCRIPT_NAME).is_file()
    assert "editionSegment" in (Path(app.outdir) / "_static" / "language_data.js").read_text()


# --------------------------------------------------------------------------- the query in a browser


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    """A blank Chromium page holding the splitter, the fold map and a small index."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run scripts/setup-system.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        tab = browser.new_page()
        tab.set_content("<html><body></body></html>")
        index = {"terms": {"英伟达": 0, "芯片": 1, "字节跳动": 2, "tiktok": 2},
                 "titleterms": {}}
        tab.add_script_tag(content=fold_script(fold_table()))
        tab.add_script_tag(content=f"var Search = {{_index: {json.dumps(index)}}};")
        tab.add_script_tag(content=JS_SPLITTER)
        try:
            yield tab
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("英偉達", ["英伟达"]),
        ("英伟达", ["英伟达"]),
        ("英偉達的晶片", ["英伟达"]),  # 晶片 is not indexed: dropped, not matched by halves
        ("英伟达芯片", ["英伟达", "芯片"]),
        ("字節跳動 TikTok", ["字节跳动", "TikTok"]),
        ("ＴｉｋＴｏｋ", ["tiktok"]),
    ],
)
def test_query_is_folded_and_cut_into_indexed_words(
    page: Any, query: str, terms: list[str]
) -> None:
    assert page.evaluate("q => splitQuery(q)", query) == terms
