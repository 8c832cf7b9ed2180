"""The serve patch: prepare again after edits to a few Markdown sources that move no document.

Only the edited documents are read, checked and rendered again; the new versions are swapped
into the last run's site and indexes (``indexes.swap``) and ``plan.replan`` plans only the
groups that show them. It declines (``fallback``) whenever the edits may reach further:
another kind of file changed, a document was added, removed or moved, the theme's files or
site.yaml changed, or an edit has an error to report (the full path reports them all). The
run's warnings are the last run's with the edited documents' own replaced and the site-wide
ones found again from the patched index (``render.checks.patched_problems``).
Everything is worked out before the state is touched, so a decline leaves it as it was.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from generator.content.checks import TitleEntry, doc_checks
from generator.content.config import SiteConfig, load_config
from generator.content.load import Loaded, doc_inputs, load_doc, rescan
from generator.content.model import Page, Story
from generator.content.validate import revalidate
from generator.core.errors import Problem, fails, has_errors, sort_problems
from generator.core.memo import stable
from generator.pipeline.fallback import (
    place,
    require_markdown,
    require_no_errors,
    require_same_files,
    require_same_place,
)
from generator.pipeline.journey import Made, StoryTools, journeys, markdown_inputs, render_one
from generator.pipeline.mode import Job, require
from generator.pipeline.options import Prepared
from generator.pipeline.state import BuildState, LastRun
from generator.render.checks import CheckIndex, patch_index, patched_problems
from generator.render.indexes import swap
from generator.render.plan import replan
from generator.render.theme import Theme, load_theme
from generator.render.views import term_links
from generator.search.plan import plan_search


@dataclass(frozen=True)
class Edit:
    """One edited document, read, checked and rendered again, not yet swapped in."""

    rel: str
    inputs: tuple[object, ...]
    """What the loaded document depends on (``load.doc_inputs``)."""
    loaded: Loaded
    """What the content stage read (kept in its table once the patch is applied)."""
    doc: Story | Page
    old: Story | Page
    place: int
    """Its position in the site's stories or pages."""
    made: Made
    problems: list[Problem]
    """Its own problems (warnings: an error declines): loading, checking, rendering."""
    title: TitleEntry
    """Its title as the duplicate check sees it."""


def _settings(job: Job, last: LastRun, scan: dict[str, tuple[int, int]]) -> tuple[SiteConfig, Theme,
                                                                                   dict[str, tuple[int, int]]]:
    """site.yaml, the theme and the content scan, declining if anything but the edited files changed."""
    config, problems = load_config(job.options.site_dir)
    # Unchanged, it has the same warnings as last time, which the last run's warnings hold.
    require(not has_errors(problems) and config == last.prepared.config, "site.yaml changed")
    assert job.changed is not None
    rescanned = rescan(config.content_dir, scan, job.changed)
    require(rescanned is not None and len(rescanned) == len(scan), "a file was added or removed")
    assert rescanned is not None
    theme, problems = load_theme(config)
    require(not has_errors(problems) and theme.static_files() == last.static, "the theme's files changed")
    return config, theme, rescanned


def _edit(state: BuildState, last: LastRun, job: Job, scan: dict[str, tuple[int, int]], rel: str) -> Edit:
    """Read, check and render one edited document again, declining if it may reach further than its pages."""
    assert last.folders is not None and last.places is not None and state.urls is not None
    require(rel in last.folders and rel in last.places, f"{rel} is not a published document")
    folder, bundle = last.folders[rel]
    loaded = load_doc(last.prepared.config.content_dir, rel, folder, bundle)
    source, found = loaded
    require_no_errors(found, rel)
    require(source is not None, f"{rel} could not be read")
    assert source is not None
    checked, validated = revalidate(source, state.validation)
    require_no_errors(validated, rel)
    require(checked is not None, f"{rel} is no longer published")
    site = last.prepared.site
    position = last.places[rel]
    old: Story | Page = site.stories[position] if isinstance(checked, Story) else site.pages[position]
    require(old.source_path == rel, f"{rel} moved in the site's lists")
    require_same_place(checked, place(old), rel)
    assert checked is not None
    inputs = markdown_inputs(checked, site.lint)
    # A text saved again unchanged is not rendered again.
    made = state.markdown.entries[rel][1] if state.markdown.valid(rel, inputs) else render_one(
        checked, state.urls, site.files, site.lint)
    require_no_errors(made[1], rel)
    require_same_files(made[0], last.rendered[rel], rel)
    own = [*found, *validated, *doc_checks(source, checked, job.options.date()), *made[1]]
    return Edit(rel, doc_inputs(bundle, True, scan[rel]), loaded, checked, old, position, made, own,
                (rel, source.meta.line_of("title"), checked.title))


