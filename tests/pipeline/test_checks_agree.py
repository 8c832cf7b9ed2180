"""Every mode reports the same problems, those that depend on other documents included, after each edit.

A cached ``dangjian build`` (up-to-date, from-graph, in-place), a build written afresh, the preview's
updates (serve patch, full) and ``check`` (full) must agree: a warning that an edit brings (a title
another story has, a heading another story links to) appears in each, and goes when it is fixed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from generator.core.errors import Problem, SiteError
from generator.pipeline.builder import Builder, build, prepare
from generator.pipeline.options import BuildOptions
from tests.conftest import age, snapshot

TODAY = dt.date(2020, 1, 1)
BRANCH = "content/branches/caizheng-zhibu.md"
POST = "content/posts/国库支付示范岗.md"


def _shown(run: Callable[[], tuple[Problem, ...]]) -> list[str]:
    try:
        problems = run()
    except SiteError as exc:
        problems = tuple(exc.problems)
    return [p.format() for p in sorted(set(problems))]


class Runs:
    """The same site run every way, each keeping what it keeps between runs."""

    def __init__(self, site: Path, tmp_path: Path) -> None:
        self.site, self.tmp_path = site, tmp_path
        self.previewer = Builder(BuildOptions(site_dir=site, today=TODAY))
        self.modes: list[str] = []

    def cached(self) -> tuple[Problem, ...]:
        report = build(BuildOptions(site_dir=self.site, progress=False, today=TODAY))
        self.modes.append(report.mode)
        return report.warnings

    def fresh(self) -> tuple[Problem, ...]:
        out = self.tmp_path / "fresh"
        shutil.rmtree(out, ignore_errors=True)
        return build(BuildOptions(site_dir=self.site, out_dir=out, progress=False, cache=False,
                                  today=TODAY)).warnings

    def all_agree(self, *changed: str) -> list[str]:
        """Run every way after an edit of ``changed``; return the problems they agree on."""
        rels = [rel.removeprefix("content/") for rel in changed]
        found = {
            "cached build": _shown(self.cached),
            "fresh build": _shown(self.fresh),
            "preview update": _shown(lambda: self.previewer.update(self.tmp_path / "serve", rels).warnings),
            "check": _shown(lambda: prepare(BuildOptions(site_dir=self.site, today=TODAY)).warnings),
            "up-to-date build": _shown(self.cached),
        }
        assert len({tuple(problems) for problems in found.values()}) == 1, found
        if not any(": error: " in line for line in found["check"]):
            assert self.modes[-1] == "up-to-date"
            last = self.previewer.state.last
            self.modes.append("serve-patch" if last is not None and last.prepared.fresh is not None else "full")
            assert snapshot(self.site / "output") == snapshot(self.tmp_path / "fresh")
        return found["check"]


def _aged(path: Path) -> None:
    """Date a file an hour back: not too recent to trust, so that a second build finds all up to date."""
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    _aged(path)


def test_warnings_that_depend_on_other_documents_come_and_go_alike_in_every_mode(fixture_site: Path,
                                                                                 tmp_path: Path) -> None:
    age(fixture_site)
    runs = Runs(fixture_site, tmp_path)
    assert runs.all_agree() == []

    _edit(fixture_site, POST, "title: 国库支付示范岗", "title: 县财政局 党支部")
    assert runs.all_agree(POST) == [
        "content/branches/caizheng-zhibu.md:2: warning: 标题“县财政局党支部”与 content/posts/国库支付示范岗.md 相同 "
        "(读者在列表和搜索结果中分不清；给其中一篇换个标题)",
        "content/posts/国库支付示范岗.md:2: warning: 标题“县财政局 党支部”与 content/branches/caizheng-zhibu.md 相同 "
        "(读者在列表和搜索结果中分不清；给其中一篇换个标题)"]
    # The incremental modes found the new warning themselves, from their index of titles.
    assert runs.modes[-3:] == ["from-graph", "up-to-date", "serve-patch"]

    _edit(fixture_site, POST, "title: 县财政局 党支部", "title: 国库集中支付示范岗")
    assert runs.all_agree(POST) == []
    assert runs.modes[-3:] == ["from-graph", "up-to-date", "serve-patch"]

    _edit(fixture_site, POST, "首问负责制", "首问负责制和限时办结制")  # from a clean build: patched
    assert runs.all_agree(POST) == []
    assert runs.modes[-3:] == ["from-graph", "up-to-date", "serve-patch"]

    _edit(fixture_site, POST, "## 岗位职责", "## 职责")  # the branch links to this heading
    assert runs.all_agree(POST) == [
        "content/branches/caizheng-zhibu.md:16: warning: 链接的位置“../posts/国库支付示范岗.md#岗位职责”"
        "在该文章中不存在 "
        "(是不是要写“#职责”？)"]
    assert runs.modes[-3:] == ["from-graph", "up-to-date", "serve-patch"]
    _edit(fixture_site, POST, "## 职责", "## 岗位职责")
    assert runs.all_agree(POST) == []

    _edit(fixture_site, BRANCH, "#岗位职责", "#岗位责任")  # a link of its own into another's heading
    assert runs.all_agree(BRANCH) == [
        "content/branches/caizheng-zhibu.md:16: warning: 链接的位置“../posts/国库支付示范岗.md#岗位责任”"
        "在该文章中不存在 "
        "(是不是要写“#岗位职责”？)"]
    _edit(fixture_site, POST, "已废止", "已于 2011 年废止")  # another story edited while the warning stands
    assert len(runs.all_agree(POST)) == 1
    assert runs.modes[-3:] == ["from-graph", "up-to-date", "serve-patch"]
    _edit(fixture_site, BRANCH, "#岗位责任", "#岗位职责")
    assert runs.all_agree(BRANCH) == []

    _edit(fixture_site, POST, "title:", "draft: true\ntitle:")  # withdrawn: the branch's link becomes text
    assert runs.all_agree(POST) == [
        "content/branches/caizheng-zhibu.md:16: warning: 链接的文章“../posts/国库支付示范岗.md”是草稿（draft: true），"
        "不会发布；链接只显示为文字 (该文章发布后链接自动恢复；预览草稿可加 --drafts)"]
    _edit(fixture_site, POST, "date: 2011-03-01", "date: 2011-02-30")  # a broken draft: its own error alone
    assert runs.all_agree(POST) == [
        "content/posts/国库支付示范岗.md:4: error: “date”不是一个真实存在的日期 "
        "(日期请写成 YYYY-MM-DD，例如 2010-05-12)"]
    _edit(fixture_site, POST, "date: 2011-02-30", "date: 2011-03-01")
    assert len(runs.all_agree(POST)) == 1  # the draft's link again
    _edit(fixture_site, POST, "draft: true\n", "")
    assert runs.all_agree(POST) == []

    (fixture_site / "content/posts/讲话稿.docx").write_bytes(b"PK")
    _aged(fixture_site / "content/posts/讲话稿.docx")
    assert [line.split(" (")[0] for line in runs.all_agree("content/posts/讲话稿.docx")] == [
        "content/posts/讲话稿.docx: warning: Word 文件不会作为文章发布"]
    _edit(fixture_site, POST, "已于 2011 年废止", "已废止")  # a stray file's warning stands: still patched
    assert len(runs.all_agree(POST)) == 1
    assert runs.modes[-3:] == ["from-graph", "up-to-date", "serve-patch"]
    (fixture_site / "content/posts/讲话稿.docx").unlink()
    assert runs.all_agree("content/posts/讲话稿.docx") == []
