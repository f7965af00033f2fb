"""The EPUB, built from the real docs/, passes epubcheck."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from edition_builds import Build, edition_build, read_articles

pytestmark = pytest.mark.sphinx

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
    assert "0 fatals / 0 errors" in report


def test_every_article_is_in_the_book(epub: tuple[Build, Path]) -> None:
    with zipfile.ZipFile(epub[1]) as book:
        names = set(book.namelist())
        spine = book.read("content.opf").decode("utf-8")
    for article in read_articles():
        assert f"articles/{article.slug}.xhtml" in names
        assert f"articles/{article.slug}.xhtml" in spine


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
