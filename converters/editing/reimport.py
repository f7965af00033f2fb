"""Re-import converter output into pages that people have edited, without losing their edits.

Every article page in the edition has a *merge base*: the converter output it was last made
from, kept beside the pages (``docs/_import/<slug>.md`` for ``docs/articles/<slug>.md``).
When the converters run again, the new output (theirs), the page as edited (ours) and the base
are merged three ways by ``git merge-file --diff3`` — the same merge git itself does, so people
can reason about it as about any merge. A clean merge updates the page and the base. A conflict
writes the merge into the page with standard conflict markers (page / base / converter) around
exactly the conflicting lines, everything else merged, and leaves the base where it was: after
the editors resolve the markers, ``--resolved`` makes the new output the base.

While a page's conflict is open, the converter output it conflicts with is kept beside the
base (``docs/_import/<slug>.pending.md``): a page whose markers are gone but whose conflict was
never recorded as resolved (``--resolved``) is reported by ``check`` and refused by the next
run, so that a resolution by hand is never merged again as if it were an edit.

Blocks the converter never writes (an editorial note, any directive an editor adds) are taken
out of a conflicting hunk before it is shown: a hunk that conflicted only because a note was
added beside a changed line is resolved with the note kept, and in a real conflict the note
stands outside the markers, kept whichever side the editor takes, and the message says so.

The pages of one input are planned first and written together, or not at all: a page that
still holds conflict markers, or a merge that cannot run, stops the whole input before any file
is touched.
"""

from __future__ import annotations

import difflib
import glob
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .moves import rename_slug

#: Folder of the pages' project (:func:`project_folder`) that keeps the merge bases (excluded
#: from Sphinx).
BASE_DIR_NAME = "_import"
#: The ending of the record of an open conflict beside a page's base: the converter output the
#: page conflicts with (a Markdown file, as everything under ``docs/`` that is not data).
PENDING_SUFFIX = ".pending.md"
#: A line opening a directive block (``:::{admonition} …``, ```` ```{note} ````).
BLOCK_OPENER = re.compile(r"^(?P<fence>:{3,}|`{3,})\{")

#: How many characters of context a conflict message shows around the differing words.
CONTEXT_CHARACTERS = 12
#: The longest differing stretch quoted in full; longer ones are cut with an ellipsis.
SHOWN_CHARACTERS = 60

#: The markers ``git merge-file --diff3`` writes around a conflict hunk (7 characters each).
MARKER_OURS = "<<<<<<<"
MARKER_BASE = "|||||||"
MARKER_SEPARATOR = "======="
MARKER_THEIRS = ">>>>>>>"
#: A line that opens or closes a conflict hunk (the middle markers alone are ordinary Markdown:
#: ``=======`` underlines a heading).
CONFLICT_MARKER_LINE = re.compile(r"^(?:<{7}|>{7})(?: |$)")


class ReimportError(Exception):
    """The input's pages cannot be re-imported (markers left, no git); the message is one line."""


@dataclass
class Conflict:
    """One conflicting hunk, as written into the page: where it starts, and what clashes."""

    path: Path
    line: int  #: 1-based line of the hunk's ``<<<<<<<`` marker in the page as written
    ours: list[str]  #: the page's lines in the hunk
    theirs: list[str]  #: the new converter output's lines in the hunk
    base: list[str] = field(default_factory=list)  #: the merge base's lines in the hunk
    #: blocks of the page the converter never wrote, taken out of the hunk: each its first
    #: line in the page as written, and its first line of text
    kept: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        """The ``file:line: message`` form printed to the user, quoting the differing words.

        Each side is quoted where it departs from the base, so that an edit at the start of a
        paragraph and the converter's change at its end are both shown; where both departed
        alike, where the page and the converter differ.
        """
        base = "".join(self.base)
        page = differing_words(base, "".join(self.ours))[1]
        converter = differing_words(base, "".join(self.theirs))[1]
        if page == converter:
            page, converter = differing_words("".join(self.ours), "".join(self.theirs))
        if not self.theirs:
            shown = f"the page has {page!r} where the converter now removes the line(s)"
        elif not self.ours:
            shown = f"the page removed line(s) where the converter now writes {converter!r}"
        elif not converter:
            shown = f"the page has {page!r}, which the converter's output does not have"
        elif not page:
            shown = f"the converter now writes {converter!r}, which the page does not have"
        else:
            shown = f"the page has {page!r} where the converter now writes {converter!r}"
        kept = "".join(
            f"; the page's {_what(first)} at line {line}, which the converter never wrote, is "
            "kept outside the markers" for line, first in self.kept)
        return (
            f"{self.path}:{self.line}: conflict: {shown}{kept}; resolve the markers by hand, "
            "then convert again with --resolved"
        )


