"""The article record (edition/article/record.py): one typed reading of the front matter.

The record is built once per article when its front matter is checked; what the editors
supplied, how a supplied value is bracketed and in which role names are credited are its
methods. Here: no other module of the extension reads the front matter's mapping again, and the
record's methods say of the edition's real articles what their front matter says.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from pathlib import Path

import pytest
import yaml

from converters.common.editorial_data import ROLES
from converters.model import FRONT_MATTER_FIELDS, LIST_OF_STR, STR
from edition.article.frontmatter import clean_front_matter, parse_front_matter
from edition.article.record import ORIGINAL_AUTHOR, ArticleMeta, Removal, Supplied

REPO = Path(__file__).resolve().parents[1]
ARTICLES = REPO / "docs" / "articles"
#: The one module that reads the front matter's ``editorial`` and ``removed`` entries.
RECORD = "edition/article/record.py"

#: Ways the extension once re-derived the record from the front matter's mapping: the editors'
#: entries and their roles read by key, a field read out of the mapping, a list coerced again.
REDERIVATIONS: dict[str, re.Pattern[str]] = {
    "the editors' entries read by key": re.compile(
        r"""\.get\(\s*["'](?:editorial|removed|role)["']"""
        r"""|\b(?:meta|front|front_matter|entry|e)\[\s*["'](?:editorial|removed|role)["']"""),
    "a role compared outside the record": re.compile(r"\bORIGINAL_AUTHOR\b"),
    "a front-matter field read out of the mapping": re.compile(
        r"\b(?:meta|front|front_matter)\.get\("),
    "a front-matter list coerced again": re.compile(r"as_list\(\s*(?:meta|front)"),
}


def extension_modules() -> list[Path]:
    """Every module of the extension but the record's own."""
    return sorted(path for path in (REPO / "edition").rglob("*.py")
                  if path.relative_to(REPO).as_posix() != RECORD)


@pytest.mark.parametrize("what", REDERIVATIONS)
def test_no_module_outside_the_record_reads_the_editorial_entries(what: str) -> None:
    """The supplied fields, their brackets and roles are the record's: nobody derives them again."""
    pattern = REDERIVATIONS[what]
    found = [f"{path.relative_to(REPO).as_posix()}:{text[:match.start()].count(chr(10)) + 1}"
             for path in extension_modules()
             for text in [path.read_text(encoding="utf-8")]
             for match in pattern.finditer(text)]
    assert not found, f"{what}: {found}"


def test_the_patterns_find_the_old_copies() -> None:
    """Each pattern finds the kind of line it was written against (it is not vacuous)."""
    old = {
        "the editors' entries read by key":
            'supplied = {str(e.get("field")) for e in meta.get("editorial") or []}',
        "a role compared outside the record":
            'if str(entry.get("role") or "") == ORIGINAL_AUTHOR:',
        "a front-matter field read out of the mapping": 'date = str(meta.get("date") or "")',
        "a front-matter list coerced again": 'languages = as_list(meta.get("language"))',
    }
    assert old.keys() == REDERIVATIONS.keys()
    for what, line in old.items():
        assert REDERIVATIONS[what].search(line), what
    assert REDERIVATIONS["the editors' entries read by key"].search('front["editorial"]')


# --------------------------------------------------------------------------- the real articles


def front_matter(slug: str) -> dict[str, object]:
    """An article's front matter as YAML reads it (the raw mapping, for comparison)."""
    text = (ARTICLES / f"{slug}.md").read_text(encoding="utf-8")
    data = yaml.safe_load(text.split("---\n")[1])
    assert isinstance(data, dict)
    return data


def record(slug: str) -> ArticleMeta:
    """The record the edition keeps of an article, read as the build reads it."""
    path = ARTICLES / f"{slug}.md"
    if not path.exists():
        pytest.skip(f"{slug} is not converted in this checkout")
    text = path.read_text(encoding="utf-8")
    meta = parse_front_matter(text)
    assert meta is not None
    return ArticleMeta.from_front_matter(clean_front_matter(meta, text)[0], f"articles/{slug}")


def slugs() -> list[str]:
    """The edition's articles."""
    return sorted(path.stem for path in ARTICLES.glob("*.md"))


def test_the_record_has_every_schema_field_in_its_kind() -> None:
    """One attribute per front-matter key, a string or a tuple of strings as the schema says."""
    attributes = {field.name: field for field in dataclasses.fields(ArticleMeta)}
    meta = record("silicon-valley-china-envy")
    for field in FRONT_MATTER_FIELDS:
        assert field.key in attributes, field.key
        value = getattr(meta, field.key)
        if field.spec.kind == STR:
            assert isinstance(value, str), field.key
        elif field.spec.kind == LIST_OF_STR:
            assert isinstance(value, tuple) and all(isinstance(v, str) for v in value), field.key
    assert ORIGINAL_AUTHOR in ROLES["authors"]


