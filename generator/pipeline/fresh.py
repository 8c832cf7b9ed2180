"""The fresh mode: build into a new folder with the story pass (``storypass``), then plan and write the rest.

Taken when the output folder has nothing this build could update in place (no pages in the
cache: a first build, ``--no-cache``, a deleted output). The stories' HTML and text are never
all in memory at once (unless the cache is to keep them). Problems of the stories' Markdown
are known only after their pages are written into the folder being filled; the folder is then
thrown away and the output left as it was. ``docs/design.md`` tells the steps and their memory.
"""

from __future__ import annotations

import dataclasses
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from generator.content.checks import ChecksCache, Keyed, next_change
from generator.content.config import SiteConfig
from generator.content.load import DocTask, Loaded, load_docs
from generator.content.model import Site, Story
from generator.content.validate import ValidationCache
from generator.core.errors import Problem, SiteError, fails, sort_problems
from generator.core.memo import Memo
from generator.core.parallel import MIN_ITEMS, Workers
from generator.core.progress import Progress
from generator.core.spill import Blocks
from generator.incremental.store import FreshCache
from generator.pipeline import full, storypass
from generator.pipeline.cache_rows import graph_rows, output_rows
from generator.pipeline.journey import StoryTools, items, markdown_inputs, render_docs, story_views
from generator.pipeline.mode import Job, require
from generator.pipeline.options import BuildReport, Prepared
from generator.pipeline.state import BuildState, environment, page_digests
from generator.pipeline.writers import PLANS_SENT, PageJob, batches, write_pages
from generator.render.checks import CheckIndex, check_index, site_problems, stray_files
from generator.render.indexes import Indexes, build_indexes
from generator.render.markdown import RenderedDoc
from generator.render.pages import fingerprint
from generator.render.plan import PlanCache, StoryGroup, plan_pages, story_groups
from generator.render.plans import Plan
from generator.render.theme import CompiledTemplates, Theme
from generator.render.urls import SiteUrls, output_path
from generator.render.views import term_links
from generator.render.write import CopyFile, fill_site, record
from generator.search.files import FORMAT as SEARCH_FORMAT
from generator.search.plan import SEARCH_URL, SearchState, plan_search_written, shard_groups, shard_url
from generator.search.shards import shard_bits

COMPACT_FROM = 10_000
"""From this many stories the loaded site is copied to memory of its own (``compacted``), and read here."""
LOADED_SENT = 2000
"""At most this many sources a chunk when the workers read them (what a worker holds at once)."""


def load_in(workers: Workers, content_dir: Path, tasks: Sequence[DocTask]) -> Iterable[Loaded]:
    """Read sources in the workers (``load.load_docs``); in this process from ``COMPACT_FROM`` sources on.

    At 5,000 stories loading took 640 ms in this process alone and 385–390 ms in the workers. At
    50,000 the sources the workers sent back took this process about 30 MB more than those it
    read itself (measured after ``compacted``; its peak, during the copy, went from 300–325 MB
    to 350–356 MB), which the 400 MB the build may use at that size cannot spare.
    """
    if len(tasks) >= COMPACT_FROM:
        return load_docs(content_dir, tasks)
    return workers.map_chunks(load_docs, content_dir, tasks, chunk=LOADED_SENT, tidy=True)


def compacted(state: BuildState, site: Site, urls: SiteUrls) -> tuple[Site, SiteUrls]:
    """A copy of the site and its URLs made in one go, to keep instead of what loading left.

    Loading makes the stories among many more short-lived objects (parsed YAML, front
    matter with its line numbers), so that what is kept ends up scattered over memory the
    process cannot give back. Copied while those are still alive, the stories go to memory
    of their own, and the rest is given back whole once the loaded sources are let go: at
    50,000 stories 54 MB less for the whole build, for 0.6 s.
    """
    site, urls = pickle.loads(pickle.dumps((site, urls), protocol=pickle.HIGHEST_PROTOCOL))
    state.urls, state.content_files = urls, site.files
    return site, urls


