"""The benchmark harness: the floor pipeline, the peer adapters and the report (no peer tool is run)."""

from __future__ import annotations

import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bench import run
from bench.floor import build, split_front_matter
from bench.make_site import make_site
from bench.peers.adapters import load_corpus, write_hugo, write_mkdocs, write_pelican


def test_split_front_matter() -> None:
    assert split_front_matter("---\ntitle: a\n---\nbody\n") == ("title: a", "body\n")
    assert split_front_matter("no front matter\n") == ("", "no front matter\n")
    assert split_front_matter("---\nunclosed\n") == ("", "---\nunclosed\n")


def test_floor_writes_one_page_per_story(tmp_path: Path) -> None:
    make_site(24, tmp_path / "site")
    assert build(tmp_path / "site", tmp_path / "out", jobs=2) == 24
    pages = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("index.html"))
    assert len(pages) == 24
    assert {p.split("/")[0] for p in pages} == {"branches", "posts", "cases"}
    story = next((tmp_path / "site" / "content" / "posts").glob("*.md"))
    html = (tmp_path / "out" / "posts" / story.stem / "index.html").read_text(encoding="utf-8")
    title = split_front_matter(story.read_text(encoding="utf-8"))[0].split("\n")[0].removeprefix("title: ")
    assert title.strip('"') in html
    assert "<h2>" in html


def test_adapters_give_every_story_and_index_page(tmp_path: Path) -> None:
    make_site(60, tmp_path / "site")
    corpus = load_corpus(tmp_path / "site")
    assert len(corpus.stories) == 60
    assert all(s.unit in corpus.units for s in corpus.stories)
    assert all(a in corpus.activities for s in corpus.stories for a in s.activities)
    write_mkdocs(corpus, tmp_path / "mkdocs")
    docs = tmp_path / "mkdocs" / "docs"
    for story in corpus.stories:
        assert (docs / story.path).is_file()
    for unit in corpus.by_unit():
        assert (docs / "units" / unit / "index.md").is_file()
    assert (docs / "branches" / "page" / "2.md").is_file()  # 24 branches, 20 a page
    write_hugo(corpus, tmp_path / "hugo")
    assert len(list((tmp_path / "hugo" / "content").rglob("*-0*.md"))) == 60
    assert (tmp_path / "hugo" / "layouts" / "_default" / "single.html").is_file()
    write_pelican(corpus, tmp_path / "pelican")
    text = next((tmp_path / "pelican" / "content" / "posts").glob("*.md")).read_text(encoding="utf-8")
    assert text.startswith("Title: ") and "\nCategory: posts\n" in text


def test_measure_and_report(tmp_path: Path) -> None:
    busy = ("import time\nx = bytearray(30_000_000)\n"
            "end = time.process_time() + 0.2\nwhile time.process_time() < end: pass")
    result = run.measure([sys.executable, "-c", busy], tmp_path, tmp_path / "log", 60)
    assert result.returncode == 0 and not result.timed_out
    assert result.maxrss_kb > 25_000
    assert result.user + result.system >= 0.2
    block = run.SizeBlock(1000, "now", "abc")
    for tool, mode, wall in (("dangjian", "cold", 0.6), ("dangjian", "no-change", 0.05),
                             ("dangjian", "one-edit", 0.2), ("floor", "cold", 0.5), ("hugo", "cold", 0.3)):
        block.row(tool, mode).runs.append(run.Run(wall, 50_000, 60_000, 0, pages=1, user=wall * 1.5, system=wall / 4))
    block.row("pelican", "cold").runs.append(run.Run(2.0, 50_000, 60_000, 0, pages=1))  # from before CPU was recorded
    text = run.markdown_report([block], "test", "results.svg", 1.0, ["dangjian", "floor"])
    assert "| 1,000 | dangjian | cold | 0.60 | 0.60 | 0.60 | 0.90 | 0.15 |" in text
    assert "| 1,000 | pelican | cold | 2.00 | 2.00 | 2.00 | – | – |" in text
    assert "1.20×" in text
    assert "- cold build ≤ 1.5× floor: met at 1,000 stories" in text
    assert "one-edit rebuild ≤ 0.2× floor: **NOT met** at 1,000 stories" in text
    ET.fromstring(run.svg_chart([block]))


def test_old_outputs_are_moved_aside_and_deleted_after_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "RETIRED", tmp_path / "retired")
    tool = run.Tool("x", lambda project, out: [], lambda size: tmp_path / f"x-{size}",
                    caches=lambda project: [project / "cache"])
    page = run.out_dir("x", 10) / "posts" / "a" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("old", encoding="utf-8")
    (tmp_path / "x-10" / "cache").mkdir(parents=True)
    inode = page.stat().st_ino
    run._forget(tool, 10)()
    assert not run.out_dir("x", 10).exists() and not (tmp_path / "x-10" / "cache").exists()
    # Not deleted: the same inodes, under RETIRED (deleting them now would slow the build about to run).
    kept = list((tmp_path / "retired").rglob("index.html"))
    assert [p.stat().st_ino for p in kept] == [inode]
    assert len(list((tmp_path / "retired").iterdir())) == 2
    run._forget(tool, 10)()  # nothing left to move
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    run.clear_retired(settle=False)
    assert not (tmp_path / "retired").exists() and slept == []
    page.parent.mkdir(parents=True)
    page.write_text("old", encoding="utf-8")
    run._forget(tool, 10)()
    run.clear_retired(settle=True)
    assert not (tmp_path / "retired").exists() and slept == [run.RECENTLY_FREED_S]
    run.clear_retired(settle=True)  # nothing deleted: no wait
    assert slept == [run.RECENTLY_FREED_S]


def test_with_little_free_disk_old_outputs_are_deleted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "ROOT", tmp_path)
    monkeypatch.setattr(run, "RETIRED", tmp_path / "retired")
    monkeypatch.setattr(run, "RETIRE_MIN_FREE", 1 << 62)
    old = tmp_path / "out" / "x-10"
    old.mkdir(parents=True)
    (old / "index.html").write_text("old", encoding="utf-8")
    run._retire(old)
    assert not old.exists() and not (tmp_path / "retired").exists()


def test_a_size_is_prepared_in_another_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The child finds ROOT from the environment, as the run that started it does.
    monkeypatch.setenv("DANGJIAN_BENCH_ROOT", str(tmp_path))
    monkeypatch.setattr(run, "ROOT", tmp_path)

    def not_here(*args: object) -> None:
        raise AssertionError("the corpus is made in this process")

    monkeypatch.setattr(run, "ensure_corpus", not_here)  # the child imports its own, unpatched
    stamp = run.prepare_size(12, ["mkdocs"])
    assert (tmp_path / "site-12.stamp").read_text() == stamp
    assert len(list((tmp_path / "site-12" / "content").rglob("*.md"))) == 12
    assert (tmp_path / "mkdocs-12" / "mkdocs.yml").is_file() and (tmp_path / "mkdocs-12.stamp").is_file()
