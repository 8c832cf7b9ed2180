"""The search files the browser loads: their layout, and how postings and shards are written in them.

The browser (``static/js/search.js``) loads only what a query needs, as plain
``<script>`` files, because ``fetch`` and XHR of local files are blocked on
``file://``. Every file calls ``dangjianSearch.add(name, data)``:

- ``search/i/<hex>.js``: one shard of the inverted index. A token goes to the shard
  named by the low bits of its FNV-1a hash (see ``shards``); the data is a flat list
  ``[token, all, title, …]`` of each token's postings in all fields and in the title alone.
- ``search/d/<id>.js``: one story's title, link, kind, unit, date, activities, summary
  and plain text, for the result list, its snippet and the check of longer terms.
- ``search/f/<facet>-<id>.js``: the stories of one kind, unit (with its sub-units) or
  activity, for the filters.

Postings are sorted ids, written as base64 bitmaps when dense and as gap varints
(5 bits a character) otherwise. Nothing here reads or writes the disk.
"""

from __future__ import annotations

import base64
import json
import zlib
from array import array
from collections import deque
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import sub
from typing import Any

FORMAT = 1
"""Version of the files' layout; part of every search file's fingerprint."""

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
BITMAP = "~"
"""First character of a posting written as a bitmap."""
_FAST_GAPS = 1 << 10
"""Gaps below this are looked up in a table (two characters at most), the rest encoded one by one."""


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


ShardPostings = tuple[str, list[tuple[str, bytes, bytes]]]
"""A shard's tokens, sorted, each with the bytes of its two postings, and their array type."""


def encode_shard(postings: ShardPostings) -> str:
    """Encode a shard from its postings (``merge_shard``): the same text as ``SearchIndex.payload``."""
    typecode, rows = postings
    return encode_rows((token, array(typecode, every), array(typecode, title)) for token, every, title in rows)


def encode_rows(rows: Iterable[tuple[str, array[int], array[int]]]) -> str:
    """Encode a shard from its tokens, sorted, each with its postings (all fields, title) as arrays."""
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
