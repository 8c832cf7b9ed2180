"""What a planned file is, and the vocabulary of the page planners (``planners``).

A plan is one output file: a page (template and context) or a data file (a function of its
context). The planners make them in groups (see ``plan``); each group is a ``Made``: its
inputs, the stories it shows and how to make its plans.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from generator.content.model import Site, Story
from generator.render.indexes import Indexes
from generator.render.markdown import RenderedDoc
from generator.render.theme import Theme
from generator.render.views import StoryView, paginate


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
    """A module-level function of the context (worker processes get it by fork, or pickled: by name)."""
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
KEPT = ("kept elsewhere",)
"""A group's inputs when its plans are memoized where they are made (a story page, by its journey):
``make`` then hands back the very list while it is unchanged, and the planner keeps no copy."""

SOURCE = attrgetter("source_path")


@dataclass(frozen=True)
class Planning:
    """What the groups are planned from."""

    site: Site
    indexes: Indexes
    rendered: dict[str, RenderedDoc]
    theme: Theme
    views: dict[str, StoryView]
    story_pages: Mapping[str, list[PagePlan]] | None = None
    """Each story page's group, a list of its one plan (by source path), as the stories' journeys made them;
    None: made here."""

    def listed(self, stories: Sequence[Story]) -> tuple[StoryView, ...]:
        """The views of these stories, in their order."""
        return tuple(map(self.views.__getitem__, map(SOURCE, stories)))


def pager_plans(views: Sequence[StoryView], per_page: int, base: str, template: str,
                context: dict[str, Any]) -> list[PagePlan]:
    """The pages of a paginated list, each with its pager and the list's own context."""
    return [PagePlan(pager.url, template, {**context, "pager": pager}) for pager in paginate(views, per_page, base)]
