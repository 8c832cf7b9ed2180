"""Closest-match suggestions for misspelt keys, units and activities."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.5) -> str | None:
    """Return the candidate most like ``word``, or None when none is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.5) -> str:
    """Return a hint like ``是不是要写 "x"？``, or an empty string."""
    match = closest(word, candidates, cutoff)
    return f"是不是要写“{match}”？" if match else ""
