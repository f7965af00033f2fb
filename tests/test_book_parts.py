"""The pure parts of the book components: addresses, dates, EPUB markup, the cover."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from docutils import nodes

from converters.dates import date_words
from edition.book import breakable, readable_url, short_link
from edition.downloads import relative_uri
from edition.epub import cover_svg, language_tag, mark_footnotes, mark_languages


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


def test_epub_footnotes_lose_their_brackets() -> None:
    body = ('<a class="footnote-reference brackets" href="#id28" id="id1" role="doc-noteref">'
            '<span class="fn-bracket">[</span>1<span class="fn-bracket">]</span></a>'
            '<aside class="footnote brackets" id="id28" role="doc-footnote">')
    marked = mark_footnotes(body)
    assert "fn-bracket" not in marked and "[" not in marked
    assert ('<a class="footnote-reference" epub:type="noteref" href="#id28" id="id1" '
            'role="doc-noteref"><sup>1</sup></a>') in marked
    assert '<aside class="footnote" epub:type="footnote" id="id28"' in marked


def test_every_lang_gets_its_xml_lang_once() -> None:
    body = '<div class="language-zh-hant" lang="zh-hant"><p lang="en">x</p></div>'
    marked = mark_languages(body)
    assert marked.count('xml:lang="zh-hant"') == 1 and marked.count('xml:lang="en"') == 1
    assert mark_languages(marked) == marked


def test_language_tags_are_checked_before_they_reach_an_attribute() -> None:
    assert language_tag("zh-Hant") == "zh-Hant"
    assert language_tag('en" onload="x') == "en"
    assert language_tag("", "") == ""


def test_cover_is_valid_svg_with_escaped_text() -> None:
    svg = cover_svg("Four <Texts> & More", "中国互联网四篇", "a \"line\" & more")
    root = ET.fromstring(svg.encode("utf-8"))
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert texts == ["Four <Texts>", "& More", "中国互联网四篇", 'a "line" & more']
