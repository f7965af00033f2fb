"""The sidebar navigation, rendered once per build instead of once per page.

pydata-sphinx-theme (under sphinx-book-theme) asks Sphinx for the whole site's table of contents
on every page (``generate_toctree_html``), and Sphinx resolves every toctree of the site each
time before it prunes the result to ``max_navbar_depth``; the theme then re-parses the HTML with
BeautifulSoup. The cost per page grows with the number of documents, so a build grows with its
square: known from the theme's own tracker for large sites, and measured here on the corpus.

The navigation differs from page to page in two things only: its relative links (a page in
``articles/`` reaches ``method.html`` as ``../method.html`` and ``articles/b.html`` as
``b.html``) and the ``current`` marks on the page's own entry and its ancestors. So the theme
renders it once, for a page at the root that is in no toctree; the result is kept as a
template in which every link and every entry's classes carry a placeholder, and each page
fills the placeholders by plain string replacement — no toctree resolution and no HTML
parsing per page. ``tests/test_navigation.py`` builds a project both ways and compares the
sidebar of every page, byte for byte.

Only the sidebar (``kind="sidebar"``, ``startdepth=0``, as sphinx-book-theme asks for it) with
``collapse`` off and ``show_nav_level`` at least 1 is served from the template: a collapsed
toctree, or one whose captions fold (level 0), depends on the page in more than its marks, so such
calls, and every other kind, go to the theme unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from bs4 import BeautifulSoup, Tag

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.builders import Builder
    from sphinx.config import Config

#: Placeholder characters: control characters never occur in HTML Sphinx writes, so they cannot
#: collide with the navigation's text. ``LINK`` stands before each link from the root (made
#: relative to each page by :func:`relative_links`); ``MARK`` encloses a token where an
#: element's ``current`` classes go: ``MARK + "l3" + MARK`` after an entry's classes,
#: ``MARK + "u1" + MARK`` before a list's, ``MARK + "a:DOC" + MARK`` before the classes of DOC's
#: own link, and a disclosure's ``class="MARK d5 MARK"`` where its ``open`` attribute goes.
LINK = "\x02"
MARK = "\x01"
#: The classes Sphinx and the theme give an entry, a list and a link on the current page's path.
CURRENT_ITEM = " current active"
CURRENT_LIST = "current "
CURRENT_LINK = "current "
#: What is left of a mark that is not on the current page's path.
UNMARKED = re.compile(f"{MARK}[^{MARK}]*{MARK}")
#: A link of the template: its address from the root, without its anchor.
LINKED = re.compile(f'href="{LINK}([^"#]*)')


#: Where the template is cut into pieces: before each entry's start tag. Every placeholder lies
#: inside a tag and no replacement reaches across a ``<``, so a piece is filled as the whole
#: template would be filled there.
PIECE = re.compile(r"(?=<li[\s>])")


@dataclass(frozen=True)
class NavTemplate:
    """The sidebar with placeholders, and the marks that put each document on the current path."""

    html: str
    #: for each document in the sidebar, what puts its branch on the current path: each
    #: placeholder of its entry and of every list, entry and disclosure around it, with the text
    #: that replaces it (Sphinx marks the whole branch ``current``, the theme opens it)
    branches: dict[str, tuple[tuple[str, str], ...]]

    @cached_property
    def pieces(self) -> tuple[str, ...]:
        """The template cut before each entry (:data:`PIECE`): joined, the template."""
        return tuple(PIECE.split(self.html))

    @cached_property
    def placed(self) -> dict[str, tuple[int, ...]]:
        """The pieces holding each placeholder of a branch and each page's own-link mark."""
        where: dict[str, list[int]] = {}
        for index, piece in enumerate(self.pieces):
            if MARK not in piece:
                continue
            for mark in UNMARKED.findall(piece):
                # a disclosure's placeholder is its whole class attribute
                attribute = f' class="{mark}"'
                for token in (mark, attribute) if attribute in piece else (mark,):
                    where.setdefault(token, []).append(index)
        return {token: tuple(indices) for token, indices in where.items()}

    @cached_property
    def linked(self) -> dict[str, tuple[int, ...]]:
        """The pieces holding a link to each address (from the root, without its anchor)."""
        where: dict[str, list[int]] = {}
        for index, piece in enumerate(self.pieces):
            for target in LINKED.findall(piece):
                where.setdefault(target, []).append(index)
        return {target: tuple(indices) for target, indices in where.items()}

    @cached_property
    def _unmarked(self) -> dict[tuple[tuple[str, str], ...], list[str]]:
        return {}

    def unmarked(self, links: tuple[tuple[str, str], ...]) -> list[str]:
        """Every piece filled for a page on no branch and not linked to, with ``links``."""
        filled = self._unmarked.get(links)
        if filled is None:
            filled = self._unmarked[links] = [fill(piece, (), None, links)
                                              for piece in self.pieces]
        return filled


