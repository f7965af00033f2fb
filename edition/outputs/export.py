"""Data export: every entity and date with its mentions, and every article's metadata.

Written after an HTML build (``build-finished``) and documented, field by field, on the
edition's *Research data* page (``docs/data.md``). Both entity files are in a fixed order:
registry entities in collation order of their labels (companies and organisations, then
people), then dates in chronological order; mentions in document order (documents by docname).

``_static/entities.json`` is a list of objects::

    {"id", "type": "company"|"person"|"date", "label",
     "labels": {"en", "zh-Hans", "zh-Hant"}, "pinyin", "aliases": [...], "wikidata", "iso",
     "page", "mention_count", "text_count",
     "mentions": [{"doc", "anchor", "text", "url"}], "published": [{"doc", "anchor", "url"}]}

``iso`` is the ISO date for dates and ``""`` for entities; ``doc`` is the Sphinx docname,
``anchor`` the id of the paragraph and ``url`` its address (``<doc>.html#<anchor>``, after
``html_baseurl`` when set); ``published`` lists the articles published on a date.

``_static/entities.csv`` has one row per mention, with the columns of :data:`CSV_COLUMNS`
(UTF-8 after a byte order mark, a header row, RFC 4180 quoting; aliases joined with ``; ``).
Both CSV files are written by :func:`edition.security.escaping.csv_text`: a cell that a spreadsheet
would read as a formula (its first character ``=``, ``+``, ``-``, ``@``, tab or carriage
return) starts with ``'``.

``data/articles.json`` and ``data/articles.csv`` hold each article's metadata: the front
matter's fields (:data:`ARTICLE_FIELDS`), the site that distributed the source and what its
date is when it is not the date of publication (``distributor``, ``date_note``), the fields the
editors supplied (with a ``role`` where they give one), its address and its TEI file. Times
are written as the source states them: with their offset when it gives one, without when it
gives none (the data page says which).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converters.common.registry import ENTITY_TYPES
from edition.article.frontmatter import get_article_meta
from edition.article.record import ArticleMeta
from edition.article.text import date_qualifier
from edition.citation.changed import collection_changed
from edition.entities.domain import EntityDomain, entity_domain, entity_sort_key
from edition.entities.names import pinyin
from edition.outputs.tei import TEI_FOLDER
from edition.security.escaping import csv_text
from edition.security.files import write_if_changed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Builders whose output gets the export (a website; not EPUB, whose package is already made).
HTML_BUILDERS: tuple[str, ...] = ("html", "dirhtml", "singlehtml")

#: Columns of ``entities.csv``, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "id", "type", "label", "zh-Hans", "zh-Hant", "pinyin", "aliases", "wikidata", "iso",
    "doc", "anchor", "text", "url",
)
#: Front-matter fields of an article in ``articles.json`` / ``.csv``, in order.
ARTICLE_FIELDS: tuple[str, ...] = (
    "title", "subtitle", "authors", "date", "date_precision", "language", "publisher",
    "column", "translator", "source_url", "original_url", "retrieved", "seed",
)
#: What the edition says of an article beyond its front matter's fields, in order: the site
#: that distributed the source, and what the date is when it is not the date of publication.
ARTICLE_NOTES: tuple[str, ...] = ("distributor", "date_note")
#: Columns of ``articles.csv``: the fields, then what the edition adds.
ARTICLE_COLUMNS: tuple[str, ...] = (
    "slug", *ARTICLE_FIELDS, *ARTICLE_NOTES, "editorial_fields", "url", "tei",
)

#: How a date is labelled in each script, by its precision (number of ISO parts).
DATE_LABELS: dict[str, tuple[str, str, str]] = {
    "en": ("{y}", "{y}-{m:02d}", "{y}-{m:02d}-{d:02d}"),
    "zh-Hans": ("{y}年", "{y}年{m}月", "{y}年{m}月{d}日"),
    "zh-Hant": ("{y}年", "{y}年{m}月", "{y}年{m}月{d}日"),
}


def date_labels(iso: str) -> dict[str, str]:
    """A date's label in every script, as precise as the ISO form."""
    parts = [int(p) for p in iso.split("-")]
    values = dict(zip("ymd", parts, strict=False))
    return {script: forms[len(parts) - 1].format(**values) for script, forms in DATE_LABELS.items()}


