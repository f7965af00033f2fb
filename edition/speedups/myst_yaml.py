"""MyST's parser with its two readings of a page's front matter done by libyaml.

myst-parser reads each page's YAML front matter twice: once for file-level settings (its
``myst:`` key) before parsing, once to render it as the page's docinfo. Both readings call
``yaml.safe_load``, PyYAML's pure-Python loader, and myst-parser has no setting for the
loader; on the 1,131-post corpus build they were about 5 % of the build's CPU. This parser is
myst-parser's own (same settings, transforms, renderer and warnings) with those two readings
made by libyaml's ``CSafeLoader``, which builds the same Python values from the same YAML
(same constructor; only the scanner and parser are in C).

The edition's own reading of the front matter (``frontmatter.py``, at ``source-read``) comes
first and refuses what it does not accept (aliases, unsafe tags, duplicate keys) by blanking
the front matter, so MyST only ever sees front matter the edition has read. When libyaml is
missing, or a text does not load, the parser does what myst-parser does.

The renderer is the edition's gated one (``boundary.GatedRenderer``: the allowlist enforced as
the page renders), and one thing myst-parser does is left out on purpose: the ``myst:`` key
of a page's front matter, which changes MyST's settings for that page (extensions,
substitutions, ``html_meta``), is never read — the allowlist refuses the key.
"""

from __future__ import annotations

import yaml
from docutils import nodes
from myst_parser.parsers.directives import YAML_LOAD_ERRORS
from myst_parser.parsers.mdit import create_md_parser
from myst_parser.parsers.sphinx_ import MystParser
from sphinx.application import Sphinx

from converters.common.yamlsafe import SAFE_LOADER
from edition.security.boundary import GatedRenderer


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


class EditionMystParser(MystParser):
    """myst-parser's parser with :class:`EditionRenderer`, and no page-level MyST settings."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        """Parse a MyST page into ``document`` with the edition's configuration of MyST."""
        config = document.settings.env.myst_config
        parser = create_md_parser(config, EditionRenderer)
        parser.options["document"] = document
        parser.render(inputstring)


def setup_myst_yaml(app: Sphinx) -> None:
    """Parse ``.md`` pages with :class:`EditionMystParser` (after myst-parser's own setup)."""
    app.setup_extension("myst_parser")
    app.add_source_parser(EditionMystParser, override=True)
