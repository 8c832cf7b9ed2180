"""Plan the search page and the search data files (their format is described in ``files``).

Every file is an ordinary plan of the build: the page a ``PagePlan`` of ``search.html``,
the data ``DataPlan``s whose context is the finished JSON text. A change re-plans only
what it touches: a story's own file, the index shards holding the tokens it gained or
lost, and the filters it entered or left; everything else is the same plan object as
before, so that an update compares it by identity and writes nothing.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from generator.content.model import KINDS, Site, Story, Unit
from generator.core.memo import Memo
from generator.core.parallel import ALONE, Processes, map_chunks
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc
from generator.render.plans import DataPlan, PagePlan, Plan
from generator.render.theme import Theme
from generator.render.urls import relative
from generator.search.files import FORMAT, digest, encode_posting, script, script_json
from generator.search.index import IndexHead, SearchIndex, ShardRow, Split
from generator.search.postings import Part, postings_part
from generator.search.shards import fnv1a, shard_bits
from generator.search.tokens import DocText, doc_tokens, text_mark

SEARCH_URL = "search/"
"""Where the search page lives; its data files are in subfolders i/ (index), d/ (stories), f/ (filters)."""


def data_file(context: tuple[int, str, str]) -> bytes:
    """Make one search data file from its context: (format, name, JSON)."""
    _, name, data = context
    return script(name, data)


STORY_FIELDS = ("t", "u", "c", "k", "n", "d", "a", "s", "x")
"""Keys of a story file: title, link, kind, kind label, unit, date, activities, summary, text."""


def story_file(context: tuple[int, str, tuple[Any, ...]]) -> bytes:
    """Make one story's search file from its context: (format, name, values of ``STORY_FIELDS``)."""
    _, name, values = context
    return script(name, script_json(dict(zip(STORY_FIELDS, values, strict=True))))


@dataclass
class SearchState:
    """What the search planner keeps between updates."""

    index: SearchIndex = field(default_factory=SearchIndex)
    shards: dict[int, tuple[str, DataPlan, str]] = field(default_factory=dict)
    """Shard number → (payload it was planned from, its plan, its fingerprint)."""
    filters: Memo[str, list[tuple[DataPlan, str]]] = field(default_factory=Memo)
    keys: tuple[str, ...] = ()
    """Source paths of the stories by id, as last planned."""
    version: str = ""
    """Fingerprint of every search file, as last planned."""
    fingerprints: list[str] = field(default_factory=list)
    """Of every data file, in plan order, as last planned."""
    page: PagePlan | None = None
    saved: SavedSearch | None = None
    """What the build cache keeps besides the shards, as last planned."""
    rows: dict[int, ShardRow] = field(default_factory=dict)
    """Shards as read back from the build cache (written again only when changed)."""


@dataclass(frozen=True)
class SavedSearch:
    """The search data as the build cache keeps it besides the shards: enough to patch one story's files."""

    head: IndexHead
    fingerprints: tuple[str, ...]
    """Of every data file in plan order: stories by id, shards by number, filters."""
    page: PagePlan
    """The search page, whose version is made from all the fingerprints."""


def _plan(name: str, data: str) -> tuple[DataPlan, str]:
    context = (FORMAT, name, data)
    return DataPlan(f"{SEARCH_URL}{name}.js", data_file, context), digest(name, data)


def _shard_name(shard: int, bits: int) -> str:
    return f"i/{shard:0{(bits + 3) // 4}x}"


def shard_plan(shard: int, bits: int, payload: str) -> tuple[DataPlan, str]:
    """An index shard's file as a plan, and its fingerprint."""
    return _plan(_shard_name(shard, bits), payload)


def shard_url(shard: int, bits: int) -> str:
    """Where an index shard's file goes."""
    return f"{SEARCH_URL}{_shard_name(shard, bits)}.js"


SHARD_GROUPS = 64
"""At most this many groups of shards: what a worker merges, encodes and writes at once (see ``storypass``)."""


def shard_groups(bits: int) -> int:
    """Into how many groups of consecutive shards an index of ``bits`` is split (each the same size)."""
    return min(1 << bits, SHARD_GROUPS)


SearchEntry = tuple[DocText, DataPlan, str]
"""A story's text for the index, its search file's plan and that file's fingerprint."""


def search_entry(doc_id: int, story: Story, rendered: RenderedDoc, site: Site, theme: Theme) -> SearchEntry:
    """A story's text for the index, its search file's plan and that file's fingerprint."""
    activities = site.activities_by_id
    # The values, not their JSON: the file is written from them in the worker processes, and
    # the text stays the one object the Markdown stage made (a copy per story would cost memory).
    values = (story.title, relative(SEARCH_URL, story.url), story.kind.key, theme.text(f"kind_{story.kind.key}"),
              site.unit(story.unit).name, theme.format_date(story.date),
              tuple(activities[a].name for a in story.activities), story.summary, rendered.text)
    name = f"d/{doc_id}"
    plan = DataPlan(f"{SEARCH_URL}{name}.js", story_file, (FORMAT, name, values))
    mark = digest(name, *(v if isinstance(v, str) else "\t".join(v) for v in values))
    return doc_text(story, rendered), plan, mark


