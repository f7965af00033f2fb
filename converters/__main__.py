"""Command line: ``python -m converters FILE... --out DIR`` and the editors' subcommands."""

from __future__ import annotations

import argparse
import errno
import importlib
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from .common.editorial_data import EditorialError
from .common.paths import DEFAULT_EDITORIAL, DEFAULT_REGISTRY
from .common.retired import RETIRED_FILE, RetiredLabelsError
from .editing.importing import EXIT_REFUSED, check_owner, import_result
from .editing.moves import seed_index
from .editing.reimport import ReimportError, project_folder
from .editing.seeds import NOT_SEEDS, seed_problem
from .model import ConversionError
from .pipeline import (
    Options,
    convert_file,
)

#: Subcommands, each a module with ``main(argv) -> int``; imported only when used.
SUBCOMMANDS: dict[str, str] = {
    "candidates": "converters.editing.candidates",
    "check": "converters.editing.check",
    "add": "converters.editing.add",
    "allowlist": "converters.common.allowlist",
}



def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the conversion command."""
    parser = argparse.ArgumentParser(
        prog="python -m converters",
        description="Convert source files into MyST articles of the edition. "
        f"Subcommands: {', '.join(SUBCOMMANDS)} (python -m converters SUBCOMMAND --help).",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="source files, or folders standing for the files in them "
                        "(seeds/ or seeds/*: the manifest SHA256SUMS is skipped)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="where the .md articles are written; the merge bases go to the "
                        "project's _import/ (docs/_import for docs/articles, whose parent "
                        "holds conf.py), or to DIR/_import outside a Sphinx project")
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
                        "pages (and keep no merge bases)")
    parser.add_argument("--resolved", action="store_true",
                        help="the conflict markers of the last run are resolved by hand: keep "
                        "the pages as they are and take this output as their new merge base")
    return parser


#: Exit status after Ctrl-C or a termination signal (128 + SIGINT, as shells report it).
EXIT_INTERRUPTED = 130

#: Signals that end a run the way Ctrl-C does: through an exception, so that a temporary file
#: being written is removed on the way out (SIGKILL cannot be caught: what it leaves behind is
#: removed by the next write of the same page).
STOP_SIGNALS: tuple[str, ...] = ("SIGTERM", "SIGHUP")


def _stop(_signum: int, _frame: object) -> None:
    """Turn a termination signal into the exception Ctrl-C raises."""
    raise KeyboardInterrupt


def convert_files(files: Sequence[Path], out: Path, options: Options, *, resolved: bool = False,
                  no_merge: bool = False) -> int:
    """Convert and import each input in turn; the exit status of the whole run."""
    status = 0
    written: dict[str, Path] = {}  # page name -> the input it came from in this run
    index = seed_index(out)
    for path in files:
        try:
            refused = seed_problem(path)
            if refused:
                raise ConversionError(refused)
            result = convert_file(path, options)
            clash = next((name for name in result.pages if name in written), None)
            if clash is not None:
                # Two inputs making the same page: writing both would silently lose one.
                raise ConversionError(
                    f"its article {clash} was already written from {written[clash]}"
                )
            check_owner(result, out)
            written.update(dict.fromkeys(result.pages, path))
            found, _outcomes = import_result(result, out, resolved=resolved, no_merge=no_merge,
                                             index=index)
            status = max(status, found)
        except EditorialError as exc:  # the fault is in the data file, not in the input
            print(f"error: {exc.path}: {exc.reason}", file=sys.stderr)
            status = EXIT_REFUSED
        except ReimportError as exc:
            print(f"error: {path}: {exc}; none of its pages was written", file=sys.stderr)
            status = EXIT_REFUSED
        except RetiredLabelsError as exc:  # the record of retired labels, not the input
            print(f"error: {project_folder(out) / RETIRED_FILE}: {exc}; none of {path}'s pages was "
                  "written", file=sys.stderr)
            status = EXIT_REFUSED
        except ConversionError as exc:
            print(f"error: {path}: {exc}", file=sys.stderr)
            status = EXIT_REFUSED
        except OSError as exc:  # the machine refuses (read-only folder, --out is a file…)
            print(f"error: {path}: {_environment(exc)}", file=sys.stderr)
            status = EXIT_REFUSED
        except RecursionError:
            print(f"error: {path}: nested too deeply to convert", file=sys.stderr)
            status = EXIT_REFUSED
        except MemoryError:
            print(f"error: {path}: not enough memory to convert it", file=sys.stderr)
            status = EXIT_REFUSED
        except Exception as exc:  # a bug, not the user's mistake: still one line, not a dump
            print(f"error: {path}: internal error ({type(exc).__name__}: {exc}); "
                  "please report it with this file", file=sys.stderr)
            status = EXIT_REFUSED
    return status


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


def source_files(paths: Sequence[Path]) -> list[Path]:
    """The inputs a command line names: a folder stands for the files directly in it.

    What is not a source — the seeds' manifest ``SHA256SUMS`` (``seeds/*`` names it too), notes
    beside the seeds — is skipped with a note on stderr; hidden files in a folder are left out.
    """
    files: list[Path] = []
    for path in paths:
        inside = (sorted(p for p in path.iterdir() if not p.name.startswith(".") and not p.is_dir())
                  if path.is_dir() else [path])
        for file in inside:
            if file.name in NOT_SEEDS:
                print(f"note: {file}: skipped, not a source (the seeds' manifest and notes are "
                      "not converted)", file=sys.stderr)
            else:
                files.append(file)
    return files


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
    try:
        files = source_files(args.files)
    except OSError as exc:  # a folder that cannot be listed
        print(f"error: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_REFUSED
    if not files:
        print("error: no source file to convert", file=sys.stderr)
        return EXIT_REFUSED
    return convert_files(files, args.out, options, resolved=args.resolved,
                         no_merge=args.no_merge)


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
