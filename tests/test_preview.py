"""``nox -s preview``: a kept Sphinx application serves the edition and rebuilds after edits."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import runpy
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from edition_builds import copy_edition

ROOT = Path(__file__).resolve().parents[1]
#: How long the server may take to come up and to rebuild before the test gives up (a deadline
#: against hanging on a loaded machine, not a speed requirement: the benchmark measures that).
DEADLINE = 300.0
PAGE = "articles/tiktok-run.html"

# a live server rebuilding a copy of docs/
pytestmark = pytest.mark.slow


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    """The page at ``url``, or None while the server is not answering it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError):
        # (IncompleteRead: the page was being written again while it was served)
        return None


def wait_for(url: str, needle: str, server: subprocess.Popen[bytes]) -> str:
    """Poll ``url`` until it contains ``needle``; fail if the server dies or the deadline passes."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        assert server.poll() is None, "the preview server stopped"
        page = fetch(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.5)
    pytest.fail(f"{url} did not show {needle!r}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the edition to edit (docs/ with README and CONTRIBUTING beside it)."""
    copy_edition(tmp_path)
    for page in ROOT.glob("*.md"):
        shutil.copy(page, tmp_path)
    return tmp_path


@pytest.fixture
def server(project: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``scripts/preview.py`` (what ``nox -s preview`` runs) on a free port, stopped after."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts" / "preview.py"), "--port", str(port),
         "--docs", str(project / "docs"), "--out", str(project / "preview")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_preview_serves_and_rebuilds_after_an_edit(
        project: Path, server: tuple[str, subprocess.Popen[bytes]]) -> None:
    """The page is served with the live-reload script; an edit to p3 shows up in it."""
    base, process = server
    page = wait_for(f"{base}/{PAGE}", "tiktok-run-p3", process)
    assert "/websocket-reload" in page  # the browser reloads itself after each rebuild
    article = project / "docs" / "articles" / "tiktok-run.md"
    lines = article.read_text(encoding="utf-8").split("\n")
    index = lines.index("(tiktok-run-p3)=") + 1
    marker = "预览测试的新句子"
    assert marker not in page
    lines[index] += marker
    article.write_text("\n".join(lines), encoding="utf-8")
    updated = wait_for(f"{base}/{PAGE}", marker, process)
    assert 'id="tiktok-run-p3"' in updated


#: Run in a child process: the preview's kept application builds, the article's p3 is edited
#: twice, each time rebuilt in the same application (as on two saves).
KEPT_APP_BUILDS = """
import runpy, sys
from pathlib import Path
preview = runpy.run_path(sys.argv[1])
docs, out = Path(sys.argv[2]), Path(sys.argv[3])
builder = preview["InProcessBuilder"](docs, out)
builder()
article = docs / "articles" / "tiktok-run.md"
for edit in ("预览测试一", "预览测试二"):
    lines = article.read_text(encoding="utf-8").split("\\n")
    lines[lines.index("(tiktok-run-p3)=") + 1] += edit
    article.write_text("\\n".join(lines), encoding="utf-8")
    builder(changed_paths=[article])
"""


#: Run in a child process: the kept application builds, then an edit puts a Jinja payload and
#: maths into an article, then into the home page; each is rebuilt in the same application.
KEPT_APP_REFUSES = """
import runpy, sys
from pathlib import Path
preview = runpy.run_path(sys.argv[1])
docs, out = Path(sys.argv[2]), Path(sys.argv[3])
builder = preview["InProcessBuilder"](docs, out)
builder()
payload = "{{ lipsum.__globals__.os.popen('touch /tmp/edition-pwned').read() }}"
article = docs / "articles" / "tiktok-run.md"
lines = article.read_text(encoding="utf-8").split("\\n")
lines[lines.index("(tiktok-run-p3)=") + 1] += payload
article.write_text("\\n".join(lines), encoding="utf-8")
builder(changed_paths=[article])
index = docs / "index.md"
index.write_text(index.read_text(encoding="utf-8") + "\\n" + payload + "\\n\\n:::{math}\\n"
                 "\\\\input{/etc/hostname}\\n:::\\n", encoding="utf-8")
builder(changed_paths=[index])
"""


