"""The candidates tool: names in the articles that the registry has not reviewed yet.

``python -m converters candidates [--articles DIR] [--registry FILE]`` reads the MyST articles,
keeps only reader-visible text (no front matter, role targets, labels, footnote URLs, directive
options), and lists every word sequence that looks like a person or an organisation and is
neither a registry name nor a reviewed ``not_entities`` item:

* Chinese: words jieba's part-of-speech tagger marks as names (:data:`JIEBA_NAME_FLAGS`), after
  the names the registry already knows are masked out, so a known name never comes back in pieces;
* English: runs of capitalised words, without a sentence's common first word ("However") and
  without title-case lines made only of ordinary words (headings such as "Work Hard").

Each is printed as ``file:line: candidate``; the exit status is 1 while any remains, so the
check can gate a build. Every candidate is resolved by adding it to the registry or to
``not_entities`` (with a comment saying why).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .registry import Registry, RegistryError, fold, load_registry
from .tagging import URL_PATTERN, find_names

#: The project root (the folder holding ``converters/`` and ``docs/``).
ROOT = Path(__file__).resolve().parents[1]
#: Where the articles are, by default.
DEFAULT_ARTICLES = ROOT / "docs" / "articles"
#: The registry, by default.
DEFAULT_REGISTRY = ROOT / "docs" / "_data" / "registry.yaml"

#: jieba part-of-speech flags of person and organisation names (nr person, nrfg/nrt transliterated
#: or foreign person, nt organisation, nz other proper noun); places (ns) are not indexed.
JIEBA_NAME_FLAGS = frozenset({"nr", "nrfg", "nrt", "nt", "nz"})

#: Capitalised words that are never names on their own, whatever the corpus says.
COMMON_CAPITALISED = frozenset(
    "i january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)

#: Lines of the MyST format that carry no reader-visible text.
SKIPPED_LINE = re.compile(
    r"^\s*(?:\([\w.-]+\)=\s*$"  # (label)=
    r"|\[\^[^\]]+\]:"  # footnote definitions: their text is the URL
    r"|:{3,}"  # directive fences
    r"|:(?:name|class|alt|width|align|target):)"  # directive options
)
#: A role: the shown text stays, the target goes.
ROLE = re.compile(r"\{[\w:-]+\}`([^`]*?)\s*(?:<[^<>`]*>)?`")
#: A footnote reference.
FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
#: Markdown punctuation that is not text: heading marks, list marks, emphasis, escapes.
MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+\.\s+)|\*{1,3}|\\(?=[^\w\s])")

#: A Latin word, possibly with inner capitals, digits, dots, hyphens and apostrophes.
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.-]*")
#: Small words that may sit inside a name (Bank of China, The Legend of Mir).
CONNECTORS = frozenset({"of", "the", "&", "de"})
#: Where a sentence (or a clause that starts like one) begins.
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘(—–-]\s*|\s[-–—]\s)$")
#: Trailing possessives and punctuation that are not part of a name.
TRAILING = re.compile(r"(?:['’]s?|[.,])$")


@dataclass(frozen=True)
class Candidate:
    """A name found in an article that the registry has not reviewed."""

    #: The article file.
    path: Path
    #: 1-based line in that file.
    line: int
    #: The name as written.
    text: str
    #: ``"zh"`` (jieba) or ``"en"`` (capitalised words).
    script: str
    #: Why it was raised: a jieba flag, or ``"capitalised"``.
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text}"


# --------------------------------------------------------------------------- visible text


def visible_lines(markdown: str) -> list[str]:
    """The reader-visible text of a MyST article, line for line (so line numbers hold)."""
    lines = markdown.split("\n")
    out = [""] * len(lines)
    start = 0
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                start = index + 1
                break
    for index in range(start, len(lines)):
        line = lines[index]
        if SKIPPED_LINE.match(line):
            continue
        line = ROLE.sub(lambda m: m.group(1), line)
        line = FOOTNOTE_REF.sub("", line)
        line = re.sub(r"<[a-z][a-z0-9+.-]*:[^>\s]*>", "", line)  # autolinks
        line = URL_PATTERN.sub(lambda m: " " * len(m.group(0)), line)
        line = MARKUP.sub("", line)
        out[index] = line
    return out


# --------------------------------------------------------------------------- Chinese


@lru_cache(maxsize=1)
def _jieba_posseg() -> object:
    """jieba's tagger with its bundled default dictionary only, without its log chatter."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" for c in text)


def chinese_candidates(line: str, registry: Registry) -> Iterable[tuple[str, str]]:
    """(name, jieba flag) pairs of unreviewed Chinese names in one line of text."""
    if not _has_cjk(line):
        return
    # Mask the names the registry knows, so that jieba never sees them in pieces.
    masked = list(fold(line))
    for start, end, _ in find_names(line, registry):
        masked[start:end] = "，" * (end - start)
    folded = "".join(masked)
    posseg = _jieba_posseg()
    position = 0
    for word, flag in posseg.cut(folded):  # type: ignore[attr-defined]
        original = line[position:position + len(word)]
        position += len(word)
        if flag in JIEBA_NAME_FLAGS and len(word) >= 2 and _has_cjk(word):
            yield original, flag


# --------------------------------------------------------------------------- English


