"""The activities page, and each activity's paginated list."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.model import Site
from generator.render.indexes import Indexes
from generator.render.plans import SOURCE, Made, PagePlan, Planning, Spec, pager_plans
from generator.render.views import activity_links, activity_url


def _activities(p: Planning) -> Made:
    context = {"activities": activity_links(p.site, p.indexes)}
    return context, None, lambda: [PagePlan("activities/", "activities.html", context)]


def _activity(p: Planning, activity_id: str) -> Made:
    activity, stories = p.site.activities_by_id[activity_id], p.indexes.by_activity[activity_id]
    shown, per_page = p.listed(stories), p.site.config.per_page
    return ((activity, shown, per_page), tuple(map(SOURCE, stories)),
            lambda: pager_plans(shown, per_page, activity_url(activity), "activity.html", {"activity": activity}))


GROUPS = {"activities": _activities, "activity": _activity}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """The activities page, then each activity's list in the order of activities.yaml."""
    yield "activities", ("activities",)
    for activity in site.activities:
        yield f"activity:{activity.id}", ("activity", activity.id)
