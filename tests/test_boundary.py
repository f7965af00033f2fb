"""The reader's browser is sacred: hostile pages and data files, built to HTML, LaTeX and EPUB.

The hostile project (tests/roots/test-hostile) puts a payload in every field a source or a data
file can carry; each payload breaks out of an attribute, sets ``window.__pwned`` to the number
of its field and carries LaTeX commands. The browser tests (tests/browser/test_hostile.py)
load and click the built pages in Chromium; these tests read the built files, the warnings,
and the builds of broken pages and data files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from hostile_builds import (
    PAYLOAD_FIELDS,
    REPO,
    SECRET,
    SENTINELS,
    HostileBuild,
    broken_build,
    copy_project,
    crash_signs,
    hostile_build,
)
from test_build_epub import epubcheck_command
from test_build_pdf import TOOLS as PDF_TOOLS

from edition.security.safety import LANGUAGE_TAGS, is_web_url, language_tag, strip_xml_forbidden

pytestmark = pytest.mark.sphinx

#: LaTeX commands a payload carries; none may reach the .tex file as a command.
INJECTED_LATEX: tuple[str, ...] = (r"\input{/etc/hostname}", r"\write18")
_PWNED = re.compile(r"__pwned\s*=\s*(\d+)")


def alias_bomb(levels: int = 9, indent: str = "") -> str:
    """The "billion laughs": nine levels of lists of nine aliases of the level below."""
    lines = [f'{indent}- &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        refs = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"{indent}- &l{level} [{refs}]")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- pure checks


def test_language_tags_come_from_the_allow_list() -> None:
    # The converters' allow-list, spelled as it spells them, whatever the case.
    assert language_tag("zh-hant") == "zh-Hant"
    assert language_tag("EN_us") == "en-US"
    assert set(LANGUAGE_TAGS) >= {"en", "zh-Hans", "zh-Hant"}
    for hostile in ('en"><img src=x onerror=1>', r"en}\input{/etc/hostname}", "", "x-klingon",
                    None, ["en"]):
        assert language_tag(hostile) is None


def test_only_http_addresses_with_a_host_are_links() -> None:
    assert is_web_url("https://cn.nytimes.com/a/")
    assert is_web_url("HTTP://example.com")
    for hostile in ("javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:x",
                    "data:text/html,<script>x</script>", "http:///nohost", "https://a b/",
                    "java\tscript:x", "//example.com/x", "", None):
        assert not is_web_url(hostile)


def test_control_characters_xml_forbids_are_stripped() -> None:
    assert strip_xml_forbidden("a\x01b\x0bc\td\ne\ufffe") == "ab" + "c\td\ne"


# --------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The hostile project built to HTML (its refused payloads are warnings)."""
    return hostile_build(tmp_path_factory, "html")


def html_pages(build: HostileBuild) -> list[Path]:
    """Every HTML page of a build (not the copied sources or the theme's static files)."""
    return sorted(p for p in build.outdir.rglob("*.html")
                  if not {"_sources", "_static"} & set(p.parts))


def payloads_in_markup(soup: BeautifulSoup) -> list[str]:
    """Every place where a payload became markup: a script, an event handler, a link."""
    found = []
    for tag in soup.find_all(True):
        assert isinstance(tag, Tag)
        if tag.name == "script" and tag.get("type") == "application/ld+json":
            # a data block the browser never runs: it may quote a payload as data, as long as
            # it is JSON and holds no "<" (no "</script>" can end it early)
            text = tag.get_text()
            try:
                json.loads(text)
            except ValueError:
                found.append(f"<script ld+json> not JSON: {text[:60]}")
            if "<" in text:
                found.append(f"<script ld+json> holds '<': {text[:60]}")
        elif tag.name == "script" and _PWNED.search(tag.get_text()):
            found.append(f"<script> {tag.get_text()[:60]}")
        if tag.name == "img" and tag.get("src") == "x":
            found.append(f"<img src=x> {tag}")
        for name, value in tag.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.startswith("on") and _PWNED.search(text):
                found.append(f"<{tag.name} {name}={text[:60]!r}>")
            if name in ("href", "src", "action", "formaction") and re.match(
                    r"\s*(javascript|data|vbscript):", text, re.IGNORECASE):
                found.append(f"<{tag.name} {name}={text[:60]!r}>")
            if name == "http-equiv":
                found.append(f"<meta http-equiv={text!r}>")
    return found


