"""Directives that stand for a listing made once every document is read.

The data page, the entity overview and the timeline list what all articles say; a directive
only knows its own document. Each of them leaves a placeholder node carrying its document's
name, and a ``doctree-resolved`` handler of its component replaces it by the listing.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.nodes import Node
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec


class PlaceholderDirective(SphinxDirective):
    """A directive without arguments, options or content that leaves one placeholder node."""

    #: The node class the directive leaves, filled when the document is resolved.
    placeholder: ClassVar[type[nodes.Element]]
    has_content = False
    option_spec: ClassVar[OptionSpec] = {}

    def run(self) -> list[Node]:
        """Only a placeholder, located and knowing its document: the listing comes later."""
        node = self.placeholder(docname=self.env.docname)
        self.set_source_info(node)
        return [node]
