"""The theme's check for empty templates, skipped for two templates that are never empty.

pydata-sphinx-theme renders every template of a page's sections once in its
``html-page-context`` handler, to drop those that render empty, and the page renders them
again. Two of them always write an element around whatever they hold, so their first rendering
is thrown away on every page: the edition's sidebar navigation (``sbt-sidebar-nav.html``, its
copy in ``templates/``: a ``<nav>``) and sphinx-book-theme's header buttons
(``article-header-buttons.html``: a ``<div class="article-header-buttons">``). They cost 0.9 and
1.5 ms a page (py-spy of the 100- and 300-post builds, per added text). The theme's function
takes a list of templates it does not check; these two are added to it while a build runs
(``swap.py``), so the page is the same (``tests/test_speedups.py`` compares every file built
with and without the speed-ups; a theme upgrade whose template can be empty shows there).
"""

from __future__ import annotations

from typing import Any

from pydata_sphinx_theme import utils
from sphinx.application import Sphinx

from edition.speedups.swap import replace_during_builds

#: Templates that write an element whatever they hold.
NEVER_EMPTY = ("sbt-sidebar-nav.html", "article-header-buttons.html")

#: The theme's own function, given back when the build ends.
THEME_CHECK = utils._update_and_remove_templates


def _check_fewer(app: Sphinx, context: dict[str, Any], templates: list[str] | str, section: str,
                 templates_skip_empty_check: list[str] | None = None) -> list[str]:
    """The theme's function, with :data:`NEVER_EMPTY` among the templates it does not check."""
    skip = [*(templates_skip_empty_check or []), *NEVER_EMPTY]
    return THEME_CHECK(app, context, templates, section, skip)


def setup_theme_checks(app: Sphinx) -> None:
    """Check fewer templates for the length of each build."""
    replace_during_builds(app, utils, "_update_and_remove_templates", _check_fewer, THEME_CHECK)
