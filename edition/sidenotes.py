"""Margin notes in HTML: two corrections to how sphinx-book-theme turns footnotes into sidenotes.

With ``use_sidenotes`` the theme moves each footnote beside its reference. A note inside a
parallel pair would become a third column, and a second reference to one note would point at
nothing; the transforms here fix both.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform


class LiftSidenotesOutOfPairs(SphinxPostTransform):
    """Move margin notes that the book theme put inside a parallel pair to just before it.

    With ``use_sidenotes``, sphinx-book-theme puts the note of a footnote reference that sits in
    a container just before that container: here, inside the pair, where it would become a
    third column of the grid. Before the pair, it floats into the margin as other notes do.
    """

    # Right after sphinx-book-theme's HandleFootnoteTransform (priority 1).
    default_priority = 2
    formats = ("html",)

    def run(self, **_kwargs: Any) -> None:
        """Lift the notes."""
        for pair in list(self.document.findall(nodes.container)):
            if "parallel" not in pair["classes"]:
                continue
            for child in list(pair.children):
                if isinstance(child, nodes.inline) and {"sidenote", "marginnote"} & set(
                        child["classes"]):
                    pair.remove(child)
                    pair.parent.insert(pair.parent.index(pair), child)


class LinkRepeatedSidenoteReferences(SphinxPostTransform):
    """Point repeated references to one note at the place where the note is shown.

    The edition has one note per linked address, so a source that links one address twice
    refers to one note twice. sphinx-book-theme turns the first reference into a margin note and
    removes the footnote; later references would point at nothing. They become the note's
    number, linking to the first reference, whose note is beside it.
    """

    default_priority = 3
    formats = ("html",)

    def run(self, **_kwargs: Any) -> None:
        """Relink the references whose footnote is gone."""
        ids = {i for node in self.document.findall(nodes.Element) for i in node["ids"]}
        shown: dict[str, str] = {}
        for node in self.document.findall(nodes.Element):
            if type(node).__name__ == "SideNoteNode" and node["ids"] and node["names"]:
                label = node["names"][0].rpartition("-")[2]
                shown.setdefault(label, node["ids"][0])
        for ref in list(self.document.findall(nodes.footnote_reference)):
            if ref.get("refid") in ids:
                continue
            label = ref.astext()
            if label not in shown:
                continue
            link = nodes.reference("", "", nodes.superscript(label, label),
                                   refid=shown[label], classes=["sidenote-repeat"])
            ref.replace_self(link)


def setup_sidenotes(app: Sphinx) -> None:
    """Register the sidenote transforms."""
    app.add_post_transform(LiftSidenotesOutOfPairs)
    app.add_post_transform(LinkRepeatedSidenoteReferences)
