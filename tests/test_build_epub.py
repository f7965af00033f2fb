"""The EPUB, built from the real docs/, passes epubcheck."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from edition_builds import Build, edition_build, read_articles

pytestmark = [pytest.mark.sphinx, pytest.mark.slow]  # the full EPUB build of docs/ and epubcheck

#: Debian's epubcheck is a jar; run it with java rather than rely on binfmt for .jar files.
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_command() -> list[str]:
    """How to run epubcheck here (skip, or fail in CI, when it is not installed)."""
    if EPUBCHECK_JAR.is_file() and shutil.which("java"):
        return ["java", "-jar", str(EPUBCHECK_JAR)]
    message = "epubcheck is missing: run scripts/setup-system.sh"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, Path]:
    """The EPUB build and its one .epub file."""
    build = edition_build(tmp_path_factory, "epub")
    books = list(build.outdir.glob("*.epub"))
    assert len(books) == 1
    return build, books[0]


def test_epub_build_has_no_warnings(epub: tuple[Build, Path]) -> None:
    assert epub[0].warnings.strip() == ""


def test_epubcheck_finds_no_errors(epub: tuple[Build, Path]) -> None:
    command = epubcheck_command()
    result = subprocess.run([*command, str(epub[1])], capture_output=True, text=True,
                            check=False, timeout=600)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-4000:]
    assert "0 fatals / 0 errors / 0 warnings" in report


def test_every_article_is_in_the_book(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        names = set(book.namelist())
        spine = book.read("content.opf").decode("utf-8")
    for article in read_articles():
        assert f"articles/{article.slug}.xhtml" in names
        assert f"articles/{article.slug}.xhtml" in spine


def chapters(book: zipfile.ZipFile) -> dict[str, str]:
    """Every XHTML chapter of the book (the navigation document aside), by name."""
    return {name: book.read(name).decode("utf-8") for name in book.namelist()
            if name.endswith(".xhtml") and name != "nav.xhtml"}


def test_navigation_lists_every_article_and_its_sections(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        nav = book.read("nav.xhtml").decode("utf-8")
    hrefs = re.findall(r'<a href="([^"]+)">', nav)
    articles = read_articles()
    for article in articles:
        assert f"articles/{article.slug}.xhtml" in hrefs, article.slug
    assert len({h for h in hrefs if h.startswith("articles/") and "#" not in h}) >= 7
    # An article with sections lists them under its title.
    assert "articles/china-internet-at-thirty.xhtml#china-internet-at-thirty-s1" in hrefs
    # The pages of the web edition are not in the book: no entity page, no entity list.
    assert not [h for h in hrefs if h.startswith("_generated/")]


def spine(book: zipfile.ZipFile) -> list[str]:
    """The files of the reading order, in order."""
    opf = book.read("content.opf").decode("utf-8")
    items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    return [items[ref] for ref in re.findall(r'<itemref idref="([^"]+)"', opf)]


def test_the_reading_order_is_the_book(epub: tuple[Build, Path]) -> None:
    """Front matter, the texts, method and citing, the three registers: nothing of the web."""
    with zipfile.ZipFile(epub[1]) as book:
        order = spine(book)
        names = set(book.namelist())
    assert len(order) <= 40
    assert len(order) == len(set(order))
    articles = [f"articles/{a.slug}.xhtml" for a in read_articles()]
    assert order[:3] == ["epub-cover.xhtml", "index.xhtml", "introduction.xhtml"]
    assert sorted(order[3:3 + len(articles)]) == sorted(articles)
    assert order[3 + len(articles):] == ["method.xhtml", "cite.xhtml", "ent-companies.xhtml",
                                          "ent-people.xhtml", "ent-dates.xhtml"]
    # Nor are the pages left out anywhere in the file.
    assert not [n for n in names if n.startswith("_generated/")
                or n in ("genindex.xhtml", "contribute.xhtml", "data.xhtml")]


def test_the_contents_list_the_texts_not_their_citations(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        nav = book.read("nav.xhtml").decode("utf-8")
        ncx = book.read("toc.ncx").decode("utf-8")
    for contents in (nav, ncx):
        assert "Cite this article" not in contents
        assert not re.search(r'(?:href|src)="[^"]*-cite"', contents)
        # The registers close the contents, as they close the reading order.
        for title in ("Index of companies and organisations", "Index of people",
                      "Index of dates"):
            assert title in contents, title


def test_the_cover_text_is_drawn_as_outlines(epub: tuple[Build, Path]) -> None:
    """The cover shows its words in no font of the reading system's: they are shapes."""
    with zipfile.ZipFile(epub[1]) as book:
        cover = book.read("_static/edition-cover.svg").decode("utf-8")
    root = ET.fromstring(cover.encode("utf-8"))
    svg = "{http://www.w3.org/2000/svg}"
    assert not list(root.iter(f"{svg}text"))
    paths = list(root.iter(f"{svg}path"))
    assert len(paths) == 4  # the title's two lines, the Chinese title, the line under them
    assert all(len(path.get("d", "")) > 200 for path in paths)
    # What the shapes say, for a screen reader.
    assert root.findtext(f"{svg}title") == "Four Texts on China’s Internet"
    assert "中国互联网四篇" in (root.findtext(f"{svg}desc") or "")