def _what(first: str) -> str:
    """A block the editors added, named by its first line: an editorial note, a directive."""
    name = re.sub(r"^[:`]+\{([^}]*)\}.*$", r"\1", first.strip())
    return "editorial note" if name == "admonition" else f"{{{name}}} block"


def differing_words(first: str, second: str) -> tuple[str, str]:
    """The stretch where two texts differ, with a little context on each side, from each.

    A side that only lacks what the other has gives ''.
    """
    matcher = difflib.SequenceMatcher(None, first, second, autojunk=False)
    changed = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    if not changed:
        return _cut(first.strip()), _cut(second.strip())
    a1, b1 = changed[0][1], changed[0][3]
    a2, b2 = changed[-1][2], changed[-1][4]
    return (_cut(_widen(first, a1, a2).strip()), _cut(_widen(second, b1, b2).strip()))


def _widen(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with context on its first line, not cutting a Latin word in two.

    A change that begins with line breaks (a block added after a line) is shown from its
    first words, not with the end of the line before it.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return ""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    end = min(end, line_end)
    start = max(line_start, start - CONTEXT_CHARACTERS)
    end = min(line_end, end + CONTEXT_CHARACTERS)
    while start > line_start and text[start - 1].isascii() and text[start - 1].isalnum():
        start -= 1
    while end < line_end and text[end].isascii() and text[end].isalnum():
        end += 1
    return text[start:end]


def _cut(text: str) -> str:
    return text if len(text) <= SHOWN_CHARACTERS else text[:SHOWN_CHARACTERS] + "…"


@dataclass
class Outcome:
    """What re-importing one page does: the action, and the files it writes or removes."""

    path: Path
    #: ``created`` (no base yet), ``overwritten`` (page not edited), ``merged`` (edits kept),
    #: ``kept`` (converter output unchanged), ``unchanged`` (nothing to do), ``resolved`` (the
    #: resolved page taken as it is, the base moved on), ``moved`` (the slug changed: the page
    #: was renamed and merged) or ``conflict`` (markers written into the page).
    action: str
    conflicts: list[Conflict] = field(default_factory=list)
    #: the files to write (path -> text) and to remove, in this order
    writes: dict[Path, str] = field(default_factory=dict)
    removals: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the page is now up to date with the converter output."""
        return self.action != "conflict"


def project_folder(pages: Path) -> Path:
    """The folder that keeps the converter's records of the pages in ``pages``.

    The Sphinx project ``pages`` is in (its parent holds ``conf.py``: ``docs/`` for
    ``docs/articles``), else ``pages`` itself: nothing goes into a parent folder the user did
    not name, and two output folders never share their merge bases.
    """
    return pages.parent if (pages.parent / "conf.py").is_file() else pages


def base_path(page: Path, base_dir: Path | None = None) -> Path:
    """Where the merge base of ``page`` lives: its project's ``_import/<name>`` unless given."""
    folder = base_dir if base_dir is not None else project_folder(page.parent) / BASE_DIR_NAME
    return folder / page.name


def pending_path(page: Path, base_dir: Path | None = None) -> Path:
    """Where the record of an open conflict of ``page`` lives, beside its merge base."""
    return base_path(page, base_dir).with_name(page.stem + PENDING_SUFFIX)


def marker_lines(text: str) -> list[int]:
    """The 1-based lines of ``text`` that open or close a conflict hunk."""
    return [number for number, line in enumerate(text.split("\n"), 1)
            if CONFLICT_MARKER_LINE.match(line)]


def _temporary(path: Path, text: str) -> str:
    """Write ``text`` to a temporary file beside ``path`` (same mode); return its name."""
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
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) so that readers see either the old or the new file, never half."""
    write_all({path: text})


def write_all(files: dict[Path, str], removals: Sequence[Path] = ()) -> None:
    """Write several files together: every text is on disk before the first file is replaced.

    A failure while preparing (disk full, no permission) leaves every file as it was; only
    the final renames, which do not fail for want of space, can be interrupted.
    """
    prepared: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            prepared.append((_temporary(path, text), path))
    except BaseException:
        for tmp, _path in prepared:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in prepared:
        os.replace(tmp, path)
    for path in removals:
        path.unlink(missing_ok=True)


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


def added_blocks(ours: list[str], base: list[str], theirs: list[str]) -> list[tuple[int, int]]:
    """The blocks of ``ours`` that neither ``base`` nor ``theirs`` has: (start, end) indices.

    A block is a directive, from its opening fence to the line that closes it (an editorial
    note, an admonition): the converter writes none of them inside a hunk's text.
    """
    other = "".join(base) + "".join(theirs)
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(ours):
        opener = BLOCK_OPENER.match(ours[index])
        if opener is None:
            index += 1
            continue
        fence = opener.group("fence")
        end = index + 1
        while end < len(ours) and not (ours[end].rstrip("\r\n").startswith(fence[0] * len(fence))
                                       and not ours[end].strip().strip(fence[0])):
            end += 1
        if end >= len(ours):
            break  # not closed inside the hunk: not a block the hunk holds whole
        if "".join(ours[index:end + 1]) not in other:
            found.append((index, end))
        index = end + 1
    return found


def _dropped(lines: list[str], spans: list[tuple[int, int]]) -> set[int]:
    """The indices of the spans' lines, and of the blank line each leaves behind."""
    drop: set[int] = set()
    for start, end in spans:
        drop.update(range(start, end + 1))
        if end + 1 < len(lines) and not lines[end + 1].strip():
            drop.add(end + 1)
        elif start > 0 and not lines[start - 1].strip():
            drop.add(start - 1)
    return drop


