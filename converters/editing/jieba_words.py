"""Jieba's tagger and dictionary, loaded once, for the candidates and the draft entries.

Both the finding of candidate names (:mod:`converters.editing.candidates`) and the drafting of
registry entries from them (:mod:`converters.editing.draft`) ask jieba what a word is; they
share this module rather than import each other.
"""

from __future__ import annotations

import logging
from functools import lru_cache

#: The dots between the parts of a transliterated name (威廉·巴尔, 迈克·庞皮欧), as folded.
NAME_INTERPUNCTS = frozenset("·・•‧．")


@lru_cache(maxsize=1)
def jieba_posseg() -> object:
    """Jieba's tagger with its bundled default dictionary only, without its log chatter."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    return jieba.posseg


def jieba_dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """Jieba's dictionary: word frequencies and each word's part-of-speech tag."""
    posseg = jieba_posseg()
    tokenizer = posseg.dt  # type: ignore[attr-defined]
    tokenizer.tokenizer.check_initialized()
    return tokenizer.tokenizer.FREQ, tokenizer.word_tag_tab
