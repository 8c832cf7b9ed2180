"""The in-place mode: restore the tables from the cache, prepare the whole site, write only what changed.

The last mode of ``dangjian build``: it never declines. With the output folder as the last
build left it, only pages whose fingerprint changed (or whose file was altered) are rendered
and written, and files the site no longer produces are removed. When more than half the pages
are stale, or nothing is known of the folder, it writes a fresh folder and swaps it in whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.core.progress import Progress
from generator.core.scan import Manifest
from generator.incremental.store import Snapshot
from generator.pipeline import full
from generator.pipeline.cache_rows import save
from generator.pipeline.mode import Job
from generator.pipeline.options import BuildReport, Prepared
from generator.pipeline.state import BuildState, page_digests
from generator.pipeline.writers import PageJob, in_workers, rendered_files, write_pages
from generator.render.plans import Plan, page_count
from generator.render.theme import CompiledTemplates
from generator.render.urls import output_path
from generator.render.write import Filled, fill_site, record, sync_site
from generator.search.files import FORMAT as SEARCH_FORMAT
from generator.search.plan import restore


def _restore(state: BuildState, snapshot: Snapshot) -> None:
    """Start from what the last build left in the cache, minus files changed too recently to trust."""
    # A file saved in the same instant as the cache may keep its time and size yet differ.
    racy_ns = int((snapshot.saved_at - 2) * 1e9)
    docs = snapshot.table("docs")
    state.content.docs.entries = {k: v for k, v in docs.items() if v[0][0][0] < racy_ns}
    state.markdown.entries = dict(snapshot.table("markdown"))
    state.content.docs.forget_checked()
    state.markdown.forget_checked()
    state.copies = {path: entry[0] for path, entry in snapshot.table("copies").items()}
    rows = snapshot.table("search")
    head = rows.get("head")
    if head is not None and head[0] == (SEARCH_FORMAT,):
        # Patched for what changed instead of built afresh (stories are compared by fingerprint).
        shards = {int(key[6:]): value for key, (_, value) in rows.items() if key.startswith("shard:")}
        if len(shards) == 1 << head[1].head.bits:  # else the index is built afresh
            restore(state.search, head[1], shards)


def build(job: Job, state: BuildState) -> BuildReport:
    """Bring the output folder up to date from the cache's tables, in place or afresh."""
    checked = job.checked
    assert checked is not None
    snapshot, inputs = checked.snapshot, checked.inputs
    before = snapshot.table("pages") if snapshot.usable else {}
    if inputs.digest:
        state.content.scan = inputs.content  # spare a second scan
    _restore(state, snapshot)
    prepared = full.prepare(Job(job.options, job.processes, checked, [] if inputs.digest else None), state)
    # Fingerprints serve only to compare with the cache and to fill it: without one, skip them.
    digests = page_digests(state, prepared.site, prepared.theme, prepared.plans) if job.options.cache else {}
    manifest = {output_path(url): entry[0][1:] for url, entry in before.items()}
    found = checked.output.result() if before else None
    changed_files = None if found is None else {p for p, sig in manifest.items() if found.get(p) != sig}
    stale = [p for p in prepared.plans
             if changed_files is None or p.url not in before or before[p.url][0][0] != digests[p.url]
             or output_path(p.url) in changed_files]
    if changed_files is None or len(stale) > len(prepared.plans) // 2:
        filled, written = _write_fresh(job, state, prepared)
    else:
        gone = [output_path(url) for url in before.keys() - digests.keys()]
        assert found is not None
        filled, written = _write_changes(job, state, prepared, stale, gone, found)
    if job.options.cache:
        save(state, job.options.site_dir, checked, prepared, digests, written)
    return BuildReport(job.out_dir, len(prepared.site.stories), prepared.pages, filled.written,
                       prepared.warnings + filled.notes,
                       rendered=page_count(stale), data=len(stale) - page_count(stale))


def _write_fresh(job: Job, state: BuildState, prepared: Prepared) -> tuple[Filled, Manifest]:
    """Render every page into a new folder that then replaces the output folder whole."""
    out_dir = job.out_dir
    progress = Progress(len(prepared.plans) + len(prepared.copies), "构建", enabled=job.options.progress)
    try:
        def fill(staging: Path) -> Iterator[str]:
            # Workers write their pages themselves: rendering and disk writes overlap across processes.
            # Each worker keeps the templates it compiled for its next batches.
            page_job = PageJob(prepared.site, prepared.theme, CompiledTemplates(), staging)
            return in_workers(write_pages, page_job, prepared.plans, job.processes)

        filled = fill_site(out_dir, fill, prepared.copies, on_file=progress.advance)
    finally:
        progress.close()
    state.copies = {}
    if not job.options.cache:
        return filled, {}  # the file list serves only the cache
    paths = [*(output_path(p.url) for p in prepared.plans), *(c.path for c in prepared.copies)]
    return filled, record(out_dir, paths)


def _write_changes(job: Job, state: BuildState, prepared: Prepared, stale: list[Plan], gone: list[str],
                   found: Manifest) -> tuple[Filled, Manifest]:
    """Render the stale pages, update the output folder in place, remove what the site no longer has.

    ``found`` is what the folder held before; the result is what it holds after (for the cache).
    """
    out_dir = job.out_dir
    # Everything is rendered before anything is written: a template error leaves the folder untouched.
    page_job = PageJob(prepared.site, prepared.theme, CompiledTemplates())
    files = list(in_workers(rendered_files, page_job, stale, job.processes))
    copies = [c.path for c in prepared.copies]
    keep = {output_path(p.url) for p in prepared.plans} | set(copies)
    stray = sorted(found.keys() - keep - set(gone))
    count = sync_site(out_dir, files, prepared.copies, [*gone, *stray], state.copies)
    now = {path: found[path] for path in keep if path in found}
    return Filled(count), now | record(out_dir, [*(path for path, _ in files), *copies])
