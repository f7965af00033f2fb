"""The entity registry: the companies, organisations and people the edition indexes.

The registry is a YAML file (``docs/_data/registry.yaml``) edited by hand. :func:`load_registry`
validates it against :data:`ENTITY_FIELDS` and reports every problem as ``file:line: message``,
with line numbers taken from the YAML node marks, so an editor can jump straight to the mistake.

Names are compared after :func:`fold`: Traditional characters become Simplified (OpenCC ``t2s``)
and Latin letters lower case, one character for one character, so that a single registry
entry finds 字节跳动, 字節跳動 and BYTEDANCE alike.

Besides the entities and the names reviewed as ``not_entities``, the file lists
``search_aliases``: the forms of names that are no entities (Double 11 and 双十一), which only
the search uses, each with the reason the texts support it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import opencc
import yaml

from .script import is_han
from .yamlsafe import YamlRefused, compose_yaml, read_yaml_text

#: Allowed entity types: ``company`` also covers other organisations (parties, agencies, media).
ENTITY_TYPES = ("company", "person")
#: Language keys of ``labels``; ``en`` is required and equals ``label``.
LABEL_LANGUAGES = ("en", "zh-Hans", "zh-Hant")
#: Identifiers: ASCII lower-case words joined by single hyphens, starting with a letter (docutils
#: drops leading digits from ids, so ``01-ai`` would silently become ``ai`` in HTML).
ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
#: A Wikidata item identifier, or the empty string when nobody is certain of one.
WIKIDATA_PATTERN = re.compile(r"(?:Q[1-9][0-9]*)?")
#: Every field of an entity record: whether it is required, and the YAML kind it must be.
ENTITY_FIELDS: dict[str, tuple[bool, str]] = {
    "id": (True, "str"),
    "type": (True, "str"),
    "label": (True, "str"),
    "labels": (True, "map"),
    "aliases": (False, "list"),
    "description": (True, "str"),
    "wikidata": (True, "str"),
}
#: Top-level keys of the registry file.
TOP_LEVEL_KEYS = ("search_aliases", "entities", "not_entities")
#: Every field of a search alias record: whether it is required, and the YAML kind it must be.
SEARCH_ALIAS_FIELDS: dict[str, tuple[bool, str]] = {
    "names": (True, "list"),
    "reason": (True, "str"),
}
#: Forms a search alias lists at least: one form alone is no alias.
MIN_SEARCH_ALIAS_NAMES = 2

#: Separators of transliterated names that sources write in several ways (中点, katakana dot,
#: hyphenation point, bullet); all fold to U+00B7 so 安德森·霍洛维茨 matches 安德森・霍洛维茨.
NAME_DOTS = "\u30fb\u2027\u2022\uff65\u00b7"


#: Characters that show nothing (zero-width spaces and joiners, word joiner, BOM, soft hyphen):
#: a name holding one looks like another name and must clash with it.
INVISIBLE_CHARACTERS = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"


class RegistryError(Exception):
    """The registry file is unreadable or invalid; each line of the message is ``file:line: …``."""

    def __init__(self, messages: list[str]) -> None:
        """The error with every problem found, one ``file:line: …`` message each."""
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Entity:
    """One indexed company, organisation or person."""

    #: Stable identifier used in ``{ent}`` roles, ASCII lower case with hyphens.
    id: str
    #: ``"company"`` (companies and other organisations) or ``"person"``.
    type: str
    #: Preferred English label, shown in the index.
    label: str
    #: Labels by language: ``en``, ``zh-Hans`` and ``zh-Hant`` (``""`` when none is known).
    labels: dict[str, str]
    #: Other names, spellings and transliterations as they occur in the texts.
    aliases: tuple[str, ...]
    #: One line saying who or what this is.
    description: str
    #: Wikidata item (``Q…``), or ``""`` when not certain.
    wikidata: str
    #: Line of the record in the registry file, for messages.
    line: int = 0

    def names(self) -> list[str]:
        """Every non-empty name of the entity: label, per-language labels and aliases."""
        seen: dict[str, None] = {}
        for name in (self.label, *self.labels.values(), *self.aliases):
            if name:
                seen.setdefault(name)
        return list(seen)


@dataclass(frozen=True)
class SearchAlias:
    """Forms of one name that is no entity (a festival, a place): the search finds them all."""

    #: The forms, each as a text writes it or as the established form in another script.
    names: tuple[str, ...]
    #: Where the texts support the forms being one name.
    reason: str
    #: Line of the record in the registry file, for messages.
    line: int = 0


@dataclass(eq=False)
class Registry:
    """The loaded registry: entities by id, reviewed non-entities, search aliases."""

    #: Entities in file order.
    entities: tuple[Entity, ...]
    #: Names reviewed and judged not to be entities (for the candidates tool).
    not_entities: tuple[str, ...] = ()
    #: Names that are no entities but that the search takes in every form it lists.
    search_aliases: tuple[SearchAlias, ...] = ()
    #: The file it was loaded from (``""`` when built in memory).
    path: str = ""
    #: Entities by id (built from ``entities``).
    by_id: dict[str, Entity] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Index the entities by id."""
        self.by_id = {entity.id: entity for entity in self.entities}

    def __len__(self) -> int:
        """The number of entities."""
        return len(self.entities)

    def __iter__(self) -> Iterator[Entity]:
        """The entities, in registry order."""
        return iter(self.entities)

    def __contains__(self, entity_id: object) -> bool:
        """Whether an entity of this id is registered."""
        return entity_id in self.by_id

    def get(self, entity_id: str) -> Entity | None:
        """The entity with this id, or ``None``."""
        return self.by_id.get(entity_id)

    def names(self) -> Iterator[tuple[str, Entity]]:
        """Every (name, entity) pair, names as written in the registry."""
        for entity in self.entities:
            for name in entity.names():
                yield name, entity

    def reviewed(self) -> set[str]:
        """Folded forms of every registry name and every ``not_entities`` item."""
        folded = {fold(name) for name, _ in self.names()}
        folded.update(fold(name) for name in self.not_entities)
        return folded


