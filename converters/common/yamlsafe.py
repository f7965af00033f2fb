"""The one YAML loader of the edition: registry, editorial data, page front matter, Jekyll posts.

Every YAML the edition reads is written by people (a contributor, a pull request, a source's
exporter) and none of it needs anchors or aliases. Aliases are what let a few hundred bytes
expand into gigabytes once a value is walked or printed, so they are refused while the text is
still a stream of parser events — before anything is built. Refused as well: duplicate keys
(YAML keeps the last one silently, so a reader sniffing the first one would disagree with the
loader), explicit tags (``!!python/object`` and friends), merge keys, nesting deeper than any
real file needs, and texts longer than :data:`MAX_YAML_CHARS`.

libyaml (``CSafeLoader``) parses when PyYAML was built with it; the pure-Python loader is the
fallback. A refusal is a :class:`YamlRefused` carrying the line (counted in the file, see
``first_line``) and a one-sentence reason; ``str()`` gives ``file:line: reason``.

For the extension: ``load_yaml(text, path=..., first_line=2)`` is the call for a page's front
matter (its YAML starts on the page's second line), ``load_yaml_file(path)`` for a data file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import Node

#: Longest YAML text read, in characters: twenty times today's registry, far above any page's
#: front matter; a longer text is refused before it is parsed.
MAX_YAML_CHARS = 1_000_000
#: Deepest nesting of lists and mappings accepted (the edition's files need four levels).
MAX_YAML_DEPTH = 32

#: Tags a text may spell out: none but YAML's non-specific ``!`` (quoted scalars).
ALLOWED_EXPLICIT_TAGS: frozenset[str | None] = frozenset({None, "!"})

#: The loaders: libyaml's when available (a later speed task relies on it), else PyYAML's own.
SAFE_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Every scalar kept as the string it is written as (dates with their offsets, for instance).
STRING_LOADER: type[Any] = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


class YamlRefused(ValueError):
    """A YAML text the edition does not read: where (``path:line``) and why, on one line."""

    def __init__(self, line: int, reason: str, path: str = "") -> None:
        """The refusal at ``path:line``, for ``reason``."""
        super().__init__(f"{path or '<yaml>'}:{line}: {reason}")
        #: The file the text comes from ('' when it has none).
        self.path = path
        #: The line of the file the problem is on (1 for the whole text).
        self.line = line
        #: What is wrong, in one sentence.
        self.reason = reason


def _refusal(exc: yaml.YAMLError, text: str, path: str, first_line: int) -> YamlRefused:
    """A parser's error as one located line (its messages span several lines)."""
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        reason = str(exc.problem or exc.context or exc)
        line = _line(mark, first_line)
        if exc.context_mark is not None and _line(exc.context_mark, first_line) != line:
            # an unclosed quote is only noticed at the end: say where it was opened
            reason += f" ({exc.context} at line {_line(exc.context_mark, first_line)})"
    elif isinstance(exc, yaml.reader.ReaderError):
        reason = f"character U+{exc.character:04X} is not allowed in YAML" if isinstance(
            exc.character, int) else str(exc.reason)
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
    else:
        reason, line = str(exc), first_line
    return YamlRefused(line, "invalid YAML: " + " ".join(reason.split()), path)


def _line(mark: Any, first_line: int) -> int:
    """The file line of a parser mark (marks count from 0 in the parsed text)."""
    return (mark.line if mark is not None else 0) + first_line


def scan(text: str, path: str = "", first_line: int = 1, limit: int = MAX_YAML_CHARS) -> None:
    """Refuse what the edition never reads, from the parser's events (nothing is built yet)."""
    if not isinstance(text, str):
        raise YamlRefused(first_line, "YAML must be text", path)
    if len(text) > limit:
        raise YamlRefused(first_line, f"{len(text):,} characters of YAML (the limit is "
                          f"{limit:,})", path)
    loader = SAFE_LOADER(text)
    frames: list[set[str] | None] = []
    expecting_key: list[bool] = []
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            where = _line(event.start_mark, first_line)
            if isinstance(event, yaml.AliasEvent):
                raise YamlRefused(where, f"alias *{event.anchor} refused (anchors and aliases "
                                  "are not used in the edition's files)", path)
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise YamlRefused(where, f"anchor &{anchor} refused (anchors and aliases are "
                                  "not used in the edition's files)", path)
            tag = getattr(event, "tag", None)
            if tag not in ALLOWED_EXPLICIT_TAGS:
                raise YamlRefused(where, f"tag {tag} refused (the edition's files use "
                                  "no tags)", path)
            _track_keys(event, frames, expecting_key, where, path)
    except yaml.YAMLError as exc:
        raise _refusal(exc, text, path, first_line) from None
    finally:
        loader.dispose()


