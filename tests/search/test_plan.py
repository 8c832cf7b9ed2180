"""The search files a build writes, and the builds that patch them (``generator.search.plan``)."""

from __future__ import annotations

import re
from pathlib import Path

from generator.pipeline.builder import Builder, build
from generator.pipeline.options import BuildOptions
from tests.conftest import ROOT, WriteFile
from tests.search_data import load_search

SEARCH_JS = ROOT / "themes" / "default" / "static" / "js" / "search.js"


def test_the_example_site_writes_every_shard_story_and_filter_file(example_output: Path) -> None:
    data = load_search(example_output)
    html = (example_output / "search/index.html").read_text(encoding="utf-8")
    assert len(list((example_output / "search/i").glob("*.js"))) == 1 << data.bits
    assert sorted(data.docs) == list(range(len(data.docs))) and len(data.docs) == 21
    values = re.findall(r'<select name="(\w+)">(.*?)</select>', html, re.DOTALL)
    options = {f"{name}-{value}" for name, body in values for value in re.findall(r'value="([^"]+)"', body)}
    assert options == set(data.filters)
    # Scripts come from files only (no inline data): the reading aids, then search itself.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="../static/js/a11y.js">',
                                                  '<script src="../static/js/search.js">']


def test_story_files_carry_what_results_show(example_output: Path) -> None:
    data = load_search(example_output)
    by_title = {d["t"]: d for d in data.docs.values()}
    doc = by_title["县人社局帮扶纳安村建设粽叶基地"]
    assert doc["u"].startswith("../cases/") and doc["u"].endswith("/index.html")
    assert (example_output / "search" / doc["u"]).is_file()
    assert (doc["k"], doc["c"]) == ("帮扶案例", "case")
    assert "粽叶" in doc["x"] and "<" not in doc["x"] and "**" not in doc["x"]


def test_ids_count_from_the_oldest_story(example_output: Path) -> None:
    data = load_search(example_output)
    dates = [tuple(int(x) for x in re.findall(r"\d+", data.docs[i]["d"])) for i in sorted(data.docs)]
    assert dates == sorted(dates)


def test_reference_finds_the_example_stories(example_output: Path) -> None:
    data = load_search(example_output)
    for query in ("粽叶", "银洞湾", "上门年检"):
        found = data.expected(query)
        assert found, query
        assert all(query in f"{d['t']}\n{d['s']}\n{d['x']}" for d in found)
        assert all(query not in f"{d['t']}\n{d['s']}\n{d['x']}" for d in data.docs.values() if d not in found)


def test_search_script_uses_no_syntax_newer_than_es2017() -> None:
    code = SEARCH_JS.read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", code, flags=re.DOTALL)
    newer = {"optional chaining": r"\?\.", "nullish coalescing": r"\?\?", "spread or rest": r"\.\.\.",
             "catch without binding": r"catch\s*\{", "for await": r"for\s+await", "class fields": r"#\w",
             "regex named groups or lookbehind": r"\(\?<", "ES modules": r"^\s*(import|export)\b",
             "exponent assignment or BigInt": r"\*\*=|\b\d+n\b"}
    found = [name for name, pattern in newer.items() if re.search(pattern, code, re.MULTILINE)]
    assert not found, found
    flags = re.findall(r"new RegExp\([^;]*?\"([a-z]*)\"\)|/[^/\n*]+/([a-z]+)[.;,)]", code)
    assert flags and {f for pair in flags for f in "".join(pair)} <= set("gimuy"), flags


def test_a_build_after_edits_writes_only_changed_search_files(fixture_site: Path, write: WriteFile,
                                                              tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    out = tmp_path / "serve"
    builder.update(out)
    shards = {p.name: p.stat().st_mtime_ns for p in (out / "search/i").glob("*.js")}
    story = fixture_site / "content/posts/国库支付示范岗.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n粽叶。\n", encoding="utf-8")
    report = builder.update(out, ["posts/国库支付示范岗.md"])
    changed = {p.name for p in (out / "search/i").glob("*.js") if p.stat().st_mtime_ns != shards[p.name]}
    assert 0 < len(changed) < len(shards)
    assert report.data == len(changed) + 1  # the shards and the story's own file
    full = tmp_path / "full"
    build(BuildOptions(site_dir=fixture_site, out_dir=full, progress=False, cache=False))
    assert load_search(out).lookup == load_search(full).lookup
    assert load_search(out).docs == load_search(full).docs
    assert any("粽叶" in doc["x"] for doc in load_search(out).docs.values())


def test_a_cached_build_patches_the_index_the_last_build_saved(fixture_site: Path, tmp_path: Path) -> None:
    build(BuildOptions(site_dir=fixture_site, progress=False))
    story = fixture_site / "content/posts/国库支付示范岗.md"
    story.write_text(story.read_text(encoding="utf-8").replace("首问负责制", "首问负责制和粽叶"), encoding="utf-8")
    builder = Builder(BuildOptions(site_dir=fixture_site, progress=False))
    report = builder.build()
    assert not builder.state.search.index.rebuilt and 0 < report.data < 10
    full = tmp_path / "full"
    build(BuildOptions(site_dir=fixture_site, out_dir=full, progress=False, cache=False))
    ours, theirs = load_search(fixture_site / "output"), load_search(full)
    assert (ours.lookup, ours.docs, ours.filters) == (theirs.lookup, theirs.docs, theirs.filters)
    assert any("首问负责制和粽叶" in doc["x"] for doc in ours.docs.values())
