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
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..common.markup import without_inline_markup
from ..common.matching import URL_PATTERN, find_names
from ..common.paths import DEFAULT_ARTICLES, DEFAULT_REGISTRY
from ..common.registry import Registry, RegistryError, fold, load_registry
from ..common.script import HAN_RUN, has_han
from .draft import Alias, Proposal
from .jieba_words import NAME_INTERPUNCTS, jieba_dictionary, jieba_posseg

#: jieba part-of-speech flags of names (nr person, nrfg/nrt transliterated or foreign person,
#: nt organisation, ns place, nz other proper noun).
JIEBA_NAME_FLAGS = frozenset({"nr", "nrfg", "nrt", "nt", "ns", "nz"})

#: Ordinary words that jieba's dictionary tags as names (公正 and 许可 as nr, 洗礼 as nz, 纳米 as
#: nrt …): a stop list, before the edition's own reviewed ``not_entities``.
NOT_NAMES = frozenset("""
公正 许可 许可证 安静 休克 纳米 纳米级 洗礼 彩虹 超级大国 展望未来 重大进展 第一波 新一轮 新手机
新款手机 网络安全 集成电路 二战 美国化 中国化 全球化 国际化 现代化 平安 高峰 文明 和平 金山 光明
黎明 白宫 红旗 东方 长城 万达 新华 永久 黄金 长江 大众 海洋 明星 太平 胜利 安全 中华 中方 美方
奇迹 伟大 高手 如意 春节 元旦 中秋 国庆 世纪 时代 青春 风云 梦想 未来 希望 科技 经济委员会
外国 广义 狭义 上市 英雄 爱国 国外 海外 境外 国内 全国 各国 外资 内地 本土 当地 中外 西方
城市 两国 大桥 东西 南北 东方 西部 东部 南部 北部 中部
""".split())

#: dictionary words tagged as proper nouns (nz) this common are ordinary words (彩虹, 二战),
#: and names (nr) this common and two characters long (公正, 安静): jieba's dictionary
#: frequencies, where the edition's rare names stay far below.
COMMON_NZ_FREQUENCY = 50
COMMON_NR_FREQUENCY = 500

#: Characters that start a phrase but never a name, left on a name by jieba's HMM (和云, 比海思,
#: 和泛林): cut off; what remains must still be a name of two characters or more.
LEADING_PARTICLES = frozenset("和与及比对在从向把被给跟或而让由将")
#: Prefixes of descriptive phrases that jieba tags nz (新一轮, 第一波, 每一代).
DESCRIPTIVE_PREFIX = re.compile(r"^(?:新|第|每|各|本|该|此|这|那|多|全|首|大|小|老)")


#: Characters that never sit inside a new name found by frequency (function words, numbers).
FUNCTION_CHARACTERS = frozenset(
    "的了是在和与及或对把被将为从向于也都就而并但又还更最很已其此这那之所以个们等着过地得到"
    "有没不说要会能可让由她他它我你您该每各年月日号时分一二三四五六七八九十百千万亿两几"
)
#: Words that end a phrase about a name rather than the name (财新记者: 财新's reporter).
ROLE_ENDINGS = ("记者", "编辑", "作者", "表示", "指出", "认为", "称")
#: How often a word jieba does not know must occur in the texts to be proposed (台积电 48 times).
MIN_NEW_WORD_COUNT = 5
#: Lengths of the character sequences looked at for new words.
NEW_WORD_LENGTHS = range(3, 7)
#: A sequence is a whole word when no single neighbouring character follows (or precedes) it in
#: more than this share of its occurrences (中芯国 is always followed by 际: not a word).
MAX_BOUNDARY_SHARE = 0.6

#: Capitalised abbreviations that are ordinary words in English texts, not names.
COMMON_ACRONYMS = frozenset(
    "ceo cfo coo cto ai ip it pc tv gdp usa us uk eu un asic fpga cpu gpu "
    "ict eda os app apps pdf www html usb nfc 4g 5g 3g ok vs am pm phd mba ipo".split()
)

#: Capitalised words that are never names on their own: months and days (with the abbreviations
#: the sources use) and the pronoun I.
COMMON_CAPITALISED = frozenset(
    "i january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday".split()
)

