"""A page that still holds a re-import's conflict markers fails ``check`` and the build."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from edition_builds import copy_edition

from converters.editing.check import check

ROOT = Path(__file__).resolve().parents[1]

#: What a conflicting re-import leaves in a page (``git merge-file --diff3``).
HUNK = ["<<<<<<< page", "编者改过的段落。", "||||||| base", "原来的段落。", "=======",
        "转换器的新段落。", ">>>>>>> converter"]


def insert_hunk(page: Path, after: int) -> tuple[int, int]:
    """Put a conflict hunk after line ``after`` of ``page``; the lines of its two markers."""
    lines = page.read_text(encoding="utf-8").split("\n")
    lines[after:after] = ["", *HUNK, ""]
    page.write_text("\n".join(lines), encoding="utf-8")
    return after + 2, after + 2 + len(HUNK) - 1


def test_check_refuses_a_page_with_markers(tmp_path: Path) -> None:
    """Each marker line of a real article is a file:line problem."""
    copy_edition(tmp_path)
    page = tmp_path / "docs" / "articles" / "tiktok-run.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    first, last = insert_hunk(page, lines.index("(tiktok-run-p3)=") - 1)
    found = [str(p) for p in check(tmp_path, ["markers"])]
    assert found == [f"docs/articles/tiktok-run.md:{n}: conflict marker left by a re-import: "
                     "resolve the conflict by hand, then convert again with --resolved"
                     for n in (first, last)]


@pytest.mark.sphinx("html", testroot="article")
def test_build_refuses_a_page_with_markers(app: Any, warning: StringIO) -> None:
    """The build warns at the page and line of each marker (an error with -W)."""
    page = Path(app.srcdir) / "articles" / "sample.md"
    text = page.read_text(encoding="utf-8")
    body = text.split("\n").index("---", 1) + 2  # after the front matter
    first, last = insert_hunk(page, body)
    app.build()
    warnings = warning.getvalue()
    for line in (first, last):
        assert f"sample.md:{line}: WARNING: conflict marker left by a re-import" in warnings
