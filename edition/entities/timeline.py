"""The timeline: dated mentions by year, drawn as an SVG bar chart, and a chronology by date.

A generated page ``<edition_generated>/timeline.md`` holds a ``{timeline}`` directive. When the
page is resolved, the directive becomes a sentence saying what the timeline holds — its first
and last year, its dated mentions and publication dates, all counted from the domain
(:func:`timeline_summary`) — then, in HTML, an inline SVG (written by hand: one row per year
from the first to the last, its bar as long as the number of dated mentions, each year listed
below a link to its list) and, in other formats (LaTeX/PDF), a table of the same counts; then
every date with an anchor (``date-<ISO>``, where date mentions and the dates index point), the
articles published that day ("published: <title>"), and each dated mention in its sentence,
linked to its paragraph (with an ellipsis where the sentence runs beyond what the mention
keeps of its paragraph).
"""
from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from docutils import nodes

from converters.common.dates import date_words
from edition.article.placeholders import PlaceholderDirective, listing
from edition.entities.domain import EntityDomain, date_anchor, entity_domain, year_anchor
from edition.entities.pages import heading, mentions_block
from edition.security.files import write_if_changed

if TYPE_CHECKING:
    from docutils.nodes import Node
    from sphinx.application import Sphinx

#: Builders that get the SVG chart; others (LaTeX, EPUB, whose manifest would have to declare
#: inline SVG) get the table.
SVG_BUILDERS: tuple[str, ...] = ("html", "dirhtml", "singlehtml")

#: Chart geometry, in SVG user units: one row per year, bars running right. The chart is
#: drawn at most :data:`CHART_WIDTH` units wide and scales down with the column, so the
#: labels stay legible on a phone (15 units at 390 px is about 13 px).
CHART_WIDTH = 400
ROW_HEIGHT = 22
BAR_HEIGHT = 16
LABEL_WIDTH = 48
COUNT_WIDTH = 36
FONT_SIZE = 15
MARGIN = 4


class timeline_chart(listing):  # lower case, as docutils names nodes
    """Placeholder for the timeline, filled when the page is resolved."""


def timeline_page_source() -> str:
    """The MyST text of the timeline page."""
    return (
        "(edition-timeline)=\n# Timeline\n\n"
        "A chronology across the texts: every date they mention, by year, with the sentence "
        "that mentions it and a link to its paragraph, and the date each text was published "
        "(“published:” and its title).\n\n"
        "```{timeline}\n```\n"
    )


def date_reading(iso: str) -> str:
    """An ISO date in words: ``year``, ``July 2020``, ``21 January 2025``."""
    return date_words(iso) if "-" in iso else "year"


def write_timeline_page(app: Sphinx) -> None:
    """Generate the timeline page (``builder-inited``)."""
    path = Path(app.srcdir) / f"{entity_domain(app.env).timeline_docname()}.md"
    write_if_changed(path, timeline_page_source())


class TimelineSummary(NamedTuple):
    """What the timeline holds, counted from the domain: its years, its dates and mentions."""

    #: The first and the last year of the dates listed (mentioned or of a publication).
    first: str
    last: str
    #: Dated mentions in the texts, and the distinct dates they name.
    mentions: int
    mentioned_dates: int
    #: Texts whose publication date is listed.
    publications: int


def timeline_summary(domain: EntityDomain) -> TimelineSummary | None:
    """The timeline's range and counts (``None`` when there is no date at all)."""
    dates = domain.dates()
    if not dates:
        return None
    mentions = domain.all_mentions("date")
    return TimelineSummary(dates[0][:4], dates[-1][:4], len(mentions),
                           len({m.target for m in mentions}), len(domain.publications))


