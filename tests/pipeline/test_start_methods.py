"""A build whose workers are spawned writes the very bytes of a forked build (issue #17: Windows and macOS).

Builds run with ``DANGJIAN_START_METHOD`` set, as a user would, and ``DANGJIAN_DEBUG=1``: each
pool then says how its workers started, and each worker whether it imported the package itself
or inherited it from the build's process. A spawn that silently forked would show here. The
cold build runs as ``python -m generator build``, on a site big enough for spawned workers;
the rebuilds run in this process, with spawned workers let in at the fork's threshold.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.make_site import make_site
from generator.core import parallel
from generator.core.parallel import MIN_ITEMS, SPAWNED_FIRST_MAP
from generator.core.scan import builtin_theme_dir
from generator.pipeline.builder import Builder, build
from generator.pipeline.options import BuildOptions
from tests.conftest import ROOT, snapshot

POOL = re.compile(r"^dangjian: parallel: (.+): (\d+) workers started by (\w+)$", re.M)
WORKER = re.compile(r"^dangjian: worker (\d+): package (imported afresh|inherited from process \d+)$", re.M)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site big enough for every step of a build to use forked workers."""
    site = tmp_path_factory.mktemp("start-methods") / "site"
    make_site(MIN_ITEMS + 50, site)
    return site


@pytest.fixture
def spawned_early(monkeypatch: pytest.MonkeyPatch) -> None:
    """Spawned workers given work as small as forked ones (the thresholds are read in this process only)."""
    monkeypatch.setattr(parallel, "SPAWNED_WORK", 1)
    monkeypatch.setattr(parallel, "SPAWNED_FIRST_MAP", MIN_ITEMS)
    monkeypatch.setenv("DANGJIAN_DEBUG", "1")


def _build(site: Path, method: str, *args: str) -> tuple[str, int]:
    """Build ``site`` in a new process with workers started by ``method``; return its stderr and its pid."""
    env = {**os.environ, "DANGJIAN_START_METHOD": method, "DANGJIAN_DEBUG": "1"}
    process = subprocess.Popen([sys.executable, "-m", "generator", "build", "--site", str(site), "--jobs", "2", *args],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               encoding="utf-8")
    _, said = process.communicate()
    assert process.returncode == 0, said
    return said, process.pid


def _pools(method: str, said: str, parent: int) -> list[str]:
    """What each pool of a build in process ``parent`` worked on; its workers must have started by ``method``."""
    pools = POOL.findall(said)
    assert pools and {(jobs, by) for _, jobs, by in pools} == {("2", method)}, said
    workers = WORKER.findall(said)
    # A worker reports as it starts, before its first chunk; one that started after the others had
    # done every chunk may be stopped before it reports.
    assert len(pools) <= len({pid for pid, _ in workers}) <= 2 * len(pools), said
    how = "imported afresh" if method == "spawn" else f"inherited from process {parent}"
    assert {got for _, got in workers} == {how}, said
    return [purpose for purpose, _, _ in pools]


def _edit(site: Path) -> None:
    """A template edit (every page is rewritten) and a story moved to the top (the index is built again)."""
    base = site / "themes/default/templates/base.html"
    base.parent.mkdir(parents=True, exist_ok=True)
    base.write_text((builtin_theme_dir() / "templates/base.html").read_text(encoding="utf-8") + "<!-- 改 -->\n",
                    encoding="utf-8")
    story = site / "content/posts/post-00001.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(re.sub(r"^date: .*$", "date: 2025-12-31", text, count=1, flags=re.M), encoding="utf-8")


def test_a_spawned_build_writes_the_bytes_of_a_forked_one(tmp_path: Path):
    site = tmp_path / "site"
    make_site(SPAWNED_FIRST_MAP + 50, site)
    said = {method: _build(site, method, "--out", str(tmp_path / method), "--no-cache")
            for method in ("fork", "spawn")}
    forked, spawned = snapshot(tmp_path / "fork"), snapshot(tmp_path / "spawn")
    assert len(forked) > 2 * SPAWNED_FIRST_MAP
    assert forked == spawned
    for method in ("fork", "spawn"):
        assert _pools(method, *said[method]) == ["kept workers"]
        assert f"run_stories, {SPAWNED_FIRST_MAP + 50} items: in the kept workers" in said[method][0]


def test_a_rebuild_in_place_by_spawned_workers_writes_the_bytes_of_a_forked_one(
        generated: Path, tmp_path: Path, spawned_early: None, monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]):
    sites = {method: tmp_path / method for method in ("fork", "spawn")}
    for method, site in sites.items():
        monkeypatch.setenv("DANGJIAN_START_METHOD", method)
        shutil.copytree(generated, site)
        build(BuildOptions(site_dir=site, progress=False, jobs=2))
        _edit(site)
        capfd.readouterr()
        build(BuildOptions(site_dir=site, progress=False, jobs=2))
        said = capfd.readouterr().err
        # The in-place mode: the index built again, then every page, each step by a pool of its own.
        assert "dangjian: fresh: the output folder has pages" in said
        assert [purpose.split(",")[0] for purpose in _pools(method, said, os.getpid())] == [
            "_postings_run", "write_pages"]
    assert snapshot(sites["fork"] / "output") == snapshot(sites["spawn"] / "output")


def test_markdown_rendered_by_spawned_workers_plans_what_forked_ones_do(
        generated: Path, spawned_early: None, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]):
    # ``check`` and the preview render in one process; a build renders many documents afresh this
    # way only when their cached rendering went stale.
    prepared = {}
    for method in ("fork", "spawn"):
        monkeypatch.setenv("DANGJIAN_START_METHOD", method)
        prepared[method] = Builder(BuildOptions(site_dir=generated, progress=False)).prepare(jobs=2)
        assert [purpose.split(",")[0] for purpose in _pools(method, capfd.readouterr().err, os.getpid())] == [
            "_render_batch" if method == "fork" else "render_docs", "_postings_run"]
    assert prepared["fork"].plans == prepared["spawn"].plans
