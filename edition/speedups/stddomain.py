"""Sphinx's standard domain, with a first reading of a document that costs nothing to clear.

Sphinx forgets every document in every domain before reading it, new documents included, and
the standard domain does so by scanning all its labels, terms and objects: the first build of
a large collection (every paragraph has a label) is then quadratic in its size. A document
Sphinx has never read has recorded nothing, so it is skipped; any other is cleared as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.domains.std import StandardDomain

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


class EditionStandardDomain(StandardDomain):
    """The standard domain, skipping the clearing of documents read for the first time."""

    def __init__(self, env: BuildEnvironment) -> None:
        """The standard domain, with no document yet known to be unread."""
        super().__init__(env)
        #: Documents about to be cleared that were never read (filled by :func:`note_unread`).
        self.unread: set[str] = set()

    def clear_doc(self, docname: str) -> None:
        """Forget a document's labels, terms and objects, unless it was never read."""
        if docname in self.unread:
            self.unread.discard(docname)
            # Sphinx's domain makes its terms table on first use (as the clearing would) and
            # merging a parallel reader's data expects it: made here, before readers fork.
            self.data.setdefault("terms", {})
            return
        super().clear_doc(docname)


def note_unread(_app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Remember that a document about to be cleared was never read (``env-purge-doc``).

    The event comes just before Sphinx clears the document, while its record in
    ``env.all_docs`` (set when a reading completes) still tells whether it was read.
    """
    domain = env.domains.standard_domain
    if docname not in env.all_docs and isinstance(domain, EditionStandardDomain):
        domain.unread.add(docname)


def setup_standard_domain(app: Sphinx) -> None:
    """Use the edition's standard domain."""
    app.add_domain(EditionStandardDomain, override=True)
    app.connect("env-purge-doc", note_unread)
