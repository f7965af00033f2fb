"""Search in either script: the folded index, the jieba dictionary, the query splitter."""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp

from converters.common.registry import load_registry
from edition.web.search import (
    DICTIONARY_NAME,
    FOLD_SCRIPT_NAME,
    SEARCH_SCRIPT_NAME,
    STATIC_DIR,
    SearchChineseFolded,
    dictionary_words,
    fold_script,
    fold_table,
)
from edition.web.search_index import read_index

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "docs" / "_data" / "registry.yaml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def index_of(app: SphinxTestApp) -> dict[str, Any]:
    """The built search index as data, in the shape of Sphinx's searchindex.js."""
    return read_index(Path(app.outdir))


# --------------------------------------------------------------------------- build-time data


@pytest.mark.slow  # segments every name of the registry
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
    assert SEARCH_SCRIPT_NAME in search_page
    assert "splitQuery" in (Path(app.outdir) / "_static" / SEARCH_SCRIPT_NAME).read_text()
    # Sphinx's whole index is not made, and no page loads it or its search tools.
    assert not (Path(app.outdir) / "searchindex.js").exists()
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "searchindex.js" not in text and "searchtools.js" not in text, page


# --------------------------------------------------------------------------- the query in a browser

#: Queries and the index words the splitter must turn them into, against a small index.
QUERIES: list[tuple[str, list[str]]] = [
    ("英偉達", ["英伟达"]),
    ("英伟达", ["英伟达"]),
    ("英偉達的晶片", ["英伟达"]),  # 晶片 is not indexed: dropped, not matched by halves
    ("英伟达芯片", ["英伟达", "芯片"]),
    ("字節跳動 TikTok", ["字节跳动", "TikTok"]),
    ("ＴｉｋＴｏｋ", ["tiktok"]),
]
SMALL_INDEX = ["英伟达", "芯片", "字节跳动", "tiktok"]


@pytest.fixture(scope="module")
def split_in_browser(tmp_path_factory: pytest.TempPathFactory) -> list[list[str]]:
    """Each query of QUERIES as Chromium's run of the edition's splitter cuts it.

    The page runs the same scripts as the search page (fold map, the search script's splitter)
    over a small index (the words it knows) and writes the results into itself; ``--dump-dom``
    prints the page once its scripts ran.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run scripts/setup-system.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    queries = json.dumps([query for query, _ in QUERIES], ensure_ascii=False)
    scripts = [
        fold_script(fold_table()),
        (STATIC_DIR / SEARCH_SCRIPT_NAME).read_text(encoding="utf-8"),
        f"const known = new Set({json.dumps(SMALL_INDEX, ensure_ascii=False)});",
        "document.getElementById('out').textContent = JSON.stringify("
        f"{queries}.map((q) => EditionSearch.splitQuery(q, (word) => known.has(word))));",
    ]
    page = tmp_path_factory.mktemp("splitter") / "splitter.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body><pre id="out"></pre>'
        + "".join(f"<script>{script}</script>" for script in scripts) + "</body></html>",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(CHROMIUM), "--headless", *CHROMIUM_ARGS, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False,
    )
    match = re.search(r'<pre id="out">(.*?)</pre>', result.stdout, re.DOTALL)
    assert match, result.stderr[-2000:]
    return list(json.loads(html.unescape(match.group(1))))


@pytest.mark.browser
@pytest.mark.parametrize(("number", "query", "terms"),
                         [(n, q, t) for n, (q, t) in enumerate(QUERIES)])
def test_query_is_folded_and_cut_into_indexed_words(
    split_in_browser: list[list[str]], number: int, query: str, terms: list[str]
) -> None:
    assert split_in_browser[number] == terms, query
