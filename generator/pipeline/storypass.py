"""The story pass of a build written afresh: each worker takes a run of stories and does all their own work.

For each story a worker reads its body (the build loaded only the front matter), renders
the Markdown, fills the story page's template, makes the story's search file, writes both
into the folder being filled and adds the story's tokens to the postings of its run. It
hands back only what the rest of the build needs: the excerpt, links and files the text
uses, problems and fingerprints. The run's postings go to a file, grouped by index shard;
the workers then write the shards, each group merged from its block of every run's file.
So no process ever holds every story's HTML, text or postings (at 50,000 stories that was
most of a gigabyte), and none of it crosses between processes.

A story page needs no other story's Markdown: it shows its neighbours' titles and URLs
only (``views.Neighbour``), which are known before any text is rendered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.content.load import read_body
from generator.content.model import Site
from generator.core.digest import Digester
from generator.core.errors import Problem
from generator.core.spill import Blocks, read_block, write_blocks
from generator.pipeline.journey import Item, StoryTools, story_outputs
from generator.render.markdown import RenderedDoc, make_parser
from generator.render.pages import render_pages
from generator.render.plans import Plan, plan_inputs
from generator.render.theme import CompiledTemplates, Theme
from generator.render.urls import SiteUrls, output_path
from generator.render.views import term_links
from generator.render.write import Filling
from generator.search.files import encode_shard
from generator.search.index import ShardRow
from generator.search.plan import shard_groups, shard_plan
from generator.search.postings import PostingsRun, ShardRows, merge_shard
from generator.search.shards import shard_bits

RUN_STORIES = 2000
"""At most this many stories a run: a worker holds the postings of one run at a time."""
RUN_KEPT = 250
"""At most this many a run when the pass hands back each story's HTML and text too (for the cache)."""


@dataclass(frozen=True)
class StoryJob:
    """What every worker of the story pass gets from the build, once (see ``job``)."""

    site: Site
    """The site without its stories: each worker gets its own stories with its runs."""
    count: int
    """How many stories the site has."""
    urls: SiteUrls
    theme: Theme
    compiled: CompiledTemplates
    staging: Path
    """The folder being filled."""
    spill: Path
    """A folder for the runs' search postings (see ``spill``)."""
    inputs: tuple[Mapping[str, str], Any] | None = None
    """Template fingerprints and what every page shows, to fingerprint each file for the cache; None: no cache."""
    keep: bool = False
    """Hand back each story's HTML and text too (for the cache)."""

    @property
    def wide(self) -> bool:
        """Whether story ids need four bytes (as ``index.SearchIndex`` decides)."""
        return self.count > 0xFFFF


def job(site: Site, urls: SiteUrls, theme: Theme, staging: Path, spill: Path,
        inputs: tuple[Mapping[str, str], Any] | None, keep: bool) -> StoryJob:
    """The job of a story pass: what the workers need of the site is small, and sent to each of them pickled."""
    return StoryJob(dataclasses.replace(site, stories=()), len(site.stories), urls, theme, CompiledTemplates(),
                    staging, spill, inputs, keep)


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What the build keeps of one story after the pass."""

    rendered: RenderedDoc
    """Only the excerpt and assets unless the job keeps everything."""
    problems: list[Problem]
    search_mark: str
    """Fingerprint of the story's search file (part of the search data's version)."""
    text_mark: bytes
    """Fingerprint of what its tokens are made from (``tokens.text_mark``)."""
    page_digest: str | None = None
    """Fingerprint of its page's inputs (``plan.plan_inputs``), for the cache."""
    data_digest: str | None = None
    """Fingerprint of its search file's inputs, for the cache."""


@dataclass(frozen=True)
class StoryRun:
    """The results of a run of consecutive stories, by id (oldest first), and where their postings are."""

    first: int
    stories: list[StoryResult]
    postings: Blocks
    """The run's postings by group of index shards (``search.plan.shard_groups``), in the spill folder."""




