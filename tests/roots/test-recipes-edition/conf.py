"""The recipes "add an index kind" and "add an output", followed by a toy extension only.

A builder must come from an extension listed here (Sphinx looks the builder up before it runs
``conf.py``'s own ``setup``), so the toy index kind and builder live in ``toy_recipes.py``.
"""

import sys
from pathlib import Path

from converters.common.markup import MYST_EXTENSIONS

sys.path.insert(0, str(Path(__file__).parent))

extensions = ["myst_parser", "edition", "toy_recipes"]
myst_enable_extensions = list(MYST_EXTENSIONS)
project = "Recipes test"
exclude_patterns = ["_build"]
smartquotes = False
myst_heading_anchors = 3
