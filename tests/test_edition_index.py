"""The index of the real edition: one entry per entity across scripts, every naming indexed.

Expected mentions are found here by reading the article sources with OpenCC and plain string
search, not through the tagger, and compared with the HTML build's ``entities.json``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import opencc
import pytest
from edition_builds import REPO, Build, edition_build

from converters.common.registry import load_registry

pytestmark = [pytest.mark.sphinx, pytest.mark.slow]  # the full build of docs/

ARTICLES = REPO / "docs" / "articles"
_T2S = opencc.OpenCC("t2s")
_ROLE = re.compile(r"\{(?:ent|date)\}`([^`<]*?)\s*<[^<>`]*>`")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The HTML build's entity export, by id."""
    build: Build = edition_build(tmp_path_factory, "html")
    data = json.loads((build.outdir / "_static" / "entities.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data}


def article_texts() -> dict[str, str]:
    """Each article's running text (roles reduced to their shown text), folded to Simplified."""
    texts = {}
    for path in sorted(ARTICLES.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        body = _ROLE.sub(r"\1", body)
        body = re.sub(r"^\[\^\d+\]:.*$", "", body, flags=re.M)  # footnote URLs
        texts[f"articles/{path.stem}"] = _T2S.convert(body)
    return texts


def names_in(text: str, name: str) -> bool:
    """Whether a name occurs: Latin names as whole words, case as written; Chinese anywhere."""
    folded = _T2S.convert(name)
    if re.search(r"[A-Za-z0-9]", name):
        return re.search(rf"(?<![\w]){re.escape(folded)}(?![\w])", text, re.A) is not None
    return folded in text


def mentions(entry: dict[str, Any]) -> dict[str, set[str]]:
    """Texts of an entity's mentions, per document."""
    out: dict[str, set[str]] = {}
    for mention in entry["mentions"]:
        out.setdefault(mention["doc"], set()).add(mention["text"])
    return out


def test_trump_is_one_entry_in_every_script(exported: dict[str, dict[str, Any]]) -> None:
    found = mentions(exported["donald-trump"])
    assert "特朗普" in found["articles/tiktok-run"]
    assert {"川普", "President Trump"} <= found["articles/silicon-valley-china-envy"]
    assert "Donald Trump" in found["articles/double-eleven-decline"]
    others = [i for i, e in exported.items() if i != "donald-trump" and "Trump" in e["label"]]
    assert others == []


def test_andreessen_horowitz_is_one_entry_in_every_script(
    exported: dict[str, dict[str, Any]],
) -> None:
    found = mentions(exported["andreessen-horowitz"])
    assert "安德里森·霍罗威茨" in found["articles/tiktok-red-note-china-internet"]
    both = {"安德烈森·霍洛維茨", "Andreessen Horowitz"}
    assert both <= found["articles/silicon-valley-china-envy"]


def test_bytedance_in_all_three_scripts_and_languages(exported: dict[str, dict[str, Any]]) -> None:
    found = mentions(exported["bytedance"])
    assert "字节跳动" in found["articles/tiktok-red-note-china-internet"]
    assert "字节跳动" in found["articles/tiktok-run"]
    assert "ByteDance" in found["articles/china-internet-at-thirty"]


def test_every_entity_is_indexed_wherever_an_article_names_it(
    exported: dict[str, dict[str, Any]],
) -> None:
    registry = load_registry(REPO / "docs" / "_data" / "registry.yaml")
    texts = article_texts()
    missing = []
    for entity in registry.entities:
        names = {entity.label, *entity.labels.values(), *entity.aliases} - {""}
        indexed = set(mentions(exported.get(entity.id, {"mentions": []})))
        for doc, text in texts.items():
            named = sorted(n for n in names if names_in(text, n))
            if named and doc not in indexed:
                missing.append(f"{entity.id} in {doc} ({', '.join(named)})")
    assert missing == []


def test_every_mention_lands_on_a_paragraph_of_its_document(
    exported: dict[str, dict[str, Any]],
) -> None:
    labels = {
        f"articles/{path.stem}": set(re.findall(r"^\((\S+)\)=$|^:name: (\S+)$",
                                                path.read_text(encoding="utf-8"), re.M))
        for path in ARTICLES.glob("*.md")
    }
    flat = {doc: {a or b for a, b in found} for doc, found in labels.items()}
    for entry in exported.values():
        for mention in entry["mentions"]:
            if mention["doc"] in flat:
                assert mention["anchor"] in flat[mention["doc"]], mention
