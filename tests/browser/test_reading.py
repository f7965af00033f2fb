"""The reading view in the browser: quiet links, the phone's first screen, one search box,
the parallel text's width and language switch, and figures whose image cannot load."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from .conftest import offline_context
from .pages import DESKTOP, MAIN, PHONE, ArticleSource, Tab

#: A phone's first screen (an iPhone 14's CSS viewport).
PHONE_HEIGHT = 844
#: The essay the acceptance names, with the most mentions.
THIRTY = "china-internet-at-thirty"
PARALLEL = "silicon-valley-china-envy"
FIGURES = "tiktok-red-note-china-internet"
#: A figure of that article with a caption of its own and no credit (the source states none).
CAPTIONED_FIGURE = f"{FIGURES}-f2"
#: The one figure of that article the source credits (its caption is the credit).
CREDITED_FIGURE = f"{FIGURES}-f1"
ROLE = re.compile(r"\{(ent|date)\}`")

#: Per top-level paragraph of the article: the targets of its mention links, and how many
#: mentions (linked or not) it holds.
PARAGRAPH_LINKS_JS = f"""() => Array.from(document.querySelectorAll('{MAIN} p'))
  .filter(p => !p.parentElement.closest('p'))
  .map(p => ({{
    id: p.id,
    links: Array.from(p.querySelectorAll('a[href]'))
      .filter(a => a.querySelector(':scope > .mention'))
      .map(a => new URL(a.getAttribute('href'), document.baseURI).href),
    mentions: p.querySelectorAll('.mention').length,
  }}))"""

#: The visible search fields and buttons, outside the (closed) search dialog.
SEARCH_BOXES_JS = """() => Array.from(document.querySelectorAll(
    '.search-button__button, input[type=search], input[name=q]'))
  .filter(e => !e.closest('dialog') && e.checkVisibility({visibilityProperty: true})
               && e.getBoundingClientRect().width > 0)
  .map(e => e.className)"""


def article(articles: list[ArticleSource], slug: str) -> ArticleSource:
    """The article with a given slug."""
    found = [a for a in articles if a.slug == slug]
    assert found, f"no article {slug} under docs/articles"
    return found[0]


def paragraph_links(tab: Tab) -> list[dict[str, Any]]:
    """The mention links and mentions of each paragraph of the open page."""
    return list(tab.page.evaluate(PARAGRAPH_LINKS_JS))


# --------------------------------------------------------------------------- links


def test_no_paragraph_links_one_entity_twice(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """In the essay with most mentions a paragraph links a name once; every mention stays tagged."""
    source = article(articles, THIRTY)
    tab = open_tab()
    tab.goto(site + source.page)
    paragraphs = paragraph_links(tab)
    doubled = [(p["id"], link) for p in paragraphs for link in set(p["links"])
               if p["links"].count(link) > 1]
    assert not doubled, f"paragraphs linking one target twice: {doubled[:5]}"
    # Tagged all the same: every mention of the source is a mention on the page.
    assert sum(p["mentions"] for p in paragraphs) == len(ROLE.findall(source.body))
    assert sum(len(p["links"]) for p in paragraphs) < len(ROLE.findall(source.body))
    assert not tab.errors, tab.errors


def test_reader_can_link_every_mention(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """The switch links every mention, is remembered across pages, and switches back."""
    source = article(articles, THIRTY)
    tab = open_tab()
    tab.goto(site + source.page)
    mentions = len(ROLE.findall(source.body))
    first = sum(len(p["links"]) for p in paragraph_links(tab))
    switch = tab.page.get_by_label("Link every mention of a name or date")
    switch.check()
    assert sum(len(p["links"]) for p in paragraph_links(tab)) == mentions
    tab.goto(site + source.page)  # remembered
    assert tab.page.get_by_label("Link every mention of a name or date").is_checked()
    assert sum(len(p["links"]) for p in paragraph_links(tab)) == mentions
    tab.page.get_by_label("Link every mention of a name or date").uncheck()
    assert sum(len(p["links"]) for p in paragraph_links(tab)) == first
    assert not tab.errors, tab.errors


def test_quiet_links_have_no_underline_until_pointed_at(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """A mention link is not underlined; under the pointer it is."""
    tab = open_tab()
    tab.goto(site + article(articles, THIRTY).page)
    link = tab.page.locator(f"{MAIN} p a[href]:has(> .mention-entity)").first
    decoration = "e => getComputedStyle(e).textDecorationLine"
    assert link.evaluate(decoration) == "none"
    link.hover()
    assert link.evaluate(decoration) == "underline"


def test_dates_link_only_where_the_timeline_adds(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """A linked date's timeline entry lists more than the paragraph the date is in."""
    tab = open_tab()
    tab.goto(site + article(articles, THIRTY).page)
    dates = tab.page.evaluate(f"""() => Array.from(
        document.querySelectorAll('{MAIN} a[href]:has(> .mention-date)'),
        a => ({{href: a.href, here: location.pathname + '#' + a.closest('[id]').id}}))""")
    quiet = tab.page.locator(f"{MAIN} a.mention-quiet:not([href])").count()
    assert dates and quiet, "expected both linked and unlinked dates in the essay"
    timeline = open_tab()
    timeline.goto(dates[0]["href"].split("#", 1)[0])
    for date in {d["href"]: d for d in dates}.values():
        # The entry: its target, the date's line, then the list of places it is mentioned.
        places = timeline.page.evaluate("""(id) => {
            let list = document.getElementById(id).nextElementSibling;
            while (list && list.tagName !== 'UL') list = list.nextElementSibling;
            return Array.from(list ? list.querySelectorAll('a[href*="#"]') : [], a => {
              const u = new URL(a.getAttribute('href'), document.baseURI);
              return u.pathname + u.hash; });
        }""", date["href"].split("#", 1)[1])
        others = [p for p in places if p != date["here"]]
        assert others, f"{date['href']}: the timeline lists only the paragraph it is linked from"


