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


class Digester:
    """Fingerprints values, remembering those of immutable objects it has already seen."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[Any, bytes]] = {}

    def digest(self, value: Any) -> str:
        """Return a hex fingerprint of ``value``."""
        return self._bytes(value).hex()

    def _bytes(self, value: Any) -> bytes:
        if isinstance(value, str):
            return hashlib.blake2b(b"s" + value.encode("utf-8"), digest_size=16).digest()
        if value is None or isinstance(value, bool | int | float | dt.date):
            return hashlib.blake2b(f"{type(value).__name__}:{value!r}".encode(), digest_size=16).digest()
        known = self._seen.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        parts = hashlib.blake2b(digest_size=16)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            parts.update(b"d" + type(value).__qualname__.encode())
            for field in dataclasses.fields(value):
                parts.update(field.name.encode() + self._bytes(getattr(value, field.name)))
        elif isinstance(value, tuple | list):
            parts.update(b"l%d" % len(value))
            for item in value:
                parts.update(self._bytes(item))
        elif isinstance(value, dict):
            parts.update(b"m%d" % len(value))
            for key, item in value.items():
                parts.update(self._bytes(key) + self._bytes(item))
        else:
            raise TypeError(f"cannot fingerprint {type(value).__name__}: use tuples, lists, dicts or dataclasses")
        result = parts.digest()
        if dataclasses.is_dataclass(value) or isinstance(value, tuple):
            # Keep the object alive with its fingerprint so that its id cannot be reused meanwhile.
            self._seen[id(value)] = (value, result)
        return result
