"""The official-formulation lint in every build mode: the same problems as a fresh build, errors fail the build."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.core.errors import Problem, SiteError
from generator.pipeline.builder import Builder, build, prepare
from generator.pipeline.options import BuildOptions
from tests.conftest import ROOT, age, snapshot

STORY = "content/posts/国库支付示范岗.md"
TERMS = "- wrong: 首问负责制\n  right: 首问责任制\n  note: 示例\n"
"""Flags a phrase of the fixture's story body (line 10)."""
OTHER_TERMS = "- wrong: 窗口服务规范\n  right: 窗口服务规范化\n"
"""Flags the fixture story's summary instead (line 8)."""


def _write(site: Path, rel: str, text: str) -> None:
    path = site / rel
    path.write_text(text, encoding="utf-8")
    # Later than the cache, beyond the clock's coarse tick: the file is then trusted as changed.
    later = time.time() + 5
    os.utime(path, (later, later))


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    text = (site / rel).read_text(encoding="utf-8")
    assert old in text
    _write(site, rel, text.replace(old, new, 1))


def _fresh(site: Path, tmp_path: Path) -> list[str]:
    """The problems of a build that starts from nothing."""
    report = build(BuildOptions(site_dir=site, out_dir=tmp_path / "fresh", progress=False, cache=False))
    return _shown(report.warnings)


def _shown(problems: tuple[Problem, ...] | list[Problem]) -> list[str]:
    return [p.format() for p in sorted(problems)]


def test_term_hits_are_warnings_and_a_banned_word_fails_the_build_leaving_the_output_as_it_was(
    fixture_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(fixture_site, "content/terms.yaml", TERMS)
    assert main(["build", "--site", str(fixture_site)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        f"{STORY}:10: warning: “首问负责制”应改为规范表述：首问责任制 (示例)"]
    before = snapshot(fixture_site / "output")
    _write(fixture_site, "content/banned.yaml", "- word: 旧制度\n  note: 示例禁用词\n")
    assert main(["build", "--site", str(fixture_site)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{STORY}:10: warning: “首问负责制”应改为规范表述：首问责任制 (示例)",
        f"{STORY}:14: error: 禁用词“旧制度”不能出现在网站上 (示例禁用词)",
        "构建失败：1 个错误，1 个警告。输出文件夹未作任何改动。",
    ]
    assert snapshot(fixture_site / "output") == before


def test_a_terms_edit_lints_every_story_again_in_an_incremental_build(fixture_site: Path, tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site, progress=False))
    assert builder.build().mode == "fresh"
    for terms in (TERMS, OTHER_TERMS, TERMS + OTHER_TERMS, ""):
        _write(fixture_site, "content/terms.yaml", terms)
        report = Builder(BuildOptions(site_dir=fixture_site, progress=False)).build()
        assert report.mode == "in-place"
        assert _shown(report.warnings) == _fresh(fixture_site, tmp_path), terms
    (fixture_site / "content/terms.yaml").unlink()
    assert _shown(Builder(BuildOptions(site_dir=fixture_site, progress=False)).build().warnings) == []


def test_a_story_edit_built_from_the_stored_graph_is_linted_with_the_stored_terms(fixture_site: Path,
                                                                                   tmp_path: Path) -> None:
    (fixture_site / "content/terms.yaml").write_text("- wrong: 限时办结\n  right: 限时办结制\n", encoding="utf-8")
    age(fixture_site)  # saved long before the build: not read again as perhaps changed
    assert Builder(BuildOptions(site_dir=fixture_site, progress=False)).build().warnings == ()
    _edit(fixture_site, STORY, "首问负责制", "首问负责制和限时办结制")  # the right formulation: no hit
    assert Builder(BuildOptions(site_dir=fixture_site, progress=False)).build().mode == "from-graph"
    _edit(fixture_site, STORY, "限时办结制", "限时办结")  # a hit: reported from the stored graph as by a fresh build
    report = Builder(BuildOptions(site_dir=fixture_site, progress=False)).build()
    assert report.mode == "from-graph"
    assert _shown(report.warnings) == _fresh(fixture_site, tmp_path) == [
        f"{STORY}:10: warning: “限时办结”应改为规范表述：限时办结制"]


def test_a_terms_edit_lints_every_story_again_in_the_preview(fixture_site: Path, tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    serve_dir = tmp_path / "serve"
    assert builder.update(serve_dir).warnings == ()
    for terms in (TERMS, OTHER_TERMS, ""):
        _write(fixture_site, "content/terms.yaml", terms)
        report = builder.update(serve_dir, ["terms.yaml"])
        assert _shown(report.warnings) == _fresh(fixture_site, tmp_path), terms
    _write(fixture_site, "content/banned.yaml", "- 旧制度\n")
    with pytest.raises(SiteError) as raised:
        builder.update(serve_dir, ["banned.yaml"])
    assert _shown(raised.value.problems) == [
        f"{STORY}:14: error: 禁用词“旧制度”不能出现在网站上 (删去或改写这句话（禁用词列在 content/banned.yaml）)"]
    (fixture_site / "content/banned.yaml").unlink()
    assert builder.update(serve_dir, ["banned.yaml"]).warnings == ()


def test_a_story_edit_in_the_preview_is_linted_whether_patched_or_not(fixture_site: Path, tmp_path: Path) -> None:
    _write(fixture_site, "content/terms.yaml", "- wrong: 限时办结\n  right: 限时办结制\n")
    builder = Builder(BuildOptions(site_dir=fixture_site))
    serve_dir = tmp_path / "serve"
    builder.update(serve_dir)
    _edit(fixture_site, STORY, "首问负责制", "首问负责制和限时办结制")
    assert builder.update(serve_dir, ["posts/国库支付示范岗.md"]).warnings == ()
    assert builder.state.last is not None and builder.state.last.prepared.fresh is not None  # patched
    _edit(fixture_site, STORY, "限时办结制", "限时办结")
    report = builder.update(serve_dir, ["posts/国库支付示范岗.md"])
    assert _shown(report.warnings) == _fresh(fixture_site, tmp_path) == [
        f"{STORY}:10: warning: “限时办结”应改为规范表述：限时办结制"]
    assert snapshot(serve_dir) == snapshot(tmp_path / "fresh")


def test_the_example_site_lists_terms_and_banned_words_and_has_no_problem() -> None:
    prepared = prepare(BuildOptions(site_dir=ROOT))
    rules = prepared.site.lint.rules
    assert sum(not rule.banned for rule in rules) >= 8 and sum(rule.banned for rule in rules) >= 3
    assert prepared.warnings == ()
