"""The reader of format A (NYT Chinese feed exports) on seed 000 and on the real corpus.

The no-loss checks extract the source's text without the reader (regular expressions over the
raw seed, lxml over corpus posts) and require every paragraph, caption, credit, footer line
and the title to be in the article's reader-visible text.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import corpus
import lxml.html
import pytest

from converters.model import (
    Article,
    ConversionError,
    Figure,
    Link,
    Paragraph,
    Source,
    Text,
    article_links,
    article_text,
    plain_text,
)
from converters.readers import caixin, nytimes
from converters.sources import load

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_a5d899cc8bfa8607.txt"
CORPUS = corpus.CORPUS / "nytimes-cn"

#: Every n-th post of the corpus is checked (deterministic sample).

#: Text the feed service and the site add, which must not reach the article.
FORBIDDEN = ("获取更多RSS", "feedx")
#: The site's newsletter prompt: removed, and recorded as removed.
PROMO = "（欢迎点击此处订阅NYT简报"


def squeeze(text: str) -> str:
    """Text without any whitespace, for comparisons that ignore layout."""
    return re.sub(r"\s+", "", text)


def strip_tags(fragment: str) -> str:
    """The text of an HTML fragment, by removing tags and resolving entities."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def links(article: Article) -> set[str]:
    """The distinct URLs the article links to."""
    return {link.url for link in article_links(article)}


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article() -> Article:
    (only,) = nytimes.read(load(SEED))
    return only



# --------------------------------------------------------------------------- seed 000


def test_seed_metadata(article: Article) -> None:
    meta = article.meta
    assert article.slug == "tiktok-red-note-china-internet"
    assert meta.title == "TikTok、小红书和中国互联网占领世界梦想的破灭"
    assert meta.authors == ["袁莉"]
    assert (meta.date, meta.date_precision) == ("2025-01-21T10:45:12", "second")
    assert meta.language == ["zh-Hans"]
    assert meta.publisher == "纽约时报中文网"
    assert meta.source_url == "https://cn.nytimes.com/business/20250121/tiktok-red-note-china-internet/"
    assert meta.original_url == (
        "https://www.nytimes.com/2025/01/20/business/tiktok-red-note-china-internet.html"
    )
    assert meta.translator == "纽约时报中文网"
    assert meta.column == "新新世界"
    assert meta.image_credits == ["Dongyan Xu"]
    # <!--1737428822000--> is milliseconds since the epoch
    assert meta.retrieved == "2025-01-21T03:07:02Z"
    assert meta.subtitle == ""


def test_seed_nothing_lost(seed_text: str, article: Article) -> None:
    text = squeeze(article_text(article))
    title = re.search(r"^\[(.+)\]\(", seed_text, re.M)
    assert title is not None
    pieces = [title.group(1)]
    pieces += re.findall(r"<p>(.*?)</p>", seed_text)          # body and footer paragraphs
    pieces += re.findall(r"<small[^>]*>(.*?)</small>", seed_text)  # captions
    pieces += re.findall(r"<cite>(.*?)</cite>", seed_text)      # credits
    assert len(pieces) > 30
    missing = []
    for piece in pieces:
        if "<img" in piece:  # a paragraph holding an image and its caption: the caption counts
            continue
        if squeeze(strip_tags(piece)) not in text:
            missing.append(strip_tags(piece))
    assert missing == []


def test_seed_footer_lines_stay_at_the_end(seed_text: str, article: Article) -> None:
    footer = re.search(r"<footer>(.*?)</footer>", seed_text)
    assert footer is not None
    lines = [strip_tags(p) for p in re.findall(r"<p>(.*?)</p>", footer.group(1))]
    paragraphs = [plain_text(b.inlines) for b in article.blocks if isinstance(b, Paragraph)]
    assert paragraphs[-len(lines):] == lines
    assert lines[1] == "翻译：纽约时报中文网"


def test_seed_feed_footer_removed_and_recorded(article: Article) -> None:
    text = article_text(article)
    for forbidden in FORBIDDEN:
        assert forbidden not in text
    kinds = {r.kind: r for r in article.removed}
    assert set(kinds) == {"feed-footer"}
    assert "feedx.net" in kinds["feed-footer"].text
    assert kinds["feed-footer"].reason


def test_seed_links(seed_text: str, article: Article) -> None:
    hrefs = set(re.findall(r'href="([^"]+)"', seed_text))
    linked = {h for h in hrefs if "feedx" not in h}
    assert len(linked) == 26
    assert links(article) == linked


def test_seed_figures(seed_text: str, article: Article) -> None:
    figures = [b for b in article.blocks if isinstance(b, Figure)]
    images = re.findall(r'<img src="([^"]+)"', seed_text)
    assert [f.image for f in figures] == images
    lead, *inline = figures
    assert (lead.credit, lead.caption) == ([Text("Dongyan Xu")], [])
    captions = re.findall(r"<small[^>]*>(.*?)</small>", seed_text)
    assert [plain_text(f.caption) for f in inline] == captions
    # the byline and dateline are metadata, not body text
    assert "2025年1月21日" not in article_text(article)