@pytest.mark.parametrize("slug", slugs())
def test_the_record_keeps_what_the_front_matter_says(slug: str) -> None:
    """Fields, editorial entries (value, reason, role) and removals, as the page writes them."""
    meta, front = record(slug), front_matter(slug)
    assert meta.docname == f"articles/{slug}" and meta.slug == front["label"] == slug
    for field in FRONT_MATTER_FIELDS:
        if field.spec.kind in (STR, LIST_OF_STR):
            assert meta.data(field.key) == front[field.key], field.key
    entries = front["editorial"]
    assert isinstance(entries, list)
    assert [entry.data() for entry in meta.editorial] == [
        {**e, "reason": " ".join(e["reason"].split())} for e in entries]
    assert meta.supplied_fields == {e["field"] for e in entries}
    assert meta.removed == tuple(Removal(r["kind"], r["reason"], r["chars"])
                                 for r in front["removed"])  # type: ignore[union-attr]
    # a frozen record of plain values: it goes into the environment's pickle and back unchanged
    assert pickle.loads(pickle.dumps(meta)) == meta
    with pytest.raises(dataclasses.FrozenInstanceError):
        meta.title = "changed"  # type: ignore[misc]


def test_an_adaptation_credits_its_original_author() -> None:
    """The OpenAI essay: the editors name Sam Altman the original's author, not the text's."""
    meta = record("openai-ceo-work-efficiency")
    assert meta.supplied_fields == {"title", "authors"}
    entry = meta.supplied("authors")
    assert entry is not None and entry.role == ORIGINAL_AUTHOR
    assert "adaptation made through Chinese" in entry.reason
    assert meta.original_author_role
    assert meta.text_authors == () and meta.original_authors == ("Sam Altman",)
    assert meta.editorial_authors == {"Sam Altman"}
    assert meta.bracketed("authors", "Sam Altman") == "[Sam Altman]"
    # the source states neither date nor publisher: nothing to bracket
    assert meta.bracketed("date", meta.date) == "" and meta.bracketed("publisher", "") == ""


def test_an_inferred_author_is_the_texts_and_bracketed() -> None:
    """The China envy column: Li Yuan is its author, supplied by the editors."""
    meta = record("silicon-valley-china-envy")
    assert meta.supplied_fields == {"title", "subtitle", "authors", "column", "publisher",
                                    "date", "date_precision"}
    assert not meta.original_author_role
    assert meta.text_authors == ("Li Yuan",) and meta.original_authors == ()
    assert meta.editorial_authors == {"Li Yuan"}
    assert meta.bracketed("publisher", meta.publisher) == "[The New York Times]"
    assert meta.bracketed("date", meta.date) == "[2025]"
    # a field the source states stays plain
    assert meta.bracketed("translator", "someone") == "someone"
    # the editors' subtitle is the title's translation, not the source's dek
    assert meta.subtitle == "矽谷陷入了對中國的羨慕" and meta.dek == ""
    assert meta.is_parallel and meta.main_language == "en"
    assert meta.reasons()["date"].startswith("Editorial inference; the source gives no date.")
    assert [r.kind for r in meta.removed] == ["ad"] * 5


def test_a_stated_text_has_nothing_supplied() -> None:
    """The red note article: every value is the source's; none is bracketed."""
    meta = record("tiktok-red-note-china-internet")
    assert meta.editorial == () and meta.supplied_fields == frozenset()
    assert meta.supplied("authors") is None and not meta.is_supplied("date")
    assert meta.bracketed("authors", "袁莉") == "袁莉"
    assert meta.text_authors == ("袁莉",) and meta.editorial_authors == frozenset()
    assert meta.translator == "纽约时报中文网" and meta.main_language == "zh-Hans"
    assert meta.distributor == "" and meta.posted_by == ""


def test_a_distributed_text_is_dated_by_its_post() -> None:
    """TikTok Run: Nei.st's copy; its date is the post's, its dek the source's."""
    meta = record("tiktok-run")
    assert meta.distributor == "Nei.st" and meta.posted_by == "Nei.st"
    assert meta.dek == meta.subtitle != ""
    assert "paywall" in {r.kind for r in meta.removed}
    assert meta.text_authors == () and not meta.is_parallel


def test_a_date_the_editors_supply_is_theirs() -> None:
    """A supplied date is bracketed, and never a distributor's post."""
    meta = record("china-internet-at-thirty")
    assert meta.is_supplied("date") and meta.bracketed("date", "2024") == "[2024]"
    distributed = dataclasses.replace(meta, extra=(("distributor", "Nei.st"),))
    assert distributed.distributor == "Nei.st" and distributed.posted_by == ""


def test_entries_without_a_field_are_not_kept() -> None:
    """An editorial entry that names no field says nothing the record could show."""
    meta = ArticleMeta.from_front_matter({"editorial": [
        {"value": "x", "reason": "r"}, {"field": "title", "value": "T", "reason": " a\n b "}]})
    assert meta.editorial == (Supplied("title", ("T",), "a b"),)
