"""Downloads: the PDF and the EPUB copied into the web edition and linked from every page.

The books are built before the web edition (``nox -s build`` builds PDF, EPUB, then HTML) into
folders beside it (``sphinx -M``: ``build/latex``, ``build/epub``, ``build/html``). When the
HTML build finishes, each book is copied to the top of the HTML output; every page's download
menu (sphinx-book-theme's header buttons) links both, and the ``{edition-download}`` role links
one from a page's text (the home page's). The menu offers readers no MyST source: its roles and
labels are the editors' working text, which they reach through "Edit this page".
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, NamedTuple

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from edition.security.files import copy_file

if TYPE_CHECKING:
    from docutils.nodes import Node, system_message
    from sphinx.application import Sphinx
    from sphinx.config import Config

logger = logging.getLogger(__name__)

#: Builders whose output is the web edition.
WEB_BUILDERS = ("html", "dirhtml")


class Download(NamedTuple):
    """A book offered for download."""

    #: Short name, used by the role (``pdf``).
    key: str
    #: What the menu and links call it.
    label: str
    #: The built file, relative to the folder holding the builders' output folders.
    built: str
    #: Font Awesome icon of the menu entry.
    icon: str


#: The books, in menu order.
DEFAULT_DOWNLOADS: tuple[Download, ...] = (
    Download("pdf", "The book (PDF)", "latex/edition.pdf", "fas fa-file-pdf"),
    Download("epub", "The book (EPUB)", "epub/edition.epub", "fas fa-book"),
)


def downloads(config: Config) -> list[Download]:
    """The configured downloads."""
    return [Download(*item) for item in config.edition_downloads]


def file_name(download: Download) -> str:
    """The download's name in the web edition (at its top level)."""
    return PurePosixPath(download.built).name


def relative_uri(docname: str, name: str) -> str:
    """A file at the top of the output, as a link from a page (``../edition.pdf``)."""
    return "../" * docname.count("/") + name


class DownloadRole(SphinxRole):
    """``{edition-download}`pdf``` or ``{edition-download}`PDF book <pdf>```: a book's link."""

    def run(self) -> tuple[list[Node], list[system_message]]:
        """A link to the copied book, or a located warning for an unknown name."""
        text, _, key = self.text.rpartition("<")
        key = key.rstrip(">").strip() if text else self.text.strip()
        found = {d.key: d for d in downloads(self.env.config)}
        if key not in found:
            logger.warning("unknown download %r in {edition-download} (known: %s)", key,
                           ", ".join(found), location=self.get_location(),
                           type="edition", subtype="download")
            return [nodes.inline(self.rawtext, self.text)], []
        download = found[key]
        shown = text.strip() or download.label
        uri = relative_uri(self.env.docname, file_name(download))
        return [nodes.reference(self.rawtext, shown, refuri=uri, classes=["edition-download"])], []


class UnlinkDownloadsOutsideTheWeb(SphinxPostTransform):
    """In a book (EPUB, PDF) a link to the books is their name: the files are on the web."""

    default_priority = 100

    def is_supported(self) -> bool:
        """Every builder but the web edition's (doctrees are shared between builders)."""
        return self.env._builder_cls.name not in WEB_BUILDERS

    def run(self, **_kwargs: Any) -> None:
        """Replace each download link by its text."""
        for ref in list(self.document.findall(nodes.reference)):
            if "edition-download" in ref["classes"]:
                ref.parent.replace(ref, nodes.Text(ref.astext()))


#: The theme's menu entries a reader has no use for: the page's MyST source, whose roles and
#: labels are the editors' working text (editors open it through "Edit this page").
READER_OMITS: frozenset[str] = frozenset({"download-source-button"})


def add_menu_entries(
    app: Sphinx, pagename: str, _templatename: str, context: dict[str, Any], _doctree: Any
) -> None:
    """Put the books into the header's download menu; the print entry says what it does."""
    if app.builder.name not in WEB_BUILDERS or "header_buttons" not in context:
        return
    buttons: list[dict[str, Any]] = context["header_buttons"]
    group = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if group is None:
        group = {"type": "group", "tooltip": "Download", "icon": "fas fa-download",
                 "buttons": [], "label": "download-buttons"}
        buttons.append(group)
    group["buttons"][:] = [b for b in group["buttons"] if b.get("label") not in READER_OMITS]
    for button in group["buttons"]:
        if button.get("label") == "download-pdf-button":
            # The theme's entry prints the page; the book has its own entry.
            button.update(text="Print this page", tooltip="Print this page",
                          icon="fas fa-print", label="print-page-button")
    books = [
        {"type": "link", "url": relative_uri(pagename, file_name(d)), "text": d.label,
         "tooltip": f"Download {d.label.lower()}", "icon": d.icon,
         "label": f"download-{d.key}-book-button"}
        for d in downloads(app.config)
    ]
    group["buttons"][:0] = books


def copy_downloads(app: Sphinx, exception: Exception | None) -> None:
    """Copy the built books into the web edition (``build-finished``)."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    outdir = Path(app.outdir)
    for download in downloads(app.config):
        built = outdir.parent / download.built
        if not built.is_file():
            # Not a warning: a web-only build (nox -s check) is complete without the books.
            logger.info("%s not built yet (%s): build the PDF and EPUB before the HTML",
                        download.label, built)
            continue
        copy_file(built, outdir / file_name(download))


def setup_downloads(app: Sphinx) -> None:
    """Register the downloads component."""
    app.add_role("edition-download", DownloadRole())
    app.add_post_transform(UnlinkDownloadsOutsideTheWeb)
    # After sphinx-book-theme's header buttons (priority 501).
    app.connect("html-page-context", add_menu_entries, priority=520)
    app.connect("build-finished", copy_downloads)
