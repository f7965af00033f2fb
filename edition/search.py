"""Placeholder: this component is being written."""

from __future__ import annotations

from sphinx.application import Sphinx


def setup_search(app: Sphinx) -> None:
    """Register nothing yet."""
