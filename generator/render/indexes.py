"""Indexes over the stories: by kind, unit, activity and year, and the unit hierarchy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from generator.content.model import KINDS, Site, Story, Unit


@dataclass(frozen=True)
class UnitNode:
    """A unit in the hierarchy with its sub-units and story counts."""

    unit: Unit
    children: tuple[UnitNode, ...]
    own: int
    """Stories of this unit itself."""
    total: int
    """Stories of this unit and all units below it."""


@dataclass(frozen=True)
class Indexes:
    """Stories grouped every way the site lists them; each group is newest first."""

    by_kind: dict[str, tuple[Story, ...]]
    by_unit: dict[str, tuple[Story, ...]]
    by_activity: dict[str, tuple[Story, ...]]
    by_year: tuple[tuple[int, tuple[Story, ...]], ...]
    """Years newest first."""
    unit_tree: tuple[UnitNode, ...]
    """Top-level units (those without a parent), in units.yaml order."""

    def unit_node(self, unit_id: str) -> UnitNode:
        """Return the hierarchy node of one unit."""
        stack = list(self.unit_tree)
        while stack:
            node = stack.pop()
            if node.unit.id == unit_id:
                return node
            stack.extend(node.children)
        raise KeyError(unit_id)

    def unit_path(self, unit_id: str, units: Iterable[Unit]) -> tuple[Unit, ...]:
        """Return the chain of units from the top down to this one."""
        by_id = {u.id: u for u in units}
        chain = [by_id[unit_id]]
        while chain[-1].parent is not None:
            chain.append(by_id[chain[-1].parent])
        return tuple(reversed(chain))


def _group(stories: Iterable[Story], keys: Iterable[str], key_of: str) -> dict[str, tuple[Story, ...]]:
    groups: dict[str, list[Story]] = {key: [] for key in keys}
    for story in stories:
        values = story.activities if key_of == "activities" else (story.unit,)
        for value in values:
            groups[value].append(story)
    return {key: tuple(group) for key, group in groups.items()}


def _unit_tree(units: tuple[Unit, ...], by_unit: dict[str, tuple[Story, ...]]) -> tuple[UnitNode, ...]:
    children: dict[str | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent, []).append(unit)

    def node(unit: Unit) -> UnitNode:
        subs = tuple(node(child) for child in children.get(unit.id, []))
        own = len(by_unit[unit.id])
        return UnitNode(unit, subs, own, own + sum(s.total for s in subs))

    return tuple(node(unit) for unit in children.get(None, []))


def build_indexes(site: Site) -> Indexes:
    """Group the site's stories (already sorted newest first)."""
    kinds: dict[str, list[Story]] = {kind.key: [] for kind in KINDS}
    for story in site.stories:
        kinds[story.kind.key].append(story)
    by_kind = {key: tuple(stories) for key, stories in kinds.items()}
    by_unit = _group(site.stories, (u.id for u in site.units), "unit")
    by_activity = _group(site.stories, (a.id for a in site.activities), "activities")
    years: dict[int, list[Story]] = {}
    for story in site.stories:
        years.setdefault(story.date.year, []).append(story)
    by_year = tuple((year, tuple(stories)) for year, stories in sorted(years.items(), reverse=True))
    return Indexes(by_kind, by_unit, by_activity, by_year, _unit_tree(site.units, by_unit))


def _swapped(group: tuple[Story, ...], old: Story, new: Story) -> tuple[Story, ...]:
    # Identity, not ==: comparing dataclasses field by field would cost more than the whole swap.
    index = next(i for i, story in enumerate(group) if story is old)
    return (*group[:index], new, *group[index + 1 :])


def swap(indexes: Indexes, old: Story, new: Story) -> Indexes:
    """Return the indexes with ``new`` in the places of ``old``: same kind, unit, activities and date."""
    if (old.kind, old.unit, old.activities, old.date) != (new.kind, new.unit, new.activities, new.date):
        raise ValueError(f"{new.source_path} moved: build the indexes again")
    by_kind = {**indexes.by_kind, old.kind.key: _swapped(indexes.by_kind[old.kind.key], old, new)}
    by_unit = {**indexes.by_unit, old.unit: _swapped(indexes.by_unit[old.unit], old, new)}
    by_activity = {**indexes.by_activity,
                   **{a: _swapped(indexes.by_activity[a], old, new) for a in old.activities}}
    by_year = tuple((year, _swapped(group, old, new) if year == old.date.year else group)
                    for year, group in indexes.by_year)
    return Indexes(by_kind, by_unit, by_activity, by_year, indexes.unit_tree)
