"""Which shard a token goes to, and how many shards a site gets (``generator.search.shards``)."""

from __future__ import annotations

from generator.search.shards import fnv1a, shard_bits, shard_name


def test_fnv1a_matches_the_published_test_vectors() -> None:
    # For ASCII, UTF-16 code units are the bytes, so these are the standard FNV-1a values.
    assert (fnv1a(""), fnv1a("a"), fnv1a("foobar")) == (0x811C9DC5, 0xE40C292C, 0xBF9CF968)


def test_shard_names_have_as_many_hex_digits_as_the_bits_need() -> None:
    assert shard_name("粽叶", 4) == f"{fnv1a('粽叶') & 15:x}"
    assert len(shard_name("粽叶", 9)) == 3 and len(shard_name("粽叶", 12)) == 3 and len(shard_name("粽叶", 13)) == 4


def test_shard_count_grows_with_the_site_within_limits() -> None:
    counts = [shard_bits(n) for n in (0, 10, 1000, 10_000, 1_000_000)]
    assert counts == sorted(counts) and counts[0] >= 2 and counts[-1] == 13
