"""Proposed registry entries for the candidates, in a review file the editor accepts line by line.

``python -m converters candidates --draft FILE`` writes one line per candidate: a YAML flow
mapping with every registry field filled as far as the text allows — Simplified and
Traditional forms (OpenCC), an id from the pinyin (pypinyin), a type guessed from jieba's tag
and the name's ending — plus the pinyin, how often the name occurs and where first, and
``review: pending``. The editor changes ``pending`` to ``accept`` (after correcting the values)
or to ``not_entity``, or deletes the line; ``--accept FILE`` then moves the accepted entries
into the registry, the rejected names under ``not_entities``, and leaves the pending lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..registry import RegistryError, load_registry
from ..script import has_han

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


@dataclass(frozen=True)
class Proposal:
    """A candidate with what the draft says about it."""

    text: str
    flag: str  #: jieba's tag, "frequent" or "capitalised"
    occurrences: int
    first: str  #: file:line


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


def pinyin(text: str) -> str:
    """The pinyin of the Chinese characters of ``text``, with tone marks."""
    from pypinyin import Style
    from pypinyin import pinyin as to_pinyin

    return " ".join(syllable[0] for syllable in to_pinyin(text, style=Style.TONE))


def make_id(text: str) -> str:
    """An id for the registry: ASCII lower case words joined by hyphens (pinyin for Chinese)."""
    if has_han(text):
        from pypinyin import lazy_pinyin

        text = " ".join(lazy_pinyin(text))
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())) or "unnamed"


def entry(proposal: Proposal) -> dict[str, Any]:
    """The draft line of one proposal, as a mapping."""
    text = proposal.text
    chinese = has_han(text)
    simplified = _converter("t2s").convert(text) if chinese else ""
    traditional = _converter("s2t").convert(simplified) if chinese else ""
    english = "" if chinese else text
    return {
        "review": PENDING,
        "id": make_id(text),
        "type": guess_type(text, proposal.flag),
        "label": english,
        "labels": {"en": english, "zh-Hans": simplified, "zh-Hant": traditional},
        "aliases": [],
        "description": "",
        "wikidata": "",
        "pinyin": pinyin(simplified) if chinese else "",
        "occurrences": proposal.occurrences,
        "first": proposal.first,
    }


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


def accept(draft: Path, registry: Path) -> tuple[int, int, int]:
    """Apply the reviewed lines of ``draft`` to ``registry``; (accepted, rejected, pending).

    The registry is validated with its own loader before it is written; pending lines stay in
    the draft, decided ones leave it.
    """
    header: list[str] = []
    kept: list[str] = []
    blocks: list[str] = []
    rejected: list[str] = []
    for number, line in enumerate(draft.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("- "):
            (header if not kept else kept).append(line)
            continue
        try:
            [values] = yaml.safe_load(line)
        except (yaml.YAMLError, ValueError, TypeError):
            raise DraftError(f"{draft}:{number}: not a draft line (one YAML mapping)") from None
        review = values.get("review") if isinstance(values, dict) else None
        if review == ACCEPT:
            missing = [key for key in FIELDS if key not in values]
            if missing:
                raise DraftError(f"{draft}:{number}: lacks {', '.join(missing)}")
            blocks.append(_block(values))
        elif review == NOT_ENTITY:
            labels = values.get("labels") or {}
            name = labels.get("zh-Hans") or values.get("label") or ""
            rejected.append(f"- {_flow(name)}\n")
        elif review == PENDING:
            kept.append(line)
        else:
            raise DraftError(f"{draft}:{number}: review must be {PENDING}, {ACCEPT} or "
                             f"{NOT_ENTITY}, not {review!r}")
    text = registry.read_text(encoding="utf-8")
    match = NOT_ENTITIES_LINE.search(text)
    if match is None:
        raise DraftError(f"{registry}: no not_entities: list to append to")
    new = text[:match.start()] + "".join(blocks) + ("\n" if blocks else "") + text[match.start():]
    if rejected:
        new = new.rstrip("\n") + "\n" + "".join(rejected)
    backup = text
    registry.write_text(new, encoding="utf-8")
    try:
        load_registry(registry)
    except RegistryError as exc:
        registry.write_text(backup, encoding="utf-8")
        raise DraftError(f"the registry would not load with these entries: {exc.messages[0]}"
                         ) from None
    draft.write_text("\n".join(header + kept) + "\n", encoding="utf-8")
    return len(blocks), len(rejected), len(kept)
