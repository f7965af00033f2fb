"""Proposed registry entries for the candidates, in a review file the editor accepts line by line.

``python -m converters candidates --draft FILE`` writes one line per candidate: a YAML flow
mapping with every registry field filled as far as the text allows, plus what helps the review
and ``review: pending``:

- the type, weighed from jieba's tag of every occurrence (``nr`` a person, ``nt``/``nz`` an
  organisation, ``ns`` a place) and the words around the name in the texts (a title before
  it, 公司 or 旗下 around it, a list of known companies it stands in, the Chinese name an
  English one glosses), with that ``evidence`` written out (:func:`classify`);
- the Simplified and Traditional forms: the texts' own Traditional spelling when they have
  one, else OpenCC's Taiwan standard (事業群, never the variant 事業羣); the pinyin from
  pypinyin word by word, corrected where its dictionary misreads a word of these texts
  (:data:`PHRASE_READINGS`: 长尾 is cháng wěi) and for surnames (:data:`SURNAME_READINGS`),
  with every reading left to check listed in ``check_pinyin``; the id from that pinyin;
- a name that is a word of a known name, or that the text glosses with one (Martin (刘炽平)),
  as ``alias_of`` that entity (:func:`known_alias`): accepted, it becomes an alias, not a
  new entity;
- how often the name occurs as a word, and where first.

The editor corrects a line and changes ``pending`` to ``accept`` or ``not_entity``, or deletes
the line; ``--accept FILE`` then moves accepted entities into the registry at the end of the
section of their type (people with people, companies with companies), accepted aliases into
their entity, rejected names into the ``not_entities`` section of their kind, and leaves the
pending lines.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..common.matching import find_names
from ..common.registry import Registry, RegistryError, load_registry
from ..common.script import has_han
from .jieba_words import NAME_INTERPUNCTS, jieba_dictionary

#: jieba tags that name people, places and organisations.
PERSON_FLAGS = frozenset({"nr", "nrfg", "nrt"})
PLACE_FLAGS = frozenset({"ns"})
#: Endings that make a name an organisation's (Chinese and English).
ORGANISATION_ENDINGS = (
    "公司", "集团", "科技", "电子", "电", "国际", "银行", "大学", "学院", "研究院", "研究所",
    "事务所", "委员会", "部", "局", "署", "院", "会", "社", "报", "台", "网", "所",
    " Inc", " Inc.", " LLP", " Ltd", " Corp", " Corporation", " Group", " Research",
    " Systems", " Materials", " Analytics", " Bank", " University", " Institute", " Times",
)
#: The review states of a draft line.
PENDING, ACCEPT, NOT_ENTITY = "pending", "accept", "not_entity"
#: The registry fields, in the registry's order.
FIELDS = ("id", "type", "label", "labels", "aliases", "description", "wikidata")
#: Heading comment of a draft file.
HEADER = """\
# Proposed registry entries, one per line. For each line: correct the values, then change
# `review: pending` to `review: accept` (it goes into the registry) or `review: not_entity`
# (its name goes under not_entities); delete a line to decide later. Apply with
#   python -m converters candidates --accept THIS-FILE
# `pinyin`, `occurrences` and `first` help the review and are not copied into the registry.
"""
#: Where the entity list ends in the registry: new entries go before this line.
NOT_ENTITIES_LINE = re.compile(r"^not_entities:\s*$", re.MULTILINE)


#: Words pypinyin's phrase dictionary reads otherwise than the edition's texts mean them,
#: with their readings (长尾 of 长尾客户, the long tail; 长 alone is read zhǎng there).
PHRASE_READINGS: dict[str, tuple[str, ...]] = {
    "长尾": ("cháng", "wěi"),
    "事业群": ("shì", "yè", "qún"),
    "快跑": ("kuài", "pǎo"),
    "朝阳": ("cháo", "yáng"),
}
#: Surnames read otherwise than their character's commonest reading (曾 of 曾盟斌 is zēng).
SURNAME_READINGS: dict[str, str] = {
    "曾": "zēng", "单": "shàn", "解": "xiè", "仇": "qiú", "区": "ōu", "查": "zhā",
    "朴": "piáo", "乐": "yuè", "缪": "miào", "翟": "zhái", "盖": "gě", "覃": "qín",
    "召": "shào", "纪": "jǐ", "任": "rén", "宁": "nìng", "员": "yùn", "折": "shé",
    "种": "chóng", "繁": "pó", "句": "gōu", "尉": "yù", "冼": "xiǎn", "秘": "bì",
}

#: Words just before a name that make it a person's: titles (国务卿迈克·庞皮欧, 分析师贾沫).
PERSON_BEFORE = ("总裁", "董事长", "执行官", "创始人", "创办人", "部长", "国务卿", "分析师",
                 "教授", "总监", "官", "主任", "发言人", "律师", "总统", "主席", "总经理",
                 "负责人", "研究员", "合伙人", "经理", "顾问", "CEO", "CTO", "CFO", "COO",
                 "议员", "大使", "法官", "学者", "专家", "总理", "首相", "市长", "记者")
#: Words just after a name that make it a person's (孟晚舟表示, 曾盟斌认为).
PERSON_AFTER = ("表示", "说", "称", "指出", "认为", "告诉", "透露", "介绍", "直言", "坦言",
                "先生", "女士", "博士", "教授", "本人", "夫妇", "进一步")
#: Words just before a name that make it an organisation's (华为旗下的海思, 机构集邦咨询).
ORGANISATION_BEFORE = ("旗下的", "旗下", "子公司", "公司", "厂商", "企业", "品牌", "机构",
                       "供应商", "制造商", "运营商", "平台", "巨头", "芯片", "系统")
#: Words just after a name that make it an organisation's (泛林集团, 宝洁 CMO, 荣耀 Play).
ORGANISATION_AFTER = ("公司", "集团", "旗下", "品牌", "股份", "银行", "大学", "研究院",
                      "手机", "芯片", "系统", "商店", "平台", "系列", "CEO", "CMO", "CFO",
                      "CTO", "总裁", "董事长", "创始人", "首席", "设计的")
#: Words just before a Chinese name that make it a place's (在新德里, 总部位于); a place's name
#: just before it does too (瑞士达沃斯).
PLACE_BEFORE = ("在", "位于", "来自", "前往", "总部位于")
#: Endings of a place's name.
PLACE_ENDINGS = ("省", "州", "市", "县", "岛", "湾")
#: A name in a list of organisations: 洛克希德·马丁等美国军工企业, 雅诗兰黛、兰蔻等关键客户.
ORGANISATION_GROUP = re.compile(
    r"^(?:[、和与及][^，。、和与及等\s]{1,10})*等[^，。、]{0,8}?"
    r"(企业|公司|厂商|机构|巨头|银行|品牌|客户|平台|媒体|券商|投行|集团)")
#: The commonest Chinese surnames: a word of jieba's dictionary tagged as a person's name that
#: does not begin with one is as often a brand or a place the dictionary tags so (宝洁, 花旗,
#: 富士康, 爱尔兰 are nr there), and its tag counts less (:data:`WEAK_TAG_WEIGHT`).
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘"
    "祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟"
    "艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝傅")
#: The weight of a person's tag jieba's dictionary gives a word not shaped as a Chinese name.
WEAK_TAG_WEIGHT = 1
#: What joins the names of a list (高通、三星; 中金和花旗).
LIST_JOINS = "、和与及"
#: How much jieba's tag weighs: each tag it gives the name counts once, however many times it
#: gives it (it is the dictionary's one opinion, repeated).
TAG_WEIGHT = 2
#: How much a word around one occurrence of the name weighs.
CUE_WEIGHT = 2
#: How much the type of the name an English name glosses weighs (威廉·巴尔(William Barr)).
GLOSS_WEIGHT = 3
#: jieba's tags by the type they point to.
TAG_TYPES = {"nr": "person", "nrfg": "person", "nrt": "person", "nt": "company",
             "nz": "company", "ns": "place"}


@dataclass(frozen=True)
class Proposal:
    """A candidate with what the draft says about it."""

    text: str
    flag: str  #: jieba's tag, "frequent" or "capitalised"
    occurrences: int
    first: str  #: file:line
    #: the type weighed from the texts ('' to guess from the name alone)
    kind: str = ""
    #: why that type, in words
    evidence: str = ""
    #: the id of the entity this name is an alias of ('' for a new entity)
    alias_of: str = ""
    #: how the texts write the name (Simplified and Traditional spellings)
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Alias:
    """A candidate that names an entity the registry knows."""

    target: str  #: the entity's id
    kind: str  #: its type
    evidence: str


@lru_cache(maxsize=2)
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def guess_type(text: str, flag: str) -> str:
    """person, company or place: from jieba's tag, the name's ending, the shape of a name."""
    if text.endswith(ORGANISATION_ENDINGS) or flag == "nt":
        return "company"
    if flag in PERSON_FLAGS:
        return "person"
    if flag in PLACE_FLAGS:
        return "place"
    words = text.split()
    if not has_han(text) and 2 <= len(words) <= 3 and all(w[:1].isupper() and w[1:].islower()
                                                          for w in words):
        return "person"
    return "company"


@lru_cache(maxsize=1)
def _pypinyin() -> Any:
    """pypinyin, with the words of :data:`PHRASE_READINGS` read as the texts mean them."""
    import pypinyin

    pypinyin.load_phrases_dict({word: [[syllable] for syllable in readings]
                                for word, readings in PHRASE_READINGS.items()})
    return pypinyin


def syllables(text: str, person: bool = False) -> list[str]:
    """The pinyin syllables of ``text`` with tone marks (Latin runs kept as they are).

    pypinyin reads each word in its context; a person's polyphonic surname gets its surname
    reading.
    """
    pypinyin = _pypinyin()
    found = [item[0] for item in pypinyin.pinyin(text, style=pypinyin.Style.TONE)]
    if person and text[:1] in SURNAME_READINGS and found:
        found[0] = SURNAME_READINGS[text[0]]
    return found


def pinyin(text: str, person: bool = False, tones: bool = True) -> str:
    """The pinyin of ``text``, syllables separated by spaces (tone marks unless ``tones``)."""
    spelled = " ".join(syllables(text, person))
    if tones:
        return spelled
    decomposed = unicodedata.normalize("NFD", spelled)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed
                                                if not unicodedata.combining(c)))


def readings_to_check(text: str) -> str:
    """The characters of ``text`` pypinyin could read otherwise, with their readings.

    A word of pypinyin's phrase dictionary or of :data:`PHRASE_READINGS` is read in context
    and needs no check; elsewhere a polyphonic character is listed (长: zhǎng/cháng) for the
    reviewer to check against the text.
    """
    pypinyin = _pypinyin()
    if not has_han(text) or text in PHRASE_READINGS or text in _phrases():
        return ""
    readings = pypinyin.pinyin(text, style=pypinyin.Style.TONE, heteronym=True)
    return "; ".join(f"{char}: {'/'.join(options)}" for char, options in zip(text, readings,
                                                                           strict=False)
                     if has_han(char) and len(options) > 1)


@lru_cache(maxsize=1)
def _phrases() -> frozenset[str]:
    from pypinyin.constants import PHRASES_DICT

    return frozenset(PHRASES_DICT)


def traditional(simplified: str, forms: Sequence[str] = ()) -> str:
    """The Traditional form: the texts' own spelling when they write one, else OpenCC's.

    OpenCC's Taiwan standard (``s2tw``), as the edition's Traditional text writes (事業群 and
    群眾, where the ``s2t`` standard gives the variants 事業羣 and 羣衆).
    """
    converted = _converter("s2tw").convert(simplified)
    written = [form for form in forms if form != simplified]
    return written[0] if written else converted


def make_id(text: str, person: bool = False) -> str:
    """An id for the registry: ASCII lower case words joined by hyphens (pinyin for Chinese)."""
    if has_han(text):
        text = pinyin(text, person=person, tones=False)
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "unnamed"


def entry(proposal: Proposal) -> dict[str, Any]:
    """The draft line of one proposal, as a mapping."""
    text = proposal.text
    chinese = has_han(text)
    simplified = _converter("t2s").convert(text) if chinese else ""
    traditional_form = traditional(simplified, proposal.forms) if chinese else ""
    english = "" if chinese else text
    kind = proposal.kind or guess_type(text, proposal.flag)
    person = kind == "person"
    values: dict[str, Any] = {"review": PENDING}
    if proposal.alias_of:
        values["alias_of"] = proposal.alias_of
    values.update({
        "id": make_id(text, person),
        "type": kind,
        "label": english,
        "labels": {"en": english, "zh-Hans": simplified, "zh-Hant": traditional_form},
        "aliases": [],
        "description": "",
        "wikidata": "",
        "pinyin": pinyin(simplified, person) if chinese else "",
    })
    check = readings_to_check(simplified) if chinese else ""
    if check:
        values["check_pinyin"] = check
    values.update({"evidence": proposal.evidence, "occurrences": proposal.occurrences,
                   "first": proposal.first})
    return values


# --------------------------------------------------------------------------- type and alias


def _cues(before: str, after: str, chinese: bool = True) -> list[tuple[str, str]]:
    """The types the words around one occurrence point to, each with the words."""
    found: list[tuple[str, str]] = []
    near_before, near_after = before.rstrip(" （(「“"), after.lstrip(" ）)」”")
    for words, kind, where in ((PERSON_BEFORE, "person", "before"),
                               (ORGANISATION_BEFORE, "company", "before"),
                               (PLACE_BEFORE if chinese else (), "place", "before"),
                               (PERSON_AFTER, "person", "after"),
                               (ORGANISATION_AFTER, "company", "after")):
        text = near_before if where == "before" else near_after
        hit = next((w for w in words if (text.endswith(w) if where == "before"
                                         else text.startswith(w))), None)
        if hit:
            found.append((kind, f"{hit}…" if where == "after" else f"…{hit}"))
    grouped = ORGANISATION_GROUP.match(near_after)
    if grouped:
        found.append(("company", f"{grouped.group(0)}…"))
    if chinese:
        word, kind = _word_at(near_before, end=True)
        if kind == "place" and not any(k == "place" for k, _w in found):
            found.append(("place", f"…{word}"))
    return found


def _title_inside(text: str) -> list[tuple[str, str]]:
    """The type a title or kind of organisation inside ``text`` gives the name after it."""
    for words, kind in ((ORGANISATION_BEFORE, "company"), (PERSON_BEFORE, "person")):
        for word in words:
            at = text.rfind(word, 0, len(text) - 2)
            if at >= 0 and len(word) >= 2:
                return [(kind, f"…{word}{text[at + len(word):]}")]
    return []


def _word_at(text: str, end: bool) -> tuple[str, str]:
    """The longest word of jieba's dictionary at the end (or start) of ``text``, and its type.

    The type is the one its tag gives ('' for none).
    """
    _frequencies, tags = jieba_dictionary()
    for size in range(min(len(text), 6), 1, -1):
        word = text[-size:] if end else text[:size]
        kind = TAG_TYPES.get(tags.get(word, ""), "")
        if kind:
            return word, kind
    return "", ""


def _neighbours(before: str, after: str, registry: Registry,
                found: dict[str, str]) -> list[tuple[str, str]]:
    """Types of the known names an occurrence is listed with, or glosses.

    Listed: 与高通、三星 (三星 is a company); glossed: an English name in brackets after a
    Chinese one, 楷登电子(Cadence Design Systems).
    """
    kinds: list[tuple[str, str]] = []
    listed = [re.search(rf"([^，。{LIST_JOINS}\s]{{2,12}})[{LIST_JOINS}]\s*$", before),
              re.match(rf"^\s*[{LIST_JOINS}]([^，。{LIST_JOINS}\s]{{2,12}})", after)]
    for match in listed:
        if match is None:
            continue
        for _start, _end, target in find_names(match.group(1), registry):
            entity = registry.by_id.get(target)
            if entity is not None:
                kinds.append((entity.type, f"listed with {entity.label}"))
                break
        else:
            # a dictionary word listed beside it: its organisation or place tag (its person
            # tags are not to be trusted, see SURNAMES)
            word, kind = _word_at(match.group(1), end=match.re.pattern.endswith("$"))
            if kind in ("company", "place"):
                kinds.append((kind, f"listed with {word}"))
    gloss = re.search(r"([^，。、\s(（]{2,20})\s*[(（]\s*$", before)
    if gloss is not None:
        glossed = gloss.group(1)
        for _start, _end, target in find_names(glossed, registry):
            entity = registry.by_id.get(target)
            if entity is not None:
                kinds.append((entity.type, f"glosses {glossed}"))
                break
        else:
            other = next((name for name in found if glossed.endswith(name)), None)
            if other is not None:
                kinds.append((found[other], f"glosses {other}"))
            else:  # a title before the Chinese name it glosses (机构集邦咨询 (Trend Force))
                kinds.extend(_title_inside(glossed))
    return kinds


def classify(text: str, flag: str, tags: Counter[str],
             contexts: Sequence[tuple[str, str]], registry: Registry,
             found: dict[str, str] | None = None) -> tuple[str, str]:
    """The type of a candidate (person, company or place) and the evidence, in words.

    Each tag jieba gives the name counts :data:`TAG_WEIGHT` for its type (:data:`TAG_TYPES`);
    a word around an occurrence that marks a type counts :data:`CUE_WEIGHT`, a known name the
    occurrence is listed with or glosses :data:`GLOSS_WEIGHT` — ``found`` gives the types of
    the other candidates, for an English name glossing one; the name's own ending (公司, 省,
    Inc) and, with nothing else to go on, its shape decide the rest.
    """
    scores: Counter[str] = Counter()
    said: list[str] = []
    weak = _weak_person_tag(text)
    for tag in tags:
        if tag in TAG_TYPES:
            person = TAG_TYPES[tag] == "person"
            scores[TAG_TYPES[tag]] += WEAK_TAG_WEIGHT if person and weak else TAG_WEIGHT
    if tags:
        said.append("jieba " + ", ".join(f"{tag}×{count}" for tag, count in tags.most_common())
                    + (" (its dictionary's tag, for a word not shaped as a Chinese name)"
                       if weak and any(TAG_TYPES.get(tag) == "person" for tag in tags) else ""))
    cues: Counter[tuple[str, str]] = Counter()
    for before, after in contexts:
        for kind, words in _cues(before, after, has_han(text)):
            scores[kind] += CUE_WEIGHT
            cues[(kind, words)] += 1
        for kind, words in _neighbours(before, after, registry, found or {}):
            scores[kind] += GLOSS_WEIGHT
            cues[(kind, words)] += 1
    said.extend(f"'{words}' ({kind}{f' ×{count}' if count > 1 else ''})"
                for (kind, words), count in cues.most_common(3))
    named = _by_name(text)
    if named:
        # an organisation's or a place's ending is the name saying what it is
        return named[0], "; ".join([named[1], *said])
    if not scores and not has_han(text) and re.fullmatch(r"[A-Z0-9&]{2,6}", text):
        return "company", "an acronym"
    if not scores:
        guessed = guess_type(text, flag)
        return guessed, f"from the name alone ({_shape(flag)})"
    kind = max(sorted(scores), key=lambda k: scores[k])
    return kind, "; ".join(said)


def _weak_person_tag(text: str) -> bool:
    """Whether jieba's person tag on ``text`` is its dictionary's, on a word not shaped so.

    Shaped as a Chinese name: a surname and one or two characters; or a transliteration with
    its dot (威廉·巴尔).
    """
    frequencies, _tags = jieba_dictionary()
    if not frequencies.get(text) or any(dot in text for dot in NAME_INTERPUNCTS):
        return False
    return not (text[:1] in SURNAMES and 2 <= len(text) <= 3)


def _by_name(text: str) -> tuple[str, str] | None:
    """A type the name's own ending makes certain (商务部, 泛林集团, Lam Research, 哥伦比亚省)."""
    if text.endswith(ORGANISATION_ENDINGS):
        return "company", "the name ends as an organisation's"
    if has_han(text) and text.endswith(PLACE_ENDINGS) and len(text) >= 3:
        return "place", "the name ends as a place's"
    return None


