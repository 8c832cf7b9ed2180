"""An incremental update after any sequence of edits gives the same bytes as a full build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.core.errors import SiteError
from generator.pipeline.builder import Builder, build
from generator.pipeline.options import BuildOptions
from tests.conftest import ROOT, WriteFile, snapshot


def _full(site: Path, out: Path) -> dict[str, bytes]:
    shutil.rmtree(out, ignore_errors=True)
    build(BuildOptions(site_dir=site, out_dir=out, progress=False))
    return snapshot(out)


@pytest.fixture
def serve_dir(tmp_path: Path) -> Path:
    return tmp_path / "serve"


def test_sequence_of_edits_matches_a_full_build_after_each_step(fixture_site: Path, serve_dir: Path,
                                                                 write: WriteFile, tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(serve_dir)
    assert snapshot(serve_dir) == _full(fixture_site, tmp_path / "full")

    story = "content/posts/国库支付示范岗.md"
    template = "themes/default/templates/story.html"
    def step(name: str, *changed: str) -> None:
        builder.update(serve_dir, [c.removeprefix("content/") for c in changed])
        assert snapshot(serve_dir) == _full(fixture_site, tmp_path / "full"), f"differs after: {name}"

    write("content/posts/new-post.md", "---\ntitle: 新示范岗\ndate: 2012-01-05\nunit: renshe\n---\n新的示范岗。\n")
    step("add a story", "content/posts/new-post.md")

    text = (fixture_site / story).read_text(encoding="utf-8")
    (fixture_site / story).write_text(text.replace("首问负责制", "首问负责制和限时办结制"), encoding="utf-8")
    step("change a story", story)

    (fixture_site / "content/posts/new-post.md").unlink()
    step("delete a story", "content/posts/new-post.md")

    # Search data: title tokens, a story numbered between others, a filter that changes.
    text = (fixture_site / story).read_text(encoding="utf-8")
    (fixture_site / story).write_text(text.replace("title: ", "title: 粽叶 ", 1), encoding="utf-8")
    step("change a title", story)
    write("content/posts/old-post.md", "---\ntitle: 旧示范岗\ndate: 2001-01-05\nunit: renshe\n---\n旧的示范岗。\n")
    step("add a story older than the others", "content/posts/old-post.md")
    old = (fixture_site / "content/posts/old-post.md").read_text(encoding="utf-8")
    (fixture_site / "content/posts/old-post.md").write_text(old.replace("unit: renshe", "unit: caizhengju"),
                                                            encoding="utf-8")
    step("move a story to another unit", "content/posts/old-post.md")

    original = (ROOT / template).read_text(encoding="utf-8")
    write(template, original.replace('<article class="story">', '<article class="story" data-edited="1">'))
    step("change a template")

    units = (fixture_site / "content/units.yaml").read_text(encoding="utf-8")
    (fixture_site / "content/units.yaml").write_text(units.replace("name: 县人社局", "name: 县人力资源和社会保障局"),
                                                     encoding="utf-8")
    step("rename a unit", "content/units.yaml")

    (fixture_site / "content/cases/na-an-zongye/leaf.png").write_bytes(b"\x89PNG changed")
    step("change an image", "content/cases/na-an-zongye/leaf.png")

    (fixture_site / template).unlink()
    step("remove the template override")


def test_an_unchanged_site_renders_and_writes_nothing(fixture_site: Path, serve_dir: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    first = builder.update(serve_dir)
    assert first.rendered == first.pages
    again = builder.update(serve_dir)
    assert (again.rendered, again.files) == (0, 0)


def test_editing_a_body_re_renders_only_the_pages_that_show_it(fixture_site: Path, serve_dir: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(serve_dir)
    path = fixture_site / "content/branches/caizheng-zhibu.md"
    path.write_text(path.read_text(encoding="utf-8").replace("| 示范岗 | 3 个 |", "| 示范岗 | 4 个 |"),
                    encoding="utf-8")
    report = builder.update(serve_dir, ["branches/caizheng-zhibu.md"])
    # Only the story's own page shows its table; lists show the unchanged first paragraph.
    # The search page is rendered again too: its links carry the version of the search data.
    assert report.rendered == 2
    assert "4 个" in (serve_dir / "branches/caizheng-zhibu/index.html").read_text(encoding="utf-8")


def test_a_failed_update_leaves_the_folder_as_it_was_and_the_next_one_recovers(
    fixture_site: Path, serve_dir: Path, write: WriteFile, tmp_path: Path
) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(serve_dir)
    before = snapshot(serve_dir)
    write("content/posts/broken.md", "---\ntitle: 坏\ndate: 2009-02-30\nunit: renshe\n---\n正文\n")
    with pytest.raises(SiteError):
        builder.update(serve_dir, ["posts/broken.md"])
    assert snapshot(serve_dir) == before
    (fixture_site / "content/posts/broken.md").write_text(
        "---\ntitle: 好\ndate: 2009-02-28\nunit: renshe\n---\n正文\n", encoding="utf-8")
    builder.update(serve_dir, ["posts/broken.md"])
    assert snapshot(serve_dir) == _full(fixture_site, tmp_path / "full")


BRANCH = "content/branches/caizheng-zhibu.md"
POST = "content/posts/国库支付示范岗.md"
CASE = "content/cases/na-an-zongye/index.md"
PAGE = "content/pages/about.md"

# (what, file, old text, new text, whether the edit can be planned without revisiting the site)
EDITS = [
    ("first paragraph of a story", BRANCH, "坚持“三会一课”制度", "坚持“三会一课”和主题党日制度", True),
    ("title of a story", POST, "title: 国库支付示范岗", "title: 国库集中支付示范岗", True),
    ("summary in front matter", POST, "summary: 窗口服务规范，群众满意。", "summary: 窗口服务规范。", True),
    ("body of a standalone page", PAGE, "本站展示", "本站集中展示", True),
    ("title of a standalone page, shown in every footer", PAGE, "title: 关于本站", "title: 关于", True),
    ("date of a story", BRANCH, "date: 2010-05-12", "date: 2011-08-01", False),
    ("unit of a story", CASE, "unit: renshe", "unit: caizhengju", False),
    ("activities of a story", BRANCH, "activities: [创先争优]", "activities: [创先争优, 四帮四促]", False),
    ("an image taken out of a body", CASE, "![粽叶基地](leaf.png)", "", False),
]


def test_edits_that_move_nothing_are_patched_and_others_replanned_and_both_match_a_full_build(
    fixture_site: Path, serve_dir: Path, tmp_path: Path
) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(serve_dir)
    for what, rel, old, new, patched in EDITS:
        path = fixture_site / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, what
        path.write_text(text.replace(old, new), encoding="utf-8")
        builder.update(serve_dir, [rel.removeprefix("content/")])
        assert builder.state.last is not None
        assert (builder.state.last.prepared.fresh is not None) == patched, what
        assert snapshot(serve_dir) == _full(fixture_site, tmp_path / "full"), f"differs after: {what}"


def test_a_patched_edit_with_a_problem_is_reported_and_the_fix_recovers(
    fixture_site: Path, serve_dir: Path, tmp_path: Path
) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    builder.update(serve_dir)
    before = snapshot(serve_dir)
    path = fixture_site / BRANCH
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("详见", "另见[不存在](../posts/none.md)。详见"), encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        builder.update(serve_dir, ["branches/caizheng-zhibu.md"])
    assert any("none.md" in p.message for p in raised.value.problems)
    assert snapshot(serve_dir) == before
    path.write_text(good.replace("三会一课", "三会一课”“主题党日"), encoding="utf-8")
    builder.update(serve_dir, ["branches/caizheng-zhibu.md"])
    assert snapshot(serve_dir) == _full(fixture_site, tmp_path / "full")
    # The next edit starts from a successful full run again, so it is patched.
    path.write_text(good, encoding="utf-8")
    builder.update(serve_dir, ["branches/caizheng-zhibu.md"])
    assert builder.state.last is not None and builder.state.last.prepared.fresh is not None
    assert snapshot(serve_dir) == _full(fixture_site, tmp_path / "full")
