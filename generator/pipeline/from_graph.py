"""The stored-graph mode: a build in a new process after edits to a few stories' texts.

Reads only what shows the edited stories from the graph the last build stored (its entry,
the stored plans of the pages that show it, their Markdown bodies, the search shards of the
tokens it gained or lost), renders and writes only the pages whose fingerprint changed, and
patches those rows into the cache. Like the serve patch it declines (``fallback``) whatever
may reach further: a story added, removed or moved, any other file changed, any error (the
full build then reports it), a changed output folder. Its warnings are the last build's with
the edited stories' own replaced and the site-wide ones found again from the stored index of
titles and links into headings (``render.checks``). It reads everything before it writes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial
from typing import Any

import jinja2

from generator.content.checks import TitleEntry, doc_checks
from generator.content.load import doc_inputs, load_doc
from generator.content.model import Story
from generator.content.validate import term_lookups, validate_story
from generator.core.digest import Digester
from generator.core.errors import Problem, fails, has_errors, sort_problems
from generator.incremental import store, uptodate
from generator.incremental import stored_graph as graph
from generator.pipeline.fallback import (
    EDITS_AT_MOST,
    require_markdown,
    require_no_errors,
    require_same_files,
    require_same_place,
)
from generator.pipeline.journey import markdown_inputs, render_one
from generator.pipeline.mode import Job, require
from generator.pipeline.options import BuildReport
from generator.pipeline.state import BuildState
from generator.pipeline.writers import render_files
from generator.render.checks import CheckIndex, patch_index, patched_problems
from generator.render.markdown import RenderedDoc
from generator.render.pages import fingerprint
from generator.render.plans import PagePlan, Plan, page_count, plan_inputs
from generator.render.theme import Theme, load_theme
from generator.render.urls import output_path
from generator.render.views import story_view, term_links
from generator.render.write import record, sync_site
from generator.search.files import FORMAT as SEARCH_FORMAT
from generator.search.index import ShardRow
from generator.search.plan import doc_text, patch_saved

Rows = dict[str, dict[str, Any]]
StoryEdit = tuple[Story, RenderedDoc, Story, RenderedDoc]
"""An edited story and its new rendering, and the same before the edit."""
Shown = list[tuple[PagePlan, graph.StoredPage, str | None]]
"""Each page that shows an edited story, its stored row, and its stored fingerprint when it shows no edit."""


@dataclass(frozen=True)
class Stored:
    """What the last build stored that this one starts from."""

    snapshot: store.Snapshot
    head: graph.GraphHead
    known: graph.GraphSite
    last: tuple[Any, int, int, Any, str | None]
    """The file list, story and page counts, warnings of the last build, and until when they hold."""
    candidates: list[str]
    """The sources that may have changed, in the order the content scan lists them."""
    entries: dict[str, graph.StoryEntry]
    """Each of their entries in the graph."""
    index: CheckIndex
    """What the site-wide checks looked at (``render.checks``)."""


def _stored(job: Job) -> Stored:
    """The stored graph and the edited stories' entries; decline unless only a few stories' texts changed."""
    checked = job.checked
    require(checked is not None and job.options.cache and checked.snapshot.usable, "no usable cache")
    assert checked is not None
    snapshot, inputs = checked.snapshot, checked.inputs
    stored = snapshot.rows("graph", ["head", "site", "checks"])
    last = snapshot.table("build").get("last")
    require("head" in stored and "site" in stored and "checks" in stored and last is not None and inputs.rest,
            "no stored graph")
    assert last is not None
    head: graph.GraphHead = stored["head"][1]
    require(stored["site"][0] == head.generation, "the stored graph is incomplete")
    require(head.rest == inputs.rest, "site.yaml, the theme or the options changed")
    until = last[1][4]
    require(until is None or job.options.date().isoformat() < until, "a story's date has come: its warning goes")
    candidates = graph.edited_paths(head, inputs.content, uptodate.RACY_SECONDS * 1_000_000_000)
    require(candidates is not None and len(candidates) <= EDITS_AT_MOST, "files were added or removed, or many edited")
    assert candidates is not None
    require_markdown(candidates)
    entries = {key[6:]: row[0] for key, row in snapshot.rows("graph", [f"story:{r}" for r in candidates]).items()}
    require(len(entries) == len(candidates), "a page, a draft or a document with problems changed")
    require(checked.output.result() == last[1][0], "someone changed the output folder")
    return Stored(snapshot, head, stored["site"][1], last[1], candidates, entries, stored["checks"][0])


def _edits(job: Job, stored: Stored, rows: Rows) -> tuple[list[StoryEdit], list[Problem], dict[str, TitleEntry]]:
    """Read and render the edited stories again (their rows go into ``rows``); decline at any error or move.

    Also returns the edited stories' own problems (warnings) and their titles as the duplicate check sees them.
    """
    site, urls, content = stored.known.site, stored.known.urls, stored.snapshot
    assert job.checked is not None
    lookups = term_lookups(site.units, site.activities)
    old_docs, old_markdown = content.rows("docs", stored.candidates), content.rows("markdown", stored.candidates)
    edits: list[StoryEdit] = []
    own: list[Problem] = []
    titles: dict[str, TitleEntry] = {}
    for rel in stored.candidates:
        entry, old_doc, old_md = stored.entries[rel], old_docs.get(rel), old_markdown.get(rel)
        bundle = entry.place[-1]
        doc, loaded = load_doc(site.config.content_dir, rel, entry.folder, bundle)
        require_no_errors(loaded, rel)
        require(doc is not None and old_doc is not None and old_doc[1][0] is not None and old_md is not None,
                f"{rel} could not be read, or the cache lacks its rows")
        assert doc is not None and old_doc is not None and old_md is not None
        rows["docs"][rel] = (doc_inputs(bundle, True, job.checked.inputs.content[rel]), (doc, loaded))
        if doc.digest == old_doc[1][0].digest:
            continue  # saved again unchanged
        story, validated = validate_story(doc, *lookups, site.files, site.lint)
        before, _ = validate_story(old_doc[1][0], *lookups, site.files)
        require_no_errors(validated, rel)
        require(isinstance(story, Story) and isinstance(before, Story), f"{rel} is no longer a published story")
        require_same_place(story, entry.place, rel)
        assert isinstance(story, Story) and isinstance(before, Story)
        result, rendered = render_one(story, urls, site.files, site.lint)
        require_no_errors(rendered, rel)
        require_same_files(result, old_md[1][0], rel)
        rows["markdown"][rel] = (markdown_inputs(story, site.lint), (result, rendered))
        edits.append((story, result, before, old_md[1][0]))
        own += [*loaded, *validated, *doc_checks(doc, story, job.options.date()), *rendered]
        titles[rel] = (rel, doc.meta.line_of("title"), story.title)
    return edits, own, titles


def _pages_showing(stored: Stored, theme: Theme, edits: list[StoryEdit], rows: Rows) -> Shown:
    """The stored plans of the pages showing the edited stories, with their new views in place."""
    site, urls, snapshot = stored.known.site, stored.known.urls, stored.snapshot
    links = term_links(site)
    views = {story.url: story_view(story, site, result, urls, theme.text, links) for story, result, _, _ in edits}
    urls_shown = sorted({url for story, _, _, _ in edits for url in stored.entries[story.source_path].pages})
    rows_of = {key[5:]: row for key, row in snapshot.rows("graph", [f"plan:{url}" for url in urls_shown]).items()}
    require(len(rows_of) == len(urls_shown), "the cache lacks a stored page")
    edited = {story.source_path: result for story, result, _, _ in edits}
    referred = sorted({url for _, page in rows_of.values() for url in page.views} - views.keys())
    found = {key[5:]: row[0] for key, row in snapshot.rows("graph", [f"view:{url}" for url in referred]).items()}
    require(len(found) == len(referred), "the cache lacks a stored view")
    rows["graph"] |= {f"view:{url}": (view, None) for url, view in views.items()}
    shown = {page.story for _, page in rows_of.values() if page.story is not None}
    others = snapshot.rows("markdown", shown - edited.keys())
    bodies = {path: edited[path].html if path in edited else others[path][1][0].html
              for path in shown if path in edited or path in others}
    require(len(bodies) == len(shown), "the cache lacks a stored body")
    return graph.restore_pages(rows_of, {**found, **views}, set(views), bodies)


def _search_files(stored: Stored, theme: Theme, edits: list[StoryEdit], rows: Rows) -> list[Plan]:
    """The search files the edits change, from the stored index shards they touch."""
    snapshot, site = stored.snapshot, stored.known.site
    search_head = snapshot.rows("search", ["head"]).get("head")
    require(search_head is not None and search_head[0] == (SEARCH_FORMAT,), "no stored search index")
    assert search_head is not None

    def shards(numbers: set[int]) -> dict[int, ShardRow]:
        found = snapshot.rows("search", [f"shard:{n}" for n in numbers])
        return {int(key[6:]): row[1] for key, row in found.items()}

    edited = {story.source_path: result for story, result, _, _ in edits}
    patched = patch_saved(search_head[1], shards,
                          [(story, doc_text(before, old)) for story, _, before, old in edits], edited, site, theme)
    require(patched is not None, "the stored search index cannot be patched")
    assert patched is not None
    searched, saved, changed = patched
    rows["search"] = {"head": ((SEARCH_FORMAT,), saved)}
    rows["search"] |= {f"shard:{n}": ((SEARCH_FORMAT,), row) for n, row in changed.items()}
    return searched


def _digests(stored: Stored, theme: Theme, shown: Shown, searched: list[Plan], rows: Rows) -> dict[str, str]:
    """Each planned file's fingerprint: the stored one for pages that show no edit."""
    site, templates = stored.known.site, stored.known.templates
    digester, common = Digester(), fingerprint(site, theme)
    known_marks = {plan.url: mark for plan, _, mark in shown if mark is not None}
    plans: list[Plan] = [*(plan for plan, _, _ in shown), *searched]
    digests = {p.url: known_marks.get(p.url) or digester.digest(plan_inputs(p, templates, common)) for p in plans}
    rows["graph"] |= {f"plan:{plan.url}": graph.stored_page(plan, page.story, digests)
                      for plan, page, mark in shown if mark is None}
    return digests