def test_the_preview_refuses_what_the_build_refuses(project: Path) -> None:
    """The preview is the build: a Jinja payload is refused, nothing runs, the error is shown."""
    sentinel = Path("/tmp/edition-pwned")
    sentinel.unlink(missing_ok=True)
    kept = project / "kept"
    done = subprocess.run(
        [sys.executable, "-c", KEPT_APP_REFUSES, str(ROOT / "scripts" / "preview.py"),
         str(project / "docs"), str(kept)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not sentinel.exists()
    assert "tiktok-run.md:" in done.stderr
    assert "substitution inline is not allowed in an article" in done.stderr
    assert "index.md:" in done.stderr and "directive {math} is not allowed" in done.stderr
    page = (kept / "articles" / "tiktok-run.html").read_text(encoding="utf-8")
    assert "lipsum" not in page and "__globals__" not in page


def test_rebuild_in_kept_application_equals_a_fresh_build(project: Path) -> None:
    """Every file the kept application writes after two edits is what a fresh build writes."""
    kept, fresh = project / "kept", project / "fresh"
    done = subprocess.run(
        [sys.executable, "-c", KEPT_APP_BUILDS, str(ROOT / "scripts" / "preview.py"),
         str(project / "docs"), str(kept)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("preview: built (rebuild)") == 2, done.stdout
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(project / "docs"),
                    str(fresh)], check=True, capture_output=True)

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and ".doctrees" not in p.parts and p.name != ".buildinfo"}

    kept_files, fresh_files = files(kept), files(fresh)
    assert "预览测试一预览测试二" in kept_files["articles/tiktok-run.html"].decode()
    assert sorted(kept_files) == sorted(fresh_files)
    assert [name for name in kept_files if kept_files[name] != fresh_files[name]] == []


#: Run in a child process: the kept application builds, notes when each per-article file (TEI,
#: citations) and each data export was last written, rebuilds after an edit of one article's p3
#: and prints, as JSON, the files whose modification time changed.
KEPT_APP_MTIMES = """
import json, runpy, sys
from pathlib import Path
preview = runpy.run_path(sys.argv[1])
docs, out = Path(sys.argv[2]), Path(sys.argv[3])
builder = preview["InProcessBuilder"](docs, out)
builder()
patterns = ("data/tei/*.xml", "articles/*.bib", "articles/*.ris", "articles/*.json", "data/*.*",
            "_static/entities.*")
def stamps():
    return {str(p.relative_to(out)): p.stat().st_mtime_ns
            for pattern in patterns for p in sorted(out.glob(pattern))}
before = stamps()
article = docs / "articles" / "tiktok-run.md"
lines = article.read_text(encoding="utf-8").split("\\n")
lines[lines.index("(tiktok-run-p3)=") + 1] += "只改一段"
article.write_text("\\n".join(lines), encoding="utf-8")
builder(changed_paths=[article])
after = stamps()
# then a mention of an entity: the entity exports change too
lines[lines.index("(tiktok-run-p3)=") + 1] += "{ent}`字节跳动 <bytedance>`"
article.write_text("\\n".join(lines), encoding="utf-8")
builder(changed_paths=[article])
last = stamps()
print(json.dumps({"files": sorted(before), "rewritten": sorted(
    name for name in after if before.get(name) != after[name]), "mention": sorted(
    name for name in last if after.get(name) != last[name])}))
"""


def test_rebuild_rewrites_only_the_edited_articles_files(project: Path) -> None:
    """After an edit of one article's words only its TEI file is written again.

    The other articles' files keep their modification time, its citation files and the data
    exports (unchanged by a paragraph's words) too; a new entity mention then rewrites the
    entity exports; and every file equals what a fresh build writes.
    """

    kept, fresh = project / "kept", project / "fresh"
    done = subprocess.run(
        [sys.executable, "-c", KEPT_APP_MTIMES, str(ROOT / "scripts" / "preview.py"),
         str(project / "docs"), str(kept)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    articles = sorted(p.stem for p in (project / "docs" / "articles").glob("*.md"))
    assert len(articles) > 1
    # every article has its TEI and three citation files, and the exports are there
    for slug in articles:
        assert {f"data/tei/{slug}.xml", f"articles/{slug}.bib", f"articles/{slug}.ris",
                f"articles/{slug}.json"} <= set(report["files"])
    assert {"data/articles.json", "data/articles.csv", "_static/entities.json",
            "_static/entities.csv"} <= set(report["files"])
    assert report["rewritten"] == ["data/tei/tiktok-run.xml"]
    assert report["mention"] == ["_static/entities.csv", "_static/entities.json",
                                 "data/tei/tiktok-run.xml"]
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(project / "docs"),
                    str(fresh)], check=True, capture_output=True)
    for pattern in ("data/tei/*.xml", "articles/*.bib", "articles/*.ris", "articles/*.json",
                    "data/*.*", "_static/entities.*"):
        fresh_files = {p.relative_to(fresh): p.read_bytes() for p in fresh.glob(pattern)}
        kept_files = {p.relative_to(kept): p.read_bytes() for p in kept.glob(pattern)}
        assert fresh_files and kept_files == fresh_files, pattern
    assert "只改一段" in (kept / "data" / "tei" / "tiktok-run.xml").read_text(encoding="utf-8")


def test_incremental_sphinx_build_rewrites_only_the_edited_articles_files(project: Path) -> None:
    """The same with ``sphinx-build`` run again: a build with nothing changed writes none."""
    docs, out, fresh = project / "docs", project / "out", project / "fresh"
    patterns = ("data/tei/*.xml", "articles/*.bib", "articles/*.ris", "articles/*.json",
                "data/*.*", "_static/entities.*")

    def build(target: Path) -> None:
        subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(docs),
                        str(target)], check=True, capture_output=True)

    def stamps() -> dict[str, int]:
        return {str(p.relative_to(out)): p.stat().st_mtime_ns
                for pattern in patterns for p in sorted(out.glob(pattern))}

    build(out)
    first = stamps()
    build(out)
    assert stamps() == first
    # a TEI file lost while its article is unchanged: the next build writes it again, alone
    lost = next(p for p in sorted(out.glob("data/tei/*.xml")) if p.stem != "tiktok-run")
    kept_text = lost.read_bytes()
    lost.unlink()
    build(out)
    assert lost.read_bytes() == kept_text
    first[str(lost.relative_to(out))] = lost.stat().st_mtime_ns
    assert stamps() == first
    article = docs / "articles" / "tiktok-run.md"
    lines = article.read_text(encoding="utf-8").split("\n")
    lines[lines.index("(tiktok-run-p3)=") + 1] += "再改一段"
    article.write_text("\n".join(lines), encoding="utf-8")
    build(out)
    last = stamps()
    assert [name for name in last if last[name] != first[name]] == ["data/tei/tiktok-run.xml"]
    build(fresh)
    for pattern in patterns:
        fresh_files = {p.relative_to(fresh): p.read_bytes() for p in fresh.glob(pattern)}
        out_files = {p.relative_to(out): p.read_bytes() for p in out.glob(pattern)}
        assert fresh_files and out_files == fresh_files, pattern


