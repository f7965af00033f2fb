"""The books through Sphinx's own mechanisms: LaTeX packages as package data, the EPUB's XHTML
from a translator and its package document from a template (issue 25).

The PDF's and the EPUB's content is tested on the real edition (tests/test_build_pdf.py,
tests/test_build_epub.py); here, on the small root tests/roots/test-article, that the parts are
where they belong: no preamble in Python strings, no regular expressions over written files.
"""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from edition_builds import Build, root_build

from edition.article.chinese import mark_escaped
from edition.outputs import book, epub, pdf
from edition.outputs.pdf import (
    CONFIGURATION,
    LANGUAGES,
    LATEX_FOLDER,
    LATIN_MARK,
    PACKAGE,
    FaceFiles,
    face_declaration,
)

pytestmark = pytest.mark.sphinx

#: Commands that define or load something: preamble, not text. None may be in a Python string
#: of the PDF's modules; their packages are package data in edition/outputs/latex/.
PREAMBLE = re.compile(
    r"\\(?:(?:re)?newcommand|providecommand|(?:re)?newenvironment|NewDocumentCommand|def|let|"
    r"usepackage|RequirePackage|ProvidesPackage|NeedsTeXFormat|ExplSyntaxOn|setCJK\w*|"
    r"xeCJK\w+|g@addto@macro|AtBeginDocument|titleformat|fancypagestyle|sphinxsetup)\b")
#: The most lines a string of LaTeX in those modules may have (a line written into the text).
MOST_LATEX_LINES = 2


def strings(module: Path) -> list[tuple[int, str]]:
    """The string literals of a module (f-strings' literal parts joined), without docstrings."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.append((node.lineno, "".join(
                str(part.value) if isinstance(part, ast.Constant) else "{}"
                for part in node.values)))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in docstrings):
            found.append((node.lineno, node.value))
    return found


@pytest.mark.parametrize("module", [book, pdf], ids=["book", "pdf"])
def test_no_latex_preamble_in_python_strings(module: object) -> None:
    """The packages are .sty files; Python writes only text and the packages' data lines."""
    path = Path(str(getattr(module, "__file__", "")))
    latex = [(line, text) for line, text in strings(path) if "\\" in text]
    assert latex, "the test reads the module's strings"
    defined = [(line, text) for line, text in latex if PREAMBLE.search(text)]
    assert defined == []
    long = [(line, text) for line, text in latex
            if len(text.strip("\n").splitlines()) > MOST_LATEX_LINES]
    assert long == []


def test_the_epub_module_rewrites_no_written_file() -> None:
    """No substitution over rendered HTML or content.opf: no re.sub, no str.replace, no reading
    back of what Sphinx wrote; the XHTML is the translator's, the package document a template."""
    tree = ast.parse(Path(str(epub.__file__)).read_text(encoding="utf-8"))
    calls = {node.func.attr for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)}
    assert not calls & {"sub", "subn", "replace", "read_text", "read_bytes"}
    # Nor does it edit a page's body in its context (the html-page-context handler).
    subscripts = {node.slice.value for node in ast.walk(tree)
                  if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)}
    assert "body" not in subscripts


def test_the_latex_packages_are_package_data() -> None:
    """Each package of latex/ names itself, and the Latin-mark role is the one pdf.py classes."""
    for name in (PACKAGE, book.BOOK_PACKAGE):
        text = (LATEX_FOLDER / f"{name}.sty").read_text(encoding="utf-8")
        assert text.startswith("\\NeedsTeXFormat{LaTeX2e}\n\\ProvidesPackage{" + name + "}")
        assert text.rstrip().endswith("\\endinput")
    style = (LATEX_FOLDER / f"{PACKAGE}.sty").read_text(encoding="utf-8")
    assert f"\\csname DUrole{LATIN_MARK}\\endcsname" in style
    assert f"\\InputIfFileExists{{{CONFIGURATION}}}" in style


def test_a_face_reaches_latex_only_with_plain_names() -> None:
    """Configuration values are names, not text: one LaTeX would read as markup is refused."""
    files = FaceFiles("/cache/edition-fonts/", "NotoSerifCJKsc-Regular-0a1b.otf",
                      "NotoSerifCJKsc-Bold-2c3d.otf")
    assert face_declaration("sc", files) == (
        r"\editionCJKface{sc}{/cache/edition-fonts/}{NotoSerifCJKsc-Regular-0a1b.otf}"
        r"{NotoSerifCJKsc-Bold-2c3d.otf}")
    assert face_declaration("tc", FaceFiles("", "Noto Serif CJK TC")) == (
        r"\editionCJKface{tc}{}{Noto Serif CJK TC}{}")
    for family, hostile in (("sc", FaceFiles("/x}\\input{/etc/passwd}/", "a.otf")),
                            ("sc", FaceFiles("", "Noto}\\def\\x{")),
                            ("sc", FaceFiles("/fonts/", "a.otf", "b.otf, Scale=9")),
                            ("sc}\\x", FaceFiles("", "Noto Serif CJK SC"))):
        assert face_declaration(family, hostile) is None


# --------------------------------------------------------------------------- LaTeX


