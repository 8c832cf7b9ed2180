"""View-models: what templates see, kept apart from the domain model.

Every URL here is site-relative; templates turn it into a relative link with
``url()``, which is bound to the page being rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.content.model import Activity, ReviewState, Site, Story, Unit
from generator.render.indexes import Indexes, UnitNode
from generator.render.markdown import RenderedDoc
from generator.render.urls import SiteUrls, page_url

Text = Callable[..., str]


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled site-relative URL."""

    digest_by_repr = True  # a flat record: see generator.core.digest

    label: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class StoryView:
    """A story as lists and story pages show it."""

    digest_by_repr = True  # a flat record: see generator.core.digest

    title: str
    url: str
    date: dt.date
    kind: str
    kind_label: str
    kind_url: str
    unit: Link
    activities: tuple[Link, ...]
    summary: str
    cover: str | None
    author: str
    source: str
    fields: tuple[tuple[str, str], ...]
    """Kind-specific fields as (label, text)."""
    review: str = ""
    """In a preview, why the story is not published yet (未审核（待复审）, 改后待复核); empty otherwise."""

    @cached_property
    def archive(self) -> ArchiveEntry:
        """What the archive shows of this story."""
        return archive_entry(self)


@dataclass(frozen=True, slots=True)
class ArchiveEntry:
    """A story as the archive lists it: only what the archive shows, so that it changes only when that does."""

    digest_by_repr = True  # a flat record: see generator.core.digest

    title: str
    url: str
    date: dt.date
    kind_label: str
    unit: Link


@dataclass(frozen=True, slots=True)
class Neighbour:
    """The story before or after one on its story page: only what the page shows of it.

    A story page depends on its neighbours' titles and URLs alone, so that rendering it needs
    no other story's Markdown (see ``storypass``), and an edit to a neighbour's text leaves it be.
    """

    digest_by_repr = True  # a flat record: see generator.core.digest

    title: str
    url: str


def neighbour(view: StoryView) -> Neighbour:
    """Build what a story page shows of a neighbouring story."""
    return Neighbour(view.title, view.url)


def archive_entry(view: StoryView) -> ArchiveEntry:
    """Build the archive's view of a story."""
    return ArchiveEntry(view.title, view.url, view.date, view.kind_label, view.unit)


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    number: int
    total: int
    url: str
    items: Sequence[Any]
    prev_url: str | None
    next_url: str | None
    base: str = ""

    @property
    def pages(self) -> tuple[Link, ...]:
        """Links to nearby pages (worked out only when a template shows them)."""
        return page_window(self.base, self.number, self.total)


def kind_label(text: Text, kind_key: str) -> str:
    """Return the reader-facing name of a kind."""
    return text(f"kind_{kind_key}")


def kind_url(folder: str) -> str:
    """Return the URL of a kind's list."""
    return f"{folder}/"


def unit_url(unit: Unit) -> str:
    """Return the URL of a unit's page."""
    return f"units/{unit.id}/"


def activity_url(activity: Activity) -> str:
    """Return the URL of an activity's page."""
    return f"activities/{activity.id}/"


def _field_text(text: Text, name: str, value: Any) -> str:
    if name == "funds_yuan":
        return text("yuan", amount=_number(value))
    if name == "households":
        return text("households_count", count=value)
    return str(value)


def _number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


TermLinks = tuple[dict[str, Link], dict[str, Link]]
"""A link to each unit and to each activity, by id."""


def term_links(site: Site) -> TermLinks:
    """Links to the site's units and activities, made once for the views of many stories to share."""
    return ({unit.id: Link(unit.name, unit_url(unit)) for unit in site.units},
            {activity.id: Link(activity.name, activity_url(activity)) for activity in site.activities})


def story_view(story: Story, site: Site, rendered: RenderedDoc, urls: SiteUrls, text: Text,
               links: TermLinks | None = None) -> StoryView:
    """Build the view of one story (``links``: shared links to units and activities, from ``term_links``)."""
    units, activities = links or term_links(site)
    return StoryView(
        title=story.title,
        url=story.url,
        date=story.date,
        kind=story.kind.key,
        kind_label=kind_label(text, story.kind.key),
        kind_url=kind_url(story.kind.folder),
        unit=units[story.unit],
        activities=tuple(activities[a] for a in story.activities),
        summary=rendered.excerpt,
        cover=urls.asset_url(story.cover) if story.cover else None,
        author=story.author,
        source=story.source,
        fields=tuple((text(f"field_{name}"), _field_text(text, name, value)) for name, value in story.extra),
        review=review_banner(text, site.review_of(story.source_path)),
    )


def review_banner(text: Text, state: ReviewState | None) -> str:
    """What a preview says of a story not yet approved at every level; empty for an approved one."""
    if state is None:
        return ""
    return text("review_edited") if state.edited else text("review_pending", level=state.waiting)


def paginate(items: Sequence[Any], per_page: int, base: str) -> list[Pager]:
    """Split a list into pages at ``base``, ``base/page/2/``, …; an empty list gives one page."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [items[:0]]
    total = len(chunks)
    return [
        Pager(
            number=n,
            total=total,
            url=page_url(base, n),
            items=chunk,
            prev_url=page_url(base, n - 1) if n > 1 else None,
            next_url=page_url(base, n + 1) if n < total else None,
            base=base,
        )
        for n, chunk in enumerate(chunks, start=1)
    ]


def page_window(base: str, number: int, total: int, radius: int = 2) -> tuple[Link, ...]:
    """Links to the first and last pages and those near this one; a gap is a Link with no URL.

    Listing every page on every page would make a list of n pages cost n² links.
    """
    shown = sorted({1, total, *range(max(1, number - radius), min(total, number + radius) + 1)})
    links: list[Link] = []
    for previous, n in zip([0, *shown], shown, strict=False):
        if n - previous > 1:
            links.append(Link("…", ""))
        links.append(Link(str(n), page_url(base, n)))
    return tuple(links)


@dataclass(frozen=True, slots=True)
class UnitTreeView:
    """A unit in the hierarchy, as the units index shows it."""

    digest_by_repr = True  # a flat record: see generator.core.digest

    link: Link
    description: str
    total: int
    children: tuple[UnitTreeView, ...]


def unit_tree_view(node: UnitNode) -> UnitTreeView:
    """Build the view of a unit subtree."""
    return UnitTreeView(Link(node.unit.name, unit_url(node.unit), node.own), node.unit.description,
                        node.total, tuple(unit_tree_view(c) for c in node.children))


def activity_links(site: Site, indexes: Indexes) -> tuple[Link, ...]:
    """Return every activity with its story count."""
    return tuple(Link(a.name, activity_url(a), len(indexes.by_activity[a.id])) for a in site.activities)