def test_every_chapter_says_its_language(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        pages = chapters(book)
    tag = re.compile(r'<html [^>]*\blang="([^"]+)" xml:lang="\1"')
    for name, text in pages.items():
        assert tag.search(text), name
    languages = {a.slug: a.meta["language"] for a in read_articles()}
    for slug, language in languages.items():
        main = language[0] if isinstance(language, list) else language
        assert f'lang="{main}" xml:lang="{main}"' in pages[f"articles/{slug}.xhtml"], slug
    # The Chinese half of every parallel pair says it is Traditional Chinese.
    bilingual = pages["articles/silicon-valley-china-envy.xhtml"]
    pairs = bilingual.count('class="parallel')
    assert pairs >= 30
    assert len(re.findall(r'lang="zh-hant" xml:lang="zh-hant"', bilingual, re.I)) >= pairs


def test_notes_are_epub_footnotes(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        pages = chapters(book)
    for name, text in pages.items():
        assert "[[" not in text, name
        assert "fn-bracket" not in text, name
    article = pages["articles/tiktok-red-note-china-internet.xhtml"]
    references = re.findall(r'<a class="footnote-reference" epub:type="noteref"', article)
    notes = re.findall(r'<aside class="footnote" epub:type="footnote"', article)
    assert len(references) >= 20 and len(notes) >= 20


def test_metadata_is_complete(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        opf = book.read("content.opf").decode("utf-8")
    metadata = opf[opf.index("<metadata"):opf.index("</metadata>")]
    assert "unknown" not in metadata.lower()
    assert "<dc:title>Four Texts on China’s Internet</dc:title>" in metadata
    assert set(re.findall(r"<dc:language>([^<]+)</dc:language>", metadata)) == {
        "en", "zh-Hans", "zh-Hant"}
    assert re.search(r'<meta refines="#editors" property="role"[^>]*>edt</meta>', metadata)
    for element in ("dc:date", "dc:identifier", "dc:rights", "dc:description", "dc:creator"):
        assert re.search(rf"<{element}[^>]*>[^<]+</{element}>", metadata), element


def test_the_book_has_a_generated_cover(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        opf = book.read("content.opf").decode("utf-8")
        item = re.search(r'<item [^>]*href="([^"]+)"[^>]*properties="cover-image"', opf)
        assert item is not None
        cover = book.read(item.group(1)).decode("utf-8")
        assert "epub-cover.xhtml" in book.namelist()
    assert "<svg" in cover
    assert "Four Texts on China" in cover and "中国互联网四篇" in cover


def test_paragraph_numbers_are_in_the_text(epub: tuple[Build, Path]) -> None:
    """Each labelled paragraph of an article's XHTML starts with its number ¶N."""
    with zipfile.ZipFile(epub[1]) as book:
        for article in read_articles():
            xhtml = book.read(f"articles/{article.slug}.xhtml").decode("utf-8")
            labels = re.findall(rf"(?:^\(|:name: ){re.escape(article.slug)}-p(\d+)\)?=?$",
                                article.body, flags=re.MULTILINE)
            shown = re.findall(r'<a class="para-number-link" href="#[a-z0-9-]+-p(\d+)"'
                               r'[^>]*>¶(\d+)</a>', xhtml)
            assert [a for a, _ in shown] == labels, article.slug
            assert all(a == b for a, b in shown)
            assert "para-cite" not in xhtml and "<script" not in xhtml


def test_remote_images_are_named_as_the_book_names_them(epub: tuple[Build, Path]) -> None:
    """An image the EPUB cannot hold is a sentence with its link, in the PDF's words."""
    with zipfile.ZipFile(epub[1]) as book:
        pages = chapters(book)
    text = "".join(pages.values())
    assert "Image online:" not in text
    remote = sum(len(re.findall(r"^:::\{figure\} https?://", a.body, re.M))
                 for a in read_articles())
    assert remote and text.count("The image, not reproduced here, is at") >= remote
