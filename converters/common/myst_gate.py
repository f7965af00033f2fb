"""The allowlist applied while MyST renders a page, so that nothing refused is ever rendered.

``python -m converters check`` reads each page's tokens and refuses what
:mod:`converters.common.allowlist` does not list; this module makes the same decisions inside
myst-parser's renderer, at every node it renders — the page, a directive's body, an included
file, a title given in the front matter — so a build (or the check's own docutils parse) never
runs, reads or writes what a page may not ask for, whether or not the check was run:

- every node type is dispatched through :func:`~converters.common.allowlist.syntax_problem`;
- a directive is refused before it is looked up when its name, argument or options are not
  listed (and once more with its options as the directive itself reads them);
- ``{{ … }}`` is a bare name looked up in the edition's names and written as plain text:
  the text never reaches Jinja (myst-parser renders substitutions with an unsandboxed Jinja
  environment, then parses the result as MyST);
- roles, links, images and front-matter keys go through their allowlist decisions.

:class:`GateMixin` goes before myst-parser's renderer in a class's bases; the class says
where the page is and what a refusal does (a located Sphinx error in the build). It relies
on two details of myst-parser's renderer, both checked by the tests: the ``rules`` mapping
from ``render_<type>`` to the bound method it dispatches to, and ``run_directive``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.utils import SystemMessagePropagation
from myst_parser.mdit_to_docutils.base import token_line

from .allowlist import (
    DIRECTIVES,
    LABEL,
    Kind,
    Place,
    attributes_problem,
    directive_name,
    directive_problem,
    fence_directive,
    front_matter_findings,
    front_matter_problem,
    image_problem,
    link_problem,
    role_problem,
    split_directive,
    substitution_problem,
    syntax_problem,
)

#: The renderer methods that are helpers, not the renderer of a node type.
_NOT_NODE_TYPES = frozenset({"render_children"})


class GateMixin:
    """Overrides of myst-parser's renderer that refuse what the allowlist does not list.

    A subclass implements :meth:`gate_kind`, :meth:`gate_place` and :meth:`refuse`.
    """

    rules: dict[str, Any]
    document: nodes.document
    current_node: nodes.Element
    md_config: Any
    language_module_rst: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Load the renderer, then put the gate before each node type's render method."""
        super().__init__(*args, **kwargs)
        self.rules = {name: self._gated(name.removeprefix("render_"), method)
                      for name, method in self.rules.items()}

    # -- what a subclass says

    def gate_kind(self) -> Kind:
        """The kind of the page being rendered."""
        raise NotImplementedError

    def gate_place(self) -> Place | None:
        """Where the page being rendered lies (None when it is not a file)."""
        raise NotImplementedError

    def gate_names(self) -> Mapping[str, Any]:
        """The names ``{{ name }}`` may use, with their values (MyST's substitutions)."""
        return dict(getattr(self.md_config, "substitutions", {}) or {})

    def refuse(self, message: str, line: int) -> None:
        """Report something refused at ``line`` of the page."""
        raise NotImplementedError

    # -- the dispatch

    def _gated(self, node_type: str, method: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """``method`` behind the allowlist's decision for ``node_type``."""
        if f"render_{node_type}" in _NOT_NODE_TYPES:
            return method

        def gated(token: Any) -> Any:
            line = token_line(token, default=0)
            if node_type in ("fence", "colon_fence"):
                named = fence_directive(getattr(token, "info", "") or "")
                if named is not None:
                    problem = self._fence_problem(named[0], named[1], token.content or "")
                    if problem:
                        self.refuse(problem[0], line + problem[1])
                        return None
                    return method(token)
            kind = self.gate_kind()
            problem_text = syntax_problem(kind, node_type) or attributes_problem(
                kind, node_type, getattr(token, "attrs", None) or {})
            if problem_text is None and node_type == "myst_target" \
                    and not LABEL.fullmatch(str(token.content).strip()):
                problem_text = f"label {str(token.content).strip()[:60]!r} is not a label"
            if problem_text:
                self.refuse(problem_text, line)
                return None
            return method(token)

        return gated

    def _fence_problem(self, name: str, argument: str, content: str) -> tuple[str, int] | None:
        """Why a directive fence is refused, with the line offset of the refused part."""
        kind, place = self.gate_kind(), self.gate_place()
        parts = split_directive(content)
        if parts.error:
            return parts.error, 1
        problem = directive_problem(kind, name, argument, {}, place)
        if problem:
            return problem, 0
        for option, value, offset in parts.options:
            problem = directive_problem(kind, name, argument, {option: value}, place)
            if problem:
                return problem, 1 + offset
        return None

    # -- the renderers of what the allowlist decides on

    def run_directive(self, name: str, first_line: str, content: str, position: int,
                      *args: Any, **kwargs: Any) -> list[nodes.Element]:
        """Run a directive only when it, its argument and its options are allowed."""
        kind, place = self.gate_kind(), self.gate_place()
        problem = directive_problem(kind, name, first_line, {}, place)
        if problem is None:
            problem = self._read_options_problem(name, first_line, content, position, kind,
                                                 place)
        if problem:
            self.refuse(problem, position)
            return []
        result: list[nodes.Element] = super().run_directive(  # type: ignore[misc]
            name, first_line, content, position, *args, **kwargs)
        return result

    def _read_options_problem(self, name: str, first_line: str, content: str, position: int,
                              kind: Kind, place: Place | None) -> str | None:
        """The options' names as the directive itself reads them, asked of the allowlist again.

        Their values were checked as written (a directive converts them as it reads them).
        """
        from docutils.parsers.rst import DirectiveError
        from myst_parser.parsers.directives import MarkupError, parse_directive_text

        directive_class, _messages = directives.directive(
            name, self.language_module_rst, self.document)
        if directive_class is None:
            return None  # myst-parser reports an unknown directive
        try:
            parsed = parse_directive_text(directive_class, first_line, content, line=position)
        except (MarkupError, DirectiveError, SystemMessagePropagation):
            return None  # myst-parser reports the error itself and runs nothing
        allowed = DIRECTIVES[directive_name(name)].options
        for option in parsed.options:
            if option not in allowed:
                return directive_problem(kind, name, first_line, {option: ""}, place)
        return None

    def render_restructuredtext(self, token: Any) -> None:
        """Refuse ``{eval-rst}``: reStructuredText is not in the allowlist."""
        self.refuse(directive_problem(self.gate_kind(), "eval-rst", "", {}, None)
                    or "{eval-rst} is not allowed", token_line(token, default=0))

    def render_myst_role(self, token: Any) -> None:
        """Render a role only when the page may use it; otherwise its text, as text."""
        problem = role_problem(self.gate_kind(), str(token.meta.get("name", "")))
        if problem:
            self.refuse(problem, token_line(token, default=0))
            self.current_node.append(nodes.Text(str(token.content)))
            return
        super().render_myst_role(token)  # type: ignore[misc]

    def render_link(self, token: Any) -> None:
        """Render a link only to an allowed target; otherwise its text without the link."""
        problem = link_problem(str(token.attrGet("href") or ""), self.gate_place())
        if problem:
            self.refuse(problem, token_line(token, default=0))
            self.render_children(token)  # type: ignore[attr-defined]
            return
        super().render_link(token)  # type: ignore[misc]

    def render_image(self, token: Any) -> None:
        """Render an image only from an allowed source."""
        problem = image_problem(str(token.attrGet("src") or ""), self.gate_place())
        if problem:
            self.refuse(problem, token_line(token, default=0))
            return
        super().render_image(token)  # type: ignore[misc]

    def render_substitution(self, token: Any, inline: bool) -> None:
        """``{{ name }}``: the edition's value for a bare name, as plain text; nothing else."""
        names = self.gate_names()
        problem = substitution_problem(self.gate_kind(), str(token.content), names)
        if problem:
            self.refuse(problem, token_line(token, default=0))
            return
        text = nodes.Text(str(names[str(token.content).strip()]))
        if inline:
            self.current_node.append(text)
        else:
            self.current_node.append(nodes.paragraph("", "", text))

    def render_front_matter(self, token: Any) -> None:
        """Render the front matter with only the keys the kind of page may set."""
        kind = self.gate_kind()
        text: object = token.content
        # read once here, so that myst-parser never loads the text itself
        data = self.load_front_matter(text) if isinstance(text, str) else text
        if isinstance(data, dict) and any(front_matter_problem(kind, str(key))
                                          for key in data):
            if isinstance(text, str):  # the lines of the refused keys
                for line, message in front_matter_findings(text, kind):
                    self.refuse(message, line)
            else:
                for key in data:
                    problem = front_matter_problem(kind, str(key))
                    if problem:
                        self.refuse(problem, token_line(token, default=0))
        token.token.content = {key: value for key, value in data.items()
                               if front_matter_problem(kind, str(key)) is None} \
            if isinstance(data, dict) else {}
        super().render_front_matter(token)  # type: ignore[misc]

    def load_front_matter(self, text: str) -> object:
        """The front matter's data, read by the strict loader (None when it is refused).

        What stops it being read (an alias, an unsafe tag) is reported by the front-matter
        checks, with its line.
        """
        from .yamlsafe import YamlRefused, load_yaml

        try:
            return load_yaml(text)
        except YamlRefused:
            return None


# --------------------------------------------------------------------------- docutils alone


def gated_docutils_parser() -> Any:
    """myst-parser's docutils parser with the gate, for a parse outside Sphinx (the check).

    The page's kind, place and a list for the refusals come in the document's settings:
    ``edition_gate_kind``, ``edition_gate_place``, ``edition_gate_refusals``.
    """
    from myst_parser.mdit_to_docutils.base import DocutilsRenderer
    from myst_parser.parsers.docutils_ import Parser, create_myst_config
    from myst_parser.parsers.mdit import create_md_parser

    class GatedDocutilsRenderer(GateMixin, DocutilsRenderer):
        """myst-parser's docutils renderer behind the allowlist."""

        def gate_kind(self) -> Kind:
            kind: Kind = self.document.settings.edition_gate_kind
            return kind

        def gate_place(self) -> Place | None:
            place: Place | None = self.document.settings.edition_gate_place
            return place

        def refuse(self, message: str, line: int) -> None:
            self.document.settings.edition_gate_refusals.append((line, message))

    class GatedParser(Parser):
        """The parser: the edition's MyST configuration, the gated renderer."""

        def parse(self, inputstring: str, document: nodes.document) -> None:
            self.setup_parse(inputstring, document)
            config = create_myst_config(document.settings)
            parser = create_md_parser(config, GatedDocutilsRenderer)
            parser.options["document"] = document
            parser.render(inputstring)
            self.finish_parse()

    return GatedParser()
