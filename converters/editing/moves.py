"""Slug changes: when an input's article gets a new slug, its page moves instead of staying.

An article page names its seed in its front matter. When the converter makes pages for a seed
and an existing page of that seed is not among them, the article was renamed (its title, or
the editorial data that fixes its slug, changed): the old page is merged into the new name and
removed, and its labels are recorded as retired with their successors.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import yaml

from ..common.retired import Retirement

#: The front matter at the top of a page.
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
#: A paragraph label line of a page: ``(slug-pN)=``, or a parallel pair's ``:name: slug-pN``.
PARAGRAPH_LABEL = re.compile(r"^(?:\((?P<target>[\w.-]+)\)=|:name: (?P<name>[\w.-]+))\s*$",
                             re.MULTILINE)
#: How much of each page is compared to tell which old page became which new one.
COMPARED_CHARACTERS = 4000


def page_seed(text: str) -> str:
    """The ``seed`` a page's front matter names ('' when it names none)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return ""
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return ""
    seed = data.get("seed") if isinstance(data, dict) else None
    return seed if isinstance(seed, str) else ""


#: The ``seed:`` line of a page's front matter; its value is the rest of the line, the spaces
#: around it stripped in Python (``^seed: *(?P<value>.*?) *$`` tried the spaces at the end of
#: the line again after each character of the value).
SEED_LINE = re.compile(r"^seed:(?P<value>.*)$", re.MULTILINE)
#: How much of a page holds its front matter's ``seed:`` line, generously.
HEAD_CHARACTERS = 16384


def seed_index(out_dir: Path) -> dict[str, list[Path]]:
    """Seed file name -> the pages of ``out_dir`` made from it, read once per run.

    Only the head of each page is read, and only its ``seed:`` line parsed: a run over a
    thousand inputs into one folder must not read every page again for each input.
    """
    index: dict[str, list[Path]] = {}
    if not out_dir.is_dir():
        return index
    for path in sorted(out_dir.glob("*.md")):
        with path.open(encoding="utf-8") as handle:
            head = handle.read(HEAD_CHARACTERS)
        match = FRONT_MATTER.match(head)
        line = SEED_LINE.search(match.group(1)) if match else None
        if line is None:
            continue
        try:
            seed = yaml.safe_load(line.group("value").strip(" "))
        except yaml.YAMLError:
            continue
        if isinstance(seed, str) and seed:
            index.setdefault(seed, []).append(path)
    return index


def find_moves(seed: str, pages: dict[str, str], out_dir: Path,
               index: dict[str, list[Path]] | None = None) -> dict[str, Path]:
    """New page name -> the existing page of the same seed it replaces."""
    if not out_dir.is_dir():
        return {}
    known = (index if index is not None else seed_index(out_dir)).get(seed, [])
    stale = [path for path in known if path.name not in pages and path.exists()]
    fresh = [name for name in pages if not (out_dir / name).exists()]
    moves: dict[str, Path] = {}
    # pair the most similar first: the text of a renamed article barely changes
    scored = sorted(
        ((difflib.SequenceMatcher(None, path.read_text(encoding="utf-8")[:COMPARED_CHARACTERS],
                                  pages[name][:COMPARED_CHARACTERS], autojunk=False).ratio(),
          name, path) for name in fresh for path in stale),
        key=lambda item: -item[0],
    )
    for _ratio, name, path in scored:
        if name not in moves and path not in moves.values():
            moves[name] = path
    return moves


def labels(text: str) -> list[str]:
    """The paragraph labels of a page, in order."""
    return [m.group("target") or m.group("name") for m in PARAGRAPH_LABEL.finditer(text)]


def retired_labels(old: Path, new_name: str, new_text: str) -> list[Retirement]:
    """The labels a move retires: the old slug and each old paragraph label, with successors.

    Only published labels are retired: in a git checkout, those of the articles a pull request
    is compared with (:func:`converters.editing.anchors.published_labels`); a page never
    published moves without a trace. Outside a checkout nothing tells what was published, so
    every label is retired.
    """
    old_slug, new_slug = old.stem, Path(new_name).stem
    reason = (f"the article's slug changed from '{old_slug}' to '{new_slug}' when it was "
              "converted again")
    entries = [Retirement(old_slug, new_slug, reason)]
    present = set(labels(new_text))
    for label in labels(old.read_text(encoding="utf-8")):
        if not label.startswith(old_slug + "-"):
            continue
        successor = new_slug + label[len(old_slug):]
        entries.append(Retirement(label, successor if successor in present else "", reason))
    published = _published(old)
    if published is None:
        return entries
    return [entry for entry in entries if entry.label in published]


def _published(page: Path) -> set[str] | None:
    """The published labels of the project ``page`` is an article of (None: unknown)."""
    from ..common.paths import ARTICLES_DIR
    from .anchors import published_labels

    folder = page.resolve().parent
    if folder.parts[-len(ARTICLES_DIR.parts):] != ARTICLES_DIR.parts:
        return None  # not the articles of a project: nothing to compare with
    return published_labels(folder.parents[len(ARTICLES_DIR.parts) - 1])


def rename_slug(text: str, old: str, new: str) -> str:
    """``text`` with the article's own labels and ``label:`` moved from slug ``old`` to ``new``.

    Applied to the moved page and its merge base before merging, so that the new labels are not
    a change of the converter's beside every edited paragraph (git would call that a conflict).
    """
    def label(match: re.Match[str]) -> str:
        value = match.group("target") or match.group("name")
        if value != old and not value.startswith(old + "-"):
            return match.group(0)
        renamed = new + value[len(old):]
        return f"({renamed})=" if match.group("target") else f":name: {renamed}"

    text = PARAGRAPH_LABEL.sub(label, text)
    return re.sub(rf"^label: {re.escape(old)}$", f"label: {new}", text, count=1,
                  flags=re.MULTILINE)
