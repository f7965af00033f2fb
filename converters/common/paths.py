"""The project's standard paths, defined once: the root and where docs, data and seeds live."""

from __future__ import annotations

from pathlib import Path

#: The project root (the folder holding ``converters/``, ``docs/`` and ``seeds/``).
ROOT = Path(__file__).resolve().parents[2]

#: Where things are, relative to the root (tools given another ``--root`` look there).
DOCS_DIR = Path("docs")
ARTICLES_DIR = DOCS_DIR / "articles"
DATA_DIR = DOCS_DIR / "_data"
REGISTRY_FILE = DATA_DIR / "registry.yaml"
EDITORIAL_FILE = DATA_DIR / "editorial.yaml"
SEEDS_DIR = Path("seeds")

#: The same places in this project, the defaults of the command-line tools.
DEFAULT_ARTICLES = ROOT / ARTICLES_DIR
DEFAULT_REGISTRY = ROOT / REGISTRY_FILE
DEFAULT_EDITORIAL = ROOT / EDITORIAL_FILE
DEFAULT_SEEDS = ROOT / SEEDS_DIR
