"""``dangjian serve`` over real HTTP on 127.0.0.1: edits, errors, bursts of saves, safety, shutdown."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURE_SITE, ROOT
from tests.serving import ServeProcess

STORY = "content/posts/国库支付示范岗.md"
STORY_URL = "/posts/guo-ku-zhi-fu-shi-fan-gang/"


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    """One ``dangjian serve`` for the tests of this module that only send requests (they change nothing)."""
    site = tmp_path_factory.mktemp("shared") / "site"
    shutil.copytree(FIXTURE_SITE, site)
    process = ServeProcess(site)
    yield process
    process.close()


def _edit(site: Path, old: str, new: str) -> None:
    path = site / STORY
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_serves_the_site_with_the_live_reload_script(server: ServeProcess) -> None:
    status, headers, body = server.get(STORY_URL)
    assert status == 200
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b"/livereload.js" in body and "国库支付窗口实行首问负责制".encode() in body


def test_an_edited_story_is_served_with_its_new_text(server: ServeProcess, fixture_site: Path) -> None:
    _edit(fixture_site, "首问负责制", "首问负责制和限时办结制")
    server.wait_until(STORY_URL, lambda status, text: status == 200 and "限时办结制" in text)


def test_broken_front_matter_shows_an_error_page_and_fixing_it_restores_the_page(
    server: ServeProcess, fixture_site: Path
) -> None:
    _edit(fixture_site, "date: 2011-03-01", "date: 2011-02-30")
    _, text = server.wait_until(STORY_URL, lambda status, text: status == 500)
    assert "content/posts/国库支付示范岗.md:3" in text
    assert "“date”不是一个真实存在的日期" in text and "/livereload.js" in text
    server.wait_for_line(re.compile(r"content/posts/国库支付示范岗\.md:3: error:"))
    _edit(fixture_site, "date: 2011-02-30", "date: 2011-03-01")
    server.wait_until(STORY_URL, lambda status, text: status == 200 and "国库支付窗口实行首问负责制" in text)


def test_a_burst_of_saves_across_several_builds_ends_with_the_last_save(
    server: ServeProcess, fixture_site: Path
) -> None:
    path = fixture_site / STORY
    original = path.read_text(encoding="utf-8")
    # Save again and again, paced only by the server's answers, until at least 20 saves are made and five
    # different ones were served: the burst then spans several builds, however fast the machine is.
    shown: set[str] = set()
    number = 0
    deadline = time.monotonic() + 60
    while number < 20 or len(shown) < 5:
        assert time.monotonic() < deadline, f"after {number} saves only these were served: {sorted(shown)}"
        path.write_text(original.replace("首问负责制", f"首问负责制（第{number:05d}次修改）"), encoding="utf-8")
        number += 1
        shown.update(re.findall(r"第(\d{5})次修改", server.text(STORY_URL)))
    last = f"{number - 1:05d}"
    server.wait_until(STORY_URL, lambda status, text: f"第{last}次修改" in text)
    # Any build still under way must not bring back an older save. Builds run one at a time, so once a
    # save made now is served, every build that had started before it has ended.
    marker = fixture_site / "content/posts/burst-end.md"
    marker.write_text("---\ntitle: 连续保存之后\ndate: 2012-01-01\nunit: renshe\n---\n正文。\n", encoding="utf-8")
    server.wait_until("/posts/burst-end/", lambda status, text: status == 200 and "连续保存之后" in text)
    assert set(re.findall(r"第(\d{5})次修改", server.text(STORY_URL))) == {last}


@pytest.mark.parametrize("path", [
    "/../site.yaml", "/../../etc/passwd", "/%2e%2e/site.yaml", "/..%2fsite.yaml", "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/static/../../site.yaml", "/static/%2e%2e/%2e%2e/site.yaml", "/..\\site.yaml",
])
def test_paths_outside_the_served_folder_are_refused(shared_server: ServeProcess, path: str) -> None:
    status, _, body = shared_server.get(path)
    assert status in (400, 403, 404)
    assert b"title:" not in body and b"root:" not in body


def test_content_types_are_right_and_utf8(server: ServeProcess) -> None:
    expected = {"/": "text/html; charset=utf-8", "/static/css/style.css": "text/css; charset=utf-8",
                "/feed.xml": "application/xml; charset=utf-8", "/cases/na-an-zongye/leaf.png": "image/png"}
    for path, content_type in expected.items():
        status, headers, _ = server.get(path)
        assert (status, headers["content-type"]) == (200, content_type), path


def test_missing_pages_get_the_site_404_page(server: ServeProcess) -> None:
    status, headers, body = server.get("/posts/no-such-story/")
    assert status == 404
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "页面不存在".encode() in body


def test_ctrl_c_stops_the_server_without_traceback(server: ServeProcess) -> None:
    assert server.interrupt() == 0
    output = "\n".join(server.lines)
    assert "Traceback" not in output and "预览已停止。" in output


def test_build_output_never_contains_the_live_reload_script(fixture_site: Path, server: ServeProcess) -> None:
    from generator.cli import main

    assert main(["build", "--site", str(fixture_site)]) == 0
    for page in (fixture_site / "output").rglob("*.html"):
        assert "livereload" not in page.read_text(encoding="utf-8"), page


def test_a_burst_of_500_new_files_ends_in_the_full_final_state(server: ServeProcess, fixture_site: Path) -> None:
    # Like `git checkout` of a branch that adds many stories at once.
    folder = fixture_site / "content" / "posts"
    for number in range(500):
        front = f"title: 批量文章{number:03d}\ndate: 2012-01-{number % 28 + 1:02d}\nunit: renshe"
        (folder / f"burst-{number:03d}.md").write_text(f"---\n{front}\n---\n正文{number}。\n", encoding="utf-8")
    server.wait_until("/posts/burst-499/", lambda status, text: status == 200 and "批量文章499" in text, timeout=60)
    # per_page is 1 in the fixture site, so the list has one page per post: 500 new + 1.
    server.wait_until("/posts/page/501/", lambda status, text: status == 200, timeout=30)
    assert server.get("/posts/page/502/")[0] == 404


def test_a_themes_folder_made_after_the_start_is_watched(server: ServeProcess, fixture_site: Path) -> None:
    assert not (fixture_site / "themes").exists()
    builtin = (ROOT / "themes/default/templates/story.html").read_text(encoding="utf-8")
    override = fixture_site / "themes/default/templates/story.html"
    override.parent.mkdir(parents=True)
    override.write_text(builtin.replace('<article class="story">', '<article class="story" data-own-theme="1">'),
                        encoding="utf-8")
    server.wait_until(STORY_URL, lambda status, text: 'data-own-theme="1"' in text)
    # Now watched like the rest: a second edit of the override is applied too.
    override.write_text(builtin.replace('<article class="story">', '<article class="story" data-own-theme="2">'),
                        encoding="utf-8")
    server.wait_until(STORY_URL, lambda status, text: 'data-own-theme="2"' in text)
