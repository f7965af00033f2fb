"""Re-import converter output into pages that people have edited, without losing their edits.

Every article page in the edition has a *merge base*: the converter output it was last made
from, kept beside the pages (``docs/_import/<slug>.md`` for ``docs/articles/<slug>.md``).
When the converters run again, the new output (theirs), the page as edited (ours) and the base
are merged three ways by ``git merge-file`` — the same merge git itself does, so people can
reason about it as about any merge. A clean merge updates the page and the base; a conflict
leaves both untouched and is reported hunk by hunk as ``file:line: conflict …``.
"""

from __future__ import annotations

import difflib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

#: Folder, next to the pages' folder, that keeps the merge bases (excluded from Sphinx).
BASE_DIR_NAME = "_import"

#: How much of the converter's new line a conflict message quotes.
SHOWN_CHARACTERS = 60

#: The markers ``git merge-file --diff3`` writes around a conflict hunk (7 characters each).
MARKER_OURS = "<<<<<<<"
MARKER_BASE = "|||||||"
MARKER_SEPARATOR = "======="
MARKER_THEIRS = ">>>>>>>"


class ReimportError(Exception):
    """The merge itself could not run (no git, unreadable file); the message is one line."""


@dataclass
class Conflict:
    """One conflicting hunk: where it starts in the edited page, and what clashes."""

    path: Path
    line: int  #: 1-based line of the page as it is on disk
    ours: list[str]  #: the page's lines in the hunk
    theirs: list[str]  #: the new converter output's lines in the hunk

    def __str__(self) -> str:
        """The ``file:line: message`` form printed to the user."""
        new = next((line.strip() for line in self.theirs if line.strip()), "")
        if len(new) > SHOWN_CHARACTERS:
            new = new[:SHOWN_CHARACTERS] + "…"
        more = len(self.theirs) - 1
        shown = f"now writes {new!r}" + (f" and {more} more line(s)" if more > 0 else "")
        if not self.theirs:
            shown = "now removes these line(s)"
        return (
            f"{self.path}:{self.line}: conflict: {len(self.ours)} line(s) edited here, and the "
            f"converter {shown}; edit the page by hand, then convert again with --resolved"
        )


