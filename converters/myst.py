"""The one MyST Markdown writer: an :class:`~converters.model.Article` in, a ``.md`` page out.

Rendering is a mapping from node type to a small pure function, as mdformat does. Every piece
of source text goes through :func:`escape`, so nothing a source says can become live Markdown,
MyST or HTML in the edition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from .common.markup import escape, escape_line_start, is_safe_link, option_value, safe_url
from .common.validate import language_problem, url_problem
from .model import (
    FRONT_MATTER_FIELDS,
    LIST_OF_MAPPINGS,
    LIST_OF_STR,
    Article,
    Block,
    BulletList,
    ConversionError,
    Editorial,
    EditorialNote,
    Emphasis,
    Figure,
    Heading,
    Inline,
    LineBreak,
    Link,
    Mention,
    Paragraph,
    ParallelPair,
    Removal,
    Strong,
    Text,
)

#: Front-matter keys, in the order they are written; every key is always present (keys and
#: order are the model's one declaration, :data:`~converters.model.FRONT_MATTER_FIELDS`).
FRONT_MATTER_KEYS: tuple[str, ...] = tuple(f.key for f in FRONT_MATTER_FIELDS)

# --------------------------------------------------------------------------- context


@dataclass
class Context:
    """What rendering an article accumulates: footnotes numbered by first use of each URL."""

    footnotes: dict[str, int] = field(default_factory=dict)

    def footnote(self, url: str) -> int:
        """The footnote number for a URL, allocating the next one on first use."""
        key = safe_url(url)
        if key not in self.footnotes:
            self.footnotes[key] = len(self.footnotes) + 1
        return self.footnotes[key]


# --------------------------------------------------------------------------- inlines


def render_text(node: Text, _ctx: Context) -> str:
    """Running text, escaped."""
    return escape(node.text)


def render_emphasis(node: Emphasis, ctx: Context) -> str:
    """Emphasis; empty emphasis is dropped (``<i></i>`` in a source)."""
    inner = render_inlines(node.children, ctx)
    return f"*{inner}*" if inner.strip() else inner


def render_strong(node: Strong, ctx: Context) -> str:
    """Strong emphasis; empty ones (seed 000 has ``<b></b>``) are dropped."""
    inner = render_inlines(node.children, ctx)
    return f"**{inner}**" if inner.strip() else inner


def render_link(node: Link, ctx: Context) -> str:
    """The link text inline, then a numbered footnote holding the URL."""
    inner = render_inlines(node.children, ctx)
    if not is_safe_link(node.url):
        return inner
    return f"{inner}[^{ctx.footnote(node.url)}]"


def render_mention(node: Mention, _ctx: Context) -> str:
    """A tagged mention as a role; text that cannot sit inside a role stays plain."""
    if any(c in node.text for c in "`<>\n") or not node.text.strip():
        return escape(node.text)
    role = "ent" if node.kind == "entity" else "date"
    return f"{{{role}}}`{node.text} <{node.target}>`"


def render_linebreak(_node: LineBreak, _ctx: Context) -> str:
    """A hard line break (CommonMark's backslash form, which survives editors trimming spaces)."""
    return "\\\n"


_INLINE_RENDERERS: dict[type, Callable[[Any, Context], str]] = {
    Text: render_text,
    Emphasis: render_emphasis,
    Strong: render_strong,
    Link: render_link,
    Mention: render_mention,
    LineBreak: render_linebreak,
}


#: A footnote reference the writer made, and what after it would make it a link's text
#: (``[^27](1945-87)``) or a footnote's definition (``[^1]: …`` at a line's start). The text's
#: own brackets are escaped, so an unescaped ``[^N]`` is always a reference of ours.
_BEFORE_SYNTAX = re.compile(r"(\[\^\d+\])(?=[(:])")


def render_inlines(inlines: list[Inline], ctx: Context) -> str:
    """Render a run of inlines and protect the start of every resulting line."""
    raw = "".join(_INLINE_RENDERERS[type(node)](node, ctx) for node in inlines)
    raw = _BEFORE_SYNTAX.sub(r"\1\\", raw)
    lines = raw.split("\n")
    return "\n".join(escape_line_start(line) for line in lines).strip()


# --------------------------------------------------------------------------- blocks


def _target(label: str) -> str:
    return f"({label})=\n" if label else ""


def render_paragraph(node: Paragraph, ctx: Context) -> str:
    """A paragraph with its citation target."""
    return _target(node.label) + render_inlines(node.inlines, ctx)


def render_heading(node: Heading, ctx: Context) -> str:
    """A section heading; ``#`` is escaped everywhere in it, or a trailing one would vanish."""
    text = render_inlines(node.inlines, ctx).replace("\\\n", " ").replace("#", "\\#")
    return _target(node.label) + "#" * max(2, min(node.level, 6)) + " " + text


def render_figure(node: Figure, ctx: Context) -> str:
    """A figure with caption and credit; a figure whose image is not a web URL keeps only text."""
    caption = render_inlines(node.caption, ctx)
    credit_text = render_inlines(node.credit, ctx)
    credit = f"Credit: {credit_text}" if credit_text else ""
    body = "\n\n".join(p for p in (caption, credit) if p)
    if node.image and node.image.lower().startswith(("http://", "https://")):
        lines = [f":::{{figure}} {safe_url(node.image)}"]
        if node.label:
            lines.append(f":name: {node.label}")
        if node.language:
            lines.append(f":figclass: language-{node.language}")
        if (node.alt or "").strip():
            lines.append(f":alt: {option_value(node.alt)}")
        # A figure directive needs a caption paragraph before its legend; with no caption
        # the credit becomes the caption rather than inventing one.
        return "\n".join(lines) + ("\n\n" + body if body else "") + "\n:::"
    lang = f" language-{node.language}" if node.language else ""
    lines = [f":::{{container}} figure text-figure{lang}"]
    if node.label:
        lines.append(f":name: {node.label}")
    return "\n".join(lines) + "\n\n" + body + "\n:::"


def render_list(node: BulletList, ctx: Context) -> str:
    """A bulleted list; continuation lines are indented under their item."""
    items = []
    for item in node.items:
        text = render_inlines(item, ctx).replace("\n", "\n  ")
        items.append(f"- {text}")
    return _target(node.label) + "\n".join(items)


def render_parallel(node: ParallelPair, ctx: Context) -> str:
    """An aligned pair as two language-classed containers inside a ``parallel`` container."""
    lines = ["::::{container} parallel"]
    if node.label:
        lines.append(f":name: {node.label}")
    lines.append("")
    for para, lang in ((node.left, node.left_language), (node.right, node.right_language)):
        lines.append(f":::{{container}} language-{lang}")
        lines.append(render_inlines(para.inlines, ctx))
        lines.append(":::")
        lines.append("")
    lines.append("::::")
    return "\n".join(lines)


def render_note(node: EditorialNote, _ctx: Context) -> str:
    """An editorial note, visibly the editors' and not the source's."""
    text = "\n\n".join(escape_line_start(escape(para)) for para in node.text.split("\n\n"))
    return ":::{admonition} Editorial note\n:class: editorial-note\n\n" + text + "\n:::"


_BLOCK_RENDERERS: dict[type, Callable[[Any, Context], str]] = {
    Paragraph: render_paragraph,
    Heading: render_heading,
    Figure: render_figure,
    BulletList: render_list,
    ParallelPair: render_parallel,
    EditorialNote: render_note,
}

# --------------------------------------------------------------------------- labels

def assign_labels(article: Article) -> None:
    """Give the article's blocks positional labels: ``<slug>-pN``, ``-sN``, ``-fN``.

    Positions are counted in document order, so the same input always gets the same labels.
    """
    counters = {"p": 0, "s": 0, "f": 0}

    def nxt(kind: str) -> str:
        counters[kind] += 1
        return f"{article.slug}-{kind}{counters[kind]}"

    for block in article.blocks:
        if isinstance(block, (Paragraph, BulletList, ParallelPair)):
            block.label = nxt("p")
        elif isinstance(block, Heading):
            block.label = nxt("s")
        elif isinstance(block, Figure):
            block.label = nxt("f")


# --------------------------------------------------------------------------- article


def _editorial_entry(entry: Editorial) -> dict[str, Any]:
    """An ``editorial`` entry of the front matter."""
    written = {"field": entry.field, "value": entry.value, "reason": entry.reason}
    if entry.role:
        written["role"] = entry.role
    return written


def _removal_entry(removal: Removal) -> dict[str, Any]:
    """A ``removed`` entry of the front matter: what kind, why, and how long."""
    # The removed text itself is not copied into the page: it is boilerplate (paywall
    # notices, other articles' titles) that must not become part of the article's text.
    # The seed keeps it; the record says what kind it was, why, and how long.
    return {"kind": removal.kind, "reason": removal.reason, "chars": len(removal.text)}


#: How the entries of each list-of-mappings field are written.
_ENTRY_WRITERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "editorial": _editorial_entry,
    "removed": _removal_entry,
}


