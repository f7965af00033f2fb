"""The PDF, made by XeLaTeX from the real docs/: faces, text, title page, bookmarks."""

from __future__ import annotations

import html
import itertools
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from edition_builds import Article, Build, edition_build, read_articles

from edition.article.text import shown_text

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


def outline(pdf: Path, depth: int | None = None) -> list[tuple[str, int]]:
    """The PDF's bookmarks (those of the top ``depth`` levels): (title, page), in order."""
    xml = run("pdftohtml", "-xml", "-i", "-stdout", "-l", "1", str(pdf))
    found: list[tuple[str, int]] = []
    level = 0
    for match in re.finditer(r'<outline>|</outline>|<item page="(\d+)">(.*?)</item>', xml):
        if match.group() == "<outline>":
            level += 1
        elif match.group() == "</outline>":
            level -= 1
        elif depth is None or level <= depth:
            found.append((html.unescape(unicodedata.normalize("NFKC", match.group(2))),
                          int(match.group(1))))
    return found


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
    # Two thirds at least: the apparatus (introduction, method, how to cite, three registers)
    # is the rest. (The texts shrank when the web's related-article lists left the book: 35 of
    # 51 pages when this was written.)
    assert text_pages / pages >= 2 / 3, (text_pages, pages, chapters)


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
    checked = 0
    for article in read_articles():
        title = unicodedata.normalize("NFKC", str(article.meta["title"]))
        pages = article_pages(pdf, article)
        if len(pages) < 2:
            continue  # an article of one page has its title and no running head
        # The page after the opening.
        layout = run("pdftotext", "-layout", "-f", str(pages.start + 1),
                     "-l", str(pages.start + 1), str(pdf), "-")
        head = next(line for line in layout.splitlines() if line.strip())
        assert "Four Texts on China’s Internet" in head, (article.slug, head)
        assert normal(title)[:20] in normal(head), (article.slug, head)
        checked += 1
    assert checked >= 5


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


# -- the book as a reader checks it: index pages, paragraph numbers, what the web adds --------


def page_text(pdf: Path, page: int) -> str:
    """The text of one (physical) page of the PDF."""
    return run("pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-")


def article_pages(pdf: Path, article: Article) -> range:
    """The physical pages of an article: from its title to the page before the next chapter."""
    chapters = outline(pdf, depth=1)
    title = unicodedata.normalize("NFKC", str(article.meta["title"]))
    start = dict(chapters)[title]
    # Every chapter starts on a new page.
    following = [page for _title, page in chapters if page > start]
    return range(start, min(following) if following else page_count(pdf) + 1)


def bilingual_article() -> Article:
    """The parallel text (an article in more than one language)."""
    return next(a for a in read_articles() if len(a.meta.get("language") or []) > 1)


def label_pages(latex: Build, pdf: Path) -> dict[str, int]:
    """The physical page of every LaTeX label: its anchor (``.aux``), the anchor's page."""
    aux = (latex.outdir / "edition.aux").read_text(encoding="utf-8")
    anchors = dict(re.findall(r"^\\newlabel\{([^{}]*)\}\{\{[^{}]*\}\{[^{}]*\}\{.*\}"
                              r"\{([^{}]*)\}\{\}\}$", aux, flags=re.M))
    destinations = {name: int(page) for page, name in re.findall(
        r'^\s*(\d+) \[.*\] "(.*)"$', run("pdfinfo", "-dests", str(pdf)), flags=re.M)}
    return {label: destinations[anchor] for label, anchor in anchors.items()
            if anchor in destinations}


def index_entries(tex: str, entity_type: str) -> list[tuple[str, list[str], str]]:
    """(registry id, LaTeX labels, kind) of each line of the company or person index (.tex).

    The kind is ``entry`` (a name and its pages) or ``sub`` (one article's pages of a name).

    An entry is matched to its entity by the printed name (the English label first); a
    sub-entry (one article's pages) belongs to the head above it.
    """
    from sphinx.util import texescape

    from converters.common.registry import load_registry
    from edition.outputs.book import latex as latex_text

    texescape.init()  # the escapes as the LaTeX builder has them
    entities = [e for e in load_registry(REGISTRY).entities if e.type == entity_type]
    title = dict((kind, title) for title, kind in INDEX_CHAPTERS)[entity_type]
    start = tex.index(rf"\chapter{{{title}}}")
    chapter = tex[start:tex.index(r"\end{editionindex}", start)]
    found: list[tuple[str, list[str], str]] = []
    head = ""
    for kind, name, labels in re.findall(
            r"^\\editionindex(entry|head|sub)\{(.*?)\}(?:\{([^{}]*)\})?(?:%.*)?$",
            chapter, flags=re.M):
        if kind in ("entry", "head"):
            named = [e for e in entities if name == latex_text(e.label)
                     or name.startswith(latex_text(e.label) + " (")]
            assert len(named) == 1, (name, [e.id for e in named])
            head = named[0].id
        if labels:
            found.append((head, labels.split(","), kind))
    return found


