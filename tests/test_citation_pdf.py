"""The book says what the web says of dates and credits: the Caixin date is Nei.st's post, and
the adaptation after Sam Altman is not his text (pdftotext of the real PDF)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_build_pdf import latex, pdf  # noqa: F401  (the module's PDF build, as fixtures)

pytestmark = [pytest.mark.pdf, pytest.mark.sphinx]


def page_texts(path: Path) -> list[str]:
    """The text of every page, spaces and line ends run together."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def test_the_book_labels_the_caixin_date_and_credits_the_original(pdf: Path) -> None:  # noqa: F811
    pages = page_texts(pdf)
    # the article's opening: title, dek, then the byline with the labelled date
    [caixin] = [page for page in pages if page.startswith("TikTok 快跑 迅速风靡全球")]
    assert re.search(r"24 July 2020 \(posted by Nei\.st, whose copy is the source; Caixin "
                     r"Weekly’s own date is not stated\)", caixin), caixin[:400]
    assert "Caixin Weekly, n.d. Posted by Nei.st, 2020-07-24." in " ".join(pages)
    [adaptation] = [page for page in pages
                    if page.startswith("OpenAI CEO: How to Improve Work Efficiency")]
    assert "from a work by [Sam Altman]" in adaptation, adaptation[:400]