#: The navigation template of each build, by builder and by the theme's arguments.
_TEMPLATES: WeakKeyDictionary[Builder, dict[tuple[Any, ...], NavTemplate]] = WeakKeyDictionary()

Generator = Callable[..., Any]


def _doc_by_uri(app: Sphinx) -> dict[str, str]:
    """Each document's target URI (``articles/x.html``), pointing back at its name."""
    return {app.builder.get_target_uri(doc): doc for doc in app.env.found_docs}


def _neutral_html(app: Sphinx, kwargs: dict[str, Any]) -> str:
    """The site's toctree as Sphinx renders it for the root document, before the theme's edits.

    The root document is in no toctree (it holds them), so nothing is marked current, and its
    links are relative to the output's root.
    """
    from sphinx.environment.adapters.toctree import global_toctree_for_doc

    toctree = global_toctree_for_doc(
        app.env, app.config.root_doc, app.builder, tags=app.builder.tags,
        collapse=False,
        maxdepth=int(kwargs.get("maxdepth", 0) or 0),
        includehidden=bool(kwargs.get("includehidden", True)),
        titles_only=bool(kwargs.get("titles_only", False)),
    )
    if toctree is None:
        return ""
    return str(app.builder.render_partial(toctree)["fragment"])  # type: ignore[attr-defined]


def _template(app: Sphinx, html: str) -> NavTemplate:
    """Put a placeholder before every internal link and into the classes of every entry and list."""
    docs = _doc_by_uri(app)
    soup = BeautifulSoup(html, "html.parser")
    tokens: dict[int, tuple[str, str]] = {}
    numbers = count(1)

    def token(element: Tag) -> tuple[str, str]:
        """Put a placeholder into the element's classes; return it with its current form."""
        key = id(element)
        if key not in tokens:
            mark = f"{MARK}{element.name[0]}{next(numbers)}{MARK}"
            classes = [str(c) for c in element.get("class") or []]
            # bs4 joins classes with spaces: the mark is glued to a neighbouring class, so an
            # unmarked element keeps exactly its own class attribute. Sphinx's classes come
            # first, then "current active", then the theme's "has-children".
            if element.name == "li":
                own = [c for c in classes if c != "has-children"]
                theme = classes[len(own):]
                element["class"] = [*own[:-1], f"{own[-1] if own else ''}{mark}", *theme]
                tokens[key] = (mark, CURRENT_ITEM)
            elif element.name == "details":
                element["class"] = [mark]  # the whole attribute becomes open="open"
                tokens[key] = (f' class="{mark}"', ' open="open"')
            else:
                element["class"] = [f"{mark}{classes[0] if classes else ''}", *classes[1:]]
                tokens[key] = (mark, CURRENT_LIST)
        return tokens[key]

    def branch(entry: Tag) -> tuple[tuple[str, str], ...]:
        around = [entry, *(p for p in entry.parents if p.name in ("li", "ul"))]
        marks = [token(element) for element in around]
        # the theme opens the disclosure of every entry on the current branch
        for element in around:
            details = element.find("details", recursive=False) if element.name == "li" else None
            if isinstance(details, Tag) and not details.has_attr("open"):
                marks.append(token(details))
        return tuple(marks)

    branches: dict[str, tuple[tuple[str, str], ...]] = {}
    for link in soup.find_all("a", href=True):
        if not isinstance(link, Tag):
            continue
        href = str(link["href"])
        path = href.split("#", 1)[0]
        if path not in docs or "://" in href:
            continue
        doc = docs[path]
        link["href"] = LINK + href
        entry = link.find_parent("li")
        if not isinstance(entry, Tag) or entry.find("a") is not link or "#" in href:
            continue
        classes = [str(c) for c in link.get("class") or []]
        link["class"] = [f"{MARK}a:{doc}{MARK}{classes[0] if classes else ''}", *classes[1:]]
        if doc not in branches:
            branches[doc] = branch(entry)
    return NavTemplate(str(soup), branches)


