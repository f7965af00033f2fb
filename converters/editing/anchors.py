"""Published anchors are a contract: labels of the last committed articles never silently change.

Every block of an article carries a label — ``(slug-pN)=`` before a paragraph, ``:name:
slug-pN`` on a parallel pair — and readers cite those labels. :func:`check_anchors` compares
the articles as a contributor leaves them with the last committed version (``git show
HEAD:docs/articles/…``, or the revision named by :data:`BASE_ENV`) and reports, as ``file:line:
message``, a label that disappeared or was renamed, a label now on a paragraph unrelated to the
one it marked, two labels stacked on one paragraph, and a paragraph wrapped over several lines.

A label may be retired on purpose: ``docs/_data/retired-labels.yaml`` lists it with its
successor and the reason, and the edition leads the old address to the successor. The file is
read with :func:`converters.editing.retired.load_retired` and extended with
:func:`converters.editing.retired.retire` (by hand) or
:func:`converters.editing.retired.append_retired`.
"""

from __future__ import annotations

import difflib
import os
import re
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..myst import NAME_OPTION, TARGET, without_inline_markup
from ..paths import ARTICLES_DIR, DOCS_DIR
from . import retired
from .check import read_page_text
from .retired import RetiredLabelsError, Retirement, load_retired

#: Where the retirement record is, relative to the project root.
RETIRED_FILE = DOCS_DIR / retired.RETIRED_FILE
#: The git revision holding the published labels; CI sets it to a pull request's base.
BASE_ENV = "EDITION_ANCHOR_BASE"
DEFAULT_BASE = "HEAD"
#: How alike (difflib ratio, 0–1) a label's paragraph must stay to its committed text. A typo
#: fix or a new tag keeps a paragraph above 0.9; two different paragraphs of one article mostly
#: stay below 0.5 (measured on the edition's seven articles). Two short sentences can come
#: closer (0.68), so a label whose text is nearer another published paragraph than its own is
#: reported as moved too.
SIMILARITY_THRESHOLD = 0.6
#: The keys of a retirement entry, each a string.
#: How long git may take to answer (a local repository: far less).
GIT_TIMEOUT = 60

#: A directive fence (``:::{container} x``, ``::::``) and its closing line.
FENCE_OPEN = re.compile(r"^(?P<colons>:{3,}|`{3,})\s*\{")
FENCE_CLOSE = re.compile(r"^(?P<colons>:{3,}|`{3,})\s*$")
#: A line that is a directive's option, not text.
OPTION_LINE = re.compile(r"^:[\w-]+:")
#: A line that starts a list item (each item is a line of its own).
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


class Problem(NamedTuple):
    """One broken promise, where it is (the check prints it as ``file:line: message``)."""

    path: str
    line: int
    message: str


@dataclass(frozen=True)
class Anchor:
    """A label of an article and the block of text it marks."""

    label: str
    #: the line (1-based) of the label in its page
    line: int
    #: the block's words, MyST markup removed
    text: str
    #: the label stacked right above this one on the same block ('' when none)
    stacked_on: str = ""


# --------------------------------------------------------------------------- reading labels


def words(lines: Sequence[str]) -> str:
    """The words of a block: fences, options and MyST inline markup removed."""
    kept = [line for line in lines
            if not (FENCE_OPEN.match(line) or FENCE_CLOSE.match(line) or OPTION_LINE.match(line))]
    kept = [line.lstrip("#").strip() if line.startswith("#") else line for line in kept]
    text = without_inline_markup(" ".join(kept))
    return " ".join(text.split())


def _fence_end(lines: Sequence[str], start: int) -> int:
    """The index of the line closing the fence opened at ``start`` (or the last line)."""
    opener = FENCE_OPEN.match(lines[start]) or FENCE_CLOSE.match(lines[start])
    width = len(opener.group("colons")) if opener else 3
    char = lines[start][:1]
    for index in range(start + 1, len(lines)):
        close = FENCE_CLOSE.match(lines[index])
        if close and close.group("colons")[0] == char and len(close.group("colons")) >= width:
            return index
    return len(lines) - 1


def _paragraph_end(lines: Sequence[str], start: int) -> int:
    """The index of the last line of the paragraph (or list) that begins at ``start``."""
    end = start
    while end + 1 < len(lines) and lines[end + 1].strip():
        if TARGET.match(lines[end + 1]):
            break
        end += 1
    return end


def anchors(text: str) -> list[Anchor]:
    """Every label of an article page and the words of the block it marks."""
    lines = text.split("\n")
    found: list[Anchor] = []
    for index, line in enumerate(lines):
        target = TARGET.match(line)
        if target:
            following = index + 1
            while following < len(lines) and not lines[following].strip():
                following += 1
            if following >= len(lines):
                found.append(Anchor(target.group("label"), index + 1, ""))
                continue
            below = TARGET.match(lines[following])
            if below:
                # the next label's block is this label's block too: MyST gives it both ids
                found.append(Anchor(target.group("label"), index + 1, "",
                                    stacked_on=below.group("label")))
                continue
            if FENCE_OPEN.match(lines[following]):
                end = _fence_end(lines, following)
            else:
                end = _paragraph_end(lines, following)
            found.append(Anchor(target.group("label"), index + 1,
                                words(lines[following:end + 1])))
            continue
        name = NAME_OPTION.match(line)
        if name:
            opener = index - 1
            while opener > 0 and OPTION_LINE.match(lines[opener]):
                opener -= 1
            end = _fence_end(lines, opener) if FENCE_OPEN.match(lines[opener]) else index
            found.append(Anchor(name.group("label"), index + 1, words(lines[index + 1:end])))
    return _resolve_stacks(found)


