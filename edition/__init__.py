"""The edition's Sphinx extension: one module per component, composed here (as sphinx-design)."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .anchors import setup_anchors
from .book import setup_book
from .boundary import setup_boundary
from .changed import setup_changed
from .chinese import setup_chinese
from .citable import setup_citable
from .citation import setup_citation
from .config import setup_config
from .conflicts import setup_conflicts
from .data_page import setup_data_page
from .downloads import setup_downloads
from .editlink import setup_editlink
from .entities import setup_entities
from .entity_pages import setup_entity_pages
from .epub import setup_epub
from .export import setup_export
from .files import setup_files
from .frontmatter import setup_frontmatter
from .gc_tuning import setup_gc_tuning
from .header import setup_header
from .home import setup_home
from .images import setup_images
from .listings import setup_listings
from .myst_yaml import setup_myst_yaml
from .navigation import setup_navigation
from .pdf import setup_pdf
from .reading import setup_reading
from .registers import setup_registers
from .related import setup_related
from .robustlinks import setup_robustlinks
from .search import setup_search
from .sidenotes import setup_sidenotes
from .stddomain import setup_standard_domain
from .tei import setup_tei
from .timeline import setup_timeline

__version__ = "0.1.0"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register every component of the edition."""
    # Every edition_* value, declared in one dataclass.
    setup_config(app)
    # Nothing is written outside the build's own folders (edition/files.py).
    setup_files(app)
    # A data file the edition cannot use stops the build before anything else runs.
    setup_home(app)
    setup_gc_tuning(app)
    setup_myst_yaml(app)
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
    setup_tei(app)
    setup_standard_domain(app)
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
    setup_navigation(app)
    setup_reading(app)
    setup_boundary(app)
    setup_conflicts(app)
    # Chinese on the web carries its lang wherever it is printed.
    setup_chinese(app)
    return {
        "version": __version__,
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
