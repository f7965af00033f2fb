"""A tiny edition with one article, to test the citation block."""

extensions = ["myst_parser", "edition"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block",
                          "substitution"]
project = "Citation test edition"
html_baseurl = "https://edition.example.org/cite-test/"
exclude_patterns = ["_build"]
