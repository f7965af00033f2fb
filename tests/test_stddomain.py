"""The standard domain skips clearing documents read for the first time, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest
from sphinx.application import Sphinx
from sphinx.domains.std import StandardDomain
from sphinx.testing.util import SphinxTestApp

from edition.speedups.stddomain import EditionStandardDomain

CONF = """
extensions = ["myst_parser"]
def setup(app):
    from edition.speedups.stddomain import setup_standard_domain
    setup_standard_domain(app)
"""


def build(src: Path, out: Path) -> Sphinx:
    """Build with Sphinx's test application, which undoes its global registrations."""
    app = SphinxTestApp("html", srcdir=src, builddir=out)
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def test_first_reading_is_not_cleared_and_a_rereading_is(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No full clear on a first build; a changed label is forgotten on the next build."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / "conf.py").write_text(CONF, encoding="utf-8")
    (src / "index.md").write_text("# Home\n\n```{toctree}\npage\n```\n", encoding="utf-8")
    (src / "page.md").write_text("# Page\n\n(old-label)=\nText.\n", encoding="utf-8")
    cleared: list[str] = []
    clear = StandardDomain.clear_doc

    def counting(self: StandardDomain, docname: str) -> None:
        cleared.append(docname)
        clear(self, docname)

    monkeypatch.setattr(StandardDomain, "clear_doc", counting)
    app = build(src, out)
    domain = app.env.domains.standard_domain
    assert isinstance(domain, EditionStandardDomain)
    assert cleared == []
    assert "old-label" in domain.anonlabels
    (src / "page.md").write_text("# Page\n\n(new-label)=\nText.\n", encoding="utf-8")
    app = build(src, out)
    domain = app.env.domains.standard_domain
    assert cleared == ["page"]
    assert "new-label" in domain.anonlabels and "old-label" not in domain.anonlabels
