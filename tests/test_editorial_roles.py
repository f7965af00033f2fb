"""A role beside an editorial value: the editors say whose names they supply, and the pages say it.

``role: original-author`` on the editors' ``authors`` of a text says the names wrote the work
the text translates or adapts, not its words. The editorial data checks the role, the converter
writes it into the article's front matter, and the edition's citation reads it from there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from converters import editorial
from converters.common import editorial_data
from converters.model import Article, Metadata, Paragraph, Source, Text
from converters.myst import front_matter
from edition.article.record import ArticleMeta
from edition.article.text import byline
from edition.citation.model import make_citation
from edition.web.reading import brief_line

ROOT = Path(__file__).resolve().parents[1]

DATA = """\
seeds:
  900_sample.txt:
    articles:
    - slug: an-adaptation
      metadata:
        authors:
          value: [Sam Altman]
          role: {role}
          reason: Its sections follow his essay; this English is an adaptation, not his wording.
"""


def converted(role: str) -> Article:
    """A one-paragraph article put through the editorial data above."""
    data = editorial_data.parse(DATA.format(role=role), "editorial.yaml")
    source = Source(name="900_sample.txt", text="A paragraph.", sha256="0" * 64)
    article = Article(slug="sample", meta=Metadata(title="A title", language=["en"]),
                      blocks=[Paragraph([Text("A paragraph.")])])
    [result] = editorial.apply([article], source, data)
    return result


def test_the_role_reaches_the_front_matter_and_the_citation() -> None:
    article = converted("original-author")
    [entry] = [e for e in article.editorial if e.field == "authors"]
    assert entry.role == "original-author"
    written = front_matter(article)
    assert written["editorial"][0] == {
        "field": "authors", "value": ["Sam Altman"], "reason": entry.reason,
        "role": "original-author"}
    # the front matter as the page holds it, read back as the edition reads it
    front = yaml.safe_load(yaml.safe_dump(written, allow_unicode=True))
    citation = make_citation(ArticleMeta.from_front_matter(front, "articles/an-adaptation"),
                             "https://e.example/a.html", "E")
    assert citation.authors == () and citation.original_authors == ("Sam Altman",)
    # without a role, the entry is written as it always was
    data = editorial_data.parse(DATA.replace("          role: {role}\n", ""), "editorial.yaml")
    source = Source(name="900_sample.txt", text="A paragraph.", sha256="0" * 64)
    [plain] = editorial.apply([Article(slug="s", meta=Metadata(title="A title"))], source, data)
    assert set(front_matter(plain)["editorial"][0]) == {"field", "value", "reason"}


@pytest.mark.parametrize("role", ["translator", "author", "Original-Author"])
def test_an_unknown_role_is_one_clear_line(role: str) -> None:
    with pytest.raises(editorial_data.EditorialError) as caught:
        converted(role)
    message = str(caught.value)
    assert "\n" not in message
    assert "is not a role of authors (roles: original-author)" in message


def test_a_role_on_a_field_without_roles_is_refused() -> None:
    text = DATA.format(role="original-author").replace("authors:", "translator:").replace(
        "value: [Sam Altman]", "value: Sam Altman")
    with pytest.raises(editorial_data.EditorialError, match="is not a role of translator"):
        editorial_data.parse(text, "editorial.yaml")


def test_the_edition_credits_the_adaptation_to_its_original_author() -> None:
    """The editors call the OpenAI essay an adaptation made through Chinese: so does its page."""
    path = ROOT / "docs" / "articles" / "openai-ceo-work-efficiency.md"
    if not path.exists():
        pytest.skip("the article is not converted in this checkout")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    [entry] = [e for e in front["editorial"] if e["field"] == "authors"]
    assert entry["role"] == "original-author"
    assert "adaptation made through Chinese" in entry["reason"]


def test_bylines_say_the_original_is_his() -> None:
    """The card's byline and the phone's folded header do not make him the text's author."""
    front = {"title": "t", "authors": ["Sam Altman"], "language": ["en"], "editorial": [
        {"field": "authors", "value": ["Sam Altman"], "role": "original-author", "reason": "r"}]}
    original = ArticleMeta.from_front_matter(front)
    assert byline(original) == "from a work by [Sam Altman] · English"
    assert brief_line(original) == "from a work by [Sam Altman]"
    inferred = ArticleMeta.from_front_matter({**front, "editorial": [
        {"field": "authors", "value": ["Sam Altman"], "reason": "r"}]})
    assert byline(inferred) == "[Sam Altman] · English"
    assert brief_line(inferred) == "[Sam Altman]"
