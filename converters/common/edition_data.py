"""The edition's name, from ``docs/_data/edition.yaml``: read strictly, its counts filled in.

The file holds two title patterns, ``title_en`` and ``title_zh``, in which ``{name}`` stands
for one of the counts the edition computes from its articles (:data:`PLACEHOLDERS`):
``"{sources_en_title} Texts on China’s Internet"``. The file comes from pull requests like any
other data file, so it is read by the one strict YAML loader (no aliases, bounded size and
depth) and held to a schema: exactly those two keys, each a string of bounded length whose
placeholders are known names written bare. A placeholder is filled by looking its name up and
putting the count in its place — never by ``str.format``, whose format specs
(``{sources:>3000000000}``) allocate without bound and whose ``{a.b}`` / ``{a[0]}`` reach into
the values' attributes. Every refusal is a :class:`~converters.common.yamlsafe.YamlRefused`,
``file:line: reason`` on one line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import yaml

from .paths import DATA_DIR
from .yamlsafe import YamlRefused, compose_yaml, read_yaml_text

#: The file, relative to the project root (``EDITION_FILE.relative_to("docs")`` from Sphinx's).
EDITION_FILE = DATA_DIR / "edition.yaml"
#: The keys of the file, each a title pattern, in the order they are written.
TITLE_KEYS: tuple[str, ...] = ("title_en", "title_zh")
#: The names a title may hold as ``{name}``: the counts that
#: ``edition.article.home.edition_names`` computes.
PLACEHOLDERS: frozenset[str] = frozenset({
    "sources", "sources_en", "sources_en_title", "sources_zh",
    "articles", "articles_en", "articles_zh", "years",
})
#: Longest title pattern, in characters: a title, not a text.
MAX_TITLE_CHARS = 200
#: Longest file, in characters: two titles and their comments.
MAX_EDITION_CHARS = 10_000

#: Anything between braces (a placeholder, or what ``str.format`` would read as one).
_BRACED = re.compile(r"\{([^{}]*)\}")
#: A placeholder's name as written bare: lower-case words joined by underscores.
_NAME = re.compile(r"[a-z]+(?:_[a-z]+)*")
#: The tag YAML gives a string scalar (quoted, or plain text that is not a number or a word
#: such as ``yes``).
_STR_TAG = "tag:yaml.org,2002:str"


class EditionTitles(NamedTuple):
    """The checked title patterns of the edition, and where each is written."""

    #: the English title, placeholders unfilled
    title_en: str
    #: the Chinese title, placeholders unfilled
    title_zh: str
    #: the line of each key in the file
    lines: Mapping[str, int]

    def filled(self, values: Mapping[str, str]) -> dict[str, str]:
        """Both titles with their placeholders replaced by ``values``."""
        return {key: fill(getattr(self, key), values) for key in TITLE_KEYS}


def placeholder_problem(pattern: str) -> str:
    """Why ``pattern`` is not a title the edition fills in ('' when it is one)."""
    if not pattern.strip():
        return "empty (a title has words)"
    if len(pattern) > MAX_TITLE_CHARS:
        return f"{len(pattern):,} characters (a title has at most {MAX_TITLE_CHARS})"
    for match in _BRACED.finditer(pattern):
        name = match.group(1)
        if not _NAME.fullmatch(name):
            return (f"placeholder {match.group(0)} refused: write a count's name alone, as "
                    "{sources}, without a format, conversion, attribute or index")
        if name not in PLACEHOLDERS:
            return (f"unknown placeholder {match.group(0)} (known: "
                    f"{', '.join(sorted(PLACEHOLDERS))})")
    rest = _BRACED.sub("", pattern)
    if "{" in rest or "}" in rest:
        return "a '{' or '}' that is not part of a placeholder {name}"
    return ""


def fill(pattern: str, values: Mapping[str, str]) -> str:
    """``pattern`` with each ``{name}`` replaced by ``values[name]`` (text, never formatted)."""
    return _BRACED.sub(lambda m: values[m.group(1)], pattern)


def parse_edition_data(text: str, path: str = "edition.yaml") -> EditionTitles:
    """The title patterns of an ``edition.yaml`` text, or :class:`YamlRefused` at ``path:line``."""
    node = compose_yaml(text, path=path, limit=MAX_EDITION_CHARS)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        raise YamlRefused(line, f"must be a mapping with the keys {', '.join(TITLE_KEYS)}", path)
    titles: dict[str, str] = {}
    lines: dict[str, int] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        name = str(key.value)
        if name not in TITLE_KEYS:
            raise YamlRefused(line, f"unknown key {name!r} (the file has exactly "
                              f"{', '.join(TITLE_KEYS)})", path)
        if not isinstance(value, yaml.ScalarNode) or value.tag != _STR_TAG:
            raise YamlRefused(value.start_mark.line + 1, f"{name} must be a string (quote it)",
                              path)
        problem = placeholder_problem(str(value.value))
        if problem:
            raise YamlRefused(value.start_mark.line + 1, f"{name}: {problem}", path)
        titles[name] = str(value.value)
        lines[name] = line
    missing = [key for key in TITLE_KEYS if key not in titles]
    if missing:
        raise YamlRefused(node.start_mark.line + 1, f"{', '.join(missing)} missing", path)
    return EditionTitles(titles["title_en"], titles["title_zh"], lines)


def load_edition_data(path: Path, shown: str | None = None) -> EditionTitles:
    """The title patterns of ``edition.yaml`` at ``path`` (``shown`` names it in refusals)."""
    name = str(path) if shown is None else shown
    try:
        text = read_yaml_text(path, MAX_EDITION_CHARS)
    except YamlRefused as exc:
        raise YamlRefused(exc.line, exc.reason, name) from None
    return parse_edition_data(text, name)
