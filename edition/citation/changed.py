"""Which articles a build re-read: the per-article files of ``build-finished`` follow them.

The TEI and citation files of an article are made from its doctree, its front matter and a few
settings. An incremental build (``sphinx-build`` again, or the preview's kept application after
a save) re-reads only the documents that changed, so only their files can differ from the last
build's: the others are left alone (their text and modification time unchanged). A fresh build
reads every document and so writes every file; a file that is missing is always written; and
when the settings an output uses changed, every article's file of that output is written again.
A registry or an ``env`` setting that changed already makes Sphinx re-read every document.

The settings' digest is kept in a file beside Sphinx's own caches (the doctree folder), written
when a build ends without error: Sphinx saves its environment only after a build that read a
document, so a digest kept there was lost after a build that changed only a setting (an
address, say), and every later build wrote every article's files again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

from edition.entities.domain import entity_domain
from edition.security.files import write_if_changed

#: The settings the per-article files are made with (the addresses in them, the edition's title).
SETTINGS = ("edition_baseurl", "html_baseurl", "html_file_suffix", "edition_generated",
            "edition_title")

#: The file, in the doctree folder, holding the digest of :data:`SETTINGS` at the last build.
SETTINGS_FILE = "edition-output-settings.sha256"


@dataclass
class BuildReads:
    """What a build read, and whether the settings changed since the last build.

    ``docnames`` is Sphinx's own list, kept by reference: handlers of ``env-before-read-docs``
    may still extend it.
    """

    docnames: list[str]
    settings_changed: bool = True
    #: the digest of :data:`SETTINGS` in this build, kept once the build ends without error
    settings_digest: str = ""
    #: the entity domain's digest of mentions, titles, authors and registry before this build
    snapshot: str | None = None


#: Each application's current build.
_BUILDS: WeakKeyDictionary[Sphinx, BuildReads] = WeakKeyDictionary()


def note_read_docs(app: Sphinx, _env: BuildEnvironment, docnames: list[str]) -> None:
    """Remember the list of documents this build reads (``env-before-read-docs``)."""
    _BUILDS[app] = BuildReads(docnames)


def settings_path(app: Sphinx) -> Path:
    """Where the digest of the last successful build's settings is kept."""
    return Path(app.doctreedir) / SETTINGS_FILE


def note_settings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Compare the settings with the last build's (``env-updated``)."""
    values = [repr(getattr(app.config, name, None)) for name in SETTINGS]
    digest = hashlib.sha256(json.dumps(values).encode("utf-8")).hexdigest()
    build = _BUILDS.get(app)
    if build is not None:
        # a copy before other handlers of this event add documents to rewrite, not re-read
        build.docnames = list(build.docnames)
        build.snapshot = entity_domain(env).data.get("snapshot")
        path = settings_path(app)
        last = path.read_text(encoding="utf-8").strip() if path.is_file() else None
        build.settings_changed = last != digest
        build.settings_digest = digest
    return []


def keep_settings(app: Sphinx, exception: BaseException | None) -> None:
    """Keep this build's settings digest, once every file was written (``build-finished``)."""
    build = _BUILDS.get(app)
    if exception is None and build is not None and build.settings_digest:
        write_if_changed(settings_path(app), build.settings_digest + "\n")


def articles_to_write(app: Sphinx, docnames: Iterable[str],
                      path_of: Callable[[str], Path]) -> list[str]:
    """Of ``docnames``, the articles whose file (at ``path_of``) this build must write.

    Every one when the settings changed or the build's reading is unknown; else those read in
    this build and those without their file.
    """
    build = _BUILDS.get(app)
    if build is None or build.settings_changed:
        return list(docnames)
    read = set(build.docnames)
    return [d for d in docnames if d in read or not path_of(d).is_file()]


def collection_changed(app: Sphinx) -> bool:
    """Whether the entity data (mentions, titles, authors, registry) or settings changed.

    True as well when the build's reading is unknown.
    """
    build = _BUILDS.get(app)
    return (build is None or build.settings_changed
            or build.snapshot != entity_domain(app.env).data.get("snapshot"))


def setup_changed(app: Sphinx) -> None:
    """Follow which documents each build reads."""
    # last, so that documents other handlers add to the list are seen as read too; and first
    # in env-updated, whose handlers extend that list with documents only to rewrite
    app.connect("env-before-read-docs", note_read_docs, priority=900)
    app.connect("env-updated", note_settings, priority=100)
    # after the per-article files and exports are written (default priority 500)
    app.connect("build-finished", keep_settings, priority=800)