def _resolve_stacks(found: list[Anchor]) -> list[Anchor]:
    """Give stacked labels the text of the block they share (the next unstacked one's)."""
    result = list(found)
    for index in range(len(result) - 1, -1, -1):
        if result[index].stacked_on and index + 1 < len(result):
            below = result[index + 1]
            result[index] = Anchor(result[index].label, result[index].line, below.text,
                                   result[index].stacked_on)
    return result


def wrapped_paragraphs(text: str) -> Iterator[int]:
    """The first line of each paragraph of running text that spans several lines."""
    lines = text.split("\n")
    body_start = 0
    if lines and lines[0].strip() == "---":
        body_start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    code = False
    index = body_start
    while index < len(lines):
        line = lines[index]
        if line.startswith("```"):
            code = not code
            index += 1
            continue
        if code or not line.strip() or _is_structure(line):
            index += 1
            continue
        end = index
        wrapped = False
        while end + 1 < len(lines) and lines[end + 1].strip() and not _is_structure(
                lines[end + 1]) and not LIST_ITEM.match(lines[end + 1]):
            # a line ending in a backslash is a hard line break the source has (the
            # converter writes <br> so): the paragraph goes on, it is not wrapped
            wrapped = wrapped or not lines[end].endswith("\\")
            end += 1
        if wrapped:
            yield index + 1
        index = end + 1


def _is_structure(line: str) -> bool:
    """A line that is MyST structure (label, fence, option, heading, footnote), not text."""
    return bool(TARGET.match(line) or FENCE_OPEN.match(line) or FENCE_CLOSE.match(line)
                or OPTION_LINE.match(line) or line.startswith(("#", "[^", "%", "<!--")))


def similarity(old: str, new: str) -> float:
    """How alike two paragraphs' words are (difflib's ratio; 1.0 for the same text)."""
    if old == new:
        return 1.0
    return difflib.SequenceMatcher(None, old, new, autojunk=False).ratio()


# --------------------------------------------------------------------------- git


class GitUnavailable(Exception):
    """The project is not a git checkout (or git is missing): nothing to compare with."""


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                              check=False, timeout=GIT_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitUnavailable(f"git cannot be run ({exc})") from None


def committed_articles(root: Path, base: str) -> dict[str, str]:
    """The article pages at revision ``base``, by file name (``{}`` when it has none)."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise GitUnavailable("not a git checkout")
    if _git(root, "rev-parse", "--verify", "--quiet", base + "^{commit}").returncode != 0:
        if base == DEFAULT_BASE:
            return {}  # a repository without commits has published nothing yet
        raise GitUnavailable(f"revision '{base}' does not exist")
    listing = _git(root, "ls-tree", "--name-only", base, "--", ARTICLES_DIR.as_posix() + "/")
    pages: dict[str, str] = {}
    for name in listing.stdout.splitlines():
        if not name.endswith(".md"):
            continue
        shown = _git(root, "show", f"{base}:./{ARTICLES_DIR.as_posix()}/{Path(name).name}")
        if shown.returncode == 0:
            pages[Path(name).name] = shown.stdout
    return pages


# --------------------------------------------------------------------------- the check


def _read_page(path: Path) -> str | None:
    """An article's text, or None when the page check cannot read it (it reports why)."""
    text, _problems = read_page_text(path, path.name)
    return text


def check_anchors(root: Path, notes: list[str] | None = None) -> list[Problem]:
    """Every broken anchor promise of the articles at ``root``; ``notes`` gets skipped parts."""
    out: list[Problem] = []
    articles = root / ARTICLES_DIR
    current: dict[str, str] = {}
    unreadable: set[str] = set()
    if articles.is_dir():
        for page in sorted(articles.glob("*.md")):
            text = _read_page(page)
            if text is None:
                unreadable.add(page.name)  # the page check says what is wrong with it
            else:
                current[page.name] = text
    shown = ARTICLES_DIR.as_posix()
    now: dict[str, dict[str, Anchor]] = {}
    for name, text in current.items():
        path = f"{shown}/{name}"
        now[name] = {}
        for anchor in anchors(text):
            now[name].setdefault(anchor.label, anchor)
            if anchor.stacked_on:
                out.append(Problem(path, anchor.line, f"label '{anchor.label}' is stacked on "
                                   f"label '{anchor.stacked_on}': each paragraph has one label"))
        for line in wrapped_paragraphs(text):
            out.append(Problem(path, line, "paragraph spans several lines: a paragraph is one "
                               "line (join them; its label stays above it)"))
    labels_now = {label for page in now.values() for label in page}
    retired = _retired(root, labels_now, out)

    base = os.environ.get(BASE_ENV, "").strip() or DEFAULT_BASE
    try:
        published = committed_articles(root, base)
    except GitUnavailable as exc:
        if notes is not None:
            notes.append(f"anchors: {exc}: published labels not compared with {base}")
        return out
    for name, old_text in published.items():
        if name in unreadable:
            continue  # its labels cannot be compared until it can be read
        out.extend(_compare(f"{shown}/{name}", anchors(old_text), now.get(name),
                            labels_now, retired))
    return out


