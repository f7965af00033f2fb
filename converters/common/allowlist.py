"""What a page of the edition may contain: the one allowlist, as data, and its decisions.

Pages, data files and sources come from strangers (a pull request, a feed). Whatever a page
may do is listed here — the Markdown syntax, the MyST directives with their options, the
roles, the front-matter keys, the link and image targets, the files under ``docs/`` — per
kind of page; anything not listed is refused. Three entry points ask these functions and
nothing else:

- ``python -m converters check`` walks each page's markdown-it tokens (:func:`audit_page`);
- the Sphinx build refuses the same things as it renders a page (``edition/security/boundary.py``'s
  renderer calls :func:`syntax_problem`, :func:`directive_problem`, :func:`role_problem`,
  :func:`link_problem`, :func:`image_problem`, :func:`front_matter_problem`,
  :func:`substitution_problem`), so a build whose check was skipped is still safe;
- the live preview is that same build, kept in one process.

Each decision is ``None`` when the thing is allowed, else the one-line reason. Names are
compared as docutils looks them up: directive and role names without case. The tables are
printed in CONTRIBUTING.md (``python -m converters allowlist`` prints them; a test keeps the
two the same). This module is pure: no Sphinx, no docutils.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..model import FRONT_MATTER_FIELDS
from .edition_data import PLACEHOLDERS, TITLE_KEYS
from .validate import LANGUAGE_TAGS, is_http_url


class Kind(StrEnum):
    """The kinds of page, each with its own allowlist."""

    #: ``docs/articles/*.md``: the texts, written by the converters and edited by hand.
    ARTICLE = "article"
    #: The edition's own pages (``docs/*.md``: home, introduction, method …).
    PAGE = "page"
    #: Pages the extension writes from data at build time (``docs/_generated/``), and the
    #: MyST its own directives write (the home page's cards), every value in it escaped.
    GENERATED = "generated"


ARTICLE, PAGE, GENERATED = Kind.ARTICLE, Kind.PAGE, Kind.GENERATED
ALL = frozenset(Kind)
#: How each kind is named in a refusal.
KIND_NAMES: dict[Kind, str] = {
    ARTICLE: "an article",
    PAGE: "an edition page",
    GENERATED: "a generated page",
}

# --------------------------------------------------------------------------- syntax

#: The Markdown syntax each kind may use, by markdown-it node type (``paragraph`` stands for
#: ``paragraph_open`` … ``paragraph_close``), with what it is, for the printed table.
#: ``directive`` is a fence whose info is ``{name}``: the directive table decides further.
SYNTAX: dict[str, tuple[frozenset[Kind], str]] = {
    "front_matter": (ALL, "front matter (keys: see below)"),
    "paragraph": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "inline": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "text": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "softbreak": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "hardbreak": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "heading": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "em": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "strong": (ALL, "paragraphs, line breaks, headings, `*emphasis*`, `**strong**`"),
    "bullet_list": (ALL, "lists, block quotes, thematic breaks"),
    "ordered_list": (ALL, "lists, block quotes, thematic breaks"),
    "list_item": (ALL, "lists, block quotes, thematic breaks"),
    "blockquote": (ALL, "lists, block quotes, thematic breaks"),
    "hr": (ALL, "lists, block quotes, thematic breaks"),
    "link": (ALL, "links `[text](target)`, `<https://…>` (targets: see below)"),
    "footnote_ref": (ALL, "footnotes `[^1]`, labels `(label)=`, comments `% …`"),
    "footnote_reference": (ALL, "footnotes `[^1]`, labels `(label)=`, comments `% …`"),
    "footnote_block": (ALL, "footnotes `[^1]`, labels `(label)=`, comments `% …`"),
    "myst_target": (ALL, "footnotes `[^1]`, labels `(label)=`, comments `% …`"),
    "myst_line_comment": (ALL, "footnotes `[^1]`, labels `(label)=`, comments `% …`"),
    "myst_block_break": (ALL, "footnotes `[^1]`, labels `(label)=`, comments `% …`"),
    "myst_role": (ALL, "roles ``{name}`…` `` (names: see below)"),
    "directive": (ALL, "directives ```` ```{name} ```` or `:::{name}` (names: see below)"),
    "code_inline": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "table": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "thead": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "tbody": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "tr": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "th": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "td": (frozenset({PAGE, GENERATED}), "`` `code` ``, tables"),
    "fence": (frozenset({PAGE}), "code blocks (fenced or indented), shown as code"),
    "colon_fence": (frozenset({PAGE}), "code blocks (fenced or indented), shown as code"),
    "code_block": (frozenset({PAGE}), "code blocks (fenced or indented), shown as code"),
    "image": (frozenset({PAGE}), "images `![alt](file)` (files: see below)"),
    "substitution_inline": (frozenset({PAGE}), "`{{ name }}`: a bare name of the edition's "
                                               "(its title and counts)"),
    "substitution_block": (frozenset({PAGE}), "`{{ name }}`: a bare name of the edition's "
                                              "(its title and counts)"),
    "span": (frozenset({GENERATED}), "spans `[text]{.class}` (classes: see below)"),
}
#: Attributes a node has of its own (an address, a title), not given by ``{…}``.
INTRINSIC_ATTRIBUTES: dict[str, frozenset[str]] = {
    "link": frozenset({"href", "title"}),
    "image": frozenset({"src", "alt", "title"}),
    "myst_target": frozenset({"class"}),
    "substitution_inline": frozenset({"class", "text"}),
    "substitution_block": frozenset({"class", "text"}),
}
#: Attributes ``{#id .class key=value}`` may give, by kind of page: only the MyST the
#: extension writes gives classes (of :data:`CLASSES`).
ATTRIBUTES: dict[Kind, frozenset[str]] = {
    ARTICLE: frozenset(),
    PAGE: frozenset(),
    GENERATED: frozenset({"class"}),
}
#: Node types that hold others and are never refused themselves.
STRUCTURE = frozenset({"root"})
#: Why syntax that is not listed is refused, for the commonest cases.
SYNTAX_WHY: dict[str, str] = {
    "html_block": "raw HTML reaches readers' browsers as it is: write MyST",
    "html_inline": "raw HTML reaches readers' browsers as it is: write MyST",
    "math_inline": "maths reaches LaTeX and MathJax as commands",
    "math_block": "maths reaches LaTeX and MathJax as commands",
    "substitution_inline": "substitutions are the edition's names, on its own pages only",
    "substitution_block": "substitutions are the edition's names, on its own pages only",
}

# --------------------------------------------------------------------------- directives

#: How a directive's argument (the text after ``{name}``) is checked.
ARGUMENT_NONE = "none"  #: no argument
ARGUMENT_CLASSES = "classes"  #: class names of :data:`CLASSES`
ARGUMENT_IMAGE = "image"  #: an http(s) URL or an image file inside docs/
ARGUMENT_INCLUDE = "include"  #: one of :data:`INCLUDABLE`
ARGUMENT_ONLY = "only"  #: an output name expression (html, latex, epub; and, or, not)
ARGUMENT_TEXT = "text"  #: a title, read as MyST inline text (so checked like any text)
ARGUMENT_COLUMNS = "columns"  #: up to four column counts (sphinx-design's grid)
#: What a directive's body is.
BODY_MYST = "myst"  #: MyST again: checked like the page
BODY_DOCUMENTS = "documents"  #: a list of documents (toctree)
BODY_NONE = "none"  #: no body


@dataclass(frozen=True)
class DirectiveRule:
    """Where a directive may appear, with which options, argument and body."""

    kinds: frozenset[Kind]  #: the kinds of page that may use it
    options: frozenset[str]  #: the options it may take (values: :data:`OPTION_VALUES`)
    argument: str  #: how its argument is checked (``ARGUMENT_*``)
    body: str  #: what its body is (``BODY_*``)
    use: str  #: what the edition uses it for (printed in CONTRIBUTING)


_TEXT_PAGES = frozenset({ARTICLE, PAGE})
_ADMONITION = DirectiveRule(frozenset({PAGE}), frozenset({"class", "name"}), ARGUMENT_TEXT,
                            BODY_MYST, "a boxed remark on the edition's pages")

#: The directives a page may use. Everything else — ``raw``, ``eval-rst``, ``include`` of any
#: other file, ``literalinclude``, ``csv-table``, ``math``, ``meta``, ``download`` … — is
#: refused.
DIRECTIVES: dict[str, DirectiveRule] = {
    "container": DirectiveRule(_TEXT_PAGES, frozenset({"name"}), ARGUMENT_CLASSES, BODY_MYST,
                               "the parallel text and its languages, a figure without image"),
    "figure": DirectiveRule(_TEXT_PAGES, frozenset({"name", "alt", "figclass"}), ARGUMENT_IMAGE,
                            BODY_MYST, "a figure: caption and credit"),
    "admonition": DirectiveRule(_TEXT_PAGES, frozenset({"class", "name"}), ARGUMENT_TEXT,
                                BODY_MYST, "an editorial note (class editorial-note)"),
    "note": _ADMONITION,
    "tip": _ADMONITION,
    "important": _ADMONITION,
    "warning": _ADMONITION,
    "seealso": _ADMONITION,
    "rubric": DirectiveRule(frozenset({PAGE}), frozenset({"heading-level", "class", "name"}),
                            ARGUMENT_TEXT, BODY_NONE, "a heading outside the contents"),
    "only": DirectiveRule(frozenset({PAGE}), frozenset(), ARGUMENT_ONLY, BODY_MYST,
                          "text for some outputs only (html, latex, epub)"),
    "toctree": DirectiveRule(frozenset({PAGE, GENERATED}),
                             frozenset({"hidden", "caption", "maxdepth", "titlesonly", "glob",
                                        "name"}),
                             ARGUMENT_NONE, BODY_DOCUMENTS, "the edition's contents"),
    "include": DirectiveRule(frozenset({PAGE}),
                             frozenset({"relative-docs", "relative-images", "start-line",
                                        "heading-offset"}),
                             ARGUMENT_INCLUDE, BODY_NONE,
                             "the repository's contributor guide, shown in the edition"),
    "article-cards": DirectiveRule(frozenset({PAGE}), frozenset({"toctree"}), ARGUMENT_NONE,
                                   BODY_NONE, "the home page's card per article"),
    "editorial-decisions": DirectiveRule(frozenset({PAGE}), frozenset(), ARGUMENT_NONE,
                                         BODY_NONE, "the method page's list of decisions"),
    "research-data": DirectiveRule(frozenset({PAGE}), frozenset(), ARGUMENT_NONE, BODY_NONE,
                                   "the research data page's list of files"),
    "entity": DirectiveRule(frozenset({GENERATED}), frozenset(), ARGUMENT_TEXT, BODY_NONE,
                            "an entity's generated page"),
    "entity-overview": DirectiveRule(frozenset({GENERATED}), frozenset(), ARGUMENT_NONE,
                                     BODY_NONE, "the register's generated table"),
    "timeline": DirectiveRule(frozenset({GENERATED}), frozenset(), ARGUMENT_NONE, BODY_NONE,
                              "the generated timeline"),
    # sphinx-design's cards, for the home page's cards, which the extension writes
    "grid": DirectiveRule(frozenset({GENERATED}), frozenset({"gutter"}), ARGUMENT_COLUMNS,
                          BODY_MYST, "the home page's grid of cards (written by the extension)"),
    "grid-item-card": DirectiveRule(frozenset({GENERATED}),
                                    frozenset({"link", "link-type", "class-card"}),
                                    ARGUMENT_TEXT, BODY_MYST,
                                    "an article's card (written by the extension)"),
    "card-footer": DirectiveRule(frozenset({GENERATED}), frozenset({"class"}), ARGUMENT_NONE,
                                 BODY_MYST, "a card's byline (written by the extension)"),
}

#: Class names a page may give (container arguments, ``:class:`` and ``:figclass:``): the
#: edition's stylesheet and scripts know these, and nothing else of the theme is reachable.
CLASSES: frozenset[str] = frozenset(
    {"parallel", "figure", "text-figure", "editorial-note", "editorial-value",
     "article-card", "article-card-byline", "article-card-gloss", "article-card-gloss-note"}
    | {f"language-{tag}" for tag in LANGUAGE_TAGS})

#: The names a ``{{ name }}`` substitution may use: the edition's title and counts, which
#: ``docs/conf.py`` gives MyST from ``docs/_data/edition.yaml`` and the articles.
EDITION_NAMES: frozenset[str] = frozenset(TITLE_KEYS) | PLACEHOLDERS
#: A label (``(label)=``, ``:name:``): what Sphinx turns into an id and a file-safe name.
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9_.:-]{0,118}[A-Za-z0-9])?")
#: A bare substitution name.
BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
#: An ``{only}`` expression: output names joined by and/or/not, nothing else.
ONLY_EXPRESSION = re.compile(r"(?:not\s+)?[a-z]+(?:\s+(?:and|or)\s+(?:not\s+)?[a-z]+)*")
#: How an option's value is checked (an option not named here takes free text).
OPTION_VALUES: dict[str, str] = {
    "name": "label",
    "class": "classes",
    "class-card": "classes",
    "gutter": "number",
    "figclass": "classes",
    "heading-level": "level",
    "maxdepth": "number",
    "start-line": "number",
    "heading-offset": "number",
    "hidden": "flag",
    "titlesonly": "flag",
    "glob": "flag",
    "relative-images": "flag",
    "relative-docs": "folder",
}

#: Files of the repository (relative to its root) that an edition page may include.
INCLUDABLE: frozenset[str] = frozenset({"CONTRIBUTING.md"})

# --------------------------------------------------------------------------- roles


@dataclass(frozen=True)
class RoleRule:
    """Where a role may appear."""

    kinds: frozenset[Kind]
    use: str


#: The roles a page may use; ``raw``, ``download``, ``math``, ``file`` … are refused.
ROLES: dict[str, RoleRule] = {
    "ent": RoleRule(ALL, "a mention of a registry entity"),
    "date": RoleRule(ALL, "a date mention"),
    "doc": RoleRule(frozenset({PAGE, GENERATED}), "a link to a document of the edition"),
    "ref": RoleRule(frozenset({PAGE, GENERATED}), "a link to a label of the edition"),
    "edition-download": RoleRule(frozenset({PAGE}), "a link to the PDF or the EPUB"),
}

# --------------------------------------------------------------------------- front matter

#: The front-matter keys each kind may set. MyST reads others as settings (``myst``,
#: ``html_meta``, ``substitutions``: markup in the ``<head>``, Jinja in the text).
#: Fields a reader states beyond the article schema (``Metadata.extra``): the Caixin reader
#: keeps the site that distributed the text.
ARTICLE_EXTRA_FIELDS: frozenset[str] = frozenset({"distributor"})
FRONT_MATTER: dict[Kind, frozenset[str]] = {
    ARTICLE: frozenset(field.key for field in FRONT_MATTER_FIELDS) | ARTICLE_EXTRA_FIELDS,
    PAGE: frozenset({"orphan"}),
    GENERATED: frozenset({"orphan"}),
}

# --------------------------------------------------------------------------- links and files

#: Schemes a link may have; a link without one is a document, a label or an asset.
LINK_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto"})
#: The folder of ``docs/`` whose files a page may link for download.
ASSETS_DIR = "_assets"
#: Image files a page may show (SVG is refused: it can carry script on the edition's origin).
IMAGE_TYPES: frozenset[str] = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})
#: Files that may lie in ``docs/_static`` (copied to the site as they are).
STATIC_TYPES: frozenset[str] = IMAGE_TYPES | frozenset({".css", ".ico", ".woff2"})
#: Files that may lie in ``docs/_assets`` (offered for download as they are).
ASSET_TYPES: frozenset[str] = IMAGE_TYPES | frozenset({".pdf", ".csv", ".txt", ".json"})
#: Where in ``docs/`` each other kind of file may lie (a file of another type anywhere is
#: refused): pages anywhere, data in ``_data``, the configuration and templates are code.
DATA_DIR = "_data"
DATA_TYPES: frozenset[str] = frozenset({".yaml"})
CODE_FILES: frozenset[str] = frozenset({"conf.py"})
TEMPLATES_DIR = "_templates"
TEMPLATE_TYPES: frozenset[str] = frozenset({".html"})
#: Folders of ``docs/`` the build writes (ignored by git): not looked at.
BUILD_DIRS: frozenset[str] = frozenset({"_build", "_generated"})
#: Files a system leaves beside others (never published).
IGNORED_FILES: frozenset[str] = frozenset({".DS_Store", "Thumbs.db"})

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers and URL parsers ignore ASCII whitespace and controls inside a scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f]")


def page_kind(docname: str, articles: str = "articles", generated: str = "_generated") -> Kind:
    """The kind of a document, from its name (``articles/x`` is an article)."""
    if docname.startswith(articles.strip("/") + "/"):
        return ARTICLE
    if docname.startswith(generated.strip("/") + "/"):
        return GENERATED
    return PAGE


@dataclass(frozen=True)
class Place:
    """Where a page lies, to resolve the files it names."""

    page: Path  #: the page's file (absolute, resolved)
    docs: Path  #: the Sphinx project's folder (absolute, resolved)

    @property
    def root(self) -> Path:
        """The repository: the folder holding the project's folder."""
        return self.docs.parent


