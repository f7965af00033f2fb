"""The PDF, made by XeLaTeX from the real docs/: faces, text, title page, bookmarks."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from edition_builds import Article, Build, edition_build, read_articles

from edition.text import shown_text

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
    # Latin text is in Noto Serif, the match of Noto Serif CJK.
    assert any("NotoSerif-Regular" in name for name in fonts), fonts


@pytest.mark.usefixtures("pdf")
def test_no_character_is_missing(latex: Build) -> None:
    log = (latex.outdir / "edition.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log


@pytest.mark.usefixtures("pdf")
def test_every_cross_reference_resolves(latex: Build) -> None:
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
            opening = normal(shown_text(following[0].lstrip("- ")))[:10]
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
    for title in INDEX_TITLES:
        # In the table of contents and in the running head of its pages.
        assert text.count(title) >= 2, title
    # Without white space: the two-column index wraps long entries anywhere.
    flat = re.sub(r"\s+", "", text)
    # A name in its scripts, then its pages; the Traditional name differs from the Simplified.
    for entry in ("DonaldTrump(唐纳德·特朗普/唐納·川普)", "Alibaba", "30November2022"):
        assert re.search(rf"{re.escape(entry)}[^,]*,\d+", flat), entry
    # Sub-entries only for names mentioned across articles: the article, then its pages.
    assert re.search(r"ByteDance\(字节跳动/字節跳動\)TikTok、小红书", flat)
    assert re.search(r"TikTok快跑,\d+", flat)
    # No place is a bare paragraph mark repeated for every mention.
    assert "¶" not in flat[flat.index("Indexofcompaniesandorganisations", 2000):]


#: The chapters closing the book, after the texts and the edition's pages.
INDEX_TITLES = ("Index of companies and organisations", "Index of people", "Index of dates")


def outline(pdf: Path) -> list[tuple[str, int]]:
    """The PDF's top-level bookmarks: (title, page), in order."""
    xml = run("pdftohtml", "-xml", "-i", "-stdout", "-l", "1", str(pdf))
    return [(html.unescape(unicodedata.normalize("NFKC", title)), int(page))
            for page, title in re.findall(r'<item page="(\d+)">(.*?)</item>', xml)]


def page_count(pdf: Path) -> int:
    """The number of pages of the PDF."""
    info = run("pdfinfo", str(pdf))
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


def test_a_short_book_mostly_of_texts(pdf: Path) -> None:
    pages = page_count(pdf)
    assert pages <= 90
    chapters = outline(pdf)
    titles = {unicodedata.normalize("NFKC", str(a.meta["title"])) for a in read_articles()}
    starts = [page for title, page in chapters if title in titles]
    assert len(starts) == len(titles)
    after = [page for title, page in chapters if page > max(starts)]
    # The texts run from the first article's first page to the page before the next chapter.
    text_pages = min(after) - min(starts)
    assert text_pages / pages >= 0.70, (text_pages, pages, chapters)


def test_a_book_not_a_manual(pdf: Path) -> None:
    text = run("pdftotext", str(pdf), "-")
    assert "CHAPTER" not in text.upper().replace("CHAPTERS", "")
    assert "Release" not in text
    # The contributor guide and the per-entity pages stay on the web.
    titles = [title for title, _page in outline(pdf)]
    assert "Contributing" not in titles
    assert "People and companies" not in titles
    assert "python -m converters" not in text
    assert "Image online:" not in text


def test_each_article_opens_with_its_title_and_author(pdf: Path) -> None:
    pages = dict(outline(pdf))
    for article in read_articles():
        title = unicodedata.normalize("NFKC", str(article.meta["title"]))
        first = run("pdftotext", "-f", str(pages[title]), "-l", str(pages[title]), str(pdf), "-")
        assert normal(title) in normal(first), article.slug
        authors = [str(a) for a in article.meta.get("authors") or []]
        for author in authors:
            assert normal(author) in normal(first[:600]), (article.slug, author)
        assert "Editorial notes" not in first


