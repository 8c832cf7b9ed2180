"""bench/run.py's ``--before REV``: dangjian as of another commit, timed as a tool of its own."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bench import run

PROBE = "import generator; print(generator.__file__)"


def git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(run.REPO), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A child process (prepare_size) finds ROOT from the environment, as the run that started it does.
    monkeypatch.setenv("DANGJIAN_BENCH_ROOT", str(tmp_path))
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "RETIRED", tmp_path / "retired")
    return tmp_path


def imported_from(tool: run.Tool, project: Path) -> Path:
    """Where ``generator`` comes from for the tool's own interpreter, environment and working folder."""
    argv = tool.command(project, run.out_dir(tool.name, 12))
    found = subprocess.run([argv[0], "-c", PROBE], cwd=tool.cwd(project), env=tool.env, capture_output=True,
                           text=True, check=True)
    return Path(found.stdout.strip()).resolve()


def test_before_extracts_the_commit_and_its_tool_imports_it_from_there(root: Path) -> None:
    stale = root / f"before-{'0' * 40}"  # left by a run --before another commit
    (stale / "generator").mkdir(parents=True)
    worktrees = git("worktree", "list", "--porcelain")
    before = run.resolve_before("HEAD")
    assert before.sha == git("rev-parse", "HEAD").strip()
    assert before.name == f"dangjian@{git('rev-parse', '--short', 'HEAD').strip()}"
    folder = run.ensure_before(before)
    assert folder == root / f"before-{before.sha}"
    assert (folder / "generator" / "__init__.py").read_text(encoding="utf-8") == git(
        "show", "HEAD:generator/__init__.py")
    assert (folder / "themes" / "default").is_dir()  # the built-in theme lives beside the package
    assert not stale.exists() and len(list((root / "retired").iterdir())) == 1  # set aside, deleted at the end
    assert git("worktree", "list", "--porcelain") == worktrees  # nothing registered in the repository
    marker = folder / "generator" / "marker"
    marker.touch()
    assert run.ensure_before(before) == folder and marker.exists()  # reused while the sha is the same

    tool, current = run.before_tool(before), run._tools(no_cache=True, module=True)["dangjian"]
    project = run.before_site_dir(12)
    project.mkdir()
    argv = tool.command(project, run.out_dir(tool.name, 12))
    assert argv[:3] == [sys.executable, "-m", "generator"]
    assert current.command(run.site_dir(12), run.out_dir("dangjian", 12))[:3] == argv[:3]  # same launcher
    assert "--no-cache" in argv  # HEAD's build offers it
    assert imported_from(tool, project) == (folder / "generator" / "__init__.py").resolve()
    # ... and the current dangjian from this checkout, not from the venv's editable install of another one.
    assert imported_from(current, root) == (run.REPO / "generator" / "__init__.py").resolve()
    # A tool of its own: its corpus copy, output folder and cache are not the current dangjian's.
    assert tool.project(12) != current.project(12)
    assert run.out_dir(tool.name, 12) != run.out_dir("dangjian", 12)
    assert set(tool.caches(tool.project(12))).isdisjoint(current.caches(current.project(12)))
    assert tool.rebuilds and tool.commit() == before.short


def test_an_unknown_revision_is_refused(root: Path) -> None:
    with pytest.raises(ValueError, match="no-such-revision"):
        run.resolve_before("no-such-revision")
    with pytest.raises(SystemExit) as exited:
        run.main(["--before", "no-such-revision", "--sizes", "12", "--out", str(root / "RESULTS.md")])
    assert exited.value.code == 2 and not (root / "RESULTS.md").exists()


