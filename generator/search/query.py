"""Queries: the terms of a query, and the reference answer ``search.js`` must give (for the tests).

The browser answers queries itself; this is the same algorithm in Python, so that tests can
check what the page shows against it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.search.tokens import HAN, HAN_CHAR, fold

_TERM_PART = re.compile(f"[{HAN}]+|[0-9a-z]+")


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
            if HAN_CHAR.match(part):
                tokens += [part[i : i + 2] for i in range(len(part) - 1)]
            else:
                tokens.append(part)
        if len(parts) == 1 and len(parts[0]) == 1 and HAN_CHAR.match(parts[0]) and word == parts[0]:
            terms.append(Term(word, (word,), title_only=True))
        elif tokens:
            exact = len(parts) == 1 and word == parts[0] and len(tokens) == 1
            terms.append(Term(word, tuple(dict.fromkeys(tokens)), exact=exact))
    return terms


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