# --------------------------------------------------------------------------- real edits

#: A line of the preview's stderr that reports a problem.
PROBLEM_LINE = re.compile(r"\b(?:WARNING|ERROR|CRITICAL):|build failed|Traceback")


def git(root: Path, *args: str) -> None:
    """Run git in the copy as a throwaway author (what builds write is not tracked)."""
    ignore = root / ".gitignore"
    if not ignore.exists():
        ignore.write_text("/preview/\n/preview.err\n/kept/\n/docs/_generated/\n",
                          encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "-c", "user.name=Editor",
                    "-c", "user.email=editor@example.org", *args],
                   check=True, capture_output=True)


@pytest.fixture
def logged_server(project: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """The preview on a free port with its stderr in a file (the problems it prints)."""
    port = free_port()
    log = project / "preview.err"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "preview.py"), "--port", str(port),
             "--docs", str(project / "docs"), "--out", str(project / "preview")],
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        yield f"http://127.0.0.1:{port}", process, log
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def wait_until(url: str, check: Callable[[str], bool], server: subprocess.Popen[bytes],
               what: str) -> str:
    """Poll ``url`` until ``check`` accepts the page; fail if the server dies or time runs out."""
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        assert server.poll() is None, "the preview server stopped"
        page = fetch(url)
        if page is not None and check(page):
            return page
        time.sleep(0.5)
    pytest.fail(f"{url} never showed {what}")


