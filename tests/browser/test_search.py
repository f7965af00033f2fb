"""Search in the browser: names in any script or in part, aliases; hits, rank, snippets."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit
from urllib.request import urlopen

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .pages import DOCS, PHONE, REGISTRY, ArticleSource, Tab

#: Done when the search page has shown its first results (or said it found nothing).
SEARCH_DONE_JS = """() => document.getElementById('search-results')?.dataset.state === 'done'"""
#: Shows every result: clicks "more" until no result is left to show (ten at a time).
SHOW_ALL_JS = """async () => {
  const out = document.getElementById('search-results');
  const wait = () => new Promise((resolve) => setTimeout(resolve, 20));
  for (;;) {
    while (out.dataset.state !== 'done') await wait();
    const more = out.querySelector('.edition-search-more');
    if (!more || more.hidden) return true;
    more.click();
    await wait();
  }
}"""
#: What the search page shows, for a failure message.
STATE_JS = """() => ({
  state: document.getElementById('search-results')?.dataset.state,
  results: document.getElementById('search-results')?.innerText.slice(0, 500),
})"""
#: Each result, in the order shown: its link and its snippet.
RESULTS_JS = """() => Array.from(document.querySelectorAll('#search-results ul.search > li'),
  li => ({href: li.querySelector('a').href,
          snippet: li.querySelector('p.context').textContent.trim()}))"""


@dataclass(frozen=True)
class Hit:
    """One search result."""

    #: Article slug, or the page's path for other pages.
    page: str
    #: The text snippet shown under the result.
    snippet: str
    #: The page's path from the site's root, without ``.html``.
    path: str = ""
    #: The anchor the result links to (a paragraph's id, ``<slug>-p3``), or "".
    anchor: str = ""

    @property
    def group(self) -> int:
        """0 for a text, 1 for a page of the edition, 2 for a generated page."""
        if self.path.startswith("articles/"):
            return 0
        return 2 if self.path.startswith("_generated/") else 1


def search(tab: Tab, site: str, query: str, *, every: bool = True, **filters: str) -> list[Hit]:
    """Run a query on the search page and return its results, every one of them (the page
    shows ten at a time: "more" is clicked until all are shown) unless ``every`` is false;
    ``filters`` are set in the address (``year="2020"``)."""
    extra = "".join(f"&{name}={quote(value)}" for name, value in filters.items())
    tab.goto(f"{site}search.html?q={quote(query)}{extra}")
    try:
        tab.page.wait_for_function(SEARCH_DONE_JS, timeout=30_000)
        if every:
            tab.page.evaluate(SHOW_ALL_JS)
    except PlaywrightTimeout:
        state = tab.page.evaluate(STATE_JS)
        raise AssertionError(f"{query}: search did not finish: {state}; {tab.errors}") from None
    hits = []
    for result in tab.page.evaluate(RESULTS_JS):
        address, _, anchor = result["href"].removeprefix(site).partition("#")
        path = address.removesuffix(".html")
        hits.append(Hit(path.removeprefix("articles/"), result["snippet"], path, anchor))
    return hits


def from_seeds(articles: list[ArticleSource], *prefixes: str) -> dict[str, set[str]]:
    """Slugs of the articles made from each seed (seed files are named ``NNN_hash.txt``)."""
    return {p: {a.slug for a in articles if a.seed.startswith(p + "_")} for p in prefixes}


@pytest.mark.parametrize(
    ("query", "seeds"),
    [("字节跳动", ("000", "001")), ("ByteDance", ("003",))],
)
def test_query_finds_the_seeds_articles(
    open_tab: Callable[..., Tab],
    site: str,
    articles: list[ArticleSource],
    query: str,
    seeds: tuple[str, ...],
) -> None:
    """A company name finds the articles that name it, each result with a snippet."""
    hits = search(open_tab(), site, query)
    found = {hit.page for hit in hits}
    for seed, slugs in from_seeds(articles, *seeds).items():
        assert slugs, f"no article from seed {seed}"
        naming = {a.slug for a in articles if a.slug in slugs and query in a.body}
        # Every article of the seed that names the company is found, and at least one is.
        assert naming & found, f"{query}: nothing from seed {seed} in {sorted(found)}"
        assert naming <= found, f"{query}: {sorted(naming - found)} not found"
    assert all(hit.snippet for hit in hits), f"{query}: results without a snippet: {hits}"
    assert any(query.casefold() in hit.snippet.casefold() for hit in hits), (
        f"{query}: no snippet shows the word"
    )


def test_simplified_query_finds_traditional_text(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """英伟达 (Simplified) finds seed 002's page, which writes the name 英偉達 (Traditional)."""
    parallel = from_seeds(articles, "002")["002"]
    assert parallel, "no article from seed 002"
    bodies = " ".join(a.body for a in articles if a.slug in parallel)
    # The premise: the page only has the Traditional spelling, so finding it needs folding.
    assert "英偉達" in bodies and "英伟达" not in bodies
    hits = search(open_tab(), site, "英伟达")
    assert parallel & {hit.page for hit in hits}, f"英伟达: 002 not in {hits}"
    assert all(hit.snippet for hit in hits), f"英伟达: results without a snippet: {hits}"


