"""The review in every build mode: stories not approved at every level are left out, or shown in a preview,
the same way whichever mode builds (fresh, from-graph, in-place, the preview's serve patch and full path)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

from generator.pipeline.builder import Builder, build
from generator.pipeline.options import BuildOptions, BuildReport
from generator.reviewing import approve
from tests.conftest import snapshot

LEVELS = ("初审", "复审", "终审")
BRANCH = "content/branches/caizheng-zhibu.md"
POST = "content/posts/国库支付示范岗.md"
CASE = "content/cases/na-an-zongye/index.md"
DAY = dt.date(2026, 12, 1)


def _later(path: Path) -> None:
    """Date a file after the cache, beyond the clock's coarse tick: it is then trusted as changed."""
    later = time.time() + 5
    os.utime(path, (later, later))


def _switch_on(site: Path) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "review_levels: [初审, 复审, 终审]\n", encoding="utf-8")
    earlier = time.time() - 3600  # not racy: the stored graph is kept only when site.yaml is settled
    os.utime(config, (earlier, earlier))


def _approve(site: Path, rels: list[str], levels: tuple[str, ...] = LEVELS) -> None:
    for level in levels:
        approve(site, [site / rel for rel in rels], level, "张三", DAY)
    for rel in rels:
        _later(site / rel)


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _later(path)


def _fresh(site: Path, out: Path, preview: bool = False) -> tuple[dict[str, bytes], BuildReport]:
    shutil.rmtree(out, ignore_errors=True)
    report = build(BuildOptions(site_dir=site, out_dir=out, progress=False, cache=False, preview=preview))
    return snapshot(out), report


def test_a_build_publishes_only_approved_stories_and_warns_once_for_each_other(fixture_site: Path) -> None:
    _switch_on(fixture_site)
    _approve(fixture_site, [BRANCH, CASE])
    report = build(BuildOptions(site_dir=fixture_site, progress=False))
    out = fixture_site / "output"
    assert report.stories == 2 and not (out / "posts").joinpath("国库支付示范岗").exists()
    said = [p.format() for p in report.warnings]
    assert [line.split(": warning: ")[0] for line in said] == [
        "content/branches/caizheng-zhibu.md:20", f"{POST}:2"]
    assert "链接的文章“../posts/国库支付示范岗.md”还没有通过审核，本次不发布，链接显示为普通文字" in said[0]
    assert "未通过审核，本次不发布：待初审" in said[1]
    branch = (out / "branches/caizheng-zhibu/index.html").read_text(encoding="utf-8")
    assert "详见国库支付示范岗。" in branch  # the link's text, without the link
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'name="robots"' not in home and "preview-banner" not in home and "未审核" not in home


def test_a_preview_shows_every_story_with_its_banner_and_marks_every_page(fixture_site: Path, tmp_path: Path) -> None:
    _switch_on(fixture_site)
    _approve(fixture_site, [BRANCH, CASE])
    _approve(fixture_site, [POST], ("初审",))
    files, report = _fresh(fixture_site, tmp_path / "preview", preview=True)
    assert report.stories == 3 and report.warnings == ()
    pages = {path: data.decode() for path, data in files.items() if path.endswith(".html")}
    assert all('<meta name="robots" content="noindex">' in html and 'class="preview-banner"' in html
               for html in pages.values())
    post = next(html for path, html in pages.items() if path.startswith("posts/") and path.count("/") == 2)
    assert '<p class="review-banner">未审核（待复审）</p>' in post
    assert 'class="review-banner"' not in pages["branches/caizheng-zhibu/index.html"]
    assert '<span class="tag tag-review">未审核（待复审）</span>' in pages["index.html"]


def test_preview_marks_a_site_without_review_levels_too(fixture_site: Path, tmp_path: Path) -> None:
    files, report = _fresh(fixture_site, tmp_path / "preview", preview=True)
    assert report.warnings == ()
    assert 'content="noindex"' in files["index.html"].decode()
    assert b'class="review-banner"' not in b"".join(files.values())


