"""The story pass: a build written afresh renders, writes and indexes stories in workers, keeping little."""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from bench.make_site import make_site
from generator.content.load import read_body
from generator.core.errors import SiteError
from generator.core.parallel import MIN_ITEMS, Processes, map_chunks
from generator.pipeline import storypass
from generator.pipeline.builder import Builder, build
from generator.pipeline.journey import Item
from generator.pipeline.options import BuildOptions
from generator.render.pages import render_pages
from generator.render.write import write_site
from tests.conftest import snapshot


def _planned_in_memory(site: Path, out: Path) -> dict[str, bytes]:
    """The site as the in-memory pipeline (``prepare``: every story's HTML held at once) writes it."""
    prepared = Builder(BuildOptions(site_dir=site, progress=False)).prepare()
    files = [(f.path, f.data) for f in render_pages(prepared.plans, prepared.site, prepared.theme)]
    write_site(out, files, prepared.copies)
    return snapshot(out)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated site big enough for the pass to run in worker processes."""
    site = tmp_path_factory.mktemp("generated") / "site"
    make_site(MIN_ITEMS + 60, site)
    return site


@pytest.mark.parametrize(("cache", "compact"), [(False, False), (True, False), (False, True), (True, True)])
def test_the_story_pass_writes_what_the_in_memory_pipeline_writes(generated: Path, tmp_path: Path, cache: bool,
                                                                  compact: bool, monkeypatch: pytest.MonkeyPatch):
    import generator.content.load
    import generator.pipeline.fresh

    copies: list[int] = []
    real = generator.pipeline.fresh.compacted

    def counted(*args: Any) -> Any:
        copies.append(1)
        return real(*args)

    monkeypatch.setattr(generator.pipeline.fresh, "compacted", counted)
    readers = tmp_path / "readers"  # the process that read each source (workers write it here too)
    real_load = generator.content.load.load_doc

    def load_doc(*args: Any) -> Any:
        with readers.open("a", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        return real_load(*args)

    monkeypatch.setattr(generator.content.load, "load_doc", load_doc)
    if compact:  # as at 10,000 stories and more: sources read here, the loaded site copied to memory of its own
        monkeypatch.setattr(generator.pipeline.fresh, "COMPACT_FROM", 0)
    report = build(BuildOptions(site_dir=generated, out_dir=tmp_path / "streamed", progress=False, jobs=2,
                                cache=cache))
    assert len(copies) == compact
    pids = readers.read_text(encoding="utf-8").split()
    assert len(pids) >= MIN_ITEMS + 60
    # Read in the workers, unless the site is large enough to be copied after loading.
    assert (set(pids) == {str(os.getpid())}) if compact else (str(os.getpid()) not in pids)
    expected = _planned_in_memory(generated, tmp_path / "planned")
    assert report.stories == MIN_ITEMS + 60
    assert snapshot(tmp_path / "streamed") == expected
    cache_dir = generated / ".dangjian-cache"
    if cache:
        assert sorted(p.name for p in cache_dir.iterdir()) == [".gitignore", "build.sqlite"]
        # The cache it wrote as it went serves the next build: nothing is left to do.
        again = build(BuildOptions(site_dir=generated, out_dir=tmp_path / "streamed", progress=False, jobs=2))
        assert (again.rendered, again.files) == (0, 0)
        for path in cache_dir.iterdir():
            path.unlink()
        cache_dir.rmdir()


def test_the_build_keeps_no_story_html_without_the_cache(generated: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    held: list[storypass.StoryRun] = []
    real = storypass.run_stories

    def recording(job: storypass.StoryJob, run: Sequence[Item]) -> list[storypass.StoryRun]:
        made = real(job, run)
        held.extend(made)
        return made

    monkeypatch.setattr(storypass, "run_stories", recording)
    build(BuildOptions(site_dir=generated, out_dir=tmp_path / "out", progress=False, jobs=1, cache=False))
    results = [result for run in held for result in run.stories]
    assert len(results) == MIN_ITEMS + 60
    assert all(r.rendered.html == "" and r.rendered.text == "" for r in results)
    assert all(r.rendered.excerpt for r in results)
    page = (tmp_path / "out" / "posts").rglob("index.html")
    assert any("<p>" in p.read_text(encoding="utf-8") for p in page), "the pages themselves have their text"


def test_a_broken_link_found_by_the_pass_leaves_the_output_and_no_new_cache(fixture_site: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(BuildOptions(site_dir=fixture_site, out_dir=out, progress=False, cache=False))
    before = snapshot(out)
    story = next((fixture_site / "content" / "posts").glob("*.md"))
    story.write_text(story.read_text(encoding="utf-8") + "\n见[不存在的文章](../cases/nowhere.md)。\n",
                     encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        build(BuildOptions(site_dir=fixture_site, out_dir=out, progress=False))
    assert [p.path for p in raised.value.problems] == [f"content/posts/{story.name}"]
    assert raised.value.problems[0].line > 1
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "site"], "no folder being filled is left behind"
    assert list((fixture_site / ".dangjian-cache").glob("build.sqlite*")) == [], "the new cache was thrown away"


def test_a_source_changed_since_it_was_loaded_is_refused(tmp_path: Path):
    (tmp_path / "a.md").write_text("---\ntitle: 甲\n---\n正文\n", encoding="utf-8")
    body, problems = read_body(tmp_path, "a.md", "0" * 32)
    assert body is None
    assert [(p.path, p.message) for p in problems] == [("content/a.md", "构建过程中文件被修改了")]


def _gc_enabled(_: None, chunk: Sequence[int]) -> list[bool]:
    return [gc.isenabled() for _ in chunk]


def test_workers_collect_the_cycles_they_make():
    gc.disable()  # as a build does
    try:
        assert set(map_chunks(_gc_enabled, None, range(MIN_ITEMS), Processes(2))) == {True}
    finally:
        gc.enable()


def test_a_front_matter_error_and_a_broken_link_elsewhere_are_reported_together(fixture_site: Path, tmp_path: Path):
    linked = fixture_site / "content" / "posts" / "国库支付示范岗.md"
    dated = sorted((fixture_site / "content" / "cases").rglob("*.md"))[0]
    linked.write_text(linked.read_text(encoding="utf-8") + "\n见[不存在的文章](../cases/nowhere.md)。\n",
                      encoding="utf-8")
    dated.write_text(dated.read_text(encoding="utf-8").replace("date: ", "date: 2009-02-30 #", 1), encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        build(BuildOptions(site_dir=fixture_site, out_dir=tmp_path / "out", progress=False, cache=False))
    shown = {p.path for p in raised.value.problems}
    assert shown == {linked.relative_to(fixture_site).as_posix(), dated.relative_to(fixture_site).as_posix()}
    assert not (tmp_path / "out").exists()


def test_the_last_step_sends_plans_in_batches_of_few_listed_stories():
    from generator.pipeline.writers import LISTED_SENT, PLANS_SENT
    from generator.pipeline.writers import batches as _batches
    from generator.render.plans import DataPlan, PagePlan, Plan
    from generator.render.views import Pager

    lists = [PagePlan(f"units/u/page/{n}/", "unit.html", {"pager": Pager(n, 45, "units/u/", ["v"] * 3, None, None)})
             for n in range(45)]
    years = [PagePlan(f"archive/{year}/", "archive_year.html", {"entries": ("e",) * 1500, "years": ()})
             for year in range(3)]
    plans: list[Plan] = [*lists, *years, DataPlan("search/f/x.js", bytes, ())]
    batches = list(_batches(plans))
    assert [plan for batch in batches for plan in batch] == plans
    assert [len(batch) for batch in batches] == [PLANS_SENT, PLANS_SENT, 6, 1, 2]
    assert 1500 < LISTED_SENT < 3000, "two years' archives never share a batch"
