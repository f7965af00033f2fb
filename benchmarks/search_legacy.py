"""Record what Sphinx's search page (the search before issue 26) finds: the baseline of recall.

    python benchmarks/search_legacy.py HTML_DIR OUT.json [QUERY ...]

Serves an HTML build made by the code before the chunked index (``searchindex.js`` and
Sphinx's ``search.html``), runs each query in headless Chromium and writes, per query, the
pages found in the order shown. The article pages each page would be fetched for (to cut its
snippet) are refused: only the list of results is read, not the snippets. The result files are
kept in ``tests/data/search_baseline.json`` (the edition) and ``benchmarks/`` (the corpus), and
the tests and ``bench.py --only search`` compare the new search with them.
"""

from __future__ import annotations

import functools
import http.server
import json
import sys
import threading
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
#: The queries of issue 26, then the browser tests' queries.
QUERIES = ["字节跳动", "字節跳動", "ByteDance", "张一鸣", "zhang yiming", "华为", "抖音", "2019",
           "996", "阿里巴巴", "Singles' Day"]
DONE_JS = """() => {
  const summary = document.querySelector('#search-results .search-summary');
  return typeof Search !== 'undefined' && Search._pulse_status === -1
    && summary !== null && summary.textContent.trim() !== '';
}"""
RESULTS_JS = """() => Array.from(document.querySelectorAll('#search-results ul.search > li > a'),
  a => a.getAttribute('href'))"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def record(html: Path, queries: list[str]) -> dict[str, list[str]]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/"
    found: dict[str, list[str]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context()

            def route(r: object) -> None:
                url = r.request.url  # type: ignore[attr-defined]
                page_fetch = (r.request.resource_type == "fetch")  # type: ignore[attr-defined]
                if not url.startswith(site) or page_fetch:
                    r.abort()  # type: ignore[attr-defined]
                else:
                    r.continue_()  # type: ignore[attr-defined]

            context.route("**/*", route)
            page = context.new_page()
            for query in queries:
                page.goto(f"{site}search.html?q={quote(query)}", wait_until="load")
                page.wait_for_function(DONE_JS, timeout=600_000, polling=500)
                hrefs = page.evaluate(RESULTS_JS)
                found[query] = [h.split("#")[0].removesuffix(".html") for h in hrefs]
                print(f"{query}: {len(hrefs)}", file=sys.stderr, flush=True)
            browser.close()
    finally:
        server.shutdown()
    return found


def main(argv: list[str]) -> int:
    html, out, *queries = argv
    data = record(Path(html), queries or QUERIES)
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