def _capitalised(word: str) -> bool:
    """Whether a word is written like a name: a capital first, or a capital after lower case
    (eBay, iPhone)."""
    return word[0].isupper() or bool(re.match(r"[a-z]+[A-Z]", word))


def _clean(word: str) -> str:
    """A word without trailing possessive or punctuation (abbreviations like A.I. keep dots)."""
    if re.fullmatch(r"(?:[A-Z]\.){2,}", word):
        return word
    previous = None
    while previous != word:
        previous = word
        word = TRAILING.sub("", word)
    return word


def english_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word that occurs in lower case somewhere: capitalised, it is a sentence start or
    a title, not a name by itself."""
    vocabulary: set[str] = set()
    for text in texts:
        vocabulary.update(w for w in (_clean(w) for w in WORD.findall(text)) if w.islower())
    return frozenset(vocabulary)


def _is_title_line(words: list[str]) -> bool:
    """A heading-like line where most longer words are capitalised (Seek Compound Interest)."""
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def english_candidates(line: str, registry: Registry, reviewed: set[str],
                       vocabulary: frozenset[str]) -> Iterable[tuple[str, str]]:
    """(name, reason) pairs of unreviewed capitalised word sequences in one line of text."""
    matches = [(m.start(), m.start() + len(_clean(m.group(0))), _clean(m.group(0)))
               for m in WORD.finditer(line)]
    matches = [m for m in matches if m[2]]
    title_line = _is_title_line([m[2] for m in matches])

    def common(word: str) -> bool:
        return word.lower() in vocabulary or word.lower() in COMMON_CAPITALISED

    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for start, end, word in matches:
        joined = bool(current) and line[current[-1][1]:start] == " "
        if _capitalised(word) or (joined and word in CONNECTORS):
            if current and not joined:
                runs.append(current)
                current = []
            current.append((start, end, word))
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    for run in runs:
        while run and run[-1][2] in CONNECTORS:
            run.pop()
        if run and SENTENCE_START.search(line[:run[0][0]]) and common(run[0][2]):
            run = run[1:]  # "However", "The", "Starting": a sentence's first word
        if not run:
            continue
        words = [word for _, _, word in run]
        if len(words) == 1 and (len(words[0]) < 2 or words[0].lower() in COMMON_CAPITALISED):
            continue
        if title_line and all(common(w) or w in CONNECTORS for w in words):
            continue
        text = line[run[0][0]:run[-1][1]]
        if fold(text) in reviewed or _covered(line, run, reviewed):
            continue
        yield text, "capitalised"


def _covered(line: str, run: list[tuple[int, int, str]], reviewed: set[str]) -> bool:
    """Whether a run is made only of reviewed names (Tencent QQ, Sequoia Capital's Wang Qiong),
    with connectors between them."""
    index = 0
    while index < len(run):
        if run[index][2] in CONNECTORS:
            index += 1
            continue
        for stop in range(len(run), index, -1):
            if fold(line[run[index][0]:run[stop - 1][1]]) in reviewed:
                index = stop
                break
        else:
            return False
    return True


# --------------------------------------------------------------------------- the tool


def candidates_in_text(path: Path, lines: list[str], registry: Registry,
                       vocabulary: frozenset[str]) -> list[Candidate]:
    """Unreviewed names in the visible lines of one article, each once, at its first line."""
    reviewed = registry.reviewed()
    seen: set[str] = set()
    found: list[Candidate] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pairs = [(name, "zh", flag) for name, flag in chinese_candidates(line, registry)]
        pairs += [(name, "en", why)
                  for name, why in english_candidates(line, registry, reviewed, vocabulary)]
        for name, script, reason in pairs:
            key = fold(name)
            if key in reviewed or key in seen:
                continue
            seen.add(key)
            found.append(Candidate(path, number, name, script, reason))
    return found


def find_candidates(articles_dir: Path, registry: Registry) -> list[Candidate]:
    """Unreviewed names in every article (``*.md``) of a folder, in file and line order."""
    texts = {path: visible_lines(path.read_text(encoding="utf-8"))
             for path in sorted(Path(articles_dir).glob("*.md"))}
    vocabulary = english_vocabulary("\n".join(lines) for lines in texts.values())
    found: list[Candidate] = []
    for path, lines in texts.items():
        found.extend(candidates_in_text(path, lines, registry, vocabulary))
    return found


def _shown(path: Path) -> Path:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the candidates subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m converters candidates",
        description="List names in the articles that look like people or organisations and "
        "are neither in the entity registry nor reviewed as not_entities.",
    )
    parser.add_argument("--articles", type=Path, default=DEFAULT_ARTICLES, metavar="DIR",
                        help="folder of MyST articles (default: %(default)s)")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY, metavar="FILE",
                        help="entity registry (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tool: 0 when every name is reviewed, 1 when candidates remain, 2 on bad input."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if not args.articles.is_dir():
        print(f"error: {args.articles}: no such folder of articles", file=sys.stderr)
        return 2
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=sys.stderr)
        return 2
    found = find_candidates(args.articles, registry)
    for candidate in found:
        print(f"{_shown(candidate.path)}:{candidate.line}: {candidate.text}")
    print(f"{len(found)} unreviewed candidate(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
