"""A page as the editors' tools read it, and a problem found in it (``file:line: message``).

:mod:`converters.editing.check` and :mod:`converters.editing.anchors` both read pages and report
problems; they share this module rather than import each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: Largest page read (the longest article is about 60 kB); a link to ``/dev/zero`` stops here.
MAX_PAGE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong, where it is: printed as ``file:line: message``."""

    path: str  #: relative to the project root, with forward slashes
    line: int
    message: str

    def __str__(self) -> str:
        """The one-line form editors and CI annotations understand."""
        return f"{self.path}:{self.line}: {self.message}"


def read_page_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """A page's text, or the one problem that stops it being read (not UTF-8, unreadable)."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PAGE_BYTES + 1)
    except OSError as exc:
        return None, [Problem(shown, 1, f"cannot read the page: {exc.strerror or exc}")]
    if len(raw) > MAX_PAGE_BYTES:
        return None, [Problem(shown, 1, f"page is larger than {MAX_PAGE_BYTES:,} bytes (a "
                              "link to a device or a huge file?)")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(shown, line, f"page is not UTF-8 (byte 0x{raw[exc.start]:02x}); "
                              "save it as UTF-8")]