@pytest.fixture(scope="module")
def latex(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """tests/roots/test-article as LaTeX for XeLaTeX (not compiled)."""
    return root_build(tmp_path_factory.mktemp("article-latex"), "article", "latex",
                      confoverrides={"latex_engine": "xelatex"})


def test_sphinx_loads_and_copies_the_packages(latex: Build) -> None:
    tex = next(latex.outdir.glob("*.tex")).read_text(encoding="utf-8")
    for name in (PACKAGE, book.BOOK_PACKAGE):
        assert f"\\usepackage{{{name}}}" in tex
        copied = (latex.outdir / f"{name}.sty").read_bytes()
        assert copied == (LATEX_FOLDER / f"{name}.sty").read_bytes()


def test_the_configuration_is_data_lines(latex: Build) -> None:
    """sphinxedition.cfg: one declaration a line, of the commands the package defines."""
    lines = (latex.outdir / CONFIGURATION).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("%")
    declarations = lines[1:]
    shape = re.compile(r"\\(editionCJKface|editionsharedpunctuation|editiondeclarelanguage)"
                       r"(?:\{[^{}\\%#~]*\})+")
    assert [line for line in declarations if not shape.fullmatch(line)] == []
    assert r'\editionsharedpunctuation{FullLeft}{"2018, "201C}' in declarations
    assert r"\editiondeclarelanguage{zh-hant}{tc}{CJK}" in declarations
    assert r"\editiondeclarelanguage{en}{sc}{Latin}" in declarations
    assert sum(line.startswith(r"\editiondeclarelanguage") for line in declarations) == len(
        LANGUAGES)
    faces = [line for line in declarations if line.startswith(r"\editionCJKface")]
    assert [re.match(r"\\editionCJKface\{(\w+)\}", f).group(1) for f in faces  # type: ignore[union-attr]
            ] == list(pdf.DEFAULT_CJK_FONTS)


# --------------------------------------------------------------------------- EPUB


@pytest.fixture(scope="module")
def epub_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """tests/roots/test-article as an EPUB, with the drawn cover as its cover image."""
    return root_build(tmp_path_factory.mktemp("article-epub"), "article", "epub",
                      confoverrides={"epub_cover": (epub.COVER_IMAGE, ""),
                                     "epub_author": "The editors"})


def test_the_article_is_xhtml_with_xml_lang_twins(epub_build: Build) -> None:
    text = (epub_build.outdir / "articles" / "sample.xhtml").read_text(encoding="utf-8")
    ET.fromstring(text.encode("utf-8"))  # well-formed
    tags = re.findall(r"<[a-z]+ [^>]*>", text)
    with_lang = [t for t in tags if re.search(r'(?<![:\w])lang="', t)]
    assert with_lang
    for tag in with_lang:
        value = re.search(r'(?<![:\w])lang="([^"]+)"', tag).group(1)  # type: ignore[union-attr]
        assert f'xml:lang="{value}"' in tag, tag
    # The Chinese half of the parallel pair, as the EPUB of the edition has it.
    assert re.search(r'<div class="docutils container" lang="zh-hant" xml:lang="zh-hant">',
                     text, re.I)


def test_the_notes_are_epub_footnotes(epub_build: Build) -> None:
    text = (epub_build.outdir / "articles" / "sample.xhtml").read_text(encoding="utf-8")
    assert "fn-bracket" not in text
    references = re.findall(r'<a class="footnote-reference" epub:type="noteref" href="#[^"]+" '
                            r'id="[^"]+" role="doc-noteref"><sup>(\d+)</sup></a>', text)
    assert references == ["1", "1"]
    assert re.search(r'<aside class="footnote" epub:type="footnote" id="[^"]+" '
                     r'role="doc-footnote">\n<span class="label">1</span>\n'
                     r'<span class="backrefs">\(<a role="doc-backlink" href="#[^"]+">1</a>,'
                     r'<a role="doc-backlink" href="#[^"]+">2</a>\)</span>', text)


def test_the_package_document_is_the_templates(epub_build: Build) -> None:
    opf = (epub_build.outdir / "content.opf").read_text(encoding="utf-8")
    assert opf.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    ET.fromstring(opf.encode("utf-8"))
    assert re.findall(r"<dc:language>([^<]+)</dc:language>", opf) == ["en", "zh-Hans", "zh-Hant"]
    assert '<dc:creator id="editors">The editors</dc:creator>' in opf
    assert ('<meta refines="#editors" property="role" scheme="marc:relators">edt</meta>\n'
            "    <dc:date>") in opf
    cover = re.findall(r'<item [^>]*properties="cover-image" />', opf)
    assert len(cover) == 1 and f'href="{epub.COVER_IMAGE}"' in cover[0]
    # The other package files are Sphinx's.
    for name in ("toc.ncx", "nav.xhtml", "META-INF/container.xml"):
        ET.fromstring((epub_build.outdir / name).read_bytes())
    assert (epub_build.outdir / "mimetype").read_text(encoding="ascii") == "application/epub+zip"


def test_chinese_written_without_nodes_is_marked_for_xhtml_too() -> None:
    """Text a visitor or Pygments writes itself: ``xml:lang`` beside ``lang`` in the EPUB."""
    assert mark_escaped("TikTok 难民") == 'TikTok <span lang="zh-Hans">难民</span>'
    assert mark_escaped("TikTok 难民", xhtml=True) == (
        'TikTok <span lang="zh-Hans" xml:lang="zh-Hans">难民</span>')
