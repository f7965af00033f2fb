"""Pages listing every article (cards, editorial decisions, data files) and two articles.

``about`` is named before the articles folder and ``zz-more`` after it: the listings do not
depend on the order the pages are read in.
"""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "sphinx_design", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Listings test edition"
html_baseurl = "https://edition.example.org/listings-test/"
exclude_patterns = ["_build"]
smartquotes = False  # the edition reproduces its sources' punctuation as it is