def _track_keys(event: Any, frames: list[set[str] | None], expecting_key: list[bool],
                where: int, path: str) -> None:
    """Keep the open collections' state; refuse duplicate, complex and merge keys, deep nests.

    ``frames`` holds, per open collection, the keys seen (``None`` for a list);
    ``expecting_key`` whether the next node of that mapping is a key (keys and values alternate).
    """
    if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
        frames.pop()
        expecting_key.pop()
        return
    if not isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
        return
    keys = frames[-1] if frames else None
    at_key = keys is not None and expecting_key[-1]
    if keys is not None:
        expecting_key[-1] = not expecting_key[-1]
    if isinstance(event, yaml.ScalarEvent):
        if at_key and keys is not None:
            key = str(event.value)
            if key == "<<" and not event.style:  # plain: libyaml says '', PyYAML None
                raise YamlRefused(where, "merge key '<<' refused (the edition's files do not "
                                  "use it)", path)
            if key in keys:
                raise YamlRefused(where, f"duplicate key {key!r} (a key may be given once)",
                                  path)
            keys.add(key)
        return
    if at_key:
        raise YamlRefused(where, "a key must be text, not a list or mapping", path)
    if len(frames) >= MAX_YAML_DEPTH:
        raise YamlRefused(where, f"nested more than {MAX_YAML_DEPTH} levels deep", path)
    frames.append(set() if isinstance(event, yaml.MappingStartEvent) else None)
    expecting_key.append(True)


def load_yaml(text: str, *, path: str = "", first_line: int = 1, limit: int = MAX_YAML_CHARS,
              strings: bool = False) -> Any:
    """The data of a YAML text, or :class:`YamlRefused` (``strings``: every scalar a string)."""
    scan(text, path, first_line, limit)
    loader = (STRING_LOADER if strings else SAFE_LOADER)(text)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise _refusal(exc, text, path, first_line) from None
    except (ValueError, OverflowError) as exc:
        # the constructor's own errors: an impossible date such as 2025-02-30
        raise YamlRefused(first_line, f"invalid YAML: {' '.join(str(exc).split())}",
                          path) from None
    finally:
        loader.dispose()


def compose_yaml(text: str, *, path: str = "", first_line: int = 1,
                 limit: int = MAX_YAML_CHARS) -> Node | None:
    """The node tree of a YAML text (marks give lines), or :class:`YamlRefused`."""
    scan(text, path, first_line, limit)
    loader = SAFE_LOADER(text)
    try:
        node: Node | None = loader.get_single_node()
        return node
    except yaml.YAMLError as exc:
        raise _refusal(exc, text, path, first_line) from None
    finally:
        loader.dispose()


def decode_yaml_bytes(data: bytes, path: str = "") -> str:
    """A YAML file's text (UTF-8, as YAML requires), or :class:`YamlRefused` at the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlRefused(line, f"not UTF-8 (byte 0x{data[exc.start]:02x})", path) from None


def read_yaml_text(path: Path | str, limit: int = MAX_YAML_CHARS) -> str:
    """A YAML file's text, size-checked before it is read whole, or :class:`YamlRefused`."""
    shown = str(path)
    try:
        with open(path, "rb") as handle:
            # four bytes per character at most: a bound on bytes bounds the characters
            data = handle.read(limit * 4 + 1)
    except FileNotFoundError:
        raise YamlRefused(1, "no such file", shown) from None
    except IsADirectoryError:
        raise YamlRefused(1, "is a directory, not a file", shown) from None
    except OSError as exc:
        raise YamlRefused(1, f"cannot read: {exc.strerror or exc}", shown) from None
    if len(data) > limit * 4:
        raise YamlRefused(1, f"more than {limit:,} characters of YAML", shown)
    return decode_yaml_bytes(data, shown)


def load_yaml_file(path: Path | str, *, limit: int = MAX_YAML_CHARS,
                   strings: bool = False) -> Any:
    """The data of a YAML file, or :class:`YamlRefused` naming ``file:line``."""
    return load_yaml(read_yaml_text(path, limit), path=str(path), limit=limit, strings=strings)
