"""The archive by year: the list of years, and each year's stories."""

from __future__ import annotations

from collections.abc import Iterator

from generator.content.model import Site
from generator.render.indexes import Indexes
from generator.render.plans import SOURCE, Made, PagePlan, Planning, Spec
from generator.render.views import Link


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

    return (shown, years), tuple(map(SOURCE, stories)), make


GROUPS = {"archive": _archive, "year": _year}
"""The kinds of group this planner plans, by the name a spec starts with."""


def specs(site: Site, indexes: Indexes) -> Iterator[tuple[str, Spec]]:
    """The archive page, then each year's, newest first."""
    yield "archive", ("archive",)
    for index, (year, _) in enumerate(indexes.by_year):
        yield f"year:{year}", ("year", index)