def front_matter(article: Article) -> dict[str, Any]:
    """The article's front matter, every key present, in a fixed order."""
    data: dict[str, Any] = {}
    for spec in FRONT_MATTER_FIELDS:
        value = getattr(article if spec.on_article else article.meta, spec.name)
        if spec.spec.kind == LIST_OF_MAPPINGS:
            value = [_ENTRY_WRITERS[spec.key](entry) for entry in value]
        elif spec.spec.kind == LIST_OF_STR:
            value = list(value)
        data[spec.key] = value
    for key, value in sorted(article.meta.extra.items()):
        data.setdefault(key, value)
    return data


#: libyaml's emitter, when PyYAML was built with it: several times faster than the
#: pure-Python one, and writing the same bytes for the data :func:`_same_in_libyaml` admits.
_FAST_DUMPER: type[Any] | None = getattr(yaml, "CSafeDumper", None)

#: Text both emitters write alike: printable BMP characters other than the no-break space,
#: the byte-order mark and the Unicode line/paragraph separators; no line breaks. libyaml
#: escapes characters beyond the BMP, and folds quoted text around escapes and line breaks,
#: differently from PyYAML's own emitter.
_SAME_IN_BOTH = re.compile("[\x20-\x7e\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]*")

#: Longer mapping keys may become complex ``? key`` entries in one emitter and not the other.
_MAX_SAME_KEY = 60

