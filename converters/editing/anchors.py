"""Published anchors are a contract: labels of the published articles never silently change.

Every block of an article carries a label — ``(slug-pN)=`` before a paragraph, ``:name:
slug-pN`` on a parallel pair — and readers cite those labels. :func:`check_anchors` compares
the articles as a contributor leaves them with the published version — by default the merge
base of ``HEAD`` with the main branch, which is what a pull request is compared with
(:func:`anchor_base`; :data:`BASE_ENV` names another revision) — and reports, as ``file:line:
message``, a label that disappeared or was renamed, a label now on a paragraph unrelated to the
one it marked, two labels stacked on one paragraph, a paragraph wrapped over several lines and
a paragraph without a label.

Splitting and joining paragraphs are edits like any other, recognised by their text: a
paragraph split in two (its published text is the two new paragraphs one after the other)
keeps its label on the first part, and the second part takes the label of a new paragraph;
two paragraphs joined keep the first one's label, and the other is retired. A new paragraph's
label is the label of the paragraph before it with the next letter (``p8a`` after ``p8``,
``p8b`` after ``p8a``), shown as ¶8a: it is numbered and cited like any other, no published
number moves, and the numbers keep the reading order (:func:`label_between`). ``check``
proposes the exact line to add in each case.

A label may be retired on purpose: ``docs/_data/retired-labels.yaml`` lists it with its
successor and the reason, and the edition leads the old address to the successor. The file is
read with :func:`converters.common.retired.load_retired` and extended with
:func:`converters.common.retired.retire` (by hand) or
:func:`converters.common.retired.append_retired`.
"""

from __future__ import annotations

import difflib
import itertools
import json
import os
import re
import string
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from ..common import retired
from ..common.markup import NAME_OPTION, TARGET, without_inline_markup
from ..common.paths import ARTICLES_DIR, DOCS_DIR
from ..common.retired import RetiredLabelsError, Retirement, load_retired
from .pages import read_page_text

#: Where the retirement record is, relative to the project root.
RETIRED_FILE = DOCS_DIR / retired.RETIRED_FILE
#: A revision to compare with instead of the merge base with the main branch (CI sets it to a
#: pull request's base).
BASE_ENV = "EDITION_ANCHOR_BASE"
DEFAULT_BASE = "HEAD"
#: The main branch, as git may know it, in the order it is looked for: the labels a pull
#: request is compared with are those of its merge base with this branch.
MAIN_BRANCHES = ("main", "origin/main")
#: How alike (difflib ratio, 0–1) a label's paragraph must stay to its committed text. A typo
#: fix or a new tag keeps a paragraph above 0.9; two different paragraphs of one article mostly
#: stay below 0.5 (measured on the edition's seven articles). Two short sentences can come
#: closer (0.68), so a label whose text is nearer another published paragraph than its own is
#: reported as moved too. A split or a join is compared whole: the published paragraph with the
#: parts one after the other.
SIMILARITY_THRESHOLD = 0.6
#: How long git may take to answer (a local repository: far less).
GIT_TIMEOUT = 60

#: A directive fence (``:::{container} x``, ``::::``) and its closing line.
FENCE_OPEN = re.compile(r"^(?P<colons>:{3,}|`{3,})\s*\{")
FENCE_CLOSE = re.compile(r"^(?P<colons>:{3,}|`{3,})\s*$")
#: A line that is a directive's option, not text.
OPTION_LINE = re.compile(r"^:[\w-]+:")
#: A line that starts a list item (each item is a line of its own).
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
#: A paragraph's label: the article's slug, ``-p``, its number and, for a paragraph that came
#: after the conversion (a split, an insertion), lower-case letters: ``slug-p8``, ``slug-p8a``.
PARAGRAPH_LABEL = re.compile(
    r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)-p(?P<number>[0-9]+)(?P<letters>[a-z]*)$")
#: The longest run of letters a proposed label gets (``p8aa`` between ``p8a`` and ``p8b``).
MAX_LETTERS = 2
#: The directive that holds a parallel pair (its ``:name:`` is the pair's label).
PARALLEL_OPENER = re.compile(r"^:{3,}\{container\}\s+parallel\b")


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


