"""What a build computes once instead of once per page, entity or date, and that it stays right.

A build of the edition with many texts wrote pages that each asked again for things of the
whole collection: the reading order of the articles (every entity page, every register entry
and every date of the timeline), the titles of the articles related to each article, the
sidebar's every link. These tests count the work (no timing: speed is the benchmark's,
``benchmarks/bench.py``) and check that what is kept is dropped when the texts change, as in the
preview, which keeps one application between builds.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from sphinx.testing.util import SphinxTestApp

import edition.article.listings as listings
from converters.common.registry import Entity
from edition.article.frontmatter import ArticleDomain
from edition.citation.citable import NUMBERED_CLASS
from edition.entities.domain import entity_domain
from edition.entities.related import rank_related

ROOTS = Path(__file__).resolve().parent / "roots"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the entities root (three articles, a home page with their cards)."""
    src = tmp_path / "src"
    shutil.copytree(ROOTS / "test-entities", src)
    return src


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every finding of all articles in edition order (:func:`listings.find_articles`)."""
    calls: list[str] = []
    find = listings.find_articles

    def counting(env: Any) -> Any:
        calls.append(env.temp_data.get("docname", ""))
        return find(env)

    monkeypatch.setattr(listings, "find_articles", counting)
    return calls


def app_for(src: Path, **overrides: Any) -> SphinxTestApp:
    """A Sphinx application for ``src`` (the caller cleans it up)."""
    return SphinxTestApp("html", srcdir=src, confoverrides=overrides)


@pytest.mark.sphinx
def test_reading_order_found_once_per_build(project: Path, counted: list[str]) -> None:
    """Written pages share one reading order; it is found anew after the articles change."""
    app = app_for(project)
    try:
        app.build()
        # once for all the written pages: the registers, every entity page and every date of
        # the timeline asked for it (no page of this project lists the articles while read)
        assert len(counted) == 1, counted
        order = listings.reading_order(app.env)
        assert order == {a.docname: n for n, a in enumerate(listings.find_articles(app.env))}
        # the preview's next build, after an article is renamed: the order is found again
        counted.clear()
        (project / "articles" / "tiktok-run.md").rename(project / "articles" / "a-first.md")
        app.build()
        assert len(counted) == 1, counted
        assert "articles/a-first" in listings.reading_order(app.env)
        assert "articles/tiktok-run" not in listings.reading_order(app.env)
        registers = (Path(app.outdir) / "ent-companies.html").read_text(encoding="utf-8")
        assert "a-first.html" in registers and "tiktok-run.html" not in registers
    finally:
        app.cleanup()


@pytest.mark.sphinx
def test_titles_kept_until_a_text_is_read_again(project: Path) -> None:
    """An article's new title reaches the pages that name it on the next build of one app."""
    app = app_for(project)
    try:
        app.build()
        domain = entity_domain(app.env)
        old = domain.title_of("articles/tiktok-run")
        assert old == "TikTok 快跑"
        page = project / "articles" / "tiktok-run.md"
        page.write_text(page.read_text(encoding="utf-8").replace("# TikTok 快跑", "# TikTok 慢跑"),
                        encoding="utf-8")
        app.build()
        assert entity_domain(app.env).title_of("articles/tiktok-run") == "TikTok 慢跑"
        related = (Path(app.outdir) / "articles" / "red-note.html").read_text(encoding="utf-8")
        assert "TikTok 慢跑" in related and "TikTok 快跑" not in related
    finally:
        app.cleanup()


@pytest.mark.sphinx
def test_article_labels_kept_until_an_article_is_read(project: Path) -> None:
    """Paragraph numbers follow the articles' labels: kept per build, found anew after a change."""
    app = app_for(project)
    try:
        app.build()
        domain = cast(ArticleDomain, app.env.get_domain("article"))
        labels = domain.article_labels()
        assert {"tiktok-run", "red-note", "china-envy"} <= labels
        assert domain.article_labels() is labels  # one set for every page written
        page = Path(app.outdir) / "articles" / "tiktok-run.html"
        assert page.read_text(encoding="utf-8").count(NUMBERED_CLASS) >= 2
        # the article's label changes: its paragraphs (tiktok-run-pN) are no article's any more
        source = project / "articles" / "tiktok-run.md"
        source.write_text(source.read_text(encoding="utf-8").replace(
            "label: tiktok-run\n", "label: tiktok-walk\n"), encoding="utf-8")
        app.build()
        labels = domain.article_labels()
        assert "tiktok-walk" in labels and "tiktok-run" not in labels
        assert NUMBERED_CLASS not in page.read_text(encoding="utf-8")
        red_note = Path(app.outdir) / "articles" / "red-note.html"
        assert NUMBERED_CLASS in red_note.read_text(encoding="utf-8")
    finally:
        app.cleanup()


