"""A tiny edition with one article, to test the citation block."""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Citation test edition"
html_baseurl = "https://edition.example.org/cite-test/"
exclude_patterns = ["_build"]
