"""The pure parts of the book components: addresses, dates, EPUB markup, the cover, the marks
of Latin text in Chinese text, the ends of Chinese titles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from docutils import nodes

from converters.common.dates import date_words
from edition.outputs.book import breakable, kept_end, readable_url, short_link
from edition.outputs.downloads import relative_uri
from edition.outputs.epub import (
    COVER_MARGIN,
    COVER_WIDTH,
    Outliner,
    cover_outliner,
    cover_svg,
    epub_language,
)
from edition.outputs.pdf import LATIN_MARK, latin_marks, mark_latin_punctuation


def test_addresses_read_without_scheme() -> None:
    assert readable_url("https://www.wsj.com/articles/x-14969") == "wsj.com/articles/x-14969"
    assert readable_url("https://cn.nytimes.com/china/20241220/starbucks-china/") == (
        "cn.nytimes.com/china/20241220/starbucks-china")


def test_addresses_break_after_slashes_and_dots() -> None:
    parts = breakable("cn.nytimes.com/china/x")
    text = "".join(p.astext() for p in parts if isinstance(p, nodes.Text))
    assert text == "cn.nytimes.com/china/x"
    breaks = [p for p in parts if isinstance(p, nodes.raw)]
    assert len(breaks) == 4  # after the two dots and the two slashes
    assert all(p.astext() == r"\allowbreak{}" and p["format"] == "latex" for p in breaks)


def test_short_link_names_the_image_behind_a_proxy() -> None:
    uri = ("https://images.weserv.nl/?url=static01.nyt.com/images/2025/01/19/business/"
           "00nw-tiktok/00nw-tiktok-master1050.jpg")
    assert short_link(uri) == "static01.nyt.com/…/00nw-tiktok-master1050.jpg"
    assert short_link("https://cdn.example.org/a/b.gif") == "cdn.example.org/…/b.gif"


def test_dates_in_words_as_precise_as_written() -> None:
    assert date_words("2022") == "2022"
    assert date_words("2004-08") == "August 2004"
    assert date_words("2022-11-30") == "30 November 2022"


def test_download_links_are_relative_to_the_page() -> None:
    assert relative_uri("index", "edition.pdf") == "edition.pdf"
    assert relative_uri("articles/tiktok-run", "edition.pdf") == "../edition.pdf"
    assert relative_uri("_generated/entities/index", "edition.epub") == "../../edition.epub"


def test_language_tags_are_checked_before_they_reach_an_attribute() -> None:
    assert epub_language("zh-Hant") == "zh-Hant"
    assert epub_language('en" onload="x') == "en"
    assert epub_language("", "") == ""


SVG = "{http://www.w3.org/2000/svg}"


def test_cover_is_valid_svg_with_escaped_text() -> None:
    """Without the faces to draw from, the cover's words are SVG text, escaped."""
    svg = cover_svg("Four <Texts> & More", "中国互联网四篇", "a \"line\" & more")
    root = ET.fromstring(svg.encode("utf-8"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Four <Texts>", "& More", "中国互联网四篇", 'a "line" & more']


@pytest.fixture(scope="module")
def outliner() -> Outliner:
    """The cover's faces, as fontconfig finds them."""
    found = cover_outliner()
    if found is None:
        pytest.skip("the Noto faces are not installed: run scripts/setup-system.sh")
    return found


def test_cover_words_are_outlines_within_the_margins(outliner: Outliner) -> None:
    svg = cover_svg("Four <Texts> on China’s Internet, and Much More Besides", "中国互联网四篇",
                    "a \"line\" & more · 中文", outliner)
    root = ET.fromstring(svg.encode("utf-8"))
    assert not list(root.iter(f"{SVG}text"))
    paths = [p.get("d", "") for p in root.iter(f"{SVG}path")]
    assert len(paths) == 4 and all(paths)
    # A line too long for the cover is drawn smaller, not past the margin.
    xs = [float(x) for d in paths for x in re.findall(r"[MLQC ](-?[\d.]+)[ ,]", d)]
    assert min(xs) >= COVER_MARGIN - 10 and max(xs) <= COVER_WIDTH - COVER_MARGIN + 1
    assert root.findtext(f"{SVG}title") == "Four <Texts> on China’s Internet, and Much More Besides"
    assert root.findtext(f"{SVG}desc") == '中国互联网四篇 · a "line" & more · 中文'
    # The same words make the same file (a reproducible book).
    assert cover_svg("Four <Texts> on China’s Internet, and Much More Besides", "中国互联网四篇",
                     "a \"line\" & more · 中文", outliner) == svg


def test_a_word_no_face_has_is_left_as_text(outliner: Outliner) -> None:
    svg = cover_svg("Four Texts", "\U0001F600", "", outliner)
    root = ET.fromstring(svg.encode("utf-8"))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["\U0001F600"]
    assert len(list(root.iter(f"{SVG}path"))) == 2  # "Four", "Texts"


def marked(text: str) -> str:
    """The text with its Latin marks in brackets."""
    marks = latin_marks(text)
    return "".join(f"[{c}]" if i in marks else c for i, c in enumerate(text))


def test_marks_of_latin_text_inside_chinese_text_are_latin() -> None:
    # An apostrophe inside an English word; single quotes around English words.
    assert marked("In Four Texts on China’s Internet") == "In Four Texts on China[’]s Internet"
    assert marked("China’s ‘Sputnik moment’") == "China[’]s [‘]Sputnik moment[’]"
    # An English quotation in running English (a citation) takes Latin quotes, and so does one
    # that fills the text.
    assert marked("袁莉. “TikTok、小红书.”纽约时报") == "袁莉. [“]TikTok、小红书.[”]纽约时报"
    assert marked("“Some quote.”") == "[“]Some quote.[”]"
    # A quotation in a Chinese sentence keeps Chinese marks, whatever it quotes.
    assert marked("这些“TikTok难民”的用户") == "这些“TikTok难民”的用户"
    assert marked("他说：“Hello.”") == "他说：“Hello.”"
    assert marked("“实体经济是立身之本，”他曾在2018年说") == "“实体经济是立身之本，”他曾在2018年说"
    # Dashes and ellipses between Chinese characters are Chinese; between Latin words, Latin.
    assert marked("工作制——每週") == "工作制——每週"
    assert marked("文章……完") == "文章……完"
    assert marked("9 a.m.—and") == "9 a.m.[—]and"


def test_latin_marks_are_classed_in_the_paragraph() -> None:
    """Marks are found across the paragraph's text nodes; a footnote's number is no text."""
    para = nodes.paragraph("", "", nodes.Text("In China"), nodes.emphasis("", "’s"),
                           nodes.footnote_reference("", "1’"),
                           nodes.Text(" Internet，“新新世界”专栏"))
    mark_latin_punctuation(para)
    classed = [n for n in para.findall(nodes.inline) if LATIN_MARK in n["classes"]]
    assert [(n.astext(), n.parent.tagname) for n in classed] == [("’", "emphasis")]
    assert para.astext() == "In China’s1’ Internet，“新新世界”专栏"


def test_the_end_of_a_chinese_title_is_held_together() -> None:
    parts = kept_end("TikTok、小红书和中国互联网占领世界梦想的破灭")
    assert [p.astext() for p in parts] == [
        "TikTok、小红书和中国互联网占领世界梦想的", r"\editionkeep{", "破灭", "}"]
    assert [type(p) for p in parts] == [nodes.Text, nodes.raw, nodes.Text, nodes.raw]
    # Closing marks stay with the characters before them.
    assert [p.astext() for p in kept_end("面对「去全球化」难题。")][2] == "难题。"
    # Latin text and a title of one or two characters are left as they are.
    assert [p.astext() for p in kept_end("Silicon Valley")] == ["Silicon Valley"]
    assert [p.astext() for p in kept_end("快跑")] == ["快跑"]
