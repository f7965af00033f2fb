"""Chinese carries its language on every page of the web edition (edition/article/chinese.py).

Han text outside an element whose ``lang`` is Chinese is drawn with the glyphs the page's
language chooses (often the Japanese forms) and read in the page's voice. Every HTML page of a
build is walked, text node by text node, for Han characters whose nearest ``lang`` is not
``zh…``: the home page, the registers, the entity pages, the timeline, the cards, the headers
and every article and edition page.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Comment, NavigableString
from docutils import nodes
from edition_builds import Build
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from edition.article.chinese import (
    ChineseHtmlFormatter,
    chinese_parts,
    chinese_tag,
    is_chinese_text,
    mark_chinese,
    mark_escaped,
)

pytestmark = pytest.mark.sphinx

#: A Han ideograph, written out here rather than taken from the code under test: the CJK
#: unified ideographs, extension A and the compatibility ideographs.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
#: Elements whose text is no text of the page.
NOT_TEXT = {"script", "style"}


def language_of(text: NavigableString) -> str:
    """The ``lang`` in force at a text node: that of its nearest element that has one."""
    element = text.parent
    while element is not None and element.name != "[document]":
        if element.has_attr("lang"):
            return str(element["lang"])
        element = element.parent
    return ""


def unmarked_chinese(page: Path, *, titles: bool = True) -> list[tuple[str, str, str]]:
    """(element, lang in force, text) of every text with Han outside a Chinese ``lang``.

    ``titles=False`` leaves out the page's ``<title>``: it holds text only, so the Chinese name
    of an entity without an English one cannot be marked there.
    """
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    found = []
    for text in soup.find_all(string=HAN):
        if isinstance(text, Comment) or text.parent.name in NOT_TEXT:
            continue
        if text.parent.name == "title" and not titles:
            continue
        language = language_of(text)
        if not language.lower().startswith("zh"):
            found.append((text.parent.name, language, text.strip()[:40]))
    return found


def pages_with_unmarked_chinese(outdir: Path, *, titles: bool = True
                                ) -> dict[str, list[tuple[str, str, str]]]:
    """Every HTML page of a build that holds Han text outside a Chinese ``lang``."""
    return {page.relative_to(outdir).as_posix(): found
            for page in sorted(outdir.rglob("*.html"))
            if (found := unmarked_chinese(page, titles=titles))}


# --------------------------------------------------------------------------- pure parts


def test_script_is_read_from_the_characters() -> None:
    """Characters one script alone writes decide; a text written alike takes the default."""
    assert chinese_tag("纽约时报中文网") == "zh-Hans"
    assert chinese_tag("矽谷陷入了對中國的羨慕") == "zh-Hant"
    assert chinese_tag("袁莉") == "zh-Hans"
    assert chinese_tag("袁莉", "zh-Hant") == "zh-Hant"
    assert chinese_tag("快跑", "zh-Hant") == "zh-Hant"


def test_chinese_as_a_whole_or_run_by_run() -> None:
    """A Chinese sentence naming TikTok is one piece; an English line has its runs marked."""
    assert is_chinese_text("TikTok、小红书和中国互联网占领世界梦想的破灭")
    assert is_chinese_text("2022年11月30日，OpenAI發布ChatGPT時，中國的人工智慧工程師")
    assert not is_chinese_text("袁莉 · 21 January 2025 · Chinese (Simplified) · 纽约时报中文网")
    assert chinese_parts("TikTok、小红书和中国互联网") == [("TikTok、小红书和中国互联网", True)]
    assert chinese_parts("TikTok 快跑") == [("TikTok ", False), ("快跑", True)]
    assert chinese_parts("Li Yuan (袁莉), on 2025年1月21日 and 7 月 12 日") == [
        ("Li Yuan (", False), ("袁莉", True), ("), on ", False), ("2025年1月21日", True),
        (" and 7 ", False), ("月 12 日", True)]
    # Full-width punctuation alone is no Chinese text.
    assert chinese_parts("a「b」c") == [("a「b」c", False)]
    assert chinese_parts("No Chinese here") == [("No Chinese here", False)]


def test_an_english_element_inside_a_chinese_page_is_marked_inside() -> None:
    """The header of a Chinese article is English: the Chinese names in it get their lang."""
    header = nodes.container(classes=["language-en"])
    header += nodes.paragraph("", "Author: 袁莉")
    header += nodes.paragraph("", "", nodes.strong("", "纽约时报中文网"))
    body = nodes.paragraph("", "上周，约50万美国用户")
    document = nodes.section("", header, body)
    mark_chinese(document, "zh-Hans")
    first, second = header.children
    assert first.children[1]["classes"] == ["language-zh-Hans"]
    assert first.children[1].astext() == "袁莉"
    # An element holding only the Chinese is marked itself, not wrapped.
    assert second.children[0]["classes"] == ["language-zh-Hans"]
    # The Chinese page's own text is left as it is: the page's lang covers it.
    assert isinstance(body.children[0], nodes.Text)
    assert [p.astext() for p in document.findall(nodes.paragraph)] == [
        "Author: 袁莉", "纽约时报中文网", "上周，约50万美国用户"]


def test_code_blocks_mark_their_chinese() -> None:
    """Pygments' HTML for a code block has each Chinese run in a span with its lang."""
    code = 'labels: {zh-Hans: "安德里森·霍罗威茨", zh-Hant: "安德烈森·霍洛維茨"}\n'
    html = highlight(code, YamlLexer(), ChineseHtmlFormatter())
    assert '<span lang="zh-Hans">安德里森·霍罗威茨</span>' in html
    assert '<span lang="zh-Hant">安德烈森·霍洛維茨</span>' in html
    plain = highlight(code, YamlLexer(), HtmlFormatter())
    # Nothing added to what is copied.
    assert BeautifulSoup(html, "lxml").get_text() == BeautifulSoup(plain, "lxml").get_text()
    assert mark_escaped("a &lt; 袁莉") == 'a &lt; <span lang="zh-Hans">袁莉</span>'


# --------------------------------------------------------------------------- builds


@pytest.mark.sphinx("html", testroot="entities")
def test_no_han_outside_a_chinese_lang_in_the_test_edition(app: Any) -> None:
    """The small edition: registers, entity pages, timeline, home page, articles."""
    app.build()
    out = Path(app.outdir)
    assert (out / "ent-companies.html").is_file() and (out / "index.html").is_file()
    # 知乎, registered without an English name, is its page's <title> (no lang can be given
    # there); the edition's registry gives every entity an English name.
    assert pages_with_unmarked_chinese(out, titles=False) == {}


@pytest.mark.slow
def test_no_han_outside_a_chinese_lang_on_any_page_of_the_edition(html: Build) -> None:
    """Han text outside a zh* lang on no page of the edition, the home page included."""
    pages = sorted(html.outdir.rglob("*.html"))
    names = {page.relative_to(html.outdir).as_posix() for page in pages}
    assert {"index.html", "ent-companies.html", "ent-people.html", "ent-dates.html",
            "_generated/timeline.html", "_generated/entities/index.html",
            "_generated/entities/bytedance.html", "contribute.html"} <= names
    # The pages do hold Chinese: the check is not passed by pages without any.
    assert sum(1 for page in pages if HAN.search(page.read_text(encoding="utf-8"))) > 100
    assert pages_with_unmarked_chinese(html.outdir) == {}
