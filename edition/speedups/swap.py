"""A library's attribute replaced for the length of each build, and given back when it ends.

From ``env-before-read-docs`` (every build emits it, a process's next build too) to
``build-finished``: a process that also builds without the speed-ups (the tests) finds the
library's own, and an application made but never built replaces nothing.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx


def replace_during_builds(app: Sphinx, owner: object, name: str, replacement: Any,
                          original: Any) -> None:
    """Set ``owner.name`` to ``replacement`` while each build of ``app`` runs.

    Then to ``original``: given by the caller, as read when its module was imported.
    """

    def replace(_app: Sphinx, _env: object, _docnames: list[str]) -> None:
        setattr(owner, name, replacement)

    def give_back(_app: Sphinx, _exception: BaseException | None) -> None:
        setattr(owner, name, original)

    app.connect("env-before-read-docs", replace, priority=0)
    app.connect("build-finished", give_back, priority=1000)
