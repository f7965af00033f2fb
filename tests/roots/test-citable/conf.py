"""A tiny edition: a hostile title, a source link, and retired labels that lead somewhere."""

extensions = ["myst_parser", "edition"]
myst_enable_extensions = ["colon_fence", "deflist", "fieldlist", "attrs_inline", "attrs_block",
                          "substitution"]
project = "Citable test edition"
html_baseurl = "https://edition.example.org/citable/"
exclude_patterns = ["_build", "_data"]
