"""The inverted index of a site's stories, kept between builds and patched for changed stories.

Stories are numbered oldest first, so that a new story (usually the newest) takes the
next number and no other story's number changes; recency is then "higher id first".
Each shard's payload is encoded as ``files`` describes. Nothing here touches files.
"""

from __future__ import annotations

import bisect
import weakref
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from generator.search.files import encode_rows
from generator.search.postings import Part, append_ids, postings_part
from generator.search.shards import fnv1a, shard_bits
from generator.search.tokens import DocText, doc_tokens

Split = Callable[[Sequence[DocText], bool], Iterable[Part]]
"""Builds the postings of all stories as parts in id order (``postings_part`` over runs of stories)."""


def _whole(docs: Sequence[DocText], wide: bool) -> Iterable[Part]:
    return [postings_part(docs, 0, wide)]


class _Postings(dict[str, "array[int]"]):
    """Token → sorted story ids; a new token gets an empty array and is placed in its shard.

    Looking up a token that exists stays in C (``dict.__getitem__``), so that mapping every
    token of a story to its posting needs no Python loop.
    """

    def __init__(self, index: SearchIndex) -> None:
        super().__init__()
        # A proxy, not a reference: a cycle would keep the index alive until the collector runs,
        # and a build turns it off.
        self.index = weakref.proxy(index)

    def __missing__(self, token: str) -> array[int]:
        posting = self[token] = array("I" if self.index.wide else "H")
        self.index.place(token)
        return posting


ShardRow = tuple[dict[str, tuple[bytes, bytes]], str]
"""A shard as the build cache keeps it: token → postings (all fields, title) as array bytes; its payload."""


@dataclass(frozen=True)
class IndexHead:
    """What the build cache keeps of an index besides its shards."""

    keys: tuple[str, ...]
    marks: tuple[bytes, ...]
    bits: int
    wide: bool


