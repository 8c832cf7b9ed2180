"""Plan the site: which pages exist and what each one shows (view-models).

Pages are planned in groups: a story page, a kind list with all its pages, a unit, an
activity, a year, the home page, the feed, … Each group names the stories it shows (its
members). A full plan visits every group; ``replan`` visits only the groups that show
an edited story (found through the members of the last full plan), which is how an edit
to one story of thousands is planned without looking at the others.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

from generator.content.model import KINDS, Page, Site, Story
from generator.core.memo import Memo
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc
from generator.render.theme import Theme
from generator.render.urls import SiteUrls
from generator.render.views import (
    Link,
    Neighbour,
    StoryView,
    activity_links,
    activity_url,
    kind_label,
    kind_url,
    neighbour,
    paginate,
    story_view,
    term_links,
    unit_tree_view,
    unit_url,
)

HOME_LATEST = 6
FEED_ENTRIES = 50


@dataclass(frozen=True)
class PagePlan:
    """One output file: its site-relative URL, its template and what the template shows."""

    url: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DataPlan:
    """One output file computed from its context by a function, not a template: search data, later charts.

    Like a page, it is made again only when its context changes; unlike a page, it does not
    depend on the theme or on what every page shows (``fingerprint``).
    """

    url: str
    make: Callable[[Any], bytes]
    """A module-level function of the context (worker processes get it by fork)."""
    context: Any
    """Everything the file is made from, fingerprinted like a page's context."""

    @functools.cached_property
    def inputs(self) -> tuple[str, Any]:
        """What decides the file's bytes (see ``plan_inputs``), made once per plan."""
        # An unchanged plan is the same object from one update to the next: its inputs then
        # compare by identity, which matters with thousands of data files.
        return (f"{self.make.__module__}.{self.make.__qualname__}", self.context)


Plan = PagePlan | DataPlan


def plan_inputs(plan: Plan, templates: Mapping[str, str], common: Any) -> tuple[Any, ...]:
    """What decides a planned file's bytes: compared between updates and fingerprinted for the cache."""
    if isinstance(plan, DataPlan):
        return plan.inputs
    return (templates.get(plan.template), common, plan.context)


def page_count(plans: Sequence[Plan]) -> int:
    """Count the plans that are pages (data files are not)."""
    return sum(isinstance(plan, PagePlan) for plan in plans)


Spec = tuple[Any, ...]
"""How to plan a group again: its kind of group, then where its data is (a kind key, a position, an id)."""
Made = tuple[Any, tuple[str, ...] | None, Callable[[], list[PagePlan]]]
"""A group's inputs, its members (None: planned on every run) and how to make its plans."""


@dataclass(frozen=True)
class Planning:
    """What the groups are planned from."""

    site: Site
    indexes: Indexes
    rendered: dict[str, RenderedDoc]
    theme: Theme
    views: dict[str, StoryView]

    def listed(self, stories: Sequence[Story]) -> tuple[StoryView, ...]:
        """The views of these stories, in their order."""
        return tuple(map(self.views.__getitem__, map(_SOURCE, stories)))


@dataclass
class PlanCache:
    """The planning stage's tables, kept between runs: views, each group's plans, who shows whom."""

    views: Memo[str, StoryView] = field(default_factory=Memo)
    groups: Memo[str, list[PagePlan]] = field(default_factory=Memo)
    specs: dict[str, Spec] = field(default_factory=dict)
    """Group key → its spec, in page order, as of the last full plan."""
    plans: dict[str, list[PagePlan]] = field(default_factory=dict)
    """Group key → its plans from the last run."""
    shown_in: dict[str, list[str]] = field(default_factory=dict)
    """Source path → the keys of the groups that show that document."""
    always: list[str] = field(default_factory=list)
    """Keys of the groups that show no document in particular (indexes, counts): planned on every run."""
    current: dict[str, StoryView] = field(default_factory=dict)
    """Source path → the story's view as of the last run."""


@dataclass(frozen=True)
class Planned:
    """Every page of the site, and which of them were planned anew in this run."""

    pages: list[PagePlan]
    fresh: list[PagePlan] | None
    """Plans that are not the very objects of the last run; None when that was not tracked."""


_SOURCE = attrgetter("source_path")


