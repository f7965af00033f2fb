"""Entity tagging: one id for every script and spelling, longest match, word boundaries, URLs."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.common.matching import automaton, find_mentions
from converters.common.registry import Registry, fold, load_registry, parse_registry
from converters.model import (
    Article,
    BulletList,
    Emphasis,
    Figure,
    Heading,
    Inline,
    Link,
    Mention,
    Metadata,
    Paragraph,
    ParallelPair,
    Text,
    article_text,
)
from converters.tagging import tag_article

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@lru_cache(maxsize=1)
def edition_registry() -> Registry:
    """The edition's registry, loaded once for the whole module."""
    return load_registry(ROOT / "docs" / "_data" / "registry.yaml")


@pytest.fixture
def registry() -> Registry:
    """The edition's registry."""
    return edition_registry()


def article_of(*texts: str) -> Article:
    """An article with one plain paragraph per text."""
    return Article(slug="t", meta=Metadata(), blocks=[Paragraph([Text(t)]) for t in texts])


def mentions(inlines: list[Inline]) -> list[tuple[str, str]]:
    """(shown text, target) of the entity mentions in a run, looking inside nested inlines."""
    out: list[tuple[str, str]] = []
    for node in inlines:
        if isinstance(node, Mention) and node.kind == "entity":
            out.append((node.text, node.target))
        elif isinstance(node, (Emphasis, Link)):
            out.extend(mentions(node.children))
    return out


def tagged(text: str, registry: Registry) -> list[tuple[str, str]]:
    """The mentions tagging finds in one paragraph of text."""
    article = article_of(text)
    tag_article(article, registry)
    block = article.blocks[0]
    assert isinstance(block, Paragraph)
    return mentions(block.inlines)


# --------------------------------------------------------------------------- one id per entity


@pytest.mark.parametrize("text", ["字节跳动是TikTok的母公司", "字節跳動是TikTok的母公司",
                                  "ByteDance owns TikTok", "BYTEDANCE owns TikTok"])
def test_bytedance_in_every_script(registry: Registry, text: str) -> None:
    """Simplified, Traditional and English forms are one entity, shown as the source has them."""
    found = tagged(text, registry)
    assert found[0][1] == "bytedance"
    assert found[0][0] in text  # the mention keeps the source's own script and spelling
    assert ("TikTok", "tiktok") in found


@pytest.mark.parametrize(("text", "shown"), [
    ("特朗普政府预计将对TikTok采取行动", "特朗普"),
    ("曾敦促川普總統擴大聯邦政府的支持", "川普"),
    ("he urged President Trump to expand support", "President Trump"),
    ("a Chinese version of Donald Trump's autobiography", "Donald Trump"),
    ("while Trump has made a comeback", "Trump"),
])
def test_trump_forms(registry: Registry, text: str, shown: str) -> None:
    """Every form of the name the seeds use is Donald Trump."""
    assert (shown, "donald-trump") in tagged(text, registry)


@pytest.mark.parametrize("text", ["硅谷公司安德里森·霍罗威茨的一名合伙人",
                                  "風險投資公司安德烈森·霍洛維茨近期在一篇部落格文章中警告",
                                  "the venture capital firm Andreessen Horowitz warned"])
def test_andreessen_horowitz_transliterations(registry: Registry, text: str) -> None:
    """Two different Chinese transliterations and the English name are one firm."""
    assert [target for _, target in tagged(text, registry)] == ["andreessen-horowitz"]


def test_seed_002_line_pairs_agree(registry: Registry) -> None:
    """In the bilingual seed, the English line and its Chinese translation that name the same
    people and companies get the same ids."""
    lines = (SEEDS / "002_adb9185c34c19f90.txt").read_text(encoding="utf-8").split("\n")
    english = next(n for n, line in enumerate(lines) if line.startswith("Jensen Huang"))
    assert {t for _, t in tagged(lines[english], registry)} == {
        t for _, t in tagged(lines[english + 1], registry)} == {"jensen-huang", "nvidia"}
    thiel = next(n for n, line in enumerate(lines) if "Peter Thiel" in line)
    assert {t for _, t in tagged(lines[thiel], registry)} == {
        t for _, t in tagged(lines[thiel + 1], registry)}


# --------------------------------------------------------------------------- matching rules


def test_longest_match_wins(registry: Registry) -> None:
    """A longer name beats a shorter one inside it, and there is one mention, not two."""
    assert tagged("Sequoia Capital's Wang Qiong", registry) == [
        ("Sequoia Capital", "sequoia-capital"), ("Wang Qiong", "wang-qiong")]
    assert tagged("Google Cloud had become a black hole", registry) == [
        ("Google Cloud", "google-cloud")]
    assert tagged("翻译：纽约时报中文网", registry) == [
        ("纽约时报中文网", "new-york-times-chinese")]


def test_not_entities_block_shorter_names(registry: Registry) -> None:
    """A reviewed phrase listed under not_entities hides an entity name inside it."""
    assert tagged("这是一股新浪潮", registry) == []
    assert tagged("新浪的门户", registry) == [("新浪", "sina")]


@pytest.mark.parametrize("text", [
    "the metadata of the page", "a Trumpet solo", "the front line of the battle",
    "a line of code", "Tom said so", "the musk of roses", "360度全景", "出资 360 亿元",
])
def test_latin_names_need_word_boundaries_and_their_case(registry: Registry, text: str) -> None:
    """Meta is not in metadata, Trump not in Trumpet, Line not the word line, TOM not Tom,
    and a name made of digits never touches Chinese text."""
    assert tagged(text, registry) == []


