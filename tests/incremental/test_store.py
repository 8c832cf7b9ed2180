"""The build cache: unchanged pages are neither rendered nor written, and a damaged cache never breaks a build."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.core.errors import SiteError
from generator.incremental import store
from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from tests.conftest import ROOT, WriteFile, age, snapshot

STORY = "content/posts/国库支付示范岗.md"


def _build(site: Path, **options: object):
    return build(BuildOptions(site_dir=site, progress=False, **options))  # type: ignore[arg-type]


def _full(site: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build(BuildOptions(site_dir=site, out_dir=out, progress=False, cache=False))
    return snapshot(out)


def _edit(site: Path, old: str, new: str, rel: str = STORY) -> None:
    path = site / rel
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_renders_0_pages_and_writes_0_files(fixture_site: Path):
    first = _build(fixture_site)
    assert first.rendered == first.pages > 0
    before = {p: p.stat().st_mtime_ns for p in (fixture_site / "output").rglob("*") if p.is_file()}
    again = _build(fixture_site)
    assert (again.rendered, again.files) == (0, 0)
    after = {p: p.stat().st_mtime_ns for p in (fixture_site / "output").rglob("*") if p.is_file()}
    assert after == before


def test_an_unchanged_site_is_seen_to_be_up_to_date_without_reading_it(fixture_site: Path, monkeypatch):
    age(fixture_site)
    _build(fixture_site)
    import generator.pipeline.full

    monkeypatch.setattr(generator.pipeline.full, "load_content", None)  # reading content would now fail
    report = _build(fixture_site)
    assert report.up_to_date and (report.rendered, report.files) == (0, 0)


def test_a_touched_but_unchanged_story_renders_nothing(fixture_site: Path):
    age(fixture_site)
    _build(fixture_site)
    (fixture_site / STORY).touch()
    report = _build(fixture_site)
    assert not report.up_to_date and (report.rendered, report.files) == (0, 0)


def test_output_changed_by_hand_is_not_taken_as_up_to_date(fixture_site: Path, tmp_path: Path):
    age(fixture_site)
    _build(fixture_site)
    (fixture_site / "output/index.html").write_text("changed by hand", encoding="utf-8")
    report = _build(fixture_site)
    assert not report.up_to_date and report.rendered == 1
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


def test_editing_one_story_renders_only_what_shows_it(fixture_site: Path):
    _build(fixture_site)
    _edit(fixture_site, "已废止", "已于 2011 年废止")
    report = _build(fixture_site)
    # Its own page, and the search page, whose links to the search data carry the data's version;
    # then its search file and the index shards of the words it gained or lost.
    assert report.rendered == 2
    assert report.data >= 1 and report.files == report.rendered + report.data
    assert "已于 2011 年废止" in (fixture_site / "output/posts/guo-ku-zhi-fu-shi-fan-gang/index.html").read_text(
        encoding="utf-8")


def test_cached_builds_after_edits_equal_a_full_build(fixture_site: Path, write: WriteFile, tmp_path: Path):
    _build(fixture_site)
    template = "themes/default/templates/story.html"
    steps: list[Callable[[], object]] = [
        lambda: _edit(fixture_site, "首问负责制", "首问负责制和限时办结制"),
        lambda: write("content/cases/new-case.md",
                      "---\ntitle: 新案例\ndate: 2012-02-03\nunit: renshe\n---\n新的帮扶案例。\n"),
        lambda: (fixture_site / "content/cases/new-case.md").unlink(),
        lambda: write(template, (ROOT / template).read_text(encoding="utf-8").replace("<article", "<article data-x")),
        lambda: _edit(fixture_site, "name: 县人社局", "name: 县人力资源和社会保障局", "content/units.yaml"),
        lambda: _edit(fixture_site, "per_page: 1", "per_page: 2", "site.yaml"),
    ]
    for number, step in enumerate(steps):
        step()
        _build(fixture_site)
        assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full"), f"step {number}"


@pytest.mark.parametrize("damage", [b"", b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 200])
def test_a_damaged_cache_falls_back_to_a_full_build(fixture_site: Path, tmp_path: Path, damage: bytes):
    _build(fixture_site)
    _edit(fixture_site, "首问负责制", "首问负责制（缓存损坏后）")
    store.cache_path(fixture_site).write_bytes(damage)
    report = _build(fixture_site)
    assert report.rendered == report.pages
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")
    assert _build(fixture_site).rendered == 0  # and the cache works again


def test_a_half_written_cache_falls_back_to_a_full_build(fixture_site: Path, tmp_path: Path):
    _build(fixture_site)
    path = store.cache_path(fixture_site)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    report = _build(fixture_site)
    assert report.rendered == report.pages
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


def test_a_cache_from_another_version_is_ignored(fixture_site: Path, monkeypatch: pytest.MonkeyPatch):
    _build(fixture_site)
    monkeypatch.setattr(store, "FORMAT", store.FORMAT + 1)
    assert _build(fixture_site).rendered > 0
    assert _build(fixture_site).rendered == 0


def test_no_cache_neither_reads_nor_writes_the_cache(fixture_site: Path):
    report = _build(fixture_site, cache=False)
    assert report.rendered == report.pages
    assert not store.cache_path(fixture_site).exists()
    _build(fixture_site)
    assert _build(fixture_site, cache=False).rendered == report.pages


def test_a_page_deleted_from_the_output_comes_back_and_stray_files_go(fixture_site: Path, tmp_path: Path):
    _build(fixture_site)
    (fixture_site / "output/posts/guo-ku-zhi-fu-shi-fan-gang/index.html").unlink()
    (fixture_site / "output/stray.html").write_text("left behind", encoding="utf-8")
    report = _build(fixture_site)
    assert report.rendered == 1
    assert snapshot(fixture_site / "output") == _full(fixture_site, tmp_path / "full")


def test_a_template_error_in_a_cached_build_leaves_the_output_untouched(fixture_site: Path, write: WriteFile):
    _build(fixture_site)
    before = snapshot(fixture_site / "output")
    write("themes/default/templates/story.html", "{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}")
    with pytest.raises(SiteError):
        _build(fixture_site)
    assert snapshot(fixture_site / "output") == before


def test_a_cache_written_as_the_build_goes_replaces_the_old_one_only_when_finished(tmp_path: Path):
    old = store.FreshCache(tmp_path)
    old.add("docs", [("a.md", 1, "old")])
    old.finish(output_files=1)
    # A stale journal beside the old file must not be played back into the new one.
    store.cache_path(tmp_path).with_name("build.sqlite-journal").write_bytes(b"not a journal")

    abandoned = store.FreshCache(tmp_path)
    abandoned.add("docs", [("a.md", 2, "abandoned")])
    abandoned.discard()
    assert store.load(tmp_path).table("docs") == {"a.md": (1, "old")}

    new = store.FreshCache(tmp_path)
    new.add("docs", [("a.md", 3, "new"), ("b.md", 3, "new")])
    assert store.load(tmp_path).table("docs") == {"a.md": (1, "old")}, "the old cache stays until finished"
    new.finish(output_files=2)
    snapshot_ = store.load(tmp_path)
    assert snapshot_.usable and snapshot_.output_files == 2
    assert snapshot_.table("docs") == {"a.md": (3, "new"), "b.md": (3, "new")}
    assert sorted(p.name for p in store.cache_path(tmp_path).parent.iterdir()) == [".gitignore", "build.sqlite"]


def test_an_update_reads_the_rows_it_compares_with_before_it_writes(tmp_path: Path) -> None:
    # Dropping a big table makes the update's transaction spill to the file and lock it: a read
    # through a second connection after that would fail, and every row would be written again.
    big = {f"row{i}": (i, "页" * 1000) for i in range(3000)}
    small = {f"row{i}": (i, f"value {i}") for i in range(10)}
    store.save(tmp_path, {"old": big, "kept": small}, store.Snapshot())
    unchanged = store.load(tmp_path)
    changed = {**small, "row0": (-1, "changed")}
    assert store.save(tmp_path, {"kept": changed}, unchanged, by_inputs=frozenset({"kept"})) == 1
    assert unchanged.problem == ""
    assert store.load(tmp_path).table("kept") == changed