@dataclass
class FreshBuild:
    """The working data of one fresh build, handed from step to step."""

    job: Job
    state: BuildState
    workers: Workers
    cache: FreshCache | None
    config: SiteConfig
    site: Site
    urls: SiteUrls
    theme: Theme
    problems: list[Problem]
    indexes: Indexes
    progress: Progress
    strays: tuple[str, ...] = ()
    """Files that look like writing but are no story or page (``load.stray_files``)."""
    titles: list[Keyed] = field(default_factory=list)
    """Every published document's title (``checks.content_checks``), for the duplicate check."""
    index: CheckIndex | None = None
    """What the site-wide checks looked at (``render.checks``), once every story is rendered."""
    inputs: tuple[dict[str, str], object] | None = None
    pages_rendered: list[tuple[RenderedDoc, list[Problem]]] = field(default_factory=list)
    copies: list[CopyFile] = field(default_factory=list)
    results: list[storypass.StoryResult] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    done: Prepared | None = None
    counts: tuple[int, int] = (0, 0)
    """Of its pages, and of its pages and data files."""


def build(job: Job, state: BuildState) -> BuildReport:
    """Build into a fresh folder; decline when the output folder has pages to update in place."""
    checked = job.checked
    require(checked is not None, "no look at the output folder")
    assert checked is not None
    require(not (checked.snapshot.table("pages") if checked.snapshot.usable else {}),
            "the output folder has pages this build can update in place")
    if checked.inputs.digest:
        state.content.scan = checked.inputs.content  # spare a second scan
    # Forked now, while this process holds little more than its imports (see parallel.Workers).
    with Workers(job.processes) as workers:
        # Stories are read without their bodies: each worker reads those of its stories again.
        config, site, urls, theme, _, problems, strays, titles = full.load(
            job.options, state, [] if checked.inputs.digest else None, False, partial(load_in, workers))
        if fails(problems, job.options.strict):
            # Every problem of a run is reported at once, those of the other stories' Markdown too:
            # the path that checks everything before writing anything finds them all.
            full.prepare(dataclasses.replace(job, changed=None), BuildState())
            raise SiteError(problems)
        if len(site.stories) >= COMPACT_FROM:
            site, urls = compacted(state, site, urls)
        # The cache is written as the build goes, so that the build need not hold it all.
        cache = FreshCache(job.options.site_dir) if job.options.cache else None
        progress = Progress(2 * len(site.stories), "构建", enabled=job.options.progress)
        run = FreshBuild(job, state, workers, cache, config, site, urls, theme, problems, build_indexes(site), progress,
                         strays, titles)
        try:
            return _build(run)
        except BaseException:
            if cache is not None:
                cache.discard()
            raise


def _build(run: FreshBuild) -> BuildReport:
    state, cache, site = run.state, run.cache, run.site
    if cache is not None:
        cache.add("docs", ((rel, *row) for rel, row in state.content.docs.entries.items()))
    # What was read is kept in the cache alone from here on: front matter with its line numbers
    # is about a fifth of what the build holds after planning.
    state.content.docs, state.content.tree, state.validation = Memo(), None, ValidationCache()
    state.checks = ChecksCache()
    if cache is not None:
        run.inputs = (environment(state, run.theme)[1], fingerprint(site, run.theme))
    run.pages_rendered = render_docs((run.urls, site.files, site.lint), site.pages)
    if cache is not None:
        cache.add("markdown", ((page.source_path, markdown_inputs(page, site.lint), made)
                               for page, made in zip(site.pages, run.pages_rendered, strict=True)))
    out_dir = run.job.out_dir
    # Beside the output, on its disk: a temporary folder in memory would count against the build's memory.
    out_dir.absolute().parent.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.spill-", dir=out_dir.absolute().parent,
                                         ignore_cleanup_errors=True) as name:
            fill = partial(_fill, run, Path(name))
            filled = fill_site(out_dir, fill, run.copies, on_file=run.progress.advance)
    finally:
        run.progress.close()
    run.workers.close()  # what is left is this process's: the workers' memory is given back first
    return _finish(run, filled.written + 2 * len(site.stories), filled.notes)


