"""The preview's rebuild loop survives any failure of one update and recovers on the next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.pipeline.builder import Builder
from generator.pipeline.options import BuildOptions
from generator.preview.serve import Rebuilder
from generator.preview.server import PreviewState


def test_an_unexpected_failure_is_shown_and_the_next_update_recovers(fixture_site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch):
    builder = Builder(BuildOptions(site_dir=fixture_site))
    state = PreviewState(tmp_path / "preview")
    lines: list[str] = []
    reloads: list[int] = []
    rebuilder = Rebuilder(builder, state, lambda: reloads.append(1), lines.append)
    real_update = builder.update

    def vanishing_file(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "content/posts/gone.md")

    monkeypatch.setattr(builder, "update", vanishing_file)
    rebuilder.rebuild(set())
    assert [p.message for p in state.problems] == [
        "预览更新时出错：FileNotFoundError: [Errno 2] No such file or directory: 'content/posts/gone.md'"]
    assert reloads == [1] and any("预览更新时出错" in line for line in lines)

    monkeypatch.setattr(builder, "update", real_update)
    rebuilder.rebuild(set())
    assert state.problems == ()
    assert (state.root / "index.html").is_file() and reloads == [1, 1]


def test_warnings_are_reported_in_the_terminal_and_kept_for_the_panel_until_fixed(fixture_site: Path, tmp_path: Path):
    story = fixture_site / "content/posts/国库支付示范岗.md"
    good = story.read_text(encoding="utf-8")
    story.write_text(good.replace("date: 2011-03-01", "date: 2999-03-01"), encoding="utf-8")
    builder = Builder(BuildOptions(site_dir=fixture_site, today=dt.date(2020, 1, 1)))
    state = PreviewState(tmp_path / "preview")
    lines: list[str] = []
    rebuilder = Rebuilder(builder, state, lambda: None, lines.append)
    rebuilder.rebuild(set())
    assert [p.format() for p in state.warnings] == [
        "content/posts/国库支付示范岗.md:3: warning: 日期 2999-03-01 晚于今天"
        "（2020-01-01） (检查年份和月份是否写错；还不想发布的文章请加一行 draft: true)"]
    assert lines[0] == state.warnings[0].format()
    story.write_text(good, encoding="utf-8")
    rebuilder.rebuild({story})
    assert state.warnings == () and state.problems == ()
