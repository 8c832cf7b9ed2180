"""The tokens of a story's text: what the index stores and a query looks up.

Tokens: every pair of adjacent Han characters (bigram) of the title, summary and body;
single Han characters of the title only; runs of Latin letters and digits, lowercased.
A query term of two Han characters is then one token; a longer one is the AND of its
bigrams, checked as a real substring on the candidate's text (see ``query``).
Nothing here touches files.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""Han characters indexed (BMP only, so that Python and JavaScript count characters alike)."""
_HAN_RUN = re.compile(f"[{HAN}]{{2,}}")
HAN_CHAR = re.compile(f"[{HAN}]")
"""One indexed Han character (a title token, or a query term looked up among them)."""
_WORD = re.compile("[0-9a-z]+")
_LITTLE = sys.byteorder == "little"

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


def fold(text: str) -> str:
    """Fold text for matching without changing its length: full-width letters and digits to ASCII, lowercase."""
    # Translating only the runs that need it is several times faster than the whole text.
    return _TO_FOLD.sub(_fold_run, text)


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD_TABLE)


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
    in_title.update(HAN_CHAR.findall(title))
    in_title.update(_WORD.findall(title))
    return every, in_title
