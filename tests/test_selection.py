"""The readers' lxml trees and selectors find exactly what bs4 and soupsieve found.

The readers were written against bs4 trees (built by its ``"lxml"`` builder) and soupsieve's
selection; they now work on lxml's own trees with selectors compiled to XPath by cssselect.
These tests compare both on the real seeds and sampled corpus posts: the same elements and
texts, the same matches for every selector the readers use and for harder ones, and the
places where lxml's tree differs from bs4's (tails, comments, ruby text) handled as bs4 did.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from lxml import etree

from converters.model import ConversionError, LineBreak, Source, Strong, Text
from converters.readers import _html as htmltext
from converters.readers import caixin, nytimes
from converters.readers._html import (
    Element,
    content,
    drop,
    paragraph_inlines,
    parse_html,
    remove_boilerplate,
    select,
    select_one,
    tidy,
    visible_text,
    walk_blocks,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

#: Selectors the readers use, and harder ones: attribute tests beside classes, :has() and
#: :not(), ids, pseudo-classes, quoted values holding syntax.
SELECTORS: tuple[str, ...] = (
    *(selector for _, selector, _ in caixin.BOILERPLATE),
    *(selector for _, selector, _ in nytimes.BOILERPLATE),
    caixin.ENTRY_SELECTOR, caixin.ARTICLE_SELECTOR, caixin.DEK_SELECTOR,
    *caixin.PUBLISHER_SELECTORS, caixin.AUTHOR_CARD_SELECTOR, caixin.FIGURE_CELL_SELECTOR,
    caixin.CAPTION_SELECTOR, caixin.CREDIT_SELECTOR,
    nytimes.BYLINE_SELECTOR, nytimes.DATELINE_SELECTOR, nytimes.LEGACY_BYLINE_SELECTOR,
    nytimes.CREDIT_SELECTOR,
    "p", "div > p", "p + p", "h2 ~ p", "a[href^='http']", "a[rel~='category']",
    "div:has(> img)", "div:not(.entry-content)", "p:nth-child(2)", "#content", "*",
    "[class]", "img[src]", "[title='a] .b']", "div [class*='a > b']", "template p",
    "li:first-child, figure figcaption", "P", "DIV.FR",
)


def pages() -> list[Path]:
    """The HTML seeds and a sample of the corpus."""
    seeds = [p for p in sorted(SEEDS.glob("[0-9][0-9][0-9]_*"))
             if caixin.sniff(p.read_text(encoding="utf-8"))
             or "<p" in p.read_text(encoding="utf-8")]
    return seeds + corpus.sample("caixin")[:4] + corpus.sample("nytimes-cn")[:4]


def _bs4_path(tag: Tag) -> tuple[int, ...]:
    """Where a bs4 element sits: its index among its parent's elements, up from ``<html>``."""
    path: list[int] = []
    while isinstance(tag.parent, Tag) and not isinstance(tag.parent, BeautifulSoup):
        siblings = [child for child in tag.parent.children if isinstance(child, Tag)]
        path.append(next(i for i, child in enumerate(siblings) if child is tag))
        tag = tag.parent
    return tuple(reversed(path))


def _lxml_path(element: Element) -> tuple[int, ...]:
    """Where an lxml element sits: its index among its parent's elements, up from ``<html>``."""
    path: list[int] = []
    parent = element.getparent()
    while parent is not None:
        siblings = [child for child in parent if isinstance(child.tag, str)]
        path.append(next(i for i, child in enumerate(siblings) if child is element))
        element, parent = parent, parent.getparent()
    return tuple(reversed(path))


def _bs4_shape(tag: Tag) -> list[object]:
    """A bs4 tree as nested lists: name, attributes, texts (blank ones as ''), children."""
    shape: list[object] = [tag.name, sorted((k, " ".join(v) if isinstance(v, list) else v)
                                             for k, v in tag.attrs.items())]
    for child in tag.children:
        if isinstance(child, Tag):
            shape.append(_bs4_shape(child))
        elif type(child) is NavigableString:
            shape.append(child.strip() and str(child))
    return _joined_texts(shape)


def _lxml_shape(element: Element) -> list[object]:
    """An lxml tree as nested lists, as :func:`_bs4_shape` writes bs4's."""
    shape: list[object] = [element.tag, sorted((k, " ".join(v.split()) if k == "class" else v)
                                               for k, v in element.attrib.items())]
    for node in content(element):
        shape.append(node.strip() and node if isinstance(node, str) else _lxml_shape(node))
    return _joined_texts(shape)