def _ancestors(app: Sphinx, pagename: str) -> list[str]:
    """The page and every document whose toctree leads to it, nearest first."""
    from sphinx.environment.adapters.toctree import _get_toctree_ancestors

    return [pagename, *_get_toctree_ancestors(app.env.toctree_includes, pagename)]


def relative_links(uri: str) -> list[tuple[str, str]]:
    """How each link from the site's root is written on the page at ``uri``, as Sphinx does.

    Replacements to make in order. Sphinx's ``relative_uri`` drops the folders the page and
    the target share, then climbs out of the page's other folders: from ``articles/a.html``,
    ``articles/b.html`` is ``b.html`` and ``method.html`` is ``../method.html``; so each of
    the page's folders, the deepest first, is a prefix to replace. Before them, its two
    special cases: the page itself is ``""`` (``#`` and the anchor, with one), and a page's
    own folder (a ``dirhtml`` address) is ``./``.
    """
    folders = uri.split("#", 1)[0].split("/")[:-1]
    depth = len(folders)
    special = [(f'href="{LINK}{uri}"', 'href=""'), (f'href="{LINK}{uri}#', 'href="#')]
    if not uri.endswith("/"):
        own_folder = "".join(f"{folder}/" for folder in folders)
        special += [(f'href="{LINK}{own_folder}"', 'href="./"'),
                    (f'href="{LINK}{own_folder}#', 'href="./#')]
    prefixes = [(LINK + "/".join(folders[:shared]) + "/", "../" * (depth - shared))
                for shared in range(depth, 0, -1)]
    return [*special, *prefixes, (LINK, "../" * depth)]


def localise(template: NavTemplate, pagename: str, path: list[str], uri: str = "") -> str:
    """Fill a navigation template for one page: relative links and the current branch.

    ``path`` is the page and its toctree ancestors, ``uri`` the page's address from the root
    (the builder's target URI; by default ``pagename.html``). As Sphinx writes it, every entry
    and list around one of them is ``current`` (the theme adds ``active`` to entries), the
    page's own link is ``#`` with the class ``current``, and every link is relative to the
    page in the shortest form (:func:`relative_links`).

    Only the pieces of the template that hold the page's branch, its own link or a link to the
    page are filled for the page; every other piece is the same on every page of the same
    folder, filled once. (The sidebar lists every text: filling all of it on every page made
    the build grow with the square of the texts.)
    """
    uri = uri or f"{pagename}.html"
    replacements = [pair for doc in path for pair in template.branches.get(doc, ())]
    links = relative_links(uri)
    # The first two are the page's links to itself; the others depend on its folder alone.
    pieces = template.unmarked(tuple(links[2:]))
    touched = {index for placeholder, _current in replacements
               for index in template.placed.get(placeholder, ())}
    touched.update(template.linked.get(uri.split("#", 1)[0], ()))
    own = f"{MARK}a:{pagename}{MARK}"
    # Only the page's first link to itself becomes its own (``#``); another is unmarked.
    own_piece = template.placed.get(own, (None,))[0]
    if own_piece is not None:
        touched.add(own_piece)
    if not touched:
        return "".join(pieces)
    filled = list(pieces)
    for index in touched:
        filled[index] = fill(template.pieces[index], replacements,
                             own if index == own_piece else None, links)
    return "".join(filled)