# --------------------------------------------------------------------------- related articles


class FakeDomain:
    """What :func:`rank_related` asks of the entity domain, with the titles it asks for counted."""

    def __init__(self, mentions: dict[str, list[str]], registry: set[str]) -> None:
        self.mentions = mentions
        self.registry = {
            i: Entity(id=i, type="company", label=i.upper(), labels={}, aliases=(),
                      description="", wikidata="")
            for i in registry
        }
        self.titled: list[str] = []

    def entities_of(self, docname: str) -> list[str]:
        return list(dict.fromkeys(self.mentions.get(docname, [])))

    def documents_of(self, target: str) -> list[str]:
        return sorted(d for d, found in self.mentions.items() if target in found)

    def is_article(self, docname: str) -> bool:
        return docname.startswith("articles/")

    def title_of(self, docname: str) -> str:
        self.titled.append(docname)
        return f"Title {int(docname.rsplit('-', 1)[1]) % 7}"


def ranked_by_sorting_all(domain: FakeDomain, docname: str, limit: int | None) -> list[Any]:
    """The ranking as it was made before: every article sharing an id sorted by count and title."""
    mine = domain.entities_of(docname)
    listed: dict[str, int] = {}
    for entity in mine:
        for other in domain.documents_of(entity):
            if other != docname and domain.is_article(other):
                listed[other] = listed.get(other, 0) + (entity in domain.registry)
    others = sorted(listed, key=lambda o: (-listed[o], domain.title_of(o), o))
    return [(o, domain.title_of(o)) for o in (others if limit is None else others[:limit])]


def collections_of_texts(seed: int) -> Iterator[FakeDomain]:
    """Made-up collections: common and rare ids, ids missing from the registry, other pages."""
    rng = random.Random(seed)
    for _ in range(30):
        ids = [f"e{n}" for n in range(rng.randint(1, 12))]
        registry = {i for i in ids if rng.random() < 0.8}
        mentions = {
            f"articles/a-{n}": rng.sample(ids, rng.randint(0, len(ids)))
            for n in range(rng.randint(1, 40))
        }
        mentions["_generated/entities/e0"] = ids[:1]
        yield FakeDomain(mentions, registry)


def test_related_ranking_as_when_every_article_was_titled() -> None:
    """The same articles in the same order as sorting all of them; ties at the cut included."""
    checked = 0
    for domain in collections_of_texts(11):
        for docname in domain.mentions:
            for limit in (None, 0, 1, 3, 5, 100):
                expected = ranked_by_sorting_all(domain, docname, limit)
                got = [(r.docname, r.title) for r in rank_related(domain, docname, limit)]  # type: ignore[arg-type]
                assert got == expected, (docname, limit)
                checked += 1
    assert checked > 1000


def test_related_titles_only_of_the_first_by_count() -> None:
    """Only articles sharing as many as the last listed are titled, not every one sharing one."""
    # Every article mentions the common id; article n also shares n's rare ids with the first.
    mentions = {f"articles/a-{n}": ["common"] for n in range(200)}
    mentions["articles/a-0"] = ["common", "r1", "r2", "r3"]
    for n, rare in ((1, ["r1", "r2", "r3"]), (2, ["r1", "r2"]), (3, ["r1"]), (4, ["r2"])):
        mentions[f"articles/a-{n}"] += rare
    domain = FakeDomain(mentions, {"common", "r1", "r2", "r3"})
    ranked = rank_related(domain, "articles/a-0", 3)  # type: ignore[arg-type]
    assert [r.docname for r in ranked] == ["articles/a-1", "articles/a-2", "articles/a-3"] or [
        r.docname for r in ranked] == ["articles/a-1", "articles/a-2", "articles/a-4"]
    assert [r.shared for r in ranked][:2] == [["common", "r1", "r2", "r3"], ["common", "r1", "r2"]]
    # titled to break the tie at 2 shared (a-3, a-4) and to be listed: not the 195 others
    assert set(domain.titled) <= {f"articles/a-{n}" for n in range(1, 5)}
