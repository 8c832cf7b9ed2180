"""Help, usage and usage errors in Chinese, argparse's own words included (issue #17)."""

from __future__ import annotations

import re

import pytest

from generator.cli import main
from generator.cli_text import display_width, translate, wrap

COMMANDS = ("build", "check", "serve", "new", "init", "review")
# argparse's English, as Python 3.11 to 3.13 print it in help, usage and errors.
ENGLISH = ("usage", "positional arguments", "optional arguments", "options:", "show this help", "show program's",
           "invalid choice", "choose from", "unrecognized", "required", "expected", "ambiguous", "ignored explicit",
           "not allowed", "argument ", "subcommands", "error: the")


def english_in(text: str) -> list[str]:
    lowered = text.lower()
    return [word for word in ENGLISH if word in lowered]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | str | None, str, str]:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    out, err = capsys.readouterr()
    return caught.value.code, out, err


@pytest.mark.parametrize("argv", [["--help"], ["-h"], *([command, "--help"] for command in COMMANDS),
                                  ["review", "approve", "--help"]])
def test_help_is_in_chinese(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    assert out.startswith("用法：dangjian")
    assert "选项:" in out and "-h, --help" in out and "显示帮助并退出" in out
    assert english_in(out) == []


def test_the_top_level_help_lists_the_commands_and_the_version_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["--help"], capsys)
    assert "位置参数:\n  命令\n" in out
    assert "--version   显示版本号并退出" in out
    for command in COMMANDS:
        assert re.search(rf"^    {command} +\S", out, re.M), command


