"""Files the extension writes: only inside the build's own folders, and only when changed.

Every path the extension writes to is made of parts, and some parts come from data that
strangers send in pull requests — a retired label names a forwarding page, a registry id an
entity page. Each such part is checked against its pattern where it is joined; and whatever the
path, :func:`destination` resolves it (``..`` folded, symlinks followed) and lets it through
only when it lies inside a folder the running build writes (:func:`writable_folders`): the
builder's output folder, Sphinx's doctree folder (its state, and the edition's beside it), the
project's generated pages (``edition_generated``) and the font cache (``edition_font_cache``).
Anything else is a located error, and nothing is written. Every component writes, copies,
makes folders and removes files through this module: :func:`write_if_changed`,
:func:`copy_file`, :func:`make_folder`, :func:`remove_file`.

Sphinx rebuilds what is newer than its output, and a browser or LaTeX run re-reads what changed:
rewriting an identical generated page, style package or script would make every build a full
one, so :func:`write_if_changed` leaves a file that holds the text already alone.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx.util import logging

if TYPE_CHECKING:
    from sphinx.application import Sphinx

logger = logging.getLogger(__name__)

#: The applications of this process that may write (registered by :func:`setup_files`), with
#: their folders resolved at the first write (``()`` until then). The writers take a path, not
#: the application — they are called from every component — so the folders they may write
#: into are looked up here; resolved once, as a corpus build writes thousands of files.
_BUILDS: WeakKeyDictionary[Sphinx, tuple[Path, ...]] = WeakKeyDictionary()


def font_cache_dir() -> Path:
    """Where faces copied out of collections are kept between builds."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "edition-fonts"


def writable_folders(app: Sphinx) -> tuple[Path, ...]:
    """The folders a build may write into: output, doctrees, generated pages, font cache."""
    generated = str(getattr(app.config, "edition_generated", "") or "_generated")
    cache = str(getattr(app.config, "edition_font_cache", "") or font_cache_dir())
    return (Path(app.outdir), Path(app.doctreedir), Path(app.srcdir, generated.strip("/")),
            Path(cache))


def inside(path: Path, folders: Iterable[Path]) -> Path | None:
    """``path`` resolved (``..`` folded, symlinks followed) if it is in one of ``folders``."""
    return _within(path, [Path(folder).resolve() for folder in folders])


def _within(path: Path, roots: Iterable[Path]) -> Path | None:
    """``path`` resolved if it is in one of the resolved folders ``roots``."""
    # resolve() follows each symlink before the ``..`` after it, as the system does when the
    # file is opened (os.path.abspath would fold ``link/..`` first, and be fooled)
    resolved = Path(path).resolve()
    return resolved if any(resolved.is_relative_to(root) for root in roots) else None


def _build_roots() -> list[Path]:
    """The resolved folders of every build of this process."""
    roots: list[Path] = []
    for app in list(_BUILDS.keys()):
        if not _BUILDS.get(app):
            _BUILDS[app] = tuple(folder.resolve() for folder in writable_folders(app))
        roots.extend(_BUILDS[app])
    return roots


def destination(path: Path, location: Any = None,
                folders: Iterable[Path] | None = None) -> Path | None:
    """Where to write ``path``, resolved; None (and a located error) outside the build's folders.

    ``folders`` defaults to those of every build of this process (:func:`writable_folders`);
    ``location`` is where the error points (Sphinx's ``location``: a node, ``(docname,
    line)`` or ``"file:line"``), best the data the path was made from.
    """
    roots = [Path(f).resolve() for f in folders] if folders is not None else _build_roots()
    resolved = _within(path, roots)
    if resolved is None:
        logger.error("not written: %s is outside the folders the build writes", path,
                     location=location, type="edition", subtype="files")
    return resolved


def write_if_changed(path: Path, text: str | bytes, location: Any = None, *,
                     folders: Iterable[Path] | None = None) -> bool:
    """Write ``text`` (UTF-8, line ends as given) unless the file holds it; say whether written.

    Refused (not written, a located error) outside the build's folders (:func:`destination`).
    """
    target = destination(path, location, folders)
    if target is None:
        return False
    data = text.encode("utf-8") if isinstance(text, str) else text
    if target.is_file() and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


#: A name of a file in a tree written by :func:`write_tree`: folders and a file name of
#: letters, digits, ``.``, ``_`` and ``-``, never ``..``.
TREE_NAME = re.compile(r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*$")


def write_tree(folder: Path, files: dict[str, str], unchanged: Iterable[str] = (),
               location: Any = None, *, folders: Iterable[Path] | None = None) -> int:
    """Write many files under ``folder`` (the search index's thousands); say how many.

    The folder is checked once, as :func:`destination` checks a path; each name must match
    :data:`TREE_NAME` (no ``..``, no absolute path, no link followed out: the folder is
    resolved and the names are plain; a link planted at a name is not written through), else it
    is refused with a located error. A file named in ``unchanged`` that exists is left alone
    (the caller knows its text is the same); every other is written.
    """
    root = destination(folder, location, folders)
    if root is None:
        return 0
    skip = set(unchanged)
    made: set[Path] = set()
    written = 0
    for name, text in files.items():
        if not TREE_NAME.match(name) or ".." in name.split("/"):
            logger.error("not written: %s is not a plain file name under %s", name, folder,
                         location=location, type="edition", subtype="files")
            continue
        target = root / name
        if name in skip and target.is_file():
            continue
        data = text.encode("utf-8")
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.parent.resolve().is_relative_to(root):  # a link planted inside
                logger.error("not written: %s leads outside %s", name, folder,
                             location=location, type="edition", subtype="files")
                continue
            made.add(target.parent)
        try:  # never through a link planted at the name
            handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW,
                             0o644)
        except OSError:
            logger.error("not written: %s is not a plain file under %s", name, folder,
                         location=location, type="edition", subtype="files")
            continue
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        written += 1
    return written


def copy_file(source: Path, path: Path, location: Any = None, *,
              folders: Iterable[Path] | None = None) -> bool:
    """Copy ``source`` to ``path`` inside the build's folders; say whether it was copied."""
    target = destination(path, location, folders)
    if target is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return True


def make_folder(path: Path, location: Any = None, *,
                folders: Iterable[Path] | None = None) -> Path | None:
    """The folder ``path``, made inside the build's folders (None, not made, outside them)."""
    target = destination(path, location, folders)
    if target is not None:
        target.mkdir(parents=True, exist_ok=True)
    return target


def remove_file(path: Path, location: Any = None, *,
                folders: Iterable[Path] | None = None) -> bool:
    """Remove the file ``path`` inside the build's folders; say whether it was removed."""
    target = destination(path, location, folders)
    if target is None or not target.is_file():
        return False
    target.unlink()
    return True


def setup_files(app: Sphinx) -> None:
    """Let this application's build write into its folders (and nowhere else)."""
    _BUILDS[app] = ()