def _without(lines: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """``lines`` without the spans, and without the blank line each leaves behind."""
    drop = _dropped(lines, spans)
    return [line for index, line in enumerate(lines) if index not in drop]


def _block_lines(lines: list[str], start: int, end: int) -> list[str]:
    """A block of ``lines`` with the blank lines that stood around it."""
    block = list(lines[start:end + 1])
    if not block[-1].endswith("\n"):
        block[-1] += "\n"
    before = ["\n"] if start > 0 and not lines[start - 1].strip() else []
    after = ["\n"] if end + 1 < len(lines) and not lines[end + 1].strip() else []
    return [*before, *block, *after]


def _with_blocks(theirs: list[str], base: list[str], ours: list[str],
                 spans: list[tuple[int, int]]) -> list[str]:
    """``theirs`` with the page's added blocks put back where they stood among the base lines."""
    out = list(theirs)
    drop = _dropped(ours, spans)
    matcher = difflib.SequenceMatcher(None, base, theirs, autojunk=False)
    for start, end in reversed(spans):
        before = sum(1 for index in range(start) if index not in drop)
        # where base line ``before`` went in theirs (the end when it changed)
        position = len(out)
        for tag, b1, b2, t1, _t2 in matcher.get_opcodes():
            if tag == "equal" and b1 <= before < b2:
                position = t1 + (before - b1)
                break
        out[position:position] = _block_lines(ours, start, end)
    return out


def settle(merged: str) -> tuple[str, list[list[tuple[int, str]]]]:
    """The merge with the page's added blocks taken out of its conflicting hunks.

    A hunk whose only change of the page is the blocks it added is resolved: the converter's
    lines with the blocks where they stood. Otherwise the blocks go right after the hunk,
    outside the markers, so that whichever side is taken, they are kept. Returns the text and,
    for each hunk left, the blocks set beside it (their line in the text, their first line).
    """
    out: list[str] = []
    kept: list[list[tuple[int, str]]] = []
    state = "outside"
    hunk: dict[str, list[str]] = {}
    for line in merged.splitlines(keepends=True):
        if state == "outside" and line.startswith(MARKER_OURS + " "):
            state, hunk = "ours", {"open": [line], "ours": [], "base": [], "theirs": []}
        elif state == "ours" and line.startswith(MARKER_BASE):
            state = "base"
            hunk["base_marker"] = [line]
        elif state in ("ours", "base") and line.rstrip("\r\n") == MARKER_SEPARATOR:
            state = "theirs"
            hunk["separator"] = [line]
        elif state == "theirs" and line.startswith(MARKER_THEIRS + " "):
            hunk["close"] = [line]
            lines, beside = _settle_hunk(hunk)
            if any(marker.startswith(MARKER_OURS + " ") for marker in lines):
                kept.append([(len(out) + number, first) for number, first in beside])
            out.extend(lines)
            state = "outside"
        elif state == "outside":
            out.append(line)
        else:
            hunk[state].append(line)
    if state != "outside":  # an unfinished hunk (never written by git): left as it came
        out.extend(line for part in hunk.values() for line in part)
    return "".join(out), kept


def _settle_hunk(hunk: dict[str, list[str]]) -> tuple[list[str], list[tuple[int, str]]]:
    """One conflicting hunk, with the page's added blocks resolved or set beside it.

    Returns its lines and the blocks set beside it: (line within these lines, first line).
    """
    ours, base, theirs = hunk["ours"], hunk["base"], hunk["theirs"]
    spans = added_blocks(ours, base, theirs)
    if not spans:
        return [*hunk["open"], *ours, *hunk.get("base_marker", []), *base,
                *hunk["separator"], *theirs, *hunk["close"]], []
    rest = _without(ours, spans)
    if rest in (base, theirs):
        return _with_blocks(theirs, base, ours, spans), []
    lines = [*hunk["open"], *rest, *hunk.get("base_marker", []), *base, *hunk["separator"],
             *theirs, *hunk["close"]]
    beside: list[tuple[int, str]] = []
    for start, end in spans:
        lines.append("\n")
        beside.append((len(lines) + 1, ours[start].strip()))
        lines.extend(_block_lines(ours, start, end)[1 if start and not ours[start - 1].strip()
                                                   else 0:])
    return lines, beside


def find_conflicts(path: Path, merged: str,
                   kept: Sequence[list[tuple[int, str]]] = ()) -> list[Conflict]:
    """Every conflict hunk of a diff3 merge, located at its ``<<<<<<<`` line in ``merged``.

    ``kept`` gives, hunk by hunk, the blocks :func:`settle` set beside it.
    """
    conflicts: list[Conflict] = []
    state = "outside"
    start = 0
    ours: list[str] = []
    base: list[str] = []
    theirs: list[str] = []
    for number, line in enumerate(merged.splitlines(keepends=True), 1):
        if state == "outside" and line.startswith(MARKER_OURS + " "):
            state, start, ours, base, theirs = "ours", number, [], [], []
        elif state == "ours" and line.startswith(MARKER_BASE):
            state = "base"
        elif state in ("ours", "base") and line.rstrip("\r\n") == MARKER_SEPARATOR:
            state = "theirs"
        elif state == "theirs" and line.startswith(MARKER_THEIRS + " "):
            conflicts.append(Conflict(path, start, ours, theirs, base,
                                      kept[len(conflicts)] if len(conflicts) < len(kept)
                                      else []))
            state = "outside"
        elif state == "ours":
            ours.append(line)
        elif state == "base":
            base.append(line)
        elif state == "theirs":
            theirs.append(line)
    return conflicts


def plan(page: Path, new_text: str, base_dir: Path | None = None, resolved: bool = False,
         moved_from: Path | None = None) -> Outcome:
    """Decide how ``page`` follows ``new_text``, the converter's fresh output; write nothing.

    ``resolved`` says that the editors resolved the conflicts of this output by hand: a page
    that still conflicts with it is kept as it is and the base becomes the output (as
    ``git add`` marks a conflict resolved); pages that merge cleanly are merged as usual.
    ``moved_from`` is the page's previous file when the article's slug changed: its text and
    base are merged into ``page``, and the old files are removed.
    """
    base_file = base_path(page, base_dir)
    source = moved_from if moved_from is not None else page
    source_base = base_path(source, base_dir)
    pending = pending_path(source, base_dir)
    removals = [] if moved_from is None else [moved_from, source_base]
    if pending.exists():
        removals.append(pending)  # any outcome but a conflict closes the conflict
    fresh = {page: new_text, base_file: new_text}
    if not source.exists() or not source_base.exists():
        # Without a base nothing tells edits from old output: the new output starts the history.
        return Outcome(page, "created", writes=fresh, removals=removals)
    ours = source.read_text(encoding="utf-8")
    base = source_base.read_text(encoding="utf-8")
    if moved_from is not None:
        ours = rename_slug(ours, moved_from.stem, page.stem)
        base = rename_slug(base, moved_from.stem, page.stem)
    markers = marker_lines(ours)
    if markers:
        raise ReimportError(
            f"{source}:{markers[0]}: the page still has conflict markers; resolve them "
            "(keep what is right, delete the marker lines), then convert again"
            + ("" if resolved else " with --resolved")
        )
    if pending.exists() and not resolved and ours != new_text:
        raise ReimportError(
            f"{source}: the conflict of the last run has no markers left but was never "
            "recorded as resolved: convert again with --resolved (the page is kept as it is), "
            f"or delete {pending} to merge the page with this output again")
    moved = "moved" if moved_from is not None else ""
    if ours == new_text:
        return Outcome(page, moved or "unchanged", writes=fresh if moved or base != new_text
                       else {}, removals=removals)
    if ours == base:
        return Outcome(page, moved or "overwritten", writes=fresh, removals=removals)
    if base == new_text and not moved:
        return Outcome(page, "kept")
    merged, count = merge3(ours, base, new_text)
    conflicts: list[Conflict] = []
    if count and resolved:
        return Outcome(page, "resolved", writes={page: ours, base_file: new_text},
                       removals=removals)
    if count:
        merged, kept = settle(merged)
        conflicts = find_conflicts(page, merged, kept)
    if count and conflicts:
        # The merge, markers and all, goes into the page; the base stays, so that the next run
        # with --resolved still sees which changes were the converter's; the output it
        # conflicts with is kept as the record that the conflict is open.
        writes = {page: merged, pending_path(page, base_dir): new_text}
        if moved_from is not None:
            writes[base_file] = base
        removals = [path for path in removals if path != pending_path(page, base_dir)]
        return Outcome(page, "conflict", conflicts, writes, removals)
    # Page first: if interrupted before the base is updated, the next merge sees the converter's
    # changes on both sides, which git merges cleanly.
    return Outcome(page, moved or "merged", writes={page: merged, base_file: new_text},
                   removals=removals)


def reimport(page: Path, new_text: str, base_dir: Path | None = None,
             resolved: bool = False) -> Outcome:
    """Bring one ``page`` up to date with ``new_text``, keeping edits (plan, then write)."""
    outcome = plan(page, new_text, base_dir, resolved)
    write_all(outcome.writes, outcome.removals)
    return outcome


def import_pages(
    pages: dict[str, str], out_dir: Path, base_dir: Path | None = None, resolved: bool = False,
    moves: dict[str, Path] | None = None,
) -> list[Outcome]:
    """Re-import every page of one input (file name -> MyST text) into ``out_dir``, together.

    Every page is planned before any file is written; a :class:`ReimportError` for one page
    leaves all of them untouched. ``moves`` maps a new file name to the page it replaces.
    """
    moves = moves or {}
    outcomes = [plan(out_dir / name, text, base_dir, resolved, moves.get(name))
                for name, text in pages.items()]
    writes: dict[Path, str] = {}
    removals: list[Path] = []
    for outcome in outcomes:
        writes.update(outcome.writes)
        removals.extend(outcome.removals)
    write_all(writes, removals)
    return outcomes
