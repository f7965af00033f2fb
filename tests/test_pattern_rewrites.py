"""The linear rewrites of the former backtracking patterns give what the patterns gave.

Each former pattern is kept here as the specification and compared, on many short texts built
from the pieces that matter to it, with the code that replaced it (short, so that the former
patterns' quadratic time does not matter). Where a rewrite bounds a repetition (a URL's parts
as long as real addresses), the texts stay inside the bound.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converters.common import markup
from converters.common.matching import URL_PATTERN
from converters.common.script import CJK_RANGES, char_class
from converters.editing import candidates, check, moves
from converters.readers import bilingual, caixin, nytimes, plaintext
from converters.readers._html import squash
from edition.article import home, teaser
from edition.article import text as edition_text
from edition.article.frontmatter import front_matter_block

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))


def texts(*pieces: str, size: int = 24) -> st.SearchStrategy[str]:
    """Texts made of up to ``size`` of the pieces."""
    return st.lists(st.sampled_from(pieces), max_size=size).map("".join)


# --------------------------------------------------------------------------- readers

FORMER_TRANSLATOR = re.compile(r"^翻译\s*[：:]\s*(?P<name>\S.*?)\s*$")
FORMER_COLUMN = re.compile(r"撰写“(?P<name>[^”]+)”专栏")
FORMER_SEPARATOR = re.compile(r"\s*[,，、;；]\s*")
FORMER_CARD_DATE = re.compile(r"\s*[A-Z][a-z]{2} \d{1,2}(?:st|nd|rd|th)?\s*·\s*\d{4}\s*$")
FORMER_CARD_VENUE = re.compile(r"\s+in\s+\S.*$")
FORMER_SNIFF = re.compile(r"<article\b[^>]*\bclass=\"[^\"]*\bcategory-caixin\b", re.I)
FORMER_HTML = re.compile(
    r"<!--|<\s*/?\s*(?:!doctype|html|head|body|article|section|header|div|p|span|a|img|"
    r"figure|figcaption|br|h[1-6]|ul|ol|li|address|time|cite|table)\b", re.IGNORECASE)
FORMER_HEADING = re.compile(r"^(?P<text>[^#\s].{0,150}?)\s*#$")


@SETTINGS
@given(texts("翻译", "：", ":", " ", "\u3000", "甲", "\t", "\r", "译"))
def test_translator(line: str) -> None:
    former = FORMER_TRANSLATOR.match(line.strip())
    assert nytimes.translator_of(line) == (former["name"] if former else "")


@SETTINGS
@given(texts("撰写“", "”专栏", "”", "“", "专栏", "甲", "撰写", " "))
def test_column(text: str) -> None:
    former = FORMER_COLUMN.search(text)
    assert nytimes.column_of(text) == (former["name"] if former else "")


@SETTINGS
@given(texts(",", "，", "、", ";", " ", "\u3000", "甲", "乙", "\n"))
def test_byline(byline: str) -> None:
    former = [name for name in FORMER_SEPARATOR.split(squash(byline)) if name]
    assert nytimes.split_authors(byline) == list(dict.fromkeys(former))


@SETTINGS
@given(texts(" ", "\n", "\u3000", "in", "i", "n", "X", "Oct", "Oct 14", " · ", "·", "2019",
             "1", "st", "\t"))
def test_card_name(card: str) -> None:
    former = FORMER_CARD_VENUE.sub("", FORMER_CARD_DATE.sub("", card)).strip()
    assert caixin.card_name(card) == former


@SETTINGS
@given(texts("<article", "<ARTICLE", " ", ">", 'class="', '"', "category-caixin", "x", "-",
             'CLASS="', "<"))
def test_caixin_article(text: str) -> None:
    assert caixin.has_caixin_article(text) == (FORMER_SNIFF.search(text) is not None)


@SETTINGS
@given(texts("<", " ", "/", "p", "a", "div", "!--", "x", "\n", "DIV", "-"))
def test_html(text: str) -> None:
    assert bilingual.looks_like_html(text) == (FORMER_HTML.search(text) is not None)


@SETTINGS
@given(st.one_of(texts("#", " ", "\n", "a", "\u3000", "\x1c", "b#", "\t"),
                 texts("a" * 50, "#", " ", "\n", size=6)))
def test_heading(line: str) -> None:
    former = FORMER_HEADING.match(line)
    assert plaintext.heading_text(line) == (former["text"] if former else None)


# --------------------------------------------------------------------------- writer, tagging

FORMER_ROLE = re.compile(r"\{[\w:-]+\}`([^`]*?)\s*(?:<[^<>`]*>)?`")
FORMER_FOOTNOTE_REF = re.compile(r"\[\^[^\]]+\]")
FORMER_NAME_OPTION = re.compile(r"^:name:\s*(?P<label>\S.*?)\s*$")
FORMER_URL = re.compile(
    rf"(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'{char_class(CJK_RANGES)}]+"
    r"|[a-z0-9.+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+"
    rf"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)+/[^\s<>\"'{char_class(CJK_RANGES)}]*", re.IGNORECASE)
FORMER_AUTOLINK = re.compile(r"<[a-z][a-z0-9+.-]*:[^>\s]*>")


@SETTINGS
@given(texts("{ent}", "{", "}", "`", "<", ">", " ", "\n", "a", "[^", "]", "[", "^", "\u3000"))
def test_inline_markup(text: str) -> None:
    former = FORMER_FOOTNOTE_REF.sub("", FORMER_ROLE.sub(r"\1", text))
    assert markup.without_inline_markup(text) == former


@SETTINGS
@given(texts(":name:", " ", "\n", "a", "b", "\u3000", ":", "\t"))
def test_name_option(line: str) -> None:
    new, former = markup.NAME_OPTION.match(line), FORMER_NAME_OPTION.match(line)
    assert (new and new["label"]) == (former and former["label"])


@SETTINGS
@given(texts(" ", "\n", "\u3000", "a", "\t", "\r\n", "<"))
def test_escape(text: str) -> None:
    spaced = re.sub(r"\s*\n\s*", " ", text)
    assert markup.escape(text) == markup._INLINE_SPECIAL.sub(r"\\\1", spaced)


@SETTINGS
@given(texts("a", "B", "1", ".", "-", "+", ":", "/", "@", "www.", "WWW.", " ", "中", "ſ", "K",
             "_", "é", "://", "<", "'", "..", "\n", size=30))
def test_url(text: str) -> None:
    spans = [m.span() for m in URL_PATTERN.finditer(text)]
    assert spans == [m.span() for m in FORMER_URL.finditer(text)]


@SETTINGS
@given(texts("<", ">", "a", "1", ":", " ", "x", "+", "\n", "A"))
def test_autolink(line: str) -> None:
    new = candidates.AUTOLINK.sub(lambda m: "" if m.group().endswith(">") else m.group(), line)
    assert new == FORMER_AUTOLINK.sub("", line)


# --------------------------------------------------------------------------- editors' tools

FORMER_ROLE_TARGET = re.compile(r"^(.*?)\s*<([^<>]*)>\s*$", re.DOTALL)
FORMER_SCHEME = re.compile(r"\b[a-z][a-z0-9+.-]*:/", re.IGNORECASE)
FORMER_MYST_TYPE = re.compile(r"\s*\[myst\.[\w.]+\]$")
FORMER_SEED_VALUE = re.compile(r"^seed: *(?P<value>.*?) *$", re.MULTILINE)


@SETTINGS
@given(texts("<", ">", " ", "\n", "a", "`", "\u3000"))
def test_role_target(content: str) -> None:
    former = FORMER_ROLE_TARGET.match(content)
    assert check.role_target(content) == (former[2] if former else content).strip()


@SETTINGS
@given(texts("a", "1", ".", "-", "+", ":", "/", ":/", " ", "_", "é", "K", "ſ", "A"))
def test_bare_scheme(text: str) -> None:
    assert check._names_a_scheme(text) == (FORMER_SCHEME.search(text) is not None)


@SETTINGS
@given(texts("[myst.", "a", ".", "]", " ", "\n", "[", "x"))
def test_myst_warning_type(message: str) -> None:
    kind = check.MYST_WARNING_TYPE.search(message)
    new = message[: kind.start()].rstrip() + message[kind.end():] if kind else message
    assert new == FORMER_MYST_TYPE.sub("", message)


@SETTINGS
@given(texts("seed:", "\n", " ", "'", "x", "\t", "\nseed:", "\r"))
def test_seed_value(text: str) -> None:
    new, former = moves.SEED_LINE.search(text), FORMER_SEED_VALUE.search(text)
    assert (new and new["value"].strip(" ")) == (former and former["value"])


# --------------------------------------------------------------------------- edition

FORMER_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
FORMER_SEED = re.compile(r"^seed: *'?(?P<seed>[^'\n]+?)'? *$", re.MULTILINE)
FORMER_SENTENCE = re.compile(r".*?(?:[。！？][」』”’）)]*|(?<![A-Z])[.!?][”’\"')]*(?=\s|$))",
                             re.DOTALL)
FORMER_TRAILING_STOP = re.compile(r"[\s.!?。！？]+$")
FORMER_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


@SETTINGS
@given(texts("---", "\n", " ", "a", "-", "\t", "\n---", "\n---\n", "k: v"))
def test_front_matter(page: str) -> None:
    former = FORMER_FRONT_MATTER.match(page)
    assert front_matter_block(page) == ((former[1], former.end()) if former else None)


@SETTINGS
@given(texts("seed:", "\n", " ", "'", "x", "\t", "\nseed:", "\r"))
def test_home_seed(page: str) -> None:
    former = FORMER_SEED.search(page)
    assert home.seed_of(page) == (former["seed"] if former else None)


@SETTINGS
@given(texts("a", "A", ".", "!", "。", "」", "”", "'", ")", " ", "\n", "U.S.", "？"))
def test_sentences(text: str) -> None:
    former = [m[0].strip() for m in FORMER_SENTENCE.finditer(text) if m[0].strip()]
    assert teaser.full_sentences(text) == former


@SETTINGS
@given(texts("a", ".", "!", "。", " ", "\n", "?", "！", "\u3000"))
def test_final_stops(text: str) -> None:
    assert teaser._without_final_stops(text) == FORMER_TRAILING_STOP.sub("", text)


@SETTINGS
@given(texts("[", "]", "(", ")", "a", " ", "\n", "](", "[a](b)", "\\"))
def test_links(text: str) -> None:
    assert edition_text.shown_text(text) == edition_text._ESCAPED.sub(
        r"\1", FORMER_LINK.sub(r"\1", markup.without_inline_markup(text))).strip()
