"""Planning: every page with its view-models, and planning again only the groups an edit reaches."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline.builder import Builder
from generator.pipeline.options import BuildOptions


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_replanning_an_edit_gives_the_plans_of_a_full_plan(fixture_site: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    first = builder.prepare()
    _edit(fixture_site, "branches/caizheng-zhibu.md", "“三会一课”", "“三会一课”和主题党日")
    _edit(fixture_site, "posts/国库支付示范岗.md", "title: 国库支付示范岗", "title: 国库集中支付示范岗")
    patched = builder.prepare(["branches/caizheng-zhibu.md", "posts/国库支付示范岗.md"])
    full = Builder(BuildOptions(site_dir=fixture_site)).prepare()
    assert patched.fresh is not None and full.fresh is None
    assert patched.plans == full.plans
    assert [p.url for p in patched.plans] == [p.url for p in first.plans]
    # Re-planned: both story pages, their neighbours, and the lists showing them; not the others.
    fresh = {p.url for p in patched.fresh}
    assert {"branches/caizheng-zhibu/", "posts/guo-ku-zhi-fu-shi-fan-gang/", "branches/", "posts/",
            "units/caizhengju/", "activities/chuangxian/", "archive/2010/", "", "feed.xml"} <= fresh
    assert "cases/na-an-zongye/" not in fresh and "units/renshe/" not in fresh
    unchanged = [p for p in patched.plans if p.url not in fresh]
    before = {p.url: p for p in first.plans}
    assert unchanged and all(p is before[p.url] for p in unchanged)


def test_an_edit_that_moves_a_story_is_planned_in_full(fixture_site: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.prepare()
    _edit(fixture_site, "branches/caizheng-zhibu.md", "date: 2010-05-12", "date: 2012-05-12")
    moved = builder.prepare(["branches/caizheng-zhibu.md"])
    assert moved.fresh is None
    assert moved.plans == Builder(BuildOptions(site_dir=fixture_site)).prepare().plans


def test_a_path_reported_twice_is_patched_once(fixture_site: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.prepare()
    _edit(fixture_site, "branches/caizheng-zhibu.md", "“三会一课”", "“三会一课”和主题党日")
    patched = builder.prepare(["branches/caizheng-zhibu.md", "branches/caizheng-zhibu.md"])
    assert patched.fresh is not None
    assert patched.plans == Builder(BuildOptions(site_dir=fixture_site)).prepare().plans
