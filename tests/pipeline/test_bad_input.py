"""Each kind of bad input gives a clear ``path:line: error: message (hint)`` and leaves output/ as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import WriteFile, snapshot

GOOD_FRONT = "title: 测试\ndate: 2010-05-12\nunit: caizhengju\n"


@pytest.fixture
def built(fixture_site: Path) -> Path:
    """The fixture site built once, so that a failed build can be checked to change nothing."""
    assert main(["build", "--site", str(fixture_site)]) == 0
    return fixture_site / "output"


def _fails_with(site: Path, out: Path, capsys: pytest.CaptureFixture[str], *expected: str) -> str:
    before = snapshot(out)
    code = main(["build", "--site", str(site)])
    stderr = capsys.readouterr().err
    assert code == 1, stderr
    for line in expected:
        assert line in stderr.splitlines(), f"missing line {line!r} in:\n{stderr}"
    assert "Traceback" not in stderr
    assert stderr.rstrip().splitlines()[-1].startswith("构建失败：")
    assert snapshot(out) == before, "a failed build changed the output folder"
    return stderr


def test_yaml_syntax_error_names_the_line(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/broken.md", "---\ntitle: 测试\ndate: 2010-05-12\nunit: [县财政局\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/broken.md:4: error: 方括号“[”没有配对的“]”（YAML：did not find expected ',' or ']'） "
                "(在末尾补上“]”：unit: [县财政局])")


def test_yaml_mistakes_from_issue_18_are_told_in_chinese_at_their_lines(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/colon.md", "---\n" + GOOD_FRONT.replace("测试", "学习: 理论") + "---\n正文\n")
    write("content/posts/wide.md", "---\n" + GOOD_FRONT.replace("title: 测试", "title：学习理论") + "---\n正文\n")
    write("content/posts/tab.md", "---\n" + GOOD_FRONT + "activities:\n\t- 创先争优\n---\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/colon.md:2: error: 标题里的英文冒号“:”会被当成“键: 值”的分隔"
                "（YAML：mapping values are not allowed in this context） (把标题放在引号里：title: \"学习: 理论\")",
                "content/posts/wide.md:2: error: “title”后面用了中文冒号“：”，YAML 只认英文冒号"
                "（YAML：mapping values are not allowed in this context） "
                "(把中文冒号改成英文冒号加空格：title: 学习理论)",
                "content/posts/tab.md:6: error: 行首用了 Tab 键缩进，YAML 只认空格"
                "（YAML：found character that cannot start any token） (把行首的 Tab 换成 2 个空格：- 创先争优)")


def test_impossible_date_is_reported_at_its_line(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/bad-date.md", "---\ntitle: 测试\ndate: 2009-02-30\nunit: caizhengju\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/bad-date.md:3: error: “date”不是一个真实存在的日期 "
                "(日期请写成 YYYY-MM-DD，例如 2010-05-12)")


def test_missing_required_field_is_reported(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/no-unit.md", "---\ntitle: 测试\ndate: 2010-05-12\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/no-unit.md:2: error: 缺少必填项“unit” (在 front matter 中加一行 unit: ...)")


def test_text_that_is_not_a_date_is_reported(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/text-date.md", "---\ntitle: 测试\ndate: 五月十二日\nunit: caizhengju\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/text-date.md:3: error: “date”应是 YYYY-MM-DD 格式的日期，"
                "例如 2010-05-12（现在写的是“五月十二日”）")


def test_unknown_unit_suggests_the_closest(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/bad-unit.md", "---\ntitle: 测试\ndate: 2010-05-12\nunit: 县财政厅\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/bad-unit.md:4: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)")


def test_unknown_activity_suggests_the_closest(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/bad-activity.md", f"---\n{GOOD_FRONT}activities: [创先争忧]\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/bad-activity.md:5: error: 活动主题“创先争忧”不在 content/activities.yaml 中 "
                "(是不是要写“创先争优”？)")


def test_file_that_is_not_utf8_says_to_save_as_utf8(fixture_site, built, capsys):
    path = fixture_site / "content/posts/gbk.md"
    path.write_bytes(f"---\n{GOOD_FRONT}---\n".encode() + "县财政局".encode("gbk") + b"\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/gbk.md:6: error: 文件不是 UTF-8 编码，无法读取 "
                "(GBK/GB2312 编码的文件请用记事本“另存为”，编码选 UTF-8 后再保存)")


def test_cover_outside_the_site_is_refused(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/escape.md", f"---\n{GOOD_FRONT}cover: ../../../site.yaml\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/escape.md:5: error: 封面图片“../../../site.yaml”指向了站点 content 文件夹之外 "
                "(把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg)")


def test_image_outside_the_site_is_refused(fixture_site, built, write: WriteFile, capsys):
    write("content/posts/escape-img.md", f"---\n{GOOD_FRONT}---\n正文\n\n![图](../../site.yaml)\n")
    _fails_with(fixture_site, built, capsys,
                "content/posts/escape-img.md:8: error: 图片路径“../../site.yaml”指向了站点 content 文件夹之外 "
                "(把图片放在文章所在文件夹，例如 ![说明](photo.jpg))")


def test_duplicate_urls_name_both_files(fixture_site, built, write: WriteFile, capsys):
    write("content/branches/copy.md", f"---\n{GOOD_FRONT}slug: caizheng-zhibu\n---\n正文\n")
    _fails_with(fixture_site, built, capsys,
                "content/branches/caizheng-zhibu.md:1: error: 网址“branches/caizheng-zhibu/”与 "
                "content/branches/copy.md 重复 (在其中一篇的 front matter 中写不同的 slug)",
                "content/branches/copy.md:1: error: 网址“branches/caizheng-zhibu/”与 "
                "content/branches/caizheng-zhibu.md 重复 (在其中一篇的 front matter 中写不同的 slug)")


def test_all_problems_of_a_run_are_reported_at_once_sorted_by_file(
    fixture_site, built, write: WriteFile, capsys
):
    write("content/posts/b.md", "---\ntitle: 测试\ndate: 2009-02-30\nunit: caizhengju\n---\n正文\n")
    write("content/cases/a.md", "---\ntitle: 测试\ndate: 2010-05-12\nunit: 县财政厅\n---\n正文\n")
    stderr = _fails_with(fixture_site, built, capsys)
    lines = stderr.splitlines()
    assert lines[0].startswith("content/cases/a.md:4: error:")
    assert lines[1].startswith("content/posts/b.md:3: error:")
    assert lines[-1] == "构建失败：2 个错误，0 个警告。输出文件夹未作任何改动。"


def test_a_link_to_a_broken_story_reports_only_the_story_itself(fixture_site, built, write: WriteFile, capsys):
    # caizheng-zhibu.md links to this post; breaking the post must not add a second, misleading error.
    path = fixture_site / "content/posts/国库支付示范岗.md"
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2011-03-01", "date: 2011-02-30"),
                    encoding="utf-8")
    stderr = _fails_with(fixture_site, built, capsys,
                         "content/posts/国库支付示范岗.md:3: error: “date”不是一个真实存在的日期 "
                         "(日期请写成 YYYY-MM-DD，例如 2010-05-12)")
    assert "caizheng-zhibu.md" not in stderr


@pytest.mark.parametrize("broken", ["unit: [县人社局\n", "title 国库支付示范岗\n"])
def test_a_story_whose_front_matter_cannot_be_read_is_reported_once_and_links_to_it_are_not(
        fixture_site, built, capsys, broken):
    path = fixture_site / "content/posts/国库支付示范岗.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 国库支付示范岗\n", broken), encoding="utf-8")
    stderr = _fails_with(fixture_site, built, capsys)
    assert [line.split(":")[0] for line in stderr.splitlines()[:-1]] == ["content/posts/国库支付示范岗.md"]


def test_a_link_to_a_draft_is_a_warning_and_the_link_shows_as_text(fixture_site, built, capsys):
    # Withdrawing a story needs no edit of the stories that link to it.
    path = fixture_site / "content/posts/国库支付示范岗.md"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "draft: true\ntitle:"), encoding="utf-8")
    assert main(["build", "--site", str(fixture_site)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/branches/caizheng-zhibu.md:16: warning: 链接的文章“../posts/国库支付示范岗.md”是草稿（draft: true），"
        "不会发布；链接只显示为文字 (该文章发布后链接自动恢复；预览草稿可加 --drafts)"]
    page = (built / "branches/caizheng-zhibu/index.html").read_text(encoding="utf-8")
    assert "guo-ku-zhi-fu-shi-fan-gang" not in page
    assert main(["build", "--site", str(fixture_site), "--drafts"]) == 0
    assert "guo-ku-zhi-fu-shi-fan-gang/index.html" in (built / "branches/caizheng-zhibu/index.html").read_text(
        encoding="utf-8")


def test_sources_differing_only_in_letter_case_are_an_error_naming_both(fixture_site, built, write: WriteFile,
                                                                         capsys):
    story = (fixture_site / "content/posts/国库支付示范岗.md").read_text(encoding="utf-8")
    write("content/posts/Caizheng.md", story.replace("title: 国库支付示范岗", "title: 甲"))
    write("content/posts/caizheng.md", story.replace("title: 国库支付示范岗", "title: 乙"))
    write("content/cases/Na-An/index.md", story.replace("title: 国库支付示范岗", "title: 丙"))
    write("content/cases/na-an/index.md", story.replace("title: 国库支付示范岗", "title: 丁"))
    write("content/cases/na-an/photo.jpg", "jpg")
    same = "只有字母大小写不同，在 Windows 上是同一个文件 (改掉其中一个的名字，或删去多余的一个)"
    _fails_with(fixture_site, built, capsys,
                f"content/cases/na-an: error: 与“content/cases/Na-An”{same}",
                f"content/posts/caizheng.md: error: 与“content/posts/Caizheng.md”{same}")


def test_a_case_clash_added_after_a_cached_build_is_caught_too(fixture_site, built, write: WriteFile, capsys):
    story = fixture_site / "content/posts/国库支付示范岗.md"
    write("content/posts/国库支付示范岗.MD", story.read_text(encoding="utf-8"))
    _fails_with(fixture_site, built, capsys,
                "content/posts/国库支付示范岗.md: error: 与“content/posts/国库支付示范岗.MD”只有字母大小写不同，"
                "在 Windows 上是同一个文件 (改掉其中一个的名字，或删去多余的一个)")


@pytest.mark.parametrize("name", ["index.html", "Index.HTML"])
def test_a_file_that_would_take_a_pages_place_is_an_error(fixture_site, built, write: WriteFile, capsys, name):
    write(f"content/cases/na-an-zongye/{name}", "<p>旧稿</p>")
    _fails_with(fixture_site, built, capsys,
                f"content/cases/na-an-zongye/{name}: error: 文件会覆盖网站的页面“cases/na-an-zongye/index.html” "
                "(给文件或文件夹换个名字)")
