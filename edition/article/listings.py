"""Pages generated from all articles: the article cards and the editorial decisions.

The directives ``article-cards`` and ``editorial-decisions`` list every article in edition
order (the seeds' order; the parts of a divided seed as the editorial decisions file lists them).
As ``sphinx.ext.todo`` does with its ``todolist``, each leaves a placeholder when its page is
read (:mod:`edition.article.placeholders`), and :class:`FillListings` makes the listing when the
page is written, from the article domain, which by then holds every article whatever the order
(or the processes) they were read in. The article domain has the pages written again when an
article comes, goes or changes (``frontmatter.listings_to_rewrite``).

The cards' table of contents (``:toctree:``) is the one part made when the page is read: a
toctree is noted by Sphinx as the page is read (it makes the navigation and the books), so it
lists the articles read before the page, and :func:`read_toctrees_again` reads the page once
more, after every document, when that is not every article in edition order.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar
from weakref import WeakKeyDictionary

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.typing import OptionSpec
from sphinx_design.cards import CardDirective
from sphinx_design.grids import gutter_option, row_columns_option
from sphinx_design.shared import PassthroughTextElement, create_component

from converters.common.editorial_data import EditorialError
from converters.common.editorial_data import parse as check_editorial_data
from converters.common.yamlsafe import YamlRefused, decode_yaml_bytes, load_yaml
from edition.article.chinese import is_chinese_text
from edition.article.frontmatter import ArticleSource, article_domain, is_article
from edition.article.placeholders import PlaceholderDirective, listing
from edition.article.record import ArticleMeta
from edition.article.teaser import card_teaser, chinese_language, title_gloss
from edition.article.text import REMOVAL_NAMES, SUMMARY_LENGTH, byline, paragraph
from edition.security.safety import language_tag

logger = logging.getLogger(__name__)


def read_editorial_data(path: Path, *, quiet: bool = False) -> dict[str, Any]:
    """The editorial decisions file (``seeds:`` → per seed, its articles), or ``{}`` if absent.

    A file the YAML loader refuses is a warning at ``file:line`` (unless ``quiet``: the method
    page reports it, the other readers of the file stay silent) and counts as empty.
    """
    if not path.is_file():
        return {}
    try:
        text = decode_yaml_bytes(path.read_bytes(), str(path))
        data = load_yaml(text, path=str(path)) or {}
        if not quiet:
            # The converters' own check of the file (a slug, a range, a metadata field): what
            # it refuses is reported; the method page still lists what it can read.
            check_editorial_data(text, str(path))
    except EditorialError as exc:
        logger.warning("editorial decisions: %s", exc, type="edition", subtype="editorial")
    except YamlRefused as exc:
        if not quiet:
            logger.warning("editorial decisions not read: %s", exc.reason,
                           location=f"{path}:{exc.line}", type="edition", subtype="editorial")
        return {}
    except OSError as exc:
        if not quiet:
            logger.warning("editorial decisions not read: %s: %s", path, exc.strerror or exc,
                           type="edition", subtype="editorial")
        return {}
    seeds = data.get("seeds") if isinstance(data, dict) else None
    return seeds if isinstance(seeds, dict) else {}


def article_sort_key(
    article: ArticleSource, positions: dict[str, int]
) -> tuple[str, int, str, str]:
    """Order articles as the seeds are ordered; the parts of one seed as the editors list them."""
    meta = article.meta
    position = positions.get(meta.label, len(positions))
    return (meta.seed, position, meta.date, article.docname)


def find_articles(env: BuildEnvironment) -> list[ArticleSource]:
    """Every article the article domain holds, in edition order."""
    domain = article_domain(env)
    found = [ArticleSource(docname, meta, domain.leads.get(docname, ""))
             for docname, meta in sorted(domain.articles.items())
             if docname in env.found_docs and is_article(env, docname)]
    # A divided seed's articles are listed in reading order in the editorial decisions file.
    decisions = read_editorial_data(Path(env.config.edition_editorial), quiet=True)
    positions = {
        str(article.get("slug", "")): number
        for seed in decisions.values() if isinstance(seed, dict)
        for number, article in enumerate(seed.get("articles") or [])
        if isinstance(article, dict)
    }
    return sorted(found, key=lambda article: article_sort_key(article, positions))


#: Each environment's reading order, kept from the end of its reading (``env-updated``) to the
#: start of the next (``env-before-read-docs``): the registers, every entity page and the
#: timeline's every date ask for it while pages are written, and finding it reads every
#: article's front matter and the editorial decisions file (entities × articles, per build).
_READ_ORDERS: WeakKeyDictionary[BuildEnvironment, Mapping[str, int]] = WeakKeyDictionary()
#: Environments whose reading is done: their reading order holds until they read again.
_SETTLED: WeakKeyDictionary[BuildEnvironment, bool] = WeakKeyDictionary()


def reading_order(env: BuildEnvironment) -> Mapping[str, int]:
    """Each article's position in edition order (the home page's), by document name.

    Found once per build, after reading: while pages are read (a listing directive) it is
    found anew each time, since the articles are not all read yet.
    """
    if not _SETTLED.get(env, False):
        return _find_reading_order(env)
    order = _READ_ORDERS.get(env)
    if order is None:
        order = _READ_ORDERS[env] = _find_reading_order(env)
    return order


def _find_reading_order(env: BuildEnvironment) -> Mapping[str, int]:
    return MappingProxyType(
        {article.docname: number for number, article in enumerate(find_articles(env))})


def _reading_starts(_app: Sphinx, env: BuildEnvironment, _docnames: list[str]) -> None:
    """Forget the reading order: articles may come, go or change (``env-before-read-docs``)."""
    _SETTLED[env] = False
    _READ_ORDERS.pop(env, None)


def _reading_done(_app: Sphinx, env: BuildEnvironment) -> None:
    """Every article is read: the reading order holds until the next reading (``env-updated``)."""
    _SETTLED[env] = True
    _READ_ORDERS.pop(env, None)


def resolve_editorial_path(app: Sphinx, config: Any) -> None:
    """Make ``edition_editorial`` absolute (it is given relative to the configuration folder)."""
    config.edition_editorial = str(Path(app.confdir, config.edition_editorial))


def note_editorial_data(directive: PlaceholderDirective) -> None:
    """Have the directive's page read again when the editorial decisions file changes."""
    path = Path(directive.config.edition_editorial)
    if path.is_file():
        directive.env.note_dependency(str(path))


