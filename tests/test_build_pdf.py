"""The PDF, made by XeLaTeX from the real docs/: faces, text, title page, bookmarks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from edition_builds import Article, Build, edition_build, read_articles

from edition.article import plain_text

pytestmark = [pytest.mark.pdf, pytest.mark.sphinx]

TOOLS = ("xelatex", "latexmk", "make", "pdffonts", "pdftotext", "pdftohtml")


@pytest.fixture(scope="module")
def latex(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The LaTeX sources, compiled to PDF as ``sphinx -M latexpdf`` does."""
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing: run scripts/setup-system.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    build = edition_build(tmp_path_factory, "latex")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "FORCE_SOURCE_DATE": "1"}
    result = subprocess.run(
        ["make", "all-pdf", "LATEXOPTS=-halt-on-error -interaction=nonstopmode"],
        cwd=build.outdir, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    return build


@pytest.fixture(scope="module")
def pdf(latex: Build) -> Path:
    """The one PDF of the edition."""
    pdfs = list(latex.outdir.glob("*.pdf"))
    assert [p.name for p in pdfs] == ["edition.pdf"]
    return pdfs[0]


def run(*command: str) -> str:
    """A poppler tool's output."""
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def normal(text: str) -> str:
    """Text for comparison: compatibility forms folded (ligatures), no spaces, no digits.

    Digits go because footnote marks stand between words in the PDF but not in the source.
    """
    return re.sub(r"[\s\d]+", "", unicodedata.normalize("NFKC", text))


def test_latex_build_has_no_warnings(latex: Build) -> None:
    assert latex.warnings.strip() == ""


def test_only_simplified_and_traditional_chinese_faces(pdf: Path) -> None:
    fonts = [line.split()[0] for line in run("pdffonts", str(pdf)).splitlines()[2:]]
    cjk = [name for name in fonts if "CJK" in name]
    assert any("CJKsc" in name for name in cjk), fonts
    assert any("CJKtc" in name for name in cjk), fonts
    assert not [name for name in cjk if re.search(r"CJK(jp|kr|hk)", name, re.I)], fonts
    # Latin text is in FreeSerif, Sphinx's default for XeLaTeX.
    assert any("FreeSerif" in name for name in fonts)


def test_no_character_is_missing(latex: Build, pdf: Path) -> None:
    log = (latex.outdir / "edition.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log


def test_every_cross_reference_resolves(latex: Build, pdf: Path) -> None:
    log = (latex.outdir / "edition.log").read_text(encoding="utf-8", errors="replace")
    assert "There were undefined references" not in log
    assert "Hyper reference" not in log


def test_title_page_names_the_edition(pdf: Path) -> None:
    first = run("pdftotext", "-f", "1", "-l", "1", str(pdf), "-")
    assert "Four Texts on China’s Internet" in first
    assert "中国互联网四篇" in first
    assert "Version 0.1" in first


def test_every_article_is_in_the_pdf(pdf: Path) -> None:
    text = normal(run("pdftotext", str(pdf), "-"))
    articles: list[Article] = read_articles()
    assert articles
    for article in articles:
        assert normal(str(article.meta["title"])) in text, article.slug
        lines = article.body.splitlines()
        for number, line in enumerate(lines):
            if not re.fullmatch(rf"(\({re.escape(article.slug)}-p\d+\)=|:name: "
                                rf"{re.escape(article.slug)}-p\d+)", line):
                continue
            following = [x for x in lines[number + 1:number + 6]
                         if x.strip() and not x.startswith((":::", ":"))]
            opening = normal(plain_text(following[0].lstrip("- ")))[:10]
            assert opening in text, (article.slug, line, opening)


def test_bookmarks_lead_to_every_article(pdf: Path) -> None:
    outline = run("pdftohtml", "-xml", "-i", "-stdout", "-l", "1", str(pdf))
    items = {unicodedata.normalize("NFKC", item)
             for item in re.findall(r"<item page=\"\d+\">(.*?)</item>", outline)}
    for article in read_articles():
        title = unicodedata.normalize("NFKC", str(article.meta["title"]))
        assert title.replace("&", "&amp;") in items or title in items, article.slug


def test_no_build_date_in_the_pdf(pdf: Path) -> None:
    info = run("pdfinfo", str(pdf))
    assert "2025" in next(line for line in info.splitlines() if line.startswith("CreationDate"))
    assert "Title:           Four Texts on China’s Internet" in info


def test_indices_list_entries_with_page_numbers(pdf: Path) -> None:
    text = run("pdftotext", str(pdf), "-")
    for title in (
        "Index of companies and organisations", "Index of people", "Index of dates"
    ):
        # In the table of contents and in the running head of each of its pages.
        assert text.count(title) >= 2, title
    # Without white space: the two-column index wraps long entries anywhere.
    flat = re.sub(r"\s+", "", text)
    for entry in ("ByteDance(字节跳动/字節跳動)", "DonaldTrump(唐纳德·特朗普/唐納·川普)",
                  "2022-11-30"):
        assert re.search(rf"{re.escape(entry)},\d+", flat), entry
    # Sub-entries name the article and the paragraph, with the page they are on.
    assert re.search(r"–TikTok快跑\(¶3特朗普\),\d+", flat)
