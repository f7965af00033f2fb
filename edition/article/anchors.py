"""Paragraph anchors: a visible ¶ link at the end of every labelled block of an article.

Articles label each block of text ``<slug>-pN`` (see ``converters/editing/anchors.py``) so that
it can be cited; the anchor is the reader's way to the label. Only those labels get one: a
paragraph the edition gives an id of its own (the citation block's text, which a button copies)
is apparatus, and a ¶ at its end would be copied with it. HTML only: other formats skip the
node.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.writers.html5 import HTML5Translator

from converters.common.markup import BLOCK_LABEL


class paragraph_anchor(nodes.Inline, nodes.Element):
    """A visible ¶ link to the paragraph (or parallel pair) it ends; HTML only."""


def visit_paragraph_anchor(self: HTML5Translator, node: paragraph_anchor) -> None:
    """Write the anchor as a link to its target id."""
    target = node["target"]
    self.body.append(
        f'<a class="para-anchor" href="#{target}" title="Link to this paragraph"'
        f' aria-label="Link to this paragraph">¶</a>'
    )
    raise nodes.SkipNode


def paragraph_label(node: nodes.Element) -> str:
    """The block's paragraph label ``<slug>-pN`` (its first id), or ``""`` for other blocks."""
    ids: list[str] = node["ids"]
    match = BLOCK_LABEL.fullmatch(ids[0]) if ids else None
    return ids[0] if match is not None and match.group("kind") == "p" else ""


def skip_node(_self: Any, _node: nodes.Node) -> None:
    """Leave a node out of formats it has no meaning in."""
    raise nodes.SkipNode


class AddParagraphAnchors(SphinxPostTransform):
    """End every labelled block (a paragraph, a list, a parallel pair) with a ¶ link to it.

    Articles label each block of text ``<slug>-pN`` so that it can be cited; the anchor is
    the visible way to the label. A list or a pair ends with its last paragraph, which
    takes the anchor.
    """

    default_priority = 400
    builders = ("html", "dirhtml", "singlehtml")

    def run(self, **_kwargs: Any) -> None:
        """Add the anchors."""
        for para in list(self.document.findall(nodes.paragraph)):
            label = paragraph_label(para)
            if label:
                para += paragraph_anchor("", target=label, classes=["no-search"])
        for block in list(self.document.findall(nodes.Element)):
            is_list = isinstance(block, (nodes.bullet_list, nodes.enumerated_list))
            is_pair = isinstance(block, nodes.container) and "parallel" in block["classes"]
            label = paragraph_label(block)
            if not label or not (is_list or is_pair):
                continue
            # A pair: each language ends with the link to its own address where it has one
            # (edition/citation/citable.py gives the later languages theirs), else to the pair's.
            parts = ([c for c in block.children if isinstance(c, nodes.container)] if is_pair
                     else [block])
            for part in parts:
                paragraphs = list(part.findall(nodes.paragraph))
                own = next((i for p in paragraphs for i in p["ids"]
                            if i.startswith(label + "-")), label)
                last = [p for p in paragraphs if not p["ids"] or own != label]
                if last:
                    last[-1] += paragraph_anchor("", target=own, classes=["no-search"])


def setup_anchors(app: Sphinx) -> None:
    """Register the anchor node and the transform that adds the anchors."""
    app.add_node(
        paragraph_anchor,
        html=(visit_paragraph_anchor, None),
        latex=(skip_node, None),
        text=(skip_node, None),
        man=(skip_node, None),
        texinfo=(skip_node, None),
    )
    app.add_post_transform(AddParagraphAnchors)
