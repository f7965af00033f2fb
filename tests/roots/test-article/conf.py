"""A small edition: one hand-written article in the edition's article format."""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "sphinx_design", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Test edition"
html_search_language = "zh"
exclude_patterns = ["_build"]
smartquotes = False  # the edition reproduces its sources' punctuation as it is
