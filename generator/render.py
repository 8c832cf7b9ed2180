"""Render the site: plan every output page, then fill its template.

``plan_pages`` decides what pages exist and what each one shows (view-models);
``render_pages`` turns each plan into bytes with Jinja2. Neither writes files.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2

from generator.errors import Problem, SiteError, error
from generator.graph import Memo
from generator.indexes import Indexes
from generator.markdown import RenderedDoc
from generator.model import KINDS, Site
from generator.theme import Theme
from generator.urls import SiteUrls, output_path, relative
from generator.views import (
    Link,
    StoryView,
    activity_links,
    activity_url,
    kind_label,
    kind_url,
    paginate,
    story_view,
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


@dataclass(frozen=True)
class OutputFile:
    """A rendered file, ready to write."""

    path: str
    data: bytes


def _story_views(site: Site, rendered: dict[str, RenderedDoc], urls: SiteUrls, theme: Theme,
                 memo: Memo[str, StoryView]) -> dict[str, StoryView]:
    views = {}
    for story in site.stories:
        doc = rendered[story.source_path]
        # The unit and activity tuples and the strings are the same objects while unchanged.
        views[story.source_path] = memo.get(
            story.source_path, (story, doc, site.units, site.activities, theme.strings),
            story_view, story, site, doc, urls, theme.text)
    memo.retain(views)
    return views


def plan_pages(site: Site, indexes: Indexes, rendered: dict[str, RenderedDoc], urls: SiteUrls,
               theme: Theme, views_memo: Memo[str, StoryView] | None = None) -> list[PagePlan]:
    """List every page of the site with the data its template needs."""
    text = theme.text
    views = _story_views(site, rendered, urls, theme, views_memo if views_memo is not None else Memo())
    per_page = site.config.per_page
    plans: list[PagePlan] = []

    def listed(stories: Sequence[Any]) -> list[StoryView]:
        return [views[s.source_path] for s in stories]

    latest = [
        (Link(kind_label(text, k.key), kind_url(k.folder), len(indexes.by_kind[k.key])),
         listed(indexes.by_kind[k.key][:HOME_LATEST]))
        for k in KINDS
    ]
    units_tree = tuple(unit_tree_view(node) for node in indexes.unit_tree)
    activities = activity_links(site, indexes)
    plans.append(PagePlan("", "index.html", {"latest": latest, "tree": units_tree,
                                             "activities": activities, "story_count": len(site.stories)}))

    for kind in KINDS:
        stories = indexes.by_kind[kind.key]
        for pager in paginate(listed(stories), per_page, kind_url(kind.folder)):
            plans.append(PagePlan(pager.url, "kind.html", {
                "title": kind_label(text, kind.key), "kind": kind.key, "pager": pager}))
        for index, story in enumerate(stories):
            older = views[stories[index + 1].source_path] if index + 1 < len(stories) else None
            newer = views[stories[index - 1].source_path] if index > 0 else None
            plans.append(PagePlan(story.url, "story.html", {
                "story": views[story.source_path], "body": rendered[story.source_path].html,
                "older": older, "newer": newer}))

    plans.append(PagePlan("units/", "units.html", {"tree": units_tree}))
    for unit in site.units:
        node = indexes.unit_node(unit.id)
        path = [Link(u.name, unit_url(u)) for u in indexes.unit_path(unit.id, site.units)]
        for pager in paginate(listed(indexes.by_unit[unit.id]), per_page, unit_url(unit)):
            plans.append(PagePlan(pager.url, "unit.html", {
                "unit": unit, "trail": path, "children": [unit_tree_view(c) for c in node.children],
                "total": node.total, "pager": pager}))

    plans.append(PagePlan("activities/", "activities.html", {"activities": activities}))
    for activity in site.activities:
        for pager in paginate(listed(indexes.by_activity[activity.id]), per_page, activity_url(activity)):
            plans.append(PagePlan(pager.url, "activity.html", {"activity": activity, "pager": pager}))

    years = [Link(text("year", year=year), f"archive/{year}/", len(stories)) for year, stories in indexes.by_year]
    plans.append(PagePlan("archive/", "archive.html", {"years": years}))
    for year, stories in indexes.by_year:
        plans.append(PagePlan(f"archive/{year}/", "archive_year.html", {
            "year": year, "years": years, "entries": [v.archive for v in listed(stories)]}))
    for page in site.pages:
        plans.append(PagePlan(page.url, "page.html", {"page": page, "body": rendered[page.source_path].html}))

    feed = listed(site.stories[:FEED_ENTRIES])
    plans.append(PagePlan("feed.xml", "feed.xml", {
        "entries": feed, "updated": feed[0].date if feed else None}))
    sitemap = [p.url for p in plans if p.template not in ("feed.xml",)]
    dates = {v.url: v.date for v in views.values()}
    plans.append(PagePlan("sitemap.xml", "sitemap.xml", {"urls": [(u, dates.get(u)) for u in sitemap]}))
    plans.append(PagePlan("404.html", "404.html", {"base_path": urlsplit(site.config.base_url).path}))
    return plans


def _site_context(site: Site, theme: Theme) -> dict[str, Any]:
    config = site.config
    nav = [Link(kind_label(theme.text, k.key), kind_url(k.folder)) for k in KINDS]
    nav += [Link(theme.text("nav_units"), "units/"), Link(theme.text("nav_activities"), "activities/"),
            Link(theme.text("nav_archive"), "archive/")]
    return {
        "site": {"title": config.title, "description": config.description, "language": config.language,
                 "base_url": config.base_url},
        "nav": nav,
        "page_links": [Link(p.title, p.url) for p in site.pages],
    }


def _template_problem(exc: Exception, template: str, dirs: Sequence[Path]) -> Problem:
    """Turn a Jinja2 error into a Problem that names the template file and line."""
    filename, line = None, 0
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, line = exc.filename, exc.lineno or 0
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".xml")):
                filename, line = frame.filename, frame.lineno or 0
                break
    shown = f"templates/{template}"
    if filename:
        for folder in dirs:
            try:
                shown = Path(filename).resolve().relative_to(folder.resolve().parent.parent).as_posix()
                break
            except ValueError:
                continue
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else str(exc)
    return error(shown, line, f"模板出错：{message}", "检查主题模板中的变量名和标签是否成对")


def fingerprint(site: Site, theme: Theme) -> tuple[dict[str, Any], dict[str, str]]:
    """What every page shows besides its own context: a change here re-renders every page."""
    return _site_context(site, theme), theme.strings


def render_pages(plans: Sequence[Plan], site: Site, theme: Theme,
                 env: jinja2.Environment | None = None) -> Iterator[OutputFile]:
    """Fill each plan's template (or make its data); template errors are raised as a SiteError naming the template."""
    env = env or theme.environment()
    common = _site_context(site, theme)
    for plan in plans:
        if isinstance(plan, DataPlan):
            yield OutputFile(output_path(plan.url), plan.make(plan.context))
            continue
        here = plan.url

        def url(target: str, here: str = here) -> str:
            return relative(here, target)

        try:
            template = env.get_template(plan.template)
            html = template.render({**common, **plan.context, "page_url": here, "url": url})
        except (jinja2.TemplateError, KeyError, AttributeError, TypeError, ValueError) as exc:
            raise SiteError([_template_problem(exc, plan.template, theme.dirs)]) from exc
        yield OutputFile(output_path(plan.url), html.encode("utf-8"))