def plural(count: int, noun: str) -> str:
    """``1 date``, ``2 dates``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_text(summary: TimelineSummary) -> str:
    """The timeline in one sentence: its years, its dated mentions, its publications."""
    years = summary.first if summary.first == summary.last else \
        f"{summary.first} to {summary.last}"
    parts = [f"From {years}: {plural(summary.mentions, 'dated mention')} of "
             f"{plural(summary.mentioned_dates, 'date')} in the texts"]
    if summary.publications:
        parts.append(f"the publication dates of {plural(summary.publications, 'text')}")
    return ", and ".join(parts) + "."


def year_counts(domain: EntityDomain) -> dict[str, int]:
    """Dated mentions per year, for every year of the timeline (years without are 0).

    The years run from the first to the last date listed, publications included, so that the
    chart spans every year that has a section below it.
    """
    summary = timeline_summary(domain)
    if summary is None:
        return {}
    counts = Counter(m.target[:4] for m in domain.all_mentions("date"))
    return {str(year): counts.get(str(year), 0)
            for year in range(int(summary.first), int(summary.last) + 1)}


def timeline_svg(counts: dict[str, int], listed: set[str], description: str) -> str:
    """Mentions per year as bars, a row per year; a year listed below links to its list."""
    peak = max(counts.values(), default=0) or 1
    height = MARGIN * 2 + len(counts) * ROW_HEIGHT
    room = CHART_WIDTH - LABEL_WIDTH - COUNT_WIDTH - MARGIN * 2
    # role="group", not "img": an image's children are hidden from assistive technology, and
    # the bars are links.
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="edition-timeline" role="group" '
        # Scales down with the column, never up beyond its natural size.
        f'viewBox="0 0 {CHART_WIDTH} {height}" '
        f'style="width:100%;max-width:{CHART_WIDTH}px;height:auto" '
        f'aria-labelledby="timeline-title timeline-desc">',
        '<title id="timeline-title">Dated mentions by year</title>',
        f'<desc id="timeline-desc">{escape(description)}</desc>',
        f'<line x1="{MARGIN + LABEL_WIDTH}" y1="{MARGIN}" x2="{MARGIN + LABEL_WIDTH}" '
        f'y2="{height - MARGIN}" stroke="currentColor" stroke-width="1"/>',
    ]
    for i, (year, count) in enumerate(counts.items()):
        top = MARGIN + i * ROW_HEIGHT
        baseline = top + ROW_HEIGHT - (ROW_HEIGHT - FONT_SIZE) // 2 - 2
        mark = (
            f'<text x="{MARGIN + LABEL_WIDTH - 6}" y="{baseline}" text-anchor="end" '
            f'font-size="{FONT_SIZE}" fill="currentColor">{year}</text>'
        )
        if count:
            bar = max(2, round(room * count / peak))
            x = MARGIN + LABEL_WIDTH
            y = top + (ROW_HEIGHT - BAR_HEIGHT) // 2
            mark = (
                f'<rect x="{x}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
                f'fill="currentColor" opacity="0.6"><title>{year}: {count} mention(s)</title>'
                f'</rect><text x="{x + bar + 4}" y="{baseline}" font-size="{FONT_SIZE}" '
                f'fill="currentColor">{count}</text>{mark}'
            )
        if year in listed:
            href = escape(f"#{year_anchor(year)}", quote=True)
            mark = f'<a href="{href}" aria-label="{year}: {count} mention(s)">{mark}</a>'
        parts.append(f"<g>{mark}</g>")
    parts.append("</svg>")
    return "".join(parts)


def counts_table(counts: dict[str, int]) -> nodes.table:
    """The chart as a table, for formats without SVG (LaTeX/PDF)."""
    table = nodes.table(classes=["edition-timeline"])
    group = nodes.tgroup(cols=2)
    table += group
    group += nodes.colspec(colwidth=1)
    group += nodes.colspec(colwidth=1)

    def row(*cells: str) -> nodes.row:
        return nodes.row(
            "", *(nodes.entry("", nodes.paragraph(cell, cell)) for cell in cells)
        )

    group += nodes.thead("", row("Year", "Dated mentions"))
    group += nodes.tbody("", *(row(year, str(count)) for year, count in counts.items() if count))
    return table


def date_list(app: Sphinx, domain: EntityDomain, docname: str) -> list[Node]:
    """Every date by year, with its anchor and the mentions of it."""
    result: list[Node] = []
    year = ""
    for iso in domain.dates():
        if iso[:4] != year:
            year = iso[:4]
            rubric = heading(year)
            result.append(nodes.target("", "", ids=[year_anchor(year)]))
            result.append(rubric)
        result.append(nodes.target("", "", ids=[date_anchor(iso)]))
        reading = f" ({date_reading(iso)})"
        para = nodes.paragraph(
            "", "", nodes.strong(iso, iso), nodes.Text(reading), classes=["timeline-date"]
        )
        result.append(para)
        result.extend(mentions_block(app, domain, docname, iso, "date"))
    return result


class TimelineDirective(PlaceholderDirective):
    """``{timeline}``: the chart and the list of dates, made when the page is resolved."""

    placeholder = timeline_chart


def fill_timeline(app: Sphinx, doctree: nodes.document, _docname: str) -> None:
    """Replace the ``{timeline}`` placeholder (``doctree-resolved``)."""
    domain = entity_domain(app.env)
    for node in list(doctree.findall(timeline_chart)):
        summary = timeline_summary(domain)
        if summary is None:
            node.replace_self(nodes.paragraph("", "No dates are mentioned."))
            continue
        counts = year_counts(domain)
        description = summary_text(summary)
        if app.builder.name in SVG_BUILDERS:
            listed = {iso[:4] for iso in domain.dates()}
            chart: Node = nodes.raw("", timeline_svg(counts, listed, description), format="html")
        else:
            chart = counts_table(counts)
        wrapper = nodes.container("", chart, classes=["edition-timeline-chart"])
        intro = nodes.paragraph("", description, classes=["timeline-summary"])
        # Links are made from the placeholder's own document (LaTeX resolves the whole book
        # under the root document's name).
        node.replace_self([intro, wrapper, *date_list(app, domain, node["docname"])])


def setup_timeline(app: Sphinx) -> None:
    """Register the timeline page, directive and its resolution."""
    app.add_node(timeline_chart)
    app.add_directive("timeline", TimelineDirective)
    app.connect("builder-inited", write_timeline_page, priority=500)
    app.connect("doctree-resolved", fill_timeline)