# --------------------------------------------------------------------------- decisions


def syntax_problem(kind: Kind, node_type: str) -> str | None:
    """Why a kind of page may not use this syntax (None when it may)."""
    if node_type in STRUCTURE:
        return None
    rule = SYNTAX.get(node_type)
    if rule is not None and kind in rule[0]:
        return None
    why = SYNTAX_WHY.get(node_type, "it is not in the edition's allowlist")
    shown = node_type.replace("_", " ")
    return f"{shown} is not allowed in {KIND_NAMES[kind]}: {why}"


def attributes_problem(kind: Kind, node_type: str, attributes: Mapping[str, Any]) -> str | None:
    """Why the attributes ``{…}`` gives a node are refused (None when there are none)."""
    given = {name: value for name, value in attributes.items()
             if name not in INTRINSIC_ATTRIBUTES.get(node_type, ())}
    for name, value in given.items():
        if name not in ATTRIBUTES[kind]:
            return (f"attribute {name[:30]!r} ({{#id .class key=value}}) is not allowed in "
                    f"{KIND_NAMES[kind]}")
        if name == "class":
            problem = classes_problem(str(value))
            if problem:
                return problem
    return None


def directive_name(raw: str) -> str:
    """A directive or role name as docutils looks it up (without case or outer spaces)."""
    return raw.strip().lower()