def build(job: Job, state: BuildState) -> BuildReport:
    """Patch the output and the cache for a few edited stories' texts; decline when the edits reach further."""
    stored = _stored(job)
    theme, problems = load_theme(stored.known.site.config)
    require(not has_errors(problems), "the theme has an error")  # its warnings are the last build's
    rows: Rows = {"docs": {}, "markdown": {}, "pages": {}, "graph": {}, "search": {}}
    edits, own, titles = _edits(job, stored, rows)
    warnings: tuple[Problem, ...] = stored.last[3]
    if edits:
        changes = [(story.source_path, titles[story.source_path], result, before.title, was)
                   for story, result, before, was in edits]
        index = patch_index(stored.index, changes, partial(_anchors, stored.snapshot))
        warnings = tuple(sort_problems(patched_problems(warnings, stored.index, index, changes, own)))
        require(not fails(warnings, job.options.strict), "strict, and an edit has a warning")
        rows["graph"]["checks"] = (index, None)
    shown: Shown = _pages_showing(stored, theme, edits, rows) if edits else []
    searched = _search_files(stored, theme, edits, rows) if edits else []
    digests = _digests(stored, theme, shown, searched, rows)
    written_before = stored.snapshot.rows("pages", digests)
    require(len(written_before) == len(digests), "the cache lacks a written page")
    plans: list[Plan] = [*(plan for plan, _, _ in shown), *searched]
    stale = [p for p in plans if written_before[p.url][0][0] != digests[p.url]]
    return _write(job, stored, theme, stale, digests, rows, warnings)


