"""Files the extension generates: written only when their text changed.

Sphinx rebuilds what is newer than its output, and a browser or LaTeX run re-reads what changed:
rewriting an identical generated page, style package or script would make every build a full
one. Every component that writes a file of its own goes through :func:`write_if_changed`.
"""

from __future__ import annotations

from pathlib import Path


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` (UTF-8, line ends as given) unless the file holds it; say whether written."""
    data = text.encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True
