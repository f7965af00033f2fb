"""The extension's one YAML loader: page front matter, the editorial decisions file.

Every YAML the edition reads is written by people (a contributor, a pull request), and none of
it needs anchors or aliases. Aliases are what make a few hundred bytes expand into gigabytes
once a value is walked or printed, so they are refused outright, as are duplicate keys (the
last one would silently win), tags outside YAML's safe set (``!!python/object``), nesting
deeper than any real file needs and texts longer than :data:`MAX_YAML_CHARS`. A refusal is a
:class:`YamlRefused` with the line it concerns, for a located warning.

Every YAML call of the extension goes through :func:`load_yaml`, so that adopting another
strict loader is a change of this module only.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

#: Longest YAML text read (characters): ten times the registry, far above any front matter.
MAX_YAML_CHARS = 1_000_000
#: Deepest nesting of lists and mappings accepted (the edition's files need four levels).
MAX_YAML_DEPTH = 50


class YamlRefused(ValueError):
    """A YAML text the edition does not read, and why (``line`` counts from 1 in the text)."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        #: The line of the text the problem is on (1 for the whole text).
        self.line = line
        #: What is wrong, in one sentence.
        self.reason = reason


class _StrictLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors, aliases, duplicate keys or unbounded nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Refuse an alias or anchor where it occurs; count the nesting."""
        event = self.peek_event()
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(line, f"alias *{event.anchor} refused (anchors and aliases are "
                                    "not used)")
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlRefused(line, f"anchor &{anchor} refused (anchors and aliases are not used)")
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise YamlRefused(line, f"nested more than {MAX_YAML_DEPTH} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Refuse a key given twice in one mapping (YAML keeps the last, silently)."""
        seen: set[str] = set()
        for key_node, _value in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    raise YamlRefused(key_node.start_mark.line + 1,
                                      f"duplicate key {key_node.value!r}")
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, *, limit: int = MAX_YAML_CHARS) -> Any:
    """The data of a YAML text, or :class:`YamlRefused` with the line of the problem."""
    if len(text) > limit:
        raise YamlRefused(1, f"{len(text):,} characters of YAML (the limit is {limit:,})")
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlRefused(line, f"not valid YAML: {exc.problem or exc.context or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlRefused(1, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise YamlRefused(1, "nested too deeply") from None
    finally:
        loader.dispose()


def decode_yaml_bytes(data: bytes) -> str:
    """A YAML file's text (UTF-8, as YAML requires), or :class:`YamlRefused` at the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlRefused(line, f"not UTF-8 (byte 0x{data[exc.start]:02x})") from None
