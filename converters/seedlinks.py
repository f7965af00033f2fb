"""The words a seed links, per article and address: what a source-link note repeats.

The converter writes a source's link as a footnote holding the bare address (``[^3]: <url>``);
the words the source linked stay in the running text. The edition's link notes repeat those
words, read again from the seed here, so the committed articles need not change. The extension
never imports this module: a project hands :func:`linked_words` to it in ``conf.py``
(``edition_link_words``), as ``sphinx.ext.linkcode`` takes ``linkcode_resolve`` — the two halves
of the toolkit meet in the project's configuration, not in the extension's code.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .common.markup import safe_url
from .model import ConversionError, article_links, plain_text
from .pipeline import Options, convert_file


@lru_cache(maxsize=64)
def _linked_words(seed: str, _mtime_ns: int, editorial: str) -> dict[str, dict[str, str]]:
    options = Options(editorial=Path(editorial) if editorial else None, registry=None, tag=False)
    try:
        converted = convert_file(Path(seed), options)
    except (ConversionError, OSError, ValueError):
        return {}
    found: dict[str, dict[str, str]] = {}
    for article in converted.articles:
        words = found.setdefault(article.slug, {})
        for link in article_links(article):
            text = " ".join(plain_text(link.children).split())
            if text:
                words.setdefault(safe_url(link.url), text)
    return found


def linked_words(seed: Path, editorial: Path) -> dict[str, dict[str, str]]:
    """Per article slug of a seed, the words of each link by its address (first link wins).

    ``{}`` when the seed cannot be converted; the editorial data is used when it exists.
    Converted once per version of the seed (its modification time is part of the cache key).
    """
    return _linked_words(str(seed), seed.stat().st_mtime_ns,
                         str(editorial) if editorial.is_file() else "")