# --------------------------------------------------------------------------- finding things


def articles_found(hits: list[Hit]) -> set[str]:
    """Slugs of the articles among the results (not the edition's other pages)."""
    return {hit.page for hit in hits if hit.group == 0}


def test_years_are_terms_with_or_without_nian(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """``2014``, ``2014年`` and ``2014 年`` find the same articles, and at least one."""
    tab = open_tab()
    plain = articles_found(search(tab, site, "2014"))
    writing = {a.slug for a in articles if "2014" in a.body}
    assert writing and writing <= plain, f"2014: {sorted(writing - plain)} not found"
    assert articles_found(search(tab, site, "2014年")) == plain
    assert articles_found(search(tab, site, "2014 年")) == plain


def test_number_996_is_found(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """``996`` finds every article that writes it, the bilingual column (seed 002) among them."""
    found = articles_found(search(open_tab(), site, "996"))
    writing = {a.slug for a in articles if "996" in a.body}
    assert from_seeds(articles, "002")["002"] & writing, "premise: seed 002 writes 996"
    assert writing <= found, f"996: {sorted(writing - found)} not in {sorted(found)}"


@pytest.mark.parametrize("query", ["zhang yiming", "Zhāng Yīmíng", "zhangyiming", "张一鸣"])
def test_pinyin_finds_the_person(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], query: str
) -> None:
    """Pinyin with or without tones and spaces finds seed 001, which writes 张一鸣."""
    found = articles_found(search(open_tab(), site, query))
    assert from_seeds(articles, "001")["001"] & found, f"{query}: 001 not in {sorted(found)}"


def test_chinese_name_finds_english_mentions(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """马云 finds the articles that name Jack Ma only in Latin letters; snippets show that name."""
    tagged = re.compile(r"\{ent\}`([^`<]*?)\s*<jack-ma>`")
    writing = {
        a.slug: set(tagged.findall(a.body)) for a in articles
        if tagged.search(a.body) and "马云" not in a.body and "馬雲" not in a.body
    }
    assert writing, "premise: an article names Jack Ma in Latin letters only"
    hits = search(open_tab(), site, "马云")
    assert set(writing) <= articles_found(hits), f"马云: {sorted(writing)} not all in {hits}"
    for hit in hits:
        if hit.page in writing:
            assert any(name in hit.snippet for name in writing[hit.page]), hit


def test_simplified_name_finds_english_article(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """字节跳动 finds the seed 003 essays, which write "ByteDance"."""
    found = articles_found(search(open_tab(), site, "字节跳动"))
    essays = {a.slug for a in articles if a.seed.startswith("003_") and "ByteDance" in a.body}
    assert essays and essays <= found, f"字节跳动: {sorted(essays - found)} not found"


@pytest.mark.parametrize("query", ["字节跳动", "ByteDance", "2020", "马云"])
def test_one_result_per_page_and_no_theme_text(
    open_tab: Callable[..., Tab], site: str, query: str
) -> None:
    """Every page is listed once, and snippets are the text's, never the theme's buttons."""
    hits = search(open_tab(), site, query)
    pages = [hit.page for hit in hits]
    assert len(pages) == len(set(pages)), f"{query}: a page listed twice: {pages}"
    for hit in hits:
        assert "Light Dark" not in hit.snippet and "System Settings" not in hit.snippet, hit


def test_opened_result_shows_the_hit(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Opening a result (马云, the text writes Ma Yun) highlights the name and shows it."""
    tab = open_tab()
    writing = [a.slug for a in articles if "<jack-ma>`" in a.body and "马云" not in a.body]
    search(tab, site, "马云")
    link = tab.page.locator(f'#search-results ul.search > li > a[href*="{writing[0]}"]').first
    link.click()
    tab.page.wait_for_load_state("load")
    hit = tab.page.locator("article span.highlighted").first
    hit.wait_for(state="attached", timeout=10_000)
    assert hit.inner_text().lower() in {"jack ma", "ma yun", "马云", "馬雲"}
    tab.page.wait_for_function(
        """() => { const r = document.querySelector('article span.highlighted')
                     .getBoundingClientRect();
                   return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    assert not tab.errors, tab.errors


# --------------------------------------------------------------------------- never losing a hit

#: The bilingual column: it names Li Yuan only where the editors attribute it to him.
COLUMN = "silicon-valley-china-envy"
#: The essay on the Double 11 festival, which writes its name in English only.
DOUBLE_11 = "double-eleven-decline"


def names_of(registry: list[dict[str, Any]], entity_id: str) -> list[str]:
    """Every name of a registry entity: label, labels in each script, aliases."""
    entity = next(e for e in registry if e["id"] == entity_id)
    names = [entity["label"], *entity["labels"].values(), *(entity.get("aliases") or [])]
    return [name for name in dict.fromkeys(names) if name]


def writes(article: ArticleSource, entity_id: str, names: list[str]) -> bool:
    """Whether an article tags the entity or writes one of its names."""
    return f"<{entity_id}>`" in article.body or any(name in article.body for name in names)


def edition_pages() -> dict[str, str]:
    """The edition's own pages (not the articles): path without ``.md`` -> source."""
    return {p.relative_to(DOCS).with_suffix("").as_posix(): p.read_text(encoding="utf-8")
            for p in DOCS.glob("*.md")}


@pytest.mark.parametrize("query", ["Li Yuan", "袁莉"])
def test_a_name_finds_the_text_that_writes_it_without_a_tag(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], query: str
) -> None:
    """The column never tags Li Yuan, but its header and editorial notes name him."""
    column = next(a for a in articles if a.slug == COLUMN)
    assert "<li-yuan>`" not in column.body and "Li Yuan" in column.meta["authors"]  # premise
    hits = search(open_tab(), site, query)
    found = {hit.page: hit for hit in hits}
    assert COLUMN in found, f"{query}: {COLUMN} not in {sorted(found)}"
    assert "Li Yuan" in found[COLUMN].snippet or "袁莉" in found[COLUMN].snippet, found[COLUMN]


def test_the_words_of_a_title_find_its_text_first(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """"China envy" is in the column's title; other texts only write "China" and "envy"."""
    assert "China envy" in next(a for a in articles if a.slug == COLUMN).title  # premise
    hits = search(open_tab(), site, "China envy")
    assert hits and hits[0].page == COLUMN, [hit.page for hit in hits]


def test_a_registered_name_finds_every_page_that_writes_it(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """"ByteDance" finds the introduction, which writes it untagged, and every text that does."""
    pages = edition_pages()
    assert "ByteDance" in pages["introduction"] and "<bytedance>" not in pages["introduction"]
    hits = search(open_tab(), site, "ByteDance")
    found = {hit.path for hit in hits}
    writing = {f"articles/{a.slug}" for a in articles if "ByteDance" in a.body}
    writing |= {path for path, text in pages.items() if "ByteDance" in text}
    assert "introduction" in found, sorted(found)
    assert writing <= found, sorted(writing - found)


def test_part_of_a_chinese_name_finds_the_texts_on_the_person(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource],
    registry: list[dict[str, Any]],
) -> None:
    """一鸣 finds every text that tags Zhang Yiming or writes a name of his, in any script."""
    names = names_of(registry, "zhang-yiming")
    assert any(name.endswith("一鸣") for name in names)  # premise: the given name
    on_him = {a.slug for a in articles if writes(a, "zhang-yiming", names)}
    assert any("一鸣" not in a.body and "一鳴" not in a.body
               for a in articles if a.slug in on_him), "premise: a text names him in English"
    hits = search(open_tab(), site, "一鸣")
    found = articles_found(hits)
    assert on_him and on_him <= found, f"一鸣: {sorted(on_him - found)} not in {sorted(found)}"
    for hit in hits:
        if hit.page in on_him:
            assert any(name in hit.snippet for name in names), hit


@pytest.mark.parametrize("query", ["双十一", "雙十一"])
def test_the_festival_in_chinese_finds_the_essay_in_english(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], query: str
) -> None:
    """The essay writes "Double 11" only; the registry's search alias joins it to 双十一."""
    essay = next(a for a in articles if a.slug == DOUBLE_11)
    assert "Double 11" in essay.body and "双十一" not in essay.body  # premise
    hits = search(open_tab(), site, query)
    found = {hit.page: hit for hit in hits}
    assert DOUBLE_11 in found, f"{query}: {DOUBLE_11} not in {sorted(found)}"
    assert "Double 11" in found[DOUBLE_11].snippet, found[DOUBLE_11]
    assert hits[0].page == DOUBLE_11, [hit.page for hit in hits]


def test_the_mainland_form_of_a_place_finds_the_taiwanese_form(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """硅谷 finds the column, whose Chinese writes 矽谷 (no fold joins them: another word)."""
    column = next(a for a in articles if a.slug == COLUMN)
    assert "矽谷" in column.body and "硅谷" not in column.body  # premise
    hits = search(open_tab(), site, "硅谷")
    found = {hit.page: hit for hit in hits}
    assert COLUMN in found, sorted(found)
    assert "矽谷" in found[COLUMN].snippet or "Silicon Valley" in found[COLUMN].snippet


def test_a_chinese_name_no_text_writes_is_found_only_through_a_supported_alias(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource],
) -> None:
    """光棍节: no text writes it; the registry lists it with "Singles' Day", which a text writes.

    So it finds exactly the texts that write one of its forms, each snippet showing one.
    """
    data = yaml.safe_load(REGISTRY.read_text(encoding="utf-8"))
    aliases = [a["names"] for a in data.get("search_aliases") or [] if "光棍节" in a["names"]]
    assert aliases, "premise: the registry lists 光棍节 as a search alias"
    forms = aliases[0]
    assert not any("光棍节" in a.body or "光棍節" in a.body for a in articles)  # premise
    writing = {a.slug for a in articles if any(form in a.body for form in forms)}
    assert writing, f"premise: a text writes one of {forms}"
    hits = search(open_tab(), site, "光棍节")
    assert writing <= articles_found(hits), hits
    assert articles_found(hits) <= writing, hits
    for hit in hits:
        assert any(form in hit.snippet for form in forms), hit


# --------------------------------------------------------------------------- snippets and rank

#: Queries of every kind: names in each script, a partial name, words, a year, a site's name.
SNIPPET_QUERIES = ["ByteDance", "字节跳动", "Zhang Yiming", "Yiming", "Li Yuan", "China envy",
                   "TikTok", "2020", "nytimes", "一鸣", "双十一"]
#: What a snippet never shows: addresses, the notes' archive links, the figures' stand-ins.
NOT_TEXT = re.compile(r"https?://|www\.|archived copy|View the image at the source")


#: A role in a MyST source (``{ent}`shown <id>```, ``{date}`shown <iso>```): its shown text.
ROLE = re.compile(r"\{[a-z-]+\}`([^`<]*?)\s*(?:<[^`>]*>)?`")
#: What MyST adds around words: footnote references, escapes, emphasis marks, link targets.
MARKUP = [(re.compile(r"\[\^[^\]]+\]"), ""), (re.compile(r"\\(.)"), r"\1"),
          (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"), (re.compile(r"\*+"), "")]
#: A header field's or editorial note's name, as a snippet of its value starts ("Publisher: ",
#: "Authors [Li Yuan]: ").
FIELD_NAME = re.compile(r"^[A-Z][a-z]+(?: [a-z]+)?(?: \[[^\]]*\])?: ")
#: The values of an article's header fields, as the page shows them (dates in words).
HEADER_VALUE = re.compile(r'<dl class="article-meta.*?</dl>', re.DOTALL)


def page_markup(site: str, path: str) -> str:
    """A page's HTML, from the test's own local server."""
    with urlopen(f"{site}{path}.html") as response:
        return str(response.read().decode("utf-8"))


def plain(markdown: str) -> str:
    """A line of an article's MyST source as a reader sees its words."""
    text = ROLE.sub(r"\1", markdown)
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def words_of(article: ArticleSource) -> list[str]:
    """Everything the article and its editors write: each line of its text, each value of its
    front matter (titles, names, the editors' reasons)."""
    values: list[str] = []

    def collect(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)
        elif value is not None:
            values.append(" ".join(str(value).split()))

    collect(article.meta)
    return [plain(line) for line in article.body.splitlines() if line.strip()] + values


def header_values(site: str, article: ArticleSource) -> list[str]:
    """The values of the article's header as its page shows them (a date in words)."""
    found = HEADER_VALUE.search(page_markup(site, f"articles/{article.slug}"))
    values = re.findall(r"<dd[^>]*>(.*?)</dd>", found.group(0), re.DOTALL) if found else []
    return [" ".join(html.unescape(re.sub(r"<[^>]*>", "", value)).split()) for value in values]


def from_the_article(snippet: str, article: ArticleSource, site: str) -> bool:
    """Whether each piece of a snippet (between its "…") is words the article, its editors or
    its header write."""
    lines = words_of(article) + header_values(site, article)
    pieces = [FIELD_NAME.sub("", " ".join(piece.split())) for piece in snippet.split("…")]
    return all(any(piece in line for line in lines) for piece in pieces if piece)


@pytest.mark.parametrize("query", SNIPPET_QUERIES)
def test_snippets_are_the_text_of_a_paragraph(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], query: str
) -> None:
    """No address, archive link, image stand-in or paragraph mark, and never empty.

    A text's snippet is words the text (or its editors) write, not the page's apparatus. The
    edition's own pages explain the paragraph numbers: there a ¶ is words of the page (which
    has no paragraph marks), and the snippet holds it as the page writes it.
    """
    by_slug = {a.slug: a for a in articles}
    hits = search(open_tab(), site, query)
    assert hits, f"{query}: nothing found"
    for hit in hits:
        assert hit.snippet, f"{query}: {hit.path} has no snippet"
        assert not NOT_TEXT.search(hit.snippet), f"{query}: {hit}"
        if hit.group == 0:
            assert from_the_article(hit.snippet, by_slug[hit.page], site), f"{query}: {hit}"
        if "¶" not in hit.snippet:
            continue
        assert hit.group == 1, f"{query}: a paragraph mark in {hit}"
        markup = page_markup(site, hit.path)
        assert "para-number" not in markup and "para-anchor" not in markup, hit.path
        words = " ".join(html.unescape(re.sub(r"<[^>]*>", "", markup)).split())
        for piece in hit.snippet.split("…"):
            if "¶" in piece:
                assert " ".join(piece.split()) in words, f"{query}: {piece!r} not in {hit.path}"


def test_the_snippets_of_a_name_show_the_name(
    open_tab: Callable[..., Tab], site: str, registry: list[dict[str, Any]]
) -> None:
    """Every snippet for "Zhang Yiming" shows a name of his (not another Zhang's paragraph)."""
    names = names_of(registry, "zhang-yiming")
    hits = search(open_tab(), site, "Zhang Yiming")
    assert hits
    for hit in hits:
        assert any(name in hit.snippet for name in names), hit


#: A Chinese character (the basic block).
HAN = re.compile("[\u4e00-\u9fff]")
#: Each result's title and snippet with the language each is marked with.
LANGUAGES_JS = """() => Array.from(document.querySelectorAll('#search-results ul.search > li'),
  li => ({href: li.querySelector('a').href,
          title: li.querySelector('a').closest('[lang]').getAttribute('lang'),
          snippet: li.querySelector('p.context').closest('[lang]').getAttribute('lang'),
          text: li.querySelector('p.context').textContent}))"""


def test_chinese_titles_and_snippets_carry_their_language(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """A Chinese text's title and a Chinese snippet are marked zh-*, as the text is."""
    chinese = {a.slug: a.meta["language"][0] for a in articles
               if str(a.meta["language"][0]).startswith("zh")}
    assert chinese  # premise
    tab = open_tab()
    search(tab, site, "字节跳动")
    checked = 0
    for result in tab.page.evaluate(LANGUAGES_JS):
        slug = result["href"].removeprefix(site).removeprefix("articles/").split(".html")[0]
        if slug in chinese:
            assert result["title"].lower() == chinese[slug].lower(), result
            checked += 1
        # A snippet in Chinese alone (no Latin word in it) is marked as Chinese.
        if HAN.search(result["text"]) and not re.search("[A-Za-z]{4}", result["text"]):
            assert result["snippet"].lower().startswith("zh"), result
    assert checked, "premise: 字节跳动 finds a Chinese text"


def test_every_result_for_a_word_shows_the_word(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Each page found for "Yiming" has a snippet holding the word; a text's, from its words."""
    by_slug = {a.slug: a for a in articles}
    hits = search(open_tab(), site, "Yiming")
    assert hits
    for hit in hits:
        assert "yiming" in hit.snippet.casefold(), hit
        if hit.group == 0:
            assert from_the_article(hit.snippet, by_slug[hit.page], site), hit


@pytest.mark.parametrize("query", ["China envy", "Silicon Valley", "ByteDance", "Zhang Yiming",
                                   "2020", "字节跳动"])
def test_texts_rank_above_the_edition_and_its_generated_pages(
    open_tab: Callable[..., Tab], site: str, query: str
) -> None:
    """The texts first, then the edition's pages, then entity pages, register and timeline."""
    hits = search(open_tab(), site, query)
    groups = [hit.group for hit in hits]
    assert groups and groups[0] == 0, [hit.path for hit in hits]
    assert groups == sorted(groups), [hit.path for hit in hits]


@pytest.mark.parametrize("query", ["China envy", "Silicon Valley"])
def test_an_entity_page_is_found_by_its_own_words_not_its_quotations(
    open_tab: Callable[..., Tab], site: str, registry: list[dict[str, Any]], query: str
) -> None:
    """An entity's page quotes the texts; it is found by its names and description only."""
    aliases = yaml.safe_load(REGISTRY.read_text(encoding="utf-8")).get("search_aliases") or []
    forms = next((a["names"] for a in aliases if query in a["names"]), [query])
    by_id = {e["id"]: e for e in registry}
    for hit in search(open_tab(), site, query):
        if not hit.path.startswith("_generated/entities/"):
            continue
        entity = by_id[hit.path.rsplit("/", 1)[1]]
        own = " ".join([*names_of(registry, entity["id"]), entity["description"]])
        assert any(form.casefold() in own.casefold() for form in forms), (query, hit.path)


def test_an_entity_no_text_mentions_is_out_of_the_search(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource],
    registry: list[dict[str, Any]],
) -> None:
    """The entities no article tags or names as its author: their pages are never results."""
    authors = {str(name) for a in articles for name in a.meta.get("authors") or []}
    unmentioned = [e for e in registry
                   if not any(f"<{e['id']}>`" in a.body for a in articles)
                   and not authors & set(names_of(registry, e["id"]))]
    assert unmentioned, "premise: the registry has entities no text mentions"
    tab = open_tab()
    for entity in unmentioned:
        hits = search(tab, site, entity["label"])
        page = f"_generated/entities/{entity['id']}"
        assert page not in {hit.path for hit in hits}, (entity["label"], hits)


# --------------------------------------------------------------------------- the index by need

#: What Sphinx's search page found (before the index was loaded by need), recorded from the
#: build of main by benchmarks/search_legacy.py: query -> the pages found, in order.
BASELINE = Path(__file__).resolve().parents[1] / "data" / "search_baseline.json"
#: The queries of issue 26, measured by benchmarks/bench.py --only search.
ISSUE_QUERIES = ["字节跳动", "字節跳動", "ByteDance", "张一鸣", "zhang yiming", "华为", "抖音",
                 "2019", "996", "阿里巴巴", "Singles' Day"]
#: What a paragraph shows beside its words: its number, its notes and their marks.
APPARATUS = (".para-number, .para-anchor, .sidenote, .marginnote, label.margin-toggle, "
             ".footnote-reference, .sidenote-repeat, .headerlink")
#: A paragraph's or figure's id (<slug>-p12, <slug>-f2, <slug>-p8-zh-Hant).
TEXT_BLOCK = re.compile(r"-[pf]\d+(?:-[A-Za-z0-9-]+)?$")


def baseline() -> dict[str, list[str]]:
    """The recorded results: query -> page paths (``articles/<slug>``, ``introduction``…)."""
    return dict(json.loads(BASELINE.read_text(encoding="utf-8")))


@pytest.mark.parametrize("query", list(baseline()))
def test_every_query_finds_what_the_search_found_before(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], query: str
) -> None:
    """No recall lost: the same articles as Sphinx's search page found (and the same pages).

    An article the edition no longer has is left out of the comparison (the record is of the
    texts as they were); an article added since is compared by what it writes.
    """
    slugs = {a.slug for a in articles}
    before = [path for path in baseline()[query]
              if not path.startswith("articles/") or path.removeprefix("articles/") in slugs]
    hits = search(open_tab(), site, query)
    found = [hit.path for hit in hits]
    before_texts = {p for p in before if p.startswith("articles/")}
    found_texts = {p for p in found if p.startswith("articles/")}
    assert before_texts <= found_texts, f"{query}: lost {sorted(before_texts - found_texts)}"
    new = {p.removeprefix("articles/") for p in found_texts - before_texts}
    assert not new - {a.slug for a in articles if a.slug not in BASELINE_SLUGS}, (
        f"{query}: found {sorted(new)} that the search before did not")
    assert set(before) <= set(found), f"{query}: lost {sorted(set(before) - set(found))}"


#: The articles the baseline was recorded on.
BASELINE_SLUGS = frozenset({
    "china-internet-at-thirty", "content-industry-no-accumulation", "double-eleven-decline",
    "openai-ceo-work-efficiency", "silicon-valley-china-envy",
    "tiktok-red-note-china-internet", "tiktok-run"})


@pytest.mark.parametrize("query", ISSUE_QUERIES)
def test_results_point_to_the_paragraph_their_snippet_is_from(
    open_tab: Callable[..., Tab], site: str, query: str
) -> None:
    """Each result links to an element of its page (an article's: its paragraph, <slug>-pN),
    and the snippet is words of that element."""
    hits = search(open_tab(), site, query)
    assert hits, query
    pointed = 0
    for hit in hits:
        if not hit.anchor:
            continue  # a page found by its title alone
        markup = page_markup(site, hit.path)
        assert f'id="{hit.anchor}"' in markup, (query, hit)
        if hit.group == 0 and TEXT_BLOCK.search(hit.anchor):
            pointed += 1
            element = BeautifulSoup(markup, "html.parser").find(id=hit.anchor)
            for apparatus in element.select(APPARATUS):
                apparatus.decompose()
            words = "".join(element.get_text().split())
            for piece in hit.snippet.split("…"):
                piece = "".join(piece.split())
                assert not piece or piece in words, (query, hit.anchor, piece, words[:300])
    assert pointed, f"{query}: no result points to a paragraph of a text"


def requests_of(tab: Tab) -> list[tuple[str, str]]:
    """Record every request the tab makes from now on: (url, resource type)."""
    seen: list[tuple[str, str]] = []
    tab.page.on("request", lambda request: seen.append((request.url, request.resource_type)))
    return seen


@pytest.mark.parametrize("query", ["2020", "字节跳动", "zhang yiming"])
def test_a_query_fetches_no_page_of_the_edition(
    open_tab: Callable[..., Tab], site: str, query: str
) -> None:
    """Every result shown, and no page of the edition fetched: the snippets come with the
    index (its fragments), which loads as scripts from _search/ only."""
    tab = open_tab()
    seen = requests_of(tab)
    hits = search(tab, site, query)
    assert hits
    pages = [url for url, _kind in seen
             if url.startswith(site) and urlsplit(url).path.endswith(".html")
             and not urlsplit(url).path.endswith("/search.html")]
    assert not pages, f"{query}: pages fetched: {pages}"
    index = [(url, kind) for url, kind in seen if "/_search/" in url]
    assert index and all(kind == "script" for _url, kind in index), index
    assert not any(url.endswith("searchindex.js") for url, _kind in seen)
    assert not tab.errors, tab.errors


def test_no_page_loads_the_whole_index(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """An article and the home page load nothing of the search index."""
    for page in ("index.html", articles[0].page):
        tab = open_tab()
        seen = requests_of(tab)
        tab.goto(site + page)
        loaded = [url for url, _kind in seen if "_search/" in url or "searchindex" in url
                  or "searchtools" in url]
        assert not loaded, (page, loaded)


def test_results_come_ten_at_a_time(open_tab: Callable[..., Tab], site: str) -> None:
    """Ten results, then "more" shows the next ones; the count says how many there are."""
    tab = open_tab()
    tab.goto(f"{site}search.html?q={quote('阿里巴巴')}")
    tab.page.wait_for_function(SEARCH_DONE_JS, timeout=30_000)
    total = int(tab.page.locator("#search-results").get_attribute("data-total") or 0)
    assert total > 10, total
    items = tab.page.locator("#search-results ul.search > li")
    assert items.count() == 10
    more = tab.page.locator(".edition-search-more")
    assert more.is_visible() and f"10 of {total}" in more.inner_text()
    more.click()
    tab.page.wait_for_function(f"() => document.querySelectorAll("
                               f"'#search-results ul.search > li').length === {total}")
    assert more.is_hidden()
    assert str(total) in tab.page.locator(".search-summary").inner_text()


def test_search_as_you_type_without_reloading(open_tab: Callable[..., Tab], site: str) -> None:
    """Typing searches in place: the page is not reloaded, the address holds the query."""
    tab = open_tab()
    tab.goto(f"{site}search.html")
    tab.page.evaluate("() => { window.__stayed = true; }")
    box = tab.page.locator("#edition-search-query")
    box.type("ByteDance", delay=20)
    tab.page.wait_for_function(
        "() => new URL(location).searchParams.get('q') === 'ByteDance'"
        " && document.getElementById('search-results').dataset.state === 'done'"
        " && document.querySelectorAll('#search-results ul.search > li').length > 0")
    first = tab.page.evaluate(RESULTS_JS)
    box.fill("")
    box.type("华为", delay=20)
    tab.page.wait_for_function(
        "() => new URL(location).searchParams.get('q') === '华为'"
        " && document.getElementById('search-results').dataset.state === 'done'")
    second = tab.page.evaluate(RESULTS_JS)
    assert second and second != first
    assert tab.page.evaluate("() => window.__stayed") is True, "the page was reloaded"
    assert not tab.errors, tab.errors


def test_exact_words_by_default(open_tab: Callable[..., Tab], site: str,
                                articles: list[ArticleSource]) -> None:
    """150 finds the texts that write 150, not the one that writes only 1500; no notice."""
    writing = {a.slug for a in articles if re.search(r"(?<!\d)150(?!\d)", a.body)}
    longer_only = {a.slug for a in articles if "1500" in a.body} - writing
    assert writing and longer_only, "premise: 150 and 1500 written by different texts"
    tab = open_tab()
    found = articles_found(search(tab, site, "150"))
    assert writing <= found and not longer_only & found, sorted(found)
    assert tab.page.locator(".edition-search-notice").count() == 0


def test_part_of_a_word_only_when_nothing_matches_and_said(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """"iktok" is no word: the texts writing TikTok are found, and the page says how."""
    tab = open_tab()
    found = articles_found(search(tab, site, "iktok"))
    writing = {a.slug for a in articles if "TikTok" in a.body}
    assert writing and writing <= found, sorted(found)
    notice = tab.page.locator(".edition-search-notice")
    assert notice.count() == 1 and "inside longer words" in notice.inner_text()


def test_filters_narrow_the_results_and_are_in_the_address(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """A publisher, a year, a language: only the texts that have it, and the address says so."""
    everything = articles_found(search(open_tab(), site, "TikTok"))
    caixin = {a.slug for a in articles if a.meta.get("publisher") == "Caixin Weekly"}
    assert caixin & everything and everything - caixin  # premise
    tab = open_tab()
    tab.goto(f"{site}search.html?q=TikTok")
    tab.page.wait_for_function(SEARCH_DONE_JS)
    tab.page.locator(".edition-search-filters summary").click()
    tab.page.select_option("select[data-filter=publisher]", "Caixin Weekly")
    tab.page.wait_for_function(
        "() => new URL(location).searchParams.get('publisher') === 'Caixin Weekly'"
        " && document.getElementById('search-results').dataset.state === 'done'")
    tab.page.evaluate(SHOW_ALL_JS)
    hits = [Hit(r["href"].removeprefix(site).split("#")[0].removesuffix(".html")
                .removeprefix("articles/"), r["snippet"],
                r["href"].removeprefix(site).split("#")[0].removesuffix(".html"))
            for r in tab.page.evaluate(RESULTS_JS)]
    assert {hit.page for hit in hits} == everything & caixin, hits
    years = {str(a.meta["date"])[:4] for a in articles if a.slug in everything}
    year = sorted(years)[0]
    hits = search(open_tab(), site, "TikTok", year=year)
    assert {hit.page for hit in hits} == {
        a.slug for a in articles if a.slug in everything and str(a.meta["date"])[:4] == year}


def test_snippets_are_text_and_marks_only(open_tab: Callable[..., Tab], site: str) -> None:
    """A snippet holds text and the <mark>s of the words found: nothing of the page's markup."""
    tab = open_tab()
    search(tab, site, "字节跳动")
    tags = tab.page.evaluate("""() => Array.from(document.querySelectorAll(
        '#search-results p.context *'), e => e.tagName)""")
    assert tags and set(tags) == {"MARK"}, tags


def test_the_search_page_fits_a_phone(open_tab: Callable[..., Tab], site: str) -> None:
    """At 390 px the box, the filters and the results fit the screen's width."""
    tab = open_tab(PHONE)
    tab.goto(f"{site}search.html?q={quote('字节跳动')}")
    tab.page.wait_for_function(SEARCH_DONE_JS)
    tab.page.locator(".edition-search-filters summary").click()
    width = tab.page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE, width
    box = tab.page.locator("#edition-search-query").bounding_box()
    assert box and box["width"] >= 200, box
