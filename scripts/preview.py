"""Live preview of the edition: sphinx-autobuild serves docs/ and rebuilds on every save.

``nox -s preview`` runs this; ``python scripts/preview.py [--port 8000]`` does the same in an
environment that has the ``preview`` extra. Open http://127.0.0.1:8000 and edit an article:
the page reloads itself once the rebuild is done (a paragraph edit takes a few seconds).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: What the build itself writes into docs/, or what is not a page: changes there must not start
#: another rebuild (the generated entity pages would rebuild forever).
IGNORED = ("*/_generated/*", "*/_import/*", "*/.*", "*.tmp", "*~")


def command(docs: Path, out: Path, port: int, host: str) -> list[str]:
    """The sphinx-autobuild command line for ``docs`` served on ``host:port``."""
    ignores = [arg for pattern in IGNORED for arg in ("--ignore", pattern)]
    return [sys.executable, "-m", "sphinx_autobuild", str(docs), str(out),
            "--port", str(port), "--host", host, *ignores,
            # README and CONTRIBUTING are included into pages of docs/
            "--watch", str(docs.parent / "CONTRIBUTING.md"), "-q"]


def main(argv: Sequence[str] | None = None) -> int:
    """Start the preview server (it runs until interrupted)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port (default: %(default)s)")
    parser.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="the Sphinx project")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "preview",
                        help="where the preview is built (default: %(default)s)")
    args = parser.parse_args(argv)
    argv_run = command(args.docs, args.out, args.port, args.host)
    os.execv(argv_run[0], argv_run)
    return 0  # not reached: the server replaces this process


if __name__ == "__main__":
    sys.exit(main())