# --------------------------------------------------------------------------- folding


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


_FOLD_CACHE: dict[str, str] = {}


def fold_char(char: str) -> str:
    """One character folded for matching: Simplified, lower case, one dot; always one character."""
    cached = _FOLD_CACHE.get(char)
    if cached is not None:
        return cached
    folded = char
    if char in NAME_DOTS:
        folded = "\u00b7"
    elif "\uff01" <= char <= "\uff5e":  # full-width ASCII, as CJK typesetting sometimes has
        folded = chr(ord(char) - 0xFEE0).lower()
    elif char.isascii():
        folded = char.lower()
    elif is_han(char):
        simplified = _t2s().convert(char)
        # Phrase-level conversions never apply to one character; keep the 1:1 guarantee anyway.
        folded = simplified if len(simplified) == 1 else char
    else:
        lowered = char.lower()
        folded = lowered if len(lowered) == 1 else char
    _FOLD_CACHE[char] = folded
    return folded


def clash_key(name: str) -> str:
    """What two names must not share: NFKC-normalised, invisible characters dropped, folded.

    So a look-alike written with a zero-width space or full-width letters is the same name.
    """
    visible = unicodedata.normalize("NFKC", name).translate(_INVISIBLE)
    return fold(unicodedata.normalize("NFKC", visible)).strip()


_INVISIBLE = str.maketrans(dict.fromkeys(map(ord, INVISIBLE_CHARACTERS)))


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding each character once, on first sight.

    The loop over a text then runs in C: a 50 MB input is folded in well under a second.
    """

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold a text for matching, keeping its length so positions map back to the original."""
    if text.isascii():  # every ASCII character folds to its lower case (fold_char)
        return text.lower()
    return text.translate(_FOLD_TABLE)


# --------------------------------------------------------------------------- loading


def _kind(node: yaml.Node) -> str:
    """The YAML kind of a node in the words messages use."""
    if isinstance(node, yaml.MappingNode):
        return "map"
    if isinstance(node, yaml.SequenceNode):
        return "list"
    if node.tag == "tag:yaml.org,2002:str":
        return "str"
    if node.tag == "tag:yaml.org,2002:null":
        return "null"
    return node.tag.rsplit(":", 1)[-1]


