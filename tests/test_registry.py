"""The entity registry: the real file loads, and every kind of mistake is reported at its line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converters.common.registry import (
    ENTITY_TYPES,
    Registry,
    RegistryError,
    fold,
    load_registry,
    parse_registry,
)

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "docs" / "_data" / "registry.yaml"

#: A small valid registry; each test breaks one thing in it.
VALID = """\
entities:
- id: bytedance
  type: company
  label: "ByteDance"
  labels: {en: "ByteDance", zh-Hans: "字节跳动", zh-Hant: "字節跳動"}
  aliases: []
  description: "Internet company."
  wikidata: "Q55606242"
- id: li-yuan
  type: person
  label: "Li Yuan"
  labels: {en: "Li Yuan", zh-Hans: "袁莉", zh-Hant: ""}
  aliases: ["Yuan Li"]
  description: "Columnist."
  wikidata: ""
not_entities:
- China
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the n-th line containing ``needle``."""
    hits = [n for n, line in enumerate(text.split("\n"), start=1) if needle in line]
    return hits[occurrence - 1]


def errors_of(text: str, tmp_path: Path) -> list[str]:
    """The loader's messages for a registry text written to a file."""
    path = tmp_path / "registry.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert str(caught.value) == "\n".join(caught.value.messages)
    return caught.value.messages


def assert_reported(messages: list[str], path: Path, line: int, *words: str) -> None:
    """One message names the file and line and contains all the words."""
    prefix = f"{path}:{line}: "
    assert any(m.startswith(prefix) and all(w in m for w in words) for m in messages), messages


# --------------------------------------------------------------------------- the real registry


def test_real_registry_loads() -> None:
    """The edition's registry is valid, and ids, types and names are well formed."""
    registry = load_registry(REGISTRY)
    assert len(registry) > 100
    assert len(registry.by_id) == len(registry)
    for entity in registry:
        assert entity.type in ENTITY_TYPES
        assert entity.labels["en"] == entity.label
        assert entity.description.strip()
        assert re.fullmatch(r"(Q\d+)?", entity.wikidata)


def test_real_registry_names_the_seeds_people_and_companies() -> None:
    """Names the seeds spell differently belong to one entity each."""
    registry = load_registry(REGISTRY)
    owner = {fold(name): entity.id for name, entity in registry.names()}
    expected = {
        "bytedance": ["字节跳动", "字節跳動", "ByteDance"],
        "donald-trump": ["特朗普", "川普", "President Trump", "Donald Trump", "Trump"],
        "andreessen-horowitz": ["安德里森·霍罗威茨", "安德烈森·霍洛維茨", "Andreessen Horowitz"],
        "li-yuan": ["袁莉", "Li Yuan"],
        "tencent": ["腾讯", "騰訊", "Tencent"],
        "nvidia": ["英伟达", "英偉達", "輝達", "Nvidia"],
        "jensen-huang": ["黃仁勛", "Jensen Huang"],
        "jack-ma": ["Ma Yun", "Jack Ma", "马云"],
    }
    for entity_id, names in expected.items():
        for name in names:
            assert owner.get(fold(name)) == entity_id, (name, entity_id)


def test_real_registry_not_entities_are_reviewed() -> None:
    """``not_entities`` is part of what the candidates tool treats as reviewed."""
    registry = load_registry(REGISTRY)
    assert "China" in registry.not_entities
    assert fold("china") in registry.reviewed()


# --------------------------------------------------------------------------- folding


def test_fold_joins_scripts_case_and_name_dots() -> None:
    """Traditional and Simplified, upper and lower case, and the name dots fold together."""
    assert fold("字節跳動") == fold("字节跳动")
    assert fold("BYTEDANCE") == fold("ByteDance")
    assert fold("安德森・霍洛维茨") == fold("安德森·霍洛维茨") == fold("安德森‧霍洛維茨")
    assert fold("ＴｉｋＴｏｋ") == fold("TikTok")


@given(st.text())
def test_fold_keeps_length(text: str) -> None:
    """Folding is one character for one, so positions in folded text are source positions."""
    assert len(fold(text)) == len(text)


# --------------------------------------------------------------------------- validation


def test_valid_fixture_loads(tmp_path: Path) -> None:
    """The fixture itself is valid, so each failure below comes from the one thing broken."""
    path = tmp_path / "registry.yaml"
    path.write_text(VALID, encoding="utf-8")
    registry = load_registry(path)
    assert isinstance(registry, Registry)
    assert [e.id for e in registry] == ["bytedance", "li-yuan"]
    assert registry.get("li-yuan") is not None and registry.get("li-yuan").line == 9  # type: ignore[union-attr]
    assert registry.not_entities == ("China",)