def _shape(flag: str) -> str:
    return flag if flag not in ("capitalised", "frequent") else (
        "a word the texts repeat" if flag == "frequent" else "capitalised words")


#: The longest gloss in brackets read after a name (a name, not a sentence).
MAX_GLOSS = 30


def bracket_gloss(after: str) -> str | None:
    r"""What a text puts in brackets right after a name: ``(刘炽平)`` or ``（刘炽平）``.

    Read in Python: the pattern ``^\s*[(（]\s*([^)）]{1,30}?)\s*[)）]`` tried each run of
    spaces after an unclosed bracket again from every space (quadratic).
    """
    rest = after.lstrip()
    if not rest or rest[0] not in "(（":
        return None
    closes = [i for i in (rest.find(")", 1), rest.find("）", 1)) if i > 0]
    if not closes:
        return None
    inner = rest[1:min(closes)].strip()
    return inner if 1 <= len(inner) <= MAX_GLOSS else None


def known_alias(text: str, contexts: Sequence[tuple[str, str]],
                registry: Registry) -> Alias | None:
    """The entity a candidate names already: a word of one of its names, or glossed by one.

    "Martin" is a word of "Martin Lau", an alias of 刘炽平, and the text writes
    "Martin (刘炽平)"; 斯坦顿 is the end of 本·斯坦顿. One entity only: a word of several
    entities' names proposes none of them.
    """
    for _before, after in contexts:
        gloss = bracket_gloss(after)
        if gloss is None:
            continue
        for _start, _end, target in find_names(gloss, registry):
            entity = registry.by_id.get(target)
            if entity is not None:
                return Alias(entity.id, entity.type, f"the text glosses it: {text} "
                             f"({gloss}), a name of {entity.id}")
    owners: dict[str, tuple[Any, str]] = {}
    words = set(re.findall(r"[\w’'.-]+", text.lower())) if not has_han(text) else set()
    for name, entity in registry.names():
        if name == text:
            continue
        if words and words <= set(re.findall(r"[\w’'.-]+", name.lower())):
            owners.setdefault(entity.id, (entity, name))
        elif has_han(text) and len(text) >= 2 and text in name and has_han(name):
            owners.setdefault(entity.id, (entity, name))
    if len(owners) != 1:
        return None
    entity, name = next(iter(owners.values()))
    return Alias(entity.id, entity.type, f"a word of '{name}', a name of {entity.id}")