class _Checker:
    """Walks the composed YAML node tree, collecting ``file:line: message`` errors."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.errors: list[str] = []
        #: The node each name of an entity was read from, by entity id, for precise lines.
        self.name_nodes: dict[str, list[tuple[str, yaml.Node]]] = {}

    def error(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.errors.append(f"{self.path}:{line}: {message}")

    def string(self, node: yaml.Node, what: str, *, empty: bool = False) -> str | None:
        """The value of a string scalar, or ``None`` after reporting why it is not one."""
        if _kind(node) != "str":
            self.error(node, f"{what} must be a string, not {_kind(node)}")
            return None
        value = str(node.value)
        if not empty and not value.strip():
            self.error(node, f"{what} must not be empty")
            return None
        if value != value.strip():
            self.error(node, f"{what} {value!r} has leading or trailing spaces")
            return None
        return value

    def mapping(self, node: yaml.MappingNode, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Keys of a mapping node with their key and value nodes; duplicate keys are errors."""
        out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = self.string(key_node, f"a key of {what}")
            if key is None:
                continue
            if key in out:
                self.error(key_node, f"duplicate key {key!r} in {what}")
                continue
            out[key] = (key_node, value_node)
        return out

    def entity(self, node: yaml.Node) -> Entity | None:
        """One entity record, or ``None`` when it is too broken to use."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"an entity must be a map, not {_kind(node)}")
            return None
        keys = self.mapping(node, "an entity")
        where = "entity"
        if "id" in keys and _kind(keys["id"][1]) == "str":
            where = f"entity {keys['id'][1].value!r}"
        if not self.fields_ok(node, keys, where):
            return None
        entity_id = self.string(keys["id"][1], "id")
        if entity_id is not None and not ID_PATTERN.fullmatch(entity_id):
            self.error(keys["id"][1], f"id {entity_id!r} must be ASCII lower-case words joined "
                                      "by hyphens, like 'bytedance' or 'li-yuan'")
            entity_id = None
        kind_value = self.string(keys["type"][1], f"{where}: type")
        if kind_value is not None and kind_value not in ENTITY_TYPES:
            self.error(keys["type"][1], f"{where}: type {kind_value!r} must be one of "
                                        f"{', '.join(ENTITY_TYPES)}")
            kind_value = None
        label = self.string(keys["label"][1], f"{where}: label")
        description = self.string(keys["description"][1], f"{where}: description")
        wikidata = self.string(keys["wikidata"][1], f"{where}: wikidata", empty=True)
        if wikidata is not None and not WIKIDATA_PATTERN.fullmatch(wikidata):
            self.error(keys["wikidata"][1], f"{where}: wikidata {wikidata!r} must be a "
                                            "Wikidata item like 'Q123' or ''")
            wikidata = None
        name_nodes: list[tuple[str, yaml.Node]] = []
        if label is not None:
            name_nodes.append((label, keys["label"][1]))
        labels = self.labels(keys["labels"][1], where, label, name_nodes)
        aliases: list[str] = []
        if "aliases" in keys and isinstance(keys["aliases"][1], yaml.SequenceNode):
            for item in keys["aliases"][1].value:
                alias = self.string(item, f"{where}: an alias")
                if alias is not None:
                    aliases.append(alias)
                    name_nodes.append((alias, item))
        if None in (entity_id, kind_value, label, description, wikidata, labels):
            return None
        assert entity_id and kind_value and label and description is not None
        assert wikidata is not None and labels is not None
        self.name_nodes.setdefault(entity_id, name_nodes)
        return Entity(id=entity_id, type=kind_value, label=label, labels=labels,
                      aliases=tuple(aliases), description=description, wikidata=wikidata,
                      line=node.start_mark.line + 1)

    def fields_ok(self, node: yaml.Node, keys: dict[str, tuple[yaml.Node, yaml.Node]],
                  where: str) -> bool:
        """Whether an entity has every required field, each of its kind (unknown ones reported)."""
        for key, (key_node, _) in keys.items():
            if key not in ENTITY_FIELDS:
                self.error(key_node, f"{where}: unknown field {key!r} "
                                     f"(expected one of {', '.join(ENTITY_FIELDS)})")
        ok = True
        for name, (required, kind) in ENTITY_FIELDS.items():
            if name not in keys:
                if required:
                    self.error(node, f"{where}: missing required field {name!r}")
                    ok = False
                continue
            value_node = keys[name][1]
            if _kind(value_node) != kind and not (kind == "list" and _kind(value_node) == "null"):
                self.error(value_node, f"{where}: field {name!r} must be a {kind}, "
                                       f"not {_kind(value_node)}")
                ok = False
        return ok

    def labels(self, node: yaml.Node, where: str, label: str | None,
               name_nodes: list[tuple[str, yaml.Node]]) -> dict[str, str] | None:
        """The per-language labels of an entity (non-empty ones also go to ``name_nodes``)."""
        assert isinstance(node, yaml.MappingNode)
        keys = self.mapping(node, f"{where}: labels")
        out: dict[str, str] = {}
        ok = True
        for key, (key_node, value_node) in keys.items():
            if key not in LABEL_LANGUAGES:
                self.error(key_node, f"{where}: unknown label language {key!r} "
                                     f"(expected {', '.join(LABEL_LANGUAGES)})")
                ok = False
                continue
            value = self.string(value_node, f"{where}: labels.{key}", empty=key != "en")
            if value is None:
                ok = False
                continue
            out[key] = value
            if value:
                name_nodes.append((value, value_node))
        for language in LABEL_LANGUAGES:
            if language not in keys:
                self.error(node, f"{where}: labels.{language} is missing (write '' when unknown)")
                ok = False
        if ok and label is not None and out["en"] != label:
            self.error(keys["en"][1], f"{where}: labels.en {out['en']!r} differs from "
                                      f"label {label!r}")
            ok = False
        return out if ok else None

    def search_aliases(self, node: yaml.Node) -> list[tuple[SearchAlias, list[yaml.Node]]]:
        """The search alias records, each with the nodes of its names."""
        if _kind(node) == "null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"search_aliases must be a list, not {_kind(node)}")
            return []
        out = []
        for item in node.value:
            found = self.search_alias(item)
            if found is not None:
                out.append(found)
        return out

    def search_alias(self, node: yaml.Node) -> tuple[SearchAlias, list[yaml.Node]] | None:
        """One search alias record with the nodes of its names, or ``None`` when broken."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"a search alias must be a map, not {_kind(node)}")
            return None
        keys = self.mapping(node, "a search alias")
        ok = True
        for key, (key_node, _) in keys.items():
            if key not in SEARCH_ALIAS_FIELDS:
                self.error(key_node, f"search alias: unknown field {key!r} "
                                     f"(expected {', '.join(SEARCH_ALIAS_FIELDS)})")
                ok = False
        for key, (_required, kind) in SEARCH_ALIAS_FIELDS.items():
            if key not in keys:
                self.error(node, f"search alias: missing required field {key!r}")
                ok = False
            elif _kind(keys[key][1]) != kind:
                self.error(keys[key][1], f"search alias: field {key!r} must be a {kind}, "
                                         f"not {_kind(keys[key][1])}")
                ok = False
        if not ok:
            return None
        reason = self.string(keys["reason"][1], "search alias: reason")
        names = [(name, item) for item in keys["names"][1].value
                 if (name := self.string(item, "search alias: a name")) is not None]
        if len(names) < MIN_SEARCH_ALIAS_NAMES:
            self.error(keys["names"][1], "search alias: names must list two forms or more")
            return None
        if reason is None:
            return None
        alias = SearchAlias(tuple(name for name, _ in names), reason, node.start_mark.line + 1)
        return alias, [item for _, item in names]

    def not_entities(self, node: yaml.Node) -> list[tuple[str, yaml.Node]]:
        """The reviewed non-entity names with their nodes."""
        if _kind(node) == "null":
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"not_entities must be a list, not {_kind(node)}")
            return []
        out = []
        for item in node.value:
            value = self.string(item, "a not_entities item")
            if value is not None:
                out.append((value, item))
        return out


