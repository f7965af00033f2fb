"""Data export: every entity and date with its mentions, as ``_static/entities.json`` and ``.csv``.

Written after an HTML build (``build-finished``). Both files are in a fixed order: registry
entities in collation order of their labels (companies, then people), then dates in
chronological order; mentions in document order (documents by docname).

``entities.json`` is a list of objects::

    {"id", "type": "company"|"person"|"date", "label",
     "labels": {"en", "zh-Hans", "zh-Hant"}, "aliases": [...], "wikidata", "iso",
     "mentions": [{"doc", "anchor", "text"}]}

``iso`` is the ISO date for dates and ``""`` for entities; ``doc`` is the Sphinx docname and
``anchor`` the id of the paragraph (``<doc>.html#<anchor>`` in the HTML output).

``entities.csv`` has one row per mention, with the columns of :data:`CSV_COLUMNS`:
``id, type, label, iso, doc, anchor, text`` (UTF-8, a header row, RFC 4180 quoting).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from converters.registry import ENTITY_TYPES

from .entities import EntityDomain, entity_domain, entity_sort_key

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Builders whose output gets the export (a website; not EPUB, whose package is already made).
HTML_BUILDERS: tuple[str, ...] = ("html", "dirhtml", "singlehtml")

#: Columns of ``entities.csv``, in order.
CSV_COLUMNS: tuple[str, ...] = ("id", "type", "label", "iso", "doc", "anchor", "text")

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


def export_records(domain: EntityDomain) -> list[dict[str, Any]]:
    """The exported records, in the documented order."""
    records: list[dict[str, Any]] = []
    for entity_type in ENTITY_TYPES:
        entities = [e for e in domain.registry.values() if e.type == entity_type]
        for entity in sorted(entities, key=entity_sort_key):
            records.append({
                "id": entity.id,
                "type": entity.type,
                "label": entity.label,
                "labels": dict(entity.labels),
                "aliases": list(entity.aliases),
                "wikidata": entity.wikidata,
                "iso": "",
                "mentions": _mentions(domain, entity.id, "entity"),
            })
    for iso in domain.dates():
        records.append({
            "id": iso,
            "type": "date",
            "label": iso,
            "labels": date_labels(iso),
            "aliases": [],
            "wikidata": "",
            "iso": iso,
            "mentions": _mentions(domain, iso, "date"),
        })
    return records


def _mentions(domain: EntityDomain, target: str, kind: str) -> list[dict[str, str]]:
    """Mentions of a target as exported objects."""
    return [
        {"doc": m.docname, "anchor": m.anchor, "text": m.text}
        for m in domain.mentions_of(target, kind)
    ]


def records_csv(records: list[dict[str, Any]]) -> str:
    """The records as CSV text, one row per mention."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        for mention in record["mentions"]:
            writer.writerow([
                record["id"], record["type"], record["label"], record["iso"],
                mention["doc"], mention["anchor"], mention["text"],
            ])
    return out.getvalue()


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """Write ``entities.json`` and ``entities.csv`` after an HTML build (``build-finished``)."""
    if exception is not None or app.builder.name not in HTML_BUILDERS:
        return
    records = export_records(entity_domain(app.env))
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    (static / "entities.json").write_text(text, encoding="utf-8")
    (static / "entities.csv").write_text(records_csv(records), encoding="utf-8")


def setup_export(app: Sphinx) -> None:
    """Register the export."""
    app.connect("build-finished", write_export)
