"""The conversion pipeline: source file -> reader -> editorial passes -> MyST pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import editorial, myst
from .common import editorial_data
from .common.paths import DEFAULT_EDITORIAL, DEFAULT_REGISTRY
from .common.registry import Registry, RegistryError, load_registry
from .common.validate import XML_FORBIDDEN
from .dates import tag_dates
from .model import Article, ConversionError, Figure, Removal, Source, article_links
from .names import name_case
from .readers import check_complete, detect, is_html
from .sources import load
from .tagging import tag_article

#: The record of that removal.
FORBIDDEN_REMOVAL_KIND = "control-characters"
FORBIDDEN_REMOVAL_REASON = ("control characters XML forbids (an EPUB holding them is not "
                            "well-formed); they show nothing")

#: Most links, figures and blocks one article may have; more is refused (their time and memory
#: are measured in README "Limits"). The real articles have at most 26 links, 4 figures, 150
#: blocks. Figures are fewest: placing each image beside its caption costs bs4 a scan of its
#: siblings, so thousands of images in one container grow quadratically.
MAX_LINKS = 100_000
MAX_FIGURES = 2_000
MAX_BLOCKS = 200_000
#: How links and images are counted in an HTML source before it is parsed, so that an input
#: far past a limit is refused before any costly step (a few more matches than elements, never
#: fewer: the count only refuses what the model's count would refuse too, or more).
HTML_LINK = re.compile(r"<a[\s>]", re.I)
HTML_IMAGE = re.compile(r"<img[\s>/]", re.I)
#: Longest slug: it is a file name (most file systems stop at 255 bytes) and part of every
#: paragraph's label, so it is kept readable.
MAX_SLUG_LENGTH = 80



@dataclass
class Options:
    """What a conversion run uses besides the input files."""

    editorial: Path | None = DEFAULT_EDITORIAL
    registry: Path | None = DEFAULT_REGISTRY
    tag: bool = True  #: mark entity and date mentions


@dataclass
class Converted:
    """One input's result: its articles rendered as pages, and the figures for the summary."""

    source: Source
    format: str
    articles: list[Article] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  #: file name -> MyST text
    footnotes: int = 0

    def summary(self) -> str:
        """One line: what came out of this input."""
        figures = sum(myst.count_blocks(a, Figure) for a in self.articles)
        removed = sum(len(a.removed) for a in self.articles)
        return (
            f"{self.source.name}: {self.format}, {len(self.articles)} article(s), "
            f"{self.footnotes} footnote(s), {figures} figure(s), {removed} removed block(s)"
        )


def convert_source(source: Source, options: Options) -> Converted:
    """Turn one decoded source into MyST pages (pure: no file is written)."""
    reader = detect(source)
    if is_html(reader):
        check_complete(source.text)
        check_html_counts(source.text)
    else:
        check_line_count(source.text)
    articles = reader.read(source)
    if not articles:
        raise ConversionError(f"no article found in this {reader.FORMAT} input")
    for article in articles:
        article.meta.seed = source.name
        article.meta.seed_sha256 = source.sha256
        remove_forbidden_characters(article)
        check_limits(article)
        # capitals in a byline are typography: CHRIS MILLER is Chris Miller
        article.meta.authors = [name_case(name) for name in article.meta.authors]
    if options.editorial is not None and options.editorial.exists():
        path = options.editorial
        articles = editorial.apply(articles, source, _editorial(path, path.stat().st_mtime_ns))
    result = Converted(source=source, format=reader.FORMAT, articles=articles)
    for article in articles:
        if options.tag:
            _tag(article, options)
        myst.assign_labels(article)
        text, ctx = myst.render(article)
        if len(article.slug) > MAX_SLUG_LENGTH:
            raise ConversionError(f"slug {article.slug[:40]}… is {len(article.slug)} characters "
                                  f"long (the limit is {MAX_SLUG_LENGTH}); give the article a "
                                  "shorter one in the editorial data")
        name = f"{article.slug}.md"
        if name in result.pages:
            raise ConversionError(f"two articles share the slug {article.slug!r}")
        result.pages[name] = text
        result.footnotes += len(ctx.footnotes)
    return result