# --------------------------------------------------------------------------- the cards


class article_cards(listing):  # lower case, as docutils names nodes
    """Placeholder for the article cards (``columns``: the grid's classes), filled at writing."""


class editorial_decisions(listing):  # lower case, as docutils names nodes
    """Placeholder for the editorial decisions, filled when the page is written."""


class ArticleCardsDirective(PlaceholderDirective):
    """A sphinx-design card per article, generated from the articles' front matter.

    With ``:toctree:`` it also adds the articles, in edition order, to a hidden table of contents.
    """

    placeholder = article_cards
    option_spec: ClassVar[OptionSpec] = {
        "toctree": directives.unchanged,
        # the columns of sphinx-design's grid (xs sm md lg), checked as its directive does
        "columns": row_columns_option,
    }

    def run(self) -> list[nodes.Node]:
        """The cards' placeholder (web pages only) and the table of contents of the articles."""
        note_editorial_data(self)
        cards = self.make_placeholder()
        cards["columns"] = self.options.get("columns") or row_columns_option("1 1 2 2")
        html_only = addnodes.only(expr="html")
        html_only += cards
        result: list[nodes.Node] = [html_only]
        if "toctree" not in self.options:
            return result
        # The articles read so far: all of them unless some are read after this page (then
        # read_toctrees_again reads it once more).
        articles = [article.docname for article in find_articles(self.env)]
        cards["toctree"] = articles
        if articles:
            result.append(self.toctree(articles))
        return result

    def toctree(self, articles: list[str]) -> nodes.compound:
        """A hidden table of contents of the articles, as ``{toctree}`` makes it."""
        toctree = addnodes.toctree()
        toctree["parent"] = self.env.docname
        toctree["entries"] = [(None, docname) for docname in articles]
        toctree["includefiles"] = list(articles)
        # Two levels: the EPUB's navigation lists each article's sections too.
        toctree["maxdepth"] = 2
        toctree["caption"] = self.options["toctree"] or None
        toctree["glob"] = False
        toctree["hidden"] = True
        toctree["includehidden"] = False
        toctree["numbered"] = 0
        toctree["titlesonly"] = False
        wrapper = nodes.compound(classes=["toctree-wrapper"])
        wrapper += toctree
        self.set_source_info(toctree)
        return wrapper


