"""Listings of what all articles say: a placeholder node left at reading, filled at writing.

The home page's cards, the editorial decisions, the data page, the entity overview and the
timeline list what every article says; a directive only knows its own document, and while it
runs the others may not be read yet (Sphinx reads by name, and in several processes in a
parallel build). So, as ``sphinx.ext.todo`` does with its ``todolist``, each of them leaves a
:class:`listing` node carrying its document's name, and its component replaces it once the
domains hold every document (when the page is resolved for writing). The article domain notes
every page holding one (``ArticleDomain.process_doc``) and has it written again whenever an
article comes, goes or changes (``frontmatter.listings_to_rewrite``).
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.nodes import Node
from sphinx.util.docutils import SphinxDirective
from sphinx.util.typing import OptionSpec


class listing(nodes.General, nodes.Element):  # lower case, as docutils names nodes
    """A placeholder for a listing made from every article, filled when its page is resolved.

    Attributes: ``docname``, the page it stands in (the LaTeX builder resolves the whole book
    under the root document's name, and links are relative to where they stand); ``toctree``,
    when the page's table of contents lists the articles, the articles it lists, as read.
    """


class PlaceholderDirective(SphinxDirective):
    """A directive without arguments, options or content that leaves one placeholder node."""

    #: The node class the directive leaves, filled when the document is resolved.
    placeholder: ClassVar[type[listing]]
    has_content = False
    option_spec: ClassVar[OptionSpec] = {}

    def make_placeholder(self) -> listing:
        """The placeholder, located and knowing its document."""
        node = self.placeholder(docname=self.env.docname)
        self.set_source_info(node)
        return node

    def run(self) -> list[Node]:
        """Only a placeholder: the listing comes later."""
        return [self.make_placeholder()]
