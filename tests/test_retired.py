"""The record of retired labels: the agreed layout, appended to, read back as written."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from converters.common.retired import HEADER, Retirement, append_retired, render


def test_agreed_layout_and_append(tmp_path: Path) -> None:
    """Bare labels, '' for a text that is gone, a quoted reason; entries only ever appended."""
    record = tmp_path / "_data" / "retired-labels.yaml"
    append_retired(record, [Retirement("old-slug-p3", "new-slug-p3", "the slug changed")])
    append_retired(record, [Retirement("old-slug-p9", "", "the paragraph is gone")])
    assert record.read_text(encoding="utf-8") == (
        HEADER
        + "- label: old-slug-p3\n  successor: new-slug-p3\n  reason: \"the slug changed\"\n"
        + "- label: old-slug-p9\n  successor: ''\n  reason: \"the paragraph is gone\"\n")


@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30), st.text(max_size=60)),
                max_size=5))
def test_any_values_read_back_as_written(rows: list[tuple[str, str, str]]) -> None:
    """Whatever the labels and reasons, YAML reads back exactly the entries written."""
    entries = [Retirement(*row) for row in rows]
    text = render(entries)
    loaded = yaml.safe_load(text) or []
    assert [Retirement(e["label"], e["successor"], e["reason"]) for e in loaded] == entries
