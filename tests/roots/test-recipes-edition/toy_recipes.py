"""A toy extension following the recipes "add an index kind" and "add an output"."""

from __future__ import annotations

import json
from collections.abc import Iterable, Set
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder

from edition.entities.domain import EntityDomain, year_anchor
from edition.article.frontmatter import get_article_meta, is_article
from edition.entities.indices import Head, MentionIndex


class YearIndex(MentionIndex):
    """A new index kind: the years mentioned, grouped by decade, each with its places."""

    name = "years"
    localname = "Index of years"
    shortname = "years"

    def heads(self, domain: EntityDomain) -> list[str]:
        """Every year a date mentioned falls in."""
        return sorted({iso[:4] for iso in domain.dates()})

    def places(self, domain: EntityDomain, key: str) -> list[tuple[str, str, str, str]]:
        """The places of every date of the year, once each."""
        found: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        for iso in domain.dates():
            if iso.startswith(key):
                for place in domain.places_of(iso, kind="date"):
                    found.setdefault(place[:2], place)
        return list(found.values())

    def head(self, domain: EntityDomain, key: str) -> Head:
        """The year, under its decade, pointing at the year in the timeline."""
        return Head(key, key[:3] + "0s", domain.timeline_docname(), year_anchor(key))


class ArticleListBuilder(Builder):
    """A new output: one JSON file listing the articles, from the article domain."""

    name = "articlelist"
    format = "json"
    epilog = "The article list is in %(outdir)s."

    def get_outdated_docs(self) -> Iterable[str]:
        """Every document: the list is written whole."""
        return self.env.found_docs

    def get_target_uri(self, _docname: str, _typ: str | None = None) -> str:
        """Documents have no pages of their own in this output."""
        return ""

    def prepare_writing(self, docnames: Set[str]) -> None:
        """Nothing to prepare."""

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        """Nothing per document."""

    def finish(self) -> None:
        """Write the list: each article's title, date and authors as its front matter says."""
        articles: list[dict[str, Any]] = []
        for docname in sorted(self.env.found_docs):
            meta = get_article_meta(self.env, docname) if is_article(self.env, docname) else None
            if meta is not None:
                articles.append({"docname": docname, "title": meta.title, "date": meta.date,
                                 "authors": list(meta.authors)})
        path = Path(self.outdir, "articles.json")
        path.write_text(json.dumps(articles, ensure_ascii=False, indent=1) + "\n",
                        encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the index kind on the edition's ``ent`` domain, and the builder."""
    app.add_index_to_domain("ent", YearIndex)
    app.add_builder(ArticleListBuilder)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
