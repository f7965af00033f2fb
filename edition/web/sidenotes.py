"""Margin notes in HTML: two corrections to how sphinx-book-theme turns footnotes into sidenotes.

With ``use_sidenotes`` the theme moves each footnote beside its reference. A note inside a
parallel pair would become a third column, and a second reference to one note would point at
nothing; the transforms here fix both. The theme's own transform matches every reference
against every footnote of the page; ``SidenotesInOnePass`` does its work first with a table.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_book_theme.nodes import SideNoteNode

#: The text that marks a footnote as an unnumbered margin note (sphinx-book-theme's syntax).
MARGIN_NOTE_MARK = "{-}"


class SidenotesInOnePass(SphinxPostTransform):
    """Turn footnotes into margin notes as sphinx-book-theme does, finding each footnote once.

    The theme's ``HandleFootnoteTransform`` walks the page's footnotes again for every
    reference: quadratic in a page's notes, a few per cent of a corpus build. This transform
    runs just before it and produces the same nodes, looking each footnote up by the id of its
    first back-reference; the theme's transform then finds no footnote left to move.
    """

    # After the TEI export (0), which reads the footnotes where the source has them; at the
    # theme's priority, registered before it (the theme's extension loads with the builder,
    # after the edition's).
    default_priority = 1
    formats = ("html",)

    def run(self, **_kwargs: Any) -> None:
        """Move each footnote beside its first reference."""
        # the builder's theme options, as the theme reads them: the EPUB has its own
        options = (self.config.epub_theme_options if self.env._builder_cls.name == "epub"
                   else self.config.html_theme_options)
        if options.get("use_sidenotes", False) is False:
            return
        by_backref: dict[str, nodes.footnote] = {}
        for footnote in self.document.findall(nodes.footnote):
            if footnote["backrefs"]:
                by_backref.setdefault(footnote["backrefs"][0], footnote)
        # The walk is live, as the theme's: nodes inserted before it are visited as it does.
        for ref in self.document.findall(nodes.footnote_reference):
            found = by_backref.pop(ref["ids"][0], None) if ref["ids"] else None
            if found is not None:
                move_note(ref, found)


def move_note(ref: nodes.footnote_reference, footnote: nodes.footnote) -> None:
    """Put ``footnote`` beside ``ref`` as a side or margin note, exactly as the theme does."""
    parent = footnote.parent
    body = footnote.children[1]
    assert isinstance(body, nodes.Element)
    content: list[nodes.Node] = body.children
    sidenote = SideNoteNode()
    para = nodes.inline()
    label = footnote.children[0].astext()
    if content[0].astext().startswith(MARGIN_NOTE_MARK):
        para["classes"].append("marginnote")
        content[0] = nodes.Text(str(content[0]).replace(MARGIN_NOTE_MARK, ""))
        para.children = content
        sidenote["names"].append(f"marginnote-role-{label}")
    else:
        superscript = nodes.superscript("", label)
        para["classes"].append("sidenote")
        para.children = [superscript, *content]
        sidenote["names"].append(f"sidenote-role-{label}")
        sidenote.append(superscript)
    # A reference inside a container: the note goes before the container (for the margin)
    # and a copy, hidden on wide screens, beside the reference.
    para_dup = para.deepcopy()
    node_parent = ref.parent
    while not isinstance(node_parent, (nodes.section, nodes.document)):
        if not isinstance(node_parent, (nodes.paragraph, nodes.footnote)):
            node_parent.replace_self([para, node_parent])
            para_dup["classes"].append("d-n")
            break
        node_parent = node_parent.parent
    ref.replace_self([sidenote, para_dup])
    parent.remove(footnote)


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
    app.add_post_transform(SidenotesInOnePass)
    app.add_post_transform(LiftSidenotesOutOfPairs)
    app.add_post_transform(LinkRepeatedSidenoteReferences)
