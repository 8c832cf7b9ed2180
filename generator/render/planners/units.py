"""The unit tree, and each unit's paginated list (with its sub-units' stories)."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.model import Site
from generator.render.indexes import Indexes
from generator.render.plans import SOURCE, Made, PagePlan, Planning, Spec, pager_plans
from generator.render.views import Link, unit_tree_view, unit_url


def _units(p: Planning) -> Made:
    context = {"tree": tuple(unit_tree_view(node) for node in p.indexes.unit_tree)}
    return context, None, lambda: [PagePlan("units/", "units.html", context)]


def _unit(p: Planning, unit_id: str) -> Made:
    site, indexes = p.site, p.indexes
    unit, node, stories = site.unit(unit_id), indexes.unit_node(unit_id), indexes.by_unit[unit_id]
    shown, per_page = p.listed(stories), site.config.per_page

    def make() -> list[PagePlan]:
        trail = [Link(u.name, unit_url(u)) for u in indexes.unit_path(unit.id, site.units)]
        return pager_plans(shown, per_page, unit_url(unit), "unit.html", {
            "unit": unit, "trail": trail, "children": [unit_tree_view(c) for c in node.children],
            "total": node.total})

    return (unit, node, site.units, shown, per_page), tuple(map(SOURCE, stories)), make


GROUPS = {"units": _units, "unit": _unit}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """The units page, then each unit's list in the order of units.yaml."""
    yield "units", ("units",)
    for unit in site.units:
        yield f"unit:{unit.id}", ("unit", unit.id)
