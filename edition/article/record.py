"""The article record: an article's front matter once it is checked, typed (:class:`ArticleMeta`).

The record is built once per document, when :mod:`edition.article.frontmatter` has checked the
front matter (``source-read``), and kept in the ``article`` domain; every component reads an
article's metadata from it, never from the front matter's mapping. Its fields are those of the
one schema, :data:`converters.model.FRONT_MATTER_FIELDS` (a field's front-matter key is its
attribute), each of the type its ``kind`` declares: a string, or a tuple of strings.

What only the record decides, once:

- which values the editors supplied rather than the source (the ``editorial`` entries, each
  with its reason and role: :class:`Supplied`), and how the edition shows such a value: in
  square brackets (:meth:`ArticleMeta.bracketed`);
- in which role the names of ``authors`` are credited: the text's authors, or — with the role
  ``original-author`` — the authors of the work the text translates or adapts
  (:attr:`ArticleMeta.text_authors`, :attr:`ArticleMeta.original_authors`);
- the source's own dek (a subtitle the editors supplied is not one), the main language, the
  distributor whose post dates the text.

Pure Python, no Sphinx: a frozen dataclass of strings and tuples, pickled with the build
environment as domain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from converters.common.values import as_list
from converters.model import FRONT_MATTER_FIELDS, LIST_OF_MAPPINGS, LIST_OF_STR

#: The role of the editors' ``authors`` whose names wrote the work the text translates or
#: adapts, not its words (the editorial data's ``role``: ``converters.common.editorial_data``).
ORIGINAL_AUTHOR = "original-author"
#: The front-matter key (outside the schema: a reader's extra field) naming the site that
#: distributed the source (the Caixin reader's Nei.st).
DISTRIBUTOR = "distributor"
#: The type of each front-matter field, by key (the schema's one declaration).
KINDS: dict[str, str] = {field.key: field.spec.kind for field in FRONT_MATTER_FIELDS}


def bracketed(text: str) -> str:
    """A value the editors supplied as the edition shows it: in square brackets (``""`` stays)."""
    return f"[{text}]" if text else text


def _text(value: Any) -> str:
    """A single front-matter value as a string, white space around it stripped."""
    return "" if value is None else str(value).strip()


def _texts(value: Any) -> tuple[str, ...]:
    """A front-matter value as its non-empty items (a single value is one item)."""
    return tuple(item.strip() for item in as_list(value))


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a list-of-mappings field (anything else in it left out)."""
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Supplied:
    """A front-matter value the editors supplied, not the source: an entry of ``editorial``."""

    #: The front-matter field the value is for.
    field: str
    #: The value, item by item (a single value is one item).
    value: tuple[str, ...]
    #: Why the editors supply it, its white space made single spaces (``""``: none given).
    reason: str
    #: What the value is, when not what the field plainly says (:data:`ORIGINAL_AUTHOR`), else
    #: ``""``.
    role: str = ""

    @property
    def text(self) -> str:
        """The value in words: its items joined by commas."""
        return ", ".join(self.value)

    def data(self) -> dict[str, Any]:
        """The entry as data files give it: the value a list for a list field; a role if any."""
        value: object = list(self.value) if KINDS.get(self.field) == LIST_OF_STR else self.text
        entry: dict[str, Any] = {"field": self.field, "value": value, "reason": self.reason}
        if self.role:
            entry["role"] = self.role
        return entry

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Supplied | None:
        """The entry of the front matter's ``editorial`` list (``None`` without a field)."""
        field = _text(entry.get("field"))
        if not field:
            return None
        return cls(field, _texts(entry.get("value")), " ".join(_text(entry.get("reason")).split()),
                   _text(entry.get("role")))


@dataclass(frozen=True)
class Removal:
    """Source material the editors removed on purpose: an entry of ``removed``."""

    #: What it was (``ad``, ``paywall``, …: :data:`edition.article.text.REMOVAL_NAMES`).
    kind: str
    #: Why it is not part of the text, its white space made single spaces.
    reason: str
    #: How many characters were removed (0 when not said).
    chars: int = 0

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Removal:
        """The entry of the front matter's ``removed`` list."""
        chars = entry.get("chars")
        count = chars if isinstance(chars, int) and not isinstance(chars, bool) else (
            int(chars) if isinstance(chars, str) and chars.strip().isdigit() else 0)
        return cls(_text(entry.get("kind")), " ".join(_text(entry.get("reason")).split()), count)


