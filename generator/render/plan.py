"""Plan the site: which pages exist and what each one shows (view-models).

Pages are planned in groups by the planners (``planners.PLANNERS``): a story page, a kind
list with all its pages, a unit, an activity, a year, the home page, the feed, … Each group
names the stories it shows (its members). A full plan visits every group; ``replan`` visits
only the groups that show an edited story (found through the members of the last full plan),
which is how an edit to one story of thousands is planned without looking at the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from generator.content.model import Page, Site, Story
from generator.core.memo import Memo
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc
from generator.render.planners import PLANNERS
from generator.render.plans import KEPT, Made, PagePlan, Planning, Spec
from generator.render.theme import Theme
from generator.render.views import StoryView

GROUPS: dict[str, Callable[..., Made]] = {name: plan for planner in PLANNERS for name, plan in planner.GROUPS.items()}
"""Each kind of group and how to plan it; a spec's first item names one of these."""


@dataclass
class PlanCache:
    """The planning stage's tables, kept between runs: each group's plans, who shows whom."""

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
            _, members, make = GROUPS["story"](planning, *spec[1:])
            yield key, members or (), make


def _specs(site: Site, indexes: Indexes) -> Iterable[tuple[str, Spec]]:
    """Every group of the site, in page order (the sitemap is added last, from all the others)."""
    for planner in PLANNERS:
        yield from planner.specs(site, indexes)


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


def plan_pages(site: Site, indexes: Indexes, rendered: dict[str, RenderedDoc], theme: Theme,
               views: dict[str, StoryView], story_pages: Mapping[str, list[PagePlan]] | None = None,
               cache: PlanCache | None = None) -> Planned:
    """List every page of the site with the data its template needs.

    ``views`` are every story's (by source path), ``story_pages`` every story page's plan, both
    made by the stories' journeys. Without ``story_pages`` story pages are left out (the sitemap
    still lists them): for a build whose story pass wrote them already, and which makes their
    groups again only to store them (``story_groups``).
    """
    cache = cache if cache is not None else PlanCache()
    stories = story_pages is not None
    planning = Planning(site, indexes, rendered, theme, views, story_pages)
    specs: dict[str, Spec] = {}
    plans: dict[str, list[PagePlan]] = {}
    shown_in: dict[str, list[str]] = {}
    always: list[str] = []
    for key, spec in _specs(site, indexes):
        if not stories and spec[0] == "story":
            # A story's view, neighbours and group are most of what planning holds at 50,000 stories.
            continue
        inputs, members, make = GROUPS[spec[0]](planning, *spec[1:])
        specs[key], plans[key] = spec, make() if inputs is KEPT else cache.groups.get(key, inputs, make)
        if members is None:
            always.append(key)
        for path in members or ():
            shown_in.setdefault(path, []).append(key)
    cache.groups.retain(specs)
    cache.specs, cache.plans, cache.shown_in, cache.always = specs, plans, shown_in, always
    return _assemble(planning, cache, None, stories)


def replan(site: Site, indexes: Indexes, rendered: dict[str, RenderedDoc], theme: Theme, cache: PlanCache,
           changed: Sequence[Story | Page], views: dict[str, StoryView], story_pages: Mapping[str, list[PagePlan]]
           ) -> Planned:
    """Plan again after edits to these documents that moved none of them in any list (see ``serve_patch``).

    Only the groups that show a changed document, and those planned on every run, are planned
    again, from the stories' views and pages as their journeys now make them. Everything else is
    the last run's.
    """
    planning = Planning(site, indexes, rendered, theme, views, story_pages)
    keys = sorted(set(chain.from_iterable(cache.shown_in.get(doc.source_path, ()) for doc in changed)))
    fresh: list[PagePlan] = []
    for key in [*keys, *cache.always]:
        spec = cache.specs[key]
        inputs, _, make = GROUPS[spec[0]](planning, *spec[1:])
        before = cache.plans[key]
        cache.plans[key] = now = make() if inputs is KEPT else cache.groups.get(key, inputs, make)
        if now is not before:
            fresh += now
    return _assemble(planning, cache, fresh)
