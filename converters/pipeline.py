"""The conversion pipeline: source file -> reader -> editorial passes -> MyST pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import editorial, myst
from .dates import tag_dates
from .model import Article, ConversionError, Figure, Source
from .names import name_case
from .readers import HTML_READERS, check_complete, detect
from .registry import Registry, RegistryError, load_registry
from .reimport import write_atomic
from .sources import load
from .tagging import tag_article

#: The project root (the folder holding ``converters/`` and ``docs/``).
ROOT = Path(__file__).resolve().parents[1]
#: Editorial decisions (splits, titles, inferred metadata), keyed by seed file name.
DEFAULT_EDITORIAL = ROOT / "docs" / "_data" / "editorial.yaml"
#: The entity registry.
DEFAULT_REGISTRY = ROOT / "docs" / "_data" / "registry.yaml"


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
    if reader in HTML_READERS:
        check_complete(source.text)
    articles = reader.read(source)
    if not articles:
        raise ConversionError(f"no article found in this {reader.FORMAT} input")
    for article in articles:
        article.meta.seed = source.name
        article.meta.seed_sha256 = source.sha256
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
        name = f"{article.slug}.md"
        if name in result.pages:
            raise ConversionError(f"two articles share the slug {article.slug!r}")
        result.pages[name] = text
        result.footnotes += len(ctx.footnotes)
    return result


def _tag(article: Article, options: Options) -> None:
    """Mark entity and date mentions (the registry and date passes plug in here)."""
    if options.registry is not None and options.registry.exists():
        registry = options.registry
        tag_article(article, _registry(registry, registry.stat().st_mtime_ns))
    tag_dates(article)


@lru_cache(maxsize=4)
def _editorial(path: Path, mtime_ns: int) -> editorial.EditorialData:
    """The editorial data, parsed once per version of the file, not once per input."""
    return editorial.load(path)


@lru_cache(maxsize=4)
def _registry(path: Path, mtime_ns: int) -> Registry:
    """The registry, loaded once per version of the file (the tagger caches its automaton per
    registry object); its problems refuse the conversion in one line."""
    try:
        return load_registry(path)
    except RegistryError as exc:
        more = f" (and {len(exc.messages) - 1} more)" if len(exc.messages) > 1 else ""
        raise ConversionError(f"invalid registry: {exc.messages[0]}{more}") from None


def convert_file(path: Path, options: Options) -> Converted:
    """Read, decode and convert one file."""
    return convert_source(load(path), options)


def write_pages(result: Converted, out_dir: Path) -> list[Path]:
    """Write a result's pages into ``out_dir``; return the paths written."""
    written = []
    for name, text in result.pages.items():
        target = out_dir / name
        write_atomic(target, text)
        written.append(target)
    return written