def directive_problem(kind: Kind, name: str, argument: str,
                      options: Mapping[str, str], place: Place | None) -> str | None:
    """Why a directive with this argument and these options is refused (None if allowed)."""
    name = directive_name(name)
    rule = DIRECTIVES.get(name)
    allowed = sorted(n for n, r in DIRECTIVES.items() if kind in r.kinds)
    if rule is None or kind not in rule.kinds:
        return (f"directive {{{name}}} is not allowed in {KIND_NAMES[kind]} (allowed: "
                f"{', '.join(allowed)})")
    for option, value in options.items():
        option = option.strip().lower()
        if option not in rule.options:
            listed = ", ".join(f":{o}:" for o in sorted(rule.options)) or "none"
            return (f"option :{option}: of {{{name}}} is not allowed (allowed: {listed})")
        problem = option_problem(option, value)
        if problem:
            return f"option :{option}: of {{{name}}}: {problem}"
    return argument_problem(name, rule.argument, argument.strip(), place)


def option_problem(option: str, value: str) -> str | None:
    """Why an option's value is refused (None when it is fine)."""
    check = OPTION_VALUES.get(option)
    value = value.strip()
    if check == "label" and not LABEL.fullmatch(value):
        return f"{value[:60]!r} is not a label (letters, digits, - _ . :)"
    if check == "classes":
        return classes_problem(value)
    if check == "level" and value not in {"1", "2", "3", "4", "5", "6"}:
        return f"{value[:20]!r} is not a heading level (1 to 6)"
    if check == "number" and not re.fullmatch(r"\d{1,4}", value):
        return f"{value[:20]!r} is not a number"
    if check == "flag" and value:
        return "takes no value"
    if check == "folder" and (".." in value.split("/") or value.startswith("/")
                              or "\\" in value or not re.fullmatch(r"[\w./-]{1,100}", value)):
        return f"{value[:60]!r} is not a folder inside the repository"
    return None


