"""The stored graph: what lets a new process re-plan edits to a few stories without the others.

A cached build stores, besides the rendered Markdown and the page fingerprints, what
planning made of each story: where it stands (its place: kind, slug, date, unit,
activities, …), its view, the pages that show it (see ``plan``), and each such page's
plan, which refers to views by URL. When a later build finds that only the texts of a
few stories changed, it reads and checks those stories alone, reads the stored plans of
the pages that show them back with their new views (``restore_pages``), and compares and
writes only those pages: what ``serve`` does in memory, done from the cache. Nothing
here reads or writes files.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.content.model import Site, Story
from generator.core.scan import Signature
from generator.render.plan import PlanCache, StoryGroup
from generator.render.plans import PagePlan
from generator.render.urls import SiteUrls
from generator.render.views import ArchiveEntry, Neighbour, StoryView, neighbour

STORY_GROUP = "story:"
"""Key prefix of a story page's group (see ``plan``)."""


@dataclass(frozen=True)
class GraphHead:
    """What the stored graph was made from: rewritten by every build."""

    scan: dict[str, Signature]
    """Every content file as the build found it."""
    scanned_at: int
    """When the content folder was scanned (ns): files changed shortly before may change unseen."""
    rest: str
    """Fingerprint of everything else the build read (see ``uptodate.Inputs.rest``)."""
    generation: int
    """Which full build stored the graph (the rows of another one do not belong with this head)."""


@dataclass(frozen=True)
class GraphSite:
    """The site without its stories, as the full build that stored the graph saw it."""

    site: Site
    """Config, units, activities, pages, files."""
    urls: SiteUrls
    templates: dict[str, str]
    """Each template's fingerprint (see ``theme.template_digests``)."""


@dataclass(frozen=True)
class StoryEntry:
    """Where a story stands, and which pages show it."""

    place: tuple[Any, ...]
    folder: str
    pages: tuple[str, ...]
    """URLs of the pages that show the story: its own, its neighbours', the list pages it is on, …"""


@dataclass(frozen=True)
class StoredPage:
    """A page's plan as the cache keeps it: pickled with stories' views as references (each view is a row of
    its own, kept once however many pages show it), a story page without its body (kept with its Markdown)."""

    data: bytes
    views: tuple[str, ...]
    """URLs of the stories whose views (or archive entries) the plan refers to."""
    story: str | None
    """The source path of the story whose page it is."""


_REFERENCED: dict[type, str] = {StoryView: "view", ArchiveEntry: "archive", Neighbour: "near"}
"""What a stored plan refers to by URL: all that is made from a story's view."""


