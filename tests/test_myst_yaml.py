"""MyST's parser with libyaml: the same documents and warnings as myst-parser's own parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus import sample
from myst_parser.config.main import TopmatterReadError
from myst_parser.config.main import read_topmatter as myst_read_topmatter
from sphinx.testing.util import SphinxTestApp

from edition.myst_yaml import EditionMystParser, read_topmatter

REPO = Path(__file__).resolve().parent.parent
PAGES = {
    "plain": "---\ntitle: A page\nauthors: [A. Writer, B. Writer]\ndate: 2020-07-24\n---\n"
             "# Heading\n\nText with {{ word }}.\n",
    # File-level settings under ``myst:`` (read before parsing) and a block scalar whose lines
    # end in spaces (myst-parser strips them in its first reading, not in its second).
    "settings": "---\nmyst:\n  substitutions:\n    word: replaced\nnote: |\n  kept   \n"
                "  lines  \n---\n# Settings\n\nText with {{ word }}.\n",
    "malformed": "---\ntitle: [unclosed\n---\n# Malformed\n\nText.\n",
    "not-a-mapping": "---\n- a list\n- of items\n---\n# List\n\nText.\n",
    "unicode": "---\ntitle: 字节跳动的故事\nkeywords: ['TikTok 快跑', \"小红书\"]\n---\n"
               "# 標題\n\n文字。\n",
}
CONF = """
extensions = ["myst_parser"]
myst_enable_extensions = ["substitution"]
myst_substitutions = {"word": "default"}
exclude_patterns = ["_build"]
"""
EDITION_PARSER = """
def setup(app):
    from edition.myst_yaml import setup_myst_yaml
    setup_myst_yaml(app)
"""


def front_matters() -> list[str]:
    """The pages above, the edition's articles and pages, and a sample of corpus posts."""
    texts = list(PAGES.values())
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").rglob("*.md"))
              if "_build" not in p.parts]
    # Jekyll posts: front matter written by other tools (quoting, dates, long lines).
    texts += [p.read_text(encoding="utf-8") for p in sample("caixin") + sample("nytimes-cn")]
    return texts


@pytest.mark.parametrize("text", front_matters())
def test_topmatter_read_as_myst_parser_reads_it(text: str) -> None:
    """The first reading gives myst-parser's values, or its error."""
    try:
        expected = myst_read_topmatter(text)
    except TopmatterReadError as error:
        with pytest.raises(TopmatterReadError, match=re.escape(str(error))):
            read_topmatter(text)
    else:
        assert read_topmatter(text) == expected


def build(tmp_path: Path, name: str, conf: str) -> tuple[dict[str, str], str, SphinxTestApp]:
    """Build the pages with ``conf``; each page's doctree (as text) and the warnings."""
    src = tmp_path / name
    src.mkdir()
    (src / "conf.py").write_text(conf, encoding="utf-8")
    toctree = "\n".join(PAGES)
    (src / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for page, text in PAGES.items():
        (src / f"{page}.md").write_text(text, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / f"{name}-build")
    try:
        app.build()
        trees = {page: app.env.get_doctree(page).pformat().replace(str(src), "SRC")
                 + repr(sorted(app.env.metadata[page].items())) for page in PAGES}
        warnings = app.warning.getvalue().replace(str(src), "SRC")
    finally:
        app.cleanup()
    return trees, warnings, app


def test_pages_and_warnings_are_myst_parsers(tmp_path: Path) -> None:
    """Same doctrees and warnings as myst-parser, from the parser the edition registers."""
    ours, our_warnings, app = build(tmp_path, "edition", CONF + EDITION_PARSER)
    assert app.registry.source_parsers["markdown"] is EditionMystParser
    theirs, their_warnings, app = build(tmp_path, "myst", CONF)
    assert app.registry.source_parsers["markdown"] is not EditionMystParser
    assert ours == theirs
    assert our_warnings == their_warnings
    # The cases are exercised: substitutions from the page's settings, both YAML warnings,
    # the block scalar's spaces kept in the page's metadata (the rendered front matter).
    assert "('note', 'kept   \\nlines  ')" in ours["settings"]
