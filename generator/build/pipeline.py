"""The build: load → validate → model → render Markdown → index → plan pages → render → write.

This module only sequences the stages; each stage lives in its own module. A
``Builder`` keeps the dependency graph's tables (see ``graph``) between runs, so
that ``serve`` remakes only what a change affects; ``build()`` starts afresh.
"""

from __future__ import annotations

import dataclasses
import gc
import pickle
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from generator.build import storypass
from generator.content.config import SiteConfig, load_config
from generator.content.load import (
    ContentCache,
    DocTask,
    Loaded,
    LoadMany,
    doc_inputs,
    load_content,
    load_doc,
    load_docs,
    rescan,
)
from generator.content.model import Page, Site, Story
from generator.content.validate import ValidationCache, revalidate, term_lookups, validate_site, validate_story
from generator.core.digest import Digester
from generator.core.errors import Problem, SiteError, error, has_errors
from generator.core.memo import Memo, stable
from generator.core.parallel import MIN_ITEMS, Workers, default_jobs, map_chunks
from generator.core.progress import Progress
from generator.core.spill import Blocks
from generator.incremental import store as cache
from generator.incremental import stored_graph as quick
from generator.incremental import uptodate
from generator.render.indexes import Indexes, build_indexes, swap
from generator.render.markdown import RenderedDoc, make_parser, render_doc
from generator.render.pages import fingerprint, render_pages
from generator.render.plan import (
    DataPlan,
    PagePlan,
    Plan,
    PlanCache,
    StoryGroup,
    page_count,
    plan_inputs,
    plan_pages,
    replan,
    story_groups,
)
from generator.render.theme import CompiledTemplates, Theme, load_theme, template_digests
from generator.render.urls import SiteUrls, output_path
from generator.render.views import Pager, story_view, term_links
from generator.render.write import (
    CopyFile,
    Filling,
    Manifest,
    check_output_dir,
    fill_site,
    record,
    remove_files,
    sync_site,
)
from generator.search import plan as searchplan
from generator.search.files import FORMAT
from generator.search.index import ShardRow
from generator.search.plan import SearchState, plan_search, plan_search_written
from generator.search.shards import shard_bits


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked of one build."""

    site_dir: Path
    out_dir: Path | None = None
    """Defaults to output/ in the site folder."""
    drafts: bool = False
    progress: bool | None = None
    """Show a progress bar: None means only on a terminal."""
    jobs: int | None = None
    """Processes for a full build: None means one per core. Updates (serve) use one."""
    cache: bool = True
    """Use and update the build cache in .dangjian-cache/."""

    @property
    def output(self) -> Path:
        """The output folder."""
        return self.out_dir or self.site_dir / "output"


@dataclass(frozen=True)
class BuildReport:
    """What a build did."""

    out_dir: Path
    stories: int
    pages: int
    files: int
    """Files written (and, for an update, removed)."""
    warnings: tuple[Problem, ...]
    rendered: int = 0
    """Pages whose template was filled this time."""
    data: int = 0
    """Data files (search index) made this time."""
    up_to_date: bool = False
    """Nothing the site is made from had changed, so nothing was even read."""
    patched: bool = False
    """Only a few stories' texts had changed: only they were read, from the graph the last build stored."""


@dataclass(frozen=True)
class Prepared:
    """A checked site with everything needed to write it."""

    config: SiteConfig
    site: Site
    plans: list[Plan]
    copies: list[CopyFile]
    theme: Theme
    warnings: tuple[Problem, ...]
    fresh: list[Plan] | None = None
    """Plans that may differ from the last run's (the others are the very same objects); None: any may."""

    @property
    def pages(self) -> int:
        """How many plans are pages (the others are data files)."""
        return page_count(self.plans)


@dataclass
class LastRun:
    """What the last successful ``prepare`` made: the start of the next one when only a few documents changed."""

    prepared: Prepared
    rendered: dict[str, RenderedDoc]
    indexes: Indexes
    static: dict[str, Path]
    """The theme's static files."""
    places: dict[str, int] | None = None
    """Source path → position in the site's stories or pages; made when first needed."""
    sources: dict[str, tuple[str, str | None]] | None = None
    """Content path of each Markdown source → (top folder, bundle folder); made when first needed."""


MarkdownMemo = Memo[str, tuple[RenderedDoc, list[Problem]]]


@dataclass
class BuildState:
    """The tables of the dependency graph, kept between builds of one site."""

    content: ContentCache = field(default_factory=ContentCache)
    validation: ValidationCache = field(default_factory=ValidationCache)
    markdown: MarkdownMemo = field(default_factory=Memo)
    plans: PlanCache = field(default_factory=PlanCache)
    environment: Memo[str, tuple[jinja2.Environment, dict[str, str]]] = field(default_factory=Memo)
    templates: Memo[str, frozenset[str]] = field(default_factory=Memo)
    """Template name → the templates it references, kept while its source is unchanged."""
    urls: SiteUrls | None = None
    files: frozenset[str] | None = None
    theme: Theme | None = None
    pages: dict[str, Any] = field(default_factory=dict)
    """Page URL → fingerprint of what the page was last rendered from."""
    copies: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Output path → (mtime, size) of the file last copied there."""
    common: tuple[dict[str, Any], dict[str, str]] | None = None
    """What every page shows besides its own context (see ``render.fingerprint``)."""
    digests: dict[str, str] | None = None
    """The template fingerprints the pages in ``pages`` were compared with."""
    last: LastRun | None = None
    search: SearchState = field(default_factory=SearchState)


QUICK_LIMIT = 50
"""At most this many changed files are patched from the stored graph; more take the full path."""


PLANS_SENT = 20
"""At most this many plans a chunk of the last step,"""
LISTED_SENT = 2_000
"""and about this many stories listed in them: a year's archive or a sitemap lists thousands."""
COMPACT_FROM = 10_000


