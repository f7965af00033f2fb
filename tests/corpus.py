"""Where the extra corpus of real posts is: one setting, ``EDITION_CORPUS``.

By default ``../shared/corpus`` beside the repository. Tests that use it skip, with the reason,
where it is absent; ``EDITION_REQUIRE_CORPUS=1`` makes its absence an error instead (``.ci/run``
sets it when ../shared is beside the clone).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(
    os.environ.get("EDITION_CORPUS", Path(__file__).resolve().parents[2] / "shared" / "corpus")
)
#: Whether the corpus is there.
AVAILABLE = CORPUS.is_dir()
#: Why a corpus test is skipped.
REASON = f"the extra corpus is not at {CORPUS} (EDITION_CORPUS names another place)"
#: The mark of a test that needs the corpus.
needs_corpus = pytest.mark.skipif(not AVAILABLE, reason=REASON)

#: The corpus tests check every N-th post; ``EDITION_CORPUS_STEP=1`` checks them all
#: (``python benchmarks/corpus_check.py --no-loss`` does that).
SAMPLE_STEP = int(os.environ.get("EDITION_CORPUS_STEP", "25"))


def sample(folder: str) -> list[Path]:
    """Every ``SAMPLE_STEP``-th post of one corpus folder (none where the corpus is absent)."""
    posts = CORPUS / folder
    return sorted(posts.iterdir())[::SAMPLE_STEP] if posts.is_dir() else []


def sample_params(folder: str) -> list[Any]:
    """:func:`sample` as parameters of a test: one skipped parameter, with the reason, when the
    corpus is absent (an empty list would skip with pytest's "got empty parameter set")."""
    posts = sample(folder)
    if posts:
        return [pytest.param(post, id=post.name) for post in posts]
    return [pytest.param(None, id="no-corpus", marks=pytest.mark.skip(reason=REASON))]