def test_every_build_mode_agrees_as_stories_are_approved_and_edited(fixture_site: Path, tmp_path: Path) -> None:
    _switch_on(fixture_site)
    _approve(fixture_site, [BRANCH, POST, CASE])
    out = fixture_site / "output"

    def step(what: str, mode: str) -> None:
        report = Builder(BuildOptions(site_dir=fixture_site, progress=False)).build()
        assert report.mode == mode, what
        assert snapshot(out) == _fresh(fixture_site, tmp_path / "full")[0], f"differs after: {what}"

    step("everything approved", "fresh")
    _edit(fixture_site, POST, "首问负责制", "首问负责制和限时办结制")
    step("an approved story edited: left out again", "in-place")
    assert not any(path.startswith("posts/") and path.count("/") == 2 for path in snapshot(out))
    _approve(fixture_site, [POST])
    step("approved again at every level", "in-place")
    _edit(fixture_site, CASE, "粽叶", "粽叶（箬叶）")
    step("another approved story edited", "in-place")
    _approve(fixture_site, [CASE])
    step("approved again", "in-place")
    _edit(fixture_site, BRANCH, "坚持“三会一课”", "坚持“三会一课”")  # saved again unchanged
    step("saved unchanged: still approved", "from-graph")
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("[初审, 复审, 终审]", "[初审, 复审, 终审, 签发]"),
                      encoding="utf-8")
    step("a level added: nothing is approved at it yet", "in-place")
    stories = [path for path in snapshot(out) if path.startswith(("posts/", "cases/", "branches/"))]
    assert not any(path.count("/") == 2 for path in stories)


def test_a_preview_build_with_the_cache_patches_an_edit_that_keeps_a_story_where_it_stands(
        fixture_site: Path, tmp_path: Path) -> None:
    _switch_on(fixture_site)
    _approve(fixture_site, [BRANCH], ("初审",))
    out = tmp_path / "preview"

    def step(what: str, mode: str) -> None:
        report = Builder(BuildOptions(site_dir=fixture_site, out_dir=out, progress=False, preview=True)).build()
        assert report.mode == mode, what
        assert snapshot(out) == _fresh(fixture_site, tmp_path / "full", preview=True)[0], f"differs after: {what}"

    step("first preview", "fresh")
    _edit(fixture_site, POST, "首问负责制", "首问负责制和限时办结制")
    step("a story awaiting its first review edited", "from-graph")
    _edit(fixture_site, BRANCH, "坚持", "始终坚持")
    step("a story approved at one level edited: 改后待复核", "in-place")
    assert "改后待复核" in (out / "branches/caizheng-zhibu/index.html").read_text(encoding="utf-8")


def test_the_preview_server_agrees_with_a_full_preview_build_after_each_review_step(fixture_site: Path,
                                                                                     tmp_path: Path) -> None:
    _switch_on(fixture_site)
    serve_dir = tmp_path / "serve"
    builder = Builder(BuildOptions(site_dir=fixture_site, preview=None))  # as dangjian serve builds

    def step(what: str, *changed: str) -> None:
        builder.update(serve_dir, [rel.removeprefix("content/") for rel in changed] if changed else None)
        assert snapshot(serve_dir) == _fresh(fixture_site, tmp_path / "full", preview=True)[0], f"differs: {what}"

    step("nothing approved")
    _approve(fixture_site, [POST], ("初审",))
    step("one level approved", POST)
    _approve(fixture_site, [POST], ("复审", "终审"))
    step("every level approved", POST)
    _edit(fixture_site, POST, "首问负责制", "首问负责制和限时办结制")
    step("edited after approval", POST)
    assert "改后待复核" in (serve_dir / "index.html").read_text(encoding="utf-8")
    _edit(fixture_site, BRANCH, "坚持", "始终坚持")
    step("a story never approved edited", BRANCH)
    assert builder.state.last is not None and builder.state.last.prepared.fresh is not None, "not patched"
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("review_levels: [初审, 复审, 终审]\n", ""),
                      encoding="utf-8")
    builder.update(serve_dir)
    assert snapshot(serve_dir) == _fresh(fixture_site, tmp_path / "full")[0], "review switched off: no preview"