def in_language(meta: ArticleMeta, text: str) -> nodes.Node:
    """A card's text: in Chinese, a span marked with the article's Chinese; else plain text.

    The cards stand on an English page: without the mark a browser draws the title with the
    page's CJK font and a screen reader reads it in the English voice.
    """
    tag = language_tag(chinese_language(meta, text)) if is_chinese_text(text) else None
    # docutils writes a language-xx class as the lang attribute.
    return nodes.inline(text, text, classes=[f"language-{tag}"]) if tag else nodes.Text(text)


def editors_glosses(decisions: dict[str, Any]) -> dict[str, Any]:
    """The editors' glosses of titles (``gloss`` in the editorial decisions), by article slug."""
    return {
        str(article.get("slug", "")): article["gloss"]
        for seed in decisions.values() if isinstance(seed, dict)
        for article in seed.get("articles") or []
        if isinstance(article, dict) and isinstance(article.get("gloss"), dict)
    }


def gloss_paragraphs(meta: ArticleMeta,
                     editors_gloss: dict[str, Any] | None) -> list[nodes.paragraph]:
    """A card's line with the title in its other script (none when nobody gives one)."""
    gloss = title_gloss(meta, editors_gloss)
    tag = language_tag(gloss.language) if gloss else None
    if gloss is None or tag is None:
        return []
    text = one_line(f"[{gloss.text}]" if gloss.editorial else gloss.text)
    # docutils writes a language-xx class as the lang attribute.
    classes = ["article-card-gloss", f"language-{tag}"]
    if not gloss.editorial:
        return [paragraph(nodes.inline(text, text, classes=classes))]
    marked = "editors’ translation"
    return [paragraph(nodes.inline(text, text, classes=[*classes, "editorial-value"]),
                      nodes.Text(" "),
                      nodes.inline(marked, marked,
                                   classes=["article-card-gloss-note", "language-en"]))]


def one_line(text: str) -> str:
    """A text on one line, its runs of white space single spaces (as a card shows it)."""
    return " ".join(text.split())


# The nodes sphinx-design's ``grid`` (``:gutter: 3``) and ``grid-item-card`` (``:link-type:
# doc``, ``:class-card: article-card``, a ``card-footer``) directives make: the cards look as
# sphinx-design draws them, and are made from the domain, without parsing MyST at writing.
#: The classes of the grid, around its row.
GRID_CLASSES = ("sd-container-fluid", "sd-sphinx-override", "sd-mb-4")
#: The space between the cards.
GRID_GUTTER = gutter_option("3")
#: The classes of a card, linked, filling its column.
CARD_CLASSES = ("sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "sd-card-hover",
                "article-card")
#: The classes of the link stretched over a card.
CARD_LINK_CLASSES = ("sd-stretched-link", "sd-hide-link-text")


def article_card(article: ArticleSource, gloss: dict[str, Any] | None,
                 placeholder: listing) -> nodes.container:
    """One card in its column: title, its gloss, teaser, byline in the footer, a link."""
    meta = article.meta
    body = create_component("card-body", ["sd-card-body"])
    body += gloss_paragraphs(meta, gloss)
    teaser = one_line(card_teaser(meta, article.lead))
    if teaser:
        body += paragraph(in_language(meta, teaser))
    CardDirective.add_card_child_classes(body)
    title = create_component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    title += PassthroughTextElement("", "", in_language(meta, one_line(
        meta.title or article.docname)))
    body.insert(0, title)
    card = create_component("card", CARD_CLASSES, children=[body])
    line = one_line(byline(meta))
    if line:
        # An article that states nothing about itself has no byline (and no empty footer).
        footer = create_component("card-footer", ["sd-card-footer", "article-card-byline"],
                                  children=[paragraph(nodes.Text(line))])
        CardDirective.add_card_child_classes(footer)
        card += footer
    target = "/" + article.docname
    link = addnodes.pending_xref(
        target, nodes.inline(target, target), classes=list(CARD_LINK_CLASSES),
        reftarget=target, refdoc=placeholder["docname"], refdomain="std", reftype="doc",
        refexplicit=False, refwarn=True)
    link.source, link.line = placeholder.source, placeholder.line
    card += PassthroughTextElement("", "", link)
    return create_component("grid-item", ["sd-col", "sd-d-flex-row"], children=[card])


