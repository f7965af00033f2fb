"""Pages generated from all articles: the article cards and the editorial decisions.

The directives ``article-cards`` and ``editorial-decisions`` list every article in edition
order (the seeds' order; the parts of a divided seed as the editorial decisions file lists them).
Their pages are re-read whenever an article comes, goes or changes (see ``frontmatter.py``).
"""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from converters.common.editorial_data import EditorialError
from converters.common.editorial_data import parse as check_editorial_data
from converters.common.values import as_list
from converters.common.yamlsafe import YamlRefused, decode_yaml_bytes, load_yaml
from edition.article.chinese import is_chinese_text
from edition.article.frontmatter import ArticleDomain, ArticleSource, is_article, read_article
from edition.article.teaser import card_teaser, chinese_language, title_gloss
from edition.article.text import (
    REMOVAL_NAMES,
    SUMMARY_LENGTH,
    byline,
    escape_myst,
    field_text,
    paragraph,
)
from edition.security.boundary import extension_text
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
    meta = article.front_matter
    position = positions.get(field_text(meta, "label"), len(positions))
    return (str(meta.get("seed", "")), position, str(meta.get("date", "")), article.docname)


def find_articles(env: BuildEnvironment) -> list[ArticleSource]:
    """Every article of the project, from the article domain, in edition order."""
    domain = cast(ArticleDomain, env.get_domain("article"))
    found = []
    for docname in sorted(env.found_docs):
        if not is_article(env, docname):
            continue
        meta, lead = domain.front_matter.get(docname), domain.leads.get(docname)
        # An article read in another process of a parallel build is not in this domain yet.
        read = (meta, lead) if meta is not None and lead is not None else read_article(
            Path(env.doc2path(docname)))
        if read is not None:
            found.append(ArticleSource(docname, *read))
    # A divided seed's articles are listed in reading order in the editorial decisions file.
    decisions = read_editorial_data(Path(env.config.edition_editorial), quiet=True)
    positions = {
        str(article.get("slug", "")): number
        for seed in decisions.values() if isinstance(seed, dict)
        for number, article in enumerate(seed.get("articles") or [])
        if isinstance(article, dict)
    }
    return sorted(found, key=lambda article: article_sort_key(article, positions))


def reading_order(env: BuildEnvironment) -> dict[str, int]:
    """Each article's position in edition order (the home page's), by document name."""
    return {article.docname: number for number, article in enumerate(find_articles(env))}


def resolve_editorial_path(app: Sphinx, config: Any) -> None:
    """Make ``edition_editorial`` absolute (it is given relative to the configuration folder)."""
    config.edition_editorial = str(Path(app.confdir, config.edition_editorial))


def _mark_listing(directive: SphinxDirective) -> None:
    cast(ArticleDomain, directive.env.get_domain("article")).listing_pages.add(
        directive.env.docname)


class ArticleCardsDirective(SphinxDirective):
    """A sphinx-design card per article, generated from the articles' front matter.

    With ``:toctree:`` it also adds the articles, in edition order, to a hidden table of contents.
    """

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "toctree": directives.unchanged,
        "columns": directives.unchanged,
    }

    def card(self, article: ArticleSource, glosses: dict[str, Any]) -> str:
        """The MyST source of one card: title, its gloss, teaser, byline in the footer."""
        meta = article.front_matter
        title = in_language(meta, escape_myst(str(meta.get("title") or article.docname)))
        lines = [
            f"::::{{grid-item-card}} {title}",
            f":link: /{article.docname}",
            ":link-type: doc",
            ":class-card: article-card",
            "",
            *gloss_lines(meta, glosses.get(str(meta.get("label") or ""))),
            in_language(meta, escape_myst(card_teaser(meta, article.lead))),
            "",
        ]
        line = escape_myst(byline(meta))
        if line:
            # An article that states nothing about itself has no byline (and no empty footer).
            lines += [":::{card-footer}", ":class: article-card-byline", line, ":::"]
        lines += ["::::", ""]
        return "\n".join(lines)

    def run(self) -> list[nodes.Node]:
        """Parse the generated cards (and toctree) into nodes."""
        _mark_listing(self)
        articles = find_articles(self.env)
        if not articles:
            logger.warning("no articles found (edition_articles = %r)",
                           self.config.edition_articles, location=self.get_location(),
                           type="edition", subtype="article")
            return []
        columns = self.options.get("columns", "1 1 2 2")
        source = [f":::::{{grid}} {columns}", ":gutter: 3", ""]
        glosses = editors_glosses(read_editorial_data(Path(self.config.edition_editorial),
                                                      quiet=True))
        source += [self.card(article, glosses) for article in articles]
        source.append(":::::")
        result: list[nodes.Node] = []
        html_only = addnodes.only(expr="html")
        with extension_text(self):
            html_only += self.parse_text_to_nodes("\n".join(source))
        result.append(html_only)
        if "toctree" in self.options:
            toctree = addnodes.toctree()
            toctree["parent"] = self.env.docname
            toctree["entries"] = [(None, article.docname) for article in articles]
            toctree["includefiles"] = [article.docname for article in articles]
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
            result.append(wrapper)
        return result


