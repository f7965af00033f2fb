"""The edition's MyST parser with a page's front matter loaded by libyaml alone.

Every page is parsed by the boundary's :class:`~edition.security.boundary.GatedMystParser`
(myst-parser's parser behind the allowlist, which never reads a page's own MyST settings): its
renderer reads the front matter once, with the edition's strict loader, which walks the
YAML's events for aliases, tags and duplicate keys before it builds the values. By the time
MyST renders a page, the edition's own reading of the front matter (``frontmatter.py``, at
``source-read``) has already refused what it does not accept by blanking the front matter,
so this renderer builds the values with libyaml's ``CSafeLoader`` straight away (same
constructor, so the same values: ``tests/test_myst_yaml.py``). When libyaml is missing, or a
text does not load, it does what myst-parser does.

Before the gate read the front matter itself, myst-parser read it twice per page with PyYAML's
pure-Python loader (about 5 % of the 1,131-post corpus build, some 3 ms a page); the gate's one
reading (by libyaml) and the parser that skips myst-parser's first are part of the boundary and
stay when ``edition_speedups`` is off. What this module still saves is the strict loader's
walk: measured on 400 corpus posts, 0.56 ms against 0.34 ms a page.
"""

from __future__ import annotations

from typing import ClassVar

import yaml
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.directives import YAML_LOAD_ERRORS
from sphinx.application import Sphinx

from converters.common.yamlsafe import SAFE_LOADER
from edition.security.boundary import GatedMystParser, GatedRenderer


class EditionRenderer(GatedRenderer):
    """The edition's gated renderer; the front matter token's YAML loaded by libyaml."""

    def load_front_matter(self, text: str) -> object:
        """The front matter's data, by libyaml (None when it does not load).

        At ``source-read`` the edition has read this text with its strict loader and blanked
        what it refuses, so the fast loader builds the same values.
        """
        try:
            return yaml.load(text, Loader=SAFE_LOADER)
        except YAML_LOAD_ERRORS:
            return None


class EditionMystParser(GatedMystParser):
    """The gated parser with :class:`EditionRenderer`."""

    renderer: ClassVar[type[SphinxRenderer]] = EditionRenderer


def setup_myst_yaml(app: Sphinx) -> None:
    """Parse ``.md`` pages with :class:`EditionMystParser` (after the boundary's parser)."""
    app.setup_extension("myst_parser")
    app.add_source_parser(EditionMystParser, override=True)