@pytest.mark.parametrize("columns", ["80", "50"])
def test_help_columns_line_up_by_display_width(columns: str, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # Chinese characters take two columns: help after "--site 文件夹" must start where the others do.
    monkeypatch.setenv("COLUMNS", columns)
    for command in COMMANDS:
        _, out, _ = run([command, "--help"], capsys)
        starts, lines = set(), out.splitlines()
        for number, line in enumerate(lines):
            assert display_width(line) <= int(columns) - 2, line
            if number < lines.index(""):
                continue  # the usage, checked below (a wrapped "操作 ..." is not help)
            if match := re.match(r"(  \S.*?  +)\S", line):  # an option or positional, then its help
                starts.add(display_width(match.group(1)))
            elif line.startswith(" " * 5) and not line.lstrip().startswith("["):  # wrapped help
                starts.add(len(line) - len(line.lstrip(" ")))
        assert len(starts) == 1, (command, out)
        # Wrapped usage lines start under the first option, after "用法：dangjian <command> ".
        for line in lines[1:lines.index("")]:
            assert display_width(line) - display_width(line.lstrip(" ")) == display_width(f"用法：dangjian {command} ")


@pytest.mark.parametrize(("argv", "message"), [
    (["biuld"], "dangjian: error: 未知命令“biuld”，是不是要写“build”？"),
    (["publish"], "dangjian: error: 未知命令“publish”（可用的命令：build、check、serve、new、init、review）"),
    ([], "dangjian: error: 缺少命令（可用的命令：build、check、serve、new、init、review）"),
    (["build", "--darfts"], "dangjian build: error: 无法识别的参数：--darfts，是不是要写“--drafts”？"),
    (["check", "--site", ".", "extra"], "dangjian check: error: 无法识别的参数：extra"),
    (["build", "--jobs"], "dangjian build: error: --jobs 后面要写一个值"),
    (["build", "--jobs", "四"], "dangjian build: error: --jobs：“四”不是整数"),
    (["build", "--drafts=yes"], "dangjian build: error: --drafts 后面不能写值（去掉“=yes”）"),
    (["new", "pots", "标题", "--unit", "x"],
     "dangjian new: error: 类别：“pots”不是可选的值，是不是要写“post”？可选的值：branch、post、case"),
    (["new", "story", "标题", "--unit", "x"],
     "dangjian new: error: 类别：“story”不是可选的值，可选的值：branch、post、case"),
    (["new", "post", "标题"], "dangjian new: error: 缺少必需的参数：--unit"),
    (["new"], "dangjian new: error: 缺少必需的参数：类别、标题、--unit"),
    (["init"], "dangjian init: error: 缺少必需的参数：文件夹"),
    (["serve", "--port", "80000"], "dangjian serve: error: --port：端口 80000 超出范围（写 0 到 65535 之间的整数）"),
    (["serve", "--port", "八千"], "dangjian serve: error: --port：“八千”不是端口号（写 0 到 65535 之间的整数）"),
])
def test_usage_errors_are_in_chinese_and_exit_2(argv: list[str], message: str,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(argv, capsys)
    assert (code, out) == (2, "")
    assert err.startswith("用法：dangjian")
    assert err.splitlines()[-1] == message
    assert english_in(err.replace(" error: ", " ")) == []


@pytest.mark.parametrize(("message", "chinese"), [
    # 3.11, 3.12.0-3.12.7 and 3.13.0 quote choices with repr()
    ("argument 命令: invalid choice: 'biuld' (choose from 'build', 'check', 'serve', 'new', 'init')",
     "未知命令“biuld”，是不是要写“build”？"),
    # 3.12.8+ and 3.13.1+ print choices with str()
    ("argument 命令: invalid choice: 'biuld' (choose from build, check, serve, new, init)",
     "未知命令“biuld”，是不是要写“build”？"),
    # with suggest_on_error (3.14)
    ("argument 命令: invalid choice: 'biuld', maybe you meant 'build'? (choose from build, check, serve, new, init)",
     "未知命令“biuld”，是不是要写“build”？"),
    ("argument 类别: invalid choice: \"it's\" (choose from 'branch', 'post', 'case')",
     "类别：“it's”不是可选的值，可选的值：branch、post、case"),
    ("argument 类别: invalid choice: '迎七一' (choose from branch, post, case)",
     "类别：“迎七一”不是可选的值，可选的值：branch、post、case"),
    ("the following arguments are required: 类别, 标题, --unit", "缺少必需的参数：类别、标题、--unit"),
    ("the following arguments are required: 命令", "缺少命令（可用的命令：build、check、serve、new、init、review）"),
    ("unrecognized arguments: --darfts x", "无法识别的参数：--darfts x，是不是要写“--drafts”？"),
    ("ambiguous option: --d could match --drafts, --debug", "选项“--d”不明确，可能是：--drafts、--debug"),
    ("argument --jobs: invalid int value: 'x'", "--jobs：“x”不是整数"),
    ("argument --rate: invalid float value: 'x'", "--rate：“x”不是数字"),
    ("argument --site: invalid Path value: 'x'", "--site：“x”不是有效的值"),
    ("argument --jobs: expected one argument", "--jobs 后面要写一个值"),
    ("argument --x: expected at least one argument", "--x 后面要写至少一个值"),
    ("argument --x: expected 2 arguments", "--x 后面要写 2 个值"),
    ("argument --drafts: ignored explicit argument 'yes'", "--drafts 后面不能写值（去掉“=yes”）"),
    ("argument --a: not allowed with argument --b", "--a 不能和 --b 同时使用"),
    ("one of the arguments --a --b is required", "以下参数必须给出一个：--a、--b"),
    ("argument --port: 端口 80000 超出范围", "--port：端口 80000 超出范围"),
    ("a message of a later Python", "命令行有误：a message of a later Python"),
])
def test_argparse_messages_of_each_python_version_are_translated(message: str, chinese: str) -> None:
    assert translate(message, COMMANDS, ["-h", "--help", "--drafts", "--no-cache"]) == chinese


def test_wrapping_counts_columns_and_keeps_punctuation_and_words_whole() -> None:
    text = "站点文件夹（含 site.yaml），默认为当前文件夹；不写时用 8000，被占用则自动换用下一个空闲端口"
    lines = wrap(text, 20)
    assert len(lines) > 3
    assert all(display_width(line) <= 20 for line in lines)
    assert not any(line[0] in "，）；" or line[-1] == "（" for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any("site.yaml）" in line for line in lines)
    assert wrap("a long-word-that-does-not-fit here", 10) == ["a", "long-word-that-does-not-fit", "here"]
