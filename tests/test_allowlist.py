"""The allowlist: its decisions; the check's walk and the renderer's gate agree; the docs print it.

The build's side is tested on whole builds in tests/test_boundary.py; here the decisions are
tested one by one, and the two enforcement points (``check``'s token walk and the gate inside
myst-parser's renderer) are run on the same pages and must refuse the same things.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docutils.core import publish_doctree

from converters.common.allowlist import (
    ARTICLE,
    EDITION_NAMES,
    GENERATED,
    PAGE,
    Kind,
    Place,
    allowlist_table,
    audit_page,
    directive_problem,
    file_problem,
    image_problem,
    link_problem,
    page_kind,
    role_problem,
    split_directive,
    substitution_problem,
    syntax_problem,
    tree_problems,
)
from converters.common.markup import MYST_EXTENSIONS
from converters.common.myst_gate import gated_docutils_parser
from converters.editing.check import markdown_parser

REPO = Path(__file__).resolve().parent.parent
NAMES = dict.fromkeys(EDITION_NAMES, "value")


@pytest.fixture
def place(tmp_path: Path) -> Place:
    """A project: docs/ with a page, an image, an asset, a document; a secret beside it."""
    docs = tmp_path / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "_assets").mkdir()
    (docs / "_assets" / "table.csv").write_text("a,b\n", encoding="utf-8")
    (docs / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(16))
    (docs / "drawing.svg").write_text("<svg><script>x</script></svg>", encoding="utf-8")
    (docs / "method.md").write_text("# Method\n", encoding="utf-8")
    (docs / "notes.txt").write_text("notes\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("secret\n", encoding="utf-8")
    (docs / "linked.png").symlink_to(tmp_path / "secret.txt")
    page = docs / "index.md"
    page.write_text("# Home\n", encoding="utf-8")
    return Place(page.resolve(), docs.resolve())


# --------------------------------------------------------------------------- decisions


def test_kinds_come_from_the_document_name() -> None:
    assert page_kind("articles/tiktok-run") is ARTICLE
    assert page_kind("_generated/entities/bytedance") is GENERATED
    assert page_kind("index") is PAGE
    assert page_kind("articles-old/x") is PAGE
    assert page_kind("texts/x", articles="texts/") is ARTICLE


@pytest.mark.parametrize("name", ["Include", "INCLUDE", " include "])
def test_directive_names_are_compared_without_case(name: str) -> None:
    problem = directive_problem(ARTICLE, name, "../.git/config", {}, None)
    assert problem is not None and "{include} is not allowed in an article" in problem


def test_directives_by_kind_and_option() -> None:
    assert directive_problem(ARTICLE, "container", "parallel", {"name": "x-p1"}, None) is None
    assert directive_problem(ARTICLE, "container", "bd-sidebar", {}, None) is not None
    assert directive_problem(ARTICLE, "toctree", "", {}, None) is not None
    assert directive_problem(PAGE, "toctree", "", {"hidden": ""}, None) is None
    assert "option :glob:" not in (directive_problem(PAGE, "toctree", "", {"glob": ""}, None)
                                   or "")
    problem = directive_problem(ARTICLE, "figure", "https://example.com/a.png",
                                {"target": "javascript:x"}, None)
    assert problem is not None and "option :target:" in problem
    for name in ("raw", "eval-rst", "math", "literalinclude", "csv-table", "meta", "download",
                 "py:function", "function", "image"):
        assert directive_problem(PAGE, name, "", {}, None) is not None, name


def test_roles_by_kind() -> None:
    assert role_problem(ARTICLE, "ent") is None
    assert role_problem(ARTICLE, "ENT") is None
    assert role_problem(ARTICLE, "ref") is not None
    assert role_problem(PAGE, "ref") is None
    for name in ("raw", "download", "math", "file", "std:ref", "eq"):
        assert role_problem(PAGE, name) is not None, name


def test_syntax_by_kind() -> None:
    assert syntax_problem(ARTICLE, "paragraph") is None
    assert syntax_problem(ARTICLE, "html_block") is not None
    assert syntax_problem(PAGE, "html_inline") is not None
    assert syntax_problem(ARTICLE, "substitution_inline") is not None
    assert syntax_problem(PAGE, "substitution_inline") is None
    assert syntax_problem(PAGE, "math_inline") is not None
    assert syntax_problem(ARTICLE, "image") is not None


@pytest.mark.parametrize("content", [
    "lipsum.__globals__.os.popen('id').read()",
    "title_en.__class__",
    "title_en | attr('x')",
    "env",
    "config",
    "title_en()",
])
def test_a_substitution_is_a_bare_name_of_the_edition(content: str) -> None:
    assert substitution_problem(PAGE, content, NAMES) is not None
    assert substitution_problem(PAGE, " title_en ", NAMES) is None
    assert substitution_problem(ARTICLE, "title_en", NAMES) is not None


def test_links(place: Place) -> None:
    allowed = ["https://example.com/", "mailto:a@example.com", "#section", "method.md",
               "method.md#x", "tiktok-run-p3", "/method.md", "_assets/table.csv",
               "articles/not-there-yet.md"]
    for target in allowed:
        assert link_problem(target, place) is None, target
    refused = ["javascript:alert(1)", "JaVaScRiPt:x", "java\tscript:x", "data:text/html,x",
               "file:///etc/passwd", "path:../secret.txt", "inv:x", "../secret.txt",
               "../../../../etc/passwd", "notes.txt", "picture.png", "linked.png",
               "..%2Fsecret.txt", "a\\b.md", "/../secret.txt"]
    for target in refused:
        assert link_problem(target, place) is not None, target


def test_images(place: Place) -> None:
    assert image_problem("https://example.com/a.svg", place) is None  # another origin
    assert image_problem("picture.png", place) is None
    assert image_problem("/picture.png", place) is None
    for target in ("drawing.svg", "linked.png", "../secret.txt", "picture.*",
                   "data:image/png;base64,x", "javascript:x", "../../etc/hostname"):
        assert image_problem(target, place) is not None, target


def test_files(place: Place, tmp_path: Path) -> None:
    docs = place.docs
    (docs / "_static").mkdir()
    (docs / "_static" / "edition.css").write_text("", encoding="utf-8")
    (docs / "_static" / "evil.css.jinja").write_text("{{ x }}", encoding="utf-8")
    (docs / "page.rst").write_text(".. raw:: html\n", encoding="utf-8")
    (docs / "_data").mkdir()
    (docs / "_data" / "registry.yaml").write_text("", encoding="utf-8")
    (docs / "conf.py").write_text("", encoding="utf-8")
    os.symlink(tmp_path, docs / "_static" / "folder")
    # an HTML page under an image's name would be published as it is
    (docs / "_static" / "logo.png").write_text("<script>x</script>", encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000.txt").symlink_to(tmp_path / "secret.txt")
    found = {path.relative_to(tmp_path).as_posix(): message
             for path, message in tree_problems(docs, seeds)}
    assert set(found) == {"docs/drawing.svg", "docs/notes.txt", "docs/linked.png",
                          "docs/_static/evil.css.jinja", "docs/page.rst",
                          "docs/_static/folder", "docs/_static/logo.png", "seeds/000.txt"}
    assert "first bytes" in found["docs/_static/logo.png"]
    assert "symbolic link" in found["docs/linked.png"]
    assert file_problem(docs / "_data" / "registry.yaml", docs) is None


def test_directive_options_split_as_myst_splits_them() -> None:
    parts = split_directive(":name: x-p1\n:class: editorial-note\n\nBody\n")
    assert [(o[0], o[1], o[2]) for o in parts.options] == [("name", "x-p1", 0),
                                                          ("class", "editorial-note", 1)]
    assert parts.body[0] == "Body"
    parts = split_directive("---\nname: x-p1\nclass: c\n---\nBody\n")
    assert {o[0] for o in parts.options} == {"name", "class"}
    assert parts.body[0] == "Body"
    assert split_directive("---\na: &x [1]\nb: *x\n---\n").error


# --------------------------------------------------------------------------- two enforcers

#: Pages of each kind holding what the allowlist refuses, nested where MyST nests.
HOSTILE_PAGES: dict[str, tuple[Kind, str]] = {
    "raw in a container": (ARTICLE, "::::{container} parallel\n:::{raw} html\n<b>x</b>\n:::\n"
                                    "::::\n"),
    "html": (ARTICLE, "Text <img src=x onerror=alert(1)>.\n\n<script>x</script>\n"),
    "substitution": (PAGE, "Text {{ lipsum.__globals__.os.popen('touch /tmp/edition-pwned') }}."
                           "\n"),
    "substitution in an article": (ARTICLE, "Text {{ title_en }}.\n"),
    "math": (PAGE, ":::{math}\n\\input{/etc/hostname}\n:::\n\n{math}`\\href{javascript:x}{y}`\n"),
    "capital include": (PAGE, "```{Include} ../.git/config\n```\n"),
    "eval-rst": (PAGE, "```{eval-rst}\n.. raw:: html\n\n   <b>x</b>\n```\n"),
    "download": (PAGE, "{download}`../secret.txt` and [x](../secret.txt)\n"),
    "front matter": (PAGE, "---\nmyst:\n  substitutions:\n    a: b\nhtml_meta: {}\n---\n# T\n"),
    "figure option": (ARTICLE, ":::{figure} https://example.com/a.png\n:target: javascript:x\n"
                               ":::\n"),
    "admonition class": (PAGE, ":::{note}\n:class: bd-header\nText\n:::\n"),
    "note in an article": (ARTICLE, ":::{admonition} Note\n:class: editorial-note\n\n"
                                    "{ref}`x`\n:::\n"),
    "attributes": (ARTICLE, "[x](https://example.com){.bd-sidebar}\n"),
}


def gate_refusals(text: str, kind: Kind, place: Place) -> list[str]:
    """What the renderer's gate refuses as myst-parser renders the page (no Sphinx)."""
    refusals: list[tuple[int, str]] = []
    publish_doctree(text, source_path=str(place.page), parser=gated_docutils_parser(),
                    settings_overrides={
                        "myst_enable_extensions": list(MYST_EXTENSIONS),
                        "myst_substitutions": dict(NAMES),
                        "report_level": 5, "halt_level": 5, "warning_stream": io.StringIO(),
                        "file_insertion_enabled": False, "raw_enabled": False,
                        "edition_gate_kind": kind, "edition_gate_place": place,
                        "edition_gate_refusals": refusals})
    return sorted({message for _line, message in refusals})


