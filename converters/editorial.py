"""Editorial decisions applied to what the readers produced, from ``docs/_data/editorial.yaml``.

The data says, per seed file: which articles come out of it (when one file runs several
texts together, each article is a list of line ranges, named by the text of their first and
last lines), the slug of each, the metadata values the source leaves unsaid (each with its
reason), and the editors' own words for the note placed at the top of the article.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass

from .common.editorial_data import (
    MOVED_MARK,
    QUOTE_LENGTH,
    ArticlePlan,
    EditorialData,
    LineRange,
)
from .model import (
    Article,
    Block,
    BulletList,
    Editorial,
    EditorialNote,
    Inline,
    Source,
    block_texts,
    plain_text,
)


def apply(articles: list[Article], source: Source, data: EditorialData) -> list[Article]:
    """The articles as the editors decided for this seed (unchanged when it has no entry)."""
    plans = data.seeds.get(source.name)
    if not plans:
        return articles
    if plans[0].ranges:
        if len(articles) != 1:
            raise data.error(
                source.name, f"a split needs one article to divide, got {len(articles)}"
            )
        result = _split(articles[0], plans, source, data)
    else:
        if len(plans) != len(articles):
            raise data.error(
                source.name,
                f"{len(plans)} article(s) in the data but {len(articles)} from the reader",
            )
        result = articles
        for article, plan in zip(result, plans, strict=True):
            if plan.note:
                article.blocks.insert(0, EditorialNote(plan.note))
    for article, plan in zip(result, plans, strict=True):
        if plan.slug:
            article.slug = plan.slug
        _supply_metadata(article, plan, source, data)
    return result


def _supply_metadata(
    article: Article, plan: ArticlePlan, source: Source, data: EditorialData
) -> None:
    """Put each editorial value into the metadata and record it, reason included."""
    for entry in plan.metadata:
        stated = getattr(article.meta, entry.field)
        # Even an equal value is refused: it would be listed as the editors' when it is not.
        if stated:
            raise data.error(
                source.name,
                f"{entry.field} is stated by the source ({stated!r}); "
                "editorial values only supply what the source leaves unsaid",
            )
        setattr(article.meta, entry.field, copy.copy(entry.value))
        article.editorial.append(
            Editorial(entry.field, copy.copy(entry.value), entry.reason, entry.role))


@dataclass
class _Unit:
    """The smallest piece a split moves: a block, or one item of a list (lists may be cut)."""

    block: Block
    item: list[Inline] | None
    line: int  #: 1-based number of the seed line the piece begins on

    @property
    def text(self) -> str:
        """The piece's first reader-visible text, by which it is found in the seed."""
        if self.item is not None:
            return plain_text(self.item)
        texts = [t for t in block_texts(self.block) if t]
        return texts[0] if texts else ""


def _units(article: Article, lines: list[str], data: EditorialData, seed: str) -> list[_Unit]:
    """The article's pieces in order, each tied to the seed line it comes from.

    Readers keep the seed's order and each piece starts on a line of its own, so every piece
    is looked for in the lines after the previous piece's line.
    """
    pieces: list[tuple[Block, list[Inline] | None]] = []
    for block in article.blocks:
        if isinstance(block, BulletList):
            pieces.extend((block, item) for item in block.items)
        else:
            pieces.append((block, None))
    units: list[_Unit] = []
    cursor = 0
    for block, item in pieces:
        unit = _Unit(block, item, 0)
        text = unit.text
        while cursor < len(lines) and text not in lines[cursor]:
            cursor += 1
        if cursor == len(lines):
            raise data.error(seed, f"cannot find {_quote(text)} in the seed's lines")
        cursor += 1
        unit.line = cursor
        units.append(unit)
    return units