def _joined_texts(shape: list[object]) -> list[object]:
    """Neighbouring texts as one (bs4 splits them at comments, so does lxml's content())."""
    out: list[object] = []
    for item in shape:
        if isinstance(item, str) and out and isinstance(out[-1], str) and len(out) > 2:
            out[-1] = out[-1] + item
        else:
            out.append(item)
    return out


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_lxml_tree_is_the_tree_bs4_built(page: Path) -> None:
    """Same elements, attributes and texts (bs4 collapsed blank texts; they stay blank)."""
    text = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(text, "lxml")
    assert soup.html is not None
    assert _lxml_shape(parse_html(text)) == _bs4_shape(soup.html)


@pytest.mark.parametrize("page", pages(), ids=lambda p: p.name)
def test_select_finds_what_soupsieve_finds(page: Path) -> None:
    """Same elements, same order, for every selector; select_one is the first of them."""
    text = page.read_text(encoding="utf-8")
    html = BeautifulSoup(text, "lxml").html
    assert html is not None
    root = parse_html(text)  # its <html>: both select under it
    for selector in SELECTORS:
        expected = [_bs4_path(tag) for tag in html.select(selector)]
        found = select(root, selector)
        assert [_lxml_path(e) for e in found] == expected, selector
        first = select_one(root, selector)
        assert (None if first is None else _lxml_path(first)) == (
            expected[0] if expected else None), selector


def test_select_does_not_enter_templates() -> None:
    """A ``<template>``'s content is no part of the page: soupsieve skips it, so does select."""
    markup = "<div><template><p class='x'>hidden</p></template><p class='x'>shown</p></div>"
    assert [p.text for p in select(parse_html(markup), "p.x")] == ["shown"]
    if int(__import__("soupsieve").__version__.split(".")[0]) >= 4:  # 3 (Python < 3.11.5) enters
        assert [p.get_text() for p in BeautifulSoup(markup, "lxml").select("p.x")] == ["shown"]


def test_select_leaves_out_the_root_itself() -> None:
    """cssselect's XPath starts at the root itself; soupsieve's select never returns it."""
    article = select_one(parse_html("<article class='a'><div class='a'>x</div></article>"),
                         "article")
    assert article is not None
    assert [e.tag for e in select(article, ".a")] == ["div"]


def test_select_reads_class_selectors_as_whole_names() -> None:
    """``.fr`` asks for the class ``fr``: ``frame`` and ``FR`` are other classes."""
    root = parse_html("<div class='frame'>a</div><div class='x FR'>b</div>"
                      "<div class='fr'>c</div><div class='ads_top'>d</div>")
    assert [div.text for div in select(root, "div.fr")] == ["c"]
    assert [div.text for div in select(root, "[class*='ads_']")] == ["d"]


def test_boilerplate_removal_keeps_has_on_the_intact_page() -> None:
    """Matches are found before anything is removed: an outer block whose :has() needs an
    inner block that an earlier rule removes is still taken out, and recorded once."""
    root = parse_html("<article><div class='wrap'><p>kept?</p><div class='ad'>buy</div></div>"
                      "<p>text</p></article>")
    article = select_one(root, "article")
    assert article is not None
    removed = remove_boilerplate(article, [("ad", ".ad", "an ad"),
                                           ("wrapper", ".wrap:has(.ad)", "holds an ad")])
    assert [(r.kind, r.text) for r in removed] == [("wrapper", "kept? buy")]
    assert visible_text(article) == "text"


def test_removing_an_element_keeps_the_text_after_it() -> None:
    """lxml keeps the text after an element as its tail: a removal hands it on, not away."""
    root = parse_html("<p>one <span class='ad'>ad</span> two <b>three</b>"
                      "<span class='ad'>ad</span> four</p>")
    paragraph = select_one(root, "p")
    assert paragraph is not None
    removed = remove_boilerplate(paragraph, [("ad", ".ad", "an ad")])
    assert [r.text for r in removed] == ["ad", "ad"]
    assert htmltext.plain_text(paragraph_inlines(content(paragraph))) == "one two three four"
    lone = select_one(parse_html("<div><i>gone</i> stays</div>"), "i")
    assert lone is not None
    holder = lone.getparent()
    drop(lone)
    assert holder.text == " stays"


def test_comments_are_no_text_but_the_text_after_them_is() -> None:
    """A comment is an element in lxml's tree (a string in bs4's): never shown, its tail is."""
    root = parse_html("<div><p>a<!-- hidden -->b</p><!-- x --> c<br><!--y-->d</div>")
    div = select_one(root, "div")
    assert div is not None
    assert visible_text(div) == "ab c d"
    blocks = walk_blocks(div)
    assert [htmltext.plain_text(b.inlines) for b in blocks] == ["ab", "c\nd"]  # type: ignore[attr-defined]


