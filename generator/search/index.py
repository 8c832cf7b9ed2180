"""Full-text search data: tokens, an inverted index patched in place, and the script files the browser loads.

The browser (``static/js/search.js``) loads only what a query needs, as plain
``<script>`` files, because ``fetch`` and XHR of local files are blocked on
``file://``. Every file calls ``dangjianSearch.add(name, data)``:

- ``search/i/<hex>.js``: one shard of the inverted index. A token goes to the shard
  named by the low bits of its FNV-1a hash (over UTF-16 code units, so that the
  JavaScript computes the same name); the data is a flat list ``[token, all, title, …]``
  of each token's postings in all fields and in the title alone.
- ``search/d/<id>.js``: one story's title, link, kind, unit, date, activities, summary
  and plain text, for the result list, its snippet and the check of longer terms.
- ``search/f/<facet>-<id>.js``: the stories of one kind, unit (with its sub-units) or
  activity, for the filters.

Tokens: every pair of adjacent Han characters (bigram) of the title, summary and body;
single Han characters of the title only; runs of Latin letters and digits, lowercased.
A query term of two Han characters is then one token; a longer one is the AND of its
bigrams, checked as a real substring on the candidate's text.

Stories are numbered oldest first, so that a new story (usually the newest) takes the
next number and no other story's number changes; recency is then "higher id first".
Postings are sorted ids, written as base64 bitmaps when dense and as gap varints
(5 bits a character) otherwise. Nothing here touches files.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
import sys
import weakref
import zlib
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import sub
from typing import Any, TypeVar

FORMAT = 1
"""Version of the files' layout; part of every search file's fingerprint."""

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han characters indexed (BMP only, so that Python and JavaScript count characters alike)."""
_HAN_RUN = re.compile(f"[{HAN}]{{2,}}")
_HAN_CHAR = re.compile(f"[{HAN}]")
_WORD = re.compile("[0-9a-z]+")
_LITTLE = sys.byteorder == "little"
_TERM_PART = re.compile(f"[{HAN}]+|[0-9a-z]+")

# Length-preserving fold: full-width letters and digits to ASCII, A-Z to a-z, ideographic space
# to space. Full-width punctuation stays: it is everywhere in Chinese text and never a token.
# search.js folds the same way, so that offsets in folded text are offsets in the text.
_FOLD = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FOLD.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FOLD.update({c: c - 0xFEE0 + 32 for c in range(0xFF21, 0xFF3B)})
_FOLD.update({c: c + 32 for c in range(ord("A"), ord("Z") + 1)})
_FOLD[0x3000] = 0x20
_FOLD_TABLE = str.maketrans(_FOLD)
_TO_FOLD = re.compile("[A-Z\u3000\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
BITMAP = "~"
"""First character of a posting written as a bitmap."""
_FAST_GAPS = 1 << 10
"""Gaps below this are looked up in a table (two characters at most), the rest encoded one by one."""

MIN_SHARD_BITS, MAX_SHARD_BITS = 2, 13
STORIES_PER_SHARD = 2.5
"""About this many stories per shard keeps a shard at a few KB (measured: bench/search_size.py)."""


def fold(text: str) -> str:
    """Fold text for matching without changing its length: full-width letters and digits to ASCII, lowercase."""
    # Translating only the runs that need it is several times faster than the whole text.
    return _TO_FOLD.sub(_fold_run, text)


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD_TABLE)


def fnv1a(token: str) -> int:
    """Return the 32-bit FNV-1a hash of a token's UTF-16 code units (as search.js computes it)."""
    value = 0x811C9DC5
    data = token.encode("utf-16-le")
    for unit in memoryview(data).cast("H"):
        value = ((value ^ unit) * 0x01000193) & 0xFFFFFFFF
    return value


def _fnv1a_pair(first: int, second: int) -> int:
    # fnv1a of a token of two UTF-16 code units, without making the token.
    return ((((0x811C9DC5 ^ first) * 0x01000193) & 0xFFFFFFFF ^ second) * 0x01000193) & 0xFFFFFFFF


def shard_bits(stories: int) -> int:
    """Choose the number of shard bits for a site of this many stories."""
    wanted = max(1, round(stories / STORIES_PER_SHARD))
    return max(MIN_SHARD_BITS, min(MAX_SHARD_BITS, (wanted - 1).bit_length()))


def shard_name(token: str, bits: int) -> str:
    """Return the shard file name (hex, without extension) a token is stored in."""
    return f"{fnv1a(token) & ((1 << bits) - 1):0{(bits + 3) // 4}x}"


# --------------------------------------------------------------------------- tokens


class Pairs(dict[int, str | None]):
    """Two adjacent characters, as the int of their UTF-16 code units (see ``pair_keys``), → that token.

    None for the pairs that straddle two runs of Han characters (one of their characters is the
    separator "\\0"). Shared by the stories of one run, so that each distinct pair becomes a string once.
    """

    def __missing__(self, pair: int) -> str | None:
        first, second = pair_units(pair)
        token = self[pair] = chr(first) + chr(second) if first and second else None
        return token