@dataclass(frozen=True)
class Block:
    """A block of an article's body in reading order, labelled or not."""

    #: its label ('' when it has none)
    label: str
    #: the line (1-based) of its label, or of its first line when it has no label
    line: int
    #: the line (1-based) where the block itself starts
    start: int
    #: its words, MyST markup removed
    text: str
    #: ``paragraph`` (a paragraph or a list), ``parallel`` (a parallel pair), ``heading``,
    #: ``figure`` or ``other`` (an editorial note, another directive)
    kind: str

    @property
    def numbered(self) -> bool:
        """Whether the block is one the edition numbers ¶N (and so must have a label)."""
        return self.kind in ("paragraph", "parallel")


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


def _body_start(lines: Sequence[str]) -> int:
    """The index of the first line after the front matter (0 when the page has none)."""
    if lines and lines[0].strip() == "---":
        return next((i + 1 for i in range(1, len(lines)) if lines[i].strip() == "---"), 0)
    return 0


def _skip_footnote(lines: Sequence[str], start: int) -> int:
    """The index of the last line of the footnote definition that begins at ``start``."""
    end = start
    while end + 1 < len(lines) and lines[end + 1].strip() and not TARGET.match(lines[end + 1]):
        end += 1
    return end


def _directive_block(lines: Sequence[str], index: int, label: str,
                     label_line: int) -> tuple[Block, int]:
    """The block of the directive opened at ``index``, and the index of its closing line."""
    end = _fence_end(lines, index)
    opener = lines[index]
    name, name_line = "", 0
    for offset, option in enumerate(lines[index + 1:end], index + 2):
        if not OPTION_LINE.match(option):
            break
        found = NAME_OPTION.match(option)
        if found:
            name, name_line = found.group("label"), offset
    kind = ("parallel" if PARALLEL_OPENER.match(opener) else
            "figure" if "{figure}" in opener else "other")
    if not label and name:
        label, label_line = name, name_line
    return Block(label, label_line or index + 1, index + 1, words(lines[index + 1:end]),
                 kind), end


def blocks(text: str) -> list[Block]:
    """The blocks of an article's body in reading order, each with its label ('' if none).

    Footnote definitions and comments are not blocks; a label line marks the block below it
    (stacked labels: the last one, the stack is reported by itself).
    """
    lines = text.split("\n")
    found: list[Block] = []
    label, label_line = "", 0
    index = _body_start(lines)
    while index < len(lines):
        line = lines[index]
        target = TARGET.match(line)
        if not line.strip():
            index += 1
            continue
        if target:
            label, label_line = target.group("label"), index + 1
            index += 1
            continue
        if FENCE_OPEN.match(line):
            block, index = _directive_block(lines, index, label, label_line)
            found.append(block)
        elif line.startswith("```"):
            index = _fence_end(lines, index)  # code (never in an article): not a block
        elif line.startswith("[^"):
            index = _skip_footnote(lines, index)
        elif line.startswith(("%", "<!--")):
            pass
        elif line.startswith("#"):
            found.append(Block(label, label_line or index + 1, index + 1, words([line]),
                               "heading"))
        else:
            end = _paragraph_end(lines, index)
            found.append(Block(label, label_line or index + 1, index + 1,
                               words(lines[index:end + 1]), "paragraph"))
            index = end
        label, label_line = "", 0
        index += 1
    return found


# --------------------------------------------------------------------------- new labels


def label_key(label: str) -> tuple[str, int, str] | None:
    """A paragraph label's place in reading order (slug, number, letters); None if not one."""
    match = PARAGRAPH_LABEL.match(label)
    if match is None:
        return None
    return match.group("slug"), int(match.group("number")), match.group("letters")


def label_between(before: str, after: str, taken: set[str] | frozenset[str]) -> str | None:
    """The label of a new paragraph placed after the paragraph labelled ``before``.

    It is ``before`` with the next letter (``p8a`` after ``p8``, ``p8b`` after ``p8a``, ``p8aa``
    between ``p8a`` and ``p8b``): it sorts after ``before`` and before ``after`` (the next
    paragraph's label, '' at the end of the article), so that the numbers shown keep the
    reading order, and it is none of ``taken`` (labels in use, published or retired). None when
    no label fits: between ``p8`` and ``p8a`` nothing sorts.
    """
    key = label_key(before)
    if key is None:
        return None
    slug, number, letters = key
    limit = label_key(after)
    for size in range(1, MAX_LETTERS + 1):
        for suffix in map("".join, itertools.product(string.ascii_lowercase, repeat=size)):
            candidate = (slug, number, suffix)
            if suffix <= letters:
                continue
            if limit is not None and limit[0] == slug and candidate >= limit:
                break
            label = f"{slug}-p{number}{suffix}"
            if label not in taken:
                return label
    return None


