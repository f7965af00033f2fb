"""docutils' tree walk by a stack: the same nodes in the same order as docutils' own, even when
the walker changes the tree; installed for a build and given back when it ends."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from docutils import nodes
from hypothesis import given
from hypothesis import strategies as st

from edition.speedups import tree_walks
from edition.speedups.tree_walks import DOCUTILS_FINDALL, findall

#: Element classes a random tree is made of (a class, its subclasses, unrelated ones).
KINDS: list[type[nodes.Element]] = [nodes.section, nodes.paragraph, nodes.emphasis,
                                    nodes.strong, nodes.footnote, nodes.inline]


@st.composite
def trees(draw: Any, depth: int = 0) -> nodes.Node:
    """A random docutils tree, each node numbered by its ``n`` (Text nodes by their text)."""
    counter = draw(st.shared(st.builds(lambda: [0]), key="counter"))
    counter[0] += 1
    if depth >= 4 or draw(st.integers(0, 3)) == 0:
        return nodes.Text(f"t{counter[0]}")
    node = draw(st.sampled_from(KINDS))(n=counter[0])
    for _ in range(draw(st.integers(0, 4))):
        node += draw(trees(depth + 1))
    return node


CONDITIONS: dict[str, Any] = {
    "none": None,
    "class": nodes.TextElement,
    "Text": nodes.Text,
    "function": lambda node: isinstance(node, nodes.Element) and node["n"] % 2 == 0,
}

#: What a walker does to the tree at a node it is given (docutils says the result is
#: undefined; Sphinx's and the edition's transforms do these, so the walks must agree).
ACTIONS: dict[str, Callable[[Any], None]] = {
    "nothing": lambda _node: None,
    "replace": lambda node: node.replace_self(nodes.inline("", "", nodes.Text("new"), n=0)),
    "remove": lambda node: node.parent.remove(node),
    "append": lambda node: node.append(nodes.strong("", "", n=0)),
    "insert before": lambda node: node.parent.insert(node.parent.index(node),
                                                     nodes.emphasis(n=0)),
    "empty": lambda node: node.clear(),
}


def label(node: nodes.Node) -> str:
    """A node's number, or a Text node's text."""
    if isinstance(node, nodes.Element):
        return f"{node.tagname}{node['n']}"
    return node.astext()


def walked(walk: Callable[..., Iterator[nodes.Node]], tree: nodes.Node, condition: Any,
           include_self: bool, action: str) -> tuple[list[str], str]:
    """The nodes a walk gives, acting on each third one, and the tree afterwards.

    At most 300 nodes: a node inserted before the one walked makes both walks see that one
    again, and again (the walk never ends; the first 300 nodes still have to agree).
    """
    seen = []
    for number, node in enumerate(walk(tree, condition, include_self)):
        seen.append(label(node))
        if number == 300:
            break
        if number % 3 == 1 and node.parent is not None and isinstance(node, nodes.Element):
            ACTIONS[action](node)
    return seen, tree.pformat()


@given(tree=trees(), condition=st.sampled_from(sorted(CONDITIONS)), include_self=st.booleans(),
       action=st.sampled_from(sorted(ACTIONS)))
def test_the_walk_is_docutils_own(tree: nodes.Node, condition: str, include_self: bool,
                                  action: str) -> None:
    root = nodes.section("", tree, n=-1)  # so that the top node may be replaced too
    theirs = walked(DOCUTILS_FINDALL, copy.deepcopy(root), CONDITIONS[condition], include_self,
                    action)
    ours = walked(findall, root, CONDITIONS[condition], include_self, action)
    assert ours == theirs


def test_other_walks_are_left_to_docutils() -> None:
    """Siblings, ascending and no descending: docutils' own walk."""
    tree = nodes.section("", nodes.paragraph("", "a", n=2), nodes.paragraph("", "b", n=3), n=1)
    first = tree[0]
    for options in ({"siblings": True}, {"ascend": True}, {"descend": False}):
        assert (list(findall(first, nodes.paragraph, **options))
                == list(DOCUTILS_FINDALL(first, nodes.paragraph, **options)))
    assert [label(node) for node in findall(first, siblings=True)] == ["paragraph2", "a",
                                                                       "paragraph3", "b"]


@pytest.mark.sphinx("html", testroot="frontmatter", freshenv=True)
def test_a_build_walks_by_a_stack_then_gives_docutils_its_walk_back(app: Any) -> None:
    during: list[object] = []
    app.connect("source-read", lambda *_: during.append(nodes.Node.findall))
    app.build()
    assert during and all(method is findall for method in during)
    assert nodes.Node.findall is DOCUTILS_FINDALL
    assert tree_walks.DOCUTILS_FINDALL is DOCUTILS_FINDALL
    assert (app.outdir / "index.html").exists()

