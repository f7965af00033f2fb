"""Robust links: a source's link footnote names the site, wraps its address, offers an archive.

A footnote that holds nothing but a bare address (the converter's form, ``[^3]: <url>``) is
shown as the words the source linked (read again from the article's seed by the function the
project gives as ``edition_link_words``, so the committed articles need not change; left out
without one or when the seed is not at hand), the site's name, the full
address — broken only after ``/``, ``.``, ``?``, ``&``,
``=``, ``-`` or ``_`` in the web edition — and a link to the Internet Archive's copy nearest to
the article's date (``https://web.archive.org/web/<YYYYMMDD>/<url>``), with the Robust Links
attributes ``data-versionurl``/``data-originalurl`` and ``data-versiondate``. Nothing is
fetched: the archive address is made from the date alone.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms import SphinxTransform

from edition.article.frontmatter import get_article_meta

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

    from edition.article.record import ArticleMeta

#: The Wayback Machine's address of a page archived nearest to a moment.
WAYBACK = "https://web.archive.org/web/{stamp}/{url}"
#: Where a long address may break in the web edition: after these characters.
BREAK_AFTER = re.compile(r"(?<=[/.?&=_-])")
#: The words of the archive link.
ARCHIVE_TEXT = "archived copy"


#: Where the seeds are, relative to the configuration folder (docs/ beside seeds/).
DEFAULT_SEEDS = "../seeds"
#: How many words of a long link text the note repeats.
WORDS_LENGTH = 80


#: What a project hands the extension to read a seed's linked words (``edition_link_words``):
#: given the seed and the editorial data, per article slug the words of each link by address.
LinkWords = Callable[[Path, Path], dict[str, dict[str, str]]]


def linked_words(seeds: Path, meta: ArticleMeta, editorial: Path,
                 provider: LinkWords | None) -> dict[str, str]:
    """The words the source linked, by address, for one article (``{}`` without its seed).

    Read by ``provider`` (``edition_link_words``, in ``docs/conf.py`` the converters'
    :func:`converters.seedlinks.linked_words`); without one, a link note names no words.
    """
    name = meta.seed
    path = seeds / name
    if not name or "/" in name or not path.is_file():
        return {}
    found = provider(path, editorial) if provider is not None else {}
    return found.get(meta.label, {})


def _clip(text: str) -> str:
    return text if len(text) <= WORDS_LENGTH else text[: WORDS_LENGTH - 1].rstrip() + "…"


class robust_link(nodes.Inline, nodes.Element):
    """A source link with its site, its wrapped address and an archived copy."""


def wayback_stamp(date: str) -> str:
    """The digits of an ISO date (``2025-01-21…`` → ``20250121``), as precise as it is."""
    return "".join(re.findall(r"\d+", date[:10]))


def visit_robust_link_html(self: HTML5Translator, node: robust_link) -> None:
    """The link, every value escaped, the address broken at its separators."""
    url, stamp, archive = node["url"], node["stamp"], node["archive"]
    attr = html.escape
    # the scheme and host stay whole; the path breaks after its separators
    parts = urlsplit(url)
    head = f"{parts.scheme}://{parts.netloc}"
    rest = url[len(head):] if url.startswith(head) else url
    shown = html.escape(head if rest is not url else "") + "<wbr/>".join(
        html.escape(part) for part in BREAK_AFTER.split(rest))
    date = f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}".rstrip("-") if stamp else ""
    version = (f' data-versionurl="{attr(archive, quote=True)}"'
               f' data-versiondate="{attr(date, quote=True)}"') if date else ""
    words = node.get("words", "")
    if words:
        self.body.append(f'<span class="robust-words">“{html.escape(words)}”</span>, ')
    self.body.append(
        f'<span class="robust-site">{html.escape(node["site"])}</span>: '
        f'<a class="reference external robust-link" href="{attr(url, quote=True)}"'
        f' data-originalurl="{attr(url, quote=True)}"{version}>{shown}</a>'
        f' (<a class="reference external robust-archive" href="{attr(archive, quote=True)}"'
        f' data-originalurl="{attr(url, quote=True)}"'
        + (f' data-versiondate="{attr(date, quote=True)}"' if date else "")
        + f">{ARCHIVE_TEXT}</a>)")
    raise nodes.SkipNode


def visit_plain(self: Any, node: robust_link) -> None:
    """Other formats show the node's children (site, address, archived copy) as they are."""


def depart_plain(self: Any, node: robust_link) -> None:
    """Nothing to close."""


class MakeLinksRobust(SphinxTransform):
    """Turn each bare-address footnote of an article into a robust link."""

    default_priority = 510  # after the citation section (500), before sidenotes are made

    def apply(self, **_kwargs: Any) -> None:
        """Rewrite the footnotes of an article."""
        meta = get_article_meta(self.env, self.env.docname)
        if meta is None:
            return
        stamp = wayback_stamp(meta.date)
        seeds = Path(self.config.edition_seeds)  # absolute: resolve_seeds_path
        words_of: dict[str, str] | None = None
        for footnote in self.document.findall(nodes.footnote):
            paras = [c for c in footnote.children if isinstance(c, nodes.paragraph)]
            if len(paras) != 1 or len(paras[0].children) != 1:
                continue
            ref = paras[0].children[0]
            if not isinstance(ref, nodes.reference):
                continue
            url = str(ref.get("refuri", ""))
            parts = urlsplit(url)
            if ref.astext() != url or parts.scheme not in ("http", "https") or not parts.netloc:
                continue
            site = parts.netloc.removeprefix("www.")
            archive = WAYBACK.format(stamp=stamp, url=url) if stamp else \
                f"https://web.archive.org/web/{url}"
            if words_of is None:
                words_of = linked_words(seeds, meta, Path(self.config.edition_editorial),
                                        self.config.edition_link_words)
            words = _clip(words_of.get(url, ""))
            node = robust_link("", url=url, stamp=stamp, archive=archive, site=site, words=words)
            if words:
                node += nodes.Text(f"“{words}”, ")
            node += nodes.Text(f"{site}: ")
            node += nodes.reference(url, url, refuri=url)
            node += nodes.Text(" (")
            node += nodes.reference(ARCHIVE_TEXT, ARCHIVE_TEXT, refuri=archive)
            node += nodes.Text(")")
            ref.replace_self(node)


def resolve_seeds_path(app: Sphinx, config: Any) -> None:
    """Make ``edition_seeds`` absolute (given relative to the configuration folder)."""
    # a transform has no application to ask for the configuration folder (Sphinx 9)
    config.edition_seeds = str(Path(app.confdir, config.edition_seeds))


def setup_robustlinks(app: Sphinx) -> None:
    """Register the robust links and ``edition_seeds`` (the seeds, relative to docs/)."""
    app.add_node(robust_link, html=(visit_robust_link_html, None),
                 latex=(visit_plain, depart_plain),
                 text=(visit_plain, depart_plain), man=(visit_plain, depart_plain),
                 texinfo=(visit_plain, depart_plain))
    app.add_transform(MakeLinksRobust)
    app.connect("config-inited", resolve_seeds_path)
