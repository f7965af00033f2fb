"""The editorial data file (``docs/_data/editorial.yaml``): its schema, read and checked.

:mod:`converters.editorial` applies it to converted articles; the extension checks it when a
build starts, so an editor's mistake is reported at its line either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..model import (
    ConversionError,
    Editorial,
    Metadata,
)
from .dates import DATE_FORMS, parse_iso_date
from .validate import language_problem, url_problem
from .yamlsafe import YamlRefused, load_yaml, read_yaml_text

#: Allowed keys at each level of the data file.
TOP_KEYS: frozenset[str] = frozenset({"seeds"})
SEED_KEYS: frozenset[str] = frozenset({"articles"})
ARTICLE_KEYS: frozenset[str] = frozenset({"slug", "ranges", "note", "metadata", "gloss"})
RANGE_KEYS: frozenset[str] = frozenset({"first", "last", "moved"})
VALUE_KEYS: frozenset[str] = frozenset({"value", "reason"})
#: The roles an editorial value of a field may be given (``role:`` beside its value and
#: reason), in CSL's words: the names of ``authors`` with the role ``original-author`` wrote
#: the work this text translates or adapts, not its words (an adaptation's adapter unnamed).
ROLES: dict[str, frozenset[str]] = {"authors": frozenset({"original-author"})}

#: Metadata the editors may supply: every field of :class:`Metadata` except the ones that
#: record the file itself (name, checksum) and the reader's free-form extras.
NOT_EDITORIAL: frozenset[str] = frozenset({"seed", "seed_sha256", "extra"})
_EMPTY = Metadata()
LIST_FIELDS: frozenset[str] = frozenset(
    f.name
    for f in fields(Metadata)
    if f.name not in NOT_EDITORIAL and isinstance(getattr(_EMPTY, f.name), list)
)
TEXT_FIELDS: frozenset[str] = frozenset(
    f.name
    for f in fields(Metadata)
    if f.name not in NOT_EDITORIAL and isinstance(getattr(_EMPTY, f.name), str)
)

#: Metadata fields holding a URL (written as links: http and https only) and language tags
#: (written into ``<html lang>`` and LaTeX: the allow-list only).
URL_FIELDS: frozenset[str] = frozenset({"source_url", "original_url"})
LANGUAGE_FIELDS: frozenset[str] = frozenset({"language"})

#: Slugs become file names and labels: ascii lowercase words joined by hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

#: The precisions a date may have (an editorial date is ISO 8601, as precise as known).
PRECISIONS: frozenset[str] = frozenset(DATE_FORMS)

#: The note marking where a moved passage now begins.
MOVED_MARK = (
    "What follows stands elsewhere in the source; the editors moved it here (see the "
    "editorial notes at the top of the article)."
)

#: How many characters of a line a note quotes when it names where a range begins or ends.
QUOTE_LENGTH = 60


class EditorialError(ConversionError):
    """Unusable editorial data, or data that does not fit the text: ``FILE: reason`` on one line."""

    def __init__(self, path: str, reason: str) -> None:
        """The error of ``path``, for ``reason``."""
        super().__init__(f"{path}: {reason}")
        self.path = path  #: the editorial data file
        self.reason = reason


@dataclass(frozen=True)
class LineRange:
    """Consecutive lines of a seed, named by the beginning of its first and of its last line."""

    first: str
    last: str
    moved: str = ""  #: why the range is taken out of its place in the seed (empty: it is not)


@dataclass
class ArticlePlan:
    """What the editors decide about one article coming out of a seed."""

    slug: str = ""
    ranges: list[LineRange] = field(default_factory=list)
    metadata: list[Editorial] = field(default_factory=list)
    note: str = ""
    #: The editors' translation of the title for the article's card, and why (optional).
    gloss: tuple[str, str] = ("", "")


@dataclass
class EditorialData:
    """The editorial data file, checked: article plans keyed by seed file name."""

    path: str
    seeds: dict[str, list[ArticlePlan]] = field(default_factory=dict)

    def error(self, seed: str, reason: str) -> EditorialError:
        """An error about this data as applied to one seed."""
        return EditorialError(self.path, f"{seed}: {reason}")


# --------------------------------------------------------------------------- loading


def load(path: Path | str) -> EditorialData:
    """Read and check the editorial data file; raise :class:`EditorialError` on any problem."""
    name = str(path)
    try:
        text = read_yaml_text(path)
    except YamlRefused as exc:
        where = f"line {exc.line}: " if exc.line > 1 else ""
        raise EditorialError(name, f"{where}{exc.reason}") from None
    return parse(text, name)


def parse(text: str, path: str = "<editorial data>") -> EditorialData:
    """Check editorial data given as YAML text (``path`` names it in errors)."""
    try:
        raw = load_yaml(text, path=path)
    except YamlRefused as exc:
        raise EditorialError(path, f"line {exc.line}: {exc.reason}") from None
    checker = _Checker(path)
    data = EditorialData(path=path)
    if raw is None:
        return data
    top = checker.mapping(raw, [], TOP_KEYS)
    seeds = checker.mapping(top.get("seeds", {}), ["seeds"], None)
    slugs: dict[str, str] = {}
    for seed, entry in seeds.items():
        place = ["seeds", str(seed)]
        body = checker.mapping(entry, place, SEED_KEYS, required=SEED_KEYS)
        plans = [
            checker.plan(item, [*place, f"articles[{n}]"])
            for n, item in enumerate(checker.sequence(body["articles"], [*place, "articles"]), 1)
        ]
        if not plans:
            raise checker.fail([*place, "articles"], "lists no article")
        _check_plans(checker, place, plans, slugs, str(seed))
        data.seeds[str(seed)] = plans
    return data


def _check_plans(
    checker: _Checker, where: list[str], plans: list[ArticlePlan], slugs: dict[str, str], seed: str
) -> None:
    """Rules across the articles of one seed: ranges for all or none, slugs unique everywhere."""
    with_ranges = sum(1 for plan in plans if plan.ranges)
    if with_ranges not in (0, len(plans)):
        raise checker.fail(where, "either every article gives its ranges (a split) or none does")
    if len(plans) > 1 and not with_ranges:
        raise checker.fail(where, "several articles from one seed need 'ranges' to divide it")
    for n, plan in enumerate(plans, 1):
        if not plan.slug:
            if with_ranges:
                raise checker.fail([*where, f"articles[{n}]"], "an article of a split needs a slug")
            continue
        if plan.slug in slugs:
            raise checker.fail(
                [*where, f"articles[{n}]", "slug"],
                f"{plan.slug!r} is already the slug of an article of {slugs[plan.slug]}",
            )
        slugs[plan.slug] = seed


class _Checker:
    """Schema checks that name the offending place: ``FILE: seeds / X / articles[2] / slug: …``."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: list[str], reason: str) -> EditorialError:
        """An error at a place in the data."""
        place = " / ".join(where)
        return EditorialError(self.path, f"{place}: {reason}" if place else reason)

    def mapping(
        self,
        value: object,
        where: list[str],
        allowed: frozenset[str] | None,
        required: frozenset[str] = frozenset(),
    ) -> dict[str, Any]:
        """A mapping with only ``allowed`` keys (any, if None) and all ``required`` ones."""
        if not isinstance(value, dict):
            raise self.fail(where, f"must be a mapping, not {_kind(value)}")
        for key in value:
            if not isinstance(key, str):
                raise self.fail(where, f"key {key!r} must be text")
            if allowed is not None and key not in allowed:
                raise self.fail(
                    where, f"unknown key {key!r} (expected one of: {', '.join(sorted(allowed))})"
                )
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(where, f"missing key {missing[0]!r}")
        return value

    def sequence(self, value: object, where: list[str]) -> list[Any]:
        """A list."""
        if not isinstance(value, list):
            raise self.fail(where, f"must be a list, not {_kind(value)}")
        return value

    def text(self, value: object, where: list[str]) -> str:
        """Non-empty text on one line or several (stripped)."""
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"must be non-empty text, not {_kind(value)}")
        return value.strip()

    def plan(self, value: object, where: list[str]) -> ArticlePlan:
        """One article entry."""
        entry = self.mapping(value, where, ARTICLE_KEYS)
        plan = ArticlePlan()
        if "slug" in entry:
            plan.slug = self.text(entry["slug"], [*where, "slug"])
            if not SLUG_PATTERN.match(plan.slug):
                raise self.fail(
                    [*where, "slug"],
                    f"{plan.slug!r} must be ascii lowercase words joined by hyphens",
                )
        if "note" in entry:
            plan.note = self.text(entry["note"], [*where, "note"])
        if "gloss" in entry:
            gloss = self.mapping(entry["gloss"], [*where, "gloss"], VALUE_KEYS,
                                 required=VALUE_KEYS)
            plan.gloss = (self.text(gloss["value"], [*where, "gloss", "value"]),
                          self.text(gloss["reason"], [*where, "gloss", "reason"]))
        for n, item in enumerate(self.sequence(entry.get("ranges", []), [*where, "ranges"]), 1):
            spot = [*where, f"ranges[{n}]"]
            span = self.mapping(item, spot, RANGE_KEYS, required=frozenset({"first", "last"}))
            plan.ranges.append(
                LineRange(
                    first=self.text(span["first"], [*spot, "first"]),
                    last=self.text(span["last"], [*spot, "last"]),
                    moved=self.text(span["moved"], [*spot, "moved"]) if "moved" in span else "",
                )
            )
        metadata = self.mapping(entry.get("metadata", {}), [*where, "metadata"], None)
        for name, given in metadata.items():
            plan.metadata.append(self.value(name, given, [*where, "metadata", name]))
        _complete_precision(plan)
        return plan

    def value(self, name: str, given: object, where: list[str]) -> Editorial:
        """One editorial metadata value with its reason, of the type its field takes."""
        if name not in LIST_FIELDS | TEXT_FIELDS:
            known = ", ".join(sorted(LIST_FIELDS | TEXT_FIELDS))
            raise self.fail(where, f"not a metadata field the editors may set (one of: {known})")
        entry = self.mapping(given, where, VALUE_KEYS | {"role"}, required=VALUE_KEYS)
        reason = self.text(entry["reason"], [*where, "reason"])
        value = entry["value"]
        role = self.text(entry["role"], [*where, "role"]) if "role" in entry else ""
        if role and role not in ROLES.get(name, frozenset()):
            allowed = ", ".join(sorted(ROLES.get(name, frozenset()))) or "none"
            raise self.fail([*where, "role"],
                            f"{role!r} is not a role of {name} (roles: {allowed})")
        if name in LIST_FIELDS:
            items = self.sequence(value, [*where, "value"])
            if not items or not all(isinstance(i, str) and i.strip() for i in items):
                raise self.fail([*where, "value"], "must be a non-empty list of non-empty texts")
            if name in LANGUAGE_FIELDS:
                for item in items:
                    if language_problem(item.strip()):
                        raise self.fail([*where, "value"], language_problem(item.strip()))
            return Editorial(name, [i.strip() for i in items], reason, role)
        if isinstance(value, int) and name == "date":
            value = str(value)  # YAML reads an unquoted year as a number
        text = self.text(value, [*where, "value"])
        if name == "date" and parse_iso_date(text) is None:
            raise self.fail([*where, "value"], f"{text!r} is not an ISO 8601 date (YYYY[-MM[-DD]])")
        if name in URL_FIELDS and url_problem(text):
            raise self.fail([*where, "value"], f"{text[:60]!r}: {url_problem(text)}")
        if name == "date_precision" and text not in PRECISIONS:
            raise self.fail([*where, "value"], f"must be one of: {', '.join(sorted(PRECISIONS))}")
        return Editorial(name, text, reason)


def _complete_precision(plan: ArticlePlan) -> None:
    """An editorial date brings its precision (from its length) unless the editors state it."""
    given = {e.field: e for e in plan.metadata}
    date = given.get("date")
    if date is not None and "date_precision" not in given:
        precision = parse_iso_date(str(date.value)) or ""
        plan.metadata.append(
            Editorial(
                "date_precision",
                precision,
                f"Follows from the editorial date {date.value!r}, given to the {precision} only.",
            )
        )


def _kind(value: object) -> str:
    """How a YAML value reads to an editor."""
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), f"a {type(value).__name__}"
    )


# --------------------------------------------------------------------------- applying
