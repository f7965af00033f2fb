"""Live preview of the edition: one Sphinx application kept alive, rebuilt in process on every save.

``nox -s preview`` runs this; ``python scripts/preview.py [--port 8000]`` does the same in an
environment that has the ``preview`` extra. Open http://127.0.0.1:8000 and edit an article:
the page reloads itself once the rebuild is done.

The server, the file watcher and the browser's reload script are sphinx-autobuild's (its
Starlette app, ``RebuildServer`` and ``JavascriptInjectorMiddleware``). What differs is the
build: sphinx-autobuild starts a fresh ``sphinx-build`` process for every change, paying the
imports, the theme's templates, the registry and jieba's dictionary each time (about 3 s).
Here one :class:`~sphinx.application.Sphinx` stays in memory and ``app.build()`` re-reads only
the documents that changed. A change to anything that is not a page (conf.py, the registry,
editorial data, templates) makes a new application in the same process, which still skips the
imports and keeps jieba's dictionary loaded.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
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

    def _new_app(self) -> Any:
        """A fresh application on the project (the environment on disk is reused)."""
        from sphinx.application import Sphinx

        return Sphinx(str(self.docs), str(self.docs), str(self.out), str(self.out / ".doctrees"),
                      "html", status=None, warning=sys.stderr, freshenv=False,
                      keep_going=True)

    def needs_new_app(self, changed_paths: Sequence[Path]) -> bool:
        """Whether a change is to something other than a page (settings, data, templates)."""
        return any(path.suffix not in PAGE_SUFFIXES for path in changed_paths)

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

    def _asset_lists(self) -> tuple[list[Any], ...]:
        """The application's and the HTML builder's lists of scripts and style sheets."""
        registry, builder = self.app.registry, self.app.builder
        return (registry.js_files, registry.css_files, builder._js_files, builder._css_files)

    def __call__(self, *, changed_paths: Sequence[Path] = ()) -> None:
        """Build: in the kept application when only pages changed, else in a new one."""
        wall, cpu = time.perf_counter(), time.process_time()
        kind = "rebuild"
        try:
            if self.app is None or self.needs_new_app(changed_paths):
                kind = "new application" if self.app is not None else "first build"
                self.app = None  # never build with an application whose setup failed
                self.app = self._new_app()
                self.assets = tuple(list(files) for files in self._asset_lists())
            self.prepare()
            self.app.build()
        # The server keeps serving the last good build; a data file the edition refuses stops
        # a build with SystemExit (edition/home.py), which must not stop the server too.
        except (Exception, SystemExit) as error:
            print(f"preview: build failed: {type(error).__name__}: {error}", file=sys.stderr,
                  flush=True)
            self.app = None
            return
        print(BUILT_LINE.format(kind=kind, wall=time.perf_counter() - wall,
                                cpu=time.process_time() - cpu), flush=True)
        self.tidy()

    @staticmethod
    def tidy() -> None:
        """Collect this build's garbage and freeze what lives on, while the editor reads.

        Each build starts with a collection (``edition/gc_tuning.py``), which walks every
        object alive: in this process, the environment and the theme's compiled templates
        kept between builds, a fifth of a one-paragraph rebuild. Done here, after the page is
        written and reported, the walk happens while the editor looks at the page, and what is
        frozen is skipped by the next build's collection. Its CPU is printed on its own line.
        """
        cpu = time.process_time()
        gc.collect()
        gc.freeze()
        print(TIDY_LINE.format(cpu=time.process_time() - cpu), flush=True)


def create_app(watch: list[Path], builder: InProcessBuilder, out: Path, url_host: str) -> Any:
    """sphinx-autobuild's Starlette app, with a watcher that builds in this process."""
    import watchfiles
    from sphinx_autobuild.filter import IgnoreFilter
    from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
    from sphinx_autobuild.server import RebuildServer
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount, WebSocketRoute
    from starlette.staticfiles import StaticFiles

    class InProcessRebuildServer(RebuildServer):  # type: ignore[misc]
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
                await asyncio.to_thread(self.change_callback, changed_paths=changed)
                self.flag.set()

    ignore = IgnoreFilter([*IGNORED, str(out)], [])
    watcher = InProcessRebuildServer(watch, ignore, change_callback=builder)
    return Starlette(
        routes=[WebSocketRoute("/websocket-reload", watcher, name="reload"),
                Mount("/", app=StaticFiles(directory=out, html=True), name="static")],
        middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=url_host)],
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
