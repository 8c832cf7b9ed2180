"""The build: config → content → validate → model → indexes → render → write, by one of a few modes.

This module only sequences. Each mode (strategy) lives in its own module and either does the
whole job or declines having changed nothing (``mode.Decline``); the lists below say which
modes are tried, in which order. A ``Builder`` keeps the dependency graph's tables
(``state.BuildState``) between runs, so that ``serve`` remakes only what a change affects.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator.core.errors import SiteError
from generator.core.memo import stable
from generator.core.parallel import default_jobs, from_environment
from generator.incremental import uptodate
from generator.pipeline import fresh, from_graph, full, in_place, serve_patch, up_to_date
from generator.pipeline.mode import Job, Mode, first
from generator.pipeline.options import BuildOptions, BuildReport, Prepared
from generator.pipeline.state import BuildState, environment
from generator.pipeline.writers import render_files
from generator.render.pages import fingerprint
from generator.render.plans import Plan, page_count, plan_inputs
from generator.render.urls import output_path
from generator.render.write import check_output_dir, sync_site

BUILD_MODES: tuple[Mode[BuildReport], ...] = (
    Mode("up-to-date", up_to_date.build),  # nothing changed: nothing is read
    Mode("from-graph", from_graph.build),  # a few stories' texts changed: read only what shows them
    Mode("fresh", fresh.build),  # nothing to update in place: the story pass into a new folder
    Mode("in-place", in_place.build),  # everything else: prepare all, write what changed
)
"""``dangjian build``: the first mode that does not decline does the job."""

PREPARE_MODES: tuple[Mode[Prepared], ...] = (
    Mode("serve-patch", serve_patch.prepare),  # a few Markdown sources edited: swap them into the last run
    Mode("full", full.prepare),  # everything else: load, check and plan the whole site
)
"""``dangjian check`` and each preview update: the site checked and planned in memory."""


class Builder:
    """Builds one site, again and again, remaking only what changed since the last run."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.state = BuildState()

    def prepare(self, changed: Iterable[str] | None = None, jobs: int = 1) -> Prepared:
        """Load, check and plan the whole site without writing; raise SiteError on errors.

        ``changed`` names the content-relative files a watcher saw change since the last run:
        only they are looked at again, even where their size and time look the same. Without
        it, the whole content folder is scanned.
        """
        changed = None if changed is None else list(dict.fromkeys(changed))  # each path once
        job = Job(self.options, from_environment(os.environ, jobs), changed=changed)
        _, prepared = first(PREPARE_MODES, job, self.state)
        return prepared

    def build(self, checked: uptodate.Check | None = None) -> BuildReport:
        """Build the site into the output folder; raise SiteError on errors (the folder is then untouched).

        ``checked`` is the look at the inputs the caller took already (see ``uptodate.check``).
        """
        out_dir = self.options.output
        check_output_dir(out_dir, self.options.site_dir)
        # How workers start is read here, once per build: the modes take it as part of the job.
        processes = from_environment(os.environ, self.options.jobs or default_jobs())
        # A build makes a few million long-lived objects and no garbage cycles worth collecting;
        # left on, the collector walks them all again and again (a third of a no-change build).
        gc.disable()
        try:
            checked = checked or uptodate.check(self.options.site_dir, out_dir, self.options.drafts,
                                                self.options.cache, bool(self.options.preview),
                                                self.options.date().isoformat())
            name, report = first(BUILD_MODES, Job(self.options, processes, checked), self.state)
        except SiteError:
            self.state = BuildState()
            raise
        finally:
            gc.enable()
        if name == "fresh":
            self.state = BuildState()  # the story pass leaves no graph to update in memory
        return dataclasses.replace(report, mode=name)

    def update(self, out_dir: Path, changed: Iterable[str] | None = None) -> BuildReport:
        """Bring a folder up to date in place, rendering and writing only pages whose inputs changed."""
        check_output_dir(out_dir, self.options.site_dir)
        prepared = self.prepare(changed)
        state = self.state
        env, digests = environment(state, prepared.theme)
        # The same object as last time while equal: each page's comparison below is then an identity check.
        previous_common = state.common
        common = state.common = stable(state.common, fingerprint(prepared.site, prepared.theme))
        # Pages planned in an earlier run are the very same plans; unless a template or the site-wide
        # context changed, only the fresh ones can differ from what the folder holds.
        only_fresh = prepared.fresh is not None and digests is state.digests and common is previous_common
        state.digests = digests
        current: dict[str, Any] = dict(state.pages) if only_fresh else {}
        stale: list[Plan] = []
        for plan in prepared.fresh if only_fresh and prepared.fresh is not None else prepared.plans:
            mark = plan_inputs(plan, digests, common)
            current[plan.url] = mark
            previous = state.pages.get(plan.url)
            if previous is None or not (previous is mark or previous == mark):
                stale.append(plan)
        files = render_files(stale, prepared.site, prepared.theme, env)
        removed = [output_path(url) for url in state.pages.keys() - current.keys()]
        count = sync_site(out_dir, files, prepared.copies, removed, state.copies)
        state.pages = current
        return BuildReport(out_dir, len(prepared.site.stories), prepared.pages, count, prepared.warnings,
                           rendered=page_count(stale), data=len(stale) - page_count(stale), mode="update")


def prepare(options: BuildOptions) -> Prepared:
    """Load, check and plan the whole site without writing anything; raise SiteError on errors."""
    return Builder(options).prepare()


def build(options: BuildOptions, checked: uptodate.Check | None = None) -> BuildReport:
    """Build the site into the output folder; raise SiteError on errors (the folder is then untouched)."""
    return Builder(options).build(checked)