def export_records(
    domain: EntityDomain, base: str = "", suffix: str = ".html"
) -> list[dict[str, Any]]:
    """The exported records, in the documented order."""
    records: list[dict[str, Any]] = []

    def url(doc: str, anchor: str) -> str:
        return f"{base}{doc}{suffix}" + (f"#{anchor}" if anchor else "")

    for entity_type in ENTITY_TYPES:
        entities = [e for e in domain.registry.values() if e.type == entity_type]
        for entity in sorted(entities, key=entity_sort_key):
            mentions = _mentions(domain, entity.id, "entity", url)
            records.append({
                "id": entity.id,
                "type": entity.type,
                "label": entity.label,
                "labels": dict(entity.labels),
                "pinyin": pinyin(entity),
                "aliases": list(entity.aliases),
                "wikidata": entity.wikidata,
                "iso": "",
                # Only an entity the texts name has a page.
                "page": url(domain.entity_docname(entity.id), "")
                if entity.id in domain.mentioned_entities else "",
                "mention_count": len(mentions),
                "text_count": len({m["doc"] for m in mentions if domain.is_article(m["doc"])}),
                "mentions": mentions,
                "published": [],
            })
    for iso in domain.dates():
        mentions = _mentions(domain, iso, "date", url)
        records.append({
            "id": iso,
            "type": "date",
            "label": iso,
            "labels": date_labels(iso),
            "pinyin": "",
            "aliases": [],
            "wikidata": "",
            "iso": iso,
            "page": url(domain.timeline_docname(), f"date-{iso}"),
            "mention_count": len(mentions),
            "text_count": len({m["doc"] for m in mentions if domain.is_article(m["doc"])}),
            "mentions": mentions,
            "published": [
                {"doc": p.docname, "anchor": p.anchor, "url": url(p.docname, p.anchor)}
                for p in domain.published_on(iso)
            ],
        })
    return records


def _mentions(
    domain: EntityDomain, target: str, kind: str, url: Callable[[str, str], str]
) -> list[dict[str, str]]:
    """Mentions of a target as exported objects."""
    return [
        {"doc": m.docname, "anchor": m.anchor, "text": m.text, "url": url(m.docname, m.anchor)}
        for m in domain.mentions_of(target, kind)
    ]


def records_csv(records: list[dict[str, Any]]) -> str:
    """The records as CSV text, one row per mention."""
    rows: list[list[str]] = [list(CSV_COLUMNS)]
    for record in records:
        for mention in record["mentions"]:
            rows.append([
                record["id"], record["type"], record["label"],
                record["labels"].get("zh-Hans", ""), record["labels"].get("zh-Hant", ""),
                record["pinyin"], "; ".join(record["aliases"]), record["wikidata"],
                record["iso"], mention["doc"], mention["anchor"], mention["text"],
                mention["url"],
            ])
    return csv_text(rows)


def field_text(value: Any) -> str:
    """A front-matter value as one CSV cell (lists joined with ``; ``)."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def article_records(app: Sphinx, base: str, suffix: str) -> list[dict[str, Any]]:
    """Every article's metadata, by docname."""
    domain = entity_domain(app.env)
    records: list[dict[str, Any]] = []
    for docname in sorted(d for d in app.env.found_docs if domain.is_article(d)):
        meta = get_article_meta(app.env, docname) or ArticleMeta(docname)
        slug = docname.rsplit("/", 1)[-1]
        record: dict[str, Any] = {"slug": slug}
        for field in ARTICLE_FIELDS:
            record[field] = meta.data(field)
        record["title"] = record["title"] or domain.title_of(docname)
        record["distributor"] = meta.distributor
        record["date_note"] = date_qualifier(meta)
        record["editorial"] = [entry.data() for entry in meta.editorial]
        record["url"] = f"{base}{docname}{suffix}"
        record["tei"] = f"{base}{TEI_FOLDER}/{slug}.xml"
        records.append(record)
    return records


def articles_csv(records: list[dict[str, Any]]) -> str:
    """The articles' metadata as CSV text, one row per article."""
    rows: list[list[str]] = [list(ARTICLE_COLUMNS)]
    for record in records:
        editorial = "; ".join(e["field"] for e in record["editorial"])
        rows.append([
            record["slug"], *(field_text(record[f]) for f in ARTICLE_FIELDS),
            *(field_text(record.get(f, "")) for f in ARTICLE_NOTES), editorial,
            record["url"], record["tei"],
        ])
    return csv_text(rows)


def site_base(app: Sphinx) -> str:
    """The edition's address, ending in ``/`` (``""`` when none is configured)."""
    base = str(getattr(app.config, "edition_baseurl", "") or app.config.html_baseurl or "")
    return base if not base or base.endswith("/") else base + "/"


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """Write the entity and article data after an HTML build (``build-finished``)."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    base = site_base(app)
    suffix = app.config.html_file_suffix or ".html"
    # written only when changed: a rebuild leaves the files of an unchanged collection alone
    static = Path(app.outdir) / "_static"
    entity_files = (static / "entities.json", static / "entities.csv")
    if collection_changed(app) or not all(path.is_file() for path in entity_files):
        records = export_records(entity_domain(app.env), base, suffix)
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        write_if_changed(entity_files[0], text)
        write_if_changed(entity_files[1], records_csv(records))
    articles = article_records(app, base, suffix)
    data = Path(app.outdir) / "data"
    text = json.dumps(articles, ensure_ascii=False, indent=1, default=str) + "\n"
    write_if_changed(data / "articles.json", text)
    write_if_changed(data / "articles.csv", articles_csv(articles))


def setup_export(app: Sphinx) -> None:
    """Register the export."""
    app.connect("build-finished", write_export)