def test_latin_names_next_to_chinese(registry: Registry) -> None:
    """Chinese characters are word boundaries for Latin names."""
    assert tagged("美国禁止TikTok的努力", registry) == [("TikTok", "tiktok")]
    assert tagged("Alibaba's and Meta's results", registry) == [
        ("Alibaba", "alibaba"), ("Meta", "meta")]


def test_no_tagging_in_urls(registry: Registry) -> None:
    """Text that looks like a URL is never tagged; a link's text is, its URL is untouched."""
    assert tagged("see a16z.com/when-one-app and https://www.bytedance.com/en", registry) == []
    assert tagged("https://a16z.com/wechat/腾讯的", registry) == [("腾讯", "tencent")]
    assert tagged("a16z published it", registry) == [("a16z", "andreessen-horowitz")]
    assert tagged("JD.com and Ele.me", registry) == [("JD.com", "jd-com"), ("Ele.me", "ele-me")]
    url = "https://www.nytimes.com/2025/01/17/technology/tiktok-ban-bytedance.html"
    article = Article(slug="t", meta=Metadata(),
                      blocks=[Paragraph([Text("TikTok的母公司"), Link([Text("字节跳动")], url)])])
    tag_article(article, registry)
    block = article.blocks[0]
    assert isinstance(block, Paragraph)
    link = block.inlines[-1]
    assert isinstance(link, Link) and link.url == url
    assert mentions(block.inlines) == [("TikTok", "tiktok"), ("字节跳动", "bytedance")]


def test_existing_mentions_are_left_alone(registry: Registry) -> None:
    """A mention already in the text (a date, or an editor's choice) is not re-tagged."""
    kept = Mention(text="Tencent", kind="entity", target="wechat")
    article = Article(slug="t", meta=Metadata(), blocks=[Paragraph([kept, Text(" and Baidu")])])
    tag_article(article, registry)
    block = article.blocks[0]
    assert isinstance(block, Paragraph)
    assert block.inlines[0] is kept
    assert mentions(block.inlines) == [("Tencent", "wechat"), ("Baidu", "baidu")]


def test_every_block_kind_is_tagged(registry: Registry) -> None:
    """Headings, figure captions, list items, both sides of a parallel pair, nested emphasis."""
    article = Article(slug="t", meta=Metadata(), blocks=[
        Heading(2, [Text("Tencent and QQ")]),
        Figure("", [Text("上海的小红书办公室。")], credit=[Text("Dongyan Xu")]),
        BulletList([[Text("Meituan")], [Emphasis([Text("Pinduoduo")])]]),
        ParallelPair(Paragraph([Text("Nvidia")]), "en", Paragraph([Text("英偉達")]), "zh-Hant"),
    ])
    tag_article(article, registry)
    heading, figure, bullets, pair = article.blocks
    assert isinstance(heading, Heading) and isinstance(figure, Figure)
    assert isinstance(bullets, BulletList) and isinstance(pair, ParallelPair)
    assert mentions(heading.inlines) == [("Tencent", "tencent"), ("QQ", "qq")]
    assert mentions(figure.caption) == [("小红书", "xiaohongshu")]
    assert [mentions(item) for item in bullets.items] == [
        [("Meituan", "meituan")], [("Pinduoduo", "pinduoduo")]]
    assert [t for _, t in mentions(pair.left.inlines)] == ["nvidia"]
    assert [t for _, t in mentions(pair.right.inlines)] == ["nvidia"]


def test_tagging_twice_changes_nothing(registry: Registry) -> None:
    """Tagging is idempotent: a second pass finds only mentions."""
    article = article_of("腾讯和阿里巴巴", "Tencent, Alibaba and ByteDance")
    tag_article(article, registry)
    once = repr(article.blocks)
    tag_article(article, registry)
    assert repr(article.blocks) == once


def test_automaton_is_built_once_per_registry(registry: Registry) -> None:
    """The automaton is cached on the registry object."""
    assert automaton(registry) is automaton(registry)
    other = parse_registry("entities: []\n")
    assert automaton(other) is not automaton(registry)
    assert find_mentions("Tencent", other) == []


NAMES = ["字节跳动", "字節跳動", "ByteDance", "特朗普", "川普", "Trump", "TikTok", "腾讯", "騰訊",
         "安德烈森·霍洛維茨", "Meta", "metadata", "Line", "line", "JD.com", "360", "新浪潮"]
FILLER = ["，", " ", "的", "and ", "https://x.com/", "2020年", "a", "é", "\u3000"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(NAMES + FILLER), max_size=12))
def test_tagging_never_changes_the_text(pieces: list[str]) -> None:
    """Whatever the mix of names and filler, the reader-visible text is unchanged and every
    mention's text is a registry name of its target."""
    registry = edition_registry()
    text = "".join(pieces)
    article = article_of(text)
    tag_article(article, registry)
    assert article_text(article) == text
    block = article.blocks[0]
    assert isinstance(block, Paragraph)
    for shown, target in mentions(block.inlines):
        entity = registry.get(target)
        assert entity is not None
        assert fold(shown) in {fold(name) for name in entity.names()}
