"""``dangjian check`` on a site with one problem of each kind planted (tests/fixtures/check-site), and on the example.

Every problem is named with its file and line (files as a whole have none), grouped by file,
with one summary line; the check exits 1 and writes nothing. The example site passes.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline.options import BuildOptions
from tests.conftest import ROOT, snapshot

CHECK_SITE = Path(__file__).resolve().parent / "fixtures" / "check-site"
BRANCH = "content/branches/caizheng-zhibu.md"
NOT_A_STORY = "(用 dangjian new 新建文章，把正文复制进去；要供人下载，就在文章中链接它)"

PLANTED = [
    ("unused activity (info)", "content/activities.yaml:3: info: 活动主题“四帮四促”还没有已发布的文章 "
                               "(写文章时在 front matter 中填“四帮四促”；不再需要的可以删去)"),
    ("duplicate title", f"{BRANCH}:2: warning: 标题“县财政局党支部”与 content/posts/chongfu.md 相同 "
                        "(读者在列表和搜索结果中分不清；给其中一篇换个标题)"),
    ("link to a missing page", f"{BRANCH}:9: error: 链接的文章“../pages/abuot.md”不存在 "
                               "(是不是要写“../pages/about.md”？)"),
    ("link to a missing story", f"{BRANCH}:9: error: 链接的文章“../posts/guoku.md”不存在 "
                                "(是不是要写“../posts/guoku-gang.md”？)"),
    ("link to a missing heading", f"{BRANCH}:11: warning: 链接的位置“../posts/guoku-gang.md#职责”在该文章中不存在 "
                                  "(是不是要写“#岗位职责”？)"),
    ("link to a missing attachment", f"{BRANCH}:13: error: 链接的文件“report.pdf”不存在 "
                                     "(检查文件名（含大小写和扩展名）以及是否放在文章所在文件夹)"),
    ("link to a draft", f"{BRANCH}:15: warning: 链接的文章“../posts/draft.md”是草稿（draft: true），不会发布；"
                        "链接只显示为文字 (该文章发布后链接自动恢复；预览草稿可加 --drafts)"),
    ("missing cover", "content/cases/kanghan.md:5: error: 封面图片找不到文件“drought.jpg” "
                      "(把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg)"),
    ("image without alt text", "content/cases/xiulu/index.md:9: warning: 图片“road.png”没有说明文字 "
                               "(写作 ![说明](文件名)：读屏软件会读出说明，图片打不开时也会显示它)"),
    ("missing image", "content/cases/xiulu/index.md:11: error: 图片“before.jpg”不存在 "
                      "(检查文件名（含大小写和扩展名）以及是否放在文章所在文件夹)"),
    ("Markdown outside the story folders", "content/news/yize.md: warning: 这个 Markdown 文件不在文章的文件夹中，"
                                           "不会发布 (移到 branches/、posts/、cases/ 或 pages/ 文件夹中)"),
    # Reported once: the branch's link to it is not reported as missing.
    ("broken front matter", "content/posts/broken.md:4: error: 方括号“[”没有配对的“]”"
                            "（YAML：did not find expected ',' or ']'） (在末尾补上“]”：unit: [县财政局])"),
    ("summary too long", "content/posts/changzhaiyao.md:5: warning: 摘要有 138 个字，列表中的卡片宜在 120 字以内 "
                         "(缩短到 120 字以内；不写 summary 则自动取正文第一段的开头)"),
    ("the same title, the other file", "content/posts/chongfu.md:2: warning: 标题“县财政局党支部”与 "
                                       f"{BRANCH} 相同 (读者在列表和搜索结果中分不清；给其中一篇换个标题)"),
    ("link to a built page", "content/posts/chuangkou.md:6: error: 链接“../guoku-gang/index.html”指向生成后的网页，"
                             "而不是文章的 .md 文件 (改为“guoku-gang.md”：生成时自动换成网页地址)"),
    ("date in the future", "content/posts/mingnian.md:3: warning: 日期 2999-01-01 晚于今天（2020-01-01） "
                           "(检查年份和月份是否写错；还不想发布的文章请加一行 draft: true)"),
    ("dangjian new's summary note", "content/posts/xinwen.md:6: warning: “summary”还是 dangjian new 写入的说明文字 "
                                    "(换成真实内容，或删去这一行)"),
    ("dangjian new's body", "content/posts/xinwen.md:13: warning: 正文还是 dangjian new 写入的示例文字“在这里写正文…” "
                            "(把这一段换成正文)"),
    (".md.txt", "content/posts/新闻.md.txt: warning: 文件名多了 .txt，不会作为文章发布 "
                "(把扩展名改为 .md（资源管理器中勾选“查看 → 文件扩展名”才看得到）)"),
    (".doc", f"content/posts/旧稿.doc: warning: Word 文件不会作为文章发布 {NOT_A_STORY}"),
    (".txt", "content/posts/笔记.txt: warning: 文本文件不会作为文章发布 "
             "(加上 front matter（以 --- 开始的设置区），再把扩展名改为 .md)"),
    (".docx", f"content/posts/讲话稿.docx: warning: Word 文件不会作为文章发布 {NOT_A_STORY}"),
    (".wps", f"content/posts/通知.wps: warning: WPS 文件不会作为文章发布 {NOT_A_STORY}"),
    ("unused unit (info)", "content/units.yaml:5: info: 单位“县档案局”还没有已发布的文章 "
                           "(写文章时在 front matter 中填“县档案局”；不再需要的可以删去)"),
]


@pytest.fixture
def check_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the check site, checked as on 1 January 2020."""
    monkeypatch.setattr(BuildOptions, "date", lambda self: dt.date(2020, 1, 1))
    site = tmp_path / "check-site"
    shutil.copytree(CHECK_SITE, site)
    return site


def test_check_names_every_planted_problem_with_its_file_and_line_grouped_by_file(check_site: Path, capsys):
    before = snapshot(check_site)
    assert main(["check", "--site", str(check_site)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert [line for line in lines if line] == [line for _, line in PLANTED] + [
        "检查未通过：7 个错误，15 个警告，2 条提示。未写入任何文件。"]
    # A blank line before each file's first problem, and before the summary.
    paths = [line.split(":")[0] for line in lines if line]
    starts = [index for index, line in enumerate(lines) if line and (index == 0 or not lines[index - 1])]
    assert len(starts) == len(dict.fromkeys(paths))
    assert snapshot(check_site) == before  # nothing written: no output/, no cache


def test_check_in_json_lists_the_same_problems(check_site: Path, capsys):
    assert main(["check", "--site", str(check_site), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    found = [f"{p['path']}{':' + str(p['line']) if p['line'] else ''}: {p['severity']}: {p['message']} ({p['hint']})"
             for p in document["problems"]]
    assert found == [line for _, line in PLANTED]
    assert document["summary"] == {"errors": 7, "warnings": 15, "infos": 2, "passed": False, "strict": False,
                                   "stories": None, "pages": None}


def test_the_example_site_passes_without_a_warning(capsys):
    assert main(["check", "--site", str(ROOT), "--strict"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("检查通过：") and "0 个错误，0 个警告" in out
    assert " warning: " not in err and " error: " not in err
