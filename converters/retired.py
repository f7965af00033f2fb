"""The record of published labels that no longer exist, and where they went.

``docs/_data/retired-labels.yaml`` lists every article slug or paragraph label that was once
published and is gone — because an article's slug changed, for instance — with its successor
(``''`` when the text is gone) and the reason in words an editor understands. Citations made
before the change keep working through it. Entries are only ever appended.
"""

from __future__ import annotations

import json
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


def _quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML ones)."""
    return json.dumps(value, ensure_ascii=False)


def render(entries: list[RetiredLabel]) -> str:
    """The YAML text of ``entries``, in the record's fixed layout."""
    return "".join(
        f"- label: {_quoted(e.label)}\n  successor: {_quoted(e.successor)}\n"
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