#: The registry, read by the index check.
REGISTRY = Path(__file__).resolve().parents[1] / "docs" / "_data" / "registry.yaml"
#: The people and companies indices: (title, registry type).
INDEX_CHAPTERS = (("Index of companies and organisations", "company"),
                  ("Index of people", "person"))


def flat(text: str) -> str:
    """Text for finding a name: compatibility forms folded, no spaces, no ¶ numbers."""
    text = re.sub(r"¶\s?\d+", "", text)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def shows_name(names: set[str], page: str, next_page: str) -> bool:
    """Whether a page shows one of the names, or starts one that ends on the next page."""
    if any(flat(name) in flat(page) or flat(name) in flat(re.sub(r"-\n", "", page))
           for name in names):
        return True
    ends = [line.strip() for line in page.splitlines() if line.strip()]
    starts = [line.strip() for line in next_page.splitlines() if line.strip()]
    for name in names:
        words = name.split()
        for cut in range(1, len(words)):
            head, tail = " ".join(words[:cut]), " ".join(words[cut:])
            if any(line.endswith(head) for line in ends) and any(
                    line.startswith(tail) for line in starts):
                return True
    return False


def test_every_index_page_shows_the_name(latex: Build, pdf: Path) -> None:
    """Each page a company or person index entry lists shows the name (in one of its scripts).

    The index points at the mention itself, not at the start of its paragraph, which may be
    on the page before.
    """
    from converters.common.registry import load_registry

    tex = (latex.outdir / "edition.tex").read_text(encoding="utf-8")
    pages = label_pages(latex, pdf)
    registry = {e.id: e for e in load_registry(REGISTRY).entities}
    # The words the texts print for each entity (an alias, a short form) are names too.
    shown: dict[str, set[str]] = {}
    for article in read_articles():
        for words, entity in re.findall(r"\{ent\}`([^`<]*?)\s*<([^>]+)>`", article.body):
            shown.setdefault(entity, set()).add(words)
    texts: dict[int, str] = {}

    def text(page: int) -> str:
        if page not in texts:
            texts[page] = page_text(pdf, page)
        return texts[page]

    checked, wrong = 0, []
    for _title, entity_type in INDEX_CHAPTERS:
        entries = index_entries(tex, entity_type)
        assert len(entries) > 30, entity_type
        for entity_id, labels, _kind in entries:
            names = {unicodedata.normalize("NFKC", n)
                     for n in (*registry[entity_id].names(), *shown.get(entity_id, ()))}
            for page in sorted({pages[label] for label in labels}):
                checked += 1
                if not shows_name(names, text(page), text(page + 1)):
                    wrong.append((entity_id, page))
    assert checked > 200
    assert wrong == []


def test_the_index_prints_the_pages_of_the_mentions(latex: Build, pdf: Path) -> None:
    """Each entry prints the pages of its labels: each page once, in the order of the book."""
    from converters.common.registry import load_registry
    from edition.entities.domain import chinese_labels

    tex = (latex.outdir / "edition.tex").read_text(encoding="utf-8")
    aux = (latex.outdir / "edition.aux").read_text(encoding="utf-8")
    printed = dict(re.findall(r"^\\newlabel\{([^{}]*)\}\{\{[^{}]*\}\{([^{}]*)\}", aux, flags=re.M))
    registry = {e.id: e for e in load_registry(REGISTRY).entities}
    chapters = outline(pdf, depth=1)
    start = dict(chapters)[INDEX_CHAPTERS[0][0]]
    end = dict(chapters)["Index of dates"]
    index = flat(" ".join(page_text(pdf, page) for page in range(start, end)))
    checked = 0
    for _title, entity_type in INDEX_CHAPTERS:
        for entity_id, labels, kind in index_entries(tex, entity_type):
            if kind != "entry":
                continue
            entity = registry[entity_id]
            chinese = chinese_labels(entity)
            name = entity.label + (f" ({chinese})" if chinese else "")
            pages = list(dict.fromkeys(printed[label] for label in labels))
            assert flat(f"{name}, {', '.join(pages)}") in index, (entity_id, pages)
            checked += 1
    assert checked > 150


def test_the_bilingual_column_shows_every_paragraph_number(latex: Build, pdf: Path) -> None:
    """Both languages of each pair are labelled as TEI names them, and the pair shows ¶N."""
    article = bilingual_article()
    numbers = [int(n) for n in re.findall(
        rf"^:name: {re.escape(article.slug)}-p(\d+)$", article.body, flags=re.M)]
    assert len(numbers) > 30
    shown = {int(n) for page in article_pages(pdf, article)
             for n in re.findall(r"¶\s?(\d+)", page_text(pdf, page))}
    assert set(numbers) <= shown
    tex = (latex.outdir / "edition.tex").read_text(encoding="utf-8")
    languages = [tag for tag in article.meta["language"] if tag != "en"]
    for number in numbers:
        for label in (f"{article.slug}-p{number}", f"{article.slug}-p{number}-{languages[0]}"):
            assert f"{{articles/{article.slug}:{label}}}" in tex, label