@dataclass
class Outcome:
    """What re-importing one page did."""

    path: Path
    #: ``created`` (no base yet), ``overwritten`` (page not edited), ``merged`` (edits kept),
    #: ``kept`` (converter output unchanged), ``unchanged`` (nothing to do), ``resolved`` (the
    #: conflicting page taken as it is, the base moved on) or ``conflict``.
    action: str
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the page is now up to date with the converter output."""
        return self.action != "conflict"


def base_path(page: Path, base_dir: Path | None = None) -> Path:
    """Where the merge base of ``page`` lives: ``<pages>/../_import/<name>`` unless given."""
    folder = base_dir if base_dir is not None else page.parent.parent / BASE_DIR_NAME
    return folder / page.name


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) so that readers see either the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # what a killed earlier run left of this very file (SIGKILL skips every clean-up)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            # mkstemp creates 0600; a page must be as readable as any file the user makes
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def merge3(ours: str, base: str, theirs: str) -> tuple[str, int]:
    """Merge with ``git merge-file -p --diff3``: the merged text and the number of conflicts."""
    git = shutil.which("git")
    if git is None:
        raise ReimportError("git is needed to merge converter output into edited pages")
    with tempfile.TemporaryDirectory(prefix="edition-merge-") as tmp:
        files = []
        for name, text in (("page", ours), ("base", base), ("converter", theirs)):
            file = Path(tmp) / name
            file.write_text(text, encoding="utf-8", newline="")
            files.append(str(file))
        proc = subprocess.run(
            [git, "merge-file", "-p", "--diff3",
             "-L", "page", "-L", "base", "-L", "converter", *files],
            capture_output=True,
            check=False,
        )
    # merge-file exits with the number of conflicts (capped at 127), negative on error
    if proc.returncode < 0 or proc.returncode > 127:
        message = proc.stderr.decode("utf-8", "replace").strip() or "git merge-file failed"
        raise ReimportError(message.splitlines()[0])
    return proc.stdout.decode("utf-8"), proc.returncode


def _conflict_hunks(merged: str) -> tuple[list[str], list[tuple[int, list[str], list[str]]]]:
    """Split diff3 output into the page-side resolution and the hunks found in it.

    Returns the lines of the merge resolved to the page's side of every conflict, and for each
    hunk its start index in those lines with its page and converter lines.
    """
    resolved: list[str] = []
    hunks: list[tuple[int, list[str], list[str]]] = []
    state = "outside"
    ours: list[str] = []
    theirs: list[str] = []
    for line in merged.splitlines(keepends=True):
        if state == "outside" and line.startswith(MARKER_OURS + " "):
            state, ours, theirs = "ours", [], []
        elif state == "ours" and line.startswith(MARKER_BASE):
            state = "base"
        elif state in ("ours", "base") and line.rstrip("\r\n") == MARKER_SEPARATOR:
            state = "theirs"
        elif state == "theirs" and line.startswith(MARKER_THEIRS + " "):
            hunks.append((len(resolved), ours, theirs))
            resolved.extend(ours)
            state = "outside"
        elif state == "outside":
            resolved.append(line)
        elif state == "ours":
            ours.append(line)
        elif state == "theirs":
            theirs.append(line)
    return resolved, hunks


def find_conflicts(path: Path, ours: str, merged: str) -> list[Conflict]:
    """Locate every conflict hunk of ``merged`` as a line of the page ``ours`` on disk."""
    resolved, hunks = _conflict_hunks(merged)
    page_lines = ours.splitlines(keepends=True)
    # The page-side resolution is the page plus the converter's clean changes; aligning the two
    # only maps hunk positions back to the page's own line numbers, it merges nothing.
    matcher = difflib.SequenceMatcher(None, page_lines, resolved, autojunk=False)
    conflicts = []
    for start, ours_lines, theirs_lines in hunks:
        line = _map_index(matcher.get_opcodes(), start) + 1
        conflicts.append(Conflict(path, min(line, max(len(page_lines), 1)), ours_lines,
                                  theirs_lines))
    return conflicts


def _map_index(opcodes: Sequence[tuple[str, int, int, int, int]], index: int) -> int:
    """The index in the first sequence that corresponds to ``index`` in the second."""
    for tag, a1, _a2, b1, b2 in opcodes:
        if b1 <= index < b2 or (b1 == b2 == index):
            if tag == "equal":
                return a1 + (index - b1)
            return a1
    return opcodes[-1][2] if opcodes else 0


def reimport(page: Path, new_text: str, base_dir: Path | None = None,
             resolved: bool = False) -> Outcome:
    """Bring ``page`` up to date with ``new_text``, the converter's fresh output, keeping edits.

    ``resolved`` says that a page still in conflict with this output is the editors'
    resolution of that conflict: it is kept as it is and the base becomes the output (as
    ``git add`` marks a conflict resolved). Pages that merge cleanly are merged as usual.
    """
    base_file = base_path(page, base_dir)
    if not page.exists():
        write_atomic(page, new_text)
        write_atomic(base_file, new_text)
        return Outcome(page, "created")
    ours = page.read_text(encoding="utf-8")
    if not base_file.exists():
        # Without a base nothing tells edits from old output: the new output starts the history.
        write_atomic(page, new_text)
        write_atomic(base_file, new_text)
        return Outcome(page, "created")
    base = base_file.read_text(encoding="utf-8")
    if ours == new_text:
        if base != new_text:
            write_atomic(base_file, new_text)
        return Outcome(page, "unchanged")
    if ours == base:
        write_atomic(page, new_text)
        write_atomic(base_file, new_text)
        return Outcome(page, "overwritten")
    if base == new_text:
        return Outcome(page, "kept")
    merged, count = merge3(ours, base, new_text)
    if count and resolved:
        write_atomic(base_file, new_text)
        return Outcome(page, "resolved")
    if count:
        return Outcome(page, "conflict", find_conflicts(page, ours, merged))
    # Page first: if interrupted before the base is updated, the next merge sees the converter's
    # changes on both sides, which git merges cleanly.
    write_atomic(page, merged)
    write_atomic(base_file, new_text)
    return Outcome(page, "merged")


def import_pages(
    pages: dict[str, str], out_dir: Path, base_dir: Path | None = None, resolved: bool = False
) -> list[Outcome]:
    """Re-import every page of a conversion (file name -> MyST text) into ``out_dir``."""
    return [reimport(out_dir / name, text, base_dir, resolved) for name, text in pages.items()]
