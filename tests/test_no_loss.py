"""Nothing lost, nothing injected: every seed's body text reaches the written articles.

The expected text is extracted from the raw seeds here, independently of the readers (lxml and
line splitting), and compared with the text of the MyST pages as docutils renders them.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import yaml
from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import roles
from myst_parser.parsers.docutils_ import Parser

from converters.common.markup import MYST_EXTENSIONS
from converters.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = {p.name[:3]: p for p in sorted((ROOT / "seeds").glob("*.txt"))}

#: Boilerplate that must not reach any article.
FORBIDDEN = ["You’ve hit the wall", "获取更多RSS", "feedx", "穿透安邦魔术", "接管包商银行"]


def _text_role(_name, rawtext, text, _lineno, _inliner, _options=None, _content=None):  # type: ignore[no-untyped-def]
    """Stand-in for the edition's ent/date roles: the shown text, without the target."""
    shown = re.sub(r"\s*<[^<>]*>\s*$", "", text)
    return [nodes.inline(rawtext, shown)], []


def rendered_text(page: str) -> str:
    """The reader-visible text of a page: its title and dek (shown in the article header) and
    its body as docutils renders it, footnote marks and the rest of the front matter left out."""
    front = yaml.safe_load(page.split("\n---\n", 1)[0].removeprefix("---\n"))
    # Registered on every call: sphinx.testing resets docutils' roles after each Sphinx test.
    roles.register_local_role("ent", _text_role)
    roles.register_local_role("date", _text_role)
    try:
        doc = publish_doctree(page, parser=Parser(), settings_overrides={
            "myst_enable_extensions": list(MYST_EXTENSIONS),
            "report_level": 4,
        })
    finally:
        # docutils keeps roles in a module global: a Sphinx build after this one (not made by
        # sphinx.testing's fixtures) would find the stand-ins there and keep them
        for name in ("ent", "date"):
            roles._roles.pop(name, None)
    for node in list(doc.findall(nodes.footnote_reference)) + list(doc.findall(nodes.footnote)):
        node.parent.remove(node)
    for node in list(doc.findall(nodes.docinfo)) + list(doc.findall(nodes.field_list)):
        node.parent.remove(node)
    return "\n".join([front["title"], front["subtitle"], doc.astext()])


def squash(text: str) -> str:
    """Compare without white space: Chinese has none, and HTML layout adds or drops some."""
    return re.sub(r"\s+", "", text)


def html_pieces(path: Path) -> list[str]:
    """Title, paragraphs, captions and credits of an HTML seed, minus known boilerplate."""
    raw = path.read_text(encoding="utf-8")
    pieces = re.findall(r"^\[(.+)\]\(https?://[^)]+\)$", raw, re.M)  # feed title line
    pieces += re.findall(r"^title: \"(.*)\"$", raw, re.M)  # Jekyll title
    tree = lxml.html.fromstring(raw)
    for junk in tree.xpath(
        "//*[contains(@class,'BarrierFailsafe') or contains(@class,'code-block')"
        " or contains(@class,'collection')]"
    ):
        junk.drop_tree()
    for el in tree.xpath("//p | //small | //cite | //h1 | //h2 | //h3 | //address"):
        text = " ".join(el.text_content().split())
        if text and not any(f in text for f in FORBIDDEN):
            pieces.append(text)
    return pieces


def line_pieces(path: Path) -> list[str]:
    """Every line of a plain-text seed, minus ad markers and the markup of headings/bullets."""
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line == "廣告":
            continue
        if out and line.startswith(out[-1]) and line != out[-1]:
            # A photo caption printed again with its credit: the credit is the new text.
            out.append(line[len(out[-1]):].strip())
            continue
        line = re.sub(r"#$", "", line)
        line = re.sub(r"^- ", "", line)
        out.append(line)
    return out


@pytest.fixture(scope="module")
def converted() -> dict[str, str]:
    """The text of all articles of each seed, converted with the edition's data."""
    texts = {}
    for key, path in SEEDS.items():
        result = convert_file(path, Options())
        texts[key] = "\n".join(rendered_text(page) for page in result.pages.values())
    return texts


@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_all_body_text_reaches_the_articles(converted: dict[str, str], key: str) -> None:
    path = SEEDS[key]
    pieces = html_pieces(path) if key in ("000", "001") else line_pieces(path)
    assert len(pieces) > 5
    text = squash(converted[key])
    missing = [p for p in pieces if squash(p) not in text]
    assert missing == [], f"{len(missing)} of {len(pieces)} pieces missing"


@pytest.mark.parametrize("key", ["000", "001", "002", "003"])
def test_no_boilerplate_reaches_the_articles(converted: dict[str, str], key: str) -> None:
    text = converted[key]
    for junk in FORBIDDEN:
        assert junk not in text
    assert "廣告" not in text.splitlines()


def test_every_link_of_seed_000_is_a_footnote() -> None:
    raw = SEEDS["000"].read_text(encoding="utf-8")
    urls = set(re.findall(r'<a [^>]*href="([^"]+)"', raw)) - {"https://feedx.net",
                                                               "https://feedx.site"}
    assert len(urls) == 26
    page = "\n".join(convert_file(SEEDS["000"], Options()).pages.values())
    footnotes = set(re.findall(r"^\[\^\d+\]: <(.+)>$", page, re.M))
    assert footnotes == urls