def _flow(value: Any) -> str:
    """A value as a one-line YAML flow node (strings double-quoted, as JSON writes them)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_flow(v)}" for key, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def write_draft(path: Path, proposals: Sequence[Proposal]) -> int:
    """Write the review file, most frequent names first; the number of lines written."""
    ordered = sorted(proposals, key=lambda p: (-p.occurrences, p.first))
    lines = [f"- {_flow(entry(p))}\n" for p in ordered]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return len(lines)


class DraftError(Exception):
    """A draft line or the registry after accepting it is not valid; one line."""


def _block(values: dict[str, Any]) -> str:
    """An entity in the registry's own block layout."""
    out = [f"- id: {values['id']}", f"  type: {values['type']}",
           f"  label: {_flow(values['label'])}", f"  labels: {_flow(values['labels'])}",
           f"  aliases: {_flow(values['aliases'])}",
           f"  description: {_flow(values['description'])}",
           f"  wikidata: {_flow(values['wikidata'])}"]
    return "\n".join(out) + "\n"


#: A section heading of the registry: ``# --- People: politicians``.
SECTION = re.compile(r"^# --- (?P<title>.*)$")
#: The section a new entry closes, by its type and whether its name is Chinese only: the last
#: section whose title holds the first of these words that one does.
ENTITY_SECTIONS: dict[tuple[str, bool], tuple[str, ...]] = {
    ("person", True): ("People: entrepreneurs", "People"),
    ("person", False): ("People: entrepreneurs", "People"),
    ("company", True): ("Companies: Chinese internet", "Companies"),
    ("company", False): ("Companies: American and other foreign", "Companies"),
}