def story_views(site: Site, rendered: dict[str, RenderedDoc], urls: SiteUrls, theme: Theme,
                memo: Memo[str, StoryView], stories: Iterable[Story] | None = None) -> dict[str, StoryView]:
    """Return the view of each story (of ``stories`` only, when given), reusing those whose inputs are unchanged."""
    views = {}
    links = term_links(site)
    for story in site.stories if stories is None else stories:
        doc = rendered[story.source_path]
        # The unit and activity tuples and the strings are the same objects while unchanged.
        views[story.source_path] = memo.get(
            story.source_path, (story, doc, site.units, site.activities, theme.strings),
            story_view, story, site, doc, urls, theme.text, links)
    if stories is None:
        memo.retain(views)
    return views


def _pager_plans(views: Sequence[StoryView], per_page: int, base: str, template: str,
                 context: dict[str, Any]) -> list[PagePlan]:
    return [PagePlan(pager.url, template, {**context, "pager": pager}) for pager in paginate(views, per_page, base)]


def _home(p: Planning) -> Made:
    text, indexes = p.theme.text, p.indexes
    latest = [(Link(kind_label(text, k.key), kind_url(k.folder), len(indexes.by_kind[k.key])),
               list(p.listed(indexes.by_kind[k.key][:HOME_LATEST]))) for k in KINDS]
    context = {"latest": latest, "tree": tuple(unit_tree_view(node) for node in indexes.unit_tree),
               "activities": activity_links(p.site, indexes), "story_count": len(p.site.stories)}
    members = tuple(s.source_path for k in KINDS for s in indexes.by_kind[k.key][:HOME_LATEST])
    return context, members, lambda: [PagePlan("", "index.html", context)]


def _kind(p: Planning, key: str) -> Made:
    kind = next(k for k in KINDS if k.key == key)
    stories = p.indexes.by_kind[key]
    shown, title, per_page = p.listed(stories), kind_label(p.theme.text, key), p.site.config.per_page
    return ((shown, title, per_page), tuple(map(_SOURCE, stories)),
            lambda: _pager_plans(shown, per_page, kind_url(kind.folder), "kind.html", {"title": title, "kind": key}))


def story_page(view: StoryView, body: str, older: Neighbour | None, newer: Neighbour | None) -> PagePlan:
    """Plan one story's page (here for the whole site, in ``storypass`` for a run of stories)."""
    return PagePlan(view.url, "story.html", {"story": view, "body": body, "older": older, "newer": newer})


def near(stories: Sequence[Story], index: int) -> tuple[Story | None, Story | None]:
    """The older and newer neighbours of the story at ``index`` of a list (newest first)."""
    return (stories[index + 1] if index + 1 < len(stories) else None, stories[index - 1] if index > 0 else None)


def _story(p: Planning, key: str, index: int) -> Made:
    stories = p.indexes.by_kind[key]
    story, view = stories[index], p.views[stories[index].source_path]
    older, newer = (None if s is None else neighbour(p.views[s.source_path]) for s in near(stories, index))
    body = p.rendered[story.source_path].html
    members = tuple(map(_SOURCE, stories[max(0, index - 1) : index + 2]))
    return (view, body, older, newer), members, lambda: [story_page(view, body, older, newer)]


StoryGroup = tuple[str, tuple[str, ...], Callable[[], list[PagePlan]]]
"""A story page's group: its key, the stories it shows (the story and its neighbours), how to make its plan."""


def story_groups(site: Site, indexes: Indexes, rendered: dict[str, RenderedDoc], theme: Theme,
                 views: dict[str, StoryView]) -> Iterator[StoryGroup]:
    """Each story page's group as ``plan_pages`` plans it, one at a time (``views``: every story's, by source path).

    For a build whose story pages were left out of the plans that still stores the graph: each
    plan is made when asked for and can be let go once stored, instead of all being held at once.
    """
    planning = Planning(site, indexes, rendered, theme, views)
    for key, spec in _specs(site, indexes):
        if spec[0] == "story":
            _, members, make = _story(planning, *spec[1:])
            yield key, members or (), make


def _units(p: Planning) -> Made:
    context = {"tree": tuple(unit_tree_view(node) for node in p.indexes.unit_tree)}
    return context, None, lambda: [PagePlan("units/", "units.html", context)]


