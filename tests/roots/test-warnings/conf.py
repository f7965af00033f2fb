"""A small edition whose pages each hold one mistake the extension must report (the pages are
written by tests/test_warnings.py from tests/data/warning_cases.yaml)."""

from converters.common.markup import MYST_EXTENSIONS

extensions = ["myst_parser", "sphinx_design", "edition"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Warnings test"
exclude_patterns = ["_build"]
edition_registry = "_data/registry.yaml"
smartquotes = False