def light(rendered: RenderedDoc) -> RenderedDoc:
    """What the build needs of a story's rendering beside its page and search file: the excerpt and files used."""
    return dataclasses.replace(rendered, html="", text="", links=(), lookups=())


def run_stories(job: StoryJob, run: Sequence[Item]) -> list[StoryRun]:
    """Render and write a run of stories with consecutive ids (a worker's chunk), one at a time."""
    if not run:
        return []
    site, theme = job.site, job.theme
    digester, postings = Digester(), PostingsRun(job.wide)
    tools = StoryTools(site, job.urls, theme, term_links(site), make_parser())
    results: list[StoryResult] = []

    def plans() -> Iterator[Plan]:
        # Plans are made one story at a time as the renderer asks for them: only one story's
        # HTML and text exist at once.
        for item in run:
            doc_id, story = item[0], item[1]
            body, problems = read_body(site.config.content_dir, story.source_path, story.source_digest)
            rendered, found, made = story_outputs(tools, item, body or "")
            text, data, search_mark = made.search
            postings.add(doc_id, text)
            page_digest = data_digest = None
            if job.inputs is not None:
                templates, common = job.inputs
                page_digest = digester.digest(plan_inputs(made.page, templates, common))
                data_digest = digester.digest(plan_inputs(data, templates, common))
            kept = rendered if job.keep else light(rendered)
            results.append(StoryResult(kept, problems + found, search_mark, text.mark, page_digest, data_digest))
            yield made.page
            yield data

    filling = Filling(job.staging)
    for file in render_pages(plans(), site, theme, theme.environment(job.compiled)):
        filling.put(file.path, file.data)
    bits = shard_bits(job.count)
    rows, size = postings.by_shard(bits), (1 << bits) // shard_groups(bits)
    blocks = ({shard: rows[shard] for shard in range(group * size, (group + 1) * size) if shard in rows}
              for group in range(shard_groups(bits)))
    return [StoryRun(run[0][0], results, write_blocks(job.spill / f"{run[0][0]}.postings", blocks))]


@dataclass(frozen=True)
class ShardJob:
    """What every worker writing the index shards gets, once: where each run's postings are."""

    runs: tuple[Blocks, ...]
    """Each run's postings (``StoryRun.postings``), in id order."""
    count: int
    """How many stories the site has."""
    staging: Path
    inputs: tuple[Mapping[str, str], Any] | None = None
    """As in ``StoryJob``."""
    keep: bool = False
    """Hand back each shard as the build cache keeps it."""


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What the build keeps of one index shard once it is written."""

    mark: str
    """Fingerprint of the shard's file (part of the search data's version)."""
    data_digest: str | None
    """Fingerprint of its inputs, for the cache."""
    row: ShardRow | None
    """The shard as the build cache keeps it; None without the cache."""


def write_shards(job: ShardJob, groups: Sequence[int]) -> list[ShardResult]:
    """Merge the runs' postings of groups of shards, encode and write each shard (a worker's chunk)."""
    bits = shard_bits(job.count)
    typecode, size = "I" if job.count > 0xFFFF else "H", (1 << bits) // shard_groups(bits)
    filling, digester = Filling(job.staging), Digester()
    results: list[ShardResult] = []
    for group in groups:
        blocks: list[ShardRows] = [read_block(run, group) for run in job.runs]
        for shard in range(group * size, (group + 1) * size):
            postings = merge_shard(typecode, (block.get(shard, ()) for block in blocks))
            payload = encode_shard(postings)
            plan, mark = shard_plan(shard, bits, payload)
            filling.put(output_path(plan.url), plan.make(plan.context))
            data_digest = None
            if job.inputs is not None:
                templates, common = job.inputs
                data_digest = digester.digest(plan_inputs(plan, templates, common))
            row = ({token: (every, title) for token, every, title in postings[1]}, payload) if job.keep else None
            results.append(ShardResult(mark, data_digest, row))
    return results
