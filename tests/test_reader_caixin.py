"""The reader of format B (Nei.st posts of Caixin Weekly articles) on seed 001 and the corpus.

The no-loss checks extract the page's text with lxml, independently of the reader: every
paragraph of the article body must be in the article's reader-visible text, and every other
piece of text of the page must be either there or in what the reader recorded as removed.
"""

from __future__ import annotations

import re
from pathlib import Path

import corpus
import lxml.html
import pytest

from converters.model import (
    Article,
    ConversionError,
    Figure,
    Heading,
    Link,
    Source,
    article_links,
    article_text,
    inline_runs,
    plain_text,
)
from converters.readers import caixin, nytimes
from converters.sources import load

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "001_116d69d97c42a296.txt"
CORPUS = corpus.CORPUS / "caixin"

#: Every n-th post of the corpus is checked (deterministic sample).

#: The distributor's paywall and "Related" list of the seed: never article text.
FORBIDDEN = ("You’ve hit the wall", "风高浪急", "穿透安邦魔术", "接管包商银行", "Related")

#: The article's own paragraphs: unclassed ``<p>`` directly in the content (or in its
#: preview section). A plain XPath, independent of the reader's selectors.
BODY_XPATH = (
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]"
    "/p[not(@class)]"
)


def squeeze(text: str) -> str:
    """Text without any whitespace, for comparisons that ignore layout."""
    return re.sub(r"\s+", "", text)


def page_of(text: str) -> lxml.html.HtmlElement:
    """The HTML after the front matter, parsed by lxml."""
    body = re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)[2]
    return lxml.html.fromstring(body)


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article() -> Article:
    (only,) = caixin.read(load(SEED))
    return only



# --------------------------------------------------------------------------- seed 001


def test_seed_metadata(article: Article) -> None:
    meta = article.meta
    assert article.slug == "caixin-cw914-tiktokae"
    assert meta.title == "TikTok 快跑"
    assert meta.subtitle == (
        "迅速风靡全球，又接连遭遇强逆风，国际化最成功的这家中国互联网企业面对「去全球化」难题"
    )
    assert meta.authors == []  # "author: Nei.st" is the distributor
    assert meta.extra == {"distributor": "Nei.st"}
    assert (meta.date, meta.date_precision) == ("2020-07-24T03:24:32+01:00", "second")
    assert meta.language == ["zh-Hans"]
    assert meta.publisher == "Caixin Weekly"
    assert meta.source_url == "https://nei.st/medium/caixin/cw914-tiktokaee9v8s1b5vpe394qfczfw"
    assert (meta.original_url, meta.translator, meta.column, meta.retrieved) == ("", "", "", "")
    assert meta.image_credits == []


def test_seed_nothing_lost(seed_text: str, article: Article) -> None:
    text = squeeze(article_text(article))
    page = page_of(seed_text)
    paragraphs = page.xpath(BODY_XPATH)
    assert len(paragraphs) == 7
    pieces = [p.text_content() for p in paragraphs]
    pieces += [re.search(r'^title: "(.*)"$', seed_text, re.M).group(1)]  # type: ignore[union-attr]
    pieces += [page.xpath("//p[@class='blog-post__description']")[0].text_content()]
    for piece in pieces:
        assert squeeze(piece) in text, piece


def test_seed_boilerplate_removed_and_recorded(article: Article) -> None:
    text = article_text(article)
    for forbidden in FORBIDDEN:
        assert forbidden not in text
    kinds = [r.kind for r in article.removed]
    assert sorted(set(kinds)) == sorted(
        {"font-preload", "ad", "paywall", "related", "promo", "category-footer"}
    )
    assert kinds.count("font-preload") == 2 and kinds.count("ad") == 2
    by_kind = {r.kind: r for r in article.removed}
    assert "You’ve hit the wall." in by_kind["paywall"].text
    assert "穿透安邦魔术" in by_kind["related"].text
    assert by_kind["category-footer"].text == "Caixin Weekly"
    assert all(r.reason for r in article.removed)


def test_seed_whitespace_as_a_browser_shows_it(article: Article) -> None:
    text = article_text(article)
    # real spaces between Chinese and Latin words stay…
    assert "7 月 12 日，白宫顾问纳瓦罗针对 TikTok 表态称" in text
    # …the pretty-printer's newline and indentation around <a> do not become text
    assert "(详见辅文《互联网重估印度》)" in text
    assert "\n" not in "".join(plain_text(run) for b in article.blocks for run in inline_runs(b))


def test_seed_relative_link_made_absolute(article: Article) -> None:
    (only,) = article_links(article)
    assert plain_text(only.children) == "互联网重估印度"
    assert only.url == "https://nei.st/medium/caixin/cw914-miht0fzxzwxqzykht74pbg"


