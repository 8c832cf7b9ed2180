"""The build modes: which one does a job, and that one which declines leaves everything as it was."""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import pytest

from generator.pipeline import serve_patch
from generator.pipeline.builder import BUILD_MODES, PREPARE_MODES, Builder
from generator.pipeline.mode import Decline, Job, Mode, first
from generator.pipeline.options import BuildOptions
from generator.pipeline.state import BuildState
from tests.conftest import snapshot

STORY = "content/posts/国库支付示范岗.md"


def _edit(site: Path, old: str, new: str) -> None:
    path = site / STORY
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # A later time than the cache's, beyond the clock's coarse tick: the file is then trusted as changed.
    later = time.time() + 5
    os.utime(path, (later, later))


def _build(site: Path) -> str:
    return Builder(BuildOptions(site_dir=site, progress=False)).build().mode


def test_each_kind_of_change_is_built_by_the_mode_made_for_it(fixture_site: Path) -> None:
    assert _build(fixture_site) == "fresh"
    assert _build(fixture_site) == "up-to-date"
    _edit(fixture_site, "首问负责制", "首问负责制和限时办结制")
    assert _build(fixture_site) == "from-graph"
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("title: ", "title: 新", 1), encoding="utf-8")
    assert _build(fixture_site) == "in-place"


def test_a_decline_says_why_when_debugging(fixture_site: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _build(fixture_site)
    monkeypatch.setenv("DANGJIAN_DEBUG", "1")
    capsys.readouterr()
    _build(fixture_site)  # up to date: nothing declines
    assert capsys.readouterr().err == ""
    (fixture_site / "site.yaml").write_text("title: 新标题\n", encoding="utf-8")
    assert _build(fixture_site) == "in-place"
    said = capsys.readouterr().err.splitlines()
    assert [line.split(":")[1].strip() for line in said] == ["up-to-date", "from-graph", "fresh"]


def test_the_first_mode_that_does_not_decline_does_the_job() -> None:
    ran: list[str] = []

    def declines(job: Job, state: BuildState) -> str:
        ran.append("declines")
        raise Decline("not this time")

    def does(job: Job, state: BuildState) -> str:
        ran.append("does")
        return "done"

    modes = (Mode("a", declines), Mode("b", does), Mode("c", does))
    assert first(modes, Job(BuildOptions(site_dir=Path())), BuildState()) == ("b", "done")
    assert ran == ["declines", "does"]


def test_the_last_mode_of_each_list_never_declines() -> None:
    # Its exceptions are not caught: a Decline from it would reach the user as a bug, never be swallowed.
    assert [mode.name for mode in BUILD_MODES][-1] == "in-place"
    assert [mode.name for mode in PREPARE_MODES][-1] == "full"
    with pytest.raises(Decline):
        first((Mode("only", lambda job, state: (_ for _ in ()).throw(Decline("no"))),),
              Job(BuildOptions(site_dir=Path())), BuildState())


def test_a_serve_patch_that_declines_late_leaves_the_state_as_it_was(fixture_site: Path, tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(tmp_path / "serve")
    state = builder.state
    assert state.content.scan is not None and state.last is not None
    scan, docs = state.content.scan, dict(state.content.docs.entries)
    markdown, last = dict(state.markdown.entries), state.last
    scan_before = copy.deepcopy(scan)
    # A new date moves the story in every list: found only once the file was read and checked again.
    _edit(fixture_site, "date: 2011-03-01", "date: 2001-03-01")
    rel = STORY.removeprefix("content/")
    with pytest.raises(Decline, match="moved"):
        serve_patch.prepare(Job(builder.options, changed=[rel]), state)
    assert state.content.scan is scan and scan == scan_before
    assert state.content.docs.entries == docs and state.markdown.entries == markdown
    assert state.last is last


def test_a_serve_patch_applies_an_edit_that_moves_nothing(fixture_site: Path, tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(tmp_path / "serve")
    _edit(fixture_site, "首问负责制", "首问负责制和限时办结制")
    builder.update(tmp_path / "serve", [STORY.removeprefix("content/")])
    assert builder.state.last is not None and builder.state.last.prepared.fresh is not None  # patched
    assert "限时办结制" in snapshot(tmp_path / "serve")["posts/guo-ku-zhi-fu-shi-fan-gang/index.html"].decode()


def test_the_content_folder_is_scanned_once_a_build(fixture_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.core.scan import scan_content

    scans: list[Path] = []

    def counted(folder: Path) -> dict[str, tuple[int, int]]:
        scans.append(folder)
        return scan_content(folder)

    # The up-to-date check scans content/ first (its own import of scan_content); loading reuses that scan.
    monkeypatch.setattr("generator.content.load.scan_content", counted)
    assert _build(fixture_site) == "fresh"
    assert scans == []
    config = fixture_site / "site.yaml"
    config.write_text("title: 新标题\n", encoding="utf-8")
    # Older than the clock's coarse tick, so that the check trusts its time (a newer file is scanned again).
    earlier = time.time() - 60
    os.utime(config, (earlier, earlier))
    assert _build(fixture_site) == "in-place"
    assert scans == []
