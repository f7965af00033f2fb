"""The record of published labels that no longer exist, and where they went.

``docs/_data/retired-labels.yaml`` lists every article slug or paragraph label that was once
published and is gone — because an article's slug changed, for instance — with its successor
(``''`` when the text is gone) and the reason in words an editor understands. Citations made
before the change keep working through it. Entries are only ever appended.

The record arrives in pull requests, and the edition makes addresses out of it (a forwarding
page is named by the retired slug), so every label and successor must be what the converters
write: an article's slug or a block's label (:data:`converters.myst.SLUG`,
:data:`converters.myst.BLOCK_LABEL`) — never a path such as ``../index``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import NamedTuple

import yaml

from .markup import SLUG
from .yamlsafe import YamlRefused, compose_yaml

#: The file, relative to the Sphinx project (``docs/``).
RETIRED_FILE = Path("_data") / "retired-labels.yaml"
#: The keys every entry has.
RETIRED_KEYS = ("label", "successor", "reason")

#: The comment that heads a new file.
HEADER = ("# docs/_data/retired-labels.yaml — published labels that no longer exist, "
          "and where they went\n")


class Retirement(NamedTuple):
    """A published label that no longer exists, and where its readers are sent."""

    #: the retired label (an article's slug or a paragraph label)
    label: str
    #: the label that replaces it ('' when the text is gone)
    successor: str
    #: why, in words an editor understands
    reason: str
    #: the entry's line in the record (0 for an entry not read from it)
    line: int = 0


class RetiredLabelsError(ValueError):
    """The retirement record cannot be used: ``line N: reason`` (the first of its problems)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        """The record's problems, each ``(line, reason)``, in the order of the file."""
        line, reason = problems[0]
        super().__init__(f"line {line}: {reason}")
        #: Every problem found, ``(line, reason)``.
        self.problems = problems


#: A label as written bare in the record (slugs and paragraph labels are plain YAML scalars).
BARE_LABEL = SLUG
#: Words YAML 1.1 reads as booleans or null: such a label is quoted.
YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})


#: Characters YAML does not allow in a file, or reads as line breaks (NEL, U+2028, U+2029):
#: written as escapes.
NOT_PRINTABLE = re.compile(
    "[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML ones), readable in Chinese."""
    text = json.dumps(value, ensure_ascii=False)
    return NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _label(value: str) -> str:
    """A label bare, as the record writes them; anything else quoted ('' for no successor)."""
    if not value:
        return "''"
    bare = BARE_LABEL.fullmatch(value) and not value.isdigit() and value not in YAML_WORDS
    return value if bare else _quoted(value)


def render(entries: list[Retirement]) -> str:
    """The YAML text of ``entries``, in the record's agreed layout."""
    return "".join(
        f"- label: {_label(e.label)}\n  successor: {_label(e.successor)}\n"
        f"  reason: {_quoted(e.reason)}\n"
        for e in entries
    )


def append_retired(path: Path, entries: list[Retirement]) -> list[Retirement]:
    """Append ``entries`` to the record at ``path`` (created with its header when missing).

    A label the record retires already keeps its first entry (its readers were sent there
    first); returns the entries written.
    """
    known = {entry.label for entry in load_retired(path)}
    fresh: list[Retirement] = []
    for entry in entries:
        if entry.label not in known:
            fresh.append(entry)
            known.add(entry.label)
    if not fresh:
        return []
    existing = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(existing + render(fresh), encoding="utf-8")
    return fresh


def retire(path: Path, label: str, successor: str, reason: str) -> Retirement:
    """Record one label's retirement by hand; refuse an empty reason or a label retired already."""
    if not label.strip() or not reason.strip():
        raise ValueError("a retired label needs its label and a reason")
    for key, value in (("label", label), ("successor", successor)):
        problem = label_problem(key, value)
        if problem:
            raise ValueError(problem)
    if any(entry.label == label for entry in load_retired(path)):
        raise ValueError(f"label '{label}' is already retired")
    append_retired(path, [Retirement(label, successor, " ".join(reason.split()))])
    return load_retired(path)[-1]


def label_problem(key: str, value: str) -> str:
    """Why ``value`` cannot be the entry's ``key`` (label or successor); '' when it can.

    A retired label and its successor are an article's slug or a block's label, and a block's
    label is a slug with a suffix: one pattern admits both, and nothing that reads as a path.
    """
    if (key == "successor" and not value) or SLUG.fullmatch(value):
        return ""
    return (f"{key} {value!r} is not an article's slug or a block's label (such as "
            "'my-article' or 'my-article-p12', '-s3', '-f1')")


def load_retired(path: Path) -> list[Retirement]:
    """The entries of the retirement record (``[]`` when the file does not exist).

    Raises :class:`RetiredLabelsError` with every problem of the record, each at its line.
    """
    if not path.is_file():
        return []
    try:
        node = compose_yaml(path.read_text(encoding="utf-8"), path=str(path))
    except YamlRefused as exc:
        raise RetiredLabelsError([(exc.line, exc.reason)]) from None
    except UnicodeDecodeError as exc:
        raise RetiredLabelsError([(1, f"not UTF-8 ({exc.reason})")]) from None
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise RetiredLabelsError([(node.start_mark.line + 1, "the record must be a list of "
                                   "entries (label, successor, reason)")])
    entries: list[Retirement] = []
    problems: list[tuple[int, str]] = []
    for item in node.value:
        entry = _entry(item, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise RetiredLabelsError(problems)
    return entries


def _entry(item: yaml.Node, problems: list[tuple[int, str]]) -> Retirement | None:
    """One entry of the record, or None with its problems added to ``problems``."""
    line = item.start_mark.line + 1
    if not isinstance(item, yaml.MappingNode):
        problems.append((line, "an entry must be a mapping (label, successor, reason)"))
        return None
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    found = len(problems)
    for key, value in item.value:
        lines[str(key.value)] = value.start_mark.line + 1
        if not isinstance(value, yaml.ScalarNode) or value.tag == "tag:yaml.org,2002:null":
            problems.append((value.start_mark.line + 1, f"'{key.value}' must be a string"))
            continue
        values[str(key.value)] = str(value.value).strip()
    for key in RETIRED_KEYS:
        if key not in values and key not in lines:
            problems.append((line, f"entry lacks '{key}'"))
    for key in sorted(set(lines) - set(RETIRED_KEYS)):
        problems.append((lines[key], f"unknown key '{key}' (an entry has "
                         f"{', '.join(RETIRED_KEYS)})"))
    if "label" in values and not values["label"]:
        problems.append((lines["label"], "'label' is empty"))
    for key in ("label", "successor"):
        problem = label_problem(key, values[key]) if values.get(key) else ""
        if problem:
            problems.append((lines[key], problem))
    if "reason" in values and not values["reason"]:
        problems.append((lines["reason"], "entry gives no reason"))
    if len(problems) > found:
        return None
    return Retirement(values["label"], values["successor"], values["reason"], line)