def _fill(run: FreshBuild, spill: Path, staging: Path) -> Iterator[str]:
    """Fill the new folder: the story pass, the index shards, then every other page (``fill_site``'s ``fill``)."""
    job = storypass.job(run.site, run.urls, run.theme, staging, spill, run.inputs, run.cache is not None)
    by_id = run.site.stories[::-1]
    spilled = _story_pass(run, job, by_id)
    found = [problem for result in run.results for problem in result.problems]
    found += [problem for _, page_problems in run.pages_rendered for problem in page_problems]
    rendered = {story.source_path: result.rendered for story, result in zip(by_id, run.results, strict=True)}
    rendered |= {page.source_path: result for page, (result, _) in zip(run.site.pages, run.pages_rendered,
                                                                        strict=True)}
    run.index = check_index(run.titles, rendered)
    found += site_problems(run.index) + stray_files(rendered, run.strays)
    if fails(run.problems + found, run.job.options.strict):
        raise SiteError(run.problems + found)
    fingerprints = [result.search_mark for result in run.results]
    yield from _shards(run, staging, spilled, len(by_id), fingerprints)
    rest = _plan_rest(run, rendered, found, fingerprints)
    del rendered  # the excerpts: the list pages' plans hold what they show
    page_job = PageJob(job.site, run.theme, CompiledTemplates(), staging)
    yield from run.workers.map_chunks(write_pages, page_job, list(batches(rest)), chunk=1,
                                      least=MIN_ITEMS // PLANS_SENT)


def _story_pass(run: FreshBuild, job: storypass.StoryJob, by_id: Sequence[Story]) -> list[Blocks]:
    """Render and write every story in the workers, by runs; keep what the rest of the build needs."""
    spilled: list[Blocks] = []
    cache = run.cache
    chunk = storypass.RUN_STORIES if cache is None else storypass.RUN_KEPT
    for made in run.workers.map_chunks(storypass.run_stories, job, items(run.site, run.indexes),
                                       chunk=chunk):
        spilled.append(made.postings)
        if cache is not None:  # the HTML and text go to the cache, and only there
            stories = by_id[made.first : made.first + len(made.stories)]
            cache.add("markdown", ((story.source_path, markdown_inputs(story, run.site.lint),
                                    (result.rendered, result.problems))
                                   for story, result in zip(stories, made.stories, strict=True)))
            run.results.extend(dataclasses.replace(result, rendered=storypass.light(result.rendered))
                               for result in made.stories)
        else:
            run.results.extend(made.stories)
        run.progress.advance(2 * len(made.stories))
    return spilled


def _shards(run: FreshBuild, staging: Path, spilled: list[Blocks], stories: int,
            fingerprints: list[str]) -> Iterator[str]:
    """Merge, encode and write the index shards in the workers: this process never holds the index.

    At 50,000 stories the index was about 100 MB, and its encoded shards 40 more. The workers
    then wait while this process plans: each gives back what its last group used.
    """
    bits = shard_bits(stories)
    run.progress.total += 1 << bits
    job = storypass.ShardJob(tuple(spilled), stories, staging, run.inputs, run.cache is not None)
    made: storypass.ShardResult
    for shard, made in enumerate(run.workers.map_chunks(storypass.write_shards, job, range(shard_groups(bits)),
                                                        chunk=1, least=2, tidy=True)):
        url = shard_url(shard, bits)
        fingerprints.append(made.mark)
        if made.data_digest is not None:
            run.digests[url] = made.data_digest
        if run.cache is not None:
            run.cache.add("search", [(f"shard:{shard}", (SEARCH_FORMAT,), made.row)])
        yield url


def _plan_rest(run: FreshBuild, rendered: dict[str, RenderedDoc], found: list[Problem],
               fingerprints: list[str]) -> list[Plan]:
    """Plan every file the story pass did not write, and store the graph; let go of what the writers do not need."""
    state, site, theme, cache = run.state, run.site, run.theme, run.cache
    by_id = site.stories[::-1]
    bits = shard_bits(len(by_id))
    searched = plan_search_written(site, run.indexes, theme, state.search, [r.text_mark for r in run.results],
                                   fingerprints)
    if cache is not None:
        cache.add("search", [("head", (SEARCH_FORMAT,), state.search.saved)])
    state.search = SearchState()
    # Story pages are written: they are left out of the plans (for the graph, made again one at a time).
    views = story_views(StoryTools(site, run.urls, theme, term_links(site)), rendered)
    planned = plan_pages(site, run.indexes, rendered, theme, views, None, state.plans)
    rest: list[Plan] = [*planned.pages, *searched]
    run.copies.extend(full.copies(site, run.urls, rendered, theme.static_files()))
    story_files = [*(output_path(story.url) for story in by_id),
                   *(f"{SEARCH_URL}d/{doc_id}.js" for doc_id in range(len(by_id))),
                   *(shard_url(shard, bits) for shard in range(1 << bits))]
    found += full.collisions([output_path(plan.url) for plan in rest] + story_files, run.copies,
                             run.job.options.site_dir)
    if fails(run.problems + found, run.job.options.strict):
        raise SiteError(run.problems + found)
    whole = Prepared(run.config, site, rest, run.copies, theme, tuple(sort_problems(run.problems + found)),
                     index=run.index, until=next_change(site, run.job.options.date()))
    if cache is not None:  # the graph goes to the cache now, not after the pages
        _graph_to_cache(run, cache, whole, rendered)
    # What the workers do not need is let go before they start: the views and excerpts (the
    # list pages' plans hold what they show), the planning tables.
    run.counts = (whole.pages + len(by_id), len(whole.plans) + len(by_id) + (1 << bits))
    run.done = dataclasses.replace(whole, plans=[])
    state.plans = PlanCache()
    run.results.clear()
    run.progress.total = 2 * len(site.stories) + (1 << bits) + len(rest) + len(run.copies)
    return rest


def _graph_to_cache(run: FreshBuild, cache: FreshCache, whole: Prepared, rendered: dict[str, RenderedDoc]) -> None:
    """Every file's fingerprint, and the graph's rows, each story page's group made again one at a time."""
    state, site = run.state, run.site
    run.digests.update(page_digests(state, site, run.theme, whole.plans))
    for doc_id, (story, result) in enumerate(zip(site.stories[::-1], run.results, strict=True)):
        assert result.page_digest is not None and result.data_digest is not None
        run.digests[story.url] = result.page_digest
        run.digests[f"{SEARCH_URL}d/{doc_id}.js"] = result.data_digest
    checked = run.job.checked
    assert checked is not None
    if checked.inputs.rest:
        def groups() -> Iterator[StoryGroup]:
            return story_groups(site, run.indexes, rendered, run.theme, state.plans.current)

        cache.add("graph", graph_rows(state, whole, run.digests, checked.inputs, groups))


def _finish(run: FreshBuild, count: int, notes: tuple[Problem, ...]) -> BuildReport:
    """Keep the file list in the cache and report (``notes``: of this run only, not kept)."""
    done, (pages, plans), cache = run.done, run.counts, run.cache
    assert done is not None
    if cache is not None:
        assert run.job.checked is not None
        written = record(run.job.out_dir, [*map(output_path, run.digests), *(copy.path for copy in run.copies)])
        for name, rows in output_rows(run.state, run.job.checked, done, run.digests, written, pages).items():
            cache.add(name, rows)
        cache.finish(len(written))
    return BuildReport(run.job.out_dir, len(run.site.stories), pages, count, done.warnings + notes,
                       rendered=pages, data=len(run.site.stories) + plans - pages)
