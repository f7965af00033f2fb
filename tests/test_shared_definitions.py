"""Concepts defined once and used by every component: what each definition does."""

from __future__ import annotations

import os
from pathlib import Path

from converters.common.markup import NAME_OPTION, TARGET, escape, without_inline_markup
from edition.security.files import write_if_changed


def test_role_keeps_shown_text_with_escaped_markup() -> None:
    """A shown text the writer escaped (``<`` in a name) is still the text left of a role."""
    shown = escape("A<B Ltd")
    assert without_inline_markup(f"{{ent}}`{shown} <a-b-ltd>` said") == f"{shown} said"
    assert without_inline_markup("{date}`May 2019`") == "May 2019"


def test_labels_by_target_and_name_option() -> None:
    """Both ways of defining a label give it in the group ``label``."""
    assert (m := TARGET.match("(slug-p3)=")) and m.group("label") == "slug-p3"
    assert (m := NAME_OPTION.match(":name: fig one ")) and m.group("label") == "fig one"
    assert TARGET.match("(a b)=") is None


def test_write_if_changed_leaves_identical_file_alone(tmp_path: Path) -> None:
    """The second write of the same text does not touch the file; a new text does."""
    path = tmp_path / "deep" / "page.ris"
    folders = [tmp_path]  # outside a build, the folder it may write into is named
    assert write_if_changed(path, "TY  - NEWS\r\nER  - \r\n", folders=folders)
    assert path.read_bytes() == b"TY  - NEWS\r\nER  - \r\n"
    os.utime(path, ns=(1, 1))
    assert not write_if_changed(path, "TY  - NEWS\r\nER  - \r\n", folders=folders)
    assert path.stat().st_mtime_ns == 1
    assert write_if_changed(path, "changed\n", folders=folders)
    assert path.read_text(encoding="utf-8") == "changed\n"