@dataclass(frozen=True)
class ArticleMeta:
    """An article's checked front matter: one field per schema field, plus what follows from it.

    Built by :meth:`from_front_matter`; read by every component through
    :func:`edition.article.frontmatter.get_article_meta`.
    """

    #: The Sphinx document of the article (``articles/<slug>``; ``""`` outside a build).
    docname: str = ""
    title: str = ""
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    date_precision: str = ""
    language: tuple[str, ...] = ()
    publisher: str = ""
    source_url: str = ""
    original_url: str = ""
    translator: str = ""
    column: str = ""
    image_credits: tuple[str, ...] = ()
    retrieved: str = ""
    seed: str = ""
    seed_sha256: str = ""
    #: The article's slug as the front matter gives it (``""`` when absent: see :attr:`slug`).
    label: str = ""
    #: The values the editors supplied, in the front matter's order.
    editorial: tuple[Supplied, ...] = ()
    #: What the editors removed from the source, in the front matter's order.
    removed: tuple[Removal, ...] = ()
    #: Fields outside the schema that a reader states (``distributor``), as text, in order.
    extra: tuple[tuple[str, str], ...] = ()
    #: The keys the front matter gives (after checking), whatever their values.
    keys: frozenset[str] = frozenset()

    @classmethod
    def from_front_matter(cls, front: Mapping[str, Any], docname: str = "") -> ArticleMeta:
        """The record of a front matter checked by ``clean_front_matter`` (or any mapping)."""
        values: dict[str, Any] = {}
        for field in FRONT_MATTER_FIELDS:
            raw = front.get(field.key)
            if field.key == "editorial":
                found = (Supplied.from_entry(entry) for entry in _mappings(raw))
                values[field.key] = tuple(entry for entry in found if entry is not None)
            elif field.key == "removed":
                values[field.key] = tuple(Removal.from_entry(entry) for entry in _mappings(raw))
            elif field.spec.kind == LIST_OF_STR:
                values[field.key] = _texts(raw)
            elif field.spec.kind != LIST_OF_MAPPINGS:
                values[field.key] = _text(raw)
        extra = tuple((str(key), _text(value)) for key, value in front.items()
                      if str(key) not in KINDS and not isinstance(value, (list, dict)))
        return cls(docname=docname, extra=extra, keys=frozenset(map(str, front)), **values)

    # -- the fields

    def values(self, key: str) -> tuple[str, ...]:
        """A schema field's value as items, by its front-matter key (``()`` when empty)."""
        if KINDS.get(key) not in (None, LIST_OF_MAPPINGS):
            value = getattr(self, key)
            return value if isinstance(value, tuple) else ((value,) if value else ())
        return ()

    def data(self, key: str) -> str | list[str]:
        """A schema field as the data files give it: a list for a list field, else a string."""
        value = getattr(self, key) if KINDS.get(key) not in (None, LIST_OF_MAPPINGS) else ""
        return list(value) if isinstance(value, tuple) else str(value)

    @property
    def slug(self) -> str:
        """The article's slug: its ``label``, else its document's name."""
        return self.label or self.docname.rsplit("/", 1)[-1]

    @property
    def main_language(self) -> str:
        """The article's main language (the first listed), or ``""``."""
        return self.language[0] if self.language else ""

    @property
    def is_parallel(self) -> bool:
        """Whether the article is a parallel text (more than one language)."""
        return len(self.language) > 1

    def extra_text(self, key: str) -> str:
        """A field outside the schema, as text (``""`` when absent)."""
        return next((value for name, value in self.extra if name == key), "")

    # -- what the editors supplied

    @property
    def supplied_fields(self) -> frozenset[str]:
        """The front-matter fields whose values the editors supplied."""
        return frozenset(entry.field for entry in self.editorial)

    def supplied(self, field: str) -> Supplied | None:
        """The editors' entry for ``field`` (the last when given twice), or ``None``."""
        return next((e for e in reversed(self.editorial) if e.field == field), None)

    def is_supplied(self, field: str) -> bool:
        """Whether the editors, not the source, supplied ``field``."""
        return any(entry.field == field for entry in self.editorial)

    def bracketed(self, field: str, text: str) -> str:
        """``text`` as shown for ``field``: in square brackets when the editors supplied it."""
        return bracketed(text) if self.is_supplied(field) else text

    def reasons(self) -> dict[str, str]:
        """Each field the editors supplied -> their reason (the last when given twice)."""
        return {entry.field: entry.reason for entry in self.editorial}

    @property
    def dek(self) -> str:
        """The source's own dek (its subtitle); ``""`` when the editors supplied the subtitle."""
        return "" if self.is_supplied("subtitle") else self.subtitle

    # -- credits

    @property
    def supplied_authors(self) -> tuple[str, ...]:
        """The names of ``authors`` the editors supplied (all their entries, in order)."""
        names = [name for e in self.editorial if e.field == "authors" for name in e.value]
        return tuple(dict.fromkeys(names))

    @property
    def original_author_role(self) -> bool:
        """Whether the editors credit the authors as those of the work the text adapts."""
        entry = self.supplied("authors")
        return entry is not None and entry.role == ORIGINAL_AUTHOR

    @property
    def credited_authors(self) -> tuple[str, ...]:
        """The names credited, in whichever role: the stated authors, else the editors'."""
        return self.authors or self.supplied_authors

    @property
    def text_authors(self) -> tuple[str, ...]:
        """The authors of the text's words (``()`` when the names are an original's)."""
        return () if self.original_author_role else self.credited_authors

    @property
    def original_authors(self) -> tuple[str, ...]:
        """The authors of the work the text translates or adapts, as the editors name them."""
        return self.credited_authors if self.original_author_role else ()

    @property
    def editorial_authors(self) -> frozenset[str]:
        """Those of the credited names that the editors supplied rather than the source."""
        return frozenset(self.supplied_authors) & frozenset(self.credited_authors)

    # -- dates

    @property
    def distributor(self) -> str:
        """The site that distributed the source (``""`` when the source is the publisher's)."""
        return self.extra_text(DISTRIBUTOR)

    @property
    def posted_by(self) -> str:
        """The distributor whose post dates the article (``""`` when the date is the source's).

        A distributed text's date is the one its distributor's page gives (the Caixin reader
        takes it from the post's front matter); a date the editors supplied is theirs.
        """
        if self.distributor and self.date and not self.is_supplied("date"):
            return self.distributor
        return ""