def fill(html: str, replacements: Sequence[tuple[str, str]], own: str | None,
         links: Sequence[tuple[str, str]]) -> str:
    """Fill (part of) a navigation template for a page; every mark not filled is removed.

    The marks of the page's branch (``replacements``), its own link (its mark ``own``) and
    the links relative to the page (``links``, :func:`relative_links`).
    """
    for placeholder, current in replacements:
        html = html.replace(placeholder, current)
    start = html.find(own) if own is not None else -1
    if own is not None and start != -1:
        # bs4 writes the class attribute before href: the page's own link is the next href
        href = html.find(f'href="{LINK}', start)
        end = html.find('"', href + len('href="'))
        html = f'{html[:start]}{CURRENT_LINK}{html[start + len(own):href]}href="#{html[end:]}'
    for root_relative, relative in links:
        html = html.replace(root_relative, relative)
    # a list that had no classes: no attribute when unmarked, "current" alone when marked
    html = html.replace(' class="current "', ' class="current"')
    return UNMARKED.sub("", html).replace(' class=""', "")


def _soup_of(app: Sphinx, theme: Generator, context: dict[str, Any], args: tuple[Any, ...],
             kwargs: dict[str, Any]) -> Any:
    """The theme's own sidebar for the neutral toctree (its BeautifulSoup edits included)."""
    own_toctree = context.get("toctree")
    neutral = _neutral_html(app, kwargs)
    context["toctree"] = lambda **_: neutral
    try:
        return theme(*args, **kwargs)
    finally:
        context["toctree"] = own_toctree


def serve_navigation_once(app: Sphinx, pagename: str, _templatename: str,
                          context: dict[str, Any], _doctree: Any) -> None:
    """Give the page's templates ``edition_sidebar_nav``, the sidebar from a per-build template.

    It must be in the context before the theme renders the sidebar for the first time, which
    the theme does already in its own ``html-page-context`` handler (to drop sidebar templates
    that render empty), so the edition's copy of ``sbt-sidebar-nav.html`` calls this function
    rather than wrapping the theme's. The theme's ``generate_toctree_html`` is looked up at call
    time: it renders the template once, and every call the template cannot serve.
    """

    def edition_sidebar_nav(kind: str, startdepth: int = 1, show_nav_level: int = 1,
                            **kwargs: Any) -> Any:
        theme: Generator = context["generate_toctree_html"]
        if (not app.config.edition_navigation_once or kind != "sidebar" or startdepth != 0
                or kwargs.get("collapse") or show_nav_level < 1):
            return theme(kind, startdepth, show_nav_level, **kwargs)
        key = (show_nav_level, *sorted(kwargs.items()))
        templates = _TEMPLATES.setdefault(app.builder, {})
        if key not in templates:
            soup = _soup_of(app, theme, context, (kind, startdepth, show_nav_level), kwargs)
            templates[key] = _template(app, str(soup))
        return localise(templates[key], pagename, _ancestors(app, pagename),
                        app.builder.get_target_uri(pagename))

    context["edition_sidebar_nav"] = edition_sidebar_nav


#: The speed-ups' templates (the edition's copy of the theme's sidebar navigation).
TEMPLATES = Path(__file__).parent / "templates"


def add_templates(_app: Sphinx, config: Config) -> None:
    """Put the edition's templates before the theme's, so its sidebar navigation is used.

    A new list: when ``conf.py`` sets none, the list is Sphinx's default, shared by every
    application of the process (a test's next build, with the speed-ups off, would use it).
    """
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path = [*config.templates_path, str(TEMPLATES)]


def forget_navigation(app: Sphinx, _env: Any) -> list[str]:
    """Drop the last build's sidebar template: an application kept alive builds again."""
    _TEMPLATES.pop(app.builder, None)
    return []


def setup_navigation(app: Sphinx) -> None:
    """Register the once-per-build sidebar (``edition_navigation_once``, on by default).

    Installed only with ``edition_speedups`` on: otherwise the theme's own template renders
    the sidebar on every page.
    """
    app.connect("config-inited", add_templates)
    # the preview (scripts/preview.py) builds many times with one application
    app.connect("env-updated", forget_navigation)
    app.connect("html-page-context", serve_navigation_once)