def _unit(p: Planning, unit_id: str) -> Made:
    site, indexes = p.site, p.indexes
    unit, node, stories = site.unit(unit_id), indexes.unit_node(unit_id), indexes.by_unit[unit_id]
    shown, per_page = p.listed(stories), site.config.per_page

    def make() -> list[PagePlan]:
        trail = [Link(u.name, unit_url(u)) for u in indexes.unit_path(unit.id, site.units)]
        return _pager_plans(shown, per_page, unit_url(unit), "unit.html", {
            "unit": unit, "trail": trail, "children": [unit_tree_view(c) for c in node.children],
            "total": node.total})

    return (unit, node, site.units, shown, per_page), tuple(map(_SOURCE, stories)), make


def _activities(p: Planning) -> Made:
    context = {"activities": activity_links(p.site, p.indexes)}
    return context, None, lambda: [PagePlan("activities/", "activities.html", context)]


def _activity(p: Planning, activity_id: str) -> Made:
    activity, stories = p.site.activities_by_id[activity_id], p.indexes.by_activity[activity_id]
    shown, per_page = p.listed(stories), p.site.config.per_page
    return ((activity, shown, per_page), tuple(map(_SOURCE, stories)),
            lambda: _pager_plans(shown, per_page, activity_url(activity), "activity.html", {"activity": activity}))


def _years(p: Planning) -> list[Link]:
    return [Link(p.theme.text("year", year=year), f"archive/{year}/", len(stories))
            for year, stories in p.indexes.by_year]


def _archive(p: Planning) -> Made:
    context = {"years": _years(p)}
    return context, None, lambda: [PagePlan("archive/", "archive.html", context)]


def _year(p: Planning, index: int) -> Made:
    year, stories = p.indexes.by_year[index]
    shown, years = p.listed(stories), _years(p)

    def make() -> list[PagePlan]:
        context = {"year": year, "years": years, "entries": [v.archive for v in shown]}
        return [PagePlan(f"archive/{year}/", "archive_year.html", context)]

    return (shown, years), tuple(map(_SOURCE, stories)), make


def _page(p: Planning, index: int) -> Made:
    page = p.site.pages[index]
    context = {"page": page, "body": p.rendered[page.source_path].html}
    return (page, context["body"]), (page.source_path,), lambda: [PagePlan(page.url, "page.html", context)]


def _feed(p: Planning) -> Made:
    stories = p.site.stories[:FEED_ENTRIES]
    feed = list(p.listed(stories))
    context = {"entries": feed, "updated": feed[0].date if feed else None}
    return context, tuple(map(_SOURCE, stories)), lambda: [PagePlan("feed.xml", "feed.xml", context)]


def _not_found(p: Planning) -> Made:
    context = {"base_path": urlsplit(p.site.config.base_url).path}
    return context, None, lambda: [PagePlan("404.html", "404.html", context)]


GROUPS: dict[str, Callable[..., Made]] = {
    "home": _home, "kind": _kind, "story": _story, "units": _units, "unit": _unit, "activities": _activities,
    "activity": _activity, "archive": _archive, "year": _year, "page": _page, "feed": _feed, "404": _not_found,
}
"""Each kind of group and how to plan it; a spec's first item names one of these."""


def _specs(site: Site, indexes: Indexes) -> Iterable[tuple[str, Spec]]:
    """Every group of the site, in page order (the sitemap is added last, from all the others)."""
    yield "home", ("home",)
    for kind in KINDS:
        yield f"kind:{kind.key}", ("kind", kind.key)
        for index, story in enumerate(indexes.by_kind[kind.key]):
            yield f"story:{story.source_path}", ("story", kind.key, index)
    yield "units", ("units",)
    for unit in site.units:
        yield f"unit:{unit.id}", ("unit", unit.id)
    yield "activities", ("activities",)
    for activity in site.activities:
        yield f"activity:{activity.id}", ("activity", activity.id)
    yield "archive", ("archive",)
    for index, (year, _) in enumerate(indexes.by_year):
        yield f"year:{year}", ("year", index)
    for index, page in enumerate(site.pages):
        yield f"page:{page.source_path}", ("page", index)
    yield "feed", ("feed",)
    yield "404", ("404",)


SITEMAP_URLS = 50_000
"""At most this many URLs in one sitemap file (the limit of the sitemaps.org protocol)."""
SITEMAP_PART = 10_000
"""URLs in each file of a sitemap too large for one: small files for crawlers, and for the build's workers."""


