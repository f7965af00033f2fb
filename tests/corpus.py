"""Where the extra corpus of real posts is: ``../shared/corpus`` beside the repository.

``EDITION_CORPUS`` overrides it. Tests that sample the corpus skip where it is absent, except
under CI, where its absence is a failure (it is always beside the clone there).
"""

from __future__ import annotations

import os
from pathlib import Path

CORPUS = Path(
    os.environ.get("EDITION_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)

#: The corpus tests check every N-th post; ``EDITION_CORPUS_STEP=1`` checks them all
#: (``python benchmarks/corpus_check.py --no-loss`` does that).
SAMPLE_STEP = int(os.environ.get("EDITION_CORPUS_STEP", "25"))


def sample(folder: str) -> list[Path]:
    """Every ``SAMPLE_STEP``-th post of one corpus folder (none where the corpus is absent)."""
    posts = CORPUS / folder
    return sorted(posts.iterdir())[::SAMPLE_STEP] if posts.is_dir() else []