def _check_names(checker: _Checker, entities: list[tuple[Entity, yaml.Node]],
                 not_entities: list[tuple[str, yaml.Node]],
                 search_aliases: list[tuple[SearchAlias, list[yaml.Node]]]) -> None:
    """Names must be unambiguous, and ids must be unique.

    No folded name may belong to two entities or also be a reviewed non-entity; a search alias
    names no entity (an entity's other names are its aliases) and is listed once.
    """
    ids: dict[str, Entity] = {}
    owners: dict[str, Entity] = {}
    for entity, node in entities:
        if entity.id in ids:
            checker.error(node, f"duplicate id {entity.id!r} "
                                f"(first defined at line {ids[entity.id].line})")
            continue
        ids[entity.id] = entity
        for name, name_node in checker.name_nodes.get(entity.id, []):
            key = clash_key(name)
            other = owners.setdefault(key, entity)
            if other is not entity:
                checker.error(name_node, f"entity {entity.id!r}: name {name!r} is already a "
                                         f"name of {other.id!r} (line {other.line})")
    seen: dict[str, int] = {}
    for name, node in not_entities:
        key = clash_key(name)
        if key in owners:
            checker.error(node, f"not_entities item {name!r} is a name of entity "
                                f"{owners[key].id!r} (line {owners[key].line})")
        elif key in seen:
            checker.error(node, f"not_entities item {name!r} is listed twice "
                                f"(first at line {seen[key]})")
        else:
            seen[key] = node.start_mark.line + 1
    listed: dict[str, int] = {}
    for alias, name_nodes in search_aliases:
        for name, node in zip(alias.names, name_nodes, strict=True):
            key = clash_key(name)
            if key in owners:
                checker.error(node, f"search alias {name!r} is a name of entity "
                                    f"{owners[key].id!r} (line {owners[key].line}): "
                                    "list it among that entity's aliases")
            elif key in listed:
                checker.error(node, f"search alias {name!r} is listed twice "
                                    f"(first at line {listed[key]})")
            else:
                listed[key] = node.start_mark.line + 1