def test_seed_figure(article: Article) -> None:
    figures = [b for b in article.blocks if isinstance(b, Figure)]
    assert [(f.image, f.caption, f.credit) for f in figures] == [
        ("https://cdn.jsdelivr.net/gh/0nd1jyU39XQ/_/img/1/1595033475336352.gif", [], [])
    ]


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("[0-9][0-9][0-9]_*")))
def test_sniff_claims_only_its_own_format(seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert caixin.sniff(text) is seed.startswith("001_")


def test_seed_is_detected_as_caixin() -> None:
    from converters.readers import detect

    assert detect(load(SEED)) is caixin


# --------------------------------------------------------------------------- refusals and rules


def test_page_without_content_is_refused(seed_text: str) -> None:
    cut = seed_text[: seed_text.index('<div class="entry-content')]
    with pytest.raises(ConversionError, match="entry-content"):
        caixin.read(Source(name="cut.txt", text=cut, sha256=""))


def test_post_without_from_url_is_refused(seed_text: str) -> None:
    text = re.sub(r"^from: .*\n", "", seed_text, count=1, flags=re.M)
    with pytest.raises(ConversionError, match="from"):
        caixin.read(Source(name="x.txt", text=text, sha256=""))


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("cw914-tiktokaee9v8s1b5vpe394qfczfw", "caixin-cw914-tiktokae"),
        ("cw861b", "caixin-cw861-b"),
        ("cw900", "caixin-cw900"),
        ("guowengui-3", "caixin-guowengui-3"),
        ("sj100ntt_2n5z1iwen6xxa", "caixin-sj100ntt-2n5z1iw"),
    ],
)
def test_slug_rule(url: str, slug: str) -> None:
    assert caixin.slug_from_url(f"https://nei.st/medium/caixin/{url}") == slug


def test_subheadings_become_headings() -> None:
    post = CORPUS / "2019-07-29-366fe3265f.md"
    if not post.exists():
        pytest.skip(corpus.REASON)
    (one,) = caixin.read(load(post))
    headings = [plain_text(b.inlines) for b in one.blocks if isinstance(b, Heading)]
    assert headings[0] == "Libra 与支付宝的区别：加密货币的创新价值"
    assert len(headings) == len(re.findall(r"<h2>", post.read_text(encoding="utf-8")))


def test_full_text_post_has_no_paywall() -> None:
    if not CORPUS.is_dir():
        pytest.skip(corpus.REASON)
    post = next(p for p in sorted(CORPUS.iterdir())
                if "BarrierFailsafe" not in (t := p.read_text(encoding="utf-8"))
                and "No More." not in t)
    (one,) = caixin.read(load(post))
    assert "paywall" not in {r.kind for r in one.removed}
    last = page_of(post.read_text(encoding="utf-8")).xpath(BODY_XPATH)[-1]
    assert squeeze(last.text_content()) in squeeze(article_text(one))


@pytest.mark.parametrize("post", corpus.sample_params("caixin"))
def test_corpus_post_converts_without_loss(post: Path) -> None:
    source = load(post)
    assert caixin.sniff(source.text) and not nytimes.sniff(source.text)
    (one,) = caixin.read(source)
    assert one.meta.title and one.meta.date
    text = squeeze(article_text(one))
    removed = squeeze(" ".join(r.text for r in one.removed))
    page = page_of(source.text)
    for paragraph in page.xpath(BODY_XPATH):
        assert squeeze(paragraph.text_content()) in text, paragraph.text_content()
    # every other text of the page is either in the article or recorded as removed
    for element in page.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style"):
            continue
        for piece in (element.text, element.tail):
            piece = squeeze(piece or "")
            if piece:
                assert piece in text or piece in removed or piece in squeeze(one.meta.title), piece
    for forbidden in ("You’ve hit the wall", "Related"):
        assert forbidden not in article_text(one)


# --------------------------------------------------------------------------- inline markup

SYNTHETIC = """---
layout: post
title: "标题"
date: 2020-07-24T03:24:32+01:00
author: Nei.st
from: https://nei.st/medium/caixin/cw914-example
---
<article class="post type-post category-caixin">
 <div class="entry-content">
  <p>
   在
   <a href="https://example.com/libra">
    Libra
   </a>
   之外，
   <a href="javascript:void(0)">
    脚本链接
   </a>
   、
   <a href="mailto:editor@example.com">
    来信
   </a>
   和
   <strong>
    粗体
   </strong>
   <em>
    斜体
   </em>
   <span class="markup--p">
    第二行
   </span>
   <br/>
   第三行
   <script>
    alert(1)
   </script>
  </p>
 </div>
</article>
"""


def test_inline_markup_becomes_model_inlines() -> None:
    from converters.model import Emphasis, LineBreak, Paragraph, Strong, Text

    (one,) = caixin.read(Source(name="s.md", text=SYNTHETIC, sha256=""))
    (paragraph,) = one.blocks
    assert isinstance(paragraph, Paragraph)
    assert plain_text(paragraph.inlines) == "在 Libra 之外，脚本链接、来信和粗体斜体第二行\n第三行"
    kinds = [type(node) for node in paragraph.inlines]
    assert kinds == [Text, Link, Text, Link, Text, Strong, Emphasis, Text, LineBreak, Text]
    assert [link.url for link in article_links(one)] == [
        "https://example.com/libra", "mailto:editor@example.com"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "plain text, no markup at all\n",
        SYNTHETIC.replace("https://nei.st/", "https://example.com/"),  # another site's post
        SYNTHETIC.replace("category-caixin", "category-news"),  # not the Caixin category
        SYNTHETIC.split("---\n", 2)[2],  # the page without its front matter
    ],
)
def test_sniff_refuses_lookalikes(text: str) -> None:
    assert not caixin.sniff(text)
