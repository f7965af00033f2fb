"""The one MyST Markdown writer: an :class:`~converters.model.Article` in, a ``.md`` page out.

Rendering is a mapping from node type to a small pure function, as mdformat does. Every piece
of source text goes through :func:`escape`, so nothing a source says can become live Markdown,
MyST or HTML in the edition.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import yaml

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
from .validate import language_problem, url_problem

#: Front-matter keys, in the order they are written; every key is always present (keys and
#: order are the model's one declaration, :data:`~converters.model.FRONT_MATTER_FIELDS`).
FRONT_MATTER_KEYS: tuple[str, ...] = tuple(f.key for f in FRONT_MATTER_FIELDS)

#: MyST inline syntax the writer produces that is not the text's words, for readers of pages
#: (:func:`without_inline_markup`): a role (``{ent}`shown <target>```, group ``content`` all
#: between the backticks; :func:`role_parts` reads the shown text out of it) and a footnote
#: reference (``[^label]``). Each pattern matches up to its closing character, or to where
#: one is missing: a try that fails there is not made again from every ``[^`` or space before
#: it (``([^`]*?)\s*<…>`` and ``\[\^[^\]]+\]`` were quadratic on a role or reference left open).
ROLE = re.compile(r"\{[\w:-]+\}`(?P<content>[^`]*)`")
FOOTNOTE_REF = re.compile(r"\[\^(?P<label>[^\]]*)(?P<closed>\])?")
#: A target line ``(label)=`` and a directive's ``:name:`` option line (group ``label``; a name
#: as Sphinx reads it, inner spaces included): the two ways a page defines a label. The label
#: ends at its last non-space character, found by a greedy ``.*`` (a lazy one tried the spaces
#: after each character again).
TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
NAME_OPTION = re.compile(r"^:name:\s*(?P<label>\S(?:.*\S)?)\s*$")

#: Link schemes that may become footnotes; anything else (``javascript:``, ``data:``) is dropped.
SAFE_SCHEMES: tuple[str, ...] = ("http://", "https://", "mailto:")

#: The MyST extensions the edition enables: docs/conf.py, the test roots and the checks that
#: parse pages as Sphinx does all take this list, so a page parses the same everywhere. Each
#: is syntax a page may use (converters/allowlist.py says which kind of page): ``:::``
#: fences, ``[text]{.class}`` spans (in the MyST the extension writes) and ``{{ name }}``.
#: Nothing else: maths (``dollarmath``) and HTML images or admonitions are never parsed.
MYST_EXTENSIONS: tuple[str, ...] = ("colon_fence", "attrs_inline", "substitution")

# ASCII punctuation that is syntax somewhere inside a line in CommonMark or in the MyST
# extensions we enable: emphasis (* _), code and roles (`), links and footnotes ([ ]), raw HTML
# and autolinks (< >), attributes and substitutions ({ }), math ($), tables (|), entities (&).
# A backslash escapes any ASCII punctuation in CommonMark, so escaping these is always safe.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>{}$|&])")

# What is syntax only at the start of a line: ATX headings, block quotes, list markers, thematic
# breaks and setext underlines, MyST comments (%), block breaks (+++), targets ((label)=),
# colon fences and field lists (:), tilde fences (~).
_LINE_START_SPECIAL = re.compile(r"^([#>\-+=%:~]|\((?=.*\)=))")
#: Every ASCII punctuation character: CommonMark lets a backslash escape each of them, so text
#: with all of them escaped is literal wherever it stands (generated headings, cards, lists).
ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# An ordered-list marker: digits followed by "." or ")" then a space or the end of the line.
_ORDERED_MARKER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")

#: Characters kept as they are when a URL is percent-encoded for an autolink.
_URL_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


#: White space holding a line break, from the start of its run (a try from inside a run of
#: spaces without a break would scan to its end again: quadratic).
_LINE_BREAK_SPACE = re.compile(r"(?<!\s)\s*\n\s*")


def role_parts(content: str) -> tuple[str, str | None]:
    """A role's shown text and target (None without one), from what its backticks enclose.

    The target is ``<…>`` at the very end, without angle brackets inside; neither it nor the
    white space before it is shown, nor white space at the end.
    """
    opening = content.rfind("<")
    if content.endswith(">") and opening >= 0 and ">" not in content[opening + 1 : -1]:
        return content[:opening].rstrip(), content[opening + 1 : -1]
    return content.rstrip(), None


def without_inline_markup(text: str) -> str:
    """MyST text with each role replaced by its shown text and footnote references removed."""
    text = ROLE.sub(lambda role: role_parts(role["content"])[0], text)
    # a reference left open, or empty, stays as it is
    return FOOTNOTE_REF.sub(
        lambda ref: "" if ref["label"] and ref["closed"] else ref.group(), text)


def escape(text: str) -> str:
    """Escape running text so that MyST renders exactly these characters and nothing else."""
    # Source newlines inside a paragraph are only layout; a paragraph is written on one line
    # so that no source line can start a block.
    text = _LINE_BREAK_SPACE.sub(" ", text)
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def escape_literal(text: str) -> str:
    """Text that MyST renders literally anywhere in a line: every ASCII punctuation escaped."""
    return ASCII_PUNCTUATION.sub(r"\\\1", text)


def escape_line_start(line: str) -> str:
    """Escape what would start a block if it stood at the beginning of a line."""
    stripped = line.lstrip()
    # Leading spaces would make an indented code block (4+) or shift list nesting.
    line = stripped
    if _ORDERED_MARKER.match(line):
        return _ORDERED_MARKER.sub(r"\1\\\2", line, count=1)
    return _LINE_START_SPECIAL.sub(r"\\\1", line, count=1)


def option_value(text: str) -> str:
    """A directive option's value as a double-quoted scalar.

    No character of it (``"``, ``|``, ``#``, ``:``, a leading ``-`` or ``>``) is then read as
    option syntax and the directive never fails (a failing directive loses its ``:name:``
    too). Whitespace, line breaks included, becomes single spaces: an option is one line.
    """
    one_line = " ".join(text.split())
    # JSON's double-quoted strings are YAML's; the characters YAML also takes for line breaks
    # (NEL, LS, PS) and other invisible controls are escaped as well, which JSON leaves alone.
    quoted = json.dumps(one_line, ensure_ascii=False)
    return _OPTION_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


#: Characters written as ``\uXXXX`` inside a quoted option value (C0/C1 controls, separators).
_OPTION_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe_url(url: str) -> str:
    """Percent-encode a URL so it is one well-formed autolink (no spaces, no angle brackets)."""
    return quote(url.strip(), safe=_URL_SAFE)


def is_safe_link(url: str) -> bool:
    """Whether a link URL may be shown: http(s) and mailto only."""
    return url.strip().lower().startswith(SAFE_SCHEMES)


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


def render_inlines(inlines: list[Inline], ctx: Context) -> str:
    """Render a run of inlines and protect the start of every resulting line."""
    raw = "".join(_INLINE_RENDERERS[type(node)](node, ctx) for node in inlines)
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

#: An article's slug: lower-case ASCII words joined by hyphens. It names the article's page and
#: begins each of its labels, so it never holds a path separator, a dot or a space.
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A block's label as :func:`assign_labels` gives it: the article's slug, the kind of block
#: (``p`` paragraph or list, ``s`` heading, ``f`` figure) and its number — with letters for a
#: paragraph added after the conversion (``-p8a``, converters/editing/anchors.py). A label is a slug
#: with a suffix, so whatever names a page or an anchor of the edition matches :data:`SLUG`.
BLOCK_LABEL = re.compile(
    rf"(?P<slug>{SLUG.pattern})-(?P<kind>[psf])(?P<number>[0-9]+)(?P<letters>[a-z]*)")


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