@pytest.mark.parametrize("case", sorted(HOSTILE_PAGES))
def test_check_and_the_renderer_refuse_the_same(case: str, place: Place) -> None:
    kind, text = HOSTILE_PAGES[case]
    Path("/tmp/edition-pwned").unlink(missing_ok=True)
    walked = sorted({f.message for f in audit_page(text, kind, place, markdown_parser(), NAMES)})
    gated = gate_refusals(text, kind, place)
    assert walked, case
    assert walked == gated
    assert not Path("/tmp/edition-pwned").exists()


def test_the_edition_passes_both() -> None:
    docs = (REPO / "docs").resolve()
    md = markdown_parser()
    pages = [p for p in sorted(docs.rglob("*.md"))
             if not {"_import", "_generated", "_build"} & set(p.relative_to(docs).parts)]
    assert len(pages) >= 12
    for path in pages:
        kind = page_kind(path.relative_to(docs).with_suffix("").as_posix())
        place = Place(path, docs)
        text = path.read_text(encoding="utf-8")
        assert audit_page(text, kind, place, md, NAMES) == [], path
        assert gate_refusals(text, kind, place) == [], path


def test_the_gate_finds_myst_parsers_renderer_as_it_expects() -> None:
    """The gate wraps ``rules`` (``render_<type>`` → method) and overrides ``run_directive``."""
    from myst_parser.config.main import MdParserConfig
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.mdit import create_md_parser

    md = create_md_parser(MdParserConfig(), DocutilsRenderer)
    rules = md.renderer.rules
    for name in ("render_paragraph", "render_fence", "render_colon_fence", "render_myst_role",
                 "render_link", "render_image", "render_front_matter", "render_html_block"):
        assert name in rules
    assert callable(DocutilsRenderer.run_directive)
    assert callable(DocutilsRenderer.render_substitution)


# --------------------------------------------------------------------------- documentation


def test_readme_and_contributing_print_the_allowlist() -> None:
    table = allowlist_table()
    for name in ("README.md", "CONTRIBUTING.md"):
        assert table in (REPO / name).read_text(encoding="utf-8"), \
            f"{name}: paste the output of python -m converters allowlist"
