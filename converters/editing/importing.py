"""Importing a converted input into a project: ownership, moves, retirements and the merge.

What ``python -m converters FILE --out DIR`` and ``python -m converters add`` do with a
conversion's result (:class:`~converters.pipeline.Converted`): refuse to replace another seed's
page, move a page whose slug changed (recording its retired labels), then write the pages —
merged with the editors' edits against the merge base unless told not to. The pipeline itself
only converts; it writes nothing into a project.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..common.retired import RETIRED_FILE, append_retired, load_retired
from ..common.yamlsafe import YamlRefused, load_yaml
from ..model import ConversionError
from ..pipeline import Converted
from .moves import find_moves, retired_labels
from .reimport import Outcome, base_path, import_pages, project_folder, write_atomic

#: Exit status for input the converters refuse.
EXIT_REFUSED = 2
#: Exit status when new output conflicts with edits of a page (markers are written into it).
EXIT_CONFLICT = 1

#: How much of an existing page is read to learn its seed (its front matter is far shorter).
MAX_FRONT_MATTER_BYTES = 256 * 1024

#: A page's YAML front matter (the writer always puts it first).
PAGE_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)\n---[ \t]*(?:\n|\Z)", re.S)


def page_seed(path: Path) -> str | None:
    """The seed an existing page or merge base says it was made from (None: no such file)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MAX_FRONT_MATTER_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return None  # nothing there (writing will say why it cannot, if it cannot)
    except OSError as exc:
        raise ConversionError(f"cannot read {path}: {exc.strerror or exc}") from None
    match = PAGE_FRONT_MATTER.match(head.decode("utf-8", "replace"))
    if match is None:
        return ""
    try:
        data = load_yaml(match.group("yaml"), path=str(path), first_line=2)
    except YamlRefused:
        return ""
    seed = data.get("seed") if isinstance(data, dict) else None
    return seed if isinstance(seed, str) else ""


def check_owner(result: Converted, out_dir: Path) -> None:
    """Refuse to replace a page (or its merge base) made from another seed.

    Two inputs mapping to one slug would otherwise silently lose the first article, in this
    run or across runs.

    A page whose front matter cannot be read (an editor's half-resolved conflict markers, say)
    is judged by its merge base, the converter's own record of what it wrote there.
    """
    for name in result.pages:
        page = out_dir / name
        found = {existing: page_seed(existing) for existing in (base_path(page), page)}
        named = {path: seed for path, seed in found.items() if seed}
        for existing, seed in named.items():
            if seed != result.source.name:
                raise ConversionError(
                    f"would replace {existing}, made from seed {seed}; this input is "
                    f"{result.source.name} (give one of them another slug in the editorial data)"
                )
        unknown = [path for path, seed in found.items() if seed == ""]
        if unknown and not named:
            raise ConversionError(
                f"would replace {unknown[0]}, made from an unknown seed (no 'seed' field); this "
                f"input is {result.source.name} (give one of them another slug in the editorial "
                "data)"
            )


def write_pages(result: Converted, out_dir: Path) -> list[Path]:
    """Write a result's pages into ``out_dir``; return the paths written."""
    written = []
    for name, text in result.pages.items():
        target = out_dir / name
        write_atomic(target, text)
        written.append(target)
    return written


def import_result(result: Converted, out: Path, *, resolved: bool = False,
                  no_merge: bool = False,
                  index: dict[str, list[Path]] | None = None) -> tuple[int, list[Outcome]]:
    """Write one input's pages into ``out`` — all of them or none — and report what happened.

    ``index`` (seed -> pages, :func:`~converters.editing.moves.seed_index`) is kept up to date when
    given. Returns the exit status for this input and the outcomes; raises
    :class:`ReimportError` (nothing written) when a page cannot be re-imported.
    """
    moves = find_moves(result.source.name, result.pages, out, index)
    retired = [entry for name, old in moves.items()
               for entry in retired_labels(old, name, result.pages[name])]
    if retired:
        # the record must take the retirements before any page moves (raises if it cannot)
        load_retired(project_folder(out) / RETIRED_FILE)
    if no_merge:
        write_pages(result, out)
        for old in moves.values():
            old.unlink(missing_ok=True)
            base_path(old).unlink(missing_ok=True)
        outcomes: list[Outcome] = []
    else:
        outcomes = import_pages(result.pages, out, resolved=resolved, moves=moves)
    append_retired(project_folder(out) / RETIRED_FILE, retired)
    if index is not None:
        index[result.source.name] = [out / name for name in result.pages]
    print(result.summary())
    for name, old in moves.items():
        print(f"{old} moved to {out / name} (slug changed; {len(retired)} label(s) recorded "
              f"as retired in {project_folder(out) / RETIRED_FILE})")
    status = 0
    conflicts = [c for outcome in outcomes for c in outcome.conflicts]
    for conflict in conflicts:
        print(conflict, file=sys.stderr)
    if conflicts:
        status = EXIT_CONFLICT
        pages = sorted({str(c.path) for c in conflicts})
        print(f"{result.source.name}: all {len(result.pages)} page(s) written; "
              f"{len(conflicts)} conflict(s) marked in {', '.join(pages)}", file=sys.stderr)
    return status, outcomes
