"""How postings are written in the search files (``generator.search.files``)."""

from __future__ import annotations

import random

import pytest

from generator.search.files import BITMAP, decode_posting, encode_posting


@pytest.mark.parametrize("seed", range(20))
def test_postings_survive_encoding(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.choice([1, 10, 1000, 70_000])
    ids = sorted(rng.sample(range(size), rng.randint(1, min(size, 500 if seed % 2 else size))))
    assert decode_posting(encode_posting(ids)) == ids


def test_dense_postings_are_bitmaps_and_sparse_ones_gaps() -> None:
    dense = encode_posting(list(range(0, 600, 2)))
    sparse = encode_posting([3, 4000, 9000])
    assert dense.startswith(BITMAP) and len(dense) < 120
    assert not sparse.startswith(BITMAP) and len(sparse) <= 8
    assert encode_posting([]) == ""
