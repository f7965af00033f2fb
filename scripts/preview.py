"""Live preview of the edition: one Sphinx application kept alive, rebuilt in process on every save.

``nox -s preview`` runs this; ``python scripts/preview.py [--port 8000]`` does the same in an
environment that has the ``preview`` extra. Open http://127.0.0.1:8000 and edit an article:
the page reloads itself once the rebuild is done, at the place it was scrolled to.

The server and the file watcher are sphinx-autobuild's (its Starlette app and
``RebuildServer``). What differs is the build: sphinx-autobuild starts a fresh
``sphinx-build`` process for every change, paying the imports, the theme's templates, the
registry and jieba's dictionary each time (about 3 s). Here one
:class:`~sphinx.application.Sphinx` stays in memory and ``app.build()`` re-reads only the
documents that changed. A change to anything that is not a page (conf.py, the registry,
editorial data, templates), a page that comes or goes (a move, a new text) and a change of
the counts the edition states make a new application in the same process, which still skips
the imports and keeps jieba's dictionary loaded; docutils' registries are put back as they
were first, so that its extensions register again without a warning. Switching branches
(git's ``HEAD`` changes) and starting the preview begin from a fresh environment: nothing read
on another branch or in another session survives.

A data file the edition refuses (registry, editorial data, the edition's titles, the record of
retired labels) is reported at its ``file:line`` and not built at all: the last good site stays
served, with the problem shown at the top of every page. The problems of a build — Sphinx's
warnings and errors, and what ``python -m converters check`` finds in a changed page's markup
(an unclosed ``:::`` fence, a conflict marker) — are shown there too, and printed.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import html
import io
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: What the build itself writes into docs/, or what is not a page: changes there must not start
#: another rebuild (the generated entity pages would rebuild forever).
IGNORED = ("*/_generated/*", "*/_import/*", "*/.*", "*.tmp", "*~")
#: Files whose change a kept application handles by itself (Sphinx re-reads outdated pages and
#: the pages that include a changed file); any other change makes a new application.
PAGE_SUFFIXES = (".md", ".rst")
#: The line printed after each build, read by ``benchmarks/bench.py``.
BUILT_LINE = "preview: built ({kind}) in {wall:.3f} s, CPU {cpu:.3f} s"
#: The line printed once the garbage of a build is collected, after the build's line.
TIDY_LINE = "preview: collected garbage, CPU {cpu:.3f} s"
#: The line printed when a data file is refused and nothing is built.
KEPT_LINE = "preview: not built, the last good site is kept: {count} problem(s)"
#: A line of Sphinx's warning stream that reports a problem (``file:line: WARNING: …``).
REPORTED = re.compile(r"\b(?:WARNING|ERROR|CRITICAL|SEVERE):")
#: Terminal colours in Sphinx's messages.
ANSI = re.compile(r"\x1b\[[0-9;]*m")
#: Most problems shown at the top of a page (all of them are printed).
SHOWN_PROBLEMS = 20
#: How often a build that met a file vanishing under it (a page moved while it was read) is
#: tried again at once.
RETRIES = 1


class Tee(io.StringIO):
    """Sphinx's warning stream: kept for the page, and printed once the build is done.

    A build that the files changed under (a checkout, the converter writing several files) is
    followed by another; what it met is not the state of the pages, so it is not printed.
    """

    def __init__(self) -> None:
        """An empty record."""
        super().__init__()
        self.lines: list[str] = []
        self.text: list[str] = []

    def write(self, text: str) -> int:
        """Keep ``text`` and its problem lines."""
        self.text.append(text)
        for line in ANSI.sub("", text).splitlines():
            if REPORTED.search(line) and line.strip() not in self.lines:
                self.lines.append(line.strip())
        return len(text)

    def release(self) -> None:
        """Print what the build reported."""
        sys.stderr.write("".join(self.text))
        sys.stderr.flush()
        self.text.clear()

    def clear(self) -> None:
        """Forget what the build reported."""
        self.text.clear()
        self.lines.clear()


def _docutils_state() -> dict[str, Any]:
    """What docutils holds between applications: its registries of directives, roles and nodes.

    A new application's extensions register everything again; against the first
    application's registrations, each would be "already registered" (hundreds of warnings).
    """
    from docutils import nodes
    from docutils.parsers.rst import directives, roles
    from sphinx.util.docutils import additional_nodes

    return {
        "directives": dict(vars(directives)["_directives"]),
        "roles": dict(vars(roles)["_roles"]),
        "nodes": set(additional_nodes),
        "visitors": {name for name in vars(nodes.GenericNodeVisitor)
                     if name.startswith(("visit_", "depart_"))},
        "sparse": {name for name in vars(nodes.SparseNodeVisitor)
                   if name.startswith(("visit_", "depart_"))},
    }


def _restore_docutils(state: dict[str, Any]) -> None:
    """Put docutils' registries back as :func:`_docutils_state` found them.

    The same clean-up as Sphinx's own test application between two applications
    (``sphinx.testing.util``): docutils keeps these in private module dictionaries, which
    have no public way to remove an entry.
    """
    from docutils import nodes
    from docutils.parsers.rst import directives, roles
    from sphinx.util.docutils import additional_nodes

    for module, key in ((directives, "directives"), (roles, "roles")):
        registry = vars(module)["_" + key]
        registry.clear()
        registry.update(state[key])
    for visitor, kept in ((nodes.GenericNodeVisitor, state["visitors"]),
                          (nodes.SparseNodeVisitor, state["sparse"])):
        for name in [n for n in vars(visitor) if n.startswith(("visit_", "depart_"))]:
            if name not in kept:
                delattr(visitor, name)
    additional_nodes.intersection_update(state["nodes"])


def data_problems(docs: Path) -> list[str]:
    """The data files of the project the edition refuses, each as ``file:line: reason``.

    The loaders are the converters' (``python -m converters check`` reports the same), so a
    problem is found before a build that would publish a site without it (a registry that
    does not load leaves every name unlinked).
    """
    sys.path.insert(0, str(ROOT))
    from converters.common.retired import RETIRED_FILE, RetiredLabelsError, load_retired
    from converters.editing.check import check

    root = docs.parent
    found = [str(problem) for problem in check(root, ("registry", "editorial"))]
    record = docs / RETIRED_FILE
    try:
        load_retired(record)
    except RetiredLabelsError as exc:
        shown = record.relative_to(root).as_posix()
        found.extend(f"{shown}:{line}: {reason}" for line, reason in exc.problems)
    return found


def page_problems(docs: Path, pages: Sequence[Path]) -> list[str]:
    """What ``python -m converters check`` finds in the markup of ``pages`` and the build not.

    Unclosed fences (``:::`` swallows the rest of the page) and conflict markers.
    """
    from converters.editing.check import check_fences, check_markers, load_page, markdown_parser

    root = docs.parent
    md = markdown_parser()
    found: list[str] = []
    for path in pages:
        if path.suffix != ".md" or not path.is_file() or not path.is_relative_to(docs) or any(
                part.startswith(("_", ".")) for part in path.relative_to(docs).parts[:-1]):
            continue
        shown = path.relative_to(root).as_posix()
        page, problems = load_page(path, shown, md, path.parent.name == "articles")
        found.extend(str(problem) for problem in problems if "front matter" not in
                     problem.message)
        if page is not None:
            found.extend(str(problem) for problem in [*check_fences(page), *check_markers(page)])
    return found


def git_head(folder: Path) -> str:
    """The commit (or branch) checked out in ``folder``'s repository ('' outside one)."""
    try:
        run = subprocess.run(["git", "-C", str(folder), "rev-parse", "--symbolic-full-name",
                              "HEAD", "HEAD"], capture_output=True, text=True, check=False,
                             timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return run.stdout.strip() if run.returncode == 0 else ""


def git_dir(folder: Path) -> Path | None:
    """The git directory of ``folder``'s repository (None outside one)."""
    try:
        run = subprocess.run(["git", "-C", str(folder), "rev-parse", "--absolute-git-dir"],
                             capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(run.stdout.strip()) if run.returncode == 0 and run.stdout.strip() else None


#: The longest wait for a git command that is changing the files (a checkout) to finish.
GIT_WAIT = 30.0


def wait_for_git(folder: Path) -> None:
    """Wait while git changes the work tree (it holds ``index.lock``).

    A checkout half done is no state of the pages anyone wrote, and a build of it would report
    what is not there.
    """
    found = git_dir(folder)
    if found is None:
        return
    end = time.monotonic() + GIT_WAIT
    while (found / "index.lock").exists() and time.monotonic() < end:
        time.sleep(0.1)


class InProcessBuilder:
    """Builds the HTML preview with one Sphinx application kept between builds."""

    def __init__(self, docs: Path, out: Path) -> None:
        """Remember the project; the application is made by the first build."""
        self.docs = docs.resolve()
        self.out = out.resolve()
        self.app: Any = None
        #: the scripts and style sheets registered once the application was made: pages add
        #: their own during a build (the theme, the search), which must not carry over
        self.assets: tuple[list[Any], ...] = ()
        #: docutils' registries before the first application (put back for each new one)
        self.docutils: dict[str, Any] | None = None
        #: the problems of the last build (or of the data that stopped it), for the pages
        self.problems: list[str] = []
        #: the checked-out commit at the last build: another one starts a fresh environment
        self.head = git_head(self.docs)
        #: the counts the edition states (conf.py's substitutions) at the last build
        self.names: dict[str, str] = {}
        #: the pages whose markup problems are shown, and those problems
        self.markup: dict[Path, list[str]] = {}

    def _new_app(self, fresh: bool) -> Any:
        """A fresh application on the project (the environment on disk reused unless fresh)."""
        from sphinx.application import Sphinx

        if self.docutils is None:
            self.docutils = _docutils_state()
        else:
            _restore_docutils(self.docutils)
        self.tee = Tee()
        return Sphinx(str(self.docs), str(self.docs), str(self.out), str(self.out / ".doctrees"),
                      "html", status=None, warning=self.tee, freshenv=fresh, keep_going=True)

    def needs_new_app(self, changed_paths: Sequence[Path]) -> bool:
        """Whether a change needs a new application.

        A change to something other than a page (settings, data, templates), a page that came
        or went (a move, a new text: the edition's lists and counts follow the articles), or a
        change of the counts the edition states.
        """
        if any(path.suffix not in PAGE_SUFFIXES or not path.exists() for path in changed_paths):
            return True
        known = {Path(self.app.env.doc2path(name)).resolve() for name in self.app.env.all_docs}
        if any(path.resolve() not in known for path in changed_paths
               if path.is_relative_to(self.docs)):
            return True
        return self._names() != self.names

    def _names(self) -> dict[str, str]:
        """The edition's title and counts as conf.py computes them now ({} when it cannot)."""
        sys.path.insert(0, str(ROOT))
        try:
            from edition.article.home import edition_names

            return edition_names(self.docs)
        except Exception:  # a refused data file: data_problems reports it
            return {}

    def prepare(self) -> None:
        """Put the kept application back in the state a fresh process starts its build in.

        Sphinx's own test application does the first step before each build: documents
        read from disk stay cached in the environment, and a page re-read since would be
        exported (TEI, data) from its old tree. Second, the scripts and
        style sheets that pages registered for themselves.
        """
        self.app.env._pickled_doctree_cache.clear()
        for files, kept in zip(self._asset_lists(), self.assets, strict=True):
            files[:] = kept
        self.tee.clear()

    def _asset_lists(self) -> tuple[list[Any], ...]:
        """The application's and the HTML builder's lists of scripts and style sheets."""
        registry, builder = self.app.registry, self.app.builder
        return (registry.js_files, registry.css_files, builder._js_files, builder._css_files)

    def __call__(self, *, changed_paths: Sequence[Path] = ()) -> None:
        """Build: in the kept application when only pages changed, else in a new one."""
        wait_for_git(self.docs)
        wall, cpu = time.perf_counter(), time.process_time()
        refused = data_problems(self.docs)
        if refused:
            # a site built without its registry would lose every link: keep the last good one
            self.problems = refused
            for problem in refused:
                print(problem, file=sys.stderr, flush=True)
            print(KEPT_LINE.format(count=len(refused)), file=sys.stderr, flush=True)
            self.app = None  # the data changed: the next build starts a new application
            return
        head = git_head(self.docs)
        fresh = (self.app is None and not self.names) or head != self.head
        started = time.time()
        kind = self._build(changed_paths, fresh, head)
        if kind is None:
            return
        if self._changed_since(started):
            # the next build follows at once (the watcher saw the change): it will report
            self.tee.clear()
            self.problems = []
            print("preview: the files changed during the build; it is built again",
                  file=sys.stderr, flush=True)
        self.tee.release()
        self._report_markup(changed_paths, everything=kind != "rebuild")
        print(BUILT_LINE.format(kind=kind, wall=time.perf_counter() - wall,
                                cpu=time.process_time() - cpu), flush=True)
        self.tidy()

    def _build(self, changed_paths: Sequence[Path], fresh: bool, head: str) -> str | None:
        """Run the build; what kind it was, or None when it failed (reported)."""
        for attempt in range(RETRIES + 1):
            kind = "rebuild"
            try:
                if fresh or self.app is None or self.needs_new_app(changed_paths):
                    kind = ("first build" if not self.names else
                            "fresh environment" if fresh else "new application")
                    self.app = None  # never build with an application whose setup failed
                    self.app = self._new_app(fresh)
                    self.assets = tuple(list(files) for files in self._asset_lists())
                    self.names = self._names()
                    self.head = head
                self.prepare()
                self.app.build()
            except FileNotFoundError as error:
                # a page moved while it was read: its new place is on disk now, read it there
                self.app = None
                if attempt < RETRIES:
                    continue
                self._failed(error)
                return None
            # The server keeps serving the last good build; a data file the edition refuses
            # stops a build with SystemExit (edition/article/home.py), which must not stop the
            # server.
            except (Exception, SystemExit) as error:
                self._failed(error)
                return None
            self.problems = list(self.tee.lines)
            return kind
        return None

    def _changed_since(self, started: float) -> bool:
        """Whether a page or data file of the project changed after ``started`` (a time)."""
        for path in [*self.docs.rglob("*"), *self.docs.parent.glob("*.md")]:
            parts = path.relative_to(self.docs).parts if path.is_relative_to(self.docs) else ()
            if any(part.startswith((".", "_generated", "_import")) for part in parts):
                continue
            try:
                if path.is_file() and path.stat().st_mtime > started:
                    return True
            except OSError:
                return True  # it went while we looked: a change
        return False

    def _failed(self, error: BaseException) -> None:
        """Report a build that did not finish; the next build starts a new application."""
        message = f"preview: build failed: {type(error).__name__}: {error}"
        tee = getattr(self, "tee", None)
        if tee is not None:
            tee.release()
        print(message, file=sys.stderr, flush=True)
        self.problems = [*(tee.lines if tee is not None else []), message]
        self.app = None

    def _report_markup(self, changed_paths: Sequence[Path], everything: bool) -> None:
        """Add check's markup problems of the changed pages (every page after a new start)."""
        pages = (sorted(self.docs.rglob("*.md")) if everything
                 else [p for p in changed_paths if p.suffix == ".md"])
        if everything:
            self.markup.clear()
        for path in pages:
            self.markup.pop(path, None)
            found = page_problems(self.docs, [path])
            if found:
                self.markup[path] = found
        for problems in self.markup.values():
            for problem in problems:
                if problem not in self.problems:
                    print(problem, file=sys.stderr, flush=True)
                    self.problems.append(problem)

    @staticmethod
    def tidy() -> None:
        """Collect this build's garbage and freeze what lives on, while the editor reads.

        A build leaves what it froze frozen (``edition/speedups/gc_tuning.py``: a process that
        exits after it need not walk it), and the next build would give it back and collect
        it at its start, walking every object alive: in this process, the environment and the
        theme's compiled templates kept between builds, a fifth of a one-paragraph rebuild.
        Done here, after the page is written and reported, the walk happens while the editor
        looks at the page, and what is frozen is skipped by the next build's collection. Its
        CPU is printed on its own line.
        """
        cpu = time.process_time()
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        print(TIDY_LINE.format(cpu=time.process_time() - cpu), flush=True)


#: The script every served page gets: reload when a build is done, at the same scroll position
#: (kept in the tab's session storage for the page it was on), and the problems of the last
#: build at the top of the page.
PAGE_SCRIPT = """
<script>
(() => {{
  const key = "edition-preview-scroll";
  const saved = JSON.parse(sessionStorage.getItem(key) || "null");
  if (saved && saved.path === location.pathname) {{
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, saved.y);
    restore();
    window.addEventListener("load", restore);
  }}
  const ws = new WebSocket("ws://{ws_url}/websocket-reload");
  ws.onmessage = () => {{
    sessionStorage.setItem(key, JSON.stringify({{path: location.pathname, y: window.scrollY}}));
    window.location.reload();
  }};
}})();
</script>
"""
#: The box that lists the last build's problems (inline style: no stylesheet of the edition's
#: is touched).
PROBLEMS_BOX = (
    '<div id="edition-preview-problems" role="alert" style="position:fixed;z-index:10000;'
    "top:0;left:0;right:0;max-height:40vh;overflow:auto;background:#fff3cd;color:#3d2e00;"
    'border-bottom:2px solid #b58100;padding:.5em 1em;font:13px/1.4 monospace">'
    '<button type="button" onclick="this.parentNode.remove()" aria-label="Hide" '
    'style="float:right;border:0;background:none;font:inherit;cursor:pointer">✕</button>'
    "<strong>Preview: {count} problem(s){kept}</strong><ul style=\"margin:.3em 0 0 1.2em;"
    'padding:0">{items}</ul></div>'
)


def page_addition(builder: InProcessBuilder, ws_url: str) -> bytes:
    """What is added at the end of every served page: the reload script, and the problems."""
    added = PAGE_SCRIPT.format(ws_url=ws_url)
    problems = builder.problems
    if problems:
        items = "".join(f"<li>{html.escape(problem)}</li>" for problem in
                        problems[:SHOWN_PROBLEMS])
        kept = " — not built, the last good site is shown" if builder.app is None else ""
        added += PROBLEMS_BOX.format(count=len(problems), kept=kept, items=items)
    return added.encode("utf-8")


class BuildGate:
    """Open while no build runs: a request waits for a build to end before it is served.

    The build writes its pages in place while the server may be reading them: a page asked for
    then was read half-written (a response shorter than the length announced, the server's
    "Too little data for declared Content-Length", found by the preview test on a loaded
    machine). sphinx-autobuild serves during builds; a page a second late is better.
    """

    def __init__(self) -> None:
        """No event yet: it belongs to the server's loop, which runs later."""
        self._open: asyncio.Event | None = None

    def event(self) -> asyncio.Event:
        """The event (made in the server's loop, open at first)."""
        if self._open is None:
            self._open = asyncio.Event()
            self._open.set()
        return self._open


class PageMiddleware:
    """Adds :func:`page_addition` to every HTML page served (as sphinx-autobuild's script)."""

    def __init__(self, app: Any, builder: InProcessBuilder, ws_url: str,
                 gate: BuildGate | None = None) -> None:
        """Wrap the static files app."""
        self.app = app
        self.builder = builder
        self.ws_url = ws_url
        self.gate = gate

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve, adding to HTML responses."""
        from starlette.datastructures import MutableHeaders

        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.gate is not None:
            await self.gate.event().wait()  # no page read while a build writes it
        addition = page_addition(self.builder, self.ws_url)
        adding = False

        async def wrapped(message: Any) -> None:
            nonlocal adding
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("Content-Type", "").startswith("text/html"):
                    adding = True
                    if "Content-Length" in headers:
                        headers["Content-Length"] = str(int(headers["Content-Length"])
                                                        + len(addition))
            elif message["type"] == "http.response.body" and adding and not message.get(
                    "more_body", False):
                message["body"] += addition
            await send(message)

        await self.app(scope, receive, wrapped)


def create_app(watch: list[Path], builder: InProcessBuilder, out: Path, url_host: str) -> Any:
    """sphinx-autobuild's Starlette app, with a watcher that builds in this process."""
    import watchfiles
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    class InProcessRebuildServer(RebuildServer):
        """sphinx-autobuild's watcher, calling the builder in a thread instead of a new process.

        sphinx-autobuild hands each change to a ``ProcessPoolExecutor``: a kept application
        could not live there. The thread keeps the server answering while a build runs; the
        watcher waits for it, so builds never overlap.
        """

        async def watch(self) -> None:
            """Build after each batch of changes, then tell the open pages to reload."""
            async for changes in watchfiles.awatch(
                    *self.paths, watch_filter=lambda _change, path: not self.ignore(path)):
                changed = [Path(path).resolve() for _change, path in changes]
                building = gate.event()
                building.clear()
                try:
                    await asyncio.to_thread(self.change_callback, changed_paths=changed)
                finally:
                    building.set()
                self.flag.set()

    gate = BuildGate()
    ignore = IgnoreFilter([*IGNORED, str(out)], [])
    watcher = InProcessRebuildServer(watch, ignore, change_callback=builder)
    return Starlette(
        routes=[WebSocketRoute("/websocket-reload", watcher, name="reload"),
                Mount("/", app=StaticFiles(directory=out, html=True), name="static")],
        middleware=[Middleware(PageMiddleware, builder=builder, ws_url=url_host, gate=gate)],
        lifespan=watcher.lifespan,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Build once, then serve and rebuild on every save (runs until interrupted)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the Sphinx project")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "preview",
                        help="where the preview is built (default: %(default)s)")
    args = parser.parse_args(argv)
    import uvicorn

    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    builder = InProcessBuilder(args.docs, out)
    builder()
    # README and CONTRIBUTING are included into pages of docs/
    watch = [args.docs.resolve(), *(p.resolve() for p in args.docs.parent.glob("*.md"))]
    app = create_app(watch, builder, out, f"{args.host}:{args.port}")
    print(f"preview: serving on http://{args.host}:{args.port}", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