def _know_documents(last: LastRun, markdown_files: list[tuple[str, str, str | None]]) -> None:
    """Make the last run's lookups by source path, once: a derived table, whatever the patch decides."""
    if last.folders is None:
        last.folders = {rel: (folder, bundle) for rel, folder, bundle in markdown_files}
    if last.places is None:
        site = last.prepared.site
        last.places = {doc.source_path: index for index, doc in enumerate(site.stories)}
        last.places |= {doc.source_path: index for index, doc in enumerate(site.pages)}


def prepare(job: Job, state: BuildState) -> Prepared:
    """Prepare again from the last run for a few edited Markdown sources; decline when the edits reach further."""
    last, content, changed = state.last, state.content, job.changed
    require(changed, "the changed files are not known")
    require(last is not None and last.prepared.index is not None, "no last run to start from")
    require(content.scan is not None and content.markdown_files is not None and state.urls is not None,
            "no content scan to start from")
    assert last is not None and content.scan is not None and content.markdown_files is not None and changed
    require(last.prepared.until is None or job.options.date().isoformat() < last.prepared.until,
            "a story's date has come: its warning no longer holds")
    require_markdown(changed, content.scan)
    config, theme, scan = _settings(job, last, content.scan)
    _know_documents(last, content.markdown_files[1])
    edits = [_edit(state, last, job, scan, rel) for rel in changed]
    old, rendered = last.prepared.index, last.rendered
    assert old is not None
    changes = [(e.rel, e.title, e.made[0], e.old.title, rendered[e.rel]) for e in edits]
    index = patch_index(old, changes, lambda path: rendered[path].anchors if path in rendered else None)
    own = [problem for edit in edits for problem in edit.problems]
    warnings = patched_problems(last.prepared.warnings, old, index, changes, own)
    require(not fails(warnings, job.options.strict), "strict, and an edit has a warning")
    return _apply(state, last, config, theme, scan, edits, (index, tuple(sort_problems(warnings))))


def _apply(state: BuildState, last: LastRun, config: SiteConfig, theme: Theme, scan: dict[str, tuple[int, int]],
           edits: list[Edit], checked: tuple[CheckIndex, tuple[Problem, ...]]) -> Prepared:
    """Swap the edits into the last run's site, plan what shows them, and keep the result in the state."""
    content, urls = state.content, state.urls
    assert urls is not None
    content.forget(edit.rel for edit in edits)
    content.scan = scan
    site = last.prepared.site
    stories, pages = list(site.stories), list(site.pages)
    rendered, indexes = dict(last.rendered), last.indexes
    for edit in edits:
        content.docs.store(edit.rel, edit.inputs, edit.loaded)
        inputs = markdown_inputs(edit.doc, site.lint)
        if not state.markdown.valid(edit.rel, inputs):
            state.markdown.store(edit.rel, inputs, edit.made)
        rendered[edit.rel] = edit.made[0]
        if isinstance(edit.doc, Story):
            assert isinstance(edit.old, Story)
            stories[edit.place] = edit.doc
            indexes = swap(indexes, edit.old, edit.doc)
        else:
            pages[edit.place] = edit.doc
    site = dataclasses.replace(site, stories=tuple(stories), pages=tuple(pages))
    state.theme = theme = stable(state.theme, theme)
    edited = [edit.doc for edit in edits]
    tools = StoryTools(site, urls, theme, term_links(site))
    made = journeys(tools, indexes, rendered, state.journeys, [doc for doc in edited if isinstance(doc, Story)])
    planned = replan(site, indexes, rendered, theme, state.plans, edited, made.views, made.pages)
    assert planned.fresh is not None
    # The search data keeps its own tables and hands back the same plans where nothing changed.
    searched = plan_search(site, indexes, theme, state.search, made.search)
    index, warnings = checked
    prepared = Prepared(config, site, [*planned.pages, *searched], last.prepared.copies, theme, warnings,
                        [*planned.fresh, *searched], index, last.prepared.until)
    state.last = dataclasses.replace(last, prepared=prepared, rendered=rendered, indexes=indexes)
    return prepared