def doc_text(story: Story, rendered: RenderedDoc) -> DocText:
    """What the index knows of a story."""
    return DocText(story.source_path, story.title, story.summary, rendered.text,
                   text_mark(story.title, story.summary, rendered.text))


def _subunits(units: Sequence[Unit]) -> dict[str, list[str]]:
    """Each unit with every unit below it."""
    children: dict[str, list[str]] = {}
    for unit in units:
        if unit.parent is not None:
            children.setdefault(unit.parent, []).append(unit.id)
    result = {}
    for unit in units:
        found, stack = [unit.id], [unit.id]
        while stack:
            below = children.get(stack.pop(), [])
            found += below
            stack += below
        result[unit.id] = found
    return result


def _unit_options(units: Sequence[Unit]) -> list[tuple[str, str]]:
    """Units for the filter: depth first in units.yaml order, indented by level."""
    children: dict[str | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent, []).append(unit)
    options: list[tuple[str, str]] = []

    def walk(parent: str | None, depth: int) -> None:
        """Add the units under ``parent``, each followed by the units under it."""
        for unit in children.get(parent, []):
            options.append((unit.id, "\u3000" * depth + unit.name))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return options


def _postings_run(shared: tuple[Sequence[DocText], bool], ids: Sequence[int]) -> list[Part]:
    """Build the postings of a run of consecutive stories (in a worker process when there are many)."""
    docs, wide = shared
    return [postings_part(docs[ids[0] : ids[0] + len(ids)], ids[0], wide)] if ids else []


def _encode_shards(index: SearchIndex, shards: Sequence[int]) -> list[str]:
    """Encode some shards of a finished index (in a worker process when there are many)."""
    return [index.payload(shard) for shard in shards]


Encode = Callable[[SearchIndex, list[int]], Iterable[str]]
"""Encodes some shards of a finished index, in order (in worker processes when there are many)."""


def _in_workers(processes: Processes) -> Encode:
    return lambda index, shards: map_chunks(_encode_shards, index, shards, processes)


def plan_search(site: Site, indexes: Indexes, theme: Theme, state: SearchState,
                entries: tuple[Sequence[DocText], Sequence[Plan], Sequence[str]],
                processes: Processes = ALONE) -> list[Plan]:
    """Plan the search page and every search data file, reusing the plans of what did not change.

    ``entries`` are the stories' search entries by id (oldest first) as columns (texts, files'
    plans, fingerprints), as their journeys made them (``search_entry``): an unchanged story's
    are the very objects of the last run. ``processes`` share the work when the index is
    built afresh.
    """
    keys = tuple(map(_PATH, site.stories[::-1]))  # ids count from the oldest story
    texts, plans, fingerprints = list(entries[0]), list(entries[1]), list(entries[2])
    if keys != state.keys:  # else the same object as before: the filters compare it by identity
        state.keys = keys

    def split(docs: Sequence[DocText], wide: bool) -> Iterable[Part]:
        """Build the postings of runs of stories in worker processes."""
        return map_chunks(_postings_run, (docs, wide), range(len(docs)), processes)

    return _finish(site, indexes, theme, state, texts, plans, fingerprints, split, _in_workers(processes))


def plan_search_written(site: Site, indexes: Indexes, theme: Theme, state: SearchState, marks: Sequence[bytes],
                        fingerprints: Sequence[str]) -> list[Plan]:
    """Plan the search page and filters when the stories' files and the index shards are written already.

    The story pass (``storypass``) wrote them; ``marks`` are its stories' text marks by id,
    ``fingerprints`` the fingerprints of their files, then of the shards. What the build
    cache keeps of the search data besides the shards is then in ``state.saved``.
    """
    keys = tuple(map(_PATH, site.stories[::-1]))
    bits = shard_bits(len(keys))
    state.keys = keys
    plans = _page_and_filters(site, indexes, theme, state, bits, [], list(fingerprints))
    assert state.page is not None
    head = IndexHead(keys, tuple(marks), bits, len(keys) > 0xFFFF)
    state.saved = SavedSearch(head, tuple(state.fingerprints), state.page)
    return plans


def _finish(site: Site, indexes: Indexes, theme: Theme, state: SearchState, texts: list[DocText],
            plans: list[Plan], fingerprints: list[str], split: Split, encode: Encode) -> list[Plan]:
    """Bring the index up to date, plan its shards, the filters and the page: after the stories' files."""
    index = state.index
    index.update(texts, split)
    stale = [shard for shard in range(1 << index.bits) if shard not in index.shards]
    if len(stale) > 1:
        index.shards.update(zip(stale, encode(index, stale), strict=True))
    shards = {}
    for shard in range(1 << index.bits):
        payload = index.payload(shard)
        known = state.shards.get(shard)
        if known is None or known[0] is not payload:
            known = (payload, *shard_plan(shard, index.bits, payload))
        shards[shard] = known
        plans.append(known[1])
        fingerprints.append(known[2])
    state.shards = shards
    return _page_and_filters(site, indexes, theme, state, index.bits, plans, fingerprints)