def first_label(slug: str, after: str, taken: set[str] | frozenset[str]) -> str | None:
    """The label of a new paragraph placed before every numbered paragraph of an article."""
    for label in (f"{slug}-p0", f"{slug}-p0a"):
        key, limit = label_key(label), label_key(after)
        if label not in taken and (limit is None or (key is not None and key < limit)):
            return label
    return None


def label_line(block: Block, label: str) -> str:
    """The exact line that gives ``block`` the label ``label`` (and where it goes)."""
    if block.kind == "parallel":
        return f"add the line ':name: {label}' under line {block.start}"
    return f"add the line '({label})=' above line {block.start}"


def retirement_line(label: str, successor: str, reason: str) -> str:
    """One entry of the retirement record, written on one line as it may be pasted."""
    return (f"- {{label: {label}, successor: {successor or chr(39) * 2}, "
            f"reason: {json.dumps(reason, ensure_ascii=False)}}}")


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


@dataclass(frozen=True)
class AnchorBase:
    """The revision whose articles hold the published labels, and how ``check`` names it."""

    #: what ``git show REVISION:path`` reads
    revision: str
    #: the revision in words, for the check's output
    description: str


def anchor_base(root: Path) -> AnchorBase:
    """What the labels are compared with: what a pull request of this branch is compared with.

    :data:`BASE_ENV` when it is set; otherwise the merge base of ``HEAD`` with the main branch
    (:data:`MAIN_BRANCHES`), so that labels committed on this branch and changed by a later
    commit of it are still compared with what is published; ``HEAD`` only when there is no main
    branch (or it shares no history with ``HEAD``).
    """
    named = os.environ.get(BASE_ENV, "").strip()
    if named:
        return AnchorBase(named, f"{named} (set by {BASE_ENV})")
    for branch in MAIN_BRANCHES:
        if _git(root, "rev-parse", "--verify", "--quiet", branch + "^{commit}").returncode:
            continue
        merge = _git(root, "merge-base", "HEAD", branch)
        commit = merge.stdout.strip()
        if merge.returncode == 0 and commit:
            return AnchorBase(commit, f"the merge base of HEAD with {branch} ({commit[:10]})")
        return AnchorBase(DEFAULT_BASE, f"HEAD ({branch} shares no history with HEAD)")
    return AnchorBase(DEFAULT_BASE, "HEAD (there is no main branch)")


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


def published_labels(root: Path) -> set[str] | None:
    """Every label of the articles at the anchor base (None outside a git checkout)."""
    try:
        pages = committed_articles(root, anchor_base(root).revision)
    except GitUnavailable:
        return None
    return {anchor.label for text in pages.values() for anchor in anchors(text)}


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
    labels_now: set[str] = set()
    for name, text in current.items():
        path = f"{shown}/{name}"
        for anchor in anchors(text):
            labels_now.add(anchor.label)
            if anchor.stacked_on:
                out.append(Problem(path, anchor.line, f"label '{anchor.label}' is stacked on "
                                   f"label '{anchor.stacked_on}': each paragraph has one label"))
        for line in wrapped_paragraphs(text):
            out.append(Problem(path, line, "paragraph spans several lines: a paragraph is one "
                               "line (join them; its label stays above it)"))
    retired = _retired(root, labels_now, out)
    pages = {name: blocks(text) for name, text in current.items()}

    published: dict[str, list[Anchor]] | None = None
    try:
        base = anchor_base(root)
        published = {name: anchors(text)
                     for name, text in committed_articles(root, base.revision).items()}
    except GitUnavailable as exc:
        if notes is not None:
            notes.append(f"anchors: {exc}: published labels not compared with the main branch")
    known = None if published is None else {a.label for page in published.values() for a in page}
    taken = labels_now | set(retired) | (known or set())
    lost = [a for page in (published or {}).values() for a in page
            if a.text and a.label not in labels_now and a.label not in retired]
    texts = {a.label: a.text for page in (published or {}).values() for a in page}
    for name, found in pages.items():
        out.extend(_new_paragraphs(f"{shown}/{name}", Path(name).stem, found, taken, known,
                                   lost, texts))
    for name, old in (published or {}).items():
        if name in unreadable:
            continue  # its labels cannot be compared until it can be read
        out.extend(_compare(f"{shown}/{name}", old, pages.get(name), labels_now, retired))
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


