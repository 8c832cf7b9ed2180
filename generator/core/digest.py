"""Stable fingerprints of plain data, the same in every process and every run.

Page contexts are dataclasses, tuples, lists, dicts, strings, numbers and dates.
``hash()`` is salted per process and pickle's bytes depend on object identity, so
neither can key a cache on disk; this walks the data instead. Shared objects (a
story's view appears on many pages) are fingerprinted once per ``Digester``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from typing import Any

_SIZE = 16


class Digester:
    """Fingerprints values, remembering those of immutable objects it has already seen."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Any, bytes]] = {}
        self._fields: dict[type, tuple[str, ...]] = {}

    def digest(self, value: Any) -> str:
        """Return a hex fingerprint of ``value``."""
        hasher = hashlib.blake2b(digest_size=_SIZE)
        self._feed(hasher, value)
        return hasher.hexdigest()

    def _feed(self, hasher: Any, value: Any) -> None:
        # Every item is written with a type mark and, for text, its length, so that no two
        # different values can produce the same stream.
        if isinstance(value, str):
            data = value.encode("utf-8")
            hasher.update(b"s%d:" % len(data))
            hasher.update(data)
        elif value is None or isinstance(value, bool | int | float | dt.date):
            hasher.update(f"{type(value).__name__}:{value!r};".encode())
        elif isinstance(value, list):
            hasher.update(b"l%d:" % len(value))
            for item in value:
                self._feed(hasher, item)
        elif isinstance(value, dict):
            hasher.update(b"m%d:" % len(value))
            for key, item in value.items():
                self._feed(hasher, key)
                self._feed(hasher, item)
        else:
            hasher.update(b"o")
            hasher.update(self._shared(value))

    def _shared(self, value: Any) -> bytes:
        """Fingerprint an immutable object (tuple or dataclass) once, however often it appears."""
        known = self._seen.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        hasher = hashlib.blake2b(digest_size=_SIZE)
        if isinstance(value, tuple):
            hasher.update(b"t%d:" % len(value))
            for item in value:
                self._feed(hasher, item)
        elif getattr(type(value), "digest_by_repr", False):
            # Small frozen records of text and numbers: their repr says everything, and is fast.
            hasher.update(repr(value).encode("utf-8"))
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            kind = type(value)
            names = self._fields.get(kind)
            if names is None:
                names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(value))
            hasher.update(b"d" + kind.__qualname__.encode() + b":")
            for name in names:
                self._feed(hasher, getattr(value, name))
        else:
            raise TypeError(f"cannot fingerprint {type(value).__name__}: use tuples, lists, dicts or dataclasses")
        result = hasher.digest()
        # Keep the object alive beside its fingerprint, so that its id cannot be reused meanwhile.
        self._seen[id(value)] = (value, result)
        return result