def _markdown_inputs(doc: Story | Page) -> tuple[str, int, str, str]:
    # The source digest stands for the body: comparing it is cheap, and it can be stored.
    return (doc.url, doc.body_line, doc.summary, doc.source_digest)


def _place(doc: Story | Page) -> tuple[Any, ...]:
    """What decides where a document appears: in which lists, at which position, with which files."""
    if isinstance(doc, Story):
        return (doc.kind, doc.slug, doc.date, doc.unit, doc.activities, doc.draft, doc.cover, doc.bundle_dir)
    return ("page", doc.slug, doc.draft, doc.bundle_dir)


def _render_markdown(site: Site, urls: SiteUrls, memo: MarkdownMemo, unchanged: bool = False,
                     jobs: int = 1) -> tuple[dict[str, RenderedDoc], list[Problem]]:
    """Render every document's Markdown, reusing what is still valid.

    ``unchanged`` says that no URL and no file changed since the last run, so that
    every remembered link is known to resolve as before without checking each one.
    """
    rendered: dict[str, RenderedDoc] = {}
    problems: list[Problem] = []

    def still_valid(value: tuple[RenderedDoc, list[Problem]]) -> bool:
        # Documents with problems are rendered again so that their hints stay current.
        return not value[1] and (unchanged or value[0].still_valid(urls, site.files))

    if not unchanged:
        memo.reset_sources()
    sources, entries = memo.sources, memo.entries
    stale = []
    for doc in site.documents:
        path = doc.source_path
        if sources.get(path) is doc and not entries[path][1][1]:
            continue  # the very document checked last time, with every link known to resolve
        if memo.valid(path, _markdown_inputs(doc), still_valid):
            sources[path] = doc
        else:
            stale.append(doc)
    # Positions, not documents, go to the workers: they have the documents by fork already.
    made = map_chunks(_render_batch, (urls, site.files, stale), range(len(stale)), jobs)
    for doc, made_value in zip(stale, made, strict=True):
        memo.store(doc.source_path, _markdown_inputs(doc), made_value)
        sources[doc.source_path] = doc
    for doc in site.documents:
        result, found = memo.entries[doc.source_path][1]
        rendered[doc.source_path] = result
        problems += found
    memo.retain(rendered)
    return rendered, problems


def _render_one(doc: Story | Page, urls: SiteUrls, files: frozenset[str]) -> tuple[RenderedDoc, list[Problem]]:
    return _render_docs((urls, files), [doc])[0]


def _render_batch(shared: tuple[SiteUrls, frozenset[str], Sequence[Story | Page]], positions: Sequence[int]
                  ) -> list[tuple[RenderedDoc, list[Problem]]]:
    """Render the Markdown of the documents at these positions (in a worker process when there are many)."""
    urls, files, docs = shared
    return _render_docs((urls, files), [docs[i] for i in positions])


def _render_docs(shared: tuple[SiteUrls, frozenset[str]], docs: Sequence[Story | Page]
                 ) -> list[tuple[RenderedDoc, list[Problem]]]:
    """Render a batch of Markdown bodies (in a worker process when there are many)."""
    urls, files = shared
    parser = make_parser()
    return [render_doc(parser, doc, urls, files) for doc in docs]


def _render_into(shared: tuple[list[Plan], Site, Theme, Path, CompiledTemplates], indexes: Sequence[int]
                 ) -> list[str]:
    """Fill the templates of a batch of plans and write the pages into a folder being filled."""
    plans, site, theme, staging, compiled = shared
    written, filling = [], Filling(staging)
    for page in render_pages([plans[i] for i in indexes], site, theme, theme.environment(compiled)):
        filling.put(page.path, page.data)
        written.append(page.path)
    return written


def _write_plans(shared: tuple[Site, Theme, Path, CompiledTemplates], plans: Sequence[Plan]) -> list[str]:
    """Fill the templates of plans that came pickled and write the pages into a folder being filled."""
    site, theme, staging, compiled = shared
    written, filling = [], Filling(staging)
    for page in render_pages(plans, site, theme, theme.environment(compiled)):
        filling.put(page.path, page.data)
        written.append(page.path)
    return written


LOADED_SENT = 2000
"""At most this many sources a chunk when the workers read them (what a worker holds at once)."""


def _load_in(workers: Workers, content_dir: Path, tasks: Sequence[DocTask]) -> Iterable[Loaded]:
    """Read sources in the workers (``content.LoadMany``); in this process from ``COMPACT_FROM`` sources on.

    At 5,000 stories loading took 640 ms in this process alone and 385–390 ms in the workers. At
    50,000 the sources the workers sent back took this process about 30 MB more than those it
    read itself (measured after ``_compacted``; its peak, during the copy, went from 300–325 MB
    to 350–356 MB), which the 400 MB the build may use at that size cannot spare.
    """
    if len(tasks) >= COMPACT_FROM:
        return load_docs(content_dir, tasks)
    return workers.map_chunks(load_docs, content_dir, tasks, chunk=LOADED_SENT, tidy=True)


def _write_batches(shared: tuple[Site, Theme, Path, CompiledTemplates], batches: Sequence[list[Plan]]) -> list[str]:
    """Like ``_write_plans``, for batches of plans (see ``_batches``)."""
    return [path for batch in batches for path in _write_plans(shared, batch)]


def _batches(plans: Iterable[Plan]) -> Iterator[list[Plan]]:
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


def _render_plans(shared: tuple[list[Plan], Site, Theme, CompiledTemplates], indexes: Sequence[int]
                  ) -> list[tuple[str, bytes]]:
    """Fill the templates of a batch of plans (in a worker process when there are many)."""
    plans, site, theme, compiled = shared
    env = theme.environment(compiled)
    return [(f.path, f.data) for f in render_pages([plans[i] for i in indexes], site, theme, env)]