@dataclass
class SearchIndex:
    """The inverted index of a site's stories, kept between builds and patched for changed stories.

    Postings are compact arrays of story ids (two bytes a posting up to 65,536 stories),
    one per token, never a Python object per posting. Encoded shards are kept until
    one of their tokens changes.
    """

    docs: list[DocText] = field(default_factory=list)
    """Stories by id (oldest first)."""
    keys: list[str] = field(default_factory=list)
    """Their keys."""
    every: _Postings = field(init=False)
    """Token → stories with it in any field."""
    title: _Postings = field(init=False)
    """Token → stories with it in the title."""
    shard_of: dict[str, int] = field(default_factory=dict)
    members: dict[int, set[str]] = field(default_factory=dict)
    """Shard number → tokens stored in it."""
    bits: int = 0
    wide: bool = False
    shards: dict[int, str] = field(default_factory=dict)
    """Shard number → encoded payload (JSON text), for shards encoded since their last change."""
    rebuilt: bool = False
    """The last update started afresh (for benchmarks and tests)."""
    dirty: set[int] = field(default_factory=set)
    """Shards changed since the index was made or read back (what the build cache must write again)."""

    def __post_init__(self) -> None:
        self.every, self.title = _Postings(self), _Postings(self)

    def place(self, token: str) -> None:
        """Note which shard a token belongs to (called for every new token)."""
        if token not in self.shard_of:
            shard = self.shard_of[token] = fnv1a(token) & ((1 << self.bits) - 1)
            self.members[shard].add(token)

    def update(self, docs: Sequence[DocText], split: Split = _whole) -> set[int]:
        """Bring the index up to date with the stories by id; return the shards that changed.

        Stories changed in place and stories added at the end (new ids) cost only their own
        tokens; any other change of numbering (a story removed, or added between others)
        rebuilds the index, and so does a change of the number of shards; ``split`` then
        builds the postings (the caller may spread it over processes).
        """
        old = self.docs
        bits, wide = shard_bits(len(docs)), len(docs) > 0xFFFF
        keys = [doc.key for doc in docs]
        same_prefix = keys[: len(old)] == self.keys
        self.keys = keys
        if not old or not same_prefix or bits != self.bits or wide != self.wide:
            self._rebuild(docs, bits, wide, split)
            return set(range(1 << bits))
        self.rebuilt = False
        changed: set[str] = set()
        for doc_id, (before, after) in enumerate(zip(old, docs, strict=False)):
            if before is not after and (before.mark != after.mark or not after.mark):
                changed |= self._replace(doc_id, before, after)
        for doc_id in range(len(old), len(docs)):
            every, in_title = doc_tokens(docs[doc_id])
            append_ids(self.every, self.title, doc_id, every, in_title)
            changed |= every | in_title
        self.docs = list(docs)
        dirty = {self.shard_of[token] for token in changed}
        for shard in dirty:
            self.shards.pop(shard, None)
        self.dirty |= dirty
        return dirty

    def _rebuild(self, docs: Sequence[DocText], bits: int, wide: bool, split: Split) -> None:
        self.docs, self.bits, self.wide, self.rebuilt = list(docs), bits, wide, True
        self.every, self.title, self.shard_of = _Postings(self), _Postings(self), {}
        self.shards, self.members = {}, {shard: set() for shard in range(1 << bits)}
        self.dirty = set(range(1 << bits))
        for every, title in split(self.docs, wide):
            # Parts come in id order, so appending keeps every posting sorted.
            for postings, part in ((self.every, every), (self.title, title)):
                for token, data in part.items():
                    postings[token].frombytes(data)

    def _replace(self, doc_id: int, before: DocText, after: DocText) -> set[str]:
        old_every, old_title = self._tokens_of(doc_id) if before.stub else doc_tokens(before)
        new_every, new_title = doc_tokens(after)
        for old, new, postings in ((old_every, new_every, self.every), (old_title, new_title, self.title)):
            for token in old - new:
                postings[token].remove(doc_id)
            for token in new - old:
                posting = postings[token]
                posting.insert(bisect.bisect_left(posting, doc_id), doc_id)
        return (old_every ^ new_every) | (old_title ^ new_title)

    def _tokens_of(self, doc_id: int) -> tuple[set[str], set[str]]:
        """Find a story's tokens from the postings (when its text is not known)."""

        def has(posting: array[int]) -> bool:
            """Whether the story is in this posting."""
            at = bisect.bisect_left(posting, doc_id)
            return at < len(posting) and posting[at] == doc_id

        return ({t for t, p in self.every.items() if has(p)}, {t for t, p in self.title.items() if has(p)})

    def replace(self, doc_id: int, before: DocText, after: DocText) -> set[int]:
        """Patch one story's postings (its full old text given); return the shards that changed.

        Every shard holding a token the story gained or lost must be loaded (see ``from_rows``).
        """
        changed = self._replace(doc_id, before, after)
        if self.docs:
            self.docs[doc_id] = after
        dirty = {self.shard_of[token] for token in changed}
        for shard in dirty:
            self.shards.pop(shard, None)
        self.dirty |= dirty
        return dirty

    def head(self) -> IndexHead:
        """What the build cache keeps of the index besides its shards."""
        return IndexHead(tuple(self.keys), tuple(doc.mark for doc in self.docs), self.bits, self.wide)

    def shard_row(self, shard: int) -> ShardRow:
        """One shard as the build cache keeps it: each token's postings as array bytes, and its payload."""
        empty = array("H")
        postings = {}
        for token in sorted(self.members[shard]):
            every, in_title = self.every.get(token, empty), self.title.get(token, empty)
            if every or in_title:
                postings[token] = (every.tobytes(), in_title.tobytes())
        return postings, self.payload(shard)

    @classmethod
    def from_rows(cls, head: IndexHead, rows: Mapping[int, ShardRow], whole: bool = True) -> SearchIndex:
        """Read an index back from the build cache: all its shards, or (not ``whole``) only those a patch touches.

        A partial index knows no stories: it serves ``replace`` and ``shard_row`` only.
        """
        index = cls(bits=head.bits, wide=head.wide)
        if whole:
            index.keys = list(head.keys)
            index.docs = [DocText(key, "", "", "", mark, stub=True) for key, mark in zip(head.keys, head.marks,
                                                                                         strict=True)]
        index.members = {shard: set() for shard in range(1 << head.bits)}
        typecode = "I" if head.wide else "H"
        for shard, (postings, payload) in rows.items():
            index.shards[shard] = payload
            index.members[shard].update(postings)
            for token, (every, in_title) in postings.items():
                index.shard_of[token] = shard
                # Straight into the dicts: placing each token again through __missing__ would be slower.
                dict.__setitem__(index.every, token, array(typecode, every))
                if in_title:
                    dict.__setitem__(index.title, token, array(typecode, in_title))
        return index

    def payload(self, shard: int) -> str:
        """Return the data of one shard: ``[token, all fields, title, …]`` as JSON, tokens sorted."""
        known = self.shards.get(shard)
        if known is not None:
            return known
        text = self.shards[shard] = encode_rows(self._postings_of(shard))
        return text

    def _postings_of(self, shard: int) -> Iterator[tuple[str, array[int], array[int]]]:
        empty = array("H")
        for token in sorted(self.members[shard]):
            every, in_title = self.every.get(token, empty), self.title.get(token, empty)
            if every or in_title:
                yield token, every, in_title
