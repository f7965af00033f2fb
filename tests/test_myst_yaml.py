"""MyST's parser with libyaml: the same documents and warnings as myst-parser's own parser.

The edition's parser also renders behind the allowlist (tests/test_allowlist.py): these
tests compare it with myst-parser's on pages the allowlist accepts, where the two must agree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from corpus import sample
from sphinx.testing.util import SphinxTestApp

from edition.speedups.myst_yaml import EditionMystParser, EditionRenderer

REPO = Path(__file__).resolve().parent.parent
#: Articles (``articles/``): their front matter is the article's fields.
PAGES = {
    "plain": "---\ntitle: A page\nauthors: [A. Writer, B. Writer]\ndate: 2020-07-24\n---\n"
             "# Heading\n\nText.\n",
    # A block scalar whose lines end in spaces (myst-parser strips them in its first reading,
    # not in its second).
    "block": "---\ntitle: Block\nsubtitle: |\n  kept   \n  lines  \n---\n# Block\n\nText.\n",
    "unicode": "---\ntitle: 字节跳动的故事\nauthors: ['TikTok 快跑', \"小红书\"]\n---\n"
               "# 標題\n\n文字。\n",
}
CONF = """
extensions = ["myst_parser"]
myst_enable_extensions = ["substitution"]
exclude_patterns = ["_build"]
"""
EDITION_PARSER = """
def setup(app):
    from edition.speedups.myst_yaml import setup_myst_yaml
    setup_myst_yaml(app)
"""


def front_matters() -> list[str]:
    """The pages above, the edition's articles and pages, and a sample of corpus posts."""
    texts = list(PAGES.values())
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "docs").rglob("*.md"))
              if "_build" not in p.parts]
    # Jekyll posts: front matter written by other tools (quoting, dates, long lines).
    texts += [p.read_text(encoding="utf-8") for p in sample("caixin") + sample("nytimes-cn")]
    return [text.split("\n---", 1)[0].removeprefix("---\n") for text in texts
            if text.startswith("---\n")]


@pytest.mark.parametrize("text", front_matters())
def test_front_matter_loaded_as_pyyaml_loads_it(text: str) -> None:
    """libyaml builds the values PyYAML's pure-Python loader builds, or fails where it fails."""
    try:
        expected = yaml.safe_load(text)
    except yaml.YAMLError:
        expected = None
    assert EditionRenderer.load_front_matter(None, text) == expected  # type: ignore[arg-type]


def build(tmp_path: Path, name: str, conf: str) -> tuple[dict[str, str], str, SphinxTestApp]:
    """Build the pages with ``conf``; each page's doctree (as text) and the warnings."""
    src = tmp_path / name
    (src / "articles").mkdir(parents=True)
    (src / "conf.py").write_text(conf, encoding="utf-8")
    toctree = "\n".join(f"articles/{page}" for page in PAGES)
    (src / "index.md").write_text(f"# Home\n\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for page, text in PAGES.items():
        (src / "articles" / f"{page}.md").write_text(text, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / f"{name}-build")
    try:
        app.build()
        trees = {page: app.env.get_doctree(f"articles/{page}").pformat().replace(str(src), "SRC")
                 + repr(sorted(app.env.metadata[f"articles/{page}"].items())) for page in PAGES}
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
    # The cases are exercised: the block scalar's spaces kept in the page's metadata.
    assert "('subtitle', 'kept   \\nlines  ')" in ours["block"]