# --------------------------------------------------------------------------- new paragraphs


def shown_number(label: str) -> str:
    """How the edition shows a paragraph label's number: ``¶8`` for ``slug-p8``, ``¶8a``."""
    key = label_key(label)
    return f"¶{key[1]}{key[2]}" if key else label


def _next_label(numbered: list[Block], index: int, slug: str) -> str:
    """The label of the first paragraph after ``numbered[index]`` that has one of ``slug``."""
    for block in numbered[index + 1:]:
        key = label_key(block.label)
        if key is not None and key[0] == slug:
            return block.label
    return ""


def _new_paragraphs(path: str, slug: str, found: list[Block], taken: set[str],
                    known: set[str] | None, lost: Sequence[Anchor] = (),
                    published: dict[str, str] | None = None) -> list[Problem]:
    """Paragraphs without a label, and new labels that are no paragraph's or break the order.

    ``known`` holds the published labels (None when they are unknown: every label counts as
    new), ``lost`` the published paragraphs whose labels no page has now, ``published`` the
    published text of each label. Each problem names the label to add: the label of the
    paragraph split below it, the lost label of a paragraph that lost it, else the next free
    one in reading order.
    """
    out: list[Problem] = []
    numbered = [block for block in found if block.numbered]
    proposed = set(taken)
    previous = ""  # the paragraph label before, in reading order
    for index, block in enumerate(numbered):
        after = _next_label(numbered, index, slug)
        if block.label:
            new = known is None or block.label not in known
            key = label_key(block.label)
            if key is None or key[0] != slug:
                if new:
                    out.append(Problem(path, block.line, f"label '{block.label}' is not a "
                                       f"paragraph label of this article ('{slug}-pN', or "
                                       f"'{slug}-pNa' for a new paragraph): it gets no ¶ number"))
                continue
            if new and not _in_order(previous, block.label, after):
                fits = (label_between(previous, after, proposed - {block.label}) if previous
                        else first_label(slug, after, proposed - {block.label}))
                advice = f"; label it '{fits}' instead" if fits else ""
                out.append(Problem(path, block.line, f"label '{block.label}' is out of reading "
                                   f"order: it would show {shown_number(block.label)} between "
                                   f"{_between(previous, after)}{advice}"))
            previous = block.label
            continue
        head_of = _head_of(numbered, index, published)
        if head_of:
            out.append(Problem(path, block.line, f"paragraph has no label: it is the first part "
                               f"of the split paragraph '{head_of}', whose label stays with it — "
                               f"move '({head_of})=' above line {block.start}"))
            previous = head_of
            continue
        own = max(lost, key=lambda a: similarity(a.text, block.text), default=None)
        if own is not None and label_key(own.label) is not None and similarity(
                own.text, block.text) >= SIMILARITY_THRESHOLD:
            out.append(Problem(path, block.line, f"paragraph has no label: it is the published "
                               f"paragraph '{own.label}' — {label_line(block, own.label)}"))
            previous = own.label
            continue
        label = (label_between(previous, after, proposed) if previous
                 else first_label(slug, after, proposed))
        if label is None:
            out.append(Problem(path, block.line, "paragraph has no label, and no label sorts "
                               f"between {_between(previous, after)}: join it to a paragraph "
                               f"beside it (or, if {shown_number(after)} is new in this change, "
                               "give that one the next letter)"))
            continue
        proposed.add(label)
        out.append(Problem(path, block.line, f"paragraph has no label: {label_line(block, label)}"
                           f" (a new paragraph takes the label of the one before it with the "
                           f"next letter: '{label}', shown as {shown_number(label)})"))
        previous = label
    return out


def _head_of(numbered: list[Block], index: int, published: dict[str, str] | None) -> str:
    """The label below ``numbered[index]`` when this paragraph is the start of its published text.

    That is a split whose label went to the second part; '' otherwise.
    """
    if not published or index + 1 >= len(numbered):
        return ""
    block, below = numbered[index], numbered[index + 1]
    text = published.get(below.label, "")
    if not text:
        return ""
    alone = similarity(text, below.text)
    together = similarity(text, _joined(block.text + " " + below.text))
    return below.label if together >= SIMILARITY_THRESHOLD and together > alone else ""


