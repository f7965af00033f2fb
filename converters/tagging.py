"""Entity tagging: turn registry names found in running text into entity mentions.

One Aho–Corasick automaton holds every registry name (and every ``not_entities`` phrase, as a
blocker) in folded form (:func:`converters.common.registry.fold`). The text of each
:class:`Text` node is
folded the same way, character for character, so a match's position in the folded text is its
position in the original: the mention keeps the source's own script and spelling while one
registry name finds 字节跳动 and 字節跳動 alike. Matching is leftmost-longest without overlaps, in
one pass over the text.
"""

from __future__ import annotations

from collections.abc import Callable

from .common.matching import find_mentions
from .common.registry import Registry
from .model import Article, Emphasis, Inline, Link, Mention, Strong, Text, inline_runs


def _merge_texts(run: list[Inline]) -> list[Inline]:
    """Adjacent :class:`Text` nodes joined, so a name split by a reader is still found."""
    merged: list[Inline] = []
    for node in run:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        else:
            merged.append(node)
    return merged


#: Finds mentions in a piece of plain text: (start, end, mention) triples, sorted, not overlapping.
MentionFinder = Callable[[str], list[tuple[int, int, Mention]]]


def rewrite_run(run: list[Inline], find: MentionFinder) -> None:
    """Replace matched stretches of :class:`Text` with mentions, in place.

    Existing mentions are left alone; emphasis, strong and link text is searched too.
    """
    out: list[Inline] = []
    for node in _merge_texts(run):
        if isinstance(node, Text):
            position = 0
            for start, end, mention in find(node.text):
                if start > position:
                    out.append(Text(node.text[position:start]))
                out.append(mention)
                position = end
            if position < len(node.text):
                out.append(Text(node.text[position:]))
        else:
            if isinstance(node, (Emphasis, Strong, Link)):
                rewrite_run(node.children, find)
            out.append(node)  # mentions and line breaks stay as they are
    run[:] = out


def tag_run(run: list[Inline], registry: Registry) -> None:
    """Mark registry names in one run of inlines, in place."""
    def find(text: str) -> list[tuple[int, int, Mention]]:
        return [(start, end, Mention(text=text[start:end], kind="entity", target=target))
                for start, end, target in find_mentions(text, registry)]

    rewrite_run(run, find)


def tag_article(article: Article, registry: Registry) -> None:
    """Mark every registry name in the article's running text as an entity mention."""
    for block in article.blocks:
        for run in inline_runs(block):
            tag_run(run, registry)