def test_no_payload_becomes_markup_on_any_page(html: HostileBuild) -> None:
    pages = html_pages(html)
    assert len(pages) >= 8  # home, article, method, injected page, entity pages, indices
    problems = []
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        problems += [f"{page.relative_to(html.outdir)}: {p}" for p in payloads_in_markup(soup)]
    assert problems == []


def test_every_payload_field_reaches_the_pages_as_text(html: HostileBuild) -> None:
    """The payloads are not silently dropped: the fields that are shown show them as text."""
    shown = set()
    for page in html_pages(html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        texts = [soup.get_text()] + [str(tag.get(name)) for name in ("alt", "title")
                                     for tag in soup.find_all(attrs={name: True})]
        shown.update(int(n) for text in texts for n in _PWNED.findall(text))
    # Refused as markup, as a language tag or as a date that is not one (with a warning:
    # removed), or never shown by design: removed text, the addresses of refused links, metadata.
    # (The editorial.yaml title is the converters': they write it into the article.)
    refused = {7, 12, 18, 31, 32, 33, 34, 35, 36, 39, 47, 51}
    missing = {n: PAYLOAD_FIELDS[n] for n in PAYLOAD_FIELDS if n not in shown | refused}
    assert missing == {}


def test_the_print_header_shows_the_title_as_text(html: HostileBuild) -> None:
    for name in ("articles/hostile.html", "_generated/entities/hostile-co.html",
                 "injected.html"):
        soup = BeautifulSoup((html.outdir / name).read_text(encoding="utf-8"), "html.parser")
        header = soup.select_one("#jb-print-docs-body > h1")
        assert header is not None, name
        assert header.find(True) is None, f"{name}: markup in the print header: {header}"
        assert "onerror=" in header.get_text()
        assert header.get_text(" ", strip=True) == soup.select_one("main h1").get_text(
            " ", strip=True).rstrip("#").strip()


def test_the_sidebar_shows_the_home_title_as_text(html: HostileBuild) -> None:
    soup = BeautifulSoup((html.outdir / "articles/hostile.html").read_text(encoding="utf-8"),
                         "html.parser")
    # The book theme prints the home page's title there from its plain text, unescaped.
    home = soup.select_one(".bd-sidebar-primary .toctree-l1 > a")
    assert home is not None
    assert "window.__pwned=53" in home.get_text()
    assert home.find("img") is None


def test_every_lang_attribute_is_an_allowed_tag(html: HostileBuild) -> None:
    for page in html_pages(html):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(attrs={"lang": True}):
            assert tag["lang"] in LANGUAGE_TAGS, f"{page.name}: lang={tag['lang']!r}"
        root = soup.find("html")
        assert isinstance(root, Tag) and root.get("lang") in LANGUAGE_TAGS


def test_a_javascript_source_address_is_text_not_a_link(html: HostileBuild) -> None:
    soup = BeautifulSoup((html.outdir / "articles/hostile.html").read_text(encoding="utf-8"),
                         "html.parser")
    fields = {
        field.get_text(strip=True).rstrip(":"): field.find_next_sibling("dd")
        for field in soup.select(".article-meta dt")
    }
    for name, address in (("Source", "javascript:window.__pwned=8"),
                          ("Original", "JaVaScRiPt:window.__pwned=9")):
        body = fields[name]
        assert body is not None and address in body.get_text()
        assert body.find("a", href=re.compile("(?i)javascript")) is None


def test_refused_payloads_are_located_warnings(html: HostileBuild) -> None:
    out = html.output
    expected = [
        r"articles/hostile\.md:7: WARNING: front matter: language .* not one the edition knows",
        r"articles/hostile\.md:9: WARNING: front matter: source_url .* not an http\(s\) address",
        r"articles/hostile\.md:10: WARNING: front matter: original_url .* not an http\(s\)",
        r"articles/hostile\.md:32: WARNING: U\+0001, U\+000B removed: XML forbids it",
        r"_data/registry\.yaml:2: WARNING: U\+0001 removed from the entity 'hostile-co'",
        # The converters' check of the editorial decisions refuses the hostile slug.
        r"WARNING: editorial decisions: \S*_data/editorial\.yaml: seeds / 900_hostile\.txt / "
        r"articles\[2\] / slug: .* must be ascii lowercase",
    ]
    missing = [pattern for pattern in expected if not re.search(pattern, out)]
    assert missing == [], out
    assert crash_signs(out) == []


#: What the build refuses, as errors at the file and line of each payload (the allowlist).
BUILD_REFUSES: tuple[str, ...] = (
    r"articles/hostile\.md:49: ERROR: html inline is not allowed in an article",
    r"articles/hostile\.md:51: ERROR: html block is not allowed in an article",
    r"articles/hostile\.md:53: ERROR: directive \{raw\} is not allowed in an article",
    r"articles/hostile\.md:57: ERROR: directive \{eval-rst\} is not allowed in an article",
    r"injected\.md:2: ERROR: front matter: key 'myst' is not allowed in an edition page",
    r"injected\.md:12: ERROR: \{include\} of '\S*etc/hostname' is not allowed",
    r"injected\.md:15: ERROR: directive \{literalinclude\} is not allowed",
    r"injected\.md:18: ERROR: directive \{csv-table\} is not allowed",
    r"attacks\.md:6: ERROR: \{\{ lipsum\.__globals__.* is not allowed: a substitution is a bare",
    r"attacks\.md:9: ERROR: \{\{ cycler\.__init__.* is not allowed",
    r"attacks\.md:13: ERROR: directive \{math\} is not allowed",
    r"attacks\.md:17: ERROR: role \{math\} is not allowed",
    r"attacks\.md:19: ERROR: link to '\.\./\.\./\S*etc/passwd' is not allowed",
    r"attacks\.md:19: ERROR: link to '\.\./\.git/config' is not allowed",
    r"attacks\.md:19: ERROR: link to 'path:\.\./\.git/config' is not allowed",
    r"attacks\.md:19: ERROR: role \{download\} is not allowed",
    r"attacks\.md:22: ERROR: \{include\} of '\.\./\.git/config' is not allowed",
    r"attacks\.md:27: ERROR: image 'diagram\.svg' is not allowed",
    r"attacks\.md:33: ERROR: image 'diagram\.svg' is not allowed",
    r"_static/leak\.txt:1: ERROR: a symbolic link is not allowed",
    r"_static/page\.html:1: ERROR: a \.html file is not allowed in docs/_static",
)


def test_refused_payloads_are_located_errors(html: HostileBuild) -> None:
    """Every payload the allowlist does not list is an error at its line, not a warning."""
    missing = [pattern for pattern in BUILD_REFUSES if not re.search(pattern, html.output)]
    assert missing == [], html.output
    assert html.returncode == 1
    assert re.search(r"ERROR: \d+ thing\(s\) refused in \d+ page\(s\)", html.output)


def test_no_payload_ran_while_building(html: HostileBuild) -> None:
    """The substitutions' shell commands never ran (their sentinel files do not exist)."""
    assert html.returncode == 1
    assert [str(path) for path in SENTINELS if path.exists()] == []


def test_no_file_from_outside_the_repository_is_published(html: HostileBuild) -> None:
    """Nothing of /etc/passwd, /etc/hostname or the repository's .git/config is in the site."""
    hostname = Path("/etc/hostname")
    secrets = [SECRET.encode(), b"root:x:0:0"]
    # a short host name ("vm") occurs by chance in fonts and scripts: only a long one is a sign
    if hostname.is_file() and len(hostname.read_bytes().strip()) >= 8:
        secrets.append(hostname.read_bytes().strip())
    leaked = [str(path.relative_to(html.outdir)) for path in html.outdir.rglob("*")
              if path.is_file() and any(secret in path.read_bytes() for secret in secrets)]
    assert leaked == []
    assert not (html.outdir / "_downloads").exists()
    assert not (html.outdir / "_static" / "leak.txt").exists()


def test_no_scripted_file_is_served(html: HostileBuild) -> None:
    """No SVG or HTML page of the project's own is copied into the site; no maths is loaded."""
    assert list(html.outdir.rglob("*.svg")) == [] or all(
        b"__pwned" not in path.read_bytes() for path in html.outdir.rglob("*.svg"))
    assert not (html.outdir / "_static" / "page.html").exists()
    assert not (html.outdir / "_images").exists()
    page = (html.outdir / "attacks.html").read_text(encoding="utf-8")
    assert "mathjax" not in page.lower()
    assert "href=\"javascript" not in page.lower()


def test_the_build_writes_only_inside_its_folders(html: HostileBuild) -> None:
    """The build wrote nothing beside the project, its output and its doctrees."""
    top = html.srcdir.parent
    allowed = (html.srcdir, html.outdir, top / f"{html.srcdir.name}-html-doctrees", top / ".git")
    stray = [str(path) for path in top.rglob("*")
             if path.is_file() and not any(path.is_relative_to(folder) for folder in allowed)]
    assert stray == []
    home = (html.outdir / "index.html").read_text(encoding="utf-8")
    assert "Hostile edition" in home and "http-equiv" not in home


def test_no_file_outside_the_repository_is_read(html: HostileBuild) -> None:
    hostname = Path("/etc/hostname")
    page = (html.outdir / "injected.html").read_text(encoding="utf-8")
    assert "root:x:0:0" not in page  # /etc/passwd
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in BeautifulSoup(page, "html.parser").get_text()


# --------------------------------------------------------------------------- LaTeX


@pytest.fixture(scope="module")
def tex(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The LaTeX source of the hostile project."""
    build = hostile_build(tmp_path_factory, "latex")
    assert crash_signs(build.output) == []
    return (build.outdir / "edition.tex").read_text(encoding="utf-8")


@pytest.mark.slow  # the LaTeX build of the hostile project
def test_no_injected_latex_command_reaches_the_tex(tex: str) -> None:
    # The payloads are there, as text: \textbackslash{}input…
    assert r"\textbackslash{}input\{/etc/hostname\}" in tex
    for command in INJECTED_LATEX:
        assert command not in tex


def test_the_language_switch_takes_allowed_tags_only(tex: str) -> None:
    tags = re.findall(r"\\editionlanguage\{([^}]*)\}", tex)
    assert tags
    assert set(tags) <= {tag.lower() for tag in LANGUAGE_TAGS}


@pytest.mark.pdf
def test_the_pdf_prints_the_payloads_and_reads_no_file(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """XeLaTeX typesets the hostile project: the commands are text, /etc/hostname is not read."""
    missing = [tool for tool in PDF_TOOLS if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} missing: run scripts/setup-system.sh"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    build = hostile_build(tmp_path_factory, "latex")
    result = subprocess.run(
        ["make", "all-pdf", "LATEXOPTS=-halt-on-error -interaction=nonstopmode"],
        cwd=build.outdir, capture_output=True, text=True, check=False, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    text = subprocess.run(["pdftotext", str(build.outdir / "edition.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert r"\input{/etc/hostname}" in text  # the payload, printed as the text it is
    hostname = Path("/etc/hostname")
    if hostname.is_file() and hostname.read_text().strip():
        assert hostname.read_text().strip() not in text


# --------------------------------------------------------------------------- EPUB


@pytest.fixture(scope="module")
def epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile project's EPUB."""
    build = hostile_build(tmp_path_factory, "epub")
    assert crash_signs(build.output) == []
    books = list(build.outdir.glob("*.epub"))
    assert len(books) == 1
    return books[0]


@pytest.mark.slow  # the EPUB build of the hostile project
def test_epub_pages_with_control_characters_are_well_formed(epub: Path) -> None:
    with zipfile.ZipFile(epub) as book:
        for name in book.namelist():
            if name.endswith(".xhtml"):
                ET.fromstring(book.read(name))  # raises on an ill-formed page


@pytest.mark.slow  # epubcheck
def test_epub_of_the_hostile_project_passes_epubcheck(epub: Path) -> None:
    command = epubcheck_command()
    result = subprocess.run([*command, str(epub)], capture_output=True, text=True,
                            check=False, timeout=600)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report[-4000:]
    assert "0 fatals / 0 errors" in report


# --------------------------------------------------------------------------- broken input

#: Pages whose front matter the edition refuses, and the line each refusal names.
BROKEN_PAGES: dict[str, tuple[bytes, int]] = {
    # Noticed at the end of the YAML, which names the line the list was opened on.
    "articles/yaml-error.md": (b"---\ntitle: a\nauthors: [unclosed\n---\n\n# A\n", 4),
    "articles/python-tag.md": (
        b"---\ntitle: !!python/object/apply:os.system ['touch /tmp/edition-pwned']\n---\n\n# A\n",
        2),
    "articles/list.md": (b"---\n- title\n- authors\n---\n\n# A\n", 2),
    "articles/duplicate.md": (
        b"---\ntitle: a\nsource_url: https://example.com/\nsource_url: javascript:x\n---\n\n# A\n",
        4),
    "articles/alias-bomb.md": (
        ("---\ntitle: a\nauthors:\n" + alias_bomb(indent="  ") + "---\n\n# A\n").encode(), 4),
    "bomb-page.md": (("---\nbomb:\n" + alias_bomb() + "---\n\n# A page\n").encode(), 3),
}


@pytest.fixture(scope="module")
def broken_pages(tmp_path_factory: pytest.TempPathFactory) -> HostileBuild:
    """The hostile project with pages whose front matter is broken or hostile, built with -W."""

    def add_pages(srcdir: Path) -> None:
        for name, (data, _line) in BROKEN_PAGES.items():
            (srcdir / name).write_bytes(data)
        (srcdir / "articles/gb18030.md").write_bytes(
            "---\ntitle: 标题\n---\n\n# 标题\n\n正文。\n".encode("gb18030"))
        with (srcdir / "index.md").open("a", encoding="utf-8") as index:
            index.write("\n```{toctree}\n:hidden:\nbomb-page\n```\n")

    return broken_build(tmp_path_factory, "broken-pages", add_pages)


def test_broken_front_matter_fails_the_build_cleanly(broken_pages: HostileBuild) -> None:
    assert broken_pages.returncode != 0
    assert crash_signs(broken_pages.output) == [], broken_pages.output[-4000:]
    assert not Path("/tmp/edition-pwned").exists()


@pytest.mark.parametrize("name", sorted(BROKEN_PAGES))
def test_broken_front_matter_is_a_located_warning(broken_pages: HostileBuild, name: str) -> None:
    line = BROKEN_PAGES[name][1]
    pattern = rf"{re.escape(name)}:{line}: WARNING: front matter refused: "
    assert re.search(pattern, broken_pages.output), broken_pages.output[-4000:]


def test_an_undecodable_page_is_a_located_warning(broken_pages: HostileBuild) -> None:
    assert re.search(r"articles/gb18030\.md:\d+: WARNING: .*(decod|UTF-8|utf-8)",
                     broken_pages.output), broken_pages.output[-4000:]


@pytest.mark.slow  # a build of its own
def test_an_alias_bomb_in_editorial_data_is_refused(
        tmp_path_factory: pytest.TempPathFactory) -> None:

    def bomb(srcdir: Path) -> None:
        path = srcdir / "_data/editorial.yaml"
        text = path.read_text(encoding="utf-8")
        # The bomb goes into a range's ``moved``, as a list of lists of aliases.
        text = re.sub(r"moved: .*\n", "moved:\n" + alias_bomb(indent="        "), text)
        path.write_text(text, encoding="utf-8")

    build = broken_build(tmp_path_factory, "editorial-bomb", bomb)
    assert build.returncode != 0
    assert crash_signs(build.output) == [], build.output[-4000:]
    assert re.search(r"_data/editorial\.yaml:\d+: WARNING: editorial decisions not read: "
                     r"anchor &l0 refused", build.output), build.output[-4000:]


@pytest.mark.slow  # a build per broken registry
@pytest.mark.parametrize(("case", "text"), [
    ("yaml-error", "entities: [unclosed\n"),
    ("python-tag", "entities: !!python/object/apply:os.system ['id']\n"),
    ("alias-bomb", "entities: []\nnot_entities:\n" + alias_bomb()),
    ("not-utf8", None),
])
def test_a_broken_registry_stops_the_build_with_its_line(
        tmp_path_factory: pytest.TempPathFactory, case: str, text: str | None) -> None:

    def spoil(srcdir: Path) -> None:
        path = srcdir / "_data/registry.yaml"
        if text is None:
            path.write_bytes(path.read_bytes() + "\n# 注释\n".encode("gb18030"))
        else:
            path.write_text(text, encoding="utf-8")

    build = broken_build(tmp_path_factory, f"registry-{case}", spoil)
    assert build.returncode != 0
    assert crash_signs(build.output) == [], build.output[-4000:]
    assert re.search(r"_data/registry\.yaml:\d+: ", build.output), build.output[-4000:]


# --------------------------------------------------------------------------- the gate

#: What ``converters check`` (the pull-request gate CI runs before building) must refuse in
#: the hostile project, as ``file:line`` at the start of a line.
CHECK_REFUSES: tuple[str, ...] = (
    r"docs/articles/hostile\.md:7: .*language",
    r"docs/articles/hostile\.md:9: .*source_url .*javascript",
    r"docs/articles/hostile\.md:10: .*original_url .*javascript",
    r"docs/articles/hostile\.md:20: .*source_url .*javascript",
    r"docs/articles/hostile\.md:49: html inline is not allowed",
    r"docs/articles/hostile\.md:51: html block is not allowed",
    r"docs/articles/hostile\.md:53: directive \{raw\} is not allowed",
    r"docs/articles/hostile\.md:57: directive \{eval-rst\} is not allowed",
    r"docs/injected\.md:2: .*key 'myst' is not allowed",
    r"docs/injected\.md:12: \{include\} of .* is not allowed",
    r"docs/injected\.md:15: directive \{literalinclude\} is not allowed",
    r"docs/injected\.md:18: directive \{csv-table\} is not allowed",
    r"docs/attacks\.md:7: \{\{ lipsum\.__globals__.* is not allowed",
    r"docs/attacks\.md:9: \{\{ cycler\.__init__.* is not allowed",
    r"docs/attacks\.md:13: directive \{math\} is not allowed",
    r"docs/attacks\.md:17: role \{math\} is not allowed",
    r"docs/attacks\.md:19: link to '\.\./\.\./\S*etc/passwd' is not allowed",
    r"docs/attacks\.md:20: link to '\.\./\.git/config' is not allowed",
    r"docs/attacks\.md:20: link to 'path:\.\./\.git/config' is not allowed",
    r"docs/attacks\.md:20: role \{download\} is not allowed",
    r"docs/attacks\.md:22: \{include\} of '\.\./\.git/config' is not allowed",
    r"docs/attacks\.md:27: image 'diagram\.svg' is not allowed",
    r"docs/attacks\.md:33: image 'diagram\.svg' is not allowed",
    r"docs/_static/leak\.txt:1: a symbolic link is not allowed",
    r"docs/_static/page\.html:1: a \.html file is not allowed in docs/_static",
    r"docs/diagram\.svg:1: a \.svg file is not allowed in docs/ ",
    r"docs/_data/editorial\.yaml:\d+: .*slug",
)


def test_check_refuses_every_injection_with_its_line(tmp_path: Path) -> None:
    for sentinel in SENTINELS:
        sentinel.unlink(missing_ok=True)
    copy_project(tmp_path / "docs")
    result = subprocess.run(
        [sys.executable, "-m", "converters", "check", "--root", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 1
    assert crash_signs(result.stdout + result.stderr) == []
    missing = [p for p in CHECK_REFUSES if not re.search("^" + p, result.stdout, re.MULTILINE)]
    assert missing == [], result.stdout
    # the check itself parses each page: nothing in it ran
    assert [str(path) for path in SENTINELS if path.exists()] == []