def _sitemap(planning: Planning, pages: Iterable[tuple[str, str]]) -> list[PagePlan]:
    """Plan the sitemap of these pages, each given by its URL and template."""
    dates = {v.url: v.date for v in planning.views.values()}
    urls = [(url, dates.get(url)) for url, template in pages if template not in ("feed.xml", "404.html")]
    if len(urls) <= SITEMAP_URLS:
        return [PagePlan("sitemap.xml", "sitemap.xml", {"urls": urls})]
    # sitemap.xml then becomes a sitemap index, listing the files that list the pages.
    parts = [urls[start : start + SITEMAP_PART] for start in range(0, len(urls), SITEMAP_PART)]
    files = [f"sitemap-{number}.xml" for number in range(1, len(parts) + 1)]
    return [PagePlan("sitemap.xml", "sitemap_index.xml", {"sitemaps": files}),
            *(PagePlan(file, "sitemap.xml", {"urls": part}) for file, part in zip(files, parts, strict=True))]


def _assemble(planning: Planning, cache: PlanCache, fresh: list[PagePlan] | None, stories: bool = True) -> Planned:
    pages = list(chain.from_iterable(map(cache.plans.__getitem__, cache.specs)))
    # The sitemap lists every page, so it is planned from all the others, and goes before the 404 page.
    listed = ((p.url, p.template) for p in pages) if stories else _in_page_order(planning, cache)
    sitemap = _sitemap(planning, listed)
    pages[len(pages) - 1 : len(pages) - 1] = sitemap
    if fresh is not None:
        fresh += sitemap
    cache.current = planning.views
    return Planned(pages, fresh)


def _in_page_order(planning: Planning, cache: PlanCache) -> Iterator[tuple[str, str]]:
    """Every page's URL and template in page order, with the story pages that were not planned."""
    for key, spec in _specs(planning.site, planning.indexes):
        if spec[0] == "story":
            yield planning.indexes.by_kind[spec[1]][spec[2]].url, "story.html"
        else:
            yield from ((plan.url, plan.template) for plan in cache.plans[key])


def plan_pages(site: Site, indexes: Indexes, rendered: dict[str, RenderedDoc], urls: SiteUrls,
               theme: Theme, cache: PlanCache | None = None, stories: bool = True) -> Planned:
    """List every page of the site with the data its template needs.

    Without ``stories`` story pages are left out (the sitemap still lists them): for a build
    whose story pass wrote them already, and which makes their groups again only to store
    them (``story_groups``).
    """
    cache = cache if cache is not None else PlanCache()
    planning = Planning(site, indexes, rendered, theme, story_views(site, rendered, urls, theme, cache.views))
    specs: dict[str, Spec] = {}
    plans: dict[str, list[PagePlan]] = {}
    shown_in: dict[str, list[str]] = {}
    always: list[str] = []
    for key, spec in _specs(site, indexes):
        if not stories and spec[0] == "story":
            # A story's view, neighbours and group are most of what planning holds at 50,000 stories.
            continue
        inputs, members, make = GROUPS[spec[0]](planning, *spec[1:])
        specs[key], plans[key] = spec, cache.groups.get(key, inputs, make)
        if members is None:
            always.append(key)
        for path in members or ():
            shown_in.setdefault(path, []).append(key)
    cache.groups.retain(specs)
    cache.specs, cache.plans, cache.shown_in, cache.always = specs, plans, shown_in, always
    return _assemble(planning, cache, None, stories)


def replan(site: Site, indexes: Indexes, rendered: dict[str, RenderedDoc], urls: SiteUrls, theme: Theme,
           cache: PlanCache, changed: Sequence[Story | Page]) -> Planned:
    """Plan again after edits to these documents that moved none of them in any list (see ``build``).

    The views of the changed stories are remade; only the groups that show a changed document,
    and those planned on every run, are planned again. Everything else is the last run's.
    """
    edited = [doc for doc in changed if isinstance(doc, Story)]
    views = {**cache.current, **story_views(site, rendered, urls, theme, cache.views, edited)}
    planning = Planning(site, indexes, rendered, theme, views)
    keys = sorted(set(chain.from_iterable(cache.shown_in.get(doc.source_path, ()) for doc in changed)))
    fresh: list[PagePlan] = []
    for key in [*keys, *cache.always]:
        spec = cache.specs[key]
        inputs, _, make = GROUPS[spec[0]](planning, *spec[1:])
        before = cache.plans[key]
        cache.plans[key] = now = cache.groups.get(key, inputs, make)
        if now is not before:
            fresh += now
    return _assemble(planning, cache, fresh)