def classes_problem(value: str) -> str | None:
    """Why a list of class names is refused (None when every one is the edition's)."""
    unknown = [c for c in value.split() if c not in CLASSES]
    if unknown:
        return (f"class {unknown[0][:40]!r} is not one of the edition's (parallel, figure, "
                "text-figure, editorial-note, language-<tag>)")
    return None


def argument_problem(name: str, check: str, argument: str, place: Place | None) -> str | None:
    """Why a directive's argument is refused (None when it is fine)."""
    if check == ARGUMENT_NONE and argument:
        return f"{{{name}}} takes no argument here ({argument[:40]!r})"
    if check == ARGUMENT_CLASSES:
        return classes_problem(argument)
    if check == ARGUMENT_IMAGE:
        return image_problem(argument, place)
    if check == ARGUMENT_ONLY and not ONLY_EXPRESSION.fullmatch(argument):
        return f"{{only}} {argument[:40]!r} is not an output expression (html, latex, epub)"
    if check == ARGUMENT_INCLUDE:
        return include_problem(argument, place)
    if check == ARGUMENT_COLUMNS and not re.fullmatch(r"\d{1,2}(?: \d{1,2}){0,3}", argument):
        return f"{{{name}}} {argument[:40]!r} is not a list of column counts"
    return None


