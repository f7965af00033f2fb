"""The edition's Sphinx extension: components in packages by concern, composed here.

As sphinx-design does, :func:`setup` only calls each component's ``setup_*``; which package owns
what, and how they may import each other, is in ARCHITECTURE.md (*Layout*).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from edition.article.anchors import setup_anchors
from edition.article.chinese import setup_chinese
from edition.article.conflicts import setup_conflicts
from edition.article.frontmatter import setup_frontmatter
from edition.article.header import setup_header
from edition.article.home import setup_home
from edition.article.listings import setup_listings
from edition.citation.changed import setup_changed
from edition.citation.citable import setup_citable
from edition.citation.model import setup_citation
from edition.citation.robustlinks import setup_robustlinks
from edition.config import setup_config, value_at_setup
from edition.entities.domain import setup_entities
from edition.entities.pages import setup_entity_pages
from edition.entities.registers import setup_registers
from edition.entities.related import setup_related
from edition.entities.timeline import setup_timeline
from edition.outputs.book import setup_book
from edition.outputs.data_page import setup_data_page
from edition.outputs.downloads import setup_downloads
from edition.outputs.epub import setup_epub
from edition.outputs.export import setup_export
from edition.outputs.images import setup_images
from edition.outputs.pdf import setup_pdf
from edition.outputs.shards import setup_shards
from edition.outputs.tei import setup_tei
from edition.security.boundary import setup_boundary, setup_gated_parser
from edition.security.files import setup_files
from edition.web.editlink import setup_editlink
from edition.web.reading import setup_reading
from edition.web.search import setup_search
from edition.web.sidenotes import setup_sidenotes

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every component of the edition."""
    # Every edition_* value, declared in one dataclass.
    setup_config(app)
    # Nothing is written outside the build's own folders (edition/security/files.py).
    setup_files(app)
    # A data file the edition cannot use stops the build before anything else runs.
    setup_home(app)
    # Pages are parsed behind the allowlist (edition/security/boundary.py).
    setup_gated_parser(app)
    # The article: front matter and domain first, every other component reads them.
    setup_frontmatter(app)
    setup_header(app)
    setup_anchors(app)
    setup_sidenotes(app)
    setup_images(app)
    setup_listings(app)
    setup_entities(app)
    setup_entity_pages(app)
    setup_timeline(app)
    setup_registers(app)
    setup_related(app)
    setup_changed(app)
    setup_export(app)
    # An edition built in parts: the records the shards exchange (scripts/shards.py).
    setup_shards(app)
    setup_tei(app)
    setup_data_page(app)
    setup_search(app)
    setup_citation(app)
    setup_citable(app)
    setup_robustlinks(app)
    setup_pdf(app)
    setup_book(app)
    setup_epub(app)
    setup_downloads(app)
    setup_editlink(app)
    setup_reading(app)
    setup_boundary(app)
    setup_conflicts(app)
    # Chinese on the web carries its lang wherever it is printed.
    setup_chinese(app)
    # Speed code that reaches into Sphinx's, myst-parser's and the theme's internals, behind
    # one switch. conf.py and -D are read before any extension is set up (Sphinx's
    # Config.read), so the value is known here; imported only when on, so that an upgrade
    # that breaks even an import of it is switched off too.
    if value_at_setup(app.config, "speedups"):
        from edition.speedups import setup_speedups

        setup_speedups(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
