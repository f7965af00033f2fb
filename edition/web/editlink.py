"""Edit links: the theme's "Edit this page" button must lead to a file that exists.

sphinx-book-theme builds the link from ``repository_url``, ``repository_branch`` and
``path_to_docs`` (set once, in ``docs/conf.py``) plus the page's own source name. Generated
pages (entity pages, the timeline) are written at build time and are not in the repository:
``edition_generated_sources`` maps them to the file to edit instead — the registry for entity
pages — or to ``""`` to show no edit button at all.
"""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def source_for(pagename: str, sources: dict[str, str]) -> str | None:
    """The file (relative to the docs folder) to edit for a generated page; ``""`` for none.

    ``None`` means the page is not generated: its own source is the file to edit.
    """
    for pattern, source in sources.items():
        if fnmatchcase(pagename, pattern):
            return source
    return None


def redirect_edit_link(app: Sphinx, pagename: str, _templatename: str,
                       context: dict[str, Any], _doctree: Any) -> None:
    """Point a generated page's edit link at the file it is made from, or remove the link."""
    source = source_for(pagename, app.config.edition_generated_sources)
    suffix = context.get("page_source_suffix")
    if source is None or not suffix:
        return
    if not source:
        # the theme shows the edit and source buttons only for pages with a source suffix
        context["page_source_suffix"] = ""
        return
    theme_link: Callable[[], tuple[str, str]] | None = context.get("get_edit_provider_and_url")
    if theme_link is None:
        return
    own_file = f"{pagename}{suffix}"

    def edit_link() -> tuple[str, str]:
        provider, url = theme_link()
        if url.endswith(own_file):
            url = url[: -len(own_file)] + source
        return provider, url

    context["get_edit_provider_and_url"] = edit_link


#: What the edit button says (the theme's own words are "Suggest edit").
EDIT_BUTTON_TEXT = "Edit this page"


def name_edit_button(_app: Sphinx, _pagename: str, _templatename: str,
                     context: dict[str, Any], _doctree: Any) -> None:
    """Call the theme's edit button what it is in this edition: "Edit this page"."""
    for button in _buttons(context.get("header_buttons", [])):
        if button.get("label") == "source-edit-button":
            button["tooltip"] = EDIT_BUTTON_TEXT
            if button.get("text"):
                button["text"] = EDIT_BUTTON_TEXT


def _buttons(buttons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for button in buttons:
        out.append(button)
        out.extend(_buttons(button.get("buttons", [])))
    return out


def _connect_after_theme(app: Sphinx) -> None:
    # The theme registers its page-context handlers when the builder loads it, after the
    # extensions: connecting now, at the same priority as the theme's edit-link setup (500)
    # and before its buttons (501), runs the redirection between the two; the naming runs
    # once the buttons exist.
    app.connect("html-page-context", redirect_edit_link, priority=500)
    app.connect("html-page-context", name_edit_button, priority=502)


def setup_editlink(app: Sphinx) -> None:
    """Register ``edition_generated_sources`` and the edit-link redirection."""
    app.connect("builder-inited", _connect_after_theme)
