"""The 404 page, with the path the site is served under."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from generator.content.model import Site
from generator.render.indexes import Indexes
from generator.render.plans import Made, PagePlan, Planning, Spec


def _not_found(p: Planning) -> Made:
    context = {"base_path": urlsplit(p.site.config.base_url).path}
    return context, None, lambda: [PagePlan("404.html", "404.html", context)]


GROUPS = {"404": _not_found}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """The 404 page's group."""
    yield "404", ("404",)