def _in_order(before: str, label: str, after: str) -> bool:
    """Whether ``label`` sorts after ``before`` and before ``after`` ('' for none)."""
    key = label_key(label)
    return key is not None and all(
        (other := label_key(neighbour)) is None or (other < key if first else key < other)
        for neighbour, first in ((before, True), (after, False)) if neighbour)


def _between(before: str, after: str) -> str:
    """Two neighbours in words: ``¶8 and ¶9``, ``the start and ¶1``, ``¶12 and the end``."""
    return (f"{shown_number(before) if before else 'the start'} and "
            f"{shown_number(after) if after else 'the end'}")


# --------------------------------------------------------------------------- published labels


def _joined(text: str) -> str:
    return " ".join(text.split())


def _compare(path: str, old: list[Anchor], new: list[Block] | None,
             labels_now: set[str], retired: dict[str, Retirement]) -> list[Problem]:
    """Problems of one article against its published version (``new`` None: file is gone)."""
    if new is None:
        return [Problem(path, 1, f"published label '{anchor.label}' is gone with its page "
                        f"(line {anchor.line} of the published version); retire it in "
                        f"{RETIRED_FILE.as_posix()}")
                for anchor in old if anchor.label not in retired
                and anchor.label not in labels_now]
    out: list[Problem] = []
    by_label: dict[str, Block] = {}
    for block in new:
        if block.label:
            by_label.setdefault(block.label, block)
    old_labels = {anchor.label for anchor in old}
    handled: set[str] = set()
    for anchor in old:
        now = by_label.get(anchor.label)
        if anchor.label in retired or now is None or not anchor.text or not now.text \
                or now.text == anchor.text:
            continue
        out.extend(_changed(path, anchor, now, old, new, by_label, old_labels, retired, handled))
    fresh = [block for block in new if block.label and block.label not in old_labels]
    for anchor in old:
        if anchor.label in retired or anchor.label in by_label or anchor.label in handled:
            continue
        renamed = max(fresh, key=lambda b: similarity(anchor.text, b.text), default=None)
        if renamed is not None and anchor.text and similarity(
                anchor.text, renamed.text) >= SIMILARITY_THRESHOLD:
            out.append(Problem(path, renamed.line, f"published label '{anchor.label}' was "
                               f"renamed to '{renamed.label}': labels never change"))
        else:
            lines = [block.line for block in new] or [1]
            out.append(Problem(path, min(anchor.line, max(1, *lines)),
                               f"published label '{anchor.label}' (line {anchor.line} of the "
                               "published version) is gone: restore it, or retire it in "
                               f"{RETIRED_FILE.as_posix()}"))
    return out


def _changed(path: str, anchor: Anchor, now: Block, old: list[Anchor], new: list[Block],
             by_label: dict[str, Block], old_labels: set[str],
             retired: dict[str, Retirement], handled: set[str]) -> list[Problem]:
    """The problems of one published label whose paragraph's words changed (often none).

    A split (the published text is this paragraph and new ones after it) and a join (this
    paragraph is the published one and the paragraphs after it, whose labels are gone) are
    recognised whatever the proportions of their parts; the label stays with the first part.
    """
    ratio = similarity(anchor.text, now.text)
    # a join: this paragraph is the published one and others whose labels are gone
    span = _join_span(anchor, now, old, by_label, retired)
    if span is not None:
        first, others = span[0], span[1:]
        if first.label != anchor.label:
            handled.update(a.label for a in span)
            return [Problem(path, now.line, f"paragraphs {_labels(span)} were joined: a joined "
                            f"paragraph keeps the first label — write '({first.label})=' in "
                            f"place of '({anchor.label})=' at line {now.line}; check then "
                            "proposes the retirement of the others")]
        problems = []
        for other in others:
            handled.add(other.label)
            if other.label in retired:
                continue
            reason = f"Joined to the paragraph before it, {anchor.label}."
            problems.append(Problem(path, now.line, f"published label '{other.label}' was "
                                    f"joined into '{anchor.label}': retire it — add this line "
                                    f"to {RETIRED_FILE.as_posix()}: "
                                    f"{retirement_line(other.label, anchor.label, reason)}"))
        return problems
    position = new.index(now)
    # the label on the second part of a split: new paragraphs before it hold the start
    before = _run(list(reversed(new[:position])), old_labels)
    if before and _best_prefix(anchor.text, [*reversed(before), now], ratio):
        return [Problem(path, now.line, f"label '{anchor.label}' is on the second part of its "
                        "split paragraph: a label stays with the first part — move "
                        f"'({anchor.label})=' above line {before[-1].start}, and this "
                        "paragraph takes a new label")]
    if ratio >= SIMILARITY_THRESHOLD and not _nearer_another(anchor, now, old, ratio):
        return []
    # a split: the published text is this paragraph and new paragraphs after it
    after = _run(new[position + 1:], old_labels)
    if after and _best_prefix(anchor.text, [now, *after], ratio):
        return []
    nearer = _nearer_another(anchor, now, old, ratio)
    if nearer is not None:
        return [Problem(path, now.line, f"label '{anchor.label}' moved to the paragraph "
                        f"labelled '{nearer.label}' in the published version: a label never "
                        "moves to another paragraph")]
    return [Problem(path, now.line, f"label '{anchor.label}' now marks text unrelated to the "
                    f"paragraph it marked in the published version (similarity {ratio:.2f} < "
                    f"{SIMILARITY_THRESHOLD}): a label never moves to another paragraph")]


