"""Build speed: code that makes the build faster and changes no output.

Owns the garbage collector's tuning (``gc_tuning``), the front matter read by libyaml
(``myst_yaml``), the faster standard domain (``stddomain``), the sidebar navigation rendered
once per build (``navigation``, with its copy of the theme's template in ``templates/``),
docutils' tree walk by a stack (``tree_walks``) and the theme's check for empty templates
skipped where it is needless (``theme_checks``). Each reaches into a library's internals (the
collector's generations and docutils' trees, myst-parser's parser, Sphinx's standard domain,
the theme's toctree, templates and checks, docutils' ``Node.findall``), so all of them are
installed together by :func:`setup_speedups` or not at all: ``edition/__init__.py`` imports
this package only when ``edition_speedups`` is on (the default), and nothing else imports it
(import-linter's contract in ``pyproject.toml``, and ``tests/test_speedups.py`` for the
scripts, benchmarks and projects too). With the setting off, an upgrade that breaks one of
them is met by Sphinx's, myst-parser's, docutils' and the theme's own mechanisms, to the same
output (README, *Performance*).
"""

from __future__ import annotations

from sphinx.application import Sphinx

from edition.speedups.gc_tuning import setup_gc_tuning
from edition.speedups.myst_yaml import setup_myst_yaml
from edition.speedups.navigation import setup_navigation
from edition.speedups.stddomain import setup_standard_domain
from edition.speedups.theme_checks import setup_theme_checks
from edition.speedups.tree_walks import setup_tree_walks


def setup_speedups(app: Sphinx) -> None:
    """Install every speed-up (after the rest of the edition, whose parser one replaces)."""
    setup_gc_tuning(app)
    setup_myst_yaml(app)
    setup_standard_domain(app)
    setup_navigation(app)
    setup_tree_walks(app)
    setup_theme_checks(app)