def include_problem(argument: str, place: Place | None) -> str | None:
    """Why an include is refused: only :data:`INCLUDABLE` files, never through a link."""
    shown = f"{{include}} of {argument[:60]!r} is not allowed: pages may include only " \
        f"{', '.join(sorted(INCLUDABLE))}"
    if place is None or not argument or "\x00" in argument:
        return shown
    target = _join(place.page.parent, argument, place)
    allowed = {place.root / name for name in INCLUDABLE}
    if target is None or target not in allowed or links_on_the_way(target, place.root):
        return shown
    return None


def role_problem(kind: Kind, name: str) -> str | None:
    """Why a role is refused (None when the kind of page may use it)."""
    name = directive_name(name)
    rule = ROLES.get(name)
    if rule is None or kind not in rule.kinds:
        allowed = sorted(n for n, r in ROLES.items() if kind in r.kinds)
        return (f"role {{{name}}} is not allowed in {KIND_NAMES[kind]} (allowed: "
                f"{', '.join(allowed)})")
    return None


def front_matter_problem(kind: Kind, key: str) -> str | None:
    """Why a front-matter key is refused (None when the kind of page may set it)."""
    if key in FRONT_MATTER[kind]:
        return None
    if kind is ARTICLE:
        return f"front matter: key {key[:40]!r} is not a field of an article"
    allowed = ", ".join(sorted(FRONT_MATTER[kind])) or "none"
    return (f"front matter: key {key[:40]!r} is not allowed in {KIND_NAMES[kind]} (allowed: "
            f"{allowed}; MyST reads others as settings)")


def substitution_problem(kind: Kind, content: str, names: Collection[str]) -> str | None:
    """Why ``{{ content }}`` is refused: it must be a bare name the edition defines."""
    if kind is not PAGE:
        return f"{{{{ … }}}} is not allowed in {KIND_NAMES[kind]}"
    name = content.strip()
    known = ", ".join(sorted(names)) or "none is defined here"
    if not BARE_NAME.fullmatch(name):
        return (f"{{{{ {name[:40]} }}}} is not allowed: a substitution is a bare name, one of "
                f"the edition's ({known})")
    if name not in names:
        return f"{{{{ {name} }}}} is not one of the edition's names ({known})"
    return None


def scheme_of(target: str) -> str | None:
    """A link target's scheme as a browser reads it (lowercase), or None."""
    match = _SCHEME.match(_IGNORED_IN_SCHEME.sub("", target))
    return match.group(1).lower() if match else None


def link_problem(target: str, place: Place | None) -> str | None:
    """Why a link target is refused.

    Allowed: http(s) and mailto addresses, ``#fragments``, labels and document names, the
    edition's documents by path, and files of ``docs/_assets/``.
    """
    scheme = scheme_of(target)
    if scheme is not None:
        if scheme in LINK_SCHEMES:
            return None
        return (f"link to {target[:60]!r} is not allowed: links go to http(s) and mailto "
                "addresses, the edition's documents and labels, and docs/_assets/")
    path = unquote(target.split("#", 1)[0])
    if not path:
        return None  # a fragment of this page
    if "\\" in path or "\x00" in path:
        return f"link to {target[:60]!r} is not allowed: not a path of the edition"
    if "/" not in path and "." not in path:
        return None  # a label or a document name, resolved as a reference
    return _file_link_problem(target, path, place)


def _file_link_problem(target: str, path: str, place: Place | None) -> str | None:
    """A link that names a file: a document, or an asset of ``docs/_assets``."""
    refused = (f"link to {target[:60]!r} is not allowed: a link to a file goes to a page of "
               f"the edition or to a file of docs/{ASSETS_DIR}/")
    if place is None:
        return refused
    resolved = _join(place.page.parent, path, place)
    if resolved is None or not resolved.is_relative_to(place.docs):
        return refused
    if links_on_the_way(resolved, place.docs):
        return f"{refused} (through a symbolic link)"
    if resolved.suffix == ".md" or resolved.with_suffix(".md").is_file() \
            or not resolved.exists():
        return None  # a document (or a name Sphinx resolves as a reference)
    if resolved.is_file() and resolved.is_relative_to(place.docs / ASSETS_DIR) \
            and resolved.suffix.lower() in ASSET_TYPES:
        return None
    return refused


