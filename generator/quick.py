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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.files import Signature
from generator.model import Site
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
    """Where a story stands, and which groups of pages show it."""

    place: tuple[Any, ...]
    folder: str
    groups: tuple[str, ...]


def site_of(site: Site, urls: SiteUrls, templates: dict[str, str]) -> GraphSite:
    """Keep what a build knows of the site besides its stories."""
    return GraphSite(dataclasses.replace(site, stories=()), urls, templates)


def story_rows(site: Site, cache: PlanCache, place: Any) -> dict[str, StoryEntry]:
    """Each published story's entry, keyed by its source path; ``place`` tells where a story stands."""
    return {story.source_path: StoryEntry(place(story), story.source_path.split("/", 1)[0],
                                          tuple(cache.shown_in.get(story.source_path, ())))
            for story in site.stories}


def group_rows(site: Site, cache: PlanCache, digests: Mapping[str, str]) -> dict[str, tuple[tuple[str, ...],
                                                                                          list[PagePlan]]]:
    """The plans of every group that shows a story, each with its pages' fingerprints.

    A story page's body is left out: the cache keeps it with the rendered Markdown already.
    """
    keys = sorted({key for story in site.stories for key in cache.shown_in.get(story.source_path, ())})
    return {key: stored_group(key, cache.plans[key], digests) for key in keys}


def stored_group(key: str, plans: list[PagePlan], digests: Mapping[str, str]) -> tuple[tuple[str, ...],
                                                                                     list[PagePlan]]:
    """A group as the cache keeps it: its pages' fingerprints, and its plans (a story page's without its body)."""
    marks = tuple(digests[plan.url] for plan in plans)
    if not key.startswith(STORY_GROUP):
        return marks, plans
    return marks, [PagePlan(plan.url, plan.template, {**plan.context, "body": None}) for plan in plans]


def restore_groups(rows: Mapping[str, tuple[tuple[str, ...], list[PagePlan]]], views: Mapping[str, StoryView],
                   bodies: Mapping[str, str]) -> dict[str, list[tuple[PagePlan, str | None]]]:
    """Make stored groups current: these stories' views swapped in, each story page's body put back.

    ``views`` are by URL; ``bodies`` by source path, for every story group among ``rows``. Each
    plan comes with its stored fingerprint when it is unchanged (the very stored plan), else None.
    """
    groups = {}
    for key, (marks, plans) in rows.items():
        body = bodies[key[len(STORY_GROUP):]] if key.startswith(STORY_GROUP) else None
        current: list[tuple[PagePlan, str | None]] = []
        for plan, mark in zip(plans, marks, strict=True):
            context = swap_views(plan.context, views)
            if body is not None:
                current.append((PagePlan(plan.url, plan.template, {**context, "body": body}), None))
            elif context is plan.context:
                current.append((plan, mark))
            else:
                current.append((PagePlan(plan.url, plan.template, context), None))
        groups[key] = current
    return groups


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


def neighbours(entries: Iterable[StoryEntry], edited: Iterable[str]) -> set[str]:
    """Source paths of the stories whose page groups show an edited story (including the edited ones)."""
    paths = {key[len(STORY_GROUP):] for entry in entries for key in entry.groups if key.startswith(STORY_GROUP)}
    return paths | set(edited)