def test_entities_and_line_break_tails_read_as_bs4_read_them() -> None:
    """Entities are decoded by the parser; the text after a ``<br>`` is its tail, kept."""
    markup = "<p>A&amp;B&nbsp;&#20013;<br>after&lt;br&gt;<br/>\n end</p>"
    root = parse_html(markup)
    paragraph = select_one(root, "p")
    assert paragraph is not None
    inlines = paragraph_inlines(content(paragraph))
    assert htmltext.plain_text(inlines) == "A&B\u00a0中\nafter<br>\nend"
    soup = BeautifulSoup(markup, "lxml")
    assert visible_text(paragraph) == htmltext.squash(soup.p.get_text(" "))  # type: ignore[union-attr]


def test_ruby_annotations_are_no_text() -> None:
    """bs4 kept ``<rt>``/``<rp>`` text as strings of another kind, never shown: so here."""
    root = parse_html("<p><ruby>中<rp>(</rp><rt>zhōng</rt><rp>)</rp></ruby>文 <rt>x<b>y</b>z"
                      "</rt>!</p>")
    paragraph = select_one(root, "p")
    assert paragraph is not None
    assert htmltext.plain_text(paragraph_inlines(content(paragraph))) == "中文 !"
    assert visible_text(paragraph) == "中文 !"


def test_broken_markup_is_mended_as_bs4_mended_it() -> None:
    """Unclosed and stray tags: libxml2 mends them the same way for both trees."""
    markup = "<div><p>one<p>two</b><li>three</div></span><table><td>four"
    root = parse_html(markup)
    soup = BeautifulSoup(markup, "lxml")
    assert soup.html is not None
    assert _lxml_shape(root) == _bs4_shape(soup.html)


def test_nothing_to_parse_is_an_empty_page() -> None:
    """Empty markup or a lone comment: a page without a body, refused by the readers."""
    for markup in ("", "<!-- only -->", "   "):
        assert htmltext.body_of(parse_html(markup)) is None


def test_caixin_stray_text_beside_a_removed_block_is_still_found() -> None:
    """The "、" left between two promotional blocks is taken out alone, as bs4 did, even
    though taking the blocks out joins the texts around them in lxml's tree."""
    post = ("---\ntitle: T\nfrom: https://nei.st/cw1-x\nauthor: Nei.st\n---\n"
            "<article class='category-caixin'><div class='entry-content'>"
            "<p>first</p>、<div class='code-block'>ad</div>\n<p>second</p></div></article>")
    [article] = caixin.read(Source(name="post.md", text=post, sha256=""))
    assert [(r.kind, r.text) for r in article.removed] == [
        ("ad", "ad"), ("page-debris", "、")]
    assert [htmltext.plain_text(b.inlines) for b in article.blocks] == [  # type: ignore[attr-defined]
        "first", "second"]


def test_caixin_content_inside_boilerplate_is_refused() -> None:
    """A page whose content sits inside a removed block has no paragraph left."""
    post = ("---\ntitle: T\nfrom: https://nei.st/cw1-x\nauthor: Nei.st\n---\n"
            "<article class='category-caixin'><div class='entry-meta'>"
            "<div class='entry-content'><p>text</p></div></div></article>")
    with pytest.raises(ConversionError, match="no paragraph"):
        caixin.read(Source(name="post.md", text=post, sha256=""))


def test_nyt_image_caption_pairing_keeps_the_text_after() -> None:
    """An image and its ``<small>`` caption become one figure; the text after stays after."""
    root = parse_html("<body><p>before<img src='https://x.test/a.jpg'> <small>cap</small>"
                      " after</p></body>")
    body = htmltext.body_of(root)
    assert body is not None
    nytimes._pair_images_with_captions(body)
    figure = select_one(body, "figure")
    assert figure is not None
    assert [child.tag for child in figure] == ["img", "small"]
    assert figure.tail == "  after"
    assert etree.tostring(body, encoding="unicode", method="html") == (
        "<body><p>before<figure><img src=\"https://x.test/a.jpg\"><small>cap</small></figure>"
        "  after</p></body>")


def test_tidy_resolves_runs_across_nodes() -> None:
    """Runs spanning text nodes, edges and hard breaks resolve as a browser shows them."""
    inlines = [Text("  a \n b"), Strong([Text(" \n c")]), Text("中\n"), Text("\n文 "),
               LineBreak(), Text(" d  ")]
    out = tidy(inlines)
    assert htmltext.plain_text(out) == "a b c中文\nd"
