"""A tiny edition: a hostile title, a source link, and retired labels that lead somewhere."""

from converters.myst import MYST_EXTENSIONS

extensions = ["myst_parser", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Citable test edition"
html_baseurl = "https://edition.example.org/citable/"
exclude_patterns = ["_build", "_data"]
