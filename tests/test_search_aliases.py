"""The registry's search aliases: read, refused at their line, supported by the texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from converters.common.registry import (
    RegistryError,
    SearchAlias,
    fold,
    load_registry,
    parse_registry,
)
from converters.editing.draft import accept
from edition.web.search import dictionary_words

REPO = Path(__file__).resolve().parents[1]
REGISTRY = REPO / "docs" / "_data" / "registry.yaml"
DOCS = REPO / "docs"

VALID = """\
search_aliases:
- names: ["Double 11", "双十一"]
  reason: "The essay writes Double 11; the introduction 双十一."
entities:
- id: bytedance
  type: company
  label: ByteDance
  labels: {en: ByteDance, zh-Hans: 字节跳动, zh-Hant: 字節跳動}
  aliases: []
  description: Internet company.
  wikidata: ""
not_entities:
- Silicon Valley
"""


def messages_of(text: str) -> list[str]:
    with pytest.raises(RegistryError) as caught:
        parse_registry(text, "r.yaml")
    return caught.value.messages


def test_search_aliases_are_read() -> None:
    registry = parse_registry(VALID, "r.yaml")
    assert registry.search_aliases == (
        SearchAlias(("Double 11", "双十一"), "The essay writes Double 11; the introduction 双十一.",
                    2),
    )
    # They are no entity's names: the tagger and the indices never see them.
    assert [name for name, _ in registry.names()] == ["ByteDance", "字节跳动", "字節跳動"]
    assert "双十一" in dictionary_words(registry)


def test_a_search_alias_may_name_a_reviewed_non_entity() -> None:
    """Places are not_entities; a search alias joins their forms in both scripts."""
    text = VALID.replace('"Double 11", "双十一"', '"Silicon Valley", "硅谷"')
    assert parse_registry(text, "r.yaml").search_aliases[0].names == ("Silicon Valley", "硅谷")


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ('names: ["Double 11", "双十一"]', 'names: ["Double 11"]', 2, ("two forms",)),
    ('names: ["Double 11", "双十一"]', 'names: ["Double 11", "ByteDance"]', 2,
     ("'ByteDance'", "a name of entity 'bytedance'")),
    ('names: ["Double 11", "双十一"]', 'names: ["Double 11", "雙十一", "双十一"]', 2,
     ("listed twice",)),
    ('names: ["Double 11", "双十一"]', 'names: "Double 11"', 2, ("must be a list",)),
    ('names: ["Double 11", "双十一"]', 'names: ["Double 11", ""]', 2, ("must not be empty",)),
    ('  reason: "The essay writes Double 11; the introduction 双十一."\n', "", 2,
     ("missing required field 'reason'",)),
    ('  reason: "The essay', '  source: x\n  reason: "The essay', 3, ("unknown field 'source'",)),
    ('- names: ["Double 11", "双十一"]\n  reason: "The essay writes Double 11; the introduction '
     '双十一."\n', "- Double 11\n", 2, ("must be a map",)),
])
def test_a_broken_search_alias_is_refused_at_its_line(
        old: str, new: str, line: int, words: tuple[str, ...]) -> None:
    text = VALID.replace(old, new)
    assert text != VALID
    messages = messages_of(text)
    assert any(m.startswith(f"r.yaml:{line}: ") and all(w in m for w in words)
               for m in messages), messages


def test_search_aliases_must_be_a_list() -> None:
    text = VALID.replace('search_aliases:\n- names: ["Double 11", "双十一"]\n  reason: '
                         '"The essay writes Double 11; the introduction 双十一."\n',
                         "search_aliases: Double 11\n")
    assert any("r.yaml:1: search_aliases must be a list" in m for m in messages_of(text))


def test_the_candidates_tool_still_adds_entities_under_the_search_aliases(
        tmp_path: Path) -> None:
    """The list sits above ``entities:``: accepted entries and rejected names land in place."""
    registry = tmp_path / "registry.yaml"
    registry.write_text(VALID, encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text(
        '- {review: accept, id: tmall, type: company, label: Tmall, labels: {en: Tmall, '
        'zh-Hans: 天猫, zh-Hant: 天貓}, aliases: [], description: Shopping site., '
        'wikidata: ""}\n'
        "- {review: not_entity, label: Mars, labels: {zh-Hans: ''}}\n", encoding="utf-8")
    assert accept(draft, registry) == (1, 1, 0)
    loaded = load_registry(registry)
    assert [e.id for e in loaded.entities] == ["bytedance", "tmall"]
    assert loaded.not_entities == ("Silicon Valley", "Mars")
    assert loaded.search_aliases[0].names == ("Double 11", "双十一")


# --------------------------------------------------------------------------- the edition's


def edition_text() -> str:
    """Every page of the edition (articles and the edition's own pages), folded."""
    return fold("\n".join(path.read_text(encoding="utf-8") for path in DOCS.rglob("*.md")
                          if "_generated" not in path.parts and "_import" not in path.parts))


def test_each_search_alias_of_the_edition_has_a_form_the_texts_write() -> None:
    """Nothing invented: one form at least is written by a page, and the reason says where."""
    registry = load_registry(REGISTRY)
    assert registry.search_aliases, "premise: the edition lists search aliases"
    text = edition_text()
    for alias in registry.search_aliases:
        written = [name for name in alias.names
                   if re.search(rf"(?<!\w){re.escape(fold(name))}(?!\w)", text)]
        assert written, f"{alias.names}: no page writes any of these forms"
        assert alias.reason


def test_the_festival_names_the_texts_need_are_search_aliases() -> None:
    """The Double 11 essay writes "Double 11" and "Singles' Day", never 双十一 or 光棍节."""
    aliases = {fold(name): alias for alias in load_registry(REGISTRY).search_aliases
               for name in alias.names}
    essay = (DOCS / "articles" / "double-eleven-decline.md").read_text(encoding="utf-8")
    for chinese, english in (("双十一", "Double 11"), ("光棍节", "Singles' Day")):
        assert chinese not in fold(essay) and english in essay  # the premise
        assert fold(english) in {fold(n) for n in aliases[fold(chinese)].names}
