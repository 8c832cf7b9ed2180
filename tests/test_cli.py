"""The command line: exit codes, messages on stderr as path:line lines, and no tracebacks."""

import json
from pathlib import Path

import pytest

from generator import __version__
from generator.cli import main

UNITS = "- id: gongwei\n  name: 县直机关工委\n- id: caizhengju\n  name: 县财政局\n  parent: gongwei\n"
ACTIVITIES = "- id: chuangxian\n  name: 创先争优\n"
STORY = "---\ntitle: 国库岗\ndate: 2010-05-12\nunit: {unit}\n---\n窗口服务。\n"
DRAFT = "---\ntitle: 草稿\ndate: 2010-05-12\nunit: {unit}\ndraft: true\n---\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_site(root: Path, unit: str = "caizhengju") -> Path:
    write(root / "site.yaml", "title: 党建\n")
    write(root / "content" / "units.yaml", UNITS)
    write(root / "content" / "activities.yaml", ACTIVITIES)
    write(root / "content" / "posts" / "guoku-gang.md", STORY.format(unit=unit))
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_succeeds_with_exit_code_0_and_says_what_it_wrote(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["build", "--site", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("已生成 1 篇文章、")
    assert out.rstrip().endswith(f"个文件：{root / 'output'}")
    assert (root / "output" / "posts" / "guoku-gang" / "index.html").is_file()


def test_build_writes_to_the_folder_given_with_out(tmp_path: Path, capsys):
    root = make_site(tmp_path / "site")
    assert main(["build", "--site", str(root), "--out", str(tmp_path / "public")]) == 0
    assert (tmp_path / "public" / "index.html").is_file()
    assert not (root / "output").exists()


def test_build_with_errors_exits_1_and_prints_each_problem_and_a_summary(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["build", "--site", str(root)]) == 0
    before = snapshot(root / "output")
    write(root / "content" / "posts" / "guoku-gang.md", STORY.format(unit="县财政厅"))
    write(root / "content" / "posts" / "bad-date.md", "---\ntitle: 岗\ndate: 2009-02-30\nunit: gongwei\n---\n")
    capsys.readouterr()
    assert main(["build", "--site", str(root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "content/posts/bad-date.md:3: error: “date”不是一个真实存在的日期 (日期请写成 YYYY-MM-DD，例如 2010-05-12)",
        "content/posts/guoku-gang.md:4: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)",
        "构建失败：2 个错误，0 个警告。输出文件夹未作任何改动。",
    ]
    assert snapshot(root / "output") == before


def test_build_prints_warnings_but_succeeds(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    write(root / "content" / "posts" / "a.md", "---\ntitle: 岗\ndate: 2010-05-12\nunit: gongwei\nauthr: 王\n---\n")
    assert main(["build", "--site", str(root)]) == 0
    assert capsys.readouterr().err.splitlines() == [
        "content/posts/a.md:5: warning: 未知的设置项“authr”，已忽略 (是不是要写“author”？)"]


def test_build_without_site_yaml_explains_and_exits_1(tmp_path: Path, capsys):
    assert main(["build", "--site", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "site.yaml: error: 找不到站点配置文件 site.yaml "
        "(在站点文件夹中运行，或用 --site 指定站点文件夹；新建站点可用 dangjian init)",
        "构建失败：1 个错误，0 个警告。输出文件夹未作任何改动。",
    ]
    assert not (tmp_path / "output").exists()


def test_build_refuses_to_write_over_the_site_folder(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["build", "--site", str(root), "--out", str(root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{root}: error: 输出文件夹不能是站点文件夹或包含站点源文件的文件夹 ")
    assert (root / "site.yaml").is_file()


def test_build_reports_a_file_system_error_without_a_traceback(tmp_path: Path, capsys):
    root = make_site(tmp_path / "site")
    write(tmp_path / "blocker", "a file, not a folder")
    assert main(["build", "--site", str(root), "--out", str(tmp_path / "blocker" / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "Traceback" not in err


UNUSED = ("content/activities.yaml:1: info: 活动主题“创先争优”还没有已发布的文章 "
          "(写文章时在 front matter 中填“创先争优”；不再需要的可以删去)")


def test_check_reports_success_and_writes_nothing(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["check", "--site", str(root)]) == 0
    out, err = capsys.readouterr()
    assert out == "检查通过：1 篇文章，16 个页面；0 个错误，0 个警告，1 条提示。\n"
    assert err.splitlines() == [UNUSED, ""]
    assert not (root / "output").exists()
    assert not (root / ".dangjian-cache").exists()


def test_check_with_errors_has_its_own_summary(tmp_path: Path, capsys):
    root = make_site(tmp_path, unit="县财政厅")
    assert main(["check", "--site", str(root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[2:4] == [
        "content/posts/guoku-gang.md:4: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)", ""]
    # Its unit is unknown, so no unit has a story: each is an info.
    assert lines[-2:] == ["", "检查未通过：1 个错误，0 个警告，3 条提示。未写入任何文件。"]


def test_check_counts_drafts_only_when_asked(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    write(root / "content" / "posts" / "draft.md", DRAFT.format(unit="县财政局"))
    assert main(["check", "--site", str(root)]) == 0
    assert capsys.readouterr().out.startswith("检查通过：1 篇文章，")
    assert main(["check", "--site", str(root), "--drafts"]) == 0
    assert capsys.readouterr().out.startswith("检查通过：2 篇文章，")


def test_drafts_are_checked_even_when_left_out(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    write(root / "content" / "posts" / "draft.md", DRAFT.format(unit="县财政厅"))
    assert main(["check", "--site", str(root)]) == 1
    assert capsys.readouterr().err.splitlines()[2] == (
        "content/posts/draft.md:4: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)")


FUTURE = "---\ntitle: 明年的岗\ndate: 2999-01-01\nunit: caizhengju\nactivities: [创先争优]\n---\n窗口服务。\n"


def test_check_passes_with_warnings_unless_strict(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    write(root / "content" / "posts" / "future.md", FUTURE)
    assert main(["check", "--site", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines()[0].startswith("content/posts/future.md:3: warning: 日期 2999-01-01 晚于今天")
    assert out == "检查通过：2 篇文章，18 个页面；0 个错误，1 个警告。\n"
    assert main(["check", "--site", str(root), "--strict"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines()[-1] == "检查未通过（--strict：有警告也不通过）：0 个错误，1 个警告。未写入任何文件。"


def test_check_in_json_is_one_document_on_stdout_with_the_same_exit_code(tmp_path: Path, capsys):
    root = make_site(tmp_path, unit="县财政厅")
    write(root / "content" / "posts" / "future.md", FUTURE)
    assert main(["check", "--site", str(root), "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    document = json.loads(out)
    assert [(p["path"], p["line"], p["severity"]) for p in document["problems"]] == [
        ("content/posts/future.md", 3, "warning"), ("content/posts/guoku-gang.md", 4, "error")]
    assert document["problems"][1]["hint"] == "是不是要写“县财政局”？"
    assert document["summary"] == {"errors": 1, "warnings": 1, "infos": 0, "passed": False, "strict": False,
                                   "stories": None, "pages": None}
    write(root / "content" / "posts" / "guoku-gang.md", STORY.format(unit="caizhengju"))
    assert main(["check", "--site", str(root), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["stories"] == 2


def test_a_strict_build_fails_on_warnings_and_writes_nothing(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["build", "--site", str(root)]) == 0
    before = snapshot(root / "output")
    write(root / "content" / "posts" / "future.md", FUTURE)
    capsys.readouterr()
    for _ in range(2):  # afresh, then with the output as the failed build found it
        assert main(["build", "--site", str(root), "--strict"]) == 1
        err = capsys.readouterr().err.splitlines()
        assert err[0].startswith("content/posts/future.md:3: warning: 日期 2999-01-01 晚于今天")
        assert err[-1] == "构建失败（--strict：有警告也不通过）：0 个错误，1 个警告。输出文件夹未作任何改动。"
        assert snapshot(root / "output") == before
    assert main(["build", "--site", str(root)]) == 0
    assert capsys.readouterr().err.startswith("content/posts/future.md:3: warning:")
    # Now up to date: a strict build still fails on the warnings the output was built with.
    assert main(["build", "--site", str(root), "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("构建失败（--strict")


def test_a_build_shows_no_infos(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["build", "--site", str(root), "--no-cache"]) == 0
    assert capsys.readouterr().err == ""


def test_new_creates_a_story_and_prints_its_path(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["new", "--site", str(root), "branch", "财政局党支部", "--unit", "县财政局",
                 "--activity", "创先争优"]) == 0
    path = root / "content" / "branches" / "cai-zheng-ju-dang-zhi-bu.md"
    assert capsys.readouterr().out == f"已新建 {path}\n"
    assert 'unit: "县财政局"\nactivities: ["创先争优"]\n' in path.read_text(encoding="utf-8")


def test_new_with_an_unknown_unit_exits_1_with_a_suggestion(tmp_path: Path, capsys):
    root = make_site(tmp_path)
    assert main(["new", "--site", str(root), "post", "窗口", "--unit", "县财政厅"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "--unit: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)",
        "未能新建文章：1 个错误，0 个警告。未写入任何文件。",
    ]


def test_init_creates_a_site_that_the_build_command_builds(tmp_path: Path, capsys):
    root = tmp_path / "new-site"
    assert main(["init", str(root)]) == 0
    assert capsys.readouterr().out.startswith(f"已在 {root} 新建站点。")
    assert main(["build", "--site", str(root)]) == 0
    assert (root / "output" / "index.html").is_file()


def test_init_into_a_folder_with_files_exits_1(tmp_path: Path, capsys):
    write(tmp_path / "x.txt", "x")
    assert main(["init", str(tmp_path)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == "未能新建站点：1 个错误，0 个警告。未写入任何文件。"


@pytest.mark.parametrize("argv", [
    [],
    ["publish"],
    ["build", "--nope"],
    ["new", "story", "标题", "--unit", "x"],
    ["new", "post", "标题"],
    ["check", "--format", "xml"],
])
def test_usage_errors_exit_2(argv: list[str], capsys):
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：dangjian")
    assert "Traceback" not in err


def test_version_is_printed(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"dangjian {__version__}\n"


def test_init_with_review_says_so_and_its_site_builds_without_warnings(tmp_path: Path, capsys):
    root = tmp_path / "新站点"
    assert main(["init", str(root), "--review"]) == 0
    assert "已开启三审" in capsys.readouterr().out
    assert main(["build", "--site", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("已生成 3 篇文章、")
    assert main(["review", "--site", str(root)]) == 0
    assert "共 3 篇文章，全部已通过审核。" in capsys.readouterr().out


def test_a_strict_check_with_errors_does_not_blame_strictness(tmp_path: Path, capsys):
    root = make_site(tmp_path, unit="县财政厅")
    assert main(["check", "--site", str(root), "--strict"]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("检查未通过：1 个错误")