def _section_end(lines: list[str], start: int, end: int, title: str) -> int | None:
    """Where an entry goes to close a section; None when there is none.

    That is after the last item of the last section (between lines ``start`` and ``end``)
    whose title holds ``title``.
    """
    heads = [i for i in range(start, end) if SECTION.match(lines[i])]
    chosen = [i for i in heads if title in lines[i]]
    if not chosen:
        return None
    head = chosen[-1]
    following = next((i for i in heads if i > head), end)
    last = head
    for index in range(head + 1, following):
        if lines[index].strip() and not lines[index].startswith("#"):
            last = index
    return last + 1


def _entities_end(lines: list[str], not_entities: int) -> int:
    """Right after the last entity: before the comment that heads ``not_entities``."""
    index = not_entities
    while index > 0 and (not lines[index - 1].strip() or lines[index - 1].startswith("#")):
        index -= 1
    return index


def _add_alias(lines: list[str], target: str, name: str, number: int, draft: Path) -> None:
    """Append ``name`` to the aliases of entity ``target`` (its one-line ``aliases:``)."""
    head = next((i for i, line in enumerate(lines) if line.rstrip() == f"- id: {target}"), None)
    if head is None:
        raise DraftError(f"{draft}:{number}: alias_of {target!r} is not an id of the registry")
    for index in range(head + 1, len(lines)):
        if lines[index].startswith("- ") or not lines[index].startswith("  "):
            break
        if lines[index].startswith("  aliases:"):
            aliases = yaml.safe_load(lines[index].split(":", 1)[1]) or []
            if name not in aliases:
                aliases.append(name)
            lines[index] = f"  aliases: {_flow(aliases)}"
            return
    raise DraftError(f"{draft}:{number}: entity {target!r} has no one-line aliases: to extend")


