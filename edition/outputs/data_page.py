"""The research data page: ``{research-data}`` lists every data file the build writes.

The list is made when the page is resolved, from the articles the build knows, so every
article's TEI file is linked; in HTML the links are relative (the files are beside the pages),
in other formats they are the published addresses (``edition_baseurl``/``html_baseurl``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.osutil import relative_uri

from edition.article.placeholders import PlaceholderDirective, listing
from edition.entities.domain import entity_domain, language_classes
from edition.outputs.export import HTML_BUILDERS, site_base
from edition.outputs.tei import TEI_FOLDER

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The data files of every build: path in the output, and what each holds.
DATA_FILES: tuple[tuple[str, str], ...] = (
    ("_static/entities.json", "names and dates with every mention (JSON)"),
    ("_static/entities.csv", "names and dates, one row per mention (CSV)"),
    ("data/articles.json", "the articles’ metadata (JSON)"),
    ("data/articles.csv", "the articles’ metadata (CSV)"),
)


class research_data(listing):  # lower case, as docutils names nodes
    """Placeholder for the list of data files, filled when the page is resolved."""


class ResearchDataDirective(PlaceholderDirective):
    """``{research-data}``: the list of the data files, with a link to each."""

    placeholder = research_data


def file_link(app: Sphinx, fromdocname: str, path: str, text: str) -> nodes.reference:
    """A link to a data file: relative in HTML, the published address elsewhere."""
    if app.builder.name in HTML_BUILDERS:
        uri = relative_uri(app.builder.get_target_uri(fromdocname), path)
    else:
        uri = site_base(app) + path
    return nodes.reference(text, text, refuri=uri)


def fill_research_data(app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """Replace the ``{research-data}`` placeholder by the list (``doctree-resolved``)."""
    domain = entity_domain(app.env)
    for node in list(doctree.findall(research_data)):
        here = node["docname"]
        files = nodes.bullet_list(classes=["research-data"])
        for path, what in DATA_FILES:
            name = path.rsplit("/", 1)[-1]
            files += nodes.list_item("", nodes.paragraph(
                "", "", file_link(app, here, path, name), nodes.Text(f": {what}")
            ))
        tei = nodes.bullet_list(classes=["research-data-tei"])
        for article in sorted(d for d in app.env.found_docs if domain.is_article(d)):
            slug = article.rsplit("/", 1)[-1]
            title = domain.title_of(article)
            classes = language_classes(domain.languages.get(article, ""))
            tei += nodes.list_item("", nodes.paragraph(
                "", "", file_link(app, here, f"{TEI_FOLDER}/{slug}.xml", f"{slug}.xml"),
                nodes.Text(": "), nodes.inline(title, title, classes=classes),
            ))
        files += nodes.list_item("", nodes.paragraph(
            "", "TEI P5, one file per article:"
        ), tei)
        node.replace_self(files)


def setup_data_page(app: Sphinx) -> None:
    """Register the ``research-data`` directive and its resolution."""
    app.add_node(research_data)
    app.add_directive("research-data", ResearchDataDirective)
    app.connect("doctree-resolved", fill_research_data)