def cards(env: BuildEnvironment, placeholder: listing) -> list[nodes.Node]:
    """The grid of cards, one per article in edition order."""
    articles = find_articles(env)
    if not articles:
        logger.warning("no articles found (edition_articles = %r)", env.config.edition_articles,
                       location=placeholder, type="edition", subtype="article")
        return []
    glosses = editors_glosses(read_editorial_data(Path(env.config.edition_editorial),
                                                  quiet=True))
    row = create_component("grid-row", ["sd-row", *placeholder["columns"], *GRID_GUTTER])
    row += [article_card(article, glosses.get(article.meta.label), placeholder)
            for article in articles]
    return [create_component("grid-container", GRID_CLASSES, children=[row])]


# --------------------------------------------------------------------------- the decisions


def _link_to(docname: str, title: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", title), refdomain="std", reftype="doc",
        reftarget="/" + docname, refexplicit=True, refwarn=True,
    )


def _clip(text: object, limit: int = SUMMARY_LENGTH) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class EditorialDecisionsDirective(PlaceholderDirective):
    """Per seed: how it was divided, and what the editors removed from or supplied to each article.

    Generated from the articles' front matter (``editorial``, ``removed``) and the editorial
    decisions file (``edition_editorial``), so the method page is never out of date.
    """

    placeholder = editorial_decisions

    def run(self) -> list[nodes.Node]:
        """The placeholder; the page is read again when the editorial decisions file changes."""
        note_editorial_data(self)
        return [self.make_placeholder()]


def division(seed: str, decisions: dict[str, Any],
             titles: dict[str, tuple[str, str]]) -> list[nodes.Node]:
    """How a seed that holds several texts was divided: each article's line ranges."""
    entry = decisions.get(seed) or {}
    planned = [a for a in entry.get("articles") or [] if isinstance(a, dict)]
    if len(planned) < 2:
        return []
    intro = paragraph(nodes.Text(
        f"The seed holds {len(planned)} texts, divided by line ranges (each range from the "
        "line beginning with the first words to the line beginning with the last):"))
    ranges = nodes.enumerated_list(classes=["editorial-division"])
    for article in planned:
        slug = str(article.get("slug", ""))
        docname, title = titles.get(slug, ("", slug))
        para = paragraph(_link_to(docname, title) if docname else nodes.Text(title))
        item = nodes.list_item("", para)
        spans = nodes.bullet_list()
        for span in article.get("ranges") or []:
            if not isinstance(span, dict):
                continue
            text = f"“{_clip(span.get('first'), 70)}” … “{_clip(span.get('last'), 70)}”"
            line = paragraph(nodes.inline("", text, classes=["removed-text"]))
            if span.get("moved"):
                line += nodes.Text(" — moved: " + _clip(span.get("moved"), 10_000))
            spans += nodes.list_item("", line)
        if len(spans):
            item += spans
        ranges += item
    return [intro, ranges]


def article_items(meta: ArticleMeta,
                  gloss: dict[str, Any] | None = None) -> nodes.bullet_list:
    """What the editors supplied to and removed from one article."""
    items = nodes.bullet_list(classes=["editorial-list"])
    if gloss:
        items += nodes.list_item("", paragraph(
            nodes.strong("", "Supplied translation of the title (on its card): "),
            nodes.inline("", f"[{' '.join(str(gloss.get('value') or '').split())}]",
                         classes=["editorial-value"]),
            nodes.Text(" — " + " ".join(str(gloss.get("reason") or "").split())),
        ))
    for entry in meta.editorial:
        field_name = entry.field.replace("_", " ")
        items += nodes.list_item("", paragraph(
            nodes.strong("", f"Supplied {field_name}: "),
            nodes.inline("", f"[{entry.text}]", classes=["editorial-value"]),
            nodes.Text(" — " + entry.reason),
        ))
    for removal in meta.removed:
        kind = removal.kind
        items += nodes.list_item("", paragraph(
            nodes.strong("", f"Removed {REMOVAL_NAMES.get(kind, kind)}: "),
            nodes.Text(f"{removal.chars} characters — " + removal.reason),
        ))
    if not len(items):
        items += nodes.list_item("", paragraph(nodes.Text("Nothing removed or supplied.")))
    return items


