"""``nox -s preview``: sphinx-autobuild serves the edition and rebuilds a page after an edit."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
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
    except (urllib.error.URLError, ConnectionError, TimeoutError):
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
