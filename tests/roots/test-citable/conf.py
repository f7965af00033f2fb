"""A tiny edition: a hostile title, a source link, and retired labels that lead somewhere."""

from converters.common.markup import MYST_EXTENSIONS
from converters.seedlinks import linked_words

extensions = ["myst_parser", "edition"]
edition_link_words = linked_words
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Citable test edition"
html_baseurl = "https://edition.example.org/citable/"
exclude_patterns = ["_build", "_data"]