BROKEN = [
    # (what, replace this, by this, the line holding this text, words of the message)
    ("missing field", '  description: "Columnist."\n', "", "- id: li-yuan",
     ["entity 'li-yuan'", "missing required field 'description'"]),
    ("wrong type", 'aliases: ["Yuan Li"]', 'aliases: "Yuan Li"', 'aliases: "Yuan Li"',
     ["field 'aliases' must be a list, not str"]),
    ("bad id", "- id: li-yuan", "- id: Li_Yuan", "- id: Li_Yuan",
     ["id 'Li_Yuan' must be ASCII lower-case"]),
    ("id starting with a digit", "- id: li-yuan", "- id: 01-li", "- id: 01-li",
     ["id '01-li'"]),
    ("unknown type", "  type: person", "  type: firm", "type: firm",
     ["type 'firm' must be one of company, person"]),
    ("wikidata format", 'wikidata: "Q55606242"', 'wikidata: "55606242"', 'wikidata: "55606242"',
     ["wikidata '55606242' must be a Wikidata item"]),
    ("unknown field", '  wikidata: ""\n', '  wikidata: ""\n  website: "x"\n', "website:",
     ["unknown field 'website'"]),
    ("labels.en differs", 'en: "Li Yuan"', 'en: "Yuan Li Columnist"', 'en: "Yuan Li Columnist"',
     ["labels.en 'Yuan Li Columnist' differs from label 'Li Yuan'"]),
    ("label language missing", ', zh-Hant: ""}', "}", 'zh-Hans: "袁莉"}',
     ["labels.zh-Hant is missing"]),
    ("unknown label language", ', zh-Hant: ""}', ', zh-Hant: "", ja: "x"}', 'ja: "x"',
     ["unknown label language 'ja'"]),
    ("empty alias", 'aliases: ["Yuan Li"]', 'aliases: [""]', 'aliases: [""]',
     ["an alias must not be empty"]),
    ("duplicate id", "- id: li-yuan", "- id: bytedance", "- id: bytedance\n  type: person",
     ["duplicate id 'bytedance'"]),
    ("name of two entities across scripts", 'aliases: ["Yuan Li"]', 'aliases: ["字節跳動"]',
     'aliases: ["字節跳動"]', ["name '字節跳動' is already a name of 'bytedance'"]),
    ("name of two entities across case", 'aliases: ["Yuan Li"]', 'aliases: ["BYTEDANCE"]',
     'aliases: ["BYTEDANCE"]', ["name 'BYTEDANCE' is already a name of 'bytedance'"]),
    ("not_entities item is a name", "- China", "- Yuan Li", "- Yuan Li",
     ["not_entities item 'Yuan Li' is a name of entity 'li-yuan'"]),
    ("unknown top-level key", "not_entities:", "not_entites:", "not_entites:",
     ["unknown top-level key 'not_entites'"]),
    ("invalid YAML", "  type: person", "  type: person: x", "type: person: x",
     ["invalid YAML", "mapping values are not allowed"]),
    ("unclosed quote", '  wikidata: ""\nnot', '  wikidata: "\nnot', "",
     ["invalid YAML", "while scanning a quoted scalar at line 15"]),
]


@pytest.mark.parametrize(("what", "old", "new", "at", "words"), BROKEN,
                         ids=[case[0] for case in BROKEN])
def test_each_mistake_is_reported_at_its_line(tmp_path: Path, what: str, old: str, new: str,
                                               at: str, words: list[str]) -> None:
    """Each kind of mistake gives ``file:line: message`` pointing at the offending line."""
    assert old in VALID
    text = VALID.replace(old, new, 1)
    messages = errors_of(text, tmp_path)
    occurrence = 2 if what == "duplicate id" else 1
    expected = line_of(text, at.split("\n")[0], occurrence) if at else len(text.split("\n"))
    assert_reported(messages, tmp_path / "registry.yaml", expected, *words)


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    """Several mistakes give several lines, so an editor fixes them in one pass."""
    text = VALID.replace("type: person", "type: firm").replace('"Q55606242"', '"Q0x"')
    messages = errors_of(text, tmp_path)
    assert len(messages) == 2


def test_unreadable_file(tmp_path: Path) -> None:
    """A missing file is a registry error naming the file, not a traceback."""
    with pytest.raises(RegistryError, match=r"missing\.yaml:1: cannot read the registry"):
        load_registry(tmp_path / "missing.yaml")


def test_not_a_map() -> None:
    """A registry that is a list, not a map, is refused with the reason."""
    with pytest.raises(RegistryError, match="must be a map"):
        parse_registry("- a\n- b\n", "r.yaml")
