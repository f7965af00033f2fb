"""Two articles, the pages that list them, and a page named before the articles folder."""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "sphinx_design", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Front matter test edition"
html_baseurl = "https://edition.example.org/front-matter-test/"
exclude_patterns = ["_build"]
smartquotes = False  # the edition reproduces its sources' punctuation as it is
