"""A page with mistakes the extension must report: an unknown entity id and a malformed date."""

extensions = ["myst_parser", "edition"]
project = "Entities warnings test"
exclude_patterns = ["_build"]
edition_registry = "_data/registry.yaml"