def problems_printed(log: Path) -> list[str]:
    """The problem lines the preview printed so far, colours removed."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", log.read_text(encoding="utf-8", errors="replace"))
    return [line for line in text.splitlines() if PROBLEM_LINE.search(line)]


def test_the_preview_survives_real_edits(
        project: Path, logged_server: tuple[str, subprocess.Popen[bytes], Path]) -> None:
    """A data file edited, the registry broken and fixed, an unclosed fence, a page moved by the
    converter, a branch switched and a restart: each time a correct page, no repeated warning."""
    base, process, log = logged_server
    docs = project / "docs"
    page = wait_until(f"{base}/{PAGE}", lambda p: "tiktok-run-p3" in p, process, "the article")
    assert "edition-preview-problems" not in page
    assert problems_printed(log) == []

    # a data file: the registry's description of an entity, shown on its page
    registry = docs / "_data" / "registry.yaml"
    good = registry.read_text(encoding="utf-8")
    described = good.replace('description: "Beijing-based internet company, owner of TikTok',
                             'description: "Preview test: Beijing-based internet company, '
                             'owner of TikTok', 1)
    assert described != good
    registry.write_text(described, encoding="utf-8")
    wait_until(f"{base}/_generated/entities/bytedance.html", lambda p: "Preview test:" in p,
               process, "the new description")
    assert problems_printed(log) == []  # no "already registered", nothing

    # the registry broken: one located problem on the page, the last good site kept
    lines = described.split("\n")
    broken_line = lines.index("- id: bytedance") + 2
    assert lines[broken_line - 1] == "  type: company"
    lines[broken_line - 1] = "  type: firm"
    registry.write_text("\n".join(lines), encoding="utf-8")
    page = wait_until(f"{base}/{PAGE}", lambda p: "edition-preview-problems" in p, process,
                      "the problem")
    shown = f"docs/_data/registry.yaml:{broken_line}: registry: entity &#x27;bytedance&#x27;"
    assert shown in page and "not built, the last good site is shown" in page
    assert 'href="../_generated/entities/bytedance.html' in page  # names still linked
    assert problems_printed(log) == []  # the problem is not a warning of a build…
    assert log.read_text(encoding="utf-8").count(f"registry.yaml:{broken_line}:") == 1

    # …and fixed
    registry.write_text(described, encoding="utf-8")
    wait_until(f"{base}/{PAGE}", lambda p: "edition-preview-problems" not in p, process,
               "the page without problems")

    # an unclosed fence in an article: check's problem, on the page
    article = docs / "articles" / "tiktok-run.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("(tiktok-run-p7)=", ":::{admonition} Editorial note\n"
                                    ":class: editorial-note\n\nA note.\n\n(tiktok-run-p7)=", 1),
                       encoding="utf-8")
    page = wait_until(f"{base}/{PAGE}", lambda p: "unclosed" in p, process, "the fence problem")
    assert "docs/articles/tiktok-run.md:" in page
    article.write_text(text, encoding="utf-8")
    wait_until(f"{base}/{PAGE}", lambda p: "edition-preview-problems" not in p, process,
               "the page without problems")
    printed = problems_printed(log)
    assert printed == [], printed

    # a page moved by the converter (a new slug in the editorial data)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the edition")
    editorial = docs / "_data" / "editorial.yaml"
    editorial.write_text(editorial.read_text(encoding="utf-8").replace(
        "    - slug: tiktok-run\n", "    - slug: tiktok-runs\n"), encoding="utf-8")
    moved = subprocess.run(
        [sys.executable, "-m", "converters", str(project / "seeds" / "001_116d69d97c42a296.txt"),
         "--out", str(docs / "articles"), "--editorial", str(editorial),
         "--registry", str(registry)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert moved.returncode == 0, moved.stderr
    wait_until(f"{base}/articles/tiktok-runs.html", lambda p: "tiktok-runs-p3" in p, process,
               "the moved article")
    wait_until(f"{base}/index.html", lambda p: "articles/tiktok-runs.html" in p, process,
               "its card")
    assert problems_printed(log) == []

    # another branch, without the moved article; and back
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "moved")
    git(project, "checkout", "-q", "HEAD~1")
    wait_until(f"{base}/index.html", lambda p: "articles/tiktok-run.html" in p
               and "articles/tiktok-runs.html" not in p, process, "the other branch's cards")
    git(project, "checkout", "-q", "main")
    wait_until(f"{base}/index.html", lambda p: "articles/tiktok-runs.html" in p
               and "articles/tiktok-run.html" not in p, process, "main's cards")
    assert problems_printed(log) == []


def test_switching_branches_and_restarting_leave_nothing_stale(project: Path) -> None:
    """A branch without an article, then back, in the kept application; then a restart: no
    build reports a page that is not there (the toctree of the home page once kept it)."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the edition")
    git(project, "checkout", "-q", "-b", "other")
    git(project, "rm", "-q", "docs/articles/double-eleven-decline.md",
        "docs/_import/double-eleven-decline.md")
    git(project, "commit", "-q", "-m", "without one text")
    git(project, "checkout", "-q", "main")
    kept = project / "kept"
    runs = [subprocess.run([sys.executable, "-c", script, str(ROOT / "scripts" / "preview.py"),
                            str(project / "docs"), str(kept)],
                           capture_output=True, text=True, check=False)
            for script in (KEPT_APP_SWITCHES, KEPT_APP_STARTS)]
    for done in runs:
        assert done.returncode == 0, done.stderr[-2000:]
    assert runs[0].stdout.count("preview: built") == 3
    printed = [line for done in runs
               for line in re.sub(r"\x1b\[[0-9;]*m", "", done.stderr).splitlines()
               if PROBLEM_LINE.search(line)]
    assert printed == []
    home = (kept / "index.html").read_text(encoding="utf-8")
    assert "articles/double-eleven-decline.html" in home


