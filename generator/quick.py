"""The stored graph: what lets a new process re-plan edits to a few stories without the others.

A cached build stores, besides the rendered Markdown and the page fingerprints, what
planning made of each story: where it stands (its place: kind, slug, date, unit,
activities, …), the groups of pages that show it (see ``plan``), and each such group's
plans. When a later build finds that only the texts of a few stories changed, it reads
and checks those stories alone, swaps their new views into the stored plans of the
groups that show them (``swap_views``), and compares and writes only those pages: what
``serve`` does in memory, done from the cache. Nothing here reads or writes files.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.files import Signature
from generator.model import Site, Story
from generator.plan import PagePlan, PlanCache
from generator.urls import SiteUrls
from generator.views import ArchiveEntry, StoryView

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
    """A page's plan as the cache keeps it; a story page's without its body (kept with the rendered Markdown)."""

    plan: PagePlan
    story: str | None
    """The source path of the story whose page it is."""


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


Row = tuple[str, StoredPage]
"""A page's row: its fingerprint, and its plan."""


def graph_rows(site: Site, cache: PlanCache, digests: Mapping[str, str],
               place: Callable[[Story], tuple[Any, ...]]) -> tuple[dict[str, StoryEntry], dict[str, Row]]:
    """Each published story's entry (by source path), and each page that shows a story with its fingerprint (by URL).

    ``place`` tells where a story stands (see ``build``).
    """
    showing = _showing(site, cache)
    stories = {story.source_path: StoryEntry(place(story), story.source_path.split("/", 1)[0],
                                             tuple(showing.get(story.source_path, ())))
               for story in site.stories}
    pages = {}
    for key in sorted({key for path in stories for key in cache.shown_in.get(path, ())}):
        story = key[len(STORY_GROUP):] if key.startswith(STORY_GROUP) else None
        for plan in cache.plans[key]:
            pages[plan.url] = stored_page(plan, story, digests)
    return stories, pages


def stored_page(plan: PagePlan, story: str | None, digests: Mapping[str, str]) -> Row:
    """A page as the cache keeps it: its fingerprint, and its plan (a story page's without its body)."""
    if story is not None:
        plan = PagePlan(plan.url, plan.template, {**plan.context, "body": None})
    return digests[plan.url], StoredPage(plan, story)


def restore_pages(rows: Mapping[str, Row], views: Mapping[str, StoryView],
                  bodies: Mapping[str, str]) -> list[tuple[PagePlan, StoredPage, str | None]]:
    """Make stored pages current: these stories' views swapped in, each story page's body put back.

    ``views`` are by URL; ``bodies`` by source path, for every story page among ``rows``. Each plan
    comes with what was stored, and its stored fingerprint when it is unchanged (the very stored plan).
    """
    pages: list[tuple[PagePlan, StoredPage, str | None]] = []
    for mark, stored in rows.values():
        plan = stored.plan
        context = swap_views(plan.context, views)
        if stored.story is not None:
            pages.append((PagePlan(plan.url, plan.template, {**context, "body": bodies[stored.story]}), stored, None))
        elif context is plan.context:
            pages.append((plan, stored, mark))
        else:
            pages.append((PagePlan(plan.url, plan.template, context), stored, None))
    return pages


def swap_views(value: Any, views: Mapping[str, StoryView]) -> Any:
    """Return ``value`` with every view (and archive entry) of these stories, found by URL, replaced by the new one.

    Walks dicts, lists, tuples and dataclasses (a pager's items); what holds none of them is
    returned as the very same object.
    """
    if isinstance(value, StoryView):
        return views.get(value.url, value)
    if isinstance(value, ArchiveEntry):
        new = views.get(value.url)
        return value if new is None else new.archive
    if isinstance(value, dict):
        items = {key: swap_views(item, views) for key, item in value.items()}
        return value if all(items[key] is item for key, item in value.items()) else items
    if isinstance(value, list | tuple):
        swapped = [swap_views(item, views) for item in value]
        if all(a is b for a, b in zip(swapped, value, strict=True)):
            return value
        return swapped if isinstance(value, list) else tuple(swapped)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            new_item = swap_views(item, views)
            if new_item is not item:
                changes[field.name] = new_item
        return dataclasses.replace(value, **changes) if changes else value
    return value


def edited_paths(head: GraphHead, scan: dict[str, Signature], racy_ns: int) -> list[str] | None:
    """Content files that may have changed since the graph was stored; None when files came or went.

    A file whose time was within ``racy_ns`` of the scan may have changed again unseen, so it is
    listed too (its text then tells).
    """
    if scan.keys() != head.scan.keys():
        return None
    since = head.scanned_at - racy_ns
    return [rel for rel, signature in scan.items() if head.scan[rel] != signature or signature[0] >= since]

