"""``python -m converters add FILE…``: a new text into the edition, in one command.

For each file: it is converted first (nothing is copied when the converter refuses it); then it
is copied byte for byte into ``seeds/`` under its new name (``NNN_<hash>.<ext>``, the rule in
``converters/seeds.py``) and recorded in ``seeds/SHA256SUMS``; its articles are written into
``docs/articles`` with their merge bases, which also puts them on the home page (its cards
and counts are made from the articles and the seeds at build time); and the names the registry
does not know yet are printed, for the editor to add to the registry or to ``not_entities``.
A file that is already a seed (same bytes) is converted again under its seed name.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from pathlib import Path

from ..__main__ import EXIT_REFUSED, import_result
from ..editorial import EditorialError
from ..model import ConversionError
from ..paths import DEFAULT_ARTICLES, DEFAULT_EDITORIAL, DEFAULT_REGISTRY, DEFAULT_SEEDS
from ..pipeline import Converted, Options, convert_source
from ..sources import decode
from . import candidates
from .moves import page_seed
from .reimport import ReimportError
from .retired import RETIRED_FILE, RetiredLabelsError
from .seeds import add_to_manifest, new_seed_name, seed_files, seed_problem, sha256


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m converters add``."""
    parser = argparse.ArgumentParser(
        prog="python -m converters add",
        description="Add source files to the edition: copy each into seeds/ under its new "
        "name, record it in seeds/SHA256SUMS, convert it into docs/articles and list the "
        "names the registry does not know yet.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="source files (.txt, or the corpus's .md posts)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, metavar="DIR",
                        help="the seeds folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_ARTICLES, metavar="DIR",
                        help="the articles folder (default: %(default)s)")
    parser.add_argument("--editorial", type=Path, default=DEFAULT_EDITORIAL,
                        help="editorial data file (default: %(default)s)")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY,
                        help="entity registry (default: %(default)s)")
    parser.add_argument("--no-tag", action="store_true",
                        help="do not mark entity and date mentions")
    return parser


def existing_seed(seeds: Path, raw: bytes) -> Path | None:
    """The seed that already has exactly these bytes, if any."""
    digest = hashlib.sha256(raw).hexdigest()
    return next((path for path in seed_files(seeds) if sha256(path) == digest), None)


def _other_seeds_pages(result: Converted, out: Path) -> list[str]:
    """Pages this conversion would write over although they belong to another seed."""
    clashes = []
    for name in result.pages:
        page = out / name
        if page.exists():
            seed = page_seed(page.read_text(encoding="utf-8"))
            if seed and seed != result.source.name:
                clashes.append(f"{page} (from seed {seed})")
    return clashes


def add_file(path: Path, seeds: Path, out: Path, options: Options) -> tuple[int, list[Path]]:
    """Add one file; its exit status and the pages written. Nothing is written on a refusal."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConversionError(f"cannot read: {exc.strerror or exc}") from None
    refused = seed_problem(path)
    if refused:
        raise ConversionError(refused)
    known = existing_seed(seeds, raw)
    name = known.name if known else new_seed_name(seeds, raw, path.suffix or ".txt")
    result = convert_source(decode(name, raw), options)
    clashes = _other_seeds_pages(result, out)
    if clashes:
        raise ConversionError(f"its article would replace {', '.join(clashes)}; give it "
                              "another slug in docs/_data/editorial.yaml")
    seed = seeds / name
    if known is None:
        seeds.mkdir(parents=True, exist_ok=True)
        seed.write_bytes(raw)
        add_to_manifest(seeds, seed)
        print(f"{path}: added as {seed}")
    else:
        print(f"{path}: already the seed {seed}; converted again")
    try:
        status, _outcomes = import_result(result, out)
    except BaseException:
        if known is None:  # the seed goes with its pages: all of it or nothing
            seed.unlink(missing_ok=True)
            add_to_manifest_without(seeds, name)
        raise
    return status, [out / page for page in result.pages]


def add_to_manifest_without(seeds: Path, name: str) -> None:
    """Take ``name`` out of the manifest again (an addition that did not complete)."""
    manifest = seeds / "SHA256SUMS"
    if manifest.exists():
        lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        manifest.write_text("".join(line for line in lines if not line.rstrip().endswith(
            "  " + name)), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Add each file; print the registry candidates of the new pages; the exit status."""
    args = build_parser().parse_args(argv)
    options = Options(editorial=args.editorial, registry=args.registry, tag=not args.no_tag)
    status = 0
    pages: list[Path] = []
    for path in args.files:
        try:
            found, written = add_file(path, args.seeds, args.out, options)
            status = max(status, found)
            pages.extend(written)
        except EditorialError as exc:
            print(f"error: {exc.path}: {exc.reason}", file=sys.stderr)
            status = EXIT_REFUSED
        except (ConversionError, ReimportError) as exc:
            print(f"error: {path}: {exc}; nothing was added", file=sys.stderr)
            status = EXIT_REFUSED
        except RetiredLabelsError as exc:  # the record a slug change extends, not the input
            print(f"error: {args.out.parent / RETIRED_FILE}: {exc}; nothing was added",
                  file=sys.stderr)
            status = EXIT_REFUSED
    if pages and args.registry.exists():
        print("names the registry does not know yet (add them to the registry or to "
              "not_entities, then convert again to tag them):")
        candidates.main(["--registry", str(args.registry),
                         *(arg for page in pages for arg in ("--page", str(page)))])
    return status