def parse_registry(text: str, path: str = "<registry>") -> Registry:
    """Validate registry YAML text and build the :class:`Registry`; raise :class:`RegistryError`."""
    checker = _Checker(path)
    try:
        root = compose_yaml(text, path=path)
    except YamlRefused as exc:
        raise RegistryError([str(exc)]) from None
    if not isinstance(root, yaml.MappingNode):
        checker.error(root, "the registry must be a map with 'entities' and 'not_entities'")
        raise RegistryError(checker.errors)
    keys = checker.mapping(root, "the registry")
    for key, (key_node, _) in keys.items():
        if key not in TOP_LEVEL_KEYS:
            checker.error(key_node, f"unknown top-level key {key!r} "
                                    f"(expected {', '.join(TOP_LEVEL_KEYS)})")
    entities: list[tuple[Entity, yaml.Node]] = []
    if "entities" not in keys:
        checker.error(root, "missing top-level key 'entities'")
    elif not isinstance(keys["entities"][1], yaml.SequenceNode):
        checker.error(keys["entities"][1], "entities must be a list")
    else:
        for node in keys["entities"][1].value:
            entity = checker.entity(node)
            if entity is not None:
                entities.append((entity, node))
    not_entities = checker.not_entities(keys["not_entities"][1]) if "not_entities" in keys else []
    search_aliases = (checker.search_aliases(keys["search_aliases"][1])
                      if "search_aliases" in keys else [])
    _check_names(checker, entities, not_entities, search_aliases)
    if checker.errors:
        raise RegistryError(checker.errors)
    return Registry(entities=tuple(entity for entity, _ in entities),
                    not_entities=tuple(name for name, _ in not_entities),
                    search_aliases=tuple(alias for alias, _ in search_aliases), path=path)


#: The registry last loaded from each file, with the file's size and time of change: a Sphinx
#: build reads it twice (the entity domain, the search dictionary) and needs to parse it once.
_LOADED: dict[str, tuple[tuple[int, int], Registry]] = {}


def load_registry(path: str | Path) -> Registry:
    """Load and validate the registry file; raise :class:`RegistryError` on any problem."""
    try:
        stat = Path(path).stat()
        stamp: tuple[int, int] | None = (stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = None  # read_yaml_text says what is wrong with the file
    known = _LOADED.get(str(path))
    if stamp is not None and known is not None and known[0] == stamp:
        return known[1]
    try:
        text = read_yaml_text(path)
    except YamlRefused as exc:
        raise RegistryError([f"{path}:{exc.line}: cannot read the registry ({exc.reason})"]
                            ) from None
    registry = parse_registry(text, str(path))
    if stamp is not None:
        _LOADED[str(path)] = (stamp, registry)
    return registry