def _page_and_filters(site: Site, indexes: Indexes, theme: Theme, state: SearchState, bits: int,
                      plans: list[Plan], fingerprints: list[str]) -> list[Plan]:
    """Plan the filters after the other search files, then the search page: it names the version of them all."""
    keys, stories = state.keys, site.stories[::-1]
    # Filters change only when stories are numbered anew or one changes kind, unit or activities.
    facets = tuple(map(_FACETS, stories))
    for plan, mark in state.filters.get("all", (keys, facets, site.units, site.activities),
                                        _filters, site, indexes, keys):
        plans.append(plan)
        fingerprints.append(mark)

    state.version = digest(*fingerprints)
    state.saved = None
    page = PagePlan(SEARCH_URL, "search.html", {
        "shard_bits": bits,
        "version": state.version,
        "kinds": [(k.key, theme.text(f"kind_{k.key}")) for k in KINDS],
        "units": _unit_options(site.units),
        "activities": [(a.id, a.name) for a in site.activities],
    })
    state.fingerprints, state.page = fingerprints, page
    return [page, *plans]


def saved_search(state: SearchState) -> SavedSearch:
    """What the build cache keeps of the last planned search data besides the shards."""
    if state.saved is None:
        assert state.page is not None
        state.saved = SavedSearch(state.index.head(), tuple(state.fingerprints), state.page)
    return state.saved


def restore(state: SearchState, saved: SavedSearch, rows: dict[int, ShardRow]) -> None:
    """Start from the index the build cache kept, to patch it instead of building it afresh."""
    state.index = SearchIndex.from_rows(saved.head, rows)
    state.rows = rows


def patch_saved(saved: SavedSearch, load: Callable[[set[int]], dict[int, ShardRow]],
                edits: Sequence[tuple[Story, DocText]], rendered: Mapping[str, RenderedDoc], site: Site,
                theme: Theme) -> tuple[list[Plan], SavedSearch, dict[int, ShardRow]] | None:
    """Plan the search files of stories edited in place from the cache's rows, loading only the shards they touch.

    ``edits`` gives each story with its text as last indexed. Returns the plans made anew (the
    page, the stories' files, the changed shards), what the cache keeps next, and the changed
    shards; None when a shard it needs is missing from the cache.
    """
    ids = {key: doc_id for doc_id, key in enumerate(saved.head.keys)}
    fingerprints = list(saved.fingerprints)
    plans: list[Plan] = []
    pairs: list[tuple[int, DocText, DocText]] = []
    mask = (1 << saved.head.bits) - 1
    touched: set[int] = set()
    for story, before in edits:
        doc_id = ids[story.source_path]
        text, plan, mark = search_entry(doc_id, story, rendered[story.source_path], site, theme)
        plans.append(plan)
        fingerprints[doc_id] = mark
        pairs.append((doc_id, before, text))
        (old_every, old_title), (new_every, new_title) = doc_tokens(before), doc_tokens(text)
        touched |= {fnv1a(token) & mask for token in (old_every ^ new_every) | (old_title ^ new_title)}
    found = load(touched)
    if found.keys() != touched:
        return None
    index = SearchIndex.from_rows(saved.head, found, whole=False)
    dirty: set[int] = set()
    for doc_id, before, after in pairs:
        dirty |= index.replace(doc_id, before, after)
    rows = {}
    for shard in sorted(dirty):
        rows[shard] = index.shard_row(shard)
        plan, mark = shard_plan(shard, index.bits, rows[shard][1])
        plans.append(plan)
        fingerprints[len(ids) + shard] = mark
    page = PagePlan(saved.page.url, saved.page.template, {**saved.page.context,
                                                          "version": digest(*fingerprints)})
    marks = list(saved.head.marks)
    for doc_id, _, after in pairs:
        marks[doc_id] = after.mark
    head = dataclasses.replace(saved.head, marks=tuple(marks))
    return [page, *plans], SavedSearch(head, tuple(fingerprints), page), rows


_PATH = operator.attrgetter("source_path")
_FACETS = operator.attrgetter("kind", "unit", "activities")


def _filters(site: Site, indexes: Indexes, keys: tuple[str, ...]) -> list[tuple[DataPlan, str]]:
    """One file per kind, unit (with the units below it) and activity: the ids of its stories."""
    ids = {key: doc_id for doc_id, key in enumerate(keys)}
    subunits = _subunits(site.units)
    groups: list[tuple[str, Iterable[Story]]] = [(f"kind-{k.key}", indexes.by_kind[k.key]) for k in KINDS]
    groups += [(f"unit-{unit.id}", (s for u in subunits[unit.id] for s in indexes.by_unit[u])) for unit in site.units]
    groups += [(f"activity-{a.id}", indexes.by_activity[a.id]) for a in site.activities]
    return [_plan(f"f/{name}", script_json(encode_posting(sorted(ids[s.source_path] for s in group))))
            for name, group in groups]
