"""The sidebar rendered once per build is, on every page, the theme's own per-page sidebar."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.osutil import relative_uri

from edition.speedups.navigation import (
    _TEMPLATES,
    LINK,
    MARK,
    NavTemplate,
    _ancestors,
    fill,
    localise,
    relative_links,
)

SIDEBAR = re.compile(r'<nav class="bd-links bd-docs-nav".*?</nav>', re.DOTALL)


def sidebar(page: Path, name: str) -> str:
    """A page's sidebar, as written."""
    match = SIDEBAR.search(page.read_text(encoding="utf-8"))
    assert match, f"{name}: no sidebar"
    return match.group(0)


def build(rootdir: Path, tmp_path: Path, once: bool, depth: int) -> Path:
    """Build the navigation root with the once-per-build sidebar, or with the theme's own.

    Without it, the speed-ups are off altogether: the theme's own template renders the
    sidebar (not the edition's copy of it).
    """
    src = tmp_path / f"src-{once}"
    shutil.copytree(rootdir / "test-navigation", src)
    options = {"home_page_in_toc": True, "show_navbar_depth": depth, "max_navbar_depth": 3}
    app = SphinxTestApp("html", srcdir=src, confoverrides={
        "edition_speedups": once, "html_theme_options": options})
    try:
        app.build()
        assert "Traceback" not in app.warning.getvalue()
        return Path(app.outdir)
    finally:
        app.cleanup()


@pytest.mark.sphinx
@pytest.mark.parametrize("depth", [1, 2])
def test_every_page_has_the_theme_sidebar(rootdir: Path, tmp_path: Path, depth: int) -> None:
    """Nested, hidden and captioned toctrees, folders, an orphan: the same sidebar both ways,
    byte for byte (each link in Sphinx's shortest relative form)."""
    theirs = build(rootdir, tmp_path, False, depth)
    ours = build(rootdir, tmp_path, True, depth)
    pages = sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*.html"))
    assert "about/deep/leaf.html" in pages and "orphan.html" in pages
    compared = 0
    for name in pages:
        page = theirs / name
        if not SIDEBAR.search(page.read_text(encoding="utf-8")):
            continue
        assert sidebar(ours / name, name) == sidebar(page, name), name
        compared += 1
    assert compared >= 7
    # the current branch is marked: on the leaf, its chain of ancestors
    leaf = sidebar(ours / "about/deep/leaf.html", "about/deep/leaf.html")
    assert 'class="toctree-l1 current active' in leaf
    assert MARK not in (ours / "about/deep/leaf.html").read_text(encoding="utf-8")


def test_localise_marks_the_branch_and_rebases_links() -> None:
    """The template's placeholders: links gain the page's way to the root, the branch its marks."""
    template = NavTemplate(
        html=(f'<ul class="{MARK}ul1{MARK}nav"><li class="toctree-l1{MARK}li2{MARK}">'
              f'<a class="{MARK}a:texts/one{MARK}reference internal" href="\x02texts/one.html">'
              f'One</a></li></ul>'),
        branches={"texts/one": ((f"{MARK}li2{MARK}", " current active"),
                                (f"{MARK}ul1{MARK}", "current "))},
    )
    assert localise(template, "texts/one", ["texts/one"]) == (
        '<ul class="current nav"><li class="toctree-l1 current active">'
        '<a class="current reference internal" href="#">One</a></li></ul>')
    assert localise(template, "about/x", ["about/x"]) == (
        '<ul class="nav"><li class="toctree-l1">'
        '<a class="reference internal" href="../texts/one.html">One</a></li></ul>')


@pytest.mark.parametrize("page", ["index.html", "texts/one.html", "about/deep/leaf.html", "",
                                  "about/", "about/deep/"])
def test_links_are_written_as_sphinx_writes_them(page: str) -> None:
    """A link from the root, on any page, is Sphinx's relative_uri of it (and its anchor)."""
    targets = ["index.html", "method.html", "texts/one.html", "texts/two.html", "about.html",
               "about/deep/leaf.html", "about/x.html", "aboutx/y.html", "", "about/",
               "about/deep/", "texts/", page]
    for target in targets:
        for anchor in ("", "#part"):
            html = f'<a href="{LINK}{target}{anchor}">'
            for root_relative, relative in relative_links(page):
                html = html.replace(root_relative, relative)
            assert html == f'<a href="{relative_uri(page, target)}{anchor}">', (page, target)


def whole(template: NavTemplate, pagename: str, path: list[str], uri: str = "") -> str:
    """The template filled for a page as one string, the way every page used to be filled."""
    replacements = [pair for doc in path for pair in template.branches.get(doc, ())]
    return fill(template.html, replacements, f"{MARK}a:{pagename}{MARK}",
                relative_links(uri or f"{pagename}.html"))


@pytest.mark.sphinx
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_pieces_filled_as_the_whole_sidebar(rootdir: Path, tmp_path: Path, builder: str) -> None:
    """Each page's sidebar, filled piece by piece, is the whole template filled for the page."""
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-navigation", src)
    options = {"home_page_in_toc": True, "show_navbar_depth": 2, "max_navbar_depth": 3}
    app = SphinxTestApp(builder, srcdir=src, confoverrides={"html_theme_options": options})
    try:
        app.build()
        templates = list(_TEMPLATES[app.builder].values())
        assert templates
        for template in templates:
            # one piece per entry: a page's own entry is filled, the others are kept
            assert len(template.pieces) > 5
            assert "".join(template.pieces) == template.html
            for pagename in sorted(app.env.found_docs):
                path, uri = _ancestors(app, pagename), app.builder.get_target_uri(pagename)
                assert (localise(template, pagename, path, uri)
                        == whole(template, pagename, path, uri)), pagename
    finally:
        app.cleanup()


def test_a_page_listed_twice_is_its_own_link_once() -> None:
    """A page in two toctrees: its first entry links to itself (``#``), the second to its file."""
    entry = (f'<li class="toctree-l1{MARK}l{{n}}{MARK}"><a class="{MARK}a:texts/one{MARK}'
             f'reference internal" href="\x02texts/one.html">One</a></li>')
    template = NavTemplate(
        html=(f'<ul class="{MARK}u1{MARK}">{entry.format(n=2)}'
              f'<li class="toctree-l1{MARK}l3{MARK}"><details class="{MARK}d4{MARK}">'
              f'<summary>About</summary><ul>{entry.format(n=5)}</ul></details></li></ul>'),
        branches={"texts/one": ((f"{MARK}l2{MARK}", " current active"),
                                (f"{MARK}u1{MARK}", "current "),
                                (f' class="{MARK}d4{MARK}"', ' open="open"'))},
    )
    assert len(template.pieces) == 4
    for pagename in ("texts/one", "about/x", "index"):
        assert localise(template, pagename, [pagename]) == whole(template, pagename, [pagename])
    mine = localise(template, "texts/one", ["texts/one"])
    assert mine.count('href="#"') == 1 and mine.count('href=""') == 1
    assert '<ul class="current">' in mine and '<details open="open">' in mine
