"""Which shard file a token is stored in: the low bits of its FNV-1a hash, as ``search.js`` computes it.

The hash runs over UTF-16 code units, so that the JavaScript finds the same shard for a token;
the number of shards grows with the site (``shard_bits``).
"""

from __future__ import annotations

MIN_SHARD_BITS, MAX_SHARD_BITS = 2, 13
STORIES_PER_SHARD = 2.5
"""About this many stories per shard keeps a shard at a few KB (measured: bench/search_size.py)."""


def fnv1a(token: str) -> int:
    """Return the 32-bit FNV-1a hash of a token's UTF-16 code units (as search.js computes it)."""
    value = 0x811C9DC5
    data = token.encode("utf-16-le")
    for unit in memoryview(data).cast("H"):
        value = ((value ^ unit) * 0x01000193) & 0xFFFFFFFF
    return value


def fnv1a_pair(first: int, second: int) -> int:
    """Return ``fnv1a`` of a token of two UTF-16 code units, without making the token."""
    return ((((0x811C9DC5 ^ first) * 0x01000193) & 0xFFFFFFFF ^ second) * 0x01000193) & 0xFFFFFFFF


def shard_bits(stories: int) -> int:
    """Choose the number of shard bits for a site of this many stories."""
    wanted = max(1, round(stories / STORIES_PER_SHARD))
    return max(MIN_SHARD_BITS, min(MAX_SHARD_BITS, (wanted - 1).bit_length()))


def shard_name(token: str, bits: int) -> str:
    """Return the shard file name (hex, without extension) a token is stored in."""
    return f"{fnv1a(token) & ((1 << bits) - 1):0{(bits + 3) // 4}x}"