def test_empty_bold_and_html_never_pass_through(article: Article) -> None:
    text = article_text(article)
    assert "<" not in text and ">" not in text
    assert "正如TikTok以前和小红书现在展示的那样" in text


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("[0-9][0-9][0-9]_*")))
def test_sniff_claims_only_its_own_format(seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert nytimes.sniff(text) is seed.startswith("000_")
    assert caixin.sniff(text) is seed.startswith("001_")


def test_seed_is_detected_as_nytimes() -> None:
    from converters.readers import detect

    assert detect(load(SEED)) is nytimes


# --------------------------------------------------------------------------- refusals


def test_truncated_export_is_refused(seed_text: str) -> None:
    cut = seed_text[: seed_text.index("<section>")]
    with pytest.raises(ConversionError):
        nytimes.read(Source(name="cut.txt", text=cut, sha256=""))


def test_export_without_headline_is_refused(seed_text: str) -> None:
    text = re.sub(r"^\[.*$", "", seed_text, count=1, flags=re.M)
    with pytest.raises(ConversionError, match="headline"):
        nytimes.read(Source(name="x.txt", text=text, sha256=""))


# --------------------------------------------------------------------------- older markup


def test_older_markup_metadata_and_promo() -> None:
    post = CORPUS / "2020-07-17-03d2fe7187.md"
    if not post.exists():
        pytest.skip(corpus.REASON)
    (one,) = nytimes.read(load(post))
    assert one.slug == "china-vaccine-coronavirus"
    assert one.meta.authors == ["MARIANA SIMÕES"]  # the byline repeats the name
    assert (one.meta.date, one.meta.date_precision) == ("2020-07-17T15:14:53", "second")
    assert one.meta.retrieved == "2020-07-17T07:44:40Z"
    assert one.meta.translator == "纽约时报中文网"
    assert one.meta.original_url.endswith("/2020/07/16/business/china-vaccine-coronavirus.html")
    assert PROMO not in article_text(one)
    assert [r.kind for r in one.removed] == ["subscription-promo"]


@pytest.mark.parametrize("post", corpus.sample_params("nytimes-cn"))
def test_corpus_post_converts_without_loss(post: Path) -> None:
    source = load(post)
    assert nytimes.sniff(source.text) and not caixin.sniff(source.text)
    (one,) = nytimes.read(source)
    assert one.meta.title and one.meta.date
    text = squeeze(article_text(one))
    removed = squeeze(" ".join(r.text for r in one.removed))
    body = source.text[re.search(r"^-{3,}\s*$", source.text, re.M).end():]  # type: ignore[union-attr]
    tree = lxml.html.fromstring(f"<div>{body}</div>")
    for element in tree.iter("p", "small", "cite"):
        piece = squeeze(element.text_content())
        if not piece:
            continue
        if piece.startswith(PROMO):
            assert piece in removed
        else:
            assert piece in text, element.text_content()
    for forbidden in FORBIDDEN:
        assert forbidden not in article_text(one)


# --------------------------------------------------------------------------- inline markup

SYNTHETIC = (
    "<!--1737428822000-->\n"
    "[标题](https://cn.nytimes.com/china/20250101/example-slug/)\n"
    "------\n\n"
    "<address>甲、乙</address><time datetime=\"2025-01-01 08:00\">2025年1月1日</time>"
    "<section><p>见<a href=\"javascript:void(0)\">此处</a>与"
    "<a href=\"https://example.com/x\">那里</a>，<b>粗</b><i>斜</i><span>文</span>"
    "<br>次行  多空格<script>alert(1)</script></p></section>"
)


def test_inline_markup_becomes_model_inlines() -> None:
    from converters.model import Emphasis, LineBreak, Strong, Text

    (one,) = nytimes.read(Source(name="s.txt", text=SYNTHETIC, sha256=""))
    assert one.slug == "example-slug"
    assert one.meta.authors == ["甲", "乙"]
    assert (one.meta.date, one.meta.date_precision) == ("2025-01-01T08:00", "minute")
    (paragraph,) = one.blocks
    assert isinstance(paragraph, Paragraph)
    assert plain_text(paragraph.inlines) == "见此处与那里，粗斜文\n次行 多空格"
    kinds = [type(node) for node in paragraph.inlines]
    assert kinds == [Text, Link, Text, Strong, Emphasis, Text, LineBreak, Text]
    assert links(one) == {"https://example.com/x"}


@pytest.mark.parametrize(
    "text",
    [
        "plain text, no markup at all\n",
        SYNTHETIC.replace("cn.nytimes.com", "www.bbc.com"),  # another site's feed
        SYNTHETIC.replace("------", ""),  # no rule under the headline
        SYNTHETIC.replace("<!--1737428822000-->\n", ""),  # no feed stamp
    ],
)
def test_sniff_refuses_lookalikes(text: str) -> None:
    assert not nytimes.sniff(text)
