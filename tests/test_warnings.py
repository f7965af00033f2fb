"""Each warning the extension emits, located at the file and line of the mistake (a small root)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from edition_builds import Build, root_build

#: The cases: title, the page holding one mistake, every warning expected of it.
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "warning_cases.yaml").read_text(encoding="utf-8"))["cases"]
#: A warning as Sphinx prints it: ``path:line: WARNING: message [edition.subtype]`` (or an
#: ``ERROR``: what the allowlist refuses).
WARNING = re.compile(r"^(?P<path>[^:\n]+?)(?::(?P<line>\d+))?: (?:WARNING|ERROR): "
                     r"(?P<message>.*)$", re.M)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """tests/roots/test-warnings with every case's page, built once."""
    pages = {case["page"]: case["text"] for case in CASES}
    return root_build(tmp_path_factory.mktemp("warnings"), "warnings", pages=pages)


def warnings_of(build: Build, page: str) -> list[tuple[int, str]]:
    """The warnings located in one page: line (0 when none is given) and message."""
    target = str(build.srcdir / page)
    return [(int(m["line"] or 0), m["message"]) for m in WARNING.finditer(build.warnings)
            if m["path"] in (target, target.removesuffix(".md"))]


def test_clean_article_has_no_warning(build: Build) -> None:
    """The pages beside the mistakes build without a warning of their own."""
    assert warnings_of(build, "articles/clean.md") == []
    # the index only says that the article without a title heading has no title to link
    assert all("articles/no-title" in message for _line, message in warnings_of(build, "index.md"))


@pytest.mark.parametrize("case", CASES, ids=[c["title"] for c in CASES])
def test_warning_case(build: Build, case: dict[str, Any]) -> None:
    """Every warning of a case's page is located at its line; the page has no other."""
    lines = case["text"].split("\n")
    found = warnings_of(build, case["page"])
    assert len(found) == len(case["expect"]), (found, build.warnings)
    for item in case["expect"]:
        line = 0 if item["at"] is None else next(
            n for n, s in enumerate(lines, 1) if item["at"] in s)
        assert any(at == line and item["says"] in message for at, message in found), (
            line, item["says"], found)