#: Field names of each dataclass met in a run (``dataclasses.fields`` costs more than the walk).
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, looked up once per run."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(spec.name for spec in fields(cls))
    return names


def remove_forbidden_characters(article: Article) -> None:
    """Take every character XML forbids out of the article's text and metadata, recording it."""
    removed: list[str] = []

    def clean(text: str) -> str:
        if XML_FORBIDDEN.search(text) is None:
            return text
        removed.extend(XML_FORBIDDEN.findall(text))
        return XML_FORBIDDEN.sub("", text)

    # every string of the model, walked without recursion (dataclasses, lists, dicts)
    stack: list[Any] = [article.meta, article.blocks, article.editorial]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            for index, item in enumerate(node):
                if isinstance(item, str):
                    node[index] = clean(item)
                else:
                    stack.append(item)
        elif isinstance(node, dict):
            for key, item in node.items():
                if isinstance(item, str):
                    node[key] = clean(item)
                else:
                    stack.append(item)
        elif is_dataclass(node):
            for name in _field_names(type(node)):
                item = getattr(node, name)
                if isinstance(item, str):
                    setattr(node, name, clean(item))
                else:
                    stack.append(item)
    if removed:
        article.removed.append(Removal(kind=FORBIDDEN_REMOVAL_KIND, text="".join(removed),
                                       reason=FORBIDDEN_REMOVAL_REASON))


def check_html_counts(html: str) -> None:
    """Refuse HTML with more ``<a>`` or ``<img>`` tags than the limits allow, before parsing."""
    for what, pattern, limit in (("links", HTML_LINK, MAX_LINKS),
                                 ("images", HTML_IMAGE, MAX_FIGURES)):
        count = sum(1 for _ in pattern.finditer(html))
        if count > limit:
            raise ConversionError(f"{count:,} {what} in the HTML (the limit is {limit:,} "
                                  "per article)")


def check_line_count(text: str) -> None:
    """Refuse plain text with more lines than blocks allowed, before its reader builds them.

    A bilingual pair takes two lines, so the limit is twice the number of blocks.
    """
    count = sum(1 for line in text.splitlines() if line.strip())
    if count > 2 * MAX_BLOCKS:
        raise ConversionError(f"{count:,} lines of text (the limit is {2 * MAX_BLOCKS:,}, "
                              f"{MAX_BLOCKS:,} paragraphs per article)")


def check_limits(article: Article) -> None:
    """Refuse an article with more links, figures or blocks than the stated limits."""
    counts = (
        ("links", len(article_links(article)), MAX_LINKS),
        ("figures", myst.count_blocks(article, Figure), MAX_FIGURES),
        ("paragraphs and other blocks", len(article.blocks), MAX_BLOCKS),
    )
    for what, count, limit in counts:
        if count > limit:
            raise ConversionError(f"{count:,} {what} in one article (the limit is {limit:,})")


def _tag(article: Article, options: Options) -> None:
    """Mark entity and date mentions (the registry and date passes plug in here)."""
    if options.registry is not None and options.registry.exists():
        registry = options.registry
        tag_article(article, _registry(registry, registry.stat().st_mtime_ns))
    tag_dates(article)


@lru_cache(maxsize=4)
def _editorial(path: Path, _mtime_ns: int) -> editorial_data.EditorialData:
    """The editorial data, parsed once per version of the file, not once per input.

    The file's modification time is an argument only to be part of the cache key.
    """
    return editorial_data.load(path)


@lru_cache(maxsize=4)
def _registry(path: Path, _mtime_ns: int) -> Registry:
    """The registry, loaded once per version of the file.

    The tagger caches its automaton per registry object; the registry's problems refuse the
    conversion in one line.
    """
    try:
        return load_registry(path)
    except RegistryError as exc:
        more = f" (and {len(exc.messages) - 1} more)" if len(exc.messages) > 1 else ""
        raise ConversionError(f"invalid registry: {exc.messages[0]}{more}") from None


def convert_file(path: Path, options: Options) -> Converted:
    """Read, decode and convert one file."""
    return convert_source(load(path), options)
