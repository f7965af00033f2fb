"""Every page's "Edit this page" link leads to a file of the repository that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from edition_builds import edition_build

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: The tests that read the full build of docs/.
DOCS_BUILD = pytest.mark.slow


def conf_constant(name: str) -> str:
    """A string constant assigned at the top level of docs/conf.py."""
    tree = ast.parse((DOCS / "conf.py").read_text(encoding="utf-8"))
    values = [node.value.value for node in tree.body
              if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
              and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)]
    assert len(values) == 1, f"{name} must be set exactly once in docs/conf.py"
    return str(values[0])


REPOSITORY = conf_constant("EDITION_REPOSITORY")
BRANCH = conf_constant("EDITION_BRANCH")
EDIT_PREFIX = f"{REPOSITORY}/edit/{BRANCH}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real edition built to HTML (the session's one HTML build)."""
    return edition_build(tmp_path_factory, "html").outdir


def pages(site: Path) -> dict[str, BeautifulSoup]:
    """Every HTML page that Sphinx made from a document, by document name."""
    out = {}
    for path in sorted(site.rglob("*.html")):
        docname = path.relative_to(site).with_suffix("").as_posix()
        if docname.startswith(("_static", "_sources", "_images")):
            continue
        out[docname] = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    return out


def edit_links(soup: BeautifulSoup) -> list[str]:
    """The edit links of a page (``…/edit/<branch>/…``)."""
    return sorted({a["href"] for a in soup.find_all("a", href=True)
                   if a["href"].startswith(f"{REPOSITORY}/edit/")})


def written_pages() -> list[str]:
    """Document names of the pages people write: the edition's pages and the articles."""
    names = [p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.glob("*.md")]
    names += [f"articles/{p.stem}" for p in (DOCS / "articles").glob("*.md")]
    return sorted(names)


def test_repository_is_set_in_one_place() -> None:
    """conf.py feeds the theme from the constants; nothing else names the repository."""
    conf = (DOCS / "conf.py").read_text(encoding="utf-8")
    assert re.search(r'"repository_url":\s*EDITION_REPOSITORY', conf)
    assert re.search(r'"repository_branch":\s*EDITION_BRANCH', conf)
    assert conf.count(REPOSITORY) == 1
    assert REPOSITORY.startswith("https://")


@DOCS_BUILD
def test_every_edit_link_resolves_to_a_file(site: Path) -> None:
    """For every page, an edit link names a file that exists in this repository."""
    checked = 0
    for docname, soup in pages(site).items():
        for href in edit_links(soup):
            assert href.startswith(EDIT_PREFIX), (docname, href)
            path = href[len(EDIT_PREFIX):]
            assert (ROOT / path).is_file(), f"{docname}: edit link to missing {path}"
            assert not path.startswith("docs/_generated/"), docname
            checked += 1
    assert checked >= len(written_pages())


@DOCS_BUILD
def test_written_pages_edit_their_own_source(site: Path) -> None:
    """Each article and edition page has one edit link, to its own MyST source."""
    built = pages(site)
    for docname in written_pages():
        assert edit_links(built[docname]) == [f"{EDIT_PREFIX}docs/{docname}.md"], docname
        assert (DOCS / f"{docname}.md").is_file()


@DOCS_BUILD
def test_the_button_says_edit_this_page(site: Path) -> None:
    """The button is labelled for what it does."""
    soup = pages(site)["index"]
    link = soup.find("a", href=f"{EDIT_PREFIX}docs/index.md")
    assert link is not None
    assert "Edit this page" in (link.get("title", "") + link.get("data-bs-title", "")
                                + link.get_text())


@DOCS_BUILD
def test_generated_pages_edit_the_registry_or_have_no_button(site: Path) -> None:
    """Entity pages lead to the registry they are made from; other generated pages to nothing."""
    built = pages(site)
    generated = [name for name in built if name.startswith("_generated/")]
    assert generated, "the build made no generated pages"
    registry = f"{EDIT_PREFIX}docs/_data/registry.yaml"
    for docname in generated:
        links = edit_links(built[docname])
        if docname.startswith("_generated/entities/"):
            assert links == [registry], docname
        else:
            assert links == [], docname
