"""The registers on the web: the ``ent`` domain's indices set as an edition's register.

Sphinx writes each domain index as a page (``ent-companies.html`` …) in a table made for module
names: names in typewriter, +/− toggles, a row per place repeating the text's title. The
edition's register reads as one in a book: the name in the text face, then its other names —
Simplified and Traditional Chinese, each with its ``lang``, and pinyin — and under it one line
per text that mentions it: the text's title, the paragraphs (¶ numbers, each a link) and how many
mentions the text holds.

:func:`register_nodes` makes that page body from :meth:`MentionIndex.register` as docutils
nodes; the builder's own HTML translator writes them (every text escaped, every ``language-*``
class a ``lang``), and :func:`add_register` hands the HTML to the page's template as
``edition_register`` (``templates/domainindex.html`` prints it; an index of another domain keeps
Sphinx's page). Any Chinese the nodes hold without a language of its own — a Chinese title —
is marked as everywhere else (:mod:`edition.article.chinese`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from converters.common.script import text_language
from edition.article.chinese import (
    chinese_default,
    document_languages,
    mark_chinese,
    mark_whole,
    page_language,
)
from edition.article.listings import omitted
from edition.entities.domain import EntityDomain, entity_domain, language_classes
from edition.entities.indices import MentionIndex, Name, RegisterEntry, RegisterText

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

#: The edition's static files (the stylesheet of the registers, entity pages and timeline).
STATIC_DIR = Path(__file__).parent / "static"
#: The stylesheet of the registers, the entity pages and the timeline.
STYLESHEET = "edition-register.css"
#: The template Sphinx renders a domain index with.
DOMAIN_INDEX_TEMPLATE = "domainindex.html"
#: The folder of the registers' ``domainindex.html``, which prints a register.
REGISTER_TEMPLATES = Path(__file__).parent / "templates"
#: The template context key holding the register's HTML.
CONTEXT_KEY = "edition_register"
#: The page's introduction: how to read a line.
INTRODUCTION = (
    "Each name is given in English, in Simplified and Traditional Chinese and in pinyin where "
    "the registry has them; under it, each text that mentions it, with the paragraphs (¶) and "
    "the number of mentions. The name leads to its page, where every mention stands in its "
    "context."
)
#: The introduction of a register of dates.
DATES_INTRODUCTION = (
    "Each date the texts mention or were published on, by year; under it, each text with the "
    "paragraphs (¶) and the number of mentions. The date leads to its place on the timeline."
)


def group_id(group: str) -> str:
    """The id of a group's heading: ``group-a``, ``group-2020``; ``group-other`` for ``#``."""
    return f"group-{group.lower()}" if group.isalnum() and group.isascii() else "group-other"


def uri(builder: Builder, pagename: str, docname: str, anchor: str) -> str:
    """The address of ``docname#anchor`` from the page ``pagename``."""
    target = builder.get_relative_uri(pagename, docname)
    return f"{target}#{anchor}" if anchor else target


def link(text: str, refuri: str, classes: list[str] | None = None) -> nodes.reference:
    """A link with a text."""
    return nodes.reference(text, text, refuri=refuri, internal=True, classes=classes or [])


def name_node(name: Name) -> nodes.inline:
    """One of a head's other names, in its language."""
    return nodes.inline(name.text, name.text,
                        classes=[f"register-{name.kind}", *language_classes(name.language)])


def text_line(builder: Builder, domain: EntityDomain, pagename: str,
              text: RegisterText) -> nodes.list_item:
    """A text's line: its title, its places as links, its number of mentions."""
    # The places are the links: a linked title beside them would be one more to choose from.
    title = nodes.inline(text.title, text.title, classes=["register-text"])
    # A title in Chinese is in its text's Chinese.
    languages = document_languages(domain.env, text.docname)
    mark_whole(title, text_language(text.title, languages))
    mark_chinese(title, "", chinese_default(languages))
    para = nodes.paragraph("", "", title, classes=["register-line"])
    places = nodes.inline("", "", classes=["register-places"])
    for number, place in enumerate(text.places):
        if number:
            places += nodes.Text(", ")
        places += link(place.label, uri(builder, pagename, text.docname, place.anchor),
                       ["register-place"])
        if place.mentions > 1:
            times = f"\u00a0×{place.mentions}"
            places += nodes.inline(times, times, classes=["register-times"])
    para += nodes.Text(" ")
    para += places
    if text.mentions:
        # A publication or an authorship is a place, not a mention: no count for it alone.
        count = f"{text.mentions} mention{'s' if text.mentions != 1 else ''}"
        # A no-break space: the count never stands alone on a line.
        para += nodes.Text("\u00a0")
        para += nodes.inline(count, count, classes=["register-count"])
    return nodes.list_item("", para)


