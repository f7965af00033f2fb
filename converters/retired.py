"""The record of published labels that no longer exist, and where they went.

``docs/_data/retired-labels.yaml`` lists every article slug or paragraph label that was once
published and is gone — because an article's slug changed, for instance — with its successor
(``''`` when the text is gone) and the reason in words an editor understands. Citations made
before the change keep working through it. Entries are only ever appended.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

#: The file, relative to the Sphinx project (``docs/``).
RETIRED_FILE = Path("_data") / "retired-labels.yaml"

#: The comment that heads a new file.
HEADER = ("# docs/_data/retired-labels.yaml — published labels that no longer exist, "
          "and where they went\n")


@dataclass(frozen=True)
class RetiredLabel:
    """One published label that no longer exists."""

    label: str  #: the retired label (article slug or paragraph label)
    successor: str  #: the label that replaces it ('' when the text is gone)
    reason: str  #: why, in words an editor understands


#: A label as written bare in the record (slugs and paragraph labels are plain YAML scalars).
BARE_LABEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
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


def render(entries: list[RetiredLabel]) -> str:
    """The YAML text of ``entries``, in the record's agreed layout."""
    return "".join(
        f"- label: {_label(e.label)}\n  successor: {_label(e.successor)}\n"
        f"  reason: {_quoted(e.reason)}\n"
        for e in entries
    )


def append_retired(path: Path, entries: list[RetiredLabel]) -> None:
    """Append ``entries`` to the record at ``path`` (created with its header when missing)."""
    if not entries:
        return
    existing = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(existing + render(entries), encoding="utf-8")