#: English words that start sentences: function words and sentence adverbs. A capitalised first
#: word of a sentence is dropped when it is one of these, or occurs in lower case (or with the
#: same stem) anywhere in the articles.
SENTENCE_WORDS = frozenset("""
a an the this that these those it its it's he she they we you i i'm my our your their his her
there here what when where which who whom whose why how whenever wherever however therefore thus
hence moreover furthermore additionally also besides meanwhile nevertheless nonetheless still yet
so but and or nor for if unless although though while whereas because since as after before
until once then now today yesterday tomorrow finally firstly first second secondly third lastly
last next later earlier initially eventually ultimately suddenly similarly conversely likewise
instead otherwise indeed in on at by from to with without within of about among between during
under over through across despite unlike like per both either neither each every all any some
many much more most few several other another such no not only even just perhaps maybe generally
usually often sometimes always never rarely unfortunately fortunately interestingly clearly
obviously certainly yes oh ah thanks thank please one two three four five six seven eight nine
ten twenty thirty hundred thousand million billion let let's do does did don't is are was were
nobody somebody someone anyone everyone everybody nothing something anything everything none
be been being have has had can could will would shall should may might must
""".split())

#: Suffixes stripped when looking for a word's stem in the articles' lower-case vocabulary.
STEM_SUFFIXES = ("ing", "ed", "es", "s", "ly", "ion", "ment", "ness", "ance", "e")

#: Adjective-forming endings cut from a capitalised word (Silicon Valley-based, Chinese-backed).
HYPHEN_SUFFIX = re.compile(
    r"-(?:based|backed|led|owned|style|like|made|born|held|era|native|related|funded|run|type)$"
)

#: Lines of the MyST format that carry no reader-visible text.
SKIPPED_LINE = re.compile(
    r"^\s*(?:\([\w.-]+\)=\s*$"  # (label)=
    r"|\[\^[^\]]+\]:"  # footnote definitions: their text is the URL
    r"|:{3,}"  # directive fences
    r"|:(?:name|class|alt|width|align|target):)"  # directive options
)
#: Markdown punctuation that is not text: heading marks, list marks, emphasis, escapes, and the
#: "Credit:" that introduces a figure's credit line in the MyST format.
MARKUP = re.compile(
    r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+\.\s+|Credit:\s)|\*{1,3}|\\(?=[^\w\s])")
#: An autolink (``<https://…>``), matched up to its ``>`` or to where it stops without one (then
#: left in place): a try from every ``<`` of an unclosed one ran on to the same place again.
AUTOLINK = re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>?")

#: A Latin word, possibly with inner capitals, digits, dots, hyphens and apostrophes.
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9&'’.-]*")
#: Small words that may sit inside a name (Bank of China, The Legend of Mir).
CONNECTORS = frozenset({"of", "the", "&", "de", "to"})
#: Where a sentence (or a clause that starts like one) begins.
SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”‘(—–-]\s*|\s[-–—]\s)$")
#: What may stand between two words of one name (Covington & Burling, Moody's Analytics).
JOINING_GAPS = frozenset({" ", "' ", "'s ", "’s ", "’ ", " & "})
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
        """The candidate as the command lists it: ``path:line: text``."""
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
        line = without_inline_markup(line)
        line = AUTOLINK.sub(lambda m: "" if m.group().endswith(">") else m.group(), line)
        line = URL_PATTERN.sub(lambda m: " " * len(m.group(0)), line)
        line = MARKUP.sub("", line)
        out[index] = line
    return out


# --------------------------------------------------------------------------- Chinese


def _ordinary_word(word: str, flag: str) -> bool:
    """A word jieba tags as a name that is an ordinary word (stop list, frequency, phrase)."""
    if word in NOT_NAMES or (flag == "ns" and word.endswith("人")):  # 美国人: people, not a place
        return True
    frequencies, _tags = jieba_dictionary()
    frequency = frequencies.get(word) or 0
    if flag == "nz" and (frequency >= COMMON_NZ_FREQUENCY or DESCRIPTIVE_PREFIX.match(word)):
        return True
    return flag == "nr" and len(word) == 2 and frequency >= COMMON_NR_FREQUENCY


def mask_names(line: str, registry: Registry) -> str:
    """The folded line with every registry name and reviewed phrase blanked out."""
    masked = list(fold(line))
    for start, end, _ in find_names(line, registry):
        masked[start:end] = "，" * (end - start)
    return "".join(masked)


