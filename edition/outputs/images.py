"""Remote images in formats that cannot show them (the PDF, the EPUB): a link instead."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from edition.article.text import paragraph, source_link
from edition.security.safety import is_web_url


class ReplaceRemoteImages(SphinxPostTransform):
    """Replace images on the web by a link to them where a format cannot show remote images.

    Sphinx would otherwise download them while writing the PDF or EPUB; the edition is built
    offline, and an EPUB may not point at remote images.
    """

    # Before Sphinx's own ImageDownloader (priority 100).
    default_priority = 90

    def is_supported(self) -> bool:
        """Only for builders without remote image support (LaTeX, EPUB)."""
        return not self.env._builder_cls.supported_remote_images

    def run(self, **_kwargs: Any) -> None:
        """Swap each remote image for a short paragraph with its address."""
        for image in list(self.document.findall(nodes.image)):
            uri = image["uri"]
            if "://" not in uri:
                continue
            address = source_link(uri) if is_web_url(uri) else nodes.Text(uri)
            # the book's wording (edition/outputs/book.py frames the same words in the PDF)
            children = (nodes.Text("The image, not reproduced here, is at "), address)
            # An image inside running text or a link (an image's :target:) becomes inline text.
            inline = isinstance(image.parent, (nodes.TextElement, nodes.Inline))
            note = (nodes.inline("", "", *children, classes=["remote-image"]) if inline
                    else paragraph(*children, classes=["remote-image"]))
            image.replace_self(note)


def setup_images(app: Sphinx) -> None:
    """Register the transform."""
    app.add_post_transform(ReplaceRemoteImages)