def entry_nodes(builder: Builder, domain: EntityDomain, pagename: str,
                entry: RegisterEntry) -> nodes.definition_list_item:
    """A thing of the register: its names, then a line per text."""
    head = entry.head
    classes = ["register-name", *language_classes(head.language)]
    if builder.name == "epub" and omitted(entry.page, list(builder.config.edition_book_omit)):
        # the EPUB holds the book, not the entity pages and the timeline: the name is text
        name: nodes.Element = nodes.inline(head.name, head.name, classes=classes)
    else:
        name = link(head.name, uri(builder, pagename, entry.page, entry.anchor), classes)
    term = nodes.term("", "", name, ids=[nodes.make_id(f"entry-{entry.key}")])
    for other in head.names:
        term += nodes.Text(" ")
        term += name_node(other)
    lines = nodes.bullet_list(classes=["register-texts"])
    for text in entry.texts:
        lines += text_line(builder, domain, pagename, text)
    return nodes.definition_list_item("", term, nodes.definition("", lines),
                                      classes=["register-entry"])


def register_nodes(builder: Builder, pagename: str, index: MentionIndex) -> nodes.container:
    """The body of a register page: the introduction, the groups' initials, the groups."""
    domain = entity_domain(builder.env)
    body = nodes.container(classes=["edition-register"])
    dates = "date" in index.name
    body += nodes.paragraph("", DATES_INTRODUCTION if dates else INTRODUCTION,
                            classes=["register-introduction"])
    groups = index.register()
    jumps = nodes.paragraph("", "", classes=["register-groups"])
    for number, (group, _entries) in enumerate(groups):
        if number:
            jumps += nodes.Text(" ")
        jumps += link(group, f"#{group_id(group)}")
    body += nodes.container("", jumps, classes=["register-jump"])
    for group, entries in groups:
        heading = nodes.rubric(group, group, ids=[group_id(group)], classes=["register-group"])
        heading["heading-level"] = 2
        body += heading
        items = nodes.definition_list(classes=["register-entries"])
        for entry in entries:
            items += entry_nodes(builder, domain, pagename, entry)
        body += items
    # Whatever Chinese is still unmarked (a name in a new register kind) is marked as on any
    # page of the edition's language.
    mark_chinese(body, page_language(domain.env, pagename))
    return body


def add_register(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                 _doctree: Any) -> None:
    """Give a register page its body as HTML (``html-page-context``)."""
    if templatename != DOMAIN_INDEX_TEMPLATE:
        return
    builder = app.builder
    for name, index_class, _content, _collapse in getattr(builder, "domain_indices", []):
        # Every register kind is a MentionIndex of the ent domain (indices.py).
        if name == pagename and issubclass(index_class, MentionIndex):
            body = register_nodes(builder, pagename, index_class(entity_domain(app.env)))
            context[CONTEXT_KEY] = builder.render_partial(body)["fragment"]  # type: ignore[attr-defined]
            return


def add_stylesheet(app: Sphinx) -> None:
    """Give the web edition and the EPUB the registers' stylesheet (``builder-inited``)."""
    if app.builder.format != "html":
        return
    static = str(STATIC_DIR)
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)
    app.add_css_file(STYLESHEET)


def add_register_template(_app: Sphinx, config: Config) -> None:
    """Put the registers' template before Sphinx's own (``config-inited``).

    A new list, not Sphinx's default one, which every application of the process shares.
    """
    if str(REGISTER_TEMPLATES) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(REGISTER_TEMPLATES)]


def setup_registers(app: Sphinx) -> None:
    """Register the pages of the registers, their template and their stylesheet."""
    app.connect("config-inited", add_register_template)
    app.connect("builder-inited", add_stylesheet)
    app.connect("html-page-context", add_register)
