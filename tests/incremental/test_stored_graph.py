"""The stored graph: a build in a new process patches edits to stories' texts without reading the other stories."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

import generator.pipeline.full
from generator.core.errors import SiteError
from generator.incremental import store, stored_graph
from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions, BuildReport
from generator.render.plans import PagePlan
from generator.render.views import Link, Pager, StoryView
from tests.conftest import ROOT, age, snapshot
from tests.pipeline.test_modes_agree import BRANCH, EDITS, POST

QUICK_EDITS = [(what, rel, old, new, patched and not rel.startswith("content/pages/"))
               for what, rel, old, new, patched in EDITS]
"""The serve patch's edits: the stored graph patches those to stories (a page's title is in every footer)."""


def _build(site: Path) -> BuildReport:
    return build(BuildOptions(site_dir=site, progress=False))


def _full(site: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build(BuildOptions(site_dir=site, out_dir=out, progress=False, cache=False))
    return snapshot(out)


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, rel
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_each_build_after_an_edit_takes_the_expected_path_and_equals_a_full_build(fixture_site: Path,
                                                                                 tmp_path: Path) -> None:
    age(fixture_site)
    _build(fixture_site)
    for what, rel, old, new, patched in QUICK_EDITS:
        _edit(fixture_site, rel, old, new)
        report = _build(fixture_site)
        assert report.from_graph == patched, what
        assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full"), f"differs after: {what}"
        # Built again at once: the edited file is too recent to trust by its time, so it is read again,
        # found unchanged, and nothing is written.
        again = _build(fixture_site)
        assert (again.rendered, again.data, again.files) == (0, 0, 0), what


def test_two_stories_edited_at_once_are_both_patched(fixture_site: Path, tmp_path: Path) -> None:
    age(fixture_site)
    _build(fixture_site)
    _edit(fixture_site, POST, "title: 国库支付示范岗", "title: 国库集中支付示范岗")
    _edit(fixture_site, BRANCH, "坚持“三会一课”制度", "坚持“三会一课”和主题党日制度")
    report = _build(fixture_site)
    assert report.from_graph
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


def test_a_story_on_a_later_page_of_long_lists_is_patched_on_that_page(tmp_path: Path) -> None:
    site = tmp_path / "example"
    shutil.copytree(ROOT / "content", site / "content")
    config = (ROOT / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(config.replace("per_page: 5", "per_page: 2"), encoding="utf-8")
    age(site)
    _build(site)
    # The oldest post: last on every list it is on, each several pages long.
    _edit(site, "content/posts/minzhengju-jiuzhu-chuangkou.md", "title: 县民政局救灾救助窗口党员示范岗",
          "title: 县民政局救灾救助窗口示范岗")
    report = _build(site)
    assert report.from_graph
    assert snapshot(site / "output") == _full(site, tmp_path / "full")


def test_a_patched_build_reads_no_other_story_and_renders_only_what_shows_the_edit(
        fixture_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    age(fixture_site)
    _build(fixture_site)
    _edit(fixture_site, POST, "已废止", "已于 2011 年废止")
    # Loading or checking the whole content folder would now fail.
    monkeypatch.setattr(generator.pipeline.full, "load_content", None)
    monkeypatch.setattr(generator.pipeline.full, "validate_site", None)
    report = _build(fixture_site)
    assert report.from_graph
    # Its own page and the search page; its search file and the shards of the words it gained.
    assert report.rendered == 2 and report.data >= 2 and report.files == report.rendered + report.data
    page = fixture_site / "output/posts/guo-ku-zhi-fu-shi-fan-gang/index.html"
    assert "已于 2011 年废止" in page.read_text(encoding="utf-8")


def test_a_problem_in_an_edited_story_is_reported_by_the_full_build_and_the_fix_recovers(
        fixture_site: Path, tmp_path: Path) -> None:
    age(fixture_site)
    _build(fixture_site)
    before = snapshot(fixture_site / "output")
    _edit(fixture_site, BRANCH, "详见", "另见[不存在](../posts/none.md)。详见")
    with pytest.raises(SiteError) as raised:
        _build(fixture_site)
    assert any("none.md" in p.message for p in raised.value.problems)
    assert snapshot(fixture_site / "output") == before
    _edit(fixture_site, BRANCH, "另见[不存在](../posts/none.md)。", "")
    _build(fixture_site)
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


def test_output_changed_by_hand_is_repaired_by_the_full_build(fixture_site: Path, tmp_path: Path) -> None:
    age(fixture_site)
    _build(fixture_site)
    (fixture_site / "output/index.html").write_text("changed by hand", encoding="utf-8")
    _edit(fixture_site, POST, "已废止", "已于 2011 年废止")
    report = _build(fixture_site)
    assert not report.from_graph
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


@pytest.mark.parametrize(("table", "keys"), [("graph", "plan:%"), ("graph", "view:%"), ("search", "shard:%")])
def test_missing_graph_rows_fall_back_to_the_full_build(fixture_site: Path, tmp_path: Path, table: str,
                                                        keys: str) -> None:
    age(fixture_site)
    _build(fixture_site)
    with contextlib.closing(sqlite3.connect(store.cache_path(fixture_site))) as db, db:
        db.execute("DELETE FROM entries WHERE name = ? AND key LIKE ?", (table, keys))
    _edit(fixture_site, POST, "已废止", "已于 2011 年废止")
    report = _build(fixture_site)
    assert not report.from_graph
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


def _view(title: str, url: str) -> StoryView:
    unit = Link("县人社局", "units/renshe/")
    return StoryView(title, url, dt.date(2010, 5, 12), "post", "党员示范岗", "posts/", unit, (), "", None, "", "", ())


def test_a_stored_page_refers_to_views_by_url_and_is_read_back_with_the_current_ones() -> None:
    a, b, c = _view("甲", "posts/a/"), _view("乙", "posts/b/"), _view("丙", "posts/c/")
    pager = Pager(1, 1, "posts/", (a, b), None, None, "posts/")
    plan = PagePlan("posts/", "kind.html", {"pager": pager, "entries": [a.archive, c.archive], "title": "党员示范岗"})
    mark, stored = stored_graph.stored_page(plan, None, {"posts/": "digest"})
    assert mark == "digest" and stored.views == ("posts/a/", "posts/b/", "posts/c/")
    assert "甲".encode() not in stored.data  # the views are not in the page's own row
    new_a = _view("甲（改）", "posts/a/")
    [(back, _, known)] = stored_graph.restore_pages({"posts/": (mark, stored)}, {"posts/a/": new_a, "posts/b/": b,
                                                                         "posts/c/": c}, {"posts/a/"}, {})
    assert back.context["pager"].items == (new_a, b) and back.context["entries"] == [new_a.archive, c.archive]
    assert known is None  # refers to an edited story: fingerprinted again
    [(same, _, known)] = stored_graph.restore_pages({"posts/": (mark, stored)}, {"posts/a/": a, "posts/b/": b,
                                                                         "posts/c/": c}, {"posts/z/"}, {})
    assert same == plan and known == "digest"


def test_files_that_came_or_went_are_not_edits_and_recent_ones_are_read_again() -> None:
    head = stored_graph.GraphHead({"a.md": (100, 1), "b.md": (5_000, 2), "c.md": (200, 3)}, 6_000, "rest", 6_000)
    now = {"a.md": (100, 1), "b.md": (5_000, 2), "c.md": (300, 3)}
    assert stored_graph.edited_paths(head, now, racy_ns=2_000) == ["b.md", "c.md"]
    assert stored_graph.edited_paths(head, {**now, "d.md": (1, 1)}, racy_ns=2_000) is None
    assert stored_graph.edited_paths(head, {"a.md": (100, 1)}, racy_ns=2_000) is None