def test_the_earlier_commit_builds_its_own_copy_of_the_corpus(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "wait_idle", lambda: 0.0)  # a few quick builds; no need for a quiet machine
    monkeypatch.setattr(run, "ATTEMPTS", 1)
    stamp = run.prepare_size(12, [], copy=True)
    site, copy = run.site_dir(12), run.before_site_dir(12)
    stories = sorted(p.relative_to(site) for p in (site / "content").rglob("*.md"))
    assert len(stories) == 12 and sorted(p.relative_to(copy) for p in (copy / "content").rglob("*.md")) == stories
    assert (root / "site-12-before.stamp").read_text() == stamp

    before = run.resolve_before("HEAD")
    run.ensure_before(before)
    tool = run.before_tool(before)
    runs = dict(run.dangjian_rounds(tool, 12, timeout=120, rep=0))
    assert list(runs) == ["cold", "cold-cache", "no-change", "one-edit"]
    assert all(r.returncode == 0 and r.pages > 12 and not r.note for r in runs.values())  # the edit was seen
    assert (copy / ".dangjian-cache").is_dir() and not (site / ".dangjian-cache").exists()
    assert (run.out_dir(tool.name, 12) / "index.html").is_file() and not run.out_dir("dangjian", 12).exists()
    assert sorted(p.read_bytes() for p in (copy / "content").rglob("*.md")) == sorted(
        p.read_bytes() for p in (site / "content").rglob("*.md"))  # the edited story was restored

    (copy / "content" / "marker").touch()
    run._prepare_size(12, [], copy=True)
    assert (copy / "content" / "marker").exists()  # reused while the corpus is the same
    (root / "site-12-before.stamp").write_text("another corpus")
    run._prepare_size(12, [], copy=True)
    assert not (copy / "content" / "marker").exists() and not (copy / ".dangjian-cache").exists()


def test_report_shows_the_earlier_commit_as_a_row_of_its_own() -> None:
    block = run.SizeBlock(1000, "now", "abc1234 + uncommitted changes in generator/ or themes/")
    for tool, mode, wall in (("dangjian", "cold", 0.60), ("dangjian", "no-change", 0.05),
                             ("dangjian", "one-edit", 0.30), ("dangjian@0123abc", "cold", 0.66),
                             ("dangjian@0123abc", "no-change", 0.05), ("dangjian@0123abc", "one-edit", 0.20),
                             ("floor", "cold", 0.50)):
        block.row(tool, mode).runs.append(run.Run(wall, 50_000, 60_000, 0, pages=1, commit=tool[9:] or "abc1234"))
    compared = ["- `dangjian@0123abc` is dangjian as of commit 0123abc…; `dangjian` is abc1234 + uncommitted "
                "changes in generator/ or themes/"]
    text = run.markdown_report([block], "test", "results.svg", 1.0, ["dangjian", "dangjian@0123abc", "floor"],
                               compared=compared)
    assert compared[0] in text
    assert "| 1,000 | dangjian@0123abc | cold | 0.66 | 0.66 | 0.66 |" in text
    assert "| 1,000 | dangjian@0123abc | cold | 0.66 | 0.66 | 0.66 | – | – | 49 | 59 | 1.32× | 1 |" in text
    assert "| 1,000 | cold | 0.60 | dangjian@0123abc | 0.66 | -9.1 % | yes |" in text
    assert "| 1,000 | no-change | 0.05 | dangjian@0123abc | 0.05 | +0.0 % | yes |" in text
    assert "| 1,000 | one-edit | 0.30 | dangjian@0123abc | 0.20 | +50.0 % | **no** |" in text
    # The targets of issue #4 are the current dangjian's only.
    assert "one-edit ≤ 0.2× floor | 0.30 s = 0.60× floor" in text
    labels = [t.text for t in ET.fromstring(run.svg_chart([block])).iter("{http://www.w3.org/2000/svg}text")]
    order = [label for label in labels if label and label.startswith(("dangjian", "floor"))]
    assert order == ["dangjian", "dangjian no-change", "dangjian one-edit", "dangjian@0123abc",
                     "dangjian@0123abc no-change", "dangjian@0123abc one-edit", "floor"]
