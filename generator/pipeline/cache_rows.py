"""What a build keeps in the cache for the next one, as rows (``incremental.store``).

The graph (for ``from_graph``), the search index (patched by the next in-place build), the
pages and copies written and the file list (for ``uptodate`` and in-place builds).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeAlias

from generator.core.scan import Manifest
from generator.incremental import store, uptodate
from generator.incremental import stored_graph as graph
from generator.pipeline.fallback import place
from generator.pipeline.options import Prepared
from generator.pipeline.state import BuildState, environment
from generator.render.plan import StoryGroup
from generator.render.urls import output_path
from generator.search.files import FORMAT as SEARCH_FORMAT
from generator.search.plan import saved_search

Rows: TypeAlias = "dict[str, Iterable[store.Row]]"


def graph_rows(state: BuildState, prepared: Prepared, digests: dict[str, str], inputs: uptodate.Inputs,
               groups: Callable[[], Iterator[StoryGroup]] | None = None) -> Iterator[store.Row]:
    """The graph as cache rows, for a later build that finds only a few stories' texts changed (``from_graph``).

    With ``groups`` the story pages were left out of the plans: their groups are made again one at a time.
    """
    urls, scan = state.urls, state.content.scan
    assert urls is not None and scan is not None
    site = prepared.site
    _, templates = environment(state, prepared.theme)
    head = graph.GraphHead(scan, inputs.scanned_at, inputs.rest, inputs.scanned_at)
    yield "head", (inputs.rest, inputs.scanned_at), head
    yield "site", head.generation, graph.site_of(site, urls, templates)
    if prepared.index is not None:  # what the site-wide checks look at (stored as inputs, like the views)
        yield "checks", prepared.index, None
    yield from graph.graph_rows(site, state.plans, digests, place, groups)
    for url, view in graph.view_rows(state.plans).items():
        yield f"view:{url}", view, None


def search_rows(state: BuildState) -> Iterator[store.Row]:
    """The search index as cache rows: a shard read back and not changed since is the very row read."""
    search = state.search
    index, version = search.index, (SEARCH_FORMAT,)
    yield "head", version, saved_search(search)
    for shard in range(1 << index.bits):
        row = search.rows.get(shard) if shard not in index.dirty else None
        yield f"shard:{shard}", version, row if row is not None else index.shard_row(shard)


def output_rows(state: BuildState, checked: uptodate.Check, prepared: Prepared, digests: dict[str, str],
                written: Manifest, pages: int) -> Rows:
    """What this build wrote (``pages`` of its files are pages), as cache rows for the next one."""
    built = uptodate.LastBuild(len(prepared.site.stories), pages, prepared.warnings, prepared.until)
    last_row = uptodate.remember(checked.inputs, built, written)
    page_rows = ((url, (digest, *written[output_path(url)]), None) for url, digest in digests.items()
                 if output_path(url) in written)
    copies = [(path, signature, None) for path, signature in state.copies.items()]
    if not copies:  # a fresh output folder: note what was copied, to copy only changes next time
        stats = {c.path: c.source.stat() for c in prepared.copies}
        copies = [(path, (info.st_mtime_ns, info.st_size), None) for path, info in stats.items()]
    return {"pages": page_rows, "copies": copies, "build": [("last", *last_row)]}


def save(state: BuildState, site_dir: Path, checked: uptodate.Check, prepared: Prepared, digests: dict[str, str],
         written: Manifest) -> None:
    """Keep what this build made in the cache, for the next one."""
    tables: dict[str, Any] = {"docs": state.content.docs.entries, "markdown": state.markdown.entries}
    made: Rows = {"search": search_rows(state),
                  "graph": graph_rows(state, prepared, digests, checked.inputs) if checked.inputs.rest else ()}
    output = output_rows(state, checked, prepared, digests, written, prepared.pages)
    for name, rows in [*made.items(), *output.items()]:
        tables[name] = {key: (inputs, value) for key, inputs, value in rows}
    store.save(site_dir, tables, checked.snapshot, by_inputs=frozenset({"graph"}), output_files=len(written))
