"""The home page: the latest stories of each kind, the unit tree, the activities."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.model import KINDS, Site
from generator.render.indexes import Indexes
from generator.render.plans import Made, PagePlan, Planning, Spec
from generator.render.views import Link, activity_links, kind_label, kind_url, unit_tree_view

HOME_LATEST = 6


def _home(p: Planning) -> Made:
    text, indexes = p.theme.text, p.indexes
    latest = [(Link(kind_label(text, k.key), kind_url(k.folder), len(indexes.by_kind[k.key])),
               list(p.listed(indexes.by_kind[k.key][:HOME_LATEST]))) for k in KINDS]
    context = {"latest": latest, "tree": tuple(unit_tree_view(node) for node in indexes.unit_tree),
               "activities": activity_links(p.site, indexes), "story_count": len(p.site.stories)}
    members = tuple(s.source_path for k in KINDS for s in indexes.by_kind[k.key][:HOME_LATEST])
    return context, members, lambda: [PagePlan("", "index.html", context)]


GROUPS = {"home": _home}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """The home page's group."""
    yield "home", ("home",)