def _retired(root: Path, labels_now: set[str], out: list[Problem]) -> dict[str, Retirement]:
    """The retired labels by label; problems of the record are added to ``out``."""
    retired: dict[str, Retirement] = {}
    try:
        entries = load_retired(root / RETIRED_FILE)
    except RetiredLabelsError as exc:
        out.extend(Problem(RETIRED_FILE.as_posix(), line, reason) for line, reason in exc.problems)
        entries = []
    for entry in entries:
        if entry.label in retired:
            out.append(Problem(RETIRED_FILE.as_posix(), entry.line,
                               f"label '{entry.label}' is retired twice"))
        retired.setdefault(entry.label, entry)
        if entry.label in labels_now:
            out.append(Problem(RETIRED_FILE.as_posix(), entry.line, f"retired label "
                               f"'{entry.label}' is still used by an article"))
        if entry.successor and entry.successor not in labels_now:
            out.append(Problem(RETIRED_FILE.as_posix(), entry.line, f"successor "
                               f"'{entry.successor}' of retired label '{entry.label}' is not a "
                               "label of any article"))
    return retired


def _compare(path: str, old: list[Anchor], new: dict[str, Anchor] | None,
             labels_now: set[str], retired: dict[str, Retirement]) -> list[Problem]:
    """Problems of one article against its committed version (``new`` None: file is gone)."""
    out: list[Problem] = []
    unused = dict(new or {})
    old_labels = {anchor.label for anchor in old}
    fresh = [a for a in (new or {}).values() if a.label not in old_labels]
    for anchor in old:
        if anchor.label in retired:
            continue
        if new is None:
            if anchor.label not in labels_now:
                out.append(Problem(path, 1, f"published label '{anchor.label}' is gone with its "
                                   f"page (line {anchor.line} of the last commit); retire it "
                                   f"in {RETIRED_FILE.as_posix()}"))
            continue
        now = unused.pop(anchor.label, None)
        if now is None:
            renamed = max(fresh, key=lambda a: similarity(anchor.text, a.text), default=None)
            if renamed is not None and anchor.text and similarity(
                    anchor.text, renamed.text) >= SIMILARITY_THRESHOLD:
                out.append(Problem(path, renamed.line, f"published label '{anchor.label}' was "
                                   f"renamed to '{renamed.label}': labels never change"))
            else:
                out.append(Problem(path, min(anchor.line, max(1, *_lines(new))),
                                   f"published label '{anchor.label}' (line {anchor.line} of "
                                   "the last commit) is gone: restore it, or retire it in "
                                   f"{RETIRED_FILE.as_posix()}"))
            continue
        if anchor.text and now.text and now.text != anchor.text:
            ratio = similarity(anchor.text, now.text)
            other = max((a for a in old if a.label != anchor.label and a.text),
                        key=lambda a: similarity(a.text, now.text), default=None)
            if other is not None and similarity(other.text, now.text) > max(
                    ratio, SIMILARITY_THRESHOLD):
                out.append(Problem(path, now.line, f"label '{anchor.label}' moved to the "
                                   f"paragraph labelled '{other.label}' in the last commit: a "
                                   "label never moves to another paragraph"))
            elif ratio < SIMILARITY_THRESHOLD:
                out.append(Problem(path, now.line, f"label '{anchor.label}' now marks text "
                                   f"unrelated to the paragraph it marked in the last commit "
                                   f"(similarity {ratio:.2f} < {SIMILARITY_THRESHOLD}): a "
                                   "label never moves to another paragraph"))
    return out


def _lines(anchors_by_label: dict[str, Anchor]) -> list[int]:
    return [anchor.line for anchor in anchors_by_label.values()] or [1]


def retired_by_page(entries: Sequence[Retirement]) -> dict[str, Any]:
    """Retired labels grouped under the retired article slug they start with (for redirects)."""
    slugs = {entry.label for entry in entries if not re.search(r"-[a-z]\d+$", entry.label)}
    grouped: dict[str, Any] = {slug: {"entry": None, "labels": {}} for slug in slugs}
    for entry in entries:
        if entry.label in slugs:
            grouped[entry.label]["entry"] = entry
            continue
        for slug in slugs:
            if entry.label.startswith(slug + "-"):
                grouped[slug]["labels"][entry.label] = entry.successor
    return grouped
