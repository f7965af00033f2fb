"""A small edition: one hand-written article in the edition's article format."""

extensions = ["myst_parser", "sphinx_design", "edition"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block",
                          "substitution"]
project = "Test edition"
html_search_language = "zh"
exclude_patterns = ["_build"]
smartquotes = False  # the edition reproduces its sources' punctuation as it is