def _anchors(snapshot: store.Snapshot, path: str) -> tuple[str, ...] | None:
    """The heading ids of a document the edits did not touch, from its stored Markdown; None: not stored."""
    row = snapshot.rows("markdown", [path]).get(path)
    return None if row is None else row[1][0].anchors


def _write(job: Job, stored: Stored, theme: Theme, stale: list[Plan], digests: dict[str, str],
           rows: Rows, warnings: tuple[Problem, ...]) -> BuildReport:
    """Render and write the stale files, then patch the cache's rows: nothing is written before this."""
    assert job.checked is not None
    inputs, site_dir, out_dir = job.checked.inputs, job.options.site_dir, job.out_dir
    site = stored.known.site
    # Compiled templates are kept beside the cache: compiling them is most of a small rebuild's work.
    env = theme.environment(jinja2.FileSystemBytecodeCache(str(store.cache_path(site_dir).parent)))
    files = render_files(stale, site, theme, env)
    count = sync_site(out_dir, files, [], [], {})
    written = record(out_dir, [path for path, _ in files])
    rows["pages"] = {p.url: ((digests[p.url], *written[output_path(p.url)]), None) for p in stale}
    rows["graph"]["head"] = ((inputs.rest, inputs.scanned_at),
                             dataclasses.replace(stored.head, scan=inputs.content, scanned_at=inputs.scanned_at))
    manifest, story_count, pages, _, until = stored.last
    built = uptodate.LastBuild(story_count, pages, warnings, until)
    rows["build"] = {"last": uptodate.remember(inputs, built, manifest | written)}
    store.patch(site_dir, rows)
    return BuildReport(out_dir, story_count, pages, count, warnings, rendered=page_count(stale),
                       data=len(stale) - page_count(stale))