def _find_line(lines: list[str], start: str, what: str, data: EditorialData, seed: str) -> int:
    """The 1-based number of the only line beginning with ``start``."""
    hits = [n for n, line in enumerate(lines, 1) if line.strip().startswith(start)]
    if not hits:
        raise data.error(seed, f"no line begins with {what} {start!r}")
    if len(hits) > 1:
        listed = ", ".join(map(str, hits))
        raise data.error(seed, f"{what} {start!r} begins lines {listed}: quote more of the line")
    return hits[0]


def _split(
    article: Article, plans: list[ArticlePlan], source: Source, data: EditorialData
) -> list[Article]:
    """Divide one article into the planned ones; every piece must land in exactly one."""
    lines = source.text.splitlines()
    units = _units(article, lines, data, source.name)
    owner: dict[int, int] = {}  # unit index -> plan index
    spans: list[list[tuple[int, int, LineRange]]] = []
    for p, plan in enumerate(plans):
        plan_spans = []
        for span in plan.ranges:
            first = _find_line(lines, span.first, "range start", data, source.name)
            last = _find_line(lines, span.last, "range end", data, source.name)
            if last < first:
                raise data.error(source.name, f"range {span.first!r} ends before it begins")
            plan_spans.append((first, last, span))
            for u, unit in enumerate(units):
                if first <= unit.line <= last:
                    if u in owner:
                        other = plans[owner[u]].slug
                        raise data.error(
                            source.name, f"line {unit.line} is in both {other!r} and {plan.slug!r}"
                        )
                    owner[u] = p
        spans.append(plan_spans)
    orphans = [unit for u, unit in enumerate(units) if u not in owner]
    if orphans:
        raise data.error(
            source.name,
            f"{len(orphans)} line(s) belong to no article, first line {orphans[0].line}: "
            f"{_quote(orphans[0].text)}",
        )
    result = []
    for plan, plan_spans in zip(plans, spans, strict=True):
        blocks: list[Block] = [EditorialNote(_split_note(plan, plan_spans))]
        for first, last, span in plan_spans:
            if span.moved:
                # Readers meet the moved passage where it now stands, so it is marked there too.
                blocks.append(EditorialNote(MOVED_MARK))
            blocks.extend(_regroup([unit for unit in units if first <= unit.line <= last]))
        piece = Article(
            slug=plan.slug,
            meta=copy.deepcopy(article.meta),
            blocks=blocks,
            editorial=copy.deepcopy(article.editorial),
        )
        result.append(piece)
    # What the reader removed belongs to the seed as a whole; the first article records it.
    result[0].removed = list(article.removed)
    return result


def _regroup(units: list[_Unit]) -> Iterator[Block]:
    """Blocks again from pieces: consecutive items of one source list make one list."""
    current: BulletList | None = None
    origin: Block | None = None
    for unit in units:
        if unit.item is None:
            current = origin = None
            yield unit.block
        elif current is not None and origin is unit.block:
            current.items.append(unit.item)
        else:
            current, origin = BulletList(items=[unit.item]), unit.block
            yield current


def _split_note(plan: ArticlePlan, spans: list[tuple[int, int, LineRange]]) -> str:
    """The note at the top of a split-off article: what the source is, what moved, the title.

    In a reader's words: the source's file name and line numbers are on the Editorial method
    page (generated from the same data), not in the text.
    """
    parts = [
        "The source runs several texts together, without titles or any mark where one ends "
        "and the next begins. The editors have divided it; this is one of its texts (the "
        "page on the edition's editorial method shows where each begins and ends)."
    ]
    for _first, _last, span in spans:
        if span.moved:
            parts.append(f"Moved here: {span.moved}")
    for entry in plan.metadata:
        if entry.field == "title":
            parts.append(f"The title is editorial. {entry.reason}")
    if plan.note:
        parts.append(plan.note)
    return "\n\n".join(parts)




def _quote(text: str) -> str:
    """The beginning of a line, quoted."""
    text = text.strip()
    if len(text) > QUOTE_LENGTH:
        text = text[:QUOTE_LENGTH].rsplit(" ", 1)[0] + " …"
    return f"‘{text}’"