# --------------------------------------------------------------------------- the header


def test_first_paragraph_on_the_phones_first_screen(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 390 × 844 every article's first paragraph begins on the first screen."""
    tab = open_tab(PHONE, PHONE_HEIGHT)
    for source in articles:
        label = str(source.meta.get("label") or source.slug)
        tab.goto(site + source.page)
        box = tab.page.evaluate("""(id) => {
            const r = document.getElementById(id).getBoundingClientRect();
            return {top: r.top + scrollY, height: r.height}; }""", f"{label}-p1")
        line = min(box["height"], 28)
        assert box["top"] + line <= PHONE_HEIGHT, (
            f"{source.slug}: paragraph 1 begins at {box['top']:.0f} px")
        brief = tab.page.locator(f"{MAIN} details.article-more > summary")
        assert brief.is_visible(), f"{source.slug}: no short header on the phone"
    assert not tab.errors, tab.errors


def test_header_details_open_on_a_wide_screen(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 1280 px the header shows its fields; on a phone they open from the summary."""
    source = article(articles, FIGURES)
    wide = open_tab()
    wide.goto(site + source.page)
    assert wide.page.locator(f"{MAIN} dl.article-meta").is_visible()
    phone = open_tab(PHONE, PHONE_HEIGHT)
    phone.goto(site + source.page)
    fields = phone.page.locator(f"{MAIN} dl.article-meta")
    summary = phone.page.locator(f"{MAIN} details.article-more > summary")
    assert not fields.is_visible()
    assert "袁莉 · 21 January 2025 · 纽约时报中文网" in summary.inner_text()
    summary.click()
    assert fields.is_visible()


def test_editorial_notes_once_per_page(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """The editors' opening note is shown once, in the header's notes, not also in the text."""
    tab = open_tab()
    tab.goto(site + article(articles, THIRTY).page)
    assert tab.page.locator(f"{MAIN} .article-header details.editorial-notes").count() == 1
    opening = tab.page.locator(f"{MAIN} section > .admonition.editorial-note")
    texts = [opening.nth(i).inner_text() for i in range(opening.count())]
    assert not any("The title is editorial" in text for text in texts)
    notes = tab.page.locator(f"{MAIN} .article-header details.editorial-notes")
    assert "The title is editorial" in (notes.text_content() or "")


def test_times_to_the_minute(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """A date stated to the second is shown to the minute; the page's metadata keeps seconds."""
    source = article(articles, FIGURES)
    assert source.meta.get("date_precision") == "second"
    tab = open_tab()
    tab.goto(site + source.page)
    shown = tab.page.locator(f"{MAIN} .article-header .article-date").inner_text()
    assert re.fullmatch(r"21 January 2025, \d\d:\d\d", shown), shown
    assert str(source.meta["date"])[:19] in tab.page.content()


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize("page", ["index.html", f"articles/{THIRTY}.html",
                                  f"articles/{PARALLEL}.html"])
def test_one_search_box(open_tab: Callable[..., Tab], site: str, page: str) -> None:
    """At 1280 px a page has one search box (and on a phone one search button)."""
    for width in (DESKTOP, PHONE):
        tab = open_tab(width)
        tab.goto(site + page)
        boxes = tab.page.evaluate(SEARCH_BOXES_JS)
        assert len(boxes) == 1, f"{page} at {width} px: {boxes}"


# --------------------------------------------------------------------------- parallel text


def test_parallel_columns_use_the_full_width(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 1280 px the secondary sidebar is folded and each language column is ≥ 400 px wide."""
    tab = open_tab()
    tab.goto(site + article(articles, PARALLEL).page)
    assert not tab.page.locator(".bd-sidebar-secondary").is_visible()
    widths = tab.page.evaluate(f"""() => Array.from(
        document.querySelectorAll('{MAIN} .parallel > [lang]'),
        side => side.getBoundingClientRect().width)""")
    assert widths, "no parallel pairs"
    assert min(widths) >= 400, f"narrowest column {min(widths):.0f} px"


def visible_languages(tab: Tab) -> dict[str, int]:
    """How many language blocks of the parallel text are visible, by lang."""
    return dict(tab.page.evaluate(f"""() => {{
        const count = {{}};
        for (const side of document.querySelectorAll('{MAIN} .parallel > [lang]')) {{
          if (side.checkVisibility()) count[side.lang] = (count[side.lang] || 0) + 1;
        }}
        return count; }}"""))  # lang as written (docutils writes tags in lower case)


def test_language_switch(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """English / 中文 / Both hide and show each language; one language gets a wider line.

    Not the whole width: a line of at most 80 characters (tests/browser/test_reading_layout.py).
    """
    tab = open_tab()
    tab.goto(site + article(articles, PARALLEL).page)
    both = visible_languages(tab)
    assert {tag.lower() for tag in both} == {"en", "zh-hant"}, both
    chinese = next(tag for tag in both if tag != "en")
    column = tab.page.locator(f"{MAIN} .parallel > [lang]").first.bounding_box()["width"]
    switch = tab.page.get_by_role("group", name="Languages shown")
    switch.get_by_role("button", name="English").click()
    assert visible_languages(tab) == {"en": both["en"]}
    width = tab.page.locator(f"{MAIN} .parallel > [lang]").first.bounding_box()["width"]
    assert width > column
    switch.get_by_role("button", name="中文").click()
    assert visible_languages(tab) == {chinese: both[chinese]}
    assert switch.get_by_role("button", name="中文").get_attribute("aria-pressed") == "true"
    switch.get_by_role("button", name="Both").click()
    assert visible_languages(tab) == both
    assert not tab.errors, tab.errors


# --------------------------------------------------------------------------- figures


@pytest.fixture(params=[True, False], ids=["scripts", "no-scripts"])
def unreachable_images(request: pytest.FixtureRequest, browser: Any,
                       site: str) -> Iterator[tuple[Tab, bool]]:
    """A tab in which every image from another host fails to load, and whether it runs scripts."""
    tab = Tab(None)
    context = offline_context(browser, site, tab.errors, java_script_enabled=request.param,
                              viewport={"width": DESKTOP, "height": 900})
    context.route(lambda url: not url.startswith(site), lambda route: route.abort())
    tab.page = context.new_page()
    yield tab, request.param
    context.close()


def test_figure_without_its_image(
    unreachable_images: tuple[Tab, bool], site: str, articles: list[ArticleSource]
) -> None:
    """A figure whose image cannot load shows its caption, the credit and a link to the image."""
    source = article(articles, FIGURES)
    tab, scripts = unreachable_images
    tab.goto(site + source.page)
    figure = tab.page.locator(f"figure#{CAPTIONED_FIGURE}")
    image = figure.locator("img")
    assert image.get_attribute("alt") == "上海的小红书办公室。"
    fallback = figure.locator(".image-fallback")
    assert fallback.is_visible()
    box = fallback.bounding_box()
    assert box is not None and box["height"] > 40
    assert figure.locator("figcaption").inner_text().strip().startswith("上海的小红书办公室")
    # The source credits no one for this image: nothing is borrowed from another figure.
    assert "Credit" not in figure.inner_text() and "Dongyan Xu" not in figure.inner_text()
    link = fallback.get_by_role("link", name="View the image at the source")
    assert link.get_attribute("href") == image.get_attribute("src")
    if scripts:
        # No broken-image box: the stand-in takes the image's place.
        assert not image.is_visible()
    # The credited photograph keeps its credit beside its stand-in.
    credited = tab.page.locator(f"figure#{CREDITED_FIGURE}")
    assert credited.locator(".image-fallback").is_visible()
    assert credited.locator("figcaption").inner_text().strip().startswith("Credit: Dongyan Xu")
    assert not tab.errors, tab.errors


def test_figure_with_its_image_shows_no_stand_in(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """When the image loads, the stand-in stays out of sight."""
    tab = open_tab()
    tab.goto(site + article(articles, FIGURES).page)
    figure = tab.page.locator(f"figure#{CAPTIONED_FIGURE}")
    figure.locator("img").evaluate("img => img.decode()")
    assert figure.locator("img").is_visible()
    assert not figure.locator(".image-fallback").is_visible()


# --------------------------------------------------------------------------- citing


ISO_DAY = r"\d{4}-\d{2}-\d{2}"
#: The numbers shown in the text: their text, the address they link and the cite button's.
SHOWN_NUMBERS_JS = f"""(scope) => Array.from(
    document.querySelectorAll(`{MAIN} ${{scope}} span.para-number`))
  .filter(number => number.checkVisibility())
  .map(number => {{
    const button = number.querySelector('button.para-cite');
    const box = button && button.checkVisibility() ? button.getBoundingClientRect() : null;
    return {{text: number.querySelector('a').textContent,
             target: number.querySelector('a').getAttribute('href'),
             paragraph: number.closest('p').id || number.closest('[id]').id,
             cite: button ? button.dataset.paragraph : null,
             button: box && {{width: box.width, height: box.height}}}};
  }})"""


@pytest.fixture
def citing_tab(browser: Any, site: str) -> Iterator[Callable[[int], Tab]]:
    """Tabs at a given width that may read what the page puts on the clipboard."""
    contexts: list[Any] = []

    def make(width: int) -> Tab:
        tab = Tab(None)
        context = offline_context(browser, site, tab.errors,
                                  viewport={"width": width, "height": 900},
                                  permissions=["clipboard-read", "clipboard-write"])
        contexts.append(context)
        tab.page = context.new_page()
        return tab

    yield make
    for context in contexts:
        context.close()


def paragraph_labels(source: ArticleSource) -> list[str]:
    """The article's paragraph labels (``<slug>-pN``), in order."""
    return re.findall(r"^(?:\(|:name: )([a-z0-9-]+-p\d+)\)?=?$", source.body, re.MULTILINE)


def cite(tab: Tab, paragraph: str, width: int) -> str:
    """Press the cite button of one paragraph as a reader would; what it put on the clipboard."""
    button = tab.page.locator(f'{MAIN} button.para-cite[data-paragraph="{paragraph}"]')
    if width == DESKTOP:
        # On a wide screen the button shows when the pointer is on the paragraph.
        tab.page.locator(f'{MAIN} [id="{paragraph}"]').hover()
    assert button.is_visible(), paragraph
    button.click()
    return str(tab.page.evaluate("() => navigator.clipboard.readText()"))


def test_a_phone_can_cite_every_paragraph(
    citing_tab: Callable[[int], Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 390 px every ¶N shows a cite button of 24 px or more, and it copies the citation."""
    tab = citing_tab(PHONE)
    for source in articles:
        tab.goto(site + source.page)
        labels = paragraph_labels(source)
        shown = tab.page.evaluate(SHOWN_NUMBERS_JS, "")
        assert [n["target"] for n in shown] == [f"#{label}" for label in labels], source.slug
        for number in shown:
            assert number["cite"] == number["target"][1:], number
            box = number["button"]
            assert box and box["width"] >= 24 and box["height"] >= 24, (source.slug, number)
    tab.goto(f"{site}articles/tiktok-run.html")
    copied = cite(tab, "tiktok-run-p3", PHONE)
    assert copied.startswith("“TikTok 快跑")
    assert re.search(rf"¶3, https://\S+/articles/tiktok-run\.html#tiktok-run-p3 "
                     rf"\(accessed {ISO_DAY}\)\.$", copied), copied
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_each_language_view_numbers_and_cites_its_paragraphs(
    citing_tab: Callable[[int], Tab], site: str, articles: list[ArticleSource], width: int
) -> None:
    """Both, English, 中文: each shows all 33 numbers, each citing the language shown."""
    source = article(articles, PARALLEL)
    labels = paragraph_labels(source)
    assert len(labels) == 33
    tab = citing_tab(width)
    tab.goto(site + source.page)
    switch = tab.page.get_by_role("group", name="Languages shown")
    for view, suffix in (("Both", ""), ("English", ""), ("中文", "-zh-Hant")):
        switch.get_by_role("button", name=view).click()
        shown = tab.page.evaluate(SHOWN_NUMBERS_JS, ".parallel")
        expected = [f"{label}{suffix}" for label in labels]
        assert [n["text"] for n in shown] == [f"¶{i}" for i in range(1, 34)], view
        assert [n["target"] for n in shown] == [f"#{e}" for e in expected], view
        assert [n["paragraph"] for n in shown] == expected, view
        assert [n["cite"] for n in shown] == expected, view
        copied = cite(tab, expected[7], width)
        assert re.search(rf"¶8, \S+#{expected[7]} \(accessed {ISO_DAY}\)\.$", copied), copied
    assert not tab.errors, tab.errors


def test_copied_citations_have_no_stray_characters(
    citing_tab: Callable[[int], Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Both copy buttons give the citation as it reads, ending in its full stop."""
    tab = citing_tab(DESKTOP)
    for source in (article(articles, FIGURES), article(articles, PARALLEL)):
        tab.goto(site + source.page)
        tab.page.get_by_role("button", name="Copy citation").click()
        whole = str(tab.page.evaluate("() => navigator.clipboard.readText()"))
        shown = " ".join(tab.page.locator(f"{MAIN} .edition-citation-text").inner_text().split())
        assert whole == shown.removesuffix(" ¶").removesuffix("¶"), (whole, shown)
        assert "¶" not in whole and re.search(rf"\(accessed {ISO_DAY}\)\.$", whole), whole
        label = paragraph_labels(source)[2]
        paragraph = cite(tab, label, DESKTOP)
        assert paragraph.count("¶") == 1 and "¶3, " in paragraph, paragraph
        assert re.search(rf"#{label} \(accessed {ISO_DAY}\)\.$", paragraph), paragraph
    assert not tab.errors, tab.errors