class _ViewPickler(pickle.Pickler):
    """Pickles a plan with every story view and archive entry replaced by a reference to its URL."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=5)
        self.views: set[str] = set()

    def persistent_id(self, obj: Any) -> tuple[str, str] | None:
        """Refer to views by URL; pickle everything else as usual."""
        kind = _REFERENCED.get(type(obj))
        if kind is not None:
            self.views.add(obj.url)
            return (kind, obj.url)
        return None


class _ViewUnpickler(pickle.Unpickler):
    """Reads a plan back, resolving view references with the given (current) views."""

    def __init__(self, data: bytes, views: Mapping[str, StoryView]) -> None:
        super().__init__(io.BytesIO(data))
        self.views = views

    def persistent_load(self, pid: tuple[str, str]) -> StoryView | ArchiveEntry | Neighbour:
        """Return the current view (archive entry, neighbour) of the story at this URL."""
        kind, url = pid
        view = self.views[url]
        return view if kind == "view" else view.archive if kind == "archive" else neighbour(view)


def site_of(site: Site, urls: SiteUrls, templates: dict[str, str]) -> GraphSite:
    """Keep what a build knows of the site besides its stories."""
    return GraphSite(dataclasses.replace(site, stories=()), urls, templates)


def _showing(site: Site, cache: PlanCache) -> dict[str, list[str]]:
    """Source path of each story → URLs of the pages that show it.

    A group of one page shows all its members; a paginated list shows each story on one of its
    pages (found from the pager's items, once per list).
    """
    members: dict[str, list[str]] = {}
    for path, keys in cache.shown_in.items():
        for key in keys:
            members.setdefault(key, []).append(path)
    path_of = {story.url: story.source_path for story in site.stories}
    showing: dict[str, list[str]] = {}
    for key, paths in members.items():
        plans = cache.plans[key]
        if len(plans) > 1 and all("pager" in plan.context for plan in plans):
            for plan in plans:
                for view in plan.context["pager"].items:
                    showing.setdefault(path_of[view.url], []).append(plan.url)
        else:
            urls = [plan.url for plan in plans]
            for path in paths:
                showing.setdefault(path, []).extend(urls)
    return showing


PageRow = tuple[str, StoredPage]
"""A page's row: its fingerprint, and its plan."""


def graph_rows(site: Site, cache: PlanCache, digests: Mapping[str, str], place: Callable[[Story], tuple[Any, ...]],
               story_groups: Callable[[], Iterable[StoryGroup]] | None = None) -> Iterator[tuple[str, Any, Any]]:
    """Cache rows ``(key, inputs, value)``: each published story's entry, each page that shows a story.

    ``place`` tells where a story stands (see ``build``). The views the pages refer to are in
    ``PlanCache.current`` (see ``view_rows``). Rows are made one at a time, as they are written.
    ``story_groups``, when the story pages were left out of the plans, makes their groups afresh
    (``plan.story_groups``; called twice: once for whom they show, once for their plans).
    """
    showing = _showing(site, cache)
    if story_groups is not None:
        url_of = {story.source_path: story.url for story in site.stories}
        for key, members, _ in story_groups():
            for path in members:
                showing.setdefault(path, []).append(url_of[key[len(STORY_GROUP):]])
    for story in site.stories:
        path = story.source_path
        yield f"story:{path}", StoryEntry(place(story), path.split("/", 1)[0], tuple(showing.get(path, ()))), None
    for key in sorted({key for story in site.stories for key in cache.shown_in.get(story.source_path, ())}):
        story_path = key[len(STORY_GROUP):] if key.startswith(STORY_GROUP) else None
        for plan in cache.plans[key]:
            yield f"plan:{plan.url}", *stored_page(plan, story_path, digests)
    for key, _, make in story_groups() if story_groups is not None else ():
        for plan in make():
            yield f"plan:{plan.url}", *stored_page(plan, key[len(STORY_GROUP):], digests)


def view_rows(cache: PlanCache) -> dict[str, StoryView]:
    """Every story's view by URL, as the stored pages refer to them."""
    return {view.url: view for view in cache.current.values()}


def stored_page(plan: PagePlan, story: str | None, digests: Mapping[str, str]) -> PageRow:
    """A page as the cache keeps it: its fingerprint, and its plan (a story page's without its body)."""
    if story is not None:
        plan = PagePlan(plan.url, plan.template, {**plan.context, "body": None})
    buffer = io.BytesIO()
    pickler = _ViewPickler(buffer)
    pickler.dump(plan)
    return digests[plan.url], StoredPage(buffer.getvalue(), tuple(sorted(pickler.views)), story)


def restore_pages(rows: Mapping[str, PageRow], views: Mapping[str, StoryView], edited: set[str],
                  bodies: Mapping[str, str]) -> list[tuple[PagePlan, StoredPage, str | None]]:
    """Read stored pages back with the current views (the edited stories' new ones), each story page with its body.

    ``views`` are by URL, for every view the pages refer to; ``edited`` the URLs of edited stories;
    ``bodies`` by source path, for every story page among ``rows``. Each plan comes with what was
    stored, and its stored fingerprint when it cannot have changed (it refers to no edited story).
    """
    pages: list[tuple[PagePlan, StoredPage, str | None]] = []
    for mark, stored in rows.values():
        plan: PagePlan = _ViewUnpickler(stored.data, views).load()
        if stored.story is not None:
            plan = PagePlan(plan.url, plan.template, {**plan.context, "body": bodies[stored.story]})
        pages.append((plan, stored, None if stored.story is not None or edited.intersection(stored.views) else mark))
    return pages


def edited_paths(head: GraphHead, scan: dict[str, Signature], racy_ns: int) -> list[str] | None:
    """Content files that may have changed since the graph was stored; None when files came or went.

    A file whose time was within ``racy_ns`` of the scan may have changed again unseen, so it is
    listed too (its text then tells).
    """
    if scan.keys() != head.scan.keys():
        return None
    since = head.scanned_at - racy_ns
    return [rel for rel, signature in scan.items() if head.scan[rel] != signature or signature[0] >= since]

