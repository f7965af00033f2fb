"""Robust links: a source's link footnote names the site, wraps its address, offers an archive.

A footnote that holds nothing but a bare address (the converter's form, ``[^3]: <url>``) is
shown as the site's name, the full address — broken only after ``/``, ``.``, ``?``, ``&``,
``=``, ``-`` or ``_`` in the web edition — and a link to the Internet Archive's copy nearest to
the article's date (``https://web.archive.org/web/<YYYYMMDD>/<url>``), with the Robust Links
attributes ``data-versionurl``/``data-originalurl`` and ``data-versiondate``. Nothing is
fetched: the archive address is made from the date alone.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from docutils import nodes
from sphinx.transforms import SphinxTransform

from .article import get_front_matter

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.writers.html5 import HTML5Translator

#: The Wayback Machine's address of a page archived nearest to a moment.
WAYBACK = "https://web.archive.org/web/{stamp}/{url}"
#: Where a long address may break in the web edition: after these characters.
BREAK_AFTER = re.compile(r"(?<=[/.?&=_-])")
#: The words of the archive link.
ARCHIVE_TEXT = "archived copy"


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

    def apply(self, **kwargs: Any) -> None:
        """Rewrite the footnotes of an article."""
        meta = get_front_matter(self.env, self.env.docname)
        if meta is None:
            return
        stamp = wayback_stamp(str(meta.get("date") or ""))
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
            node = robust_link("", url=url, stamp=stamp, archive=archive, site=site)
            node += nodes.Text(f"{site}: ")
            node += nodes.reference(url, url, refuri=url)
            node += nodes.Text(" (")
            node += nodes.reference(ARCHIVE_TEXT, ARCHIVE_TEXT, refuri=archive)
            node += nodes.Text(")")
            ref.replace_self(node)


def setup_robustlinks(app: Sphinx) -> None:
    """Register the robust links."""
    app.add_node(robust_link, html=(visit_robust_link_html, None),
                 latex=(visit_plain, depart_plain),
                 text=(visit_plain, depart_plain), man=(visit_plain, depart_plain),
                 texinfo=(visit_plain, depart_plain))
    app.add_transform(MakeLinksRobust)
