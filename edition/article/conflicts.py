"""Refuse pages that still hold a re-import's conflict markers: a located warning per marker.

A re-import that conflicts with an editor's change writes ``<<<<<<<`` … ``>>>>>>>`` markers into
the page (see ``converters/editing/reimport.py``). Built as it is, the page would publish both
versions and the markers; the build warns at each marker line instead, and ``-W`` makes that an
error.
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

#: A line that opens or closes a conflict hunk (as ``converters.editing.reimport`` writes them).
CONFLICT_MARKER_LINE = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)


def warn_conflict_markers(_app: Sphinx, docname: str, source: list[str]) -> None:
    """Warn, located at the page and line, for every conflict marker of a source."""
    text = source[0]
    for match in CONFLICT_MARKER_LINE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        logger.warning(
            "conflict marker left by a re-import: resolve the conflict by hand, then convert "
            "again with --resolved",
            location=(docname, line), type="edition", subtype="conflict_marker",
        )


def setup_conflicts(app: Sphinx) -> None:
    """Register the check of every source as it is read."""
    app.connect("source-read", warn_conflict_markers)
