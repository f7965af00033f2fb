"""Command line: ``python -m converters FILE... --out DIR`` and the editors' subcommands."""

from __future__ import annotations

import argparse
import errno
import importlib
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .editorial import EditorialError
from .model import ConversionError
from .pipeline import (
    DEFAULT_EDITORIAL,
    DEFAULT_REGISTRY,
    Options,
    check_owner,
    convert_file,
    write_pages,
)
from .reimport import ReimportError, import_pages

#: Subcommands, each a module with ``main(argv) -> int``; imported only when used.
SUBCOMMANDS: dict[str, str] = {
    "candidates": "converters.candidates",
    "check": "converters.check",
}

#: Exit status for input the converters refuse.
EXIT_REFUSED = 2
#: Exit status when new output conflicts with edits of a page (the page is left unchanged).
EXIT_CONFLICT = 1


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the conversion command."""
    parser = argparse.ArgumentParser(
        prog="python -m converters",
        description="Convert source files into MyST articles of the edition. "
        f"Subcommands: {', '.join(SUBCOMMANDS)} (python -m converters SUBCOMMAND --help).",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="source files")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="where the .md articles are written")
    parser.add_argument("--editorial", type=Path, default=DEFAULT_EDITORIAL,
                        help="editorial data file (default: %(default)s)")
    parser.add_argument("--no-editorial", action="store_true",
                        help="ignore editorial data: each input as its reader sees it")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY,
                        help="entity registry (default: %(default)s)")
    parser.add_argument("--no-tag", action="store_true",
                        help="do not mark entity and date mentions")
    parser.add_argument("--no-merge", action="store_true",
                        help="overwrite the pages instead of merging the new output into edited "
                        "pages (merge bases are kept in DIR/../_import)")
    parser.add_argument("--resolved", action="store_true",
                        help="the pages' conflicts with this output are resolved by hand: keep "
                        "the pages as they are and take this output as their new merge base")
    return parser


#: Exit status after Ctrl-C or a termination signal (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: Signals that end a run the way Ctrl-C does: through an exception, so that a temporary file
#: being written is removed on the way out (SIGKILL cannot be caught: what it leaves behind is
#: removed by the next write of the same page).
STOP_SIGNALS: tuple[str, ...] = ("SIGTERM", "SIGHUP")


def _stop(signum: int, frame: object) -> None:
    """Turn a termination signal into the exception Ctrl-C raises."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    saved = {}
    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            saved[number] = signal.signal(number, _stop)
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted: nothing half-written is left", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def _main(argv: Sequence[str] | None = None) -> int:
    """The command line, once signals are arranged."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list and args_list[0] in SUBCOMMANDS:
        module = importlib.import_module(SUBCOMMANDS[args_list[0]])
        return int(module.main(args_list[1:]))
    args = build_parser().parse_args(args_list)
    options = Options(
        editorial=None if args.no_editorial else args.editorial,
        registry=args.registry,
        tag=not args.no_tag,
    )
    status = 0
    written: dict[str, Path] = {}  # page name -> the input it came from in this run
    for path in args.files:
        try:
            result = convert_file(path, options)
            clash = next((name for name in result.pages if name in written), None)
            if clash is not None:
                # Two inputs making the same page: writing both would silently lose one.
                raise ConversionError(
                    f"its article {clash} was already written from {written[clash]}"
                )
            check_owner(result, args.out)
            written.update(dict.fromkeys(result.pages, path))
            if args.no_merge:
                write_pages(result, args.out)
                outcomes = []
            else:
                outcomes = import_pages(result.pages, args.out, resolved=args.resolved)
        except EditorialError as exc:  # the fault is in the data file, not in the input
            print(f"error: {exc.path}: {exc.reason}", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        except (ConversionError, ReimportError) as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        except OSError as exc:  # the machine refuses (read-only folder, --out is a file…)
            print(f"error: {path}: {_environment(exc)}", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        except RecursionError:
            print(f"error: {path}: nested too deeply to convert", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        except MemoryError:
            print(f"error: {path}: not enough memory to convert it", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        except Exception as exc:  # a bug, not the user's mistake: still one line, not a dump
            print(f"error: {path}: internal error ({type(exc).__name__}: {exc}); "
                  "please report it with this file", file=sys.stderr)
            status = EXIT_REFUSED
            continue
        print(result.summary())
        for outcome in outcomes:
            # an edited page whose edits clash with the new output is left as it was
            for conflict in outcome.conflicts:
                print(conflict, file=sys.stderr)
            if not outcome.ok:
                status = max(status, EXIT_CONFLICT)
    return status


def _environment(exc: OSError) -> str:
    """An operating-system error as one plain sentence naming the file it concerns."""
    reasons = {
        errno.EACCES: "permission denied (is the folder read-only?)",
        errno.EROFS: "the file system is read-only",
        errno.ENOTDIR: "a part of the path is a file, not a folder (is --out a file?)",
        errno.EEXIST: "a file is in the way of a folder (is --out a file?)",
        errno.ENAMETOOLONG: "the file name is too long for this file system",
        errno.ENOSPC: "no space left on the device",
    }
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    where = exc.filename if exc.filename is not None else ""
    return f"cannot write {where}: {reason}" if where else f"cannot write: {reason}"


if __name__ == "__main__":
    sys.exit(main())
