"""The architecture's recipes, followed: a fifth source format added through the reader protocol.

The toy format is registered with :func:`converters.readers.register` from outside the package
(nothing in converters/ knows it), converted by the real command line and built by Sphinx.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from docutils.parsers.rst import roles
from sphinx.testing.util import SphinxTestApp

from converters import readers
from converters.__main__ import main as convert
from converters.common.markup import MYST_EXTENSIONS
from converters.model import Article, ConversionError, Metadata, Paragraph, Source, Text

#: A header line of the toy format: ``TOY: key: value``.
TOY_HEADER = re.compile(r"^TOY:\s*(?P<key>[a-z]+):\s*(?P<value>.*?)\s*$")
#: The header keys the toy format states, and the metadata field each fills.
TOY_FIELDS = {"title": "title", "author": "authors", "date": "date", "language": "language"}
#: Fields holding a list in the document model.
LIST_FIELDS = frozenset({"authors", "language"})

TOY_SOURCE = """\
TOY: title: A toy text
TOY: author: Jane Roe
TOY: date: 2024-05-01
TOY: language: en

The first paragraph of the toy text, with *stars* and a [bracket] kept as text.

The second paragraph.
"""


#: The home page: the article cards, and the pages the extension generates (entities, timeline).
TOY_INDEX = """\
# Toy edition

```{article-cards}
:toctree: Articles
```

```{toctree}
:hidden:
_generated/entities/index
_generated/timeline
```
"""


class ToyReader:
    """A reader of the toy format: ``TOY:`` header lines, then paragraphs between blank lines."""

    FORMAT = "toy"

    def sniff(self, text: str) -> bool:
        """The toy format starts with a ``TOY:`` line."""
        return text.startswith("TOY:")

    def read(self, source: Source) -> list[Article]:
        """One article: the header lines are its metadata, the rest its paragraphs."""
        lines = source.text.splitlines()
        meta = Metadata()
        while lines and (match := TOY_HEADER.match(lines[0])):
            if match["key"] not in TOY_FIELDS:
                raise ConversionError(f"unknown toy header {match['key']!r}")
            name = TOY_FIELDS[match["key"]]
            setattr(meta, name, [match["value"]] if name in LIST_FIELDS else match["value"])
            lines.pop(0)
        if meta.date:
            meta.date_precision = "day"
        paragraphs = [p.strip() for p in "\n".join(lines).split("\n\n") if p.strip()]
        blocks = [Paragraph([Text(" ".join(p.split()))]) for p in paragraphs]
        return [Article(slug=Path(source.name).stem, meta=meta, blocks=list(blocks))]


@pytest.fixture
def toy_format() -> Iterator[ToyReader]:
    """The toy format registered before the generic plain-text reader, removed afterwards."""
    reader = ToyReader()
    readers.register(reader, "a toy text", before="plaintext")
    yield reader
    readers.unregister(reader.FORMAT)


def make_project(folder: Path) -> Path:
    """A minimal edition: conf.py, an empty registry and a home page listing the articles."""
    (folder / "_data").mkdir(parents=True)
    (folder / "_data" / "registry.yaml").write_text("entities: []\nnot_entities: []\n",
                                                    encoding="utf-8")
    (folder / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_design", "edition"]\n'
        f"myst_enable_extensions = {list(MYST_EXTENSIONS)!r}\n"
        'project = "Toy edition"\nsmartquotes = False\n'
        # the converter keeps its merge bases in _import/, beside the articles
        'exclude_patterns = ["_build", "_import"]\n',
        encoding="utf-8",
    )
    (folder / "index.md").write_text(TOY_INDEX, encoding="utf-8")
    return folder


@pytest.mark.usefixtures("toy_format")
def test_toy_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A toy format registered through the protocol converts by the CLI into MyST that builds."""
    # Tests that parse MyST without Sphinx register stand-ins for the edition's roles in
    # docutils' global table; the build must register the real ones without a warning.
    for role in ("ent", "date"):
        monkeypatch.delitem(vars(roles)["_roles"], role, raising=False)
    assert "a toy text" in readers.known_formats()
    source = tmp_path / "toy-text.txt"
    source.write_text(TOY_SOURCE, encoding="utf-8")
    project = make_project(tmp_path / "docs")
    status = convert([str(source), "--out", str(project / "articles"), "--no-editorial",
                      "--registry", str(project / "_data" / "registry.yaml")])
    assert status == 0
    assert capsys.readouterr().out.startswith("toy-text.txt: toy, 1 article(s)")
    page = (project / "articles" / "toy-text.md").read_text(encoding="utf-8")
    assert "title: A toy text" in page
    assert "(toy-text-p2)=" in page
    assert r"\*stars\*" in page

    app = SphinxTestApp("html", srcdir=project, builddir=tmp_path / "build")
    try:
        app.build()
        warnings = app.warning.getvalue()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings and "ERROR" not in warnings, warnings
    html = (tmp_path / "build" / "html" / "articles" / "toy-text.html").read_text(encoding="utf-8")
    assert 'id="toy-text-p1"' in html
    assert "with *stars* and a [bracket] kept as text" in html
    assert "Jane Roe" in html
    assert "1 May 2024" in html


def test_toy_format_is_unknown_once_unregistered(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Without the registration the toy file is refused like any unknown input: one line, exit 2."""
    source = tmp_path / "toy-text.txt"
    source.write_text(TOY_SOURCE, encoding="utf-8")
    status = convert([str(source), "--out", str(tmp_path / "out"), "--no-editorial"])
    assert status == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "unknown format" in error
    assert "a toy text" not in error


def test_register_refuses_a_second_reader_of_a_format() -> None:
    """Format names are unique, and ``before`` must name a registered format."""
    with pytest.raises(ValueError, match="registered already"):
        readers.register(readers.FORMATS[0].reader, "again")
    with pytest.raises(ValueError, match="no format 'nope'"):
        readers.register(ToyReader(), "a toy text", before="nope")
    assert [entry.reader.FORMAT for entry in readers.FORMATS] == [
        "nytimes", "caixin", "bilingual", "plaintext"]
