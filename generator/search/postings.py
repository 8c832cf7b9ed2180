"""The postings of runs of consecutive stories: built a story at a time, then merged shard by shard.

A build adds each story's tokens to the run it belongs to (a worker's share of the stories),
and the index shards are merged from the runs' postings (``merge_shard``) or the whole index
is built from them (``SearchIndex.update``). Nothing here touches files.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import TypeVar

from generator.search.files import ShardPostings
from generator.search.shards import fnv1a, fnv1a_pair
from generator.search.tokens import DocText, Pairs, doc_keys, pair_units


@dataclass(frozen=True, slots=True)
class Packed:
    """Postings of a run of stories in four flat objects, rather than two per token.

    A run of 2,000 stories has about 50,000 of them; a build at 50,000 stories holds every
    run's postings until they are merged, and as a dict of strings and bytes they took a
    hundred megabytes.
    """

    tokens: str
    """The tokens one after another."""
    lengths: bytes
    """Each token's length (an unsigned int array)."""
    counts: bytes
    """How many story ids each token has (an unsigned int array)."""
    ids: bytes
    """The story ids, token after token (an array of ``typecode``)."""
    typecode: str

    def items(self) -> Iterator[tuple[str, memoryview]]:
        """Each token with the bytes of its ids, in the order they were packed."""
        tokens, ids, size = self.tokens, memoryview(self.ids), array(self.typecode).itemsize
        start = at = 0
        for length, count in zip(array("I", self.lengths), array("I", self.counts), strict=True):
            end = at + count * size
            yield tokens[start : start + length], ids[at:end]
            start, at = start + length, end


Part = tuple[Packed, Packed]
"""Postings of a run of consecutive stories: all fields, title."""


K = TypeVar("K", str, int | str)


class _Bare(dict[int | str, "array[int]"]):
    """Token (a pair of Han characters as its int, see ``Pairs``) → sorted story ids; a new one gets an empty array."""

    def __init__(self, wide: bool) -> None:
        super().__init__()
        self.typecode = "I" if wide else "H"

    def __missing__(self, token: int | str) -> array[int]:
        posting = self[token] = array(self.typecode)
        return posting


def append_ids(every: dict[K, array[int]], title: dict[K, array[int]], doc_id: int,
               tokens: set[K], title_tokens: set[K]) -> None:
    """Add a story's id to the postings of its tokens in all fields and in the title (ids in increasing order)."""
    # C-level loops: a Python loop per posting would cost several times more at millions of postings.
    append = array.append
    deque(map(append, map(every.__getitem__, tokens), repeat(doc_id)), maxlen=0)
    deque(map(append, map(title.__getitem__, title_tokens), repeat(doc_id)), maxlen=0)


POSTINGS_BATCH = 64
"""Stories whose tokens wait to be added to a run's postings together (see ``PostingsRun``)."""


class PostingsRun:
    """Builds the postings of a run of consecutive stories, one story at a time (see ``postings_part``).

    A story's tokens are added with the next ``POSTINGS_BATCH`` stories' rather than at once. Between
    two stories the build parses Markdown and renders a page, which pushes the postings (a few
    thousand arrays) out of the processor's caches; adding 64 stories' tokens in one go finds them
    there again. Measured in the story pass at 5,000 stories (one process, three runs each): adding
    a story took 0.97–1.01 times as long as rendering its Markdown one at a time, 0.77–0.80 in batches.
    """

    def __init__(self, wide: bool) -> None:
        self.every, self.title = _Bare(wide), _Bare(wide)
        self._waiting: list[tuple[int, set[int | str], set[int | str]]] = []

    def add(self, doc_id: int, doc: DocText) -> None:
        """Add the next story's tokens (ids must come in increasing order)."""
        self._waiting.append((doc_id, *doc_keys(doc)))
        if len(self._waiting) >= POSTINGS_BATCH:
            self._flush()

    def _flush(self) -> None:
        for doc_id, every, in_title in self._waiting:
            append_ids(self.every, self.title, doc_id, every, in_title)
        self._waiting.clear()

    def part(self) -> Part:
        """The postings of the run, by token."""
        self._flush()
        # Pairs become tokens here, once per distinct pair of the run rather than once per story.
        pairs = Pairs()
        return _tokens_part(self.every, pairs), _tokens_part(self.title, pairs)

    def by_shard(self, bits: int) -> ShardRows:
        """The postings of the run grouped by the shard of their token (see ``merge_shard``)."""
        self._flush()
        mask = (1 << bits) - 1
        found: dict[int | str, list[bytes]] = {}
        for field_index, postings in enumerate((self.every, self.title)):
            for key, posting in postings.items():
                found.setdefault(key, [b"", b""])[field_index] = posting.tobytes()
        rows: ShardRows = {}
        # A run has thousands of distinct pairs, each named and hashed here once, in every run: from
        # the int's code units rather than the token's text this took 4.7 ms instead of 11.8 for a
        # run of 125 stories (1,000-story sites have runs of that size).
        for key, (every, title) in found.items():
            if isinstance(key, str):
                rows.setdefault(fnv1a(key) & mask, []).append((key, every, title))
                continue
            first, second = pair_units(key)
            if first and second:  # not a pair across two runs of Han characters
                token = chr(first) + chr(second)
                rows.setdefault(fnv1a_pair(first, second) & mask, []).append((token, every, title))
        return rows


ShardRows = dict[int, list[tuple[str, bytes, bytes]]]
"""Shard number → tokens with the bytes of their postings in all fields and in the title (empty: none)."""


def merge_shard(typecode: str, runs: Iterable[Iterable[tuple[str, bytes, bytes]]]) -> ShardPostings:
    """One shard's postings from its rows in consecutive runs of stories (``PostingsRun.by_shard``), in id order.

    The result holds what ``SearchIndex.shard_row`` holds for that shard of an index of all the runs.
    """
    merged: dict[str, tuple[bytearray, bytearray]] = {}
    for rows in runs:
        for token, every, title in rows:
            known = merged.get(token)
            if known is None:
                merged[token] = (bytearray(every), bytearray(title))
            else:
                known[0].extend(every)
                known[1].extend(title)
    return typecode, [(token, bytes(every), bytes(title)) for token, (every, title) in sorted(merged.items())]


def postings_part(docs: Sequence[DocText], first: int, wide: bool) -> Part:
    """Build the postings of stories ``first``, ``first + 1``, … (in a worker process when there are many)."""
    run = PostingsRun(wide)
    for doc_id, doc in enumerate(docs, start=first):
        run.add(doc_id, doc)
    return run.part()


def _tokens_part(postings: _Bare, pairs: Pairs) -> Packed:
    tokens, lengths, counts, ids = [], array("I"), array("I"), array(postings.typecode)
    for key, posting in postings.items():
        token = pairs[key] if isinstance(key, int) else key
        if token is not None:
            tokens.append(token)
            lengths.append(len(token))
            counts.append(len(posting))
            ids.extend(posting)
    return Packed("".join(tokens), lengths.tobytes(), counts.tobytes(), ids.tobytes(), postings.typecode)
