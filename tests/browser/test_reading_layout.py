"""The reading page's layout and chrome in Chromium: notes near their mark, numbers clear of
bullets, no missing glyph, a line a reader can follow in each language view, targets a finger can
hit, the cite button inside the margin; no keyboard hint or repository icon, a favicon, a print
stylesheet that prints the text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from .pages import DESKTOP, MAIN, PHONE, ArticleSource, Tab

PARALLEL = "silicon-valley-china-envy"
#: How far below its mark a margin note may begin: a third of a laptop's 900 px screen.
NOTE_REACH = 300
#: The longest line a one-language view may set, in characters (a Han character counts one).
MEASURE = 80
#: The smallest target a finger is asked to hit (WCAG 2.2, 2.5.8), in CSS pixels.
TARGET = 24
#: Targets the reading page adds: note marks, ¶ numbers, cite buttons, the language switch.
TARGETS = (f"{MAIN} label.margin-toggle, {MAIN} a.para-number-link, {MAIN} button.para-cite, "
           ".language-switch button")

#: Each note with the boxes of its mark, of the block holding the mark and of what follows it.
NOTES_JS = f"""() => {{
  const box = e => {{ const r = e.getBoundingClientRect();
    return {{left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY}}; }};
  const cite = document.querySelector('{MAIN} section.edition-citation');
  return Array.from(document.querySelectorAll(
      '{MAIN} span.sidenote:not(.d-n), {MAIN} span.marginnote:not(.d-n)'), note => {{
    const number = (note.querySelector(':scope > sup') || {{textContent: '?'}}).textContent;
    const mark = document.querySelector(
      `label.margin-toggle[for="sidenote-role-${{number.trim()}}"]`);
    const block = mark.closest('p, li, dd, .parallel');
    const under = note.closest('.sidenotes-below');
    return {{number: number.trim(), note: box(note), mark: box(mark), block: box(block),
             under: under ? under.previousElementSibling === block : null,
             cite: cite ? box(cite).top : null}};
  }});
}}"""

#: For each list that holds a number: the number's box and its list's box.
LIST_NUMBERS_JS = f"""() => Array.from(
    document.querySelectorAll('{MAIN} :is(ul, ol) span.para-number'), number => {{
  const list = number.closest('ul, ol');
  const link = number.querySelector('a.para-number-link').getBoundingClientRect();
  const items = Array.from(list.children, li => li.getBoundingClientRect().left);
  const para = document.querySelector('{MAIN} p.has-para-number > span.para-number a');
  return {{text: number.textContent.trim(), right: link.right, listLeft:
           list.getBoundingClientRect().left, itemLeft: Math.min(...items),
           column: para ? para.getBoundingClientRect().right : null}};
}})"""

#: Generated content (``::before``, ``::after``) drawn with a private-use character whose face
#: is not loaded: the browser draws a missing-glyph box.
MISSING_GLYPHS_JS = """() => {
  const loaded = new Set(Array.from(document.fonts)
    .filter(face => face.status === 'loaded')
    .map(face => face.family.replace(/^["']|["']$/g, '')));
  const found = [];
  for (const element of document.querySelectorAll('body *')) {
    for (const pseudo of ['::before', '::after']) {
      const style = getComputedStyle(element, pseudo);
      if (!/[\\uE000-\\uF8FF]/.test(style.content) || style.display === 'none') continue;
      const family = style.fontFamily.split(',')[0].trim().replace(/^["']|["']$/g, '');
      if (!loaded.has(family)) {
        found.push(`${element.tagName}.${element.className}${pseudo}: ${family}`);
      }
    }
  }
  return found;
}"""

#: The longest rendered line of each visible paragraph of the parallel text, in characters.
LINE_LENGTHS_JS = f"""() => {{
  const out = [];
  for (const para of document.querySelectorAll('{MAIN} .parallel > [lang] p')) {{
    if (!para.checkVisibility()) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(para, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
      if (node.parentElement.closest('.para-number, .para-anchor')) continue;
      for (let i = 0; i < node.length; i++) {{
        if (/\\s/.test(node.data[i])) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        const line = Math.round(rect.top + rect.height / 2);
        const key = [...lines.keys()].find(k => Math.abs(k - line) < rect.height / 2) ?? line;
        lines.set(key, (lines.get(key) || 0) + 1);
      }}
    }}
    // Characters of a line: the letters plus the spaces between its words.
    const text = para.innerText.replace(/¶\\d*|cite/g, '').trim();
    const letters = text.replace(/\\s/g, '').length || 1;
    const widest = Math.max(0, ...lines.values());
    out.push({{lang: para.closest('[lang]').lang,
               chars: Math.round(widest * text.length / letters)}});
  }}
  return out;
}}"""

#: Every target of the page that is shown, with its size.
TARGETS_JS = f"""() => Array.from(document.querySelectorAll('{TARGETS}'))
  .filter(e => e.checkVisibility({{opacityProperty: false, visibilityProperty: true}}))
  .map(e => {{ const r = e.getBoundingClientRect();
    return {{what: e.className || e.tagName, text: e.textContent.trim().slice(0, 12),
             width: r.width, height: r.height}}; }})"""

#: Each cite button's box, the primary sidebar's right edge and its paragraph's left edge.
CITE_BOXES_JS = f"""() => {{
  const sidebar = document.querySelector('.bd-sidebar-primary').getBoundingClientRect();
  return Array.from(document.querySelectorAll('{MAIN} button.para-cite:not([hidden])'), b => {{
    const r = b.getBoundingClientRect();
    const block = b.closest('.has-para-number').getBoundingClientRect();
    return {{id: b.dataset.paragraph, left: r.left, right: r.right, width: r.width,
             sidebar: sidebar.right, text: block.left}};
  }}).filter(b => b.width > 0);
}}"""


def with_notes(articles: list[ArticleSource]) -> list[ArticleSource]:
    """Articles whose source has footnotes (the margin notes of the web page)."""
    return [a for a in articles if re.search(r"^\[\^\w+\]:", a.body, re.MULTILINE)]


def with_lists(articles: list[ArticleSource]) -> list[ArticleSource]:
    """Articles with a labelled list (its first item holds the list's number)."""
    return [a for a in articles if re.search(r"-p\d+\)=\n- ", a.body)]


# --------------------------------------------------------------------------- layout


def test_notes_are_near_their_mark_or_under_its_paragraph(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 1280 px a note begins within a third of a screen of its mark, or under its paragraph."""
    annotated = with_notes(articles)
    assert annotated, "no article has notes"
    tab = open_tab(DESKTOP)
    for source in annotated:
        tab.goto(site + source.page)
        notes = tab.page.evaluate(NOTES_JS)
        assert notes, source.slug
        for note in notes:
            where = f"{source.slug}: note {note['number']}"
            if note["under"] is None:
                below = note["note"]["top"] - note["mark"]["top"]
                assert below <= NOTE_REACH, f"{where} is {below:.0f} px below its mark"
                assert note["cite"] is None or note["note"]["top"] < note["cite"], (
                    f"{where} sits beside the citation block")
            else:
                assert note["under"], f"{where} is not right under its mark's paragraph"
                assert note["note"]["top"] >= note["block"]["bottom"] - 1, where
                assert note["note"]["left"] >= note["block"]["left"], where
                assert note["note"]["right"] <= note["block"]["right"] + 1, where
    assert not tab.errors, tab.errors


def test_numbers_of_lists_clear_their_bullets(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """A list's ¶N stands in the margin column of the other numbers, left of the bullets."""
    listed = with_lists(articles)
    assert {a.slug for a in listed} >= {"content-industry-no-accumulation",
                                        "china-internet-at-thirty",
                                        "openai-ceo-work-efficiency"}
    tab = open_tab(DESKTOP)
    for source in listed:
        tab.goto(site + source.page)
        numbers = tab.page.evaluate(LIST_NUMBERS_JS)
        assert numbers, source.slug
        for number in numbers:
            where = f"{source.slug} {number['text']}"
            # The bullets are drawn in the list's left padding, before its items.
            assert number["right"] <= number["listLeft"] + 1, f"{where} overlaps the bullets"
            assert number["right"] < number["itemLeft"], where
            assert abs(number["right"] - number["column"]) <= 1, f"{where} out of the column"
    assert not tab.errors, tab.errors


def test_no_missing_glyph_box(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """Scrolled to its notes, the contents box shows no character of a face that never loaded."""
    source = with_notes(articles)[0]
    tab = open_tab(DESKTOP)
    tab.goto(site + source.page)
    tab.page.locator(f"{MAIN} span.sidenote").nth(3).scroll_into_view_if_needed()
    # The theme folds the contents box while notes are in view.
    tab.page.wait_for_selector(".bd-sidebar-secondary.hide")
    tab.page.mouse.move(5, 890)
    assert tab.page.evaluate(MISSING_GLYPHS_JS) == []
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("language", ["English", "中文"])
def test_one_language_view_keeps_a_readable_line(
    open_tab: Callable[..., Tab], site: str, language: str
) -> None:
    """At 1280 px the parallel text read in one language sets at most 80 characters a line."""
    tab = open_tab(DESKTOP)
    tab.goto(f"{site}articles/{PARALLEL}.html")
    tab.page.get_by_role("group", name="Languages shown").get_by_role(
        "button", name=language).click()
    lines = tab.page.evaluate(LINE_LENGTHS_JS)
    assert len(lines) == 33, len(lines)
    widest = max(line["chars"] for line in lines)
    assert widest <= MEASURE, f"{language}: lines of {widest} characters"
    # Still a full line, not a narrow column.
    assert widest >= (60 if language == "English" else 30), widest
    assert not tab.errors, tab.errors


def test_phone_targets_are_big_enough(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource]
) -> None:
    """At 390 px every note mark, ¶ number, cite button and language button is ≥ 24 × 24 px."""
    tab = open_tab(PHONE, 844)
    for source in articles:
        tab.goto(site + source.page)
        targets = tab.page.evaluate(TARGETS_JS)
        assert targets, source.slug
        small = [t for t in targets if t["width"] < TARGET or t["height"] < TARGET]
        assert not small, f"{source.slug}: {len(small)} small targets, e.g. {small[:3]}"
        if with_notes([source]):
            assert any("margin-toggle" in t["what"] for t in targets), source.slug
    assert not tab.errors, tab.errors


@pytest.mark.parametrize("width", [DESKTOP, 1024])
def test_cite_buttons_stay_in_the_margin(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], width: int
) -> None:
    """Each cite button lies between the navigation sidebar and its paragraph's text."""
    tab = open_tab(width)
    for source in articles:
        tab.goto(site + source.page)
        boxes = tab.page.evaluate(CITE_BOXES_JS)
        assert boxes, source.slug
        for box in boxes:
            assert box["left"] >= box["sidebar"], f"{source.slug}: {box} crosses the sidebar"
            assert box["right"] <= box["text"] + 1, f"{source.slug}: {box} covers the text"
    assert not tab.errors, tab.errors


# --------------------------------------------------------------------------- chrome


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_keyboard_hint_or_repository_icon(
    open_tab: Callable[..., Tab], site: str, articles: list[ArticleSource], width: int
) -> None:
    """The header and the search field name no keys and no repository; the edit link stays."""
    tab = open_tab(width)
    for page in ("index.html", articles[0].page, f"articles/{PARALLEL}.html"):
        tab.goto(site + page)
        shown = tab.page.evaluate("() => document.body.innerText")
        assert "Ctrl" not in shown and "⌘" not in shown, page
        chrome = ".bd-header-article, .bd-sidebar-primary, .bd-header"
        icons = tab.page.locator(f":is({chrome}) :is(.fa-github, .fa-gitlab, .fa-bitbucket, "
                                 "[data-icon=github], .source-repository-button)")
        assert icons.count() == 0, page
        links = tab.page.eval_on_selector_all(
            ".bd-header-article a[href]", "links => links.map(a => a.href)")
        assert not [link for link in links if re.fullmatch(r"https://github\.com/[^/]+/[^/]+/?",
                                                           link)], links
        edit = tab.page.locator(".bd-header-article a[href*='/edit/']")
        assert edit.count() == 1, page
        # Bootstrap's tooltip keeps the title in its own attribute and names the link with it.
        assert "Edit this page" in (edit.get_attribute("aria-label"),
                                    edit.get_attribute("data-bs-original-title"))


def test_a_favicon_is_served(browser: Any, site: str, articles: list[ArticleSource]) -> None:
    """Every kind of page names its icon, which is served as an image; nothing asked for 404s."""
    from .conftest import offline_context

    errors: list[str] = []
    context = offline_context(browser, site, errors)
    missing: list[str] = []
    context.on("response", lambda r: missing.append(r.url)
               if r.url.startswith(site) and r.status >= 400 else None)
    try:
        page = context.new_page()
        for name in ("index.html", articles[0].page, "_generated/timeline.html"):
            page.goto(site + name, wait_until="load")
            icon = page.locator("link[rel~=icon]")
            assert icon.count() == 1, name
            response = page.request.get(icon.evaluate("l => l.href"))
            assert response.status == 200
            assert response.headers["content-type"].startswith("image/")
            assert response.body()[:8] == b"\x89PNG\r\n\x1a\n"
        assert not missing, missing
    finally:
        context.close()


@pytest.mark.parametrize("slug", [PARALLEL, "china-internet-at-thirty"])
def test_print_shows_the_text_without_the_controls(
    open_tab: Callable[..., Tab], site: str, slug: str
) -> None:
    """Printed, a page has its text and header but no language switch, link box or contents."""
    tab = open_tab(DESKTOP)
    tab.goto(f"{site}articles/{slug}.html")
    controls = ".language-switch, .reading-switch, #jb-print-toc, button.para-cite"
    shown = f"() => Array.from(document.querySelectorAll('{controls}')).filter(e => " \
            "e.checkVisibility()).map(e => e.className || e.id)"
    assert tab.page.evaluate(shown), f"{slug}: expected controls on screen"
    tab.page.emulate_media(media="print")
    assert tab.page.evaluate(shown) == []
    assert tab.page.locator(f"{MAIN} #{slug}-p1").is_visible()
    assert tab.page.locator(f"{MAIN} dl.article-meta").is_visible()
    assert not tab.errors, tab.errors
