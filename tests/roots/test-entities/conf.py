"""A tiny edition: three articles (Simplified, Traditional, English + Traditional) with mentions."""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Entities test"
exclude_patterns = ["_build"]
smartquotes = False
myst_heading_anchors = 3  # as the edition: headings get slug ids beside their labels
edition_registry = "_data/registry.yaml"
latex_engine = "xelatex"
latex_documents = [("index", "entities.tex", "Entities test", "The editors", "manual")]
latex_domain_indices = True
# Sphinx's domain indices point at the entity pages: keep them in this PDF (the edition's book
# leaves them out and prints its own indices).
edition_book_omit: list[str] = []
