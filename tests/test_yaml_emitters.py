"""Front matter written through libyaml is byte for byte what PyYAML's own emitter writes.

``myst.dump_yaml`` takes libyaml's emitter only for data it admits (``_same_in_libyaml``);
generated data, hostile characters included, and the seeds' real front matter must come out
exactly as ``yaml.safe_dump`` writes them, so no page changes with the emitter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from converters import myst
from converters.pipeline import Options, convert_source
from converters.sources import load

ROOT = Path(__file__).resolve().parents[1]

#: Characters front matter holds: CJK, Latin, YAML syntax, and what libyaml writes otherwise.
ALPHABET = st.one_of(
    st.sampled_from(list("abcXYZ 中文财新“”《》，。:#-'\"!?&*|>%@`[]{},~=…—·0123456789")),
    st.sampled_from(["\n", "\r", "\t", "\xa0", "\x85", "\u2028", "\ufeff", "😀", "\x07"]),
    st.characters(codec="utf-8"),
)
SAFE_ALPHABET = st.characters(min_codepoint=0x20, max_codepoint=0xFFFD).filter(
    lambda c: myst._SAME_IN_BOTH.fullmatch(c) is not None
)


def data(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Front-matter-like mappings: strings, numbers, flags, lists and nested mappings."""
    text = st.text(alphabet, max_size=300)
    keys = st.text(alphabet, min_size=1, max_size=70)
    scalar = st.one_of(text, st.integers(), st.booleans(), st.none())
    value = st.recursive(scalar, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=3)), max_leaves=12)
    return st.dictionaries(keys, value, min_size=1, max_size=6)


def reference(value: dict[str, Any]) -> str:
    """What PyYAML's pure-Python emitter writes."""
    return yaml.safe_dump(value, **myst._YAML_OPTIONS)


@pytest.mark.slow  # 300 generated examples
@settings(max_examples=300, deadline=None)
@given(data(ALPHABET))
def test_any_front_matter_is_written_as_pyyaml_writes_it(value: dict[str, Any]) -> None:
    """Whatever the data, the written YAML is PyYAML's."""
    assert myst.dump_yaml(value) == reference(value)


@pytest.mark.slow  # 300 generated examples
@settings(max_examples=300, deadline=None)
@given(data(SAFE_ALPHABET))
def test_libyaml_writes_admitted_data_as_pyyaml_does(value: dict[str, Any]) -> None:
    """The data libyaml is trusted with: its own output equals PyYAML's."""
    if not myst._same_in_libyaml(value) or myst._FAST_DUMPER is None:
        return  # a long key: written by PyYAML's emitter, covered above
    fast = yaml.dump(value, Dumper=myst._FAST_DUMPER, **myst._YAML_OPTIONS)
    assert fast == reference(value)


@pytest.mark.parametrize("seed", sorted(p.name for p in (ROOT / "seeds").glob("[0-9]*")))
def test_seed_pages_are_unchanged_by_the_emitter(seed: str) -> None:
    """Each seed's pages, front matter included, as the pure-Python emitter writes them."""
    source = load(ROOT / "seeds" / seed)
    fast = convert_source(source, Options()).pages
    original = myst._FAST_DUMPER
    try:
        myst._FAST_DUMPER = None
        slow = convert_source(source, Options()).pages
    finally:
        myst._FAST_DUMPER = original
    assert fast == slow
    assert fast
