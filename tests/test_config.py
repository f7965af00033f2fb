"""The edition's configuration: every ``edition_*`` value declared once, described, validated."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from edition.config import PREFIX, EditionConfig

EDITION = Path(__file__).resolve().parents[1] / "edition"


@pytest.mark.sphinx("html", testroot="frontmatter")
def test_every_edition_value_is_declared_in_the_dataclass(app: Any) -> None:
    """The registered ``edition_*`` values are exactly the dataclass's fields, each described."""
    options = app.config._options  # Sphinx keeps each value's declaration here
    registered = {name for name in options if name.startswith(PREFIX)}
    declared = {PREFIX + item.name: item for item in dataclasses.fields(EditionConfig)}
    assert registered == set(declared)
    for name in registered:
        assert options[name].description == declared[name].metadata["help"], name
        assert options[name].description.strip(), name


def test_no_component_registers_a_value_of_its_own() -> None:
    """``add_config_value`` is called in edition/config.py only."""
    callers = [path.name for path in sorted(EDITION.glob("*.py"))
               if re.search(r"\badd_config_value\(", path.read_text(encoding="utf-8"))]
    assert callers == ["config.py"]


@pytest.mark.sphinx("html", testroot="frontmatter", confoverrides={
    "edition_related_max": -1,
    "edition_epub_languages": ["en", "klingon"],
    "edition_downloads": [("pdf", "The book")],
})
def test_a_refused_value_is_a_warning_naming_it_and_the_default_is_used(
        app: Any, warning: Any) -> None:
    """Values of the right Python type but unusable are refused with the value's name."""
    text = warning.getvalue()
    assert "edition_related_max must be a whole number, zero or more" in text
    assert "edition_epub_languages holds language tags the edition does not know" in text
    assert "edition_downloads must be a list of (key, label, built file, icon)" in text
    assert app.config.edition_related_max == 5
    assert app.config.edition_epub_languages == ["en", "zh-Hans", "zh-Hant"]
    assert [d[0] for d in app.config.edition_downloads] == ["pdf", "epub"]


@pytest.mark.sphinx("html", testroot="frontmatter", confoverrides={"edition_related_max": 3})
def test_an_accepted_value_is_kept(app: Any, warning: Any) -> None:
    """A valid value passes without a word; a computed default is computed from the config."""
    assert app.config.edition_related_max == 3
    assert "edition_" not in warning.getvalue()
    assert app.config.edition_baseurl == "https://edition.example.org/front-matter-test/"
    assert app.config.edition_title == "Front matter test edition"