_YAML_OPTIONS: dict[str, Any] = {
    "allow_unicode": True, "sort_keys": False, "default_flow_style": False, "width": 100,
}


def _same_in_libyaml(value: object) -> bool:
    """Whether libyaml's emitter writes a value byte for byte as PyYAML's does."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SAME_IN_BOTH.fullmatch(item) is None:
                return False
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str) or len(key) > _MAX_SAME_KEY:
                    return False
                stack.extend((key, child))
        elif isinstance(item, list):
            stack.extend(item)
        elif not (item is None or type(item) in (bool, int)):
            return False
    return True


def dump_yaml(data: dict[str, Any]) -> str:
    """YAML through a real emitter, so any title or text survives quoting."""
    if _FAST_DUMPER is not None and _same_in_libyaml(data):
        return yaml.dump(data, Dumper=_FAST_DUMPER, **_YAML_OPTIONS)
    return yaml.safe_dump(data, **_YAML_OPTIONS)


def write(article: Article) -> str:
    """Render one article as a complete MyST page (front matter, title, body, footnotes)."""
    return render(article)[0]


def validate(article: Article) -> None:
    """Refuse what must not reach a page.

    That is a language outside the allow-list (it goes into ``<html lang>``, class names and
    LaTeX) or a metadata URL that is not http(s).
    """
    m = article.meta
    tags = list(m.language)
    for block in article.blocks:
        if isinstance(block, Figure) and block.language:
            tags.append(block.language)
        elif isinstance(block, ParallelPair):
            tags.extend((block.left_language, block.right_language))
    for tag in tags:
        if language_problem(tag):
            raise ConversionError(f"article {article.slug}: {language_problem(tag)}")
    for name in ("source_url", "original_url"):
        value = getattr(m, name)
        if value and url_problem(value):
            raise ConversionError(f"article {article.slug}: {name} {value[:60]!r}: "
                                  f"{url_problem(value)}")


def render(article: Article) -> tuple[str, Context]:
    """Render one article; also return the context (its footnotes, for the summary)."""
    validate(article)
    ctx = Context()
    title = article.meta.title or f"[Untitled: {article.meta.seed or article.slug}]"
    parts = [
        "---\n" + dump_yaml(front_matter(article)) + "---",
        f"({article.slug})=\n# " + escape_line_start(escape(title)).replace("#", "\\#"),
    ]
    for block in article.blocks:
        rendered = _BLOCK_RENDERERS[type(block)](block, ctx)
        if rendered.strip():
            parts.append(rendered)
    if ctx.footnotes:
        parts.append("\n".join(f"[^{n}]: <{url}>" for url, n in ctx.footnotes.items()))
    return "\n\n".join(parts) + "\n", ctx


def count_blocks(article: Article, kind: type[Block]) -> int:
    """How many blocks of one kind an article has (for the conversion summary)."""
    return sum(isinstance(b, kind) for b in article.blocks)
