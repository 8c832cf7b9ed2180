"""Read the search data files of a built site back, and answer queries from them with the Python reference."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.search.files import decode_posting
from generator.search.query import parse_query, run_query
from generator.search.tokens import fold

_CALL = re.compile(r'^dangjianSearch\.add\("([^"]+)",(.*)\);\n$', re.DOTALL)


def read_file(path: Path) -> tuple[str, Any]:
    """Return the name and data a search file hands to the page."""
    match = _CALL.match(path.read_text(encoding="utf-8"))
    assert match, f"{path} is not a search data file"
    return match.group(1), json.loads(match.group(2))


@dataclass
class SearchData:
    """Everything under output/search/, decoded."""

    lookup: dict[str, tuple[list[int], list[int]]]
    docs: dict[int, dict[str, Any]]
    filters: dict[str, list[int]]
    bits: int

    def expected(self, query: str, filters: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        """The stories a query finds, in rank order, according to the Python reference."""
        allowed = None
        for name in filters:
            ids = set(self.filters[name])
            allowed = ids if allowed is None else allowed & ids
        texts = {i: fold(f"{d['t']}\n{d['s']}\n{d['x']}") for i, d in self.docs.items()}
        return [self.docs[hit.doc_id] for hit in run_query(parse_query(query), self.lookup, texts, allowed)]


def load_search(output: Path) -> SearchData:
    """Decode every search data file of a built site."""
    folder = output / "search"
    lookup: dict[str, tuple[list[int], list[int]]] = {}
    for path in sorted((folder / "i").glob("*.js")):
        name, data = read_file(path)
        assert name == f"i/{path.stem}"
        for token, every, title in zip(data[::3], data[1::3], data[2::3], strict=True):
            lookup[token] = (decode_posting(every), decode_posting(title))
    docs = {}
    for path in (folder / "d").glob("*.js"):
        name, data = read_file(path)
        assert name == f"d/{path.stem}"
        docs[int(path.stem)] = data
    filters = {}
    for path in (folder / "f").glob("*.js"):
        name, data = read_file(path)
        filters[path.stem] = decode_posting(data)
    bits = int(re.search(r'data-bits="(\d+)"', (folder / "index.html").read_text(encoding="utf-8")).group(1))  # type: ignore[union-attr]
    return SearchData(lookup, docs, filters, bits)