def _nearer_another(anchor: Anchor, now: Block, old: list[Anchor], ratio: float) -> Anchor | None:
    """The published paragraph ``now``'s words are nearer to than to its own label's, if any."""
    other = max((a for a in old if a.label != anchor.label and a.text),
                key=lambda a: similarity(a.text, now.text), default=None)
    if other is not None and similarity(other.text, now.text) > max(ratio,
                                                                    SIMILARITY_THRESHOLD):
        return other
    return None


def _run(following: Sequence[Block], old_labels: set[str]) -> list[Block]:
    """The numbered blocks at the start of ``following`` that have no published label."""
    run: list[Block] = []
    for block in following:
        if not block.numbered:
            if block.kind == "other":
                continue  # an editorial note between the parts
            break
        if block.label and block.label in old_labels:
            break
        run.append(block)
    return run


def _best_prefix(text: str, parts: list[Block], ratio: float) -> bool:
    """Whether ``text`` is ``parts[0]`` and the next parts one after the other (compared whole).

    True when the joined parts match better than the first part alone, and well enough.
    """
    best = ratio
    joined = parts[0].text
    for part in parts[1:]:
        joined = _joined(joined + " " + part.text)
        score = similarity(text, joined)
        if score <= best:
            break
        best = score
    return best >= SIMILARITY_THRESHOLD and best > ratio


def _join_span(anchor: Anchor, now: Block, old: list[Anchor], by_label: dict[str, Block],
               retired: dict[str, Retirement]) -> list[Anchor] | None:
    """The published paragraphs joined into ``now`` (two or more, in order), if it is a join.

    They are ``anchor`` and published paragraphs beside it whose labels the page no longer has.
    """
    position = next(i for i, a in enumerate(old) if a.label == anchor.label)
    gone = [a for a in old if a.label not in by_label or a.label in retired]

    def reach(step: int) -> int:
        index = position
        while 0 <= index + step < len(old) and old[index + step] in gone and old[
                index + step].text and not old[index + step].stacked_on:
            index += step
        return index

    low, high = reach(-1), reach(1)
    best, span = similarity(anchor.text, now.text), None
    for start in range(low, position + 1):
        for end in range(position, high + 1):
            if start == end:
                continue
            candidate = old[start:end + 1]
            score = similarity(_joined(" ".join(a.text for a in candidate)), now.text)
            if score > best:
                best, span = score, candidate
    return span if span is not None and best >= SIMILARITY_THRESHOLD else None


def _labels(span: Sequence[Anchor]) -> str:
    return ", ".join(f"'{a.label}'" for a in span[:-1]) + f" and '{span[-1].label}'"


def retired_by_page(entries: Sequence[Retirement]) -> dict[str, Any]:
    """Retired labels grouped under the retired article slug they start with (for redirects)."""
    slugs = {entry.label for entry in entries
             if not re.search(r"-[a-z]\d+[a-z]*$", entry.label)}
    grouped: dict[str, Any] = {slug: {"entry": None, "labels": {}} for slug in slugs}
    for entry in entries:
        if entry.label in slugs:
            grouped[entry.label]["entry"] = entry
            continue
        for slug in slugs:
            if entry.label.startswith(slug + "-"):
                grouped[slug]["labels"][entry.label] = entry.successor
    return grouped