def test_no_web_navigation_in_the_book(pdf: Path) -> None:
    text = run("pdftotext", str(pdf), "-")
    assert "Related articles" not in text
    assert not re.search(r"shares\s+\d+:", text)


def test_the_paywall_cut_is_stated_where_the_text_stops(pdf: Path) -> None:
    """An article whose source stops at a paywall says so, as the editors, at its end."""
    cut = [a for a in read_articles()
           if any(r.get("kind") == "paywall" for r in a.meta.get("removed") or [])]
    assert cut
    for article in read_articles():
        text = " ".join(page_text(pdf, page) for page in article_pages(pdf, article))
        text = re.sub(r"\s+", " ", text)
        note = "[Editors’ note: the source stops here, where its paywall begins"
        if article not in cut:
            assert note not in text, article.slug
            continue
        assert text.count(note) == 1, article.slug
        # After the last paragraph, before the citation.
        last = article.body[article.body.rindex(f"({article.slug}-p"):].splitlines()[1]
        flat_text = normal(text)
        assert (flat_text.index(normal(shown_text(last))[:12]) < flat_text.index(normal(note))
                < flat_text.index("Citeas:")), article.slug


def test_latin_text_inside_chinese_keeps_latin_punctuation(pdf: Path) -> None:
    """An apostrophe inside an English word of a Chinese page is set in the Latin face.

    Set full width, it splits the word ("China’ s") and pdftohtml reports a CJK face for it.
    """
    chinese = [a for a in read_articles() if str(a.meta["language"][0]).startswith("zh")]
    assert chinese
    for article in chinese:
        words = 0
        pages = article_pages(pdf, article)
        xml = run("pdftohtml", "-xml", "-i", "-stdout", "-f", str(pages.start),
                  "-l", str(pages.stop - 1), str(pdf))
        fonts = dict(re.findall(r'<fontspec id="(\d+)"[^>]*family="([^"]+)"', xml))
        for font, text in re.findall(r'<text [^>]*font="(\d+)">(.*?)</text>', xml):
            text = html.unescape(re.sub(r"<[^>]+>", "", text))
            apostrophes = re.findall(r"[A-Za-z]’[A-Za-z]", text)
            words += len(apostrophes)
            assert not (apostrophes and "CJK" in fonts[font]), (article.slug, text)
        # Every such word of the pages' text is one run of the Latin face.
        text = " ".join(page_text(pdf, page) for page in pages)
        assert 0 < len(re.findall(r"[A-Za-z]’[A-Za-z]", text)) <= words, article.slug


def test_no_chinese_title_ends_on_a_line_of_one_character(pdf: Path) -> None:
    for article in read_articles():
        title = unicodedata.normalize("NFKC", str(article.meta["title"]))
        if not re.search(r"[\u4e00-\u9fff]$", title):
            continue
        lines = [unicodedata.normalize("NFKC", line).strip()
                 for line in page_text(pdf, article_pages(pdf, article).start).splitlines()]
        for end in range(1, len(lines) + 1):
            for start in range(end):
                if "".join(lines[start:end]) == title.replace(" ", "") or " ".join(
                        lines[start:end]) == title:
                    assert len(lines[end - 1]) >= 2, (article.slug, lines[start:end])
                    break
            else:
                continue
            break
        else:
            pytest.fail(f"{article.slug}: title not found on its first page")


def test_addresses_in_verbatim_blocks_copy_whole(pdf: Path) -> None:
    """A wrapped address of the how-to-cite page has no continuation mark and no cut hyphen."""
    text = run("pdftotext", str(pdf), "-")
    assert "→" not in text and "↪" not in text
    whole = re.sub(r"\s+", "", text)
    for address in ("https://china-internet-edition.github.io/edition/articles/"
                    "silicon-valley-china-envy.html#silicon-valley-china-envy-p4",
                    "https://china-internet-edition.github.io/edition/articles/"
                    "silicon-valley-china-envy.html"):
        assert address in whole, address


def test_the_parallel_columns_are_ragged_right(pdf: Path) -> None:
    """No rivers in the narrow English column: its word spaces stay near their natural width."""
    article = bilingual_article()
    gaps: list[float] = []
    for page in article_pages(pdf, article):
        xml = run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-")
        width = float(re.search(r'<page width="([\d.]+)"', xml).group(1))  # type: ignore[union-attr]
        for line in re.findall(r"<line [^>]*>(.*?)</line>", xml, flags=re.S):
            words = [(float(x0), float(x1), word) for x0, x1, word in re.findall(
                r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<',
                line)]
            # Lines of the left (English) column, of words only.
            if len(words) < 3 or words[0][0] > width / 3 or words[-1][1] > width / 2:
                continue
            if all(re.search(r"[A-Za-z]", word) for _x0, _x1, word in words):
                gaps += [b[0] - a[1] for a, b in itertools.pairwise(words)]
    gaps.sort()
    assert len(gaps) > 300
    median = gaps[len(gaps) // 2]
    assert gaps[int(len(gaps) * 0.95)] <= 1.5 * median, (median, gaps[-20:])