def chinese_candidates(line: str, registry: Registry) -> Iterable[tuple[str, str]]:
    """(name, jieba flag) pairs of unreviewed Chinese names in one line of text."""
    if not has_han(line):
        return
    # Mask the names the registry knows, so that jieba never sees them in pieces.
    tokens = [(word, flag) for word, flag in jieba_posseg().cut(  # type: ignore[attr-defined]
        mask_names(line, registry))]
    position = 0
    for word, flag in _join_dotted(tokens):
        start = position
        position += len(word)
        if flag not in JIEBA_NAME_FLAGS or not has_han(word):
            continue
        while word and word[0] in LEADING_PARTICLES:
            word, start = word[1:], start + 1
        if len(word) >= 2 and not _ordinary_word(word, flag):
            yield line[start:start + len(word)], flag


def _join_dotted(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Tokens with transliterated names put together again: 威廉 · 巴尔 is 威廉·巴尔, a person."""
    out: list[tuple[str, str]] = []
    index = 0
    while index < len(tokens):
        word, flag = tokens[index]
        if (word in NAME_INTERPUNCTS and out and has_han(out[-1][0])
                and index + 1 < len(tokens) and has_han(tokens[index + 1][0])):
            out[-1] = (out[-1][0] + word + tokens[index + 1][0], "nrt")
            index += 2
            continue
        out.append((word, flag))
        index += 1
    return out


def new_words(texts: Iterable[str], registry: Registry) -> dict[str, int]:
    """Frequent character sequences that jieba's dictionary does not know and cuts apart.

    Companies new to the dictionary (台积电, 中芯国际) are cut into pieces that carry no name
    tag; counted over the texts, such a sequence recurs, and stands free: no one neighbouring
    character accompanies it most of the time.
    """
    runs: list[str] = []
    for text in texts:
        for line in text.split("\n"):
            if has_han(line):
                runs.extend(HAN_RUN.findall(mask_names(line, registry)))
    counts: dict[str, int] = {}
    for run in runs:
        for size in (*NEW_WORD_LENGTHS, NEW_WORD_LENGTHS.stop):
            for i in range(len(run) - size + 1):
                counts[run[i:i + size]] = counts.get(run[i:i + size], 0) + 1
    frequencies, _tags = jieba_dictionary()
    import jieba

    # the most frequent single neighbour on each side of every sequence
    left: dict[str, int] = {}
    right: dict[str, int] = {}
    for longer, times in counts.items():
        left[longer[1:]] = max(left.get(longer[1:], 0), times)
        right[longer[:-1]] = max(right.get(longer[:-1], 0), times)
    found: dict[str, int] = {}
    for word, count in counts.items():
        if (len(word) not in NEW_WORD_LENGTHS or count < MIN_NEW_WORD_COUNT
                or word in frequencies or any(c in FUNCTION_CHARACTERS for c in word)):
            continue
        if max(left.get(word, 0), right.get(word, 0)) > MAX_BOUNDARY_SHARE * count:
            continue
        pieces = jieba.lcut(word, HMM=False)
        if (len(pieces) >= 2 and any(len(piece) == 1 for piece in pieces)
                and not word.endswith(ROLE_ENDINGS)):
            found[word] = count
    # a part of a longer new word that occurs (almost) only inside it is not a word of its own
    return {word: count for word, count in found.items()
            if not any(word in longer and word != longer and other >= 0.8 * count
                       for longer, other in found.items())}


# --------------------------------------------------------------------------- English


def _capitalised(word: str) -> bool:
    """Whether a word is written like a name.

    A capital first, or a capital after lower case (eBay, iPhone).
    """
    return word[0].isupper() or bool(re.match(r"[a-z]+[A-Z]", word))


def _clean(word: str) -> str:
    """A word without trailing possessive, punctuation or adjective ending.

    Abbreviations like A.I. keep their dots.
    """
    if re.fullmatch(r"(?:[A-Z]\.){2,}", word):
        return word
    previous = None
    while previous != word:
        previous = word
        word = TRAILING.sub("", word)
        word = HYPHEN_SUFFIX.sub("", word)
    return word


def english_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Every word that occurs in lower case somewhere in the texts."""
    vocabulary: set[str] = set()
    for text in texts:
        vocabulary.update(w for w in (_clean(w) for w in WORD.findall(text)) if w.islower())
    return frozenset(vocabulary)


def _is_title_line(words: list[str]) -> bool:
    """A heading-like line where most longer words are capitalised (Seek Compound Interest)."""
    long_words = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.6 * len(long_words)


def _quoted(line: str, position: int) -> bool:
    """Whether a position is inside quotation marks (where titles are quoted in prose)."""
    before = line[:position]
    return (before.count("“") > before.count("”") or before.count('"') % 2 == 1
            or before.rfind("‘") > before.rfind("’"))


@dataclass(frozen=True)
class _Word:
    """A Latin word of a line: its span (without trailing punctuation) and text."""

    start: int
    end: int
    text: str
    #: The word was followed by a full stop, so a capitalised next word may start a sentence.
    stops: bool


def _words(line: str) -> list[_Word]:
    out = []
    for match in WORD.finditer(line):
        raw = match.group(0)
        text = _clean(raw)
        if text:
            out.append(_Word(match.start(), match.start() + len(text), text,
                             raw.endswith((".", "!", "?")) and not raw.endswith("..")))
    return out


def _runs(line: str, words: list[_Word]) -> list[list[_Word]]:
    """Runs of capitalised words joined by single spaces (or a possessive).

    Connectors and numbers are allowed inside (Bank of China, Double 11).
    """
    runs: list[list[_Word]] = []
    current: list[_Word] = []
    for word in words:
        gap = line[current[-1].end:word.start] if current else ""
        joined = bool(current) and not current[-1].stops and gap in JOINING_GAPS
        inner = joined and (word.text in CONNECTORS or word.text.isdigit())
        if _capitalised(word.text) or inner:
            if current and not joined:
                runs.append(current)
                current = []
            current.append(word)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    for run in runs:
        while run and (run[-1].text in CONNECTORS):
            run.pop()
    return [run for run in runs if run]


class _English:
    """What English candidate detection knows about the articles as a whole."""

    def __init__(self, registry: Registry, vocabulary: frozenset[str]) -> None:
        self.registry = registry
        self.reviewed = registry.reviewed()
        self.vocabulary = vocabulary

    def common(self, word: str) -> bool:
        """A word that is ordinary English: not a name when it merely starts a sentence."""
        lower = word.lower()
        if lower in SENTENCE_WORDS or lower in COMMON_CAPITALISED or lower in self.vocabulary:
            return True
        for suffix in STEM_SUFFIXES:
            stem = lower[: -len(suffix)] if lower.endswith(suffix) else lower
            if len(stem) >= 4 and any(v.startswith(stem) for v in self.vocabulary):
                return True
        return False

    def known(self, word: _Word, spans: list[tuple[int, int, str]]) -> bool:
        """A word inside a registry name or reviewed phrase, or otherwise not a name."""
        if word.text.isdigit() or word.text in CONNECTORS:
            return True
        if any(start <= word.start and word.end <= end for start, end, _ in spans):
            return True
        key = fold(word.text)
        if key in self.reviewed or (key.endswith("s") and key[:-1] in self.reviewed):
            return True
        # Hyphenated compounds of known names: U.S.-China, Sino-Japanese.
        parts = word.text.split("-")
        return len(parts) > 1 and all(
            part and self.known(_Word(0, 0, part, False), []) for part in parts)

    def candidates(self, line: str) -> Iterable[tuple[str, str]]:
        """(name, reason) pairs of unreviewed capitalised word sequences in one line."""
        words = _words(line)
        title_line = _is_title_line([w.text for w in words])
        spans = find_names(line, self.registry)
        for run in _runs(line, words):
            if all(self.known(w, spans) for w in run):
                continue
            run = _without_titles(self.without_sentence_word(line, run))
            if not run or all(self.known(w, spans) for w in run):
                continue
            if _lone_common_word(run) or self.quoted_title(line, run, spans, title_line):
                continue
            yield line[run[0].start:run[-1].end], "capitalised"

    def without_sentence_word(self, line: str, run: list[_Word]) -> list[_Word]:
        """A run less its first word when that is an ordinary word starting a sentence.

        "However", "The", "Comparing": capitalised only because a sentence starts there
        (and followed by a plain space, not by a possessive or an ampersand).
        """
        starts_sentence = SENTENCE_START.search(line[:run[0].start]) is not None
        plain_next = len(run) == 1 or line[run[0].end:run[1].start] == " "
        if starts_sentence and plain_next and self.common(run[0].text):
            run = run[1:]
            while run and run[0].text in CONNECTORS:
                run = run[1:]
        return run

    def quoted_title(self, line: str, run: list[_Word], spans: list[tuple[int, int, str]],
                     title_line: bool) -> bool:
        """A title quoted or set in title case, of ordinary words: Work Hard, China's Internet."""
        return (title_line or _quoted(line, run[0].start)) and all(
            self.common(w.text) or self.known(w, spans) for w in run)


def _without_titles(run: list[_Word]) -> list[_Word]:
    """A run less the titles at its ends: in "Isaiah Research CEO" the title is not the name."""
    while run and run[-1].text.lower() in COMMON_ACRONYMS:
        run = run[:-1]
    while run and run[0].text.lower() in COMMON_ACRONYMS and len(run) > 1:
        run = run[1:]
    return run


def _lone_common_word(run: list[_Word]) -> bool:
    """A run of one word (numbers aside) that is too short or too common to be a name."""
    names = [w.text for w in run if not w.text.isdigit()]
    return len(names) == 1 and (len(names[0]) < 2 or names[0].lower() in COMMON_CAPITALISED
                                or names[0].lower() in SENTENCE_WORDS
                                or names[0].lower() in COMMON_ACRONYMS)


# --------------------------------------------------------------------------- the tool


@dataclass
class Occurrences:
    """What the texts say about one candidate, gathered while it is found."""

    #: jieba's tag of each occurrence it cut out as a word (Chinese names)
    tags: Counter[str] = field(default_factory=Counter)
    #: how many times it stands as a word of its own (a jieba word, or a whole Latin word)
    count: int = 0


def candidates_in_text(path: Path, lines: list[str], registry: Registry,
                       vocabulary: frozenset[str],
                       gathered: dict[str, Occurrences] | None = None) -> list[Candidate]:
    """Unreviewed names in the visible lines of one article, each once, at its first line.

    ``gathered`` receives, by folded name, every occurrence's jieba tag and the count of
    occurrences jieba cut out as a word.
    """
    reviewed = registry.reviewed()
    english = _English(registry, vocabulary)
    seen: set[str] = set()
    found: list[Candidate] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        pairs = [(name, "zh", flag) for name, flag in chinese_candidates(line, registry)]
        pairs += [(name, "en", why) for name, why in english.candidates(line)]
        for name, script, reason in pairs:
            key = fold(name)
            if key in reviewed:
                continue
            if gathered is not None and script == "zh":
                occurrence = gathered.setdefault(key, Occurrences())
                occurrence.tags[reason] += 1
                occurrence.count += 1
            if key in seen:
                continue
            seen.add(key)
            found.append(Candidate(path, number, name, script, reason))
    return found


def find_candidates(articles_dir: Path, registry: Registry,
                    pages: Sequence[Path] | None = None) -> list[Candidate]:
    """Unreviewed names in every article (``*.md``) of a folder, or in ``pages``, in order."""
    return [candidate for candidate, _count in proposals(articles_dir, registry, pages)]


def _texts(articles_dir: Path, pages: Sequence[Path] | None) -> dict[Path, list[str]]:
    """The visible lines of each article read."""
    paths = list(pages) if pages else sorted(Path(articles_dir).glob("*.md"))
    return {path: visible_lines(path.read_text(encoding="utf-8")) for path in paths}


def _found(texts: dict[Path, list[str]], registry: Registry,
           gathered: dict[str, Occurrences]) -> list[Candidate]:
    """Every candidate of the texts, once, at its first line: names, then frequent words."""
    vocabulary = english_vocabulary("\n".join(lines) for lines in texts.values())
    found: list[Candidate] = []
    seen: set[str] = set()
    for path, lines in texts.items():
        for candidate in candidates_in_text(path, lines, registry, vocabulary, gathered):
            if fold(candidate.text) not in seen:
                seen.add(fold(candidate.text))
                found.append(candidate)
    folded = {path: [fold(line) for line in lines] for path, lines in texts.items()}
    reviewed = registry.reviewed()
    for word in new_words(("\n".join(lines) for lines in texts.values()), registry):
        if word in seen or word in reviewed or any(word in c.text for c in found):
            continue
        path, line = next((path, number) for path, lines in folded.items()
                          for number, text in enumerate(lines, 1) if word in text)
        found.append(Candidate(path, line, texts[path][line - 1][
            folded[path][line - 1].index(word):][:len(word)], "zh", "frequent"))
        seen.add(word)
    return found


def word_pattern(text: str) -> re.Pattern[str]:
    """Where a Latin name stands as a whole word, written as it is (Pro, not Profit or pro)."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(text)}(?![A-Za-z0-9])")


def occurrences(candidate: Candidate, whole: str, words: Counter[str]) -> int:
    """How often a candidate occurs as a word: a whole Latin word, or a Chinese word.

    Chinese words are the text's as jieba cuts it with the candidates known
    (:func:`chinese_words`).
    """
    if candidate.script == "en":
        return max(len(word_pattern(candidate.text).findall(whole)), 1)
    return max(words[fold(candidate.text)], 1)


@contextmanager
def _known_words(names: Iterable[str]) -> Iterator[Any]:
    """The jieba tokenizer with ``names`` added as words, as they were before afterwards."""
    jieba_posseg()
    import jieba

    tokenizer = jieba.dt
    tokenizer.check_initialized()
    saved_total = tokenizer.total
    names = list(names)
    # add_word also enters each prefix of a new word: every key it adds is taken out again
    added = {name[:end] for name in names for end in range(1, len(name) + 1)
             if name[:end] not in tokenizer.FREQ}
    saved = {name: tokenizer.FREQ[name] for name in names if name in tokenizer.FREQ}
    try:
        for name in names:
            tokenizer.add_word(name)
        yield tokenizer
    finally:
        for key in added:
            tokenizer.FREQ.pop(key, None)
        tokenizer.FREQ.update(saved)
        tokenizer.total = saved_total


def chinese_words(lines: Iterable[str], names: Iterable[str]) -> Counter[str]:
    """How often each of ``names`` (folded) stands as a word in the lines.

    The lines are cut by jieba knowing the names. An occurrence counts when it is a word, or
    a part of a longer word whose other parts are words too (商务部 in 美国商务部); not when it
    straddles two words, nor inside a word with a piece left over (机芯片 in 手机芯片).
    """
    keys = {fold(name) for name in names if has_han(name)}
    counted: Counter[str] = Counter()
    if not keys:
        return counted
    frequencies, _tags = jieba_dictionary()
    with _known_words(keys) as tokenizer:
        for line in lines:
            folded = fold(line)
            present = [key for key in keys if key in folded]
            if not present:
                continue
            spans = list(tokenizer.tokenize(folded))
            for key in present:
                counted[key] += sum(1 for start in _positions(folded, key)
                                    if _stands(spans, start, start + len(key), frequencies))
    return counted


def _positions(text: str, key: str) -> Iterator[int]:
    start = text.find(key)
    while start >= 0:
        yield start
        start = text.find(key, start + 1)


def _stands(spans: list[tuple[str, int, int]], start: int, end: int,
            frequencies: dict[str, int]) -> bool:
    """Whether text[start:end] is a word of the cut ``spans``.

    Or a part of one whose other parts are dictionary words of two characters or more.
    """
    for word, first, last in spans:
        if first <= start and end <= last:
            if (first, last) == (start, end):
                return True
            rest = [word[:start - first], word[end - first:]]
            return all(not piece or (len(piece) >= 2 and frequencies.get(piece))
                       for piece in rest)
        if first < end and start < last:
            break  # straddles two words
    return False


def proposals(articles_dir: Path, registry: Registry,
              pages: Sequence[Path] | None = None) -> list[tuple[Candidate, int]]:
    """Unreviewed names with how often each occurs as a word, in file and line order.

    Names jieba or the capitalisation finds, then the frequent words jieba does not know
    (:func:`new_words`), each once, at its first line.
    """
    texts = _texts(articles_dir, pages)
    gathered: dict[str, Occurrences] = {}
    found = _found(texts, registry, gathered)
    lines = [line for page in texts.values() for line in page]
    words = chinese_words(lines, (candidate.text for candidate in found))
    whole = "\n".join(lines)
    return [(candidate, occurrences(candidate, whole, words)) for candidate in found]


def drafted(articles_dir: Path, registry: Registry,
            pages: Sequence[Path] | None = None) -> list[Proposal]:
    """The proposals with what the draft says about each: type and its evidence, alias.

    The type weighs jieba's tag of every occurrence with the words around the name in the
    texts (:func:`converters.editing.draft.classify`); a name that is a word of a known name,
    or that the text glosses with one (Martin (刘炽平)), is proposed as that entity's alias.
    """
    from .draft import classify, known_alias

    texts = _texts(articles_dir, pages)
    gathered: dict[str, Occurrences] = {}
    found = _found(texts, registry, gathered)
    lines = [line for page in texts.values() for line in page]
    whole = "\n".join(lines)
    words = chinese_words(lines, (candidate.text for candidate in found))
    types: dict[str, str] = {}
    described: dict[str, tuple[str, str, Alias | None]] = {}
    # Chinese names first: an English name glossing one (楷登电子(Cadence …)) takes its type
    for candidate in sorted(found, key=lambda c: c.script != "zh"):
        key = fold(candidate.text)
        contexts = list(_contexts(candidate, lines))
        tags = gathered[key].tags if key in gathered else Counter[str]()
        alias = known_alias(candidate.text, contexts, registry)
        kind, evidence = classify(candidate.text, candidate.reason, tags, contexts, registry,
                                  types)
        if alias is not None:
            kind, evidence = alias.kind, alias.evidence
        if candidate.script == "zh":
            types[candidate.text] = kind
        described[key] = (kind, evidence, alias)
    out: list[Proposal] = []
    for candidate in found:
        kind, evidence, alias = described[fold(candidate.text)]
        out.append(Proposal(candidate.text, candidate.reason,
                            occurrences(candidate, whole, words),
                            f"{_shown(candidate.path)}:{candidate.line}", kind, evidence,
                            alias.target if alias else "", _forms(candidate.text, whole)))
    return out


def _forms(name: str, whole: str) -> tuple[str, ...]:
    """How the texts write a name: each spelling that folds to it (Simplified, Traditional)."""
    if not has_han(name):
        return ()
    folded, key = fold(whole), fold(name)
    if len(folded) != len(whole):
        return ()  # folding changed the length: positions cannot be compared
    found: dict[str, None] = {}
    start = folded.find(key)
    while start >= 0:
        found[whole[start:start + len(key)]] = None
        start = folded.find(key, start + 1)
    return tuple(found)


#: How many characters on each side of a name the type's evidence looks at.
CONTEXT = 12


def _contexts(candidate: Candidate, lines: list[str]) -> Iterator[tuple[str, str]]:
    """The text before and after each occurrence of a candidate (on its line)."""
    pattern = (word_pattern(candidate.text) if candidate.script == "en"
               else re.compile(re.escape(candidate.text)))
    for line in lines:
        for match in pattern.finditer(line):
            yield (line[max(0, match.start() - CONTEXT):match.start()],
                   line[match.end():match.end() + CONTEXT])


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
    parser.add_argument("--page", type=Path, action="append", metavar="FILE",
                        help="look only at this article (repeatable); default: every article")
    parser.add_argument("--draft", type=Path, metavar="FILE",
                        help="also write proposed registry entries, one per line, into FILE "
                        "for review (Simplified, Traditional, pinyin, type guess, occurrences)")
    parser.add_argument("--accept", type=Path, metavar="FILE",
                        help="move the lines of a reviewed draft marked accept into the "
                        "registry and those marked not_entity under not_entities")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tool: 0 when every name is reviewed, 1 when candidates remain, 2 on bad input."""
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if not args.articles.is_dir():
        print(f"error: {args.articles}: no such folder of articles", file=sys.stderr)
        return 2
    if args.accept is not None:
        return _accept(args.accept, args.registry)
    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        for message in exc.messages:
            print(f"error: {message}", file=sys.stderr)
        return 2
    if args.draft is None:
        counted = proposals(args.articles, registry, args.page)
        for candidate, _count in counted:
            print(f"{_shown(candidate.path)}:{candidate.line}: {candidate.text}")
        print(f"{len(counted)} unreviewed candidate(s)")
        return 1 if counted else 0
    from .draft import write_draft

    described = drafted(args.articles, registry, args.page)
    for proposal in described:
        also = f" (an alias of {proposal.alias_of}?)" if proposal.alias_of else ""
        print(f"{proposal.first}: {proposal.text}{also}")
    print(f"{len(described)} unreviewed candidate(s)")
    written = write_draft(args.draft, described)
    print(f"{written} proposed entries written to {_shown(args.draft)} for review")
    return 1 if described else 0


def _accept(draft: Path, registry: Path) -> int:
    """Apply a reviewed draft to the registry; 0, or 2 with one line on a bad draft."""
    from .draft import DraftError, accept

    try:
        accepted, rejected, pending = accept(draft, registry)
    except (DraftError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"{registry}: {accepted} entr(y/ies) added, {rejected} name(s) under not_entities; "
          f"{pending} line(s) still pending in {draft}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
