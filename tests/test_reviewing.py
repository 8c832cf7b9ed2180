"""``dangjian review``: the listing by state, and ``review approve`` recording approvals all or nothing."""

import datetime as dt
from pathlib import Path

import pytest

from generator.cli import main
from generator.core.errors import SiteError
from generator.reviewing import approve, review_listing

UNITS = "- id: caizhengju\n  name: 县财政局\n"
ACTIVITIES = "- id: chuangxian\n  name: 创先争优\n"
STORY = ("---\ntitle: 国库岗  # 标题后的注释\ndate: 2010-05-12\nunit: 县财政局\nactivities: [创先争优]\n"
         "summary:      # 可选\n---\n\n窗口服务规范。\n")
DAY = dt.date(2026, 12, 1)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_site(root: Path, levels: str = "[初审, 复审, 终审]") -> Path:
    write(root / "site.yaml", f"title: 党建\nreview_levels: {levels}\n")
    write(root / "content/units.yaml", UNITS)
    write(root / "content/activities.yaml", ACTIVITIES)
    write(root / "content/posts/guoku.md", STORY)
    write(root / "content/posts/shuiwu.md", STORY.replace("国库岗", "税务岗"))
    return root


def refused(root: Path, files: list[str], level: str, by: str = "张三") -> list[str]:
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    with pytest.raises(SiteError) as caught:
        approve(root, [Path(f) for f in files], level, by, DAY)
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before, "a refused approval changed a file"
    return [p.format() for p in caught.value.problems]


def test_an_approval_is_recorded_in_the_front_matter_and_every_other_byte_is_kept(tmp_path: Path):
    root = make_site(tmp_path)
    said = approve(root, [root / "content/posts/guoku.md"], "初审", "张三", DAY)
    assert said == ["已记录 content/posts/guoku.md 的初审：张三 2026-12-01。下一步：复审。"]
    text = (root / "content/posts/guoku.md").read_text(encoding="utf-8")
    head, _, tail = text.partition("reviews:\n")
    assert head + tail.split("\n", 1)[1] == STORY
    assert tail.startswith("  - {level: 初审, name: 张三, date: 2026-12-01, fingerprint: \"")


def test_files_are_found_from_the_site_folder_and_bundles_by_their_folder(tmp_path: Path, monkeypatch):
    root = make_site(tmp_path / "site")
    write(root / "content/cases/xiulu/index.md", STORY)
    monkeypatch.chdir(tmp_path)
    said = approve(root, [Path("content/cases/xiulu"), Path("content/posts/guoku.md")], "初审", "张三", DAY)
    assert [line.split(" 的")[0] for line in said] == ["已记录 content/cases/xiulu/index.md",
                                                       "已记录 content/posts/guoku.md"]


def test_levels_are_approved_in_order_and_the_last_one_publishes(tmp_path: Path):
    root = make_site(tmp_path)
    story = [root / "content/posts/guoku.md"]
    assert refused(root, ["content/posts/guoku.md"], "复审") == [
        "content/posts/guoku.md:2: error: 还没有通过初审，不能先复审 (审核按 初审 → 复审 → 终审 的顺序进行："
        "先运行 dangjian review approve content/posts/guoku.md --level 初审 --by 姓名)"]
    approve(root, story, "初审", "张三", DAY)
    assert refused(root, ["content/posts/guoku.md"], "初审")[0].endswith(
        "error: 已经通过初审（张三 2026-12-01），没有重复记录 (下一步是复审；dangjian review 可查看审核进度)")
    approve(root, story, "复审", "李四", DAY)
    assert approve(root, story, "终审", "王五", DAY) == [
        "已记录 content/posts/guoku.md 的终审：王五 2026-12-01。已通过全部审核，下次 dangjian build 时发布。"]


def test_after_an_edit_every_level_approves_again_and_the_old_approvals_go(tmp_path: Path):
    root = make_site(tmp_path)
    path = root / "content/posts/guoku.md"
    for level in ("初审", "复审", "终审"):
        approve(root, [path], level, "张三", DAY)
    path.write_text(path.read_text(encoding="utf-8").replace("窗口服务规范", "窗口服务更规范"), encoding="utf-8")
    assert "改后待复核（1 篇）" in review_listing(root)
    assert refused(root, [str(path)], "终审")[0].endswith(
        "error: 还没有通过初审，不能先终审 (审核按 初审 → 复审 → 终审 的顺序进行："
        "先运行 dangjian review approve content/posts/guoku.md --level 初审 --by 姓名)")
    said = approve(root, [path], "初审", "赵六", dt.date(2026, 12, 9))
    assert said == ["已记录 content/posts/guoku.md 的初审：赵六 2026-12-09（已移除改动前的 3 条审核记录）。"
                    "下一步：复审。"]
    assert path.read_text(encoding="utf-8").count("level:") == 1


