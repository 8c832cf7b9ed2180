"""Filling pages in worker processes: the one place where planned pages become files.

Every mode that writes many pages sends them here: by position into plans the workers
have by fork (``in_workers``), or pickled in batches (``Workers.map_chunks``, and ``in_workers``
when the workers are not forked; see ``batches``).
``write_pages`` writes them into a folder being filled; ``rendered_files`` hands the bytes back
for the caller to write in place once every page rendered; ``render_files`` does that in this
process (a preview update, the stored-graph mode: a few pages).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import jinja2

from generator.content.model import Site
from generator.core.parallel import MIN_ITEMS, Processes, map_chunks
from generator.render.pages import render_pages
from generator.render.plans import DataPlan, Plan
from generator.render.theme import CompiledTemplates, Theme
from generator.render.views import Pager
from generator.render.write import Filling

PLANS_SENT = 20
"""At most this many plans a batch,"""
LISTED_SENT = 2_000
"""and about this many stories listed in them: a year's archive or a sitemap lists thousands."""

R = TypeVar("R")


@dataclass(frozen=True)
class PageJob:
    """What every worker filling pages gets once: the site, the theme, where to write."""

    site: Site
    theme: Theme
    compiled: CompiledTemplates
    """Templates a worker compiled, kept for its next items."""
    staging: Path | None = None
    """The folder being filled (``write_pages``)."""
    plans: Sequence[Plan] = ()
    """Plans the workers have (by fork), which items name by position; without them items are batches of plans."""


Item = int | list[Plan]
"""A position in ``PageJob.plans``, or a batch of plans sent pickled."""


def _plans(job: PageJob, items: Sequence[Item]) -> Iterator[Plan]:
    for item in items:
        if isinstance(item, int):
            yield job.plans[item]
        else:
            yield from item


def write_pages(job: PageJob, items: Sequence[Item]) -> list[str]:
    """Fill the templates of these plans and write the files into the folder being filled; return their paths."""
    assert job.staging is not None
    written, filling = [], Filling(job.staging)
    for page in render_pages(_plans(job, items), job.site, job.theme, job.theme.environment(job.compiled)):
        filling.put(page.path, page.data)
        written.append(page.path)
    return written


def rendered_files(job: PageJob, items: Sequence[Item]) -> list[tuple[str, bytes]]:
    """Fill the templates of these plans; return each file's path and bytes."""
    return render_files(_plans(job, items), job.site, job.theme, job.theme.environment(job.compiled))


def render_files(plans: Iterable[Plan], site: Site, theme: Theme, env: jinja2.Environment) -> list[tuple[str, bytes]]:
    """Fill the templates of these plans in this process; return each file's path and bytes."""
    return [(f.path, f.data) for f in render_pages(plans, site, theme, env)]


def in_workers(work: Callable[[PageJob, Sequence[Item]], list[R]], job: PageJob, plans: Sequence[Plan],
               processes: Processes) -> Iterator[R]:
    """``work`` on every plan, in worker processes when there are many, each plan's results in plan order.

    Forked workers have the plans already and are sent positions. Other workers would each
    unpickle every plan (at 50,000 stories, the whole site's pages in every worker): they
    are sent batches instead, each plan to the one worker that fills it.
    """
    if processes.method == "fork":
        return map_chunks(work, dataclasses.replace(job, plans=plans), range(len(plans)), processes)
    return map_chunks(work, dataclasses.replace(job, plans=()), list(batches(plans)), processes,
                      least=MIN_ITEMS // PLANS_SENT)


def batches(plans: Iterable[Plan]) -> Iterator[list[Plan]]:
    """Consecutive plans in batches of at most ``PLANS_SENT`` plans and about ``LISTED_SENT`` listed stories.

    What a batch lists is what it costs to pickle, send and read back: sent 20 at a time, the
    archives of 18 years and the sitemap went in one chunk at 50,000 stories, 17 MB at once.
    """
    batch: list[Plan] = []
    listed = 0
    for plan in plans:
        weight = 1 if isinstance(plan, DataPlan) else 1 + sum(
            len(value.items) if isinstance(value, Pager) else len(value) if isinstance(value, list | tuple) else 0
            for value in plan.context.values())
        if batch and (len(batch) == PLANS_SENT or listed + weight > LISTED_SENT):
            yield batch
            batch, listed = [], 0
        batch.append(plan)
        listed += weight
    if batch:
        yield batch
