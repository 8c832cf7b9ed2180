"""The Atom feed of the newest stories."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.model import Site
from generator.render.indexes import Indexes
from generator.render.plans import SOURCE, Made, PagePlan, Planning, Spec

FEED_ENTRIES = 50


def _feed(p: Planning) -> Made:
    stories = p.site.stories[:FEED_ENTRIES]
    feed = list(p.listed(stories))
    context = {"entries": feed, "updated": feed[0].date if feed else None}
    return context, tuple(map(SOURCE, stories)), lambda: [PagePlan("feed.xml", "feed.xml", context)]


GROUPS = {"feed": _feed}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """The feed's group."""
    yield "feed", ("feed",)