def pair_units(pair: int) -> tuple[int, int]:
    """The two UTF-16 code units of a pair of ``pair_keys``, in text order (0 for the separator)."""
    # The pair was read from UTF-16-LE bytes as a native int: its first character is the low
    # half on a little-endian machine. (Arithmetic, not decoding: several times faster.)
    return (pair & 0xFFFF, pair >> 16) if _LITTLE else (pair >> 16, pair & 0xFFFF)


def pair_keys(folded: str) -> set[int]:
    """Return every pair of adjacent Han characters of folded text as an int (see ``Pairs``), and separator pairs."""
    runs = _HAN_RUN.findall(folded)
    if not runs:
        return set()
    # Every indexed character is one UTF-16 code unit, so each 4-byte window of the encoded runs
    # is a pair: read as ints, C-level, with no string made per position.
    data = "\0".join(runs).encode("utf-16-le")
    found = set(memoryview(data[: len(data) // 4 * 4]).cast("I"))
    found.update(memoryview(data[2 : 2 + (len(data) - 2) // 4 * 4]).cast("I"))
    return found


def bigrams(folded: str) -> set[str]:
    """Return every pair of adjacent Han characters of folded text."""
    return _named(pair_keys(folded), Pairs())


def _named(keys: Iterable[int | str], pairs: Pairs) -> set[str]:
    """Turn the keys of ``doc_keys`` into tokens, leaving out separator pairs."""
    return {token for token in (pairs[k] if isinstance(k, int) else k for k in keys) if token is not None}


@dataclass(frozen=True)
class DocText:
    """What the index knows of one story: the text it searches."""

    key: str
    """The story's source path: what identifies it from one build to the next."""
    title: str
    summary: str
    text: str
    """The body as plain text (no markup)."""
    mark: bytes = b""
    """Fingerprint of title, summary and text (see ``text_mark``): equal marks, equal tokens."""
    stub: bool = False
    """Only key and mark are known (an index read back from the build cache)."""


def text_mark(title: str, summary: str, text: str) -> bytes:
    """Fingerprint what a story's tokens are made from."""
    return hashlib.blake2b(f"{title}\0{summary}\0{text}".encode(), digest_size=8).digest()


def doc_tokens(doc: DocText) -> tuple[set[str], set[str]]:
    """Return the tokens of a story in all its fields, and those of its title."""
    every, in_title = doc_keys(doc)
    pairs = Pairs()
    return _named(every, pairs), _named(in_title, pairs)


def doc_keys(doc: DocText) -> tuple[set[int | str], set[int | str]]:
    """Return the tokens of ``doc_tokens``, each pair of Han characters still as its int (see ``Pairs``)."""
    whole = fold(f"{doc.title}\n{doc.summary}\n{doc.text}")
    title = fold(doc.title)
    every: set[int | str] = set(pair_keys(whole))
    every.update(_WORD.findall(whole))
    in_title: set[int | str] = set(pair_keys(title))
    in_title.update(_HAN_CHAR.findall(title))
    in_title.update(_WORD.findall(title))
    return every, in_title


@dataclass(frozen=True)
class Term:
    """One word of a query: its folded text and the index tokens that find it."""

    text: str
    tokens: tuple[str, ...]
    title_only: bool = False
    """A single Han character: looked up among title characters."""
    exact: bool = True
    """The tokens alone decide a match; otherwise the text is checked on each candidate."""


def parse_query(query: str) -> list[Term]:
    """Split a query into terms (whitespace separates them; all must match)."""
    terms = []
    for word in fold(query).split():
        parts = _TERM_PART.findall(word)
        tokens: list[str] = []
        for part in parts:
            if _HAN_CHAR.match(part):
                tokens += [part[i : i + 2] for i in range(len(part) - 1)]
            else:
                tokens.append(part)
        if len(parts) == 1 and len(parts[0]) == 1 and _HAN_CHAR.match(parts[0]) and word == parts[0]:
            terms.append(Term(word, (word,), title_only=True))
        elif tokens:
            exact = len(parts) == 1 and word == parts[0] and len(tokens) == 1
            terms.append(Term(word, tuple(dict.fromkeys(tokens)), exact=exact))
    return terms


# --------------------------------------------------------------------------- postings


def _varint(value: int) -> str:
    out = []
    while True:
        low, value = value & 31, value >> 5
        out.append(ALPHABET[low | (32 if value else 0)])
        if not value:
            return "".join(out)


_GAPS_LESS_ONE = ["", *(_varint(gap - 1) for gap in range(1, _FAST_GAPS))]
"""Gap → its code (the gap less one, as a varint), for gaps below ``_FAST_GAPS``."""


def encode_posting(ids: Sequence[int]) -> str:
    """Write sorted story ids as the shorter of a bitmap and a list of gaps."""
    if not ids:
        return ""
    bitmap_chars = 1 + -(-((ids[-1] >> 3) + 1) * 4 // 3)
    if len(ids) + 1 >= bitmap_chars:
        return _bitmap(ids)
    # The first id as it is, then each gap less one (gaps are at least one).
    gaps = list(map(sub, ids[1:], ids[:-1]))
    fast = not gaps or max(gaps) < _FAST_GAPS
    text = _varint(ids[0]) + "".join(map(_GAPS_LESS_ONE.__getitem__ if fast else _gap_code, gaps))
    return text if len(text) < bitmap_chars else _bitmap(ids)


def _gap_code(gap: int) -> str:
    return _varint(gap - 1)


def _bitmap(ids: Sequence[int]) -> str:
    size = ids[-1] + 1
    flags = bytearray(b"0") * size
    deque(map(flags.__setitem__, ids, repeat(49)), maxlen=0)  # ord("1"), set without a Python loop
    number = int(flags[::-1], 2)
    data = number.to_bytes((size + 7) // 8, "little")
    return BITMAP + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_posting(text: str) -> list[int]:
    """Read a posting written by ``encode_posting``."""
    if not text:
        return []
    if text[0] == BITMAP:
        body = text[1:]
        data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        number = int.from_bytes(data, "little")
        return [i for i in range(len(data) * 8) if number >> i & 1]
    ids: list[int] = []
    value = shift = 0
    previous = 0
    for char in text:
        digit = _VALUE[char]
        value |= (digit & 31) << shift
        shift += 5
        if not digit & 32:
            previous = value if not ids else previous + value + 1
            ids.append(previous)
            value = shift = 0
    return ids


# --------------------------------------------------------------------------- the index


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


def _append(every: dict[K, array[int]], title: dict[K, array[int]], doc_id: int,
            tokens: set[K], title_tokens: set[K]) -> None:
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
            _append(self.every, self.title, doc_id, every, in_title)
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
                rows.setdefault(_fnv1a_pair(first, second) & mask, []).append((token, every, title))
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
            _append(self.every, self.title, doc_id, every, in_title)
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
        text = self.shards[shard] = _encode_shard(self._postings_of(shard))
        return text

    def _postings_of(self, shard: int) -> Iterator[tuple[str, array[int], array[int]]]:
        empty = array("H")
        for token in sorted(self.members[shard]):
            every, in_title = self.every.get(token, empty), self.title.get(token, empty)
            if every or in_title:
                yield token, every, in_title


ShardPostings = tuple[str, list[tuple[str, bytes, bytes]]]
"""A shard's tokens, sorted, each with the bytes of its two postings, and their array type."""


def encode_shard(postings: ShardPostings) -> str:
    """Encode a shard from its postings (``merge_shard``): the same text as ``SearchIndex.payload``."""
    typecode, rows = postings
    return _encode_shard((token, array(typecode, every), array(typecode, title)) for token, every, title in rows)


def _encode_shard(rows: Iterable[tuple[str, array[int], array[int]]]) -> str:
    entries: list[str] = []
    for token, every, in_title in rows:
        entries += (token, encode_posting(every), encode_posting(in_title))
    return script_json(entries)


def script_json(value: Any) -> str:
    """Write a value as JSON that is also a valid JavaScript expression in any browser."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    # JSON allows U+2028 and U+2029 in strings; JavaScript before ES2019 does not.
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def script(name: str, data: str) -> bytes:
    """Return the bytes of a search file that hands ``data`` (JSON) to the page."""
    return f'dangjianSearch.add("{name}",{data});\n'.encode()


def digest(*parts: str) -> str:
    """Return a short fingerprint of some text, for cache-busting links (not for the build cache)."""
    # CRC-32 is several times faster than a cryptographic hash, and a version only needs to change.
    return f"{zlib.crc32(chr(0).join(parts).encode('utf-8')):08x}"


# --------------------------------------------------------------------------- reference query


@dataclass(frozen=True)
class Hit:
    """A story found by ``run_query``."""

    doc_id: int
    title_terms: int
    """How many terms its title holds (ranked first)."""


def run_query(terms: Sequence[Term], lookup: Mapping[str, tuple[list[int], list[int]]],
              texts: Mapping[int, str], allowed: set[int] | None = None) -> list[Hit]:
    """Answer a query as search.js does: AND of terms, checked on text, title hits first, newest first.

    ``lookup`` gives each token's (all fields, title) ids; ``texts`` each candidate's folded
    title, summary and body, for terms whose tokens alone do not decide.
    """
    if not terms:
        return []
    found = allowed
    in_title: list[set[int]] = []
    for term in terms:
        postings = [lookup.get(token, ([], [])) for token in term.tokens]
        title = set.intersection(*(set(t) for _, t in postings))
        every = title if term.title_only else set.intersection(*(set(a) for a, _ in postings))
        found = every if found is None else found & every
        in_title.append(title)
    assert found is not None
    hits = [Hit(doc_id, sum(doc_id in title for title in in_title)) for doc_id in found
            if all(term.exact or term.text in texts[doc_id] for term in terms)]
    return sorted(hits, key=lambda h: (-h.title_terms, -h.doc_id))
