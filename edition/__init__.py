"""The edition's Sphinx extension: one module per component, composed here (as sphinx-design does)."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .article import setup_article
from .citation import setup_citation
from .entities import setup_entities
from .search import setup_search

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every component of the edition."""
    setup_article(app)
    setup_entities(app)
    setup_search(app)
    setup_citation(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