def _copies(site: Site, urls: SiteUrls, rendered: dict[str, RenderedDoc], static: dict[str, Path]) -> list[CopyFile]:
    """Collect the content files and theme files the site publishes unchanged."""
    wanted: set[str] = set()
    for doc in site.documents:
        if doc.bundle_dir:
            wanted.update(urls.bundle_files(doc.bundle_dir, site.files))
    wanted.update(story.cover for story in site.stories if story.cover)
    for result in rendered.values():
        wanted.update(result.assets)
    content = site.config.content_dir
    copies = [CopyFile(urls.asset_url(path), content.joinpath(*path.split("/"))) for path in sorted(wanted)]
    copies += [CopyFile(path, source) for path, source in static.items()]
    return copies


def _collisions(paths: Iterable[str], copies: list[CopyFile]) -> list[Problem]:
    """A file copied where a page is written (the output paths of every page and data file)."""
    seen = {path: path for path in paths}
    problems = []
    for copy in copies:
        if copy.path in seen:
            problems.append(error(str(copy.source), 0, f"文件会覆盖网站的页面“{copy.path}”", "给文件或文件夹换个名字"))
        seen[copy.path] = copy.path
    return problems


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
        state = self.state
        changed = None if changed is None else list(dict.fromkeys(changed))  # each path once
        patched = self._patch(changed) if changed else None
        if patched is not None:
            return patched
        state.last = None
        config, site, urls, theme, unchanged, problems = self._load(changed)
        rendered, found = _render_markdown(site, urls, state.markdown, unchanged, jobs)
        problems += found
        if has_errors(problems):
            raise SiteError(problems)
        indexes = build_indexes(site)
        planned = plan_pages(site, indexes, rendered, urls, theme, state.plans)
        plans: list[Plan] = [*planned.pages, *plan_search(site, indexes, rendered, theme, state.search, jobs)]
        static = theme.static_files()
        copies = _copies(site, urls, rendered, static)
        problems += _collisions((output_path(plan.url) for plan in plans), copies)
        if has_errors(problems):
            raise SiteError(problems)
        prepared = Prepared(config, site, plans, copies, theme, tuple(sorted(set(problems))))
        state.last = LastRun(prepared, rendered, indexes, static)
        return prepared

    def _load(self, changed: list[str] | None, story_bodies: bool = True, load_many: LoadMany | None = None
              ) -> tuple[SiteConfig, Site, SiteUrls, Theme, bool, list[Problem]]:
        """Read and check site.yaml, the content and the theme; raise SiteError when site.yaml is unusable.

        Also says whether every URL and file is as in the last run (so remembered links still resolve).
        """
        state = self.state
        state.content.forget(changed or ())
        config, problems = load_config(self.options.site_dir)
        if has_errors(problems):
            raise SiteError(problems)
        tree, found = load_content(config.content_dir, state.content, changed, story_bodies, load_many)
        problems += found
        site, found = validate_site(config, tree, self.options.drafts, state.validation)
        problems += found
        urls = stable(state.urls, SiteUrls(site.documents, site.left_out))
        unchanged = urls is state.urls and site.files is state.files
        theme, found = load_theme(config)
        theme = stable(state.theme, theme)
        state.urls, state.theme, state.files = urls, theme, site.files
        return config, site, urls, theme, unchanged, problems + found

    def _patch(self, changed: list[str]) -> Prepared | None:
        """Prepare again after edits to a few Markdown sources that move no document, without visiting the others.

        Returns None, to do the full ``prepare``, whenever the edits may reach further: another kind
        of file changed, a document was added, removed or moved (see ``_place``), the theme's files
        changed, or anything has a problem to report (the full path reports them all).
        """
        state, last = self.state, self.state.last
        content = state.content
        if last is None or last.prepared.warnings or content.scan is None or content.sources is None:
            return None
        if not all(rel.lower().endswith(".md") and rel in content.scan for rel in changed):
            return None
        config, problems = load_config(self.options.site_dir)
        if problems or config != last.prepared.config:
            return None
        scan = rescan(config.content_dir, content.scan, changed)
        if scan is None or len(scan) != len(content.scan):
            return None
        theme, problems = load_theme(config)
        static = theme.static_files()
        if problems or static != last.static:
            return None
        if last.sources is None:
            last.sources = {rel: (folder, bundle) for rel, folder, bundle in content.sources[1]}
        site = last.prepared.site
        if last.places is None:
            last.places = {doc.source_path: index for index, doc in enumerate(site.stories)}
            last.places |= {doc.source_path: index for index, doc in enumerate(site.pages)}
        content.forget(changed)
        content.scan = scan
        stories, pages = list(site.stories), list(site.pages)
        rendered, indexes, edited = dict(last.rendered), last.indexes, []
        urls = state.urls
        if urls is None:
            return None
        for rel in changed:
            if rel not in last.sources or rel not in last.places:
                return None  # not a published document (a draft, a loose file)
            folder, bundle = last.sources[rel]
            doc, found = content.docs.get(rel, doc_inputs(bundle, True, scan[rel]), load_doc, config.content_dir,
                                          rel, folder, bundle)
            if found or doc is None:
                return None
            checked, found = revalidate(doc, state.validation)
            place = last.places[rel]
            old: Story | Page = site.stories[place] if isinstance(checked, Story) else site.pages[place]
            if found or checked is None or old.source_path != rel or _place(checked) != _place(old):
                return None
            result, found = state.markdown.get(rel, _markdown_inputs(checked), _render_one, checked, urls, site.files)
            if found or result.assets != rendered[rel].assets:
                return None
            rendered[rel] = result
            edited.append(checked)
            if isinstance(checked, Story):
                assert isinstance(old, Story)
                stories[place] = checked
                indexes = swap(indexes, old, checked)
            else:
                pages[place] = checked
        site = dataclasses.replace(site, stories=tuple(stories), pages=tuple(pages))
        theme = stable(state.theme, theme)
        state.theme = theme
        planned = replan(site, indexes, rendered, urls, theme, state.plans, edited)
        assert planned.fresh is not None
        # The search data keeps its own tables and hands back the same plans where nothing changed.
        searched = plan_search(site, indexes, rendered, theme, state.search, 1,
                               [doc for doc in edited if isinstance(doc, Story)])
        prepared = Prepared(config, site, [*planned.pages, *searched], last.prepared.copies, theme, (),
                            [*planned.fresh, *searched])
        state.last = dataclasses.replace(last, prepared=prepared, rendered=rendered, indexes=indexes)
        return prepared

    def _environment(self, theme: Theme) -> tuple[jinja2.Environment, dict[str, str]]:
        """Return the Jinja2 environment and template fingerprints, made again when the theme changed."""
        probe = theme.environment()
        digests = template_digests(probe, self.state.templates)
        return self.state.environment.get("theme", (theme.dirs, theme.strings, digests), lambda: (probe, digests))

    def build(self, checked: uptodate.Check | None = None) -> BuildReport:
        """Build the site into the output folder; raise SiteError on errors (the folder is then untouched).

        With a usable cache and an existing output folder only pages whose inputs changed are
        rendered and written, and files the site no longer produces are removed. Otherwise (and
        when most pages changed) the output folder is written afresh and replaces the old one whole.
        """
        out_dir = self.options.output
        check_output_dir(out_dir, self.options.site_dir)
        jobs = self.options.jobs or default_jobs()
        # A build makes a few million long-lived objects and no garbage cycles worth collecting;
        # left on, the collector walks them all again and again (a third of a no-change build).
        gc.disable()
        try:
            checked = checked or uptodate.check(self.options.site_dir, out_dir, self.options.drafts,
                                                self.options.cache)
            return self._build(out_dir, jobs, checked)
        finally:
            gc.enable()

    def _build(self, out_dir: Path, jobs: int, checked: uptodate.Check) -> BuildReport:
        snapshot, inputs, last = checked.snapshot, checked.inputs, checked.last
        if last is not None:
            return BuildReport(out_dir, last.stories, last.pages, 0, last.warnings, rendered=0, up_to_date=True)
        patched = self._quick(checked, out_dir) if self.options.cache and snapshot.usable else None
        if patched is not None:
            return patched
        before = snapshot.table("pages") if snapshot.usable else {}
        if inputs.digest:
            self.state.content.scan = inputs.content  # spare a second scan
        if not before:
            return self._stream(out_dir, jobs, checked)
        self._restore(snapshot)
        prepared = self.prepare(changed=[] if inputs.digest else None, jobs=jobs)
        # Fingerprints serve only to compare with the cache and to fill it: without one, skip them.
        digests = self._digests(prepared.site, prepared.theme, prepared.plans) if self.options.cache else {}
        manifest = {output_path(url): entry[0][1:] for url, entry in before.items()}
        found = checked.output.result() if before else None
        changed_files = None if found is None else {p for p, sig in manifest.items() if found.get(p) != sig}
        stale = [p for p in prepared.plans
                 if changed_files is None or p.url not in before or before[p.url][0][0] != digests[p.url]
                 or output_path(p.url) in changed_files]
        if changed_files is None or len(stale) > len(prepared.plans) // 2:
            count, written = self._write_fresh(out_dir, prepared, jobs)
        else:
            gone = [output_path(url) for url in before.keys() - digests.keys()]
            assert found is not None
            count, written = self._write_changes(out_dir, prepared, stale, gone, found, jobs)
        if self.options.cache:
            self._save(checked, prepared, digests, written)
        return BuildReport(out_dir, len(prepared.site.stories), prepared.pages, count, prepared.warnings,
                           rendered=page_count(stale), data=len(stale) - page_count(stale))

    def _stream(self, out_dir: Path, jobs: int, checked: uptodate.Check) -> BuildReport:
        """Build into a fresh folder with the story pass (``storypass``), then plan and write everything else.

        The stories' HTML and text are never all in memory at once (unless the cache is to keep
        them). Problems of the stories' Markdown are known only after their pages are written,
        into the folder being filled; the folder is then thrown away and the output left as it was.
        """
        keep = self.options.cache
        # Forked now, while this process holds little more than its imports (see parallel.Workers).
        with Workers(jobs) as workers:
            # Stories are read without their bodies: each worker reads those of its stories again.
            config, site, urls, theme, _, problems = self._load([] if checked.inputs.digest else None, False,
                                                                partial(_load_in, workers))
            if has_errors(problems):
                # Every problem of a run is reported at once, those of the other stories' Markdown too:
                # the path that checks everything before writing anything finds them all.
                self.state = BuildState()
                self.prepare(jobs=jobs)
                raise SiteError(problems)
            if len(site.stories) >= COMPACT_FROM:
                site, urls = self._compacted(site, urls)
            # The cache is written as the build goes, so that the build need not hold it all.
            fresh = cache.FreshCache(self.options.site_dir) if keep else None
            try:
                return self._stream_into(out_dir, workers, checked, fresh, (config, site, urls, theme, problems))
            except BaseException:
                if fresh is not None:
                    fresh.discard()
                raise

    def _compacted(self, site: Site, urls: SiteUrls) -> tuple[Site, SiteUrls]:
        """A copy of the site and its URLs made in one go, to keep instead of what loading left.

        Loading makes the stories among many more short-lived objects (parsed YAML, front
        matter with its line numbers), so that what is kept ends up scattered over memory the
        process cannot give back. Copied while those are still alive, the stories go to memory
        of their own, and the rest is given back whole once the loaded sources are let go: at
        50,000 stories 54 MB less for the whole build, for 0.6 s.
        """
        site, urls = pickle.loads(pickle.dumps((site, urls), protocol=pickle.HIGHEST_PROTOCOL))
        self.state.urls, self.state.files = urls, site.files
        return site, urls

    def _stream_into(self, out_dir: Path, workers: Workers, checked: uptodate.Check, fresh: cache.FreshCache | None,
                     loaded: tuple[SiteConfig, Site, SiteUrls, Theme, list[Problem]]) -> BuildReport:
        state, keep = self.state, fresh is not None
        config, site, urls, theme, problems = loaded
        if fresh is not None:
            fresh.add("docs", ((rel, *row) for rel, row in state.content.docs.entries.items()))
        # What was read is kept in the cache alone from here on: front matter with its line numbers
        # is about a fifth of what the build holds after planning.
        state.content.docs, state.content.tree, state.validation = Memo(), None, ValidationCache()
        indexes = build_indexes(site)
        _, templates = self._environment(theme)
        inputs = (templates, fingerprint(site, theme)) if keep else None
        pages_rendered = _render_docs((urls, site.files), site.pages)
        if fresh is not None:
            fresh.add("markdown", ((page.source_path, _markdown_inputs(page), made)
                                   for page, made in zip(site.pages, pages_rendered, strict=True)))
        progress = Progress(2 * len(site.stories), "构建", enabled=self.options.progress)
        copies: list[CopyFile] = []
        prepared: list[Prepared] = []
        counts: list[int] = []  # of its pages, and of its pages and data files
        results: list[storypass.StoryResult] = []
        digests: dict[str, str] = {}

        def fill(staging: Path) -> Iterator[str]:
            job = storypass.job(site, urls, theme, staging, spill, inputs, keep)
            spilled: list[Blocks] = []
            by_id = site.stories[::-1]
            run: storypass.StoryRun | None = None
            for run in workers.map_chunks(storypass.run_stories, job, storypass.items(site, indexes),
                                          chunk=storypass.RUN_STORIES if fresh is None else storypass.RUN_KEPT):
                spilled.append(run.postings)
                stories = by_id[run.first : run.first + len(run.stories)]
                if fresh is not None:  # the HTML and text go to the cache, and only there
                    fresh.add("markdown", ((story.source_path, _markdown_inputs(story), (made.rendered, made.problems))
                                           for story, made in zip(stories, run.stories, strict=True)))
                    results.extend(dataclasses.replace(made, rendered=storypass.light(made.rendered))
                                   for made in run.stories)
                else:
                    results.extend(run.stories)
                progress.advance(2 * len(run.stories))
            run = None  # the last run's results are not kept past the pass
            found = [problem for result in results for problem in result.problems]
            found += [problem for _, page_problems in pages_rendered for problem in page_problems]
            if has_errors(problems + found):
                raise SiteError(problems + found)
            rendered = {story.source_path: result.rendered for story, result in zip(by_id, results, strict=True)}
            rendered |= {page.source_path: result for page, (result, _) in zip(site.pages, pages_rendered, strict=True)}
            # The index shards are merged from the runs' postings in the workers: this process never
            # holds the index (at 50,000 stories about 100 MB, and its encoded shards 40 more).
            bits = shard_bits(len(by_id))
            groups = range(searchplan.shard_groups(bits))
            progress.total += 1 << bits
            fingerprints = [result.search_mark for result in results]
            shards = storypass.ShardJob(tuple(spilled), len(by_id), staging, inputs, keep)
            # The workers then wait while this process plans: each gives back what its last group used.
            shard_files = workers.map_chunks(storypass.write_shards, shards, groups, chunk=1, least=2, tidy=True)
            made: storypass.ShardResult
            for shard, made in enumerate(shard_files):
                url = searchplan.shard_url(shard, bits)
                fingerprints.append(made.mark)
                if made.data_digest is not None:
                    digests[url] = made.data_digest
                if fresh is not None:
                    fresh.add("search", [(f"shard:{shard}", (FORMAT,), made.row)])
                yield url
            searched = plan_search_written(site, indexes, theme, state.search, [r.text_mark for r in results],
                                           fingerprints)
            if fresh is not None:
                fresh.add("search", [("head", (FORMAT,), state.search.saved)])
            state.search = SearchState()
            # Story pages are written: they are left out of the plans (for the graph, made again one at a time).
            planned = plan_pages(site, indexes, rendered, urls, theme, state.plans, stories=False)
            rest = [*planned.pages, *searched]
            copies.extend(_copies(site, urls, rendered, theme.static_files()))
            story_files = [*(output_path(story.url) for story in by_id),
                           *(f"{searchplan.SEARCH_URL}d/{doc_id}.js" for doc_id in range(len(by_id))),
                           *(searchplan.shard_url(shard, bits) for shard in range(1 << bits))]
            found += _collisions([output_path(plan.url) for plan in rest] + story_files, copies)
            if has_errors(found):
                raise SiteError(problems + found)
            whole = Prepared(config, site, rest, copies, theme, tuple(sorted(set(problems + found))))
            if fresh is not None:  # the graph goes to the cache now, not after the pages
                digests.update(self._digests(site, theme, rest))
                for doc_id, (story, result) in enumerate(zip(by_id, results, strict=True)):
                    assert result.page_digest is not None and result.data_digest is not None
                    digests[story.url] = result.page_digest
                    digests[f"{searchplan.SEARCH_URL}d/{doc_id}.js"] = result.data_digest
                if checked.inputs.rest:
                    fresh.add("graph", self._graph_rows(whole, digests, checked.inputs, rendered, indexes))
            # What the workers do not need is let go before they start: the views and excerpts (the
            # list pages' plans hold what they show), the planning tables.
            stories_written = len(by_id)
            counts.extend((whole.pages + stories_written, len(whole.plans) + stories_written + (1 << bits)))
            prepared.append(dataclasses.replace(whole, plans=[]))
            state.plans = PlanCache()
            results.clear()
            del rendered, planned, searched, story_files, whole
            progress.total = 2 * len(site.stories) + (1 << bits) + len(rest) + len(copies)
            yield from workers.map_chunks(_write_batches, (job.site, theme, staging, CompiledTemplates()),
                                          list(_batches(rest)), chunk=1, least=MIN_ITEMS // PLANS_SENT)

        # Beside the output, on its disk: a temporary folder in memory would count against the build's memory.
        out_dir.absolute().parent.mkdir(parents=True, exist_ok=True)
        try:
            with tempfile.TemporaryDirectory(prefix=f".{out_dir.name}.spill-", dir=out_dir.absolute().parent,
                                             ignore_cleanup_errors=True) as name:
                spill = Path(name)
                count = fill_site(out_dir, fill, copies, on_file=progress.advance) + 2 * len(site.stories)
        finally:
            progress.close()
        workers.close()  # what is left is this process's: the workers' memory is given back first
        done, (pages, plans) = prepared[0], counts
        if fresh is not None:
            written = record(out_dir, [*map(output_path, digests), *(copy.path for copy in copies)])
            for name, rows in self._output_tables(checked, done, digests, written, pages).items():
                fresh.add(name, rows)
            fresh.finish(len(written))
        report = BuildReport(out_dir, len(site.stories), pages, count, done.warnings,
                             rendered=pages, data=len(site.stories) + plans - pages)
        self.state = BuildState()  # the story pass leaves no graph to update in memory
        return report

    def _save(self, checked: uptodate.Check, prepared: Prepared, digests: dict[str, str], written: Manifest) -> None:
        """Keep what this build made in the cache, for the next one."""
        tables: dict[str, Any] = {"docs": self.state.content.docs.entries, "markdown": self.state.markdown.entries}
        made = self._graph_tables(checked, prepared, digests)
        output = self._output_tables(checked, prepared, digests, written, prepared.pages)
        for name, rows in [*made.items(), *output.items()]:
            tables[name] = {key: (inputs, value) for key, inputs, value in rows}
        cache.save(self.options.site_dir, tables, checked.snapshot, by_inputs=frozenset({"graph"}),
                   output_files=len(written))

    def _graph_rows(self, prepared: Prepared, digests: dict[str, str], inputs: uptodate.Inputs,
                    rendered: dict[str, RenderedDoc] | None = None, indexes: Indexes | None = None
                    ) -> Iterator[cache.Row]:
        """The graph as cache rows, for a later build that finds only a few stories' texts changed (``_quick``).

        With ``rendered`` and ``indexes``, the story pages were left out of the plans: their groups are made again.
        """
        plans, urls, scan = self.state.plans, self.state.urls, self.state.content.scan
        assert urls is not None and scan is not None
        site = prepared.site
        _, templates = self._environment(prepared.theme)
        head = quick.GraphHead(scan, inputs.scanned_at, inputs.rest, inputs.scanned_at)
        yield "head", (inputs.rest, inputs.scanned_at), head
        yield "site", head.generation, quick.site_of(site, urls, templates)

        def groups() -> Iterator[StoryGroup]:
            assert rendered is not None and indexes is not None
            return story_groups(site, indexes, rendered, prepared.theme, plans.current)

        yield from quick.graph_rows(site, plans, digests, _place, None if rendered is None else groups)
        for url, view in quick.view_rows(plans).items():
            yield f"view:{url}", view, None

    def _quick(self, checked: uptodate.Check, out_dir: Path) -> BuildReport | None:
        """Rebuild from the graph the last build stored when only a few stories' texts changed; None: it cannot.

        Like ``_patch`` in ``serve``, it declines whatever may reach further than the edited
        stories' own pages and lists: a story added, removed or moved, any other file changed,
        any problem (the full build then reports it), a changed output folder.
        """
        snapshot, inputs = checked.snapshot, checked.inputs
        stored = snapshot.rows("graph", ["head", "site"])
        last = snapshot.table("build").get("last")
        if "head" not in stored or "site" not in stored or last is None or not inputs.rest:
            return None
        head: quick.GraphHead = stored["head"][1]
        known: quick.GraphSite = stored["site"][1]
        if stored["site"][0] != head.generation:
            return None
        manifest, story_count, page_count_, warnings = last[1]
        if head.rest != inputs.rest or warnings:
            return None
        candidates = quick.edited_paths(head, inputs.content, uptodate.RACY_SECONDS * 1_000_000_000)
        if (candidates is None or len(candidates) > QUICK_LIMIT
                or not all(rel.lower().endswith(".md") for rel in candidates)):
            return None
        entries: dict[str, quick.StoryEntry] = {key[6:]: row[0] for key, row in
                                                snapshot.rows("graph", [f"story:{r}" for r in candidates]).items()}
        if len(entries) != len(candidates) or checked.output.result() != manifest:
            return None  # a page, a draft or a document with problems changed; or someone changed the output
        site, urls = known.site, known.urls
        theme, problems = load_theme(site.config)
        if problems:
            return None
        lookups = term_lookups(site.units, site.activities)
        old_docs, old_markdown = snapshot.rows("docs", candidates), snapshot.rows("markdown", candidates)
        rows: dict[str, dict[str, Any]] = {"docs": {}, "markdown": {}, "pages": {}, "graph": {}, "search": {}}
        edits: list[tuple[Story, RenderedDoc, Story, RenderedDoc]] = []
        for rel in candidates:
            entry, old_doc, old_md = entries[rel], old_docs.get(rel), old_markdown.get(rel)
            bundle = entry.place[-1]
            doc, found = load_doc(site.config.content_dir, rel, entry.folder, bundle)
            if found or doc is None or old_doc is None or old_doc[1][0] is None or old_md is None:
                return None
            rows["docs"][rel] = (doc_inputs(bundle, True, inputs.content[rel]), (doc, []))
            if doc.digest == old_doc[1][0].digest:
                continue  # saved again unchanged
            story, found = validate_story(doc, *lookups, site.files)
            before, _ = validate_story(old_doc[1][0], *lookups, site.files)
            if found or story is None or before is None or _place(story) != entry.place:
                return None
            result, found = _render_one(story, urls, site.files)
            if found or result.assets != old_md[1][0].assets:
                return None
            rows["markdown"][rel] = (_markdown_inputs(story), (result, []))
            edits.append((story, result, before, old_md[1][0]))
        shown: list[tuple[PagePlan, quick.StoredPage, str | None]] = []
        searched: list[Plan] = []
        if edits:
            planned = self._quick_plans(snapshot, known, theme, edits, entries, rows)
            if planned is None:
                return None
            shown, searched = planned
        plans: list[Plan] = [*(plan for plan, _, _ in shown), *searched]
        digester, common = Digester(), fingerprint(site, theme)
        known_marks = {plan.url: mark for plan, _, mark in shown if mark is not None}
        digests = {p.url: known_marks.get(p.url) or digester.digest(plan_inputs(p, known.templates, common))
                   for p in plans}
        rows["graph"] |= {f"plan:{plan.url}": quick.stored_page(plan, stored.story, digests)
                          for plan, stored, mark in shown if mark is None}
        written_before = snapshot.rows("pages", digests)
        if len(written_before) != len(digests):
            return None
        stale = [p for p in plans if written_before[p.url][0][0] != digests[p.url]]
        # Compiled templates are kept beside the cache: compiling them is most of a small rebuild's work.
        env = theme.environment(jinja2.FileSystemBytecodeCache(str(cache.cache_path(self.options.site_dir).parent)))
        files = [(f.path, f.data) for f in render_pages(stale, site, theme, env)]
        count = sync_site(out_dir, files, [], [], {})
        written = record(out_dir, [path for path, _ in files])
        rows["pages"] = {p.url: ((digests[p.url], *written[output_path(p.url)]), None) for p in stale}
        rows["graph"]["head"] = ((inputs.rest, inputs.scanned_at),
                                 dataclasses.replace(head, scan=inputs.content, scanned_at=inputs.scanned_at))
        built = uptodate.LastBuild(story_count, page_count_, ())
        rows["build"] = {"last": uptodate.remember(inputs, built, manifest | written)}
        cache.patch(self.options.site_dir, rows)
        return BuildReport(out_dir, story_count, page_count_, count, (), rendered=page_count(stale),
                           data=len(stale) - page_count(stale), patched=True)

    def _quick_plans(self, snapshot: cache.Snapshot, known: quick.GraphSite, theme: Theme,
                     edits: list[tuple[Story, RenderedDoc, Story, RenderedDoc]],
                     entries: dict[str, quick.StoryEntry], rows: dict[str, dict[str, Any]]
                     ) -> tuple[list[tuple[PagePlan, quick.StoredPage, str | None]], list[Plan]] | None:
        """Plan the pages and search files showing the edited stories from the stored groups; None: some are missing."""
        site, urls = known.site, known.urls
        links = term_links(site)
        views = {story.url: story_view(story, site, result, urls, theme.text, links) for story, result, _, _ in edits}
        urls_shown = sorted({url for story, _, _, _ in edits for url in entries[story.source_path].pages})
        stored = {key[5:]: row for key, row in snapshot.rows("graph", [f"plan:{url}" for url in urls_shown]).items()}
        if len(stored) != len(urls_shown):
            return None
        edited = {story.source_path: result for story, result, _, _ in edits}
        referred = sorted({url for _, page in stored.values() for url in page.views} - views.keys())
        found = {key[5:]: row[0] for key, row in snapshot.rows("graph", [f"view:{url}" for url in referred]).items()}
        if len(found) != len(referred):
            return None
        rows["graph"] |= {f"view:{url}": (view, None) for url, view in views.items()}
        shown = {page.story for _, page in stored.values() if page.story is not None}
        others = snapshot.rows("markdown", shown - edited.keys())
        bodies = {path: edited[path].html if path in edited else others[path][1][0].html
                  for path in shown if path in edited or path in others}
        if len(bodies) != len(shown):
            return None
        pages = quick.restore_pages(stored, {**found, **views}, set(views), bodies)
        search_head = snapshot.rows("search", ["head"]).get("head")
        if search_head is None or search_head[0] != (FORMAT,):
            return None

        def shards(numbers: set[int]) -> dict[int, ShardRow]:
            found = snapshot.rows("search", [f"shard:{n}" for n in numbers])
            return {int(key[6:]): row[1] for key, row in found.items()}

        patched = searchplan.patch_saved(
            search_head[1], shards, [(story, searchplan.doc_text(before, old)) for story, _, before, old in edits],
            edited, site, theme)
        if patched is None:
            return None
        searched, saved, changed = patched
        rows["search"] = {"head": ((FORMAT,), saved)}
        rows["search"] |= {f"shard:{n}": ((FORMAT,), row) for n, row in changed.items()}
        return pages, searched

    def _digests(self, site: Site, theme: Theme, plans: Iterable[Plan]) -> dict[str, str]:
        """Fingerprint each page's inputs: its template (with those it uses), the site-wide context, its own."""
        _, templates = self._environment(theme)
        digester, common = Digester(), fingerprint(site, theme)
        return {p.url: digester.digest(plan_inputs(p, templates, common)) for p in plans}

    def _write_fresh(self, out_dir: Path, prepared: Prepared, jobs: int) -> tuple[int, Manifest]:
        """Render every page into a new folder that then replaces the output folder whole."""
        progress = Progress(len(prepared.plans) + len(prepared.copies), "构建", enabled=self.options.progress)
        try:
            def fill(staging: Path) -> Iterator[str]:
                # Workers write their pages themselves: rendering and disk writes overlap across processes.
                # Each worker keeps the templates it compiled for its next batches.
                shared = (prepared.plans, prepared.site, prepared.theme, staging, CompiledTemplates())
                return map_chunks(_render_into, shared, range(len(prepared.plans)), jobs)

            count = fill_site(out_dir, fill, prepared.copies, on_file=progress.advance)
        finally:
            progress.close()
        self.state.copies = {}
        if not self.options.cache:
            return count, {}  # the file list serves only the cache
        paths = [*(output_path(p.url) for p in prepared.plans), *(c.path for c in prepared.copies)]
        return count, record(out_dir, paths)

    def _write_changes(self, out_dir: Path, prepared: Prepared, stale: list[Plan], gone: list[str],
                       found: Manifest, jobs: int) -> tuple[int, Manifest]:
        """Render the stale pages, update the output folder in place, remove what the site no longer has.

        ``found`` is what the folder held before; the result is what it holds after (for the cache).
        """
        # Everything is rendered before anything is written: a template error leaves the folder untouched.
        shared = (stale, prepared.site, prepared.theme, CompiledTemplates())
        files = list(map_chunks(_render_plans, shared, range(len(stale)), jobs))
        count = sync_site(out_dir, files, prepared.copies, gone, self.state.copies)
        copies = [c.path for c in prepared.copies]
        keep = {output_path(p.url) for p in prepared.plans} | set(copies)
        stray = sorted(found.keys() - keep - set(gone))
        remove_files(out_dir, stray)
        now = {path: found[path] for path in keep if path in found}
        return count + len(stray), now | record(out_dir, [*(path for path, _ in files), *copies])

    def _restore(self, snapshot: cache.Snapshot) -> None:
        """Start from what the last build left in the cache, minus files changed too recently to trust."""
        # A file saved in the same instant as the cache may keep its time and size yet differ.
        racy_ns = int((snapshot.saved_at - 2) * 1e9)
        docs = snapshot.table("docs")
        self.state.content.docs.entries = {k: v for k, v in docs.items() if v[0][0][0] < racy_ns}
        self.state.markdown.entries = dict(snapshot.table("markdown"))
        self.state.content.docs.reset_sources()
        self.state.markdown.reset_sources()
        self.state.copies = {path: entry[0] for path, entry in snapshot.table("copies").items()}
        rows = snapshot.table("search")
        head = rows.get("head")
        if head is not None and head[0] == (FORMAT,):
            # Patched for what changed instead of built afresh (stories are compared by fingerprint).
            shards = {int(key[6:]): value for key, (_, value) in rows.items() if key.startswith("shard:")}
            if len(shards) == 1 << head[1].head.bits:  # else the index is built afresh
                searchplan.restore(self.state.search, head[1], shards)

    def _graph_tables(self, checked: uptodate.Check, prepared: Prepared, digests: dict[str, str]
                      ) -> dict[str, Iterable[cache.Row]]:
        """The planned graph and the search index, as cache rows for the next build (made as they are read)."""
        inputs = checked.inputs
        return {"search": self._search_rows(),
                "graph": self._graph_rows(prepared, digests, inputs) if inputs.rest else ()}

    def _output_tables(self, checked: uptodate.Check, prepared: Prepared, digests: dict[str, str],
                       written: Manifest, pages: int) -> dict[str, Iterable[cache.Row]]:
        """What this build wrote (``pages`` of its files are pages), as cache rows for the next one."""
        state, inputs = self.state, checked.inputs
        built = uptodate.LastBuild(len(prepared.site.stories), pages, prepared.warnings)
        last_row = uptodate.remember(inputs, built, written)
        page_rows = ((url, (digest, *written[output_path(url)]), None) for url, digest in digests.items()
                     if output_path(url) in written)
        copies = [(path, signature, None) for path, signature in state.copies.items()]
        if not copies:  # a fresh output folder: note what was copied, to copy only changes next time
            stats = {c.path: c.source.stat() for c in prepared.copies}
            copies = [(path, (info.st_mtime_ns, info.st_size), None) for path, info in stats.items()]
        return {"pages": page_rows, "copies": copies, "build": [("last", *last_row)]}

    def _search_rows(self) -> Iterator[cache.Row]:
        """The search index as cache rows: a shard read back and not changed since is the very row read."""
        state = self.state.search
        index, version = state.index, (FORMAT,)
        yield "head", version, searchplan.saved_search(state)
        for shard in range(1 << index.bits):
            row = state.rows.get(shard) if shard not in index.dirty else None
            yield f"shard:{shard}", version, row if row is not None else index.shard_row(shard)

    def update(self, out_dir: Path, changed: Iterable[str] | None = None) -> BuildReport:
        """Bring a folder up to date in place, rendering and writing only pages whose inputs changed."""
        check_output_dir(out_dir, self.options.site_dir)
        prepared = self.prepare(changed)
        env, digests = self._environment(prepared.theme)
        state = self.state
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
        files = [(f.path, f.data) for f in render_pages(stale, prepared.site, prepared.theme, env)]
        removed = [output_path(url) for url in state.pages.keys() - current.keys()]
        count = sync_site(out_dir, files, prepared.copies, removed, state.copies)
        state.pages = current
        return BuildReport(out_dir, len(prepared.site.stories), prepared.pages, count, prepared.warnings,
                           rendered=page_count(stale), data=len(stale) - page_count(stale))


def prepare(options: BuildOptions) -> Prepared:
    """Load, check and plan the whole site without writing anything; raise SiteError on errors."""
    return Builder(options).prepare()


def build(options: BuildOptions, checked: uptodate.Check | None = None) -> BuildReport:
    """Build the site into the output folder; raise SiteError on errors (the folder is then untouched).

    ``checked`` is the look at the inputs the caller took already (see ``uptodate.check``).
    """
    return Builder(options).build(checked)