@dataclass
class _Decisions:
    """The decided lines of a draft, sorted by what they do to the registry."""

    #: (type, Chinese only) -> entity blocks
    blocks: dict[tuple[str, bool], list[str]] = field(default_factory=dict)
    aliases: list[tuple[str, str, int]] = field(default_factory=list)  #: (id, name, line)
    rejected: dict[str, list[str]] = field(default_factory=dict)  #: type -> names
    kept: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _decisions(draft: Path) -> _Decisions:
    """Read a reviewed draft (one error line for a line it cannot use)."""
    found = _Decisions()
    for number, line in enumerate(draft.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("- "):
            (found.header if not found.kept else found.kept).append(line)
            continue
        try:
            [values] = yaml.safe_load(line)
        except (yaml.YAMLError, ValueError, TypeError):
            raise DraftError(f"{draft}:{number}: not a draft line (one YAML mapping)") from None
        review = values.get("review") if isinstance(values, dict) else None
        labels = (values.get("labels") or {}) if isinstance(values, dict) else {}
        name = labels.get("zh-Hans") or values.get("label") or "" if review else ""
        if review == ACCEPT and values.get("alias_of"):
            found.aliases.append((str(values["alias_of"]), name, number))
        elif review == ACCEPT:
            missing = [key for key in FIELDS if key not in values]
            if missing:
                raise DraftError(f"{draft}:{number}: lacks {', '.join(missing)}")
            chinese = not values.get("label") and bool(labels.get("zh-Hans"))
            found.blocks.setdefault((str(values["type"]), chinese), []).append(_block(values))
        elif review == NOT_ENTITY:
            kind = "place" if values.get("type") == "place" else "other"
            found.rejected.setdefault(kind, []).append(f"- {_flow(name)}")
        elif review == PENDING:
            found.kept.append(line)
        else:
            raise DraftError(f"{draft}:{number}: review must be {PENDING}, {ACCEPT} or "
                             f"{NOT_ENTITY}, not {review!r}")
    return found


def accept(draft: Path, registry: Path) -> tuple[int, int, int]:
    """Apply the reviewed lines of ``draft`` to ``registry``; (accepted, rejected, pending).

    An accepted entity goes at the end of the last section of its type (people after the last
    person, companies after the last company), before the comment that heads ``not_entities``
    when the registry has no sections; an accepted alias into its entity's ``aliases``; a
    rejected name at the end of the ``not_entities`` section of its kind (places with places,
    the others last). The registry is validated with its own loader before it is written;
    pending lines stay in the draft, decided ones leave it.
    """
    found = _decisions(draft)
    text = registry.read_text(encoding="utf-8")
    lines = text.split("\n")
    head = next((i for i, line in enumerate(lines) if NOT_ENTITIES_LINE.match(line)), None)
    if head is None:
        raise DraftError(f"{registry}: no not_entities: list to append to")
    for target, name, number in found.aliases:
        _add_alias(lines, target, name, number, draft)
    inserts: list[tuple[int, list[str]]] = []
    for key, blocks in found.blocks.items():
        at = next((end for title in ENTITY_SECTIONS.get(key, ("Companies",))
                   if (end := _section_end(lines, 0, head, title)) is not None), None)
        body = [line for block in blocks for line in block.rstrip("\n").split("\n")]
        inserts.append((at if at is not None else _entities_end(lines, head), body))
    for kind, names in found.rejected.items():
        at = (_section_end(lines, head, len(lines), "places") if kind == "place" else None)
        if at is None:
            last = [i for i in range(head, len(lines)) if lines[i].strip()]
            at = (last[-1] + 1) if last else len(lines)
        inserts.append((at, names))
    for at, body in sorted(inserts, key=lambda item: -item[0]):
        lines[at:at] = body
    new = "\n".join(lines)
    registry.write_text(new, encoding="utf-8")
    try:
        load_registry(registry)
    except RegistryError as exc:
        registry.write_text(text, encoding="utf-8")
        raise DraftError(f"the registry would not load with these entries: {exc.messages[0]}"
                         ) from None
    draft.write_text("\n".join(found.header + found.kept) + "\n", encoding="utf-8")
    accepted = sum(len(blocks) for blocks in found.blocks.values()) + len(found.aliases)
    return accepted, sum(len(names) for names in found.rejected.values()), len(found.kept)