def test_the_bilingual_text_is_in_parallel_columns(latex: Build, pdf: Path) -> None:
    tex = (latex.outdir / "edition.tex").read_text(encoding="utf-8")
    assert tex.count(r"\begin{paracol}{2}") >= 1
    assert tex.count(r"\switchcolumn*") >= 30
    pages = dict(outline(pdf))
    bilingual = next(a for a in read_articles() if len(a.meta.get("language") or []) > 1)
    start = pages[unicodedata.normalize("NFKC", str(bilingual.meta["title"]))]
    layout = run("pdftotext", "-layout", "-f", str(start), "-l", str(start + 4), str(pdf), "-")
    # English on the left and Chinese on the right of the same printed line.
    side_by_side = [line for line in layout.splitlines()
                    if re.search(r"[A-Za-z]{3,}.*\s{3,}[\u4e00-\u9fff]", line)]
    assert len(side_by_side) >= 40, layout[:2000]


def test_names_in_running_text_are_text(latex: Build) -> None:
    tex = (latex.outdir / "edition.tex").read_text(encoding="utf-8")
    assert "mention-entity" in tex
    # No link to the entity pages (not in the book), so no link colour on names.
    assert "_generated/entities" not in tex
    assert not re.search(r"\\sphinxcrossref\{\\DUrole\{mention\}", tex)


def test_remote_figures_are_framed_boxes(latex: Build, pdf: Path) -> None:
    tex = (latex.outdir / "edition.tex").read_text(encoding="utf-8")
    remote = sum(len(re.findall(r"^:::\{figure\} https?://", a.body, re.M))
                 for a in read_articles())
    assert remote and tex.count(r"\begin{sphinxuseclass}{remote-figure}") == remote
    text = run("pdftotext", str(pdf), "-")
    assert text.count("The image, not reproduced here, is at") == remote
    assert "Credit: Dongyan Xu" in text


def test_footnote_addresses_are_readable(latex: Build, pdf: Path) -> None:
    text = re.sub(r"\s+", "", run("pdftotext", str(pdf), "-"))
    assert "cn.nytimes.com/technology/20250120/what-we-know-tiktok" in text
    assert "https://cn.nytimes.com/technology/20250120" not in text
    log = (latex.outdir / "edition.log").read_text(encoding="utf-8", errors="replace")
    # Addresses break at slashes and dots: none sticks out into the margin by much.
    overfull = [float(x) for x in re.findall(r"Overfull \\hbox \((\d+\.\d+)pt too wide", log)]
    assert not [x for x in overfull if x > 20], overfull


def test_running_heads_name_the_edition_and_the_article(pdf: Path) -> None:
    pages = dict(outline(pdf))
    for article in read_articles():
        title = unicodedata.normalize("NFKC", str(article.meta["title"]))
        # The page after the opening (every article is longer than a page).
        layout = run("pdftotext", "-layout", "-f", str(pages[title] + 1),
                     "-l", str(pages[title] + 1), str(pdf), "-")
        head = next(line for line in layout.splitlines() if line.strip())
        assert "Four Texts on China’s Internet" in head, (article.slug, head)
        assert normal(title)[:20] in normal(head), (article.slug, head)


def test_paragraph_numbers_are_in_the_margin(pdf: Path) -> None:
    """pdftotext finds every paragraph's ¶N, numbered as the labels (and the indices) are."""
    text = run("pdftotext", str(pdf), "-")
    shown = [int(n) for n in re.findall(r"¶\s?(\d+)", text)]
    for article in read_articles():
        labels = re.findall(rf"(?:^\(|:name: ){re.escape(article.slug)}-p(\d+)\)?=?$",
                            article.body, flags=re.MULTILINE)
        for number in labels:
            assert int(number) in shown, (article.slug, number)
    highest = max(len(re.findall(r"-p\d+\)?=?$", a.body, flags=re.MULTILINE))
                  for a in read_articles())
    assert max(shown) == highest