def image_problem(target: str, place: Place | None) -> str | None:
    """Why an image is refused: an http(s) URL, or an image file inside ``docs/``."""
    if is_http_url(target):
        return None
    refused = (f"image {target[:60]!r} is not allowed: an image is an http(s) URL or a "
               f"{'/'.join(t.lstrip('.') for t in sorted(IMAGE_TYPES))} file inside docs/")
    if not target or scheme_of(target) is not None or "*" in target or "\\" in target \
            or "\x00" in target or place is None:
        return refused
    resolved = _join(place.page.parent, unquote(target), place)
    if resolved is None or not resolved.is_relative_to(place.docs) \
            or resolved.suffix.lower() not in IMAGE_TYPES:
        return refused
    if links_on_the_way(resolved, place.docs):
        return f"{refused} (through a symbolic link)"
    return None


def _join(folder: Path, target: str, place: Place) -> Path | None:
    """Where a relative path points (``/x`` counts from docs/, as in Sphinx), normalised."""
    base = place.docs if target.startswith("/") else folder
    try:
        return Path(os.path.normpath(base / target.lstrip("/")))
    except (ValueError, OSError):
        return None


def links_on_the_way(path: Path, top: Path) -> bool:
    """Whether ``path`` or a folder between ``top`` and it is a symbolic link."""
    current = path
    while current != top and current.is_relative_to(top):
        if current.is_symlink():
            return True
        current = current.parent
    return False


def toctree_entry_problem(entry: str) -> str | None:
    """Why a toctree entry is refused: a document name, ``self`` or an http(s) address."""
    match = re.fullmatch(r"(?:.*?<)?([^<>]+?)>?", entry.strip())
    target = match.group(1).strip() if match else entry.strip()
    scheme = scheme_of(target)
    if scheme is not None and scheme not in ("http", "https"):
        return f"toctree entry {entry[:60]!r} is not a document or an http(s) address"
    if "\\" in target or "\x00" in target:
        return f"toctree entry {entry[:60]!r} is not a document"
    return None


# --------------------------------------------------------------------------- files


def tree_problems(docs: Path, seeds: Path | None = None) -> Iterator[tuple[Path, str]]:
    """Each file of ``docs/`` (and ``seeds/``) that may not be there, with the reason.

    No symbolic links anywhere (the build would publish what they point at); in ``docs/``,
    pages anywhere, data in ``_data``, static files and downloads of the listed types, the
    configuration and templates (code, reviewed as code).
    """
    for top in (docs, seeds):
        if top is None or not top.is_dir():
            continue
        for folder, subfolders, files in os.walk(top):
            here = Path(folder)
            relative = here.relative_to(top)
            if top == docs and relative.parts and relative.parts[0] in BUILD_DIRS:
                subfolders[:] = []
                continue
            for name in sorted(subfolders):
                if (here / name).is_symlink():
                    yield here / name, "a symbolic link is not allowed (it would publish " \
                        "what it points at)"
            subfolders[:] = [s for s in subfolders if not (here / s).is_symlink()]
            for name in sorted(files):
                path = here / name
                problem = file_problem(path, top, is_docs=top == docs)
                if problem:
                    yield path, problem


#: The first bytes of each binary type a file of docs/ may be: an image that is really an
#: HTML page or an SVG would be published under an image's name.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".ico": (b"\x00\x00\x01\x00",),
    ".woff2": (b"wOF2",),
    ".pdf": (b"%PDF-",),
}


def file_problem(path: Path, top: Path, *, is_docs: bool = True) -> str | None:
    """Why one file under ``docs/`` (or ``seeds/``) is refused (None when it may be there)."""
    if path.is_symlink():
        return "a symbolic link is not allowed (it would publish what it points at)"
    if not is_docs or path.name in IGNORED_FILES:
        return None
    relative = path.relative_to(top)
    first = relative.parts[0] if len(relative.parts) > 1 else ""
    suffix = path.suffix.lower()
    if first == "_static":
        allowed = STATIC_TYPES
    elif first == ASSETS_DIR:
        allowed = ASSET_TYPES
    elif first == DATA_DIR:
        allowed = DATA_TYPES | {".md"}
    elif first == TEMPLATES_DIR:
        allowed = TEMPLATE_TYPES
    else:
        allowed = IMAGE_TYPES | {".md"} | ({".py"} if path.name in CODE_FILES else set())
    if suffix not in allowed:
        where = f"docs/{first}" if first else "docs/"
        return (f"a {suffix or 'file without type'} file is not allowed in {where} (allowed "
                f"there: {', '.join(sorted(allowed))})")
    return signature_problem(path, suffix)


def signature_problem(path: Path, suffix: str) -> str | None:
    """Why a binary file is refused: its first bytes are not those of its type."""
    signatures = SIGNATURES.get(suffix)
    if signatures is None:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(16)
    except OSError as exc:
        return f"cannot read the file: {exc.strerror or exc}"
    if not any(head.startswith(signature) for signature in signatures):
        return f"the file is not a {suffix} file (its first bytes say otherwise)"
    return None


