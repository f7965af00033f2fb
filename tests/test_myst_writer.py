"""The MyST writer: escaping, footnotes, labels, front matter, determinism."""

from __future__ import annotations

import re

import yaml
from docutils import nodes
from docutils.core import publish_doctree
from hypothesis import given, settings
from hypothesis import strategies as st
from myst_parser.parsers.docutils_ import Parser

from converters import myst
from converters.common import markup
from converters.model import (
    Article,
    BulletList,
    EditorialNote,
    Figure,
    Heading,
    Link,
    Metadata,
    Paragraph,
    ParallelPair,
    Strong,
    Text,
)

#: Text that is syntax in Markdown or MyST somewhere, and must come out as the same text.
TRICKY = [
    "*not emphasis* and _not either_",
    "`not code` and ``double``",
    "{ent}`not a role <x>` and {date}`2020 <2020>`",
    "```python",
    ":::{note}",
    "$x + y$ costs $20",
    "[^1] is not a footnote, [a](b) is not a link",
    "(label)=",
    "# not a heading",
    "---",
    "| a | b |",
    "<script>alert(1)</script> <b onclick='x'>bold</b>",
    "1. not a list",
    "- not a bullet",
    "+ nor this",
    "> not a quote",
    "% not a comment",
    "&amp; stays &amp;",
    "{{ not_a_substitution }}",
    "back\\slash \\* already",
    "~~~",
    "    four spaces",
    "<https://example.com> is not an autolink",
    "{#id .class} not attributes",
]


def parse(text: str) -> nodes.document:
    """Parse MyST with the extensions the edition enables."""
    return publish_doctree(
        text,
        parser=Parser(),
        settings_overrides={
            # dollarmath besides the edition's own: a "$" must stay text even with it on
            "myst_enable_extensions": [*markup.MYST_EXTENSIONS, "dollarmath"],
            "report_level": 4,
            "myst_footnote_sort": False,
        },
    )


def body_text(doc: nodes.document) -> str:
    """The text of the document's paragraphs, whitespace-normalised."""
    paras = [p.astext() for p in doc.findall(nodes.paragraph)]
    return " ".join(" ".join(paras).split())


def article(blocks: list, **meta: object) -> Article:
    return Article(slug="test-article", meta=Metadata(title="A title", **meta), blocks=blocks)  # type: ignore[arg-type]


def test_every_tricky_text_renders_as_itself() -> None:
    for text in TRICKY:
        rendered = myst.render_inlines([Text(text)], myst.Context())
        doc = parse(rendered)
        assert body_text(doc) == " ".join(text.split()), (text, rendered)
        # Nothing became markup: no raw HTML, no roles, no math, no literal, no emphasis.
        for kind in (nodes.raw, nodes.literal, nodes.emphasis, nodes.strong, nodes.math,
                     nodes.footnote_reference, nodes.reference, nodes.title, nodes.bullet_list,
                     nodes.enumerated_list, nodes.block_quote, nodes.target, nodes.table):
            assert not list(doc.findall(kind)), (text, rendered, kind)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               min_size=1, max_size=60))
def test_random_text_renders_as_itself(text: str) -> None:
    rendered = myst.render_inlines([Text(text)], myst.Context())
    doc = parse(rendered)
    assert body_text(doc) == " ".join(text.split())
    assert not list(doc.findall(nodes.raw))


def test_links_become_numbered_footnotes_one_per_url() -> None:
    a = article([
        Paragraph([Text("See "), Link([Text("one")], "https://a.example/x"), Text(" and "),
                   Link([Text("again")], "https://a.example/x"), Text(" and "),
                   Link([Text("two")], "https://b.example/y?q=a b")]),
    ])
    myst.assign_labels(a)
    page = myst.write(a)
    assert "one[^1] and again[^1] and two[^2]" in page
    assert "[^1]: <https://a.example/x>" in page
    assert "[^2]: <https://b.example/y?q=a%20b>" in page


@given(st.sampled_from(["(1945-87)", "(x)", "[y](z)", ": after", "(", "[note]"]),
       st.sampled_from(["", "台湾", "Taiwan"]))
def test_text_after_a_footnote_reference_stays_text(after: str, before: str) -> None:
    """"台湾[27](1945-87)" in a corpus post: the reference and the parenthesis made a link
    (to "1945-87"), and the footnote was lost. The text after a reference is text."""
    a = article([Paragraph([Link([Text(before)], "https://a.example/x"), Text(after)])])
    myst.assign_labels(a)
    doc = parse(myst.write(a))
    refs = list(doc.findall(nodes.footnote_reference))
    assert len(refs) == 1
    paragraph = refs[0].parent
    assert not list(paragraph.findall(nodes.reference))  # the footnote's address is one
    assert " ".join(paragraph.astext().split()) == f"{before}1{after}".strip()


def test_unsafe_links_keep_text_and_lose_url() -> None:
    a = article([Paragraph([Link([Text("click")], "javascript:alert(1)"),
                            Link([Text("data")], "data:text/html,<b>x</b>")])])
    page = myst.write(a)
    assert "click" in page and "data" in page
    assert "javascript" not in page and "[^" not in page


def test_labels_are_positional_and_stable() -> None:
    def make() -> Article:
        return article([
            Paragraph([Text("one")]), Heading(2, [Text("Part")]), Paragraph([Text("two")]),
            Figure("https://img.example/a.jpg", [Text("cap")], credit=[Text("Someone")]),
            BulletList([[Text("x")], [Text("y")]]),
        ])
    first, second = make(), make()
    myst.assign_labels(first)
    myst.assign_labels(second)
    assert myst.write(first) == myst.write(second)
    page = myst.write(first)
    for label in ("(test-article)=", "(test-article-p1)=", "(test-article-s1)=",
                  "(test-article-p2)=", ":name: test-article-f1", "(test-article-p3)="):
        assert label in page


def test_front_matter_has_every_key_and_survives_any_title() -> None:
    title = "---\nkey: 'quoted' \"double\" # not a comment: [x] {y} *z*"
    a = article([Paragraph([Text("x")])], authors=["袁莉"], language=["zh-Hans"])
    a.meta.title = title
    page = myst.write(a)
    match = re.match(r"\A---\n(.*?)\n---\n", page, re.S)
    assert match is not None
    front = yaml.safe_load(match.group(1))
    assert list(front)[: len(myst.FRONT_MATTER_KEYS)] == list(myst.FRONT_MATTER_KEYS)
    assert front["title"] == title
    assert front["authors"] == ["袁莉"]
    # The page title line is escaped too.
    heading = re.search(r"^# (.*)$", page, re.M)
    assert heading is not None


def test_parallel_pair_and_text_figure_structure() -> None:
    a = article([
        ParallelPair(Paragraph([Text("Hello.")]), "en", Paragraph([Text("你好。")]), "zh-Hant"),
        Figure("", [Text("說明。")], credit=[Text("Getty Images")]),
        EditorialNote("Split from a longer file."),
    ])
    myst.assign_labels(a)
    page = myst.write(a)
    assert "::::{container} parallel\n:name: test-article-p1" in page
    assert ":::{container} language-en\nHello.\n:::" in page
    assert ":::{container} language-zh-Hant\n你好。\n:::" in page
    assert ":::{container} figure text-figure" in page and "Credit: Getty Images" in page
    assert ":::{admonition} Editorial note" in page


def test_empty_strong_is_dropped() -> None:
    rendered = myst.render_inlines([Text("和"), Strong([]), Text("小红书")], myst.Context())
    assert rendered == "和小红书"