#: Run in a child process: the kept application builds on main, then on the branch without an
#: article, then on main again (each time as the watcher would call it).
KEPT_APP_SWITCHES = """
import runpy, subprocess, sys
from pathlib import Path
preview = runpy.run_path(sys.argv[1])
docs, out = Path(sys.argv[2]), Path(sys.argv[3])
builder = preview["InProcessBuilder"](docs, out)
builder()
for branch in ("other", "main"):
    subprocess.run(["git", "-C", str(docs), "checkout", "-q", branch], check=True)
    builder(changed_paths=[docs / "articles" / "double-eleven-decline.md"])
"""
#: Run in a child process: the preview starts again on the project as it is.
KEPT_APP_STARTS = """
import runpy, sys
from pathlib import Path
preview = runpy.run_path(sys.argv[1])
preview["InProcessBuilder"](Path(sys.argv[2]), Path(sys.argv[3]))()
"""


#: Run in a child process (a Playwright of its own: the browser tests keep one running in the
#: test process): scroll to ¶5, edit ¶3, wait for the reload, print the scroll before and after.
SCROLL_AFTER_RELOAD = """
import json, sys
from pathlib import Path
from playwright.sync_api import sync_playwright
url, article, deadline = sys.argv[1], Path(sys.argv[2]), float(sys.argv[3])
with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                         args=["--no-sandbox"])
    try:
        tab = browser.new_page(viewport={"width": 1280, "height": 800})
        tab.goto(url)
        tab.wait_for_load_state("load")
        tab.evaluate("document.getElementById('tiktok-run-p5').scrollIntoView()")
        before = tab.evaluate("window.scrollY")
        lines = article.read_text(encoding="utf-8").split("\\n")
        lines[lines.index("(tiktok-run-p3)=") + 1] += "滚动测试"
        article.write_text("\\n".join(lines), encoding="utf-8")
        tab.wait_for_function("document.body.innerText.includes('滚动测试')",
                              timeout=deadline * 1000)
        tab.wait_for_load_state("load")
        tab.wait_for_timeout(500)  # the restoring script runs at load
        print(json.dumps({"before": before, "after": tab.evaluate("window.scrollY")}))
    finally:
        browser.close()
"""


@pytest.mark.browser
def test_the_reloaded_page_keeps_its_scroll_position(
        project: Path, server: tuple[str, subprocess.Popen[bytes]]) -> None:
    """Scrolled to ¶5, an edit of ¶3 reloads the page at the same place (Chromium, 1280 px)."""

    base, process = server
    wait_for(f"{base}/{PAGE}", "tiktok-run-p3", process)
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("no /usr/bin/chromium")
    done = subprocess.run(
        [sys.executable, "-c", SCROLL_AFTER_RELOAD, f"{base}/{PAGE}",
         str(project / "docs" / "articles" / "tiktok-run.md"), str(DEADLINE)],
        capture_output=True, text=True, check=False, timeout=DEADLINE + 60)
    assert done.returncode == 0, done.stderr[-2000:]
    scroll = json.loads(done.stdout.strip().splitlines()[-1])
    assert scroll["before"] > 300
    assert abs(scroll["after"] - scroll["before"]) <= 2


def test_no_page_is_served_while_a_build_writes_it() -> None:
    """A request that comes during a build is answered when the build ends (a page read while
    it was written again came out shorter than its announced length: an error in the server's
    log, found on a loaded machine)."""
    preview = runpy.run_path(str(ROOT / "scripts" / "preview.py"))
    served: list[str] = []

    async def static(scope: dict[str, object], _receive: object, _send: object) -> None:
        served.append(str(scope["path"]))

    class Builder:
        problems = ()
        app = object()

    async def scenario() -> None:
        gate = preview["BuildGate"]()
        middleware = preview["PageMiddleware"](static, Builder(), "ws://x", gate)
        gate.event().clear()  # a build starts
        request = asyncio.create_task(middleware({"type": "http", "path": "/a.html"}, None, None))
        for _ in range(20):
            await asyncio.sleep(0)
        assert served == [] and not request.done()
        gate.event().set()  # it ends
        await request
        assert served == ["/a.html"]

    # In a thread of its own: the browser tests' Playwright keeps a loop running in this one.
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as error:  # handed to the test's thread
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
