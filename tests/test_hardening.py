"""Hostile and broken input on the converters' side: each is refused in one located line, or
converted without loss; nothing a source or a data file says can inject markup or script."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from docutils import nodes
from docutils.core import publish_doctree
from edition_builds import copy_edition
from myst_parser.parsers.docutils_ import Parser

from converters import __main__ as cli
from converters import myst, pipeline, sources
from converters.common import editorial_data
from converters.common.registry import RegistryError, parse_registry
from converters.common.yamlsafe import MAX_YAML_DEPTH, YamlRefused, load_yaml
from converters.editing.check import check
from converters.model import Article, ConversionError, Figure, Metadata, Paragraph, Text
from converters.pipeline import Options, convert_source
from converters.readers import _html as htmltext
from converters.readers import nytimes
from converters.sources import decode

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
NYT_SEED, CAIXIN_SEED = SEEDS[0], SEEDS[1]
BARE = Options(editorial=None, registry=None)

#: A minimal NYT feed post around some body HTML.
NYT_HEAD = ("<!--1737428822000-->\n"
            "[标题](https://cn.nytimes.com/business/20250121/hostile-test/)\n------\n\n")


def nyt(body: str) -> bytes:
    """An NYT feed post with ``body`` as its HTML."""
    return (NYT_HEAD + body).encode("utf-8")


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The converter command as a user runs it."""
    return subprocess.run([sys.executable, "-m", "converters", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def one_line_refusal(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line of a refused run (exit 2, no traceback, no 'internal error')."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    return lines[0]


def billion_laughs(levels: int = 9) -> str:
    """An alias bomb: a few hundred bytes that expand into 9**levels strings."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- the YAML loader


@pytest.mark.parametrize(("text", "line", "words"), [
    ("a: 1\nb: &x 2\nc: *x\n", 2, "anchor &x refused"),
    ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
    ("title: !!python/object/apply:os.system ['true']\n", 1, "tag"),
    ("<<: {a: 1}\n", 1, "merge key"),
    ("a:\n  b: [1,\n", 3, "invalid YAML"),
    ("a: \x01\n", 1, "U+0001"),
    ("x: " + "[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1) + "\n", 1, "levels deep"),
])
def test_the_loader_refuses_with_file_and_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlRefused) as refused:
        load_yaml(text, path="data.yaml")
    assert refused.value.line == line
    assert str(refused.value).startswith(f"data.yaml:{line}: ")
    assert words in str(refused.value)
    assert "\n" not in str(refused.value)


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    bomb = billion_laughs()
    assert len(bomb) < 800
    tracemalloc.start()
    try:
        with pytest.raises(YamlRefused, match="anchor &l0 refused"):
            load_yaml(bomb, path="bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024  # expanded, it would be 9**9 strings: gigabytes


def test_the_loader_keeps_ordinary_data_and_lines_count_from_the_page() -> None:
    assert load_yaml("a: [x, y]\nb: {c: '1'}\n") == {"a": ["x", "y"], "b": {"c": "1"}}
    assert load_yaml("date: 2020-07-24T03:24:32+01:00\n", strings=True) == {
        "date": "2020-07-24T03:24:32+01:00"}
    with pytest.raises(YamlRefused) as refused:
        load_yaml("a: 1\na: 2\n", path="page.md", first_line=2)
    assert refused.value.line == 3


def test_an_alias_bomb_in_editorial_data_is_refused_with_its_line(tmp_path: Path) -> None:
    data = ("seeds:\n  x.txt:\n    articles:\n    - slug: x\n      ranges:\n"
            "      - first: a\n        last: b\n        moved: &m [a, b]\n"
            "      - {first: c, last: d, moved: *m}\n")
    path = tmp_path / "editorial.yaml"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(editorial_data.EditorialError) as refused:
        editorial_data.load(path)
    assert refused.value.reason.startswith("line 8: anchor &m refused")


def test_an_alias_bomb_in_the_registry_is_refused() -> None:
    with pytest.raises(RegistryError) as refused:
        parse_registry("entities: []\nnot_entities:\n" + billion_laughs(), "registry.yaml")
    assert refused.value.messages == [
        "registry.yaml:3: anchor &l0 refused (anchors and aliases are not used in the "
        "edition's files)"]


def test_registry_names_are_compared_without_invisible_characters() -> None:
    entity = ('- id: {id}\n  type: company\n  label: "{label}"\n'
              '  labels: {{en: "{label}", zh-Hans: "", zh-Hant: ""}}\n'
              '  description: "x"\n  wikidata: ""\n')
    text = ("entities:\n" + entity.format(id="bytedance", label="ByteDance")
            + entity.format(id="fake", label="Byte\u200bDance") + "not_entities: []\n")
    with pytest.raises(RegistryError) as refused:
        parse_registry(text, "registry.yaml")
    assert any("is already a name of 'bytedance'" in m for m in refused.value.messages)


# --------------------------------------------------------------------------- URLs and languages


def caixin_with(extra_front_matter: str) -> bytes:
    """The real Caixin seed with lines added at the end of its front matter."""
    text = CAIXIN_SEED.read_text(encoding="utf-8")
    head, rest = text.split("\n---\n", 1)
    return f"{head}\n{extra_front_matter}\n---\n{rest}".encode()


def test_a_second_from_key_is_refused_in_one_line(tmp_path: Path) -> None:
    post = tmp_path / "post.txt"
    post.write_bytes(caixin_with('from: "javascript:alert(document.domain)"'))
    line = one_line_refusal(run(post, "--out", tmp_path / "out", "--no-editorial"))
    assert line == (f"error: {post}: line 9: front matter refused: duplicate key 'from' "
                    "(a key may be given once)")
    assert not (tmp_path / "out").exists()


def test_the_nyt_headline_is_only_taken_from_the_sources_own_host() -> None:
    spoof = "[假标题](https://evil.example/fake/)\n------\n"
    source = decode("x.txt", spoof.encode() + nyt("<section><p>正文。</p></section>"))
    article = nytimes.read(source)[0]
    assert article.meta.source_url == "https://cn.nytimes.com/business/20250121/hostile-test/"
    assert article.meta.title == "标题"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("source_url", "javascript:alert(1)", "scheme 'javascript:' is not allowed"),
    ("original_url", "data:text/html,<script>x</script>", "scheme 'data:' is not allowed"),
    ("language", ["en\" onload=\"x"], "is not a BCP 47 tag"),
    ("language", ["tlh"], "is not a BCP 47 tag"),
])
def test_editorial_urls_and_languages_are_checked(field: str, value: object, words: str) -> None:
    shown = json.dumps(value)
    data = (f"seeds:\n  x.txt:\n    articles:\n    - metadata:\n        {field}: "
            f"{{value: {shown}, reason: because}}\n")
    with pytest.raises(editorial_data.EditorialError) as refused:
        editorial_data.parse(data, "editorial.yaml")
    assert words in refused.value.reason


def test_the_writer_refuses_a_language_outside_the_allow_list() -> None:
    article = Article(slug="x", meta=Metadata(title="t", language=['zh"><script>']),
                      blocks=[Paragraph([Text("t")])])
    with pytest.raises(ConversionError, match="is not a BCP 47 tag"):
        myst.write(article)


def test_figure_images_that_are_not_web_urls_keep_only_their_caption() -> None:
    body = ('<section><p>正文。</p><figure><img src="javascript:alert(1)">'
            "<figcaption>图注</figcaption></figure></section>")
    page = next(iter(convert_source(decode("x.txt", nyt(body)), BARE).pages.values()))
    assert "javascript" not in page and "图注" in page


# --------------------------------------------------------------------------- figures


ALTS = ['"Hello" she said', "| pipe", "Photo #3", "a: b", "- dash", "> quote", "{x}",
        "it's 'quoted'", "back\\slash", "*star* _under_", "%percent", "@at `tick`",
        "line\nbreak", "tab\there", "x\u2028y", "照片「一」#2"]


@pytest.mark.parametrize("alt", ALTS)
def test_any_alt_text_round_trips_and_the_name_is_kept(alt: str) -> None:
    figure = Figure(image="https://example.com/a.jpg", caption=[Text("Caption")], alt=alt,
                    label="x-f1")
    article = Article(slug="x", meta=Metadata(title="T", language=["en"]), blocks=[figure])
    page = myst.write(article)
    warnings = io.StringIO()
    doctree = publish_doctree(page, parser=Parser(), settings_overrides={
        "myst_enable_extensions": ["colon_fence"], "warning_stream": warnings,
        "report_level": 2})
    image = next(iter(doctree.findall(nodes.image)))
    assert image["alt"] == " ".join(alt.split())
    assert "x-f1" in doctree.ids
    assert warnings.getvalue() == ""


# --------------------------------------------------------------------------- the check


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the edition's pages, data, seeds and guide to break things in."""
    copy_edition(tmp_path)
    shutil.copy(ROOT / "CONTRIBUTING.md", tmp_path / "CONTRIBUTING.md")
    return tmp_path


def found_at(root: Path, path: Path, line: int) -> list[str]:
    """The problems the check reports at one place."""
    where = f"{path.relative_to(root).as_posix()}:{line}: "
    return [str(p) for p in check(root) if str(p).startswith(where)]


# What a page must not do (raw markup, file reads, a script address) is in the check's cases,
# tests/data/check_cases.yaml.


@pytest.mark.parametrize(("content", "line", "words"), [
    ("---\ntitle: 中文\n---\n# 标题\n".encode("gb18030"), 2, "page is not UTF-8"),
    (b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n# x\n", 2, "tag"),
    (b"---\ntitle: [unclosed\n---\n# x\n", 3, "invalid YAML"),
    (b"---\nauthors: &a [x, x]\nb: *a\n---\n# x\n", 2, "anchor &a refused"),
])
def test_check_never_tracebacks_on_a_broken_page(project: Path, content: bytes, line: int,
                                                 words: str) -> None:
    page = project / "docs" / "articles" / "broken.md"
    page.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "converters", "check", "--root",
                             str(project)], capture_output=True, text=True, check=False,
                            cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert any(out.startswith(f"docs/articles/broken.md:{line}: ") and words in out
               for out in result.stdout.splitlines())


def test_check_reads_no_endless_page(project: Path) -> None:
    # a page that is a link is refused without being read (it would read what it points at)
    (project / "docs" / "articles" / "zero.md").symlink_to("/dev/zero")
    assert any("symbolic link is not allowed" in p for p in found_at(
        project, project / "docs" / "articles" / "zero.md", 1))


def test_check_reads_no_endless_page_under_its_size_limit(project: Path) -> None:
    (project / "docs" / "articles" / "big.md").write_bytes(b"a" * (11 * 1024 * 1024))
    assert any("page is larger than" in p for p in found_at(project, project / "docs" /
                                                            "articles" / "big.md", 1))


def test_the_edition_passes_the_markup_check(project: Path) -> None:
    assert [str(p) for p in check(project, ["markup"])] == []


# --------------------------------------------------------------------------- overwriting


def test_a_page_made_from_another_seed_is_not_replaced(tmp_path: Path) -> None:
    first, second = tmp_path / "甲.txt", tmp_path / "乙.txt"
    first.write_text("标题一#\n第一篇的文字。\n", encoding="utf-8")
    second.write_text("标题二#\n第二篇的文字。\n", encoding="utf-8")
    out = tmp_path / "articles"
    assert run(first, "--out", out, "--no-editorial").returncode == 0
    page = out / "article.md"
    before = page.read_bytes(), (out / "_import" / "article.md").read_bytes()
    for flags in ([], ["--no-merge"]):
        line = one_line_refusal(run(second, "--out", out, "--no-editorial", *flags))
        assert "made from seed 甲.txt" in line and "this input is 乙.txt" in line
        assert (page.read_bytes(), (out / "_import" / "article.md").read_bytes()) == before
    assert run(first, "--out", out, "--no-editorial").returncode == 0  # its own seed: fine


# --------------------------------------------------------------------------- robust edges


def test_a_5000_deep_nest_fails_with_the_stated_limit() -> None:
    body = "<section>" + "<div>" * 5000 + "<p>深处。</p>" + "</div>" * 5000 + "</section>"
    with pytest.raises(ConversionError, match=f"the limit is {htmltext.MAX_HTML_DEPTH}"):
        convert_source(decode("x.txt", nyt(body)), BARE)


def test_250_unclosed_bold_tags_fail_with_the_stated_limit() -> None:
    body = "<section><p>" + "<b>粗" * 250 + "。</p></section>"
    with pytest.raises(ConversionError, match=f"the limit is {htmltext.MAX_HTML_DEPTH}"):
        convert_source(decode("x.txt", nyt(body)), BARE)


def test_nesting_just_under_the_limit_converts() -> None:
    depth = htmltext.MAX_HTML_DEPTH - 10
    body = "<section>" + "<div>" * depth + "<p><b>" * 3 + "深处。" + "</b>" * 3 + "</p>" \
        + "</div>" * depth + "</section>"
    result = convert_source(decode("x.txt", nyt(body)), BARE)
    assert "**深处。**" in next(iter(result.pages.values()))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(encoding: str) -> None:
    text = NYT_SEED.read_text(encoding="utf-8")
    raw = text.encode(encoding)
    if encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    source = decode(NYT_SEED.name, raw)
    assert source.text == text.replace("\r\n", "\n")
    assert source.sha256 != decode(NYT_SEED.name, text.encode()).sha256
    source.sha256 = decode(NYT_SEED.name, text.encode()).sha256
    assert convert_source(source, BARE).pages == convert_source(
        decode(NYT_SEED.name, text.encode()), BARE).pages


def test_xml_forbidden_characters_are_removed_and_recorded() -> None:
    body = "<section><p>文字&#1;。控制\x02字符&#x1f;</p></section>"
    page = next(iter(convert_source(decode("x.txt", nyt(body)), BARE).pages.values()))
    assert "文字。控制字符" in page
    assert not any(ord(c) < 32 and c not in "\n\t" for c in page)
    assert "kind: control-characters" in page and "chars: 3" in page


def test_too_many_links_are_refused_with_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MAX_LINKS", 10)
    links = "".join(f'<a href="https://e.com/{n}">链{n}</a>' for n in range(11))
    with pytest.raises(ConversionError, match=r"11 links in the HTML \(the limit is 10 per"):
        convert_source(decode("x.txt", nyt(f"<section><p>{links}</p></section>")), BARE)


@pytest.mark.parametrize(("limit", "what"), [("MAX_BLOCKS", "paragraphs and other blocks"),
                                              ("MAX_FIGURES", "images")])
def test_too_many_blocks_or_figures_are_refused(monkeypatch: pytest.MonkeyPatch, limit: str,
                                                what: str) -> None:
    monkeypatch.setattr(pipeline, limit, 3)
    body = "".join(f'<p>第{n}段。</p><img src="https://e.com/{n}.jpg">' for n in range(4))
    with pytest.raises(ConversionError, match=f"[48] {what} .*the limit is 3"):
        convert_source(decode("x.txt", nyt(f"<section>{body}</section>")), BARE)


def test_plain_text_with_too_many_lines_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "MAX_BLOCKS", 3)
    text = "标题#\n" + "".join(f"第{n}段。\n" for n in range(10))
    with pytest.raises(ConversionError, match="11 lines of text"):
        convert_source(decode("x.txt", text.encode()), BARE)


@pytest.mark.slow  # 20,000 generated links
def test_many_links_convert() -> None:
    # a quadratic step (list.pop(0)) would make this take minutes; it takes seconds
    links = "".join(f'<b></b><a href="https://e.com/{n}">链</a>' for n in range(20_000))
    result = convert_source(decode("x.txt", nyt(f"<section><p>{links}</p></section>")), BARE)
    assert result.footnotes == 20_000


def test_an_input_over_the_size_limit_is_refused(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_bytes(nyt("<section><p>" + "字" * 1000 + "</p></section>"))
    with pytest.raises(ConversionError, match="larger than 1,000 bytes"):
        sources.load(path)


def test_dev_zero_is_refused_in_one_line(tmp_path: Path) -> None:
    line = one_line_refusal(run("/dev/zero", "--out", tmp_path))
    assert line == f"error: /dev/zero: larger than {sources.MAX_INPUT_BYTES:,} bytes, the " \
        "limit of an input"


def test_out_being_a_file_is_one_plain_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for out in (blocker, blocker / "sub"):
        line = one_line_refusal(run(NYT_SEED, "--out", out, "--no-editorial", "--no-merge"))
        assert "is --out a file?" in line


def test_a_too_long_slug_is_one_plain_line(tmp_path: Path) -> None:
    post = tmp_path / "long.txt"
    post.write_bytes(nyt("<section><p>正文。</p></section>").replace(
        b"hostile-test", b"a" * 300))
    line = one_line_refusal(run(post, "--out", tmp_path / "out", "--no-editorial"))
    assert f"the limit is {pipeline.MAX_SLUG_LENGTH}" in line


def test_ctrl_c_while_writing_leaves_no_temporary_file(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    def interrupted(_fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    out = tmp_path / "articles"
    status = cli.main([str(NYT_SEED), "--out", str(out), "--no-editorial"])
    assert status == 130
    assert capsys.readouterr().err.strip().splitlines() == [
        "interrupted: nothing half-written is left"]
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_termination_signal_exits_130_in_one_line(tmp_path: Path) -> None:
    fifo = tmp_path / "input.txt"
    os.mkfifo(fifo)
    process = subprocess.Popen([sys.executable, "-m", "converters", str(fifo), "--out",
                                str(tmp_path / "out")], cwd=ROOT, stderr=subprocess.PIPE,
                               text=True)
    # the converter blocks opening the FIFO (nothing writes to it): wait until it does
    wchan = Path(f"/proc/{process.pid}/wchan")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if "wait_for_partner" in wchan.read_text():
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines() == ["interrupted: nothing half-written is left"]
