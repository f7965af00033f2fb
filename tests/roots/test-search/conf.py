"""A tiny edition for the search: names with and without tags, an alias, an unmentioned entity."""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Search test"
exclude_patterns = ["_build"]
smartquotes = False
html_search_language = "zh"
edition_registry = "_data/registry.yaml"