def in_language(meta: dict[str, Any], text: str) -> str:
    """A card's text in Chinese as a span marked with the article's Chinese; other text as is.

    The cards stand on an English page: without the mark a browser draws the title with the
    page's CJK font and a screen reader reads it in the English voice.
    """
    tag = language_tag(chinese_language(meta, text)) if is_chinese_text(text) else None
    # docutils writes a language-xx class as the lang attribute.
    return f"[{text}]{{.language-{tag}}}" if tag else text


def editors_glosses(decisions: dict[str, Any]) -> dict[str, Any]:
    """The editors' glosses of titles (``gloss`` in the editorial decisions), by article slug."""
    return {
        str(article.get("slug", "")): article["gloss"]
        for seed in decisions.values() if isinstance(seed, dict)
        for article in seed.get("articles") or []
        if isinstance(article, dict) and isinstance(article.get("gloss"), dict)
    }


def gloss_lines(meta: dict[str, Any], editors_gloss: dict[str, Any] | None) -> list[str]:
    """A card's line with the title in its other script (none when nobody gives one)."""
    gloss = title_gloss(meta, editors_gloss)
    tag = language_tag(gloss.language) if gloss else None
    if gloss is None or tag is None:
        return []
    # docutils writes a language-xx class as the lang attribute.
    text = escape_myst(f"[{gloss.text}]" if gloss.editorial else gloss.text)
    classes = f".article-card-gloss .language-{tag}"
    if not gloss.editorial:
        return [f"[{text}]{{{classes}}}", ""]
    marked = "[editors’ translation]{.article-card-gloss-note .language-en}"
    return [f"[{text}]{{{classes} .editorial-value}} {marked}", ""]


def _link_to(docname: str, title: str) -> addnodes.pending_xref:
    return addnodes.pending_xref(
        "", nodes.inline("", title), refdomain="std", reftype="doc",
        reftarget="/" + docname, refexplicit=True, refwarn=True,
    )


def _clip(text: object, limit: int = SUMMARY_LENGTH) -> str:
    flat = " ".join(str(text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class EditorialDecisionsDirective(SphinxDirective):
    """Per seed: how it was divided, and what the editors removed from or supplied to each article.

    Generated from the articles' front matter (``editorial``, ``removed``) and the editorial
    decisions file (``edition_editorial``), so the method page is never out of date.
    """

    has_content = False

    def division(self, seed: str, decisions: dict[str, Any],
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

    def article_items(self, meta: dict[str, Any],
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
        for entry in meta.get("editorial") or []:
            if not isinstance(entry, dict):
                continue
            value = ", ".join(as_list(entry.get("value")))
            field_name = str(entry.get("field", "")).replace("_", " ")
            items += nodes.list_item("", paragraph(
                nodes.strong("", f"Supplied {field_name}: "),
                nodes.inline("", f"[{value}]", classes=["editorial-value"]),
                nodes.Text(" — " + " ".join(field_text(entry, "reason").split())),
            ))
        for entry in meta.get("removed") or []:
            if not isinstance(entry, dict):
                continue
            kind = str(entry.get("kind", ""))
            items += nodes.list_item("", paragraph(
                nodes.strong("", f"Removed {REMOVAL_NAMES.get(kind, kind)}: "),
                nodes.Text(f"{entry.get('chars', 0)} characters — "
                           + " ".join(field_text(entry, "reason").split())),
            ))
        if not len(items):
            items += nodes.list_item("", paragraph(nodes.Text("Nothing removed or supplied.")))
        return items

    def run(self) -> list[nodes.Node]:
        """List the decisions, seed by seed, in edition order."""
        _mark_listing(self)
        decisions_path = Path(self.config.edition_editorial)
        if decisions_path.is_file():
            self.env.note_dependency(str(decisions_path))
        decisions = read_editorial_data(decisions_path)
        articles = find_articles(self.env)
        titles = {field_text(a.front_matter, "label"): (a.docname, str(a.front_matter.get(
            "title") or a.docname)) for a in articles}
        by_seed: dict[str, list[ArticleSource]] = {}
        for article in articles:
            by_seed.setdefault(field_text(article.front_matter, "seed"), []).append(article)
        result: list[nodes.Node] = []
        for seed, group in by_seed.items():
            result.append(nodes.rubric("", f"Source file {seed}" if seed else "Source unknown"))
            result.extend(self.division(seed, decisions, titles))
            for article in group:
                title = str(article.front_matter.get("title") or article.docname)
                result.append(paragraph(_link_to(article.docname, title),
                                         classes=["editorial-article"]))
                glosses = editors_glosses(decisions)
                result.append(self.article_items(
                    article.front_matter, glosses.get(str(article.front_matter.get("label")))))
        return result


def setup_listings(app: Sphinx) -> None:
    """Register the listing directives and the editorial decisions file."""
    app.add_directive("article-cards", ArticleCardsDirective)
    app.add_directive("editorial-decisions", EditorialDecisionsDirective)
    app.connect("config-inited", resolve_editorial_path)


def omitted(docname: str, patterns: list[str]) -> bool:
    """Whether a document stays out of the books (``edition_book_omit``'s shell patterns)."""
    return any(fnmatch.fnmatchcase(docname, pattern) for pattern in patterns)