# --------------------------------------------------------------------------- the table


def allowlist_table() -> str:
    """The allowlist as one Markdown table (printed in README.md and CONTRIBUTING.md)."""
    kinds = (ARTICLE, PAGE, GENERATED)

    def marks(allowed: frozenset[Kind]) -> str:
        return " | ".join("yes" if kind in allowed else "—" for kind in kinds)

    lines = ["| What a page may contain | articles | edition pages | generated pages |",
             "| --- | --- | --- | --- |"]
    shown: set[str] = set()
    for allowed, what in SYNTAX.values():
        if what not in shown:
            shown.add(what)
            lines.append(f"| {what} | {marks(allowed)} |")
    for name, directive in sorted(DIRECTIVES.items()):
        options = ", ".join(f"`:{o}:`" for o in sorted(directive.options)) or "no options"
        lines.append(f"| directive `{{{name}}}`: {directive.use} ({options}) | "
                     f"{marks(directive.kinds)} |")
    for name, role in sorted(ROLES.items()):
        lines.append(f"| role `{{{name}}}`: {role.use} | {marks(role.kinds)} |")
    keys = ", ".join(f"`{k}`" for k in sorted(FRONT_MATTER[PAGE]))
    lines += [
        f"| front-matter keys | the article's fields | {keys} | {keys} |",
        "| link targets | http(s), mailto, the edition's documents and labels, files of "
        f"`docs/{ASSETS_DIR}/` | the same | the same |",
        f"| image files | — (figures: http(s) URLs) | http(s) URLs; "
        f"{', '.join(t.lstrip('.') for t in sorted(IMAGE_TYPES))} files inside `docs/` | — |",
        "| classes (container arguments, `:class:`) | `parallel`, `figure`, `text-figure`, "
        "`editorial-note`, `language-<tag>` | the same | the same, and the cards' |",
        "| files under `docs/` | pages `.md` anywhere, data `_data/*.yaml`, images; "
        f"`_static/`: {', '.join(sorted(STATIC_TYPES))}; `{ASSETS_DIR}/`: "
        f"{', '.join(sorted(ASSET_TYPES))}; no symbolic link (nor under `seeds/`) | | |",
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the page walk

#: How deep directives may nest in a page (the parallel text nests two).
MAX_NESTING = 16
_OPTION_LINE = re.compile(r"^\s*:(?!::)")


@dataclass(frozen=True)
class Finding:
    """A refused thing in a page, at its line (1-based)."""

    line: int
    message: str


@dataclass(frozen=True)
class DirectiveText:
    """A directive's text split as MyST splits it: options, then the body."""

    #: each option's name, value and line (0-based, counted from the directive's first line)
    options: tuple[tuple[str, str, int], ...]
    body: tuple[str, ...]  #: the body's lines
    body_line: int  #: the line of the body's first line (0-based, as ``options``)
    error: str = ""  #: why the option block could not be read ('' when it could)


def fence_directive(info: str) -> tuple[str, str] | None:
    """The directive name and argument of a fence's info string, as MyST reads it, or None."""
    parts = info.strip().split(maxsplit=1)
    if not parts or not (parts[0].startswith("{") and parts[0].endswith("}")):
        return None
    return parts[0][1:-1], parts[1] if len(parts) > 1 else ""


def split_directive(content: str) -> DirectiveText:
    """Split a directive's content into its options and its body, as myst-parser does.

    Options are ``:key: value`` lines or a YAML block between ``---`` lines; the body starts
    after them (a blank line first is dropped).
    """
    from .yamlsafe import YamlRefused, load_yaml

    lines = content.split("\n")
    options: list[tuple[str, str, int]] = []
    error = ""
    start = 0
    if lines and lines[0].startswith("---"):
        end = next((i for i in range(1, len(lines)) if lines[i].startswith("---")), len(lines))
        block = "\n".join(lines[1:end])
        try:
            data = load_yaml(block, path="directive options", first_line=2) if block else {}
        except YamlRefused as exc:
            data, error = {}, f"directive options refused: {exc.reason}"
        if not isinstance(data, dict):
            data, error = {}, "directive options are not a mapping"
        for key, value in data.items():
            line = next((i for i in range(1, end) if lines[i].lstrip().startswith(f"{key}:")), 1)
            options.append((str(key), "" if value is None else str(value), line))
        start = min(end + 1, len(lines))
    else:
        while start < len(lines) and _OPTION_LINE.match(lines[start]):
            text = lines[start].lstrip()[1:]
            key, _, value = text.partition(":")
            options.append((key.strip(), value.strip(), start))
            start += 1
    if start < len(lines) and not lines[start].strip():
        start += 1
    return DirectiveText(tuple(options), tuple(lines[start:]), start, error)


def audit_page(text: str, kind: Kind, place: Place | None, md: Any,
               names: Collection[str]) -> list[Finding]:
    """Everything in a page that its kind may not contain, with its line.

    ``md`` is a markdown-it parser configured as the edition configures MyST; ``names`` are
    the substitutions the edition defines.
    """
    findings: list[Finding] = []
    _audit_tokens(md.parse(text), 0, kind, place, md, names, findings, 0)
    return sorted(set(findings), key=lambda f: (f.line, f.message))


def _audit_tokens(tokens: list[Any], offset: int, kind: Kind, place: Place | None, md: Any,
                  names: Collection[str], out: list[Finding], depth: int) -> None:
    """Audit a token stream whose first line is line ``offset + 1`` of the page."""
    for token in tokens:
        line = offset + (token.map[0] + 1 if token.map else 1)
        node_type = re.sub(r"_(open|close)$", "", token.type)
        if token.type.endswith("_close"):
            continue
        if token.type in ("fence", "colon_fence") and fence_directive(token.info) is not None:
            _audit_directive(token, line, kind, place, md, names, out, depth)
            continue
        problem = syntax_problem(kind, node_type) or attributes_problem(
            kind, node_type, token.attrs or {})
        if problem:
            out.append(Finding(line, problem))
            continue
        if token.type == "front_matter":
            out.extend(Finding(offset + key_line, message)
                       for key_line, message in front_matter_findings(token.content, kind))
        elif token.type == "myst_target" and not LABEL.fullmatch(token.content.strip()):
            out.append(Finding(line, f"label {token.content.strip()[:60]!r} is not a label "
                                     "(letters, digits, - _ . :)"))
        elif token.type == "substitution_block":
            _add(out, line, substitution_problem(kind, token.content, names))
        elif token.type == "inline":
            _audit_inline(token.children or [], line, kind, place, names, out)


def _add(out: list[Finding], line: int, problem: str | None) -> None:
    if problem:
        out.append(Finding(line, problem))


def _audit_inline(children: list[Any], line: int, kind: Kind, place: Place | None,
                  names: Collection[str], out: list[Finding]) -> None:
    """Audit the inline tokens of one block, counting lines at each line break."""
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
            continue
        if child.type.endswith("_close"):
            continue
        node_type = re.sub(r"_open$", "", child.type)
        problem = syntax_problem(kind, node_type) or attributes_problem(
            kind, node_type, child.attrs or {})
        if problem:
            out.append(Finding(line, problem))
        elif child.type == "link_open":
            _add(out, line, link_problem(str(child.attrs.get("href", "")), place))
        elif child.type == "image":
            _add(out, line, image_problem(str(child.attrs.get("src", "")), place))
        elif child.type == "myst_role":
            _add(out, line, role_problem(kind, str(child.meta.get("name", ""))))
        elif child.type == "substitution_inline":
            _add(out, line, substitution_problem(kind, child.content, names))
        line += str(child.content or "").count("\n")


def _audit_directive(token: Any, line: int, kind: Kind, place: Place | None, md: Any,
                     names: Collection[str], out: list[Finding], depth: int) -> None:
    """Audit one directive: its name, options and argument, then its body by what it is."""
    named = fence_directive(token.info)
    assert named is not None
    name, argument = named
    parts = split_directive(token.content)
    if parts.error:
        out.append(Finding(line + 1, parts.error))
        return
    problem = directive_problem(kind, name, argument, {}, place)
    if problem is None:
        for option, value, option_line in parts.options:
            problem = directive_problem(kind, name, argument, {option: value}, place)
            if problem:
                out.append(Finding(line + 1 + option_line, problem))
                return
    if problem:
        out.append(Finding(line, problem))
        return
    rule = DIRECTIVES[directive_name(name)]
    body_offset = line + parts.body_line  # the page line before the body's first line
    if rule.argument == ARGUMENT_TEXT and argument:
        _audit_tokens(md.parse(argument), line - 1, kind, place, md, names, out, depth + 1)
    if rule.body == BODY_NONE and any(body.strip() for body in parts.body):
        out.append(Finding(body_offset + 1, f"{{{directive_name(name)}}} takes no body here"))
    elif rule.body == BODY_DOCUMENTS:
        for i, entry in enumerate(parts.body):
            if entry.strip():
                _add(out, body_offset + 1 + i, toctree_entry_problem(entry))
    elif rule.body == BODY_MYST:
        if depth >= MAX_NESTING:
            out.append(Finding(line, f"directives nested more than {MAX_NESTING} deep"))
            return
        _audit_tokens(md.parse("\n".join(parts.body)), body_offset, kind, place, md, names,
                      out, depth + 1)


def front_matter_findings(yaml_text: str, kind: Kind) -> list[tuple[int, str]]:
    """Each front-matter key a kind of page may not set, with its line in the page."""
    import yaml

    from .yamlsafe import YamlRefused, compose_yaml

    try:
        node = compose_yaml(yaml_text)
    except YamlRefused:
        return []  # the front-matter check reports what stops the YAML being read
    if not isinstance(node, yaml.MappingNode):
        return []
    found = []
    for key_node, _value in node.value:
        problem = front_matter_problem(kind, str(key_node.value))
        if problem:
            # the YAML starts on the page's second line, after the opening '---'
            found.append((key_node.start_mark.line + 2, problem))
    return found


def main(argv: list[str] | None = None) -> int:
    """``python -m converters allowlist``: print what a page may contain, as Markdown tables."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m converters allowlist",
        description="Print the allowlist of what a page of the edition may contain (the "
        "tables in CONTRIBUTING.md and README.md).")
    parser.parse_args(argv)
    print(allowlist_table(), end="")
    return 0
