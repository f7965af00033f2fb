"""Values read from YAML (front matter, data files) coerced to what the code expects, once."""

from __future__ import annotations

from typing import Any


def as_list(value: Any) -> list[str]:
    """A front-matter value as a list of non-empty strings (scalars become one-item lists)."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if str(item).strip()]