def decisions_listing(env: BuildEnvironment) -> list[nodes.Node]:
    """The editorial decisions, seed by seed in edition order, from the article domain."""
    decisions = read_editorial_data(Path(env.config.edition_editorial))
    articles = find_articles(env)
    titles = {a.meta.label: (a.docname, a.meta.title or a.docname) for a in articles}
    by_seed: dict[str, list[ArticleSource]] = {}
    for article in articles:
        by_seed.setdefault(article.meta.seed, []).append(article)
    glosses = editors_glosses(decisions)
    result: list[nodes.Node] = []
    for seed, group in by_seed.items():
        result.append(nodes.rubric("", f"Source file {seed}" if seed else "Source unknown"))
        result.extend(division(seed, decisions, titles))
        for article in group:
            title = article.meta.title or article.docname
            result.append(paragraph(_link_to(article.docname, title),
                                     classes=["editorial-article"]))
            result.append(article_items(article.meta, glosses.get(article.meta.label)))
    return result


# --------------------------------------------------------------------------- when written


class FillListings(SphinxPostTransform):
    """Make the cards and the editorial decisions where their placeholders stand.

    Before every other post-transform (the references are resolved at 10): the listing then
    meets all of them — links resolved, web-only parts kept or dropped, the books' own
    transforms — as it did when it was made while the page was read.
    """

    default_priority = 0

    def run(self, **_kwargs: Any) -> None:
        """Replace each placeholder by its listing."""
        # one walk of the page for both (every page is walked: a book is one document)
        for node in list(self.document.findall(listing)):
            if isinstance(node, article_cards):
                node.replace_self(cards(self.env, node))
            elif isinstance(node, editorial_decisions):
                node.replace_self(decisions_listing(self.env))


def read_toctrees_again(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Read again each page whose table of contents is not every article in edition order.

    (``env-updated``: every other document is read then.) A page is read with the articles
    read before it; in name order, or in another process of a parallel build, that may not be
    all of them, or their order may have changed since (an article added, removed, or dated
    again). The page's toctree is part of it as read — Sphinx notes it then, and the
    navigation and the books take it from there — so it is read again rather than filled
    when written, as the cards are.
    """
    domain = article_domain(env)
    order = tuple(reading_order(env))  # every article is read: found once for the build
    stale = sorted(docname for docname, listed in domain.toctrees.items()
                   if listed != order and docname in env.found_docs)
    for docname in stale:
        app.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
        app.builder.read_doc(docname)
    return stale


def setup_listings(app: Sphinx) -> None:
    """Register the listing directives, their filling and the editorial decisions file."""
    app.add_node(article_cards)
    app.add_node(editorial_decisions)
    app.add_directive("article-cards", ArticleCardsDirective)
    app.add_directive("editorial-decisions", EditorialDecisionsDirective)
    app.add_post_transform(FillListings)
    app.connect("config-inited", resolve_editorial_path)
    # After changed.py has noted what the build read (100), before the entity pages (300).
    app.connect("env-updated", read_toctrees_again, priority=200)
    # Before any other handler: a handler that reads pages of its own at env-updated (the
    # entity pages) finds the order from every article read.
    app.connect("env-before-read-docs", _reading_starts, priority=0)
    app.connect("env-updated", _reading_done, priority=0)


def omitted(docname: str, patterns: list[str]) -> bool:
    """Whether a document stays out of the books (``edition_book_omit``'s shell patterns)."""
    return any(fnmatch.fnmatchcase(docname, pattern) for pattern in patterns)
