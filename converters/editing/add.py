"""``python -m converters add FILE… [--slug SLUG]``: a new text into the edition, in one command.

For each file: it is converted first (nothing is copied when the converter refuses it); each
of its articles gets a readable slug — from its title, English words or the pinyin of its
Chinese words (:func:`readable_slug`), or ``--slug`` — recorded in
``docs/_data/editorial.yaml`` under the seed, so that the slug never depends on what a reader
makes of an address; the file is copied byte for byte into ``seeds/`` under its new name
(``NNN_<hash>.<ext>``, the rule in ``converters/seeds.py``) and recorded in
``seeds/SHA256SUMS``; its articles are written into ``docs/articles`` with their merge bases,
which also puts them on the home page and into every count the edition states (the home page,
the introduction, the title: made from the articles at build time). Then the names the
registry does not know yet are written as proposed entries into a review file (the candidates'
draft), and the next steps are printed.

Adding the same file again converts it again under its seed name; with another ``--slug`` its
page moves, and only labels that were published (:func:`converters.editing.anchors.
published_labels`) are recorded as retired: a slug corrected before its text was ever
committed leaves no trace.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from ..common.editorial_data import SLUG_PATTERN, EditorialError
from ..common.editorial_data import load as load_editorial
from ..common.matching import find_names
from ..common.paths import DEFAULT_ARTICLES, DEFAULT_EDITORIAL, DEFAULT_REGISTRY, DEFAULT_SEEDS
from ..common.registry import Registry, RegistryError, load_registry
from ..common.retired import RETIRED_FILE, RetiredLabelsError, load_retired
from ..common.script import has_han
from ..model import ConversionError
from ..pipeline import MAX_SLUG_LENGTH, Converted, Options, convert_source
from ..sources import decode
from . import candidates
from .importing import EXIT_REFUSED, import_result
from .moves import page_seed
from .reimport import ReimportError
from .seeds import add_to_manifest, new_seed_name, seed_files, seed_problem, sha256

#: Most words a proposed slug keeps: enough to tell texts apart, short enough to cite.
SLUG_WORDS = 6
#: Longest proposed slug, in characters (cut at a word).
SLUG_CHARACTERS = 50
#: English words a slug leaves out (the slugs of the edition read like headlines).
ENGLISH_STOP_WORDS = frozenset(
    "a an the of and or to in on at by for from with as is are was were be has have had its "
    "it this that these those into about over after before than".split())
#: Chinese words a slug leaves out: particles and prepositions, which carry no topic.
CHINESE_STOP_WORDS = frozenset("的 了 着 过 和 与 及 或 在 是 把 被 将 为 从 向 对 要 "
                               "也 都 就 之 而 又 还 很 更 最 吗 呢 吧 啊".split())
#: Where the review files of ``add`` go, relative to the project root (ignored by git).
DRAFT_DIR = Path("build") / "candidates"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m converters add``."""
    parser = argparse.ArgumentParser(
        prog="python -m converters add",
        description="Add source files to the edition: copy each into seeds/ under its new "
        "name, record it in seeds/SHA256SUMS, give its article a readable slug in "
        "docs/_data/editorial.yaml, convert it into docs/articles, and write the names the "
        "registry does not know yet into a review file.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="source files (.txt, or the corpus's .md posts)")
    parser.add_argument("--slug", metavar="SLUG",
                        help="the article's slug (one file of one article), instead of the one "
                        "proposed from its title; adding a file again with another slug moves "
                        "its page")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, metavar="DIR",
                        help="the seeds folder (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=DEFAULT_ARTICLES, metavar="DIR",
                        help="the articles folder (default: %(default)s)")
    parser.add_argument("--editorial", type=Path, default=DEFAULT_EDITORIAL,
                        help="editorial data file (default: %(default)s)")
    parser.add_argument("--registry", type=Path, default=DEFAULT_REGISTRY,
                        help="entity registry (default: %(default)s)")
    parser.add_argument("--draft", type=Path, metavar="FILE",
                        help="the review file of the names the registry does not know yet "
                        f"(default: {DRAFT_DIR.as_posix()}/<slug>.yaml in the project)")
    parser.add_argument("--no-tag", action="store_true",
                        help="do not mark entity and date mentions")
    return parser


# --------------------------------------------------------------------------- slugs


def readable_slug(title: str, registry: Registry | None = None) -> str:
    """A slug read from a title: its English words, or the pinyin of its Chinese words.

    ``Silicon Valley has a China envy problem`` gives ``silicon-valley-china-envy-problem``,
    ``美国要对华为实施“数码斩首”`` gives ``meiguo-huawei-shishi-shuma-zhanshou``: function
    words left out, at most :data:`SLUG_WORDS` words and :data:`SLUG_CHARACTERS` characters.
    A name the registry knows is one word, its id's (华为 is ``huawei``, never cut as 对华 +
    为); the other Chinese words are jieba's, spelled by pypinyin word by word, so that its
    phrase dictionary reads polyphones in their context.
    """
    words: list[str] = []
    if has_han(title):
        import jieba

        jieba.setLogLevel(logging.WARNING)  # its dictionary's loading is no news to an editor

        position = 0
        for start, end, target in [*(find_names(title, registry) if registry else []),
                                   (len(title), len(title), "")]:
            for word in jieba.lcut(title[position:start]):
                if word not in CHINESE_STOP_WORDS:
                    words.extend(re.findall(r"[a-z0-9]+", spell(word).lower()))
            if target:
                words.extend(target.split("-"))
            elif end > start:
                words.extend(re.findall(r"[a-z0-9]+", spell(title[start:end]).lower()))
            position = end
    else:
        words = [word for word in re.findall(r"[a-z0-9]+", title.lower())
                 if word not in ENGLISH_STOP_WORDS]
    kept: list[str] = []
    for word in words[:SLUG_WORDS]:
        if kept and len("-".join([*kept, word])) > SLUG_CHARACTERS:
            break
        kept.append(word)
    return "-".join(kept)[:MAX_SLUG_LENGTH].strip("-") or "text"


def spell(word: str) -> str:
    """A word in pinyin without tones, its syllables joined (Latin words as they are)."""
    if not has_han(word):
        return word
    from .draft import pinyin

    return "".join(pinyin(word, tones=False).split())


def taken_slugs(out: Path, editorial: Path | None, seed: str) -> set[str]:
    """Slugs another text has: pages of other seeds, the editorial data's, retired labels."""
    taken = set()
    for page in sorted(out.glob("*.md")) if out.is_dir() else []:
        if page_seed(page.read_text(encoding="utf-8")) != seed:
            taken.add(page.stem)
    if editorial is not None and editorial.exists():
        data = load_editorial(editorial)
        taken.update(plan.slug for name, plans in data.seeds.items() if name != seed
                     for plan in plans if plan.slug)
    taken.update(entry.label for entry in load_retired(out.parent / RETIRED_FILE))
    return taken


def unique(slug: str, taken: set[str]) -> str:
    """``slug``, or with ``-2``, ``-3``… when another text has it."""
    if slug not in taken:
        return slug
    number = 2
    while f"{slug}-{number}" in taken:
        number += 1
    return f"{slug}-{number}"


def planned_slugs(result: Converted, editorial: Path | None, out: Path,
                  requested: str | None, registry: Registry | None = None) -> list[str] | None:
    """The slugs to record for the articles of ``result`` (None: the editorial data has them).

    ``requested`` is ``--slug``; without it, a seed the editorial data already names keeps its
    slugs, and a new one gets a slug read from each article's title.
    """
    seed = result.source.name
    data = load_editorial(editorial) if editorial is not None and editorial.exists() else None
    plans = data.seeds.get(seed, []) if data is not None else []
    if requested is None and plans and all(plan.slug for plan in plans):
        return None
    if requested is None and len(result.articles) > 1 and not plans:
        # the editorial data names several articles of one seed only with the ranges that
        # divide it: the reader's slugs stay until the editors give those
        return None
    taken = taken_slugs(out, editorial, seed)
    if requested is not None:
        if len(result.articles) != 1:
            raise ConversionError(f"--slug names one article, and this file has "
                                  f"{len(result.articles)}: give their slugs in the editorial "
                                  "data")
        if not SLUG_PATTERN.match(requested) or len(requested) > MAX_SLUG_LENGTH:
            raise ConversionError(f"--slug {requested!r} is not a slug (lower-case ASCII "
                                  f"words joined by hyphens, at most {MAX_SLUG_LENGTH} "
                                  "characters)")
        if requested in taken:
            raise ConversionError(f"--slug {requested!r} is another text's slug or a retired "
                                  "label")
        return [requested]
    slugs: list[str] = []
    for article in result.articles:
        slug = unique(readable_slug(article.meta.title or article.slug, registry), taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


def record_slugs(editorial: Path, seed: str, slugs: list[str]) -> None:
    """Write the seed's article slugs into the editorial data, checked by its loader.

    A new seed gets an entry of its own; a seed already there has its ``slug`` lines changed.
    """
    text = editorial.read_text(encoding="utf-8") if editorial.exists() else "seeds:\n"
    lines = text.split("\n")
    head = next((i for i, line in enumerate(lines) if line.rstrip() == f"  {seed}:"), None)
    if head is None:
        entry = [f"  {seed}:", "    articles:", *(f"    - slug: {slug}" for slug in slugs)]
        new = text.rstrip("\n") + "\n\n" + "\n".join(entry) + "\n"
    else:
        end = next((i for i in range(head + 1, len(lines)) if lines[i].strip()
                    and not lines[i].startswith("   ") and not lines[i].lstrip()
                    .startswith("#")), len(lines))
        at = [i for i in range(head + 1, end) if re.match(r"^    - slug: ", lines[i])]
        if len(at) != len(slugs):
            raise EditorialError(str(editorial), f"seeds / {seed}: write the slug of each of "
                                 "its articles here by hand")
        for index, slug in zip(at, slugs, strict=True):
            lines[index] = f"    - slug: {slug}"
        new = "\n".join(lines)
    editorial.write_text(new, encoding="utf-8")
    try:
        load_editorial(editorial)
    except EditorialError:
        editorial.write_text(text, encoding="utf-8")
        raise


# --------------------------------------------------------------------------- adding


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


def _registry(options: Options) -> Registry | None:
    """The registry the conversion uses (None when there is none: the converter said why)."""
    if options.registry is None or not options.registry.exists():
        return None
    try:
        return load_registry(options.registry)
    except RegistryError:
        return None


def add_file(path: Path, seeds: Path, out: Path, options: Options,
             slug: str | None = None) -> tuple[int, list[Path]]:
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
    source = decode(name, raw)
    result = convert_source(source, options)
    editorial = options.editorial
    saved = editorial.read_text(encoding="utf-8") if editorial and editorial.exists() else None
    slugs = planned_slugs(result, editorial, out, slug, _registry(options))
    if slugs is not None and editorial is not None:
        record_slugs(editorial, name, slugs)
        result = convert_source(source, options)
    seed = seeds / name
    try:
        clashes = _other_seeds_pages(result, out)
        if clashes:
            raise ConversionError(f"its article would replace {', '.join(clashes)}; give it "
                                  "another slug with --slug")
        root = out.resolve().parent.parent
        if known is None:
            seeds.mkdir(parents=True, exist_ok=True)
            seed.write_bytes(raw)
            add_to_manifest(seeds, seed)
            print(f"{path}: added as {_shown(seed, root)}")
        else:
            print(f"{path}: already the seed {_shown(seed, root)}; converted again")
        status, _outcomes = import_result(result, out)
    except BaseException:
        if known is None:  # the seed goes with its pages: all of it or nothing
            seed.unlink(missing_ok=True)
            add_to_manifest_without(seeds, name)
        if editorial is not None and slugs is not None:
            if saved is None:
                editorial.unlink(missing_ok=True)
            else:
                editorial.write_text(saved, encoding="utf-8")
        raise
    if slugs is not None and editorial is not None:
        print(f"{_shown(editorial, out.resolve().parent.parent)}: slug {', '.join(slugs)} "
              f"recorded for {name}")
    return status, [out / page for page in result.pages]


def add_to_manifest_without(seeds: Path, name: str) -> None:
    """Take ``name`` out of the manifest again (an addition that did not complete)."""
    manifest = seeds / "SHA256SUMS"
    if manifest.exists():
        lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        manifest.write_text("".join(line for line in lines if not line.rstrip().endswith(
            "  " + name)), encoding="utf-8")


def _shown(path: Path, root: Path) -> str:
    """A path as the editor types it: relative to the project when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def next_steps(root: Path, pages: list[Path], seeds: list[Path], draft: Path | None,
               proposed: int, editorial: Path) -> list[str]:
    """What the editor does after ``add``, in order, as commands."""
    steps = []
    if draft is not None and proposed:
        steps.append(f"review the {proposed} proposed name(s) in {_shown(draft, root)} (set each "
                     "line to review: accept or review: not_entity), then apply them: python -m "
                     f"converters candidates --accept {_shown(draft, root)}")
        steps.append("tag the accepted names by converting again: python -m converters "
                     + " ".join(_shown(seed, root) for seed in seeds)
                     + f" --out {_shown(pages[0].parent, root)}")
    steps.append("check the edition: python -m converters check")
    files = [*(_shown(seed, root) for seed in seeds), _shown(seeds[0].parent / "SHA256SUMS", root),
             _shown(editorial, root), *(_shown(page, root) for page in pages),
             *(_shown(page.parent.parent / "_import" / page.name, root) for page in pages)]
    steps.append("commit together: " + " ".join(files))
    return steps


def main(argv: Sequence[str] | None = None) -> int:
    """Add each file; write the registry candidates of the new pages for review; the status."""
    args = build_parser().parse_args(argv)
    if args.slug is not None and len(args.files) != 1:
        print("error: --slug names the article of one file; add the files one by one",
              file=sys.stderr)
        return EXIT_REFUSED
    options = Options(editorial=args.editorial, registry=args.registry, tag=not args.no_tag)
    status = 0
    pages: list[Path] = []
    added: list[Path] = []
    for path in args.files:
        try:
            found, written = add_file(path, args.seeds, args.out, options, args.slug)
            status = max(status, found)
            pages.extend(written)
            added.append(args.seeds / page_seed(written[0].read_text(encoding="utf-8")))
        except EditorialError as exc:
            print(f"error: {exc.path}: {exc.reason}; nothing was added", file=sys.stderr)
            status = EXIT_REFUSED
        except (ConversionError, ReimportError) as exc:
            print(f"error: {path}: {exc}; nothing was added", file=sys.stderr)
            status = EXIT_REFUSED
        except RetiredLabelsError as exc:  # the record a slug change extends, not the input
            print(f"error: {args.out.parent / RETIRED_FILE}: {exc}; nothing was added",
                  file=sys.stderr)
            status = EXIT_REFUSED
    if not pages:
        return status
    root = args.out.resolve().parent.parent
    draft: Path | None = None
    proposed = 0
    if args.registry.exists():
        draft = args.draft or root / DRAFT_DIR / f"{pages[0].stem}.yaml"
        draft.parent.mkdir(parents=True, exist_ok=True)
        print("names the registry does not know yet:")
        candidates.main(["--registry", str(args.registry), "--articles", str(args.out),
                         "--draft", str(draft),
                         *(arg for page in pages for arg in ("--page", str(page)))])
        proposed = sum(1 for line in draft.read_text(encoding="utf-8").splitlines()
                       if line.startswith("- "))
    print("next:")
    for number, step in enumerate(next_steps(root, pages, added, draft, proposed,
                                             args.editorial), 1):
        print(f"  {number}. {step}")
    return status