def test_an_unknown_level_names_the_allowed_ones_and_a_name_is_required(tmp_path: Path):
    root = make_site(tmp_path)
    assert refused(root, ["content/posts/guoku.md"], "二审") == [
        "--level: error: 审核级别“二审”不在 site.yaml 的 review_levels 中 "
        "(是不是要写“终审”？可用的级别：初审、复审、终审)"]
    assert refused(root, ["content/posts/guoku.md"], "终申") == [
        "--level: error: 审核级别“终申”不在 site.yaml 的 review_levels 中 "
        "(是不是要写“终审”？可用的级别：初审、复审、终审)"]
    assert refused(root, ["content/posts/guoku.md"], "初审", by="  ") == [
        "--by: error: 审核人姓名不能为空 (例如 --by 张三)"]


def test_one_file_that_cannot_be_approved_stops_them_all(tmp_path: Path):
    root = make_site(tmp_path)
    write(root / "content/posts/broken.md", "---\ntitle: 坏\ndate: 2009-02-30\nunit: 县财政局\n---\n正文\n")
    write(root / "content/pages/about.md", "---\ntitle: 关于\n---\n关于本站\n")
    problems = refused(root, ["content/posts/guoku.md", "content/posts/broken.md", "content/pages/about.md",
                              "content/posts/none.md"], "初审")
    assert problems == [
        "content/pages/about.md: error: 不是文章，无法审核 "
        "(审核的是 content/branches/、content/posts/、content/cases/ 中的文章（.md 文件或文章文件夹）)",
        "content/posts/broken.md: error: 文章有错误，不能审核 (先改正这篇文章中的错误（dangjian check 可检查）)",
        "content/posts/broken.md:3: error: “date”不是一个真实存在的日期 (日期请写成 YYYY-MM-DD，例如 2010-05-12)",
        "content/posts/none.md: error: 找不到这个文件 (检查文件名；不在站点文件夹中运行时加 --site 站点文件夹)",
    ]


def test_with_review_off_the_listing_says_how_to_switch_it_on_and_approve_refuses(tmp_path: Path):
    root = make_site(tmp_path)
    write(root / "site.yaml", "title: 党建\n")
    assert review_listing(root).startswith("审核流程未开启：site.yaml 中没有设置 review_levels")
    assert "review_levels: [初审, 复审, 终审]" in review_listing(root)
    assert refused(root, ["content/posts/guoku.md"], "初审") == [
        "site.yaml: error: 审核流程未开启：site.yaml 中没有设置 review_levels "
        "(在 site.yaml 中加一行 review_levels: [初审, 复审, 终审])"]


def test_the_listing_groups_stories_by_state(tmp_path: Path):
    root = make_site(tmp_path)
    draft = STORY.replace("国库岗", "支部").replace("summary:", "draft: true\n#")
    write(root / "content/branches/caizheng-zhibu.md", draft)
    approve(root, [root / "content/posts/guoku.md"], "初审", "张三", DAY)
    assert review_listing(root) == "\n".join([
        "审核级别：初审 → 复审 → 终审",
        "",
        "待初审（1 篇）",
        "  content/posts/shuiwu.md             待初审",
        "",
        "待复审（1 篇）",
        "  content/posts/guoku.md              待复审（已初审：张三 2026-12-01）",
        "",
        "草稿（draft: true，不发布）（1 篇）",
        "  content/branches/caizheng-zhibu.md  待初审",
        "",
        "共 3 篇文章：0 篇已通过全部审核，3 篇不发布"
        "（dangjian build --preview 或 dangjian serve 可预览未审核的文章）。",
    ])


def test_the_command_line_lists_approves_and_fails_without_a_traceback(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["review", "--site", str(root)]) == 0
    assert "待初审（2 篇）" in capsys.readouterr().out
    argv = ["review", "approve", str(root / "content/posts/guoku.md"), "--level", "初审", "--by", "张三",
            "--date", "2026-12-01", "--site", str(root)]
    assert main(argv) == 0
    assert capsys.readouterr().out == "已记录 content/posts/guoku.md 的初审：张三 2026-12-01。下一步：复审。\n"
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.endswith("审核命令未完成：1 个错误，0 个警告。未改动任何文件。\n")
    with pytest.raises(SystemExit) as exited:
        main(["review", "approve", "x.md", "--level", "初审"])
    assert exited.value.code == 2
    assert "缺少必需的参数：--by" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["review", "approve", "x.md", "--level", "初审", "--by", "张三", "--date", "12月1日"])
    assert "“12月1日”不是 YYYY-MM-DD 格式的日期" in capsys.readouterr().err


def test_a_preview_build_goes_to_its_own_folder_unless_told_otherwise(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["build", "--site", str(root)]) == 0
    assert main(["build", "--site", str(root), "--preview"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"个文件：{root / 'preview'}")
    assert not (root / "output/posts/guoku").exists()
    assert (root / "preview/posts/guoku/index.html").is_file()
