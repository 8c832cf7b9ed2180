"""Command line: ``dangjian build | check | serve | new | init | review``.

Exit codes: 0 ok, 1 content errors (and warnings with ``--strict``), 2 usage errors. No traceback
reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import __version__
from generator.cli_text import COMMAND_METAVAR, ChineseParser
from generator.core.errors import Problem, SiteError, counts, fails, has_errors, summary, without_infos

TYPE_CHECKING = False  # typing itself costs a build with nothing to do a few milliseconds
if TYPE_CHECKING:
    import datetime as dt

    from generator.incremental.uptodate import Check

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
KIND_CHOICES = ("branch", "post", "case")


def _port(text: str) -> int:
    """A port number from the command line (argparse's type)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是端口号（写 0 到 65535 之间的整数）") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口 {port} 超出范围（写 0 到 65535 之间的整数）")
    return port


def _parser() -> ChineseParser:
    parser = ChineseParser(
        prog="dangjian",
        description="机关党建宣传静态网站生成器：把 Markdown 文章生成为可部署到内网的网站。",
    )
    parser.add_argument("--version", action="version", version=f"dangjian {__version__}", help="显示版本号并退出")
    commands = parser.add_subparsers(dest="command", metavar=COMMAND_METAVAR, required=True)

    def command(name: str, brief: str, description: str) -> ChineseParser:
        parser.commands[name] = commands.add_parser(name, help=brief, description=description)
        return parser.commands[name]

    def site_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", type=Path, default=Path(), metavar="文件夹",
                       help="站点文件夹（含 site.yaml），默认为当前文件夹")

    p = command("build", "生成网站到输出文件夹", "生成网站，整个替换输出文件夹。")
    site_option(p)
    p.add_argument("--out", type=Path, metavar="文件夹", help="输出文件夹，默认为站点文件夹下的 output/")
    p.add_argument("--drafts", action="store_true", help="包括 draft: true 的草稿")
    p.add_argument("--preview", action="store_true",
                   help="预览版：包括未通过审核的文章，每页标明“预览版”，默认写入 preview/，供内部审看，不要部署")
    p.add_argument("--no-cache", action="store_true",
                   help="不使用也不更新 .dangjian-cache/ 中的构建缓存，全部重新生成")
    p.add_argument("--jobs", type=int, metavar="个数", help="同时使用的进程数，默认每个 CPU 核一个")
    p.add_argument("--strict", action="store_true", help="有警告也算失败，不写入输出文件夹")

    p = command("check", "只检查内容，不写任何文件",
                "检查全部内容并报告所有问题（错误、警告和提示），按文件列出，不写任何文件。")
    site_option(p)
    p.add_argument("--drafts", action="store_true", help="包括草稿")
    p.add_argument("--strict", action="store_true", help="有警告也算不通过（退出码 1）")
    p.add_argument("--format", choices=("text", "json"), default="text", metavar="格式",
                   help="text（默认）按文件列出问题；json 供其他程序读取")

    p = command("serve", "本地预览，保存后自动刷新",
                "生成网站并在本机启动预览服务；修改文章或模板后只重新生成受影响的页面，浏览器自动刷新。")
    site_option(p)
    p.add_argument("--port", type=_port, metavar="端口",
                   help="端口；不写时用 8000，被占用则自动换用下一个空闲端口；0 表示任选空闲端口")
    p.add_argument("--host", default="127.0.0.1", metavar="地址",
                   help="监听地址，默认只允许本机访问（127.0.0.1）")
    p.add_argument("--drafts", action="store_true", help="包括 draft: true 的草稿")
    p.add_argument("--open", action="store_true", help="启动后用默认浏览器打开预览地址")

    p = command("new", "新建一篇文章", "按模板新建一篇文章，front matter 已填好。")
    site_option(p)
    p.add_argument("kind", choices=KIND_CHOICES, metavar="类别",
                   help="branch 示范党支部 | post 党员示范岗 | case 帮扶案例")
    p.add_argument("title", metavar="标题", help="文章标题")
    p.add_argument("--unit", required=True, metavar="单位", help="单位的 id 或名称（见 content/units.yaml）")
    p.add_argument("--activity", action="append", default=[], metavar="活动",
                   help="活动主题的 id 或名称，可写多次")

    p = command("init", "新建一个站点", "新建一个站点，含每类文章的示例。")
    p.add_argument("dir", type=Path, metavar="文件夹", help="新站点的文件夹（应不存在或为空）")
    p.add_argument("--review", action="store_true", help="开启三审流程（初审、复审、终审），示例文章已审核通过")
    _review_command(command("review", "查看审核进度，记录审核（三审三校）",
                            "列出每篇文章的审核状态；review approve 记录一级审核。"), site_option)
    return parser


def _review_command(p: ChineseParser, site_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """``dangjian review`` and ``dangjian review approve``."""
    site_option(p)
    actions = p.add_subparsers(dest="action", metavar="操作")
    a = actions.add_parser("approve", help="记录一级审核通过", description="在文章的设置区记录一级审核（reviews:），"
                           "文件的其他内容不变。审核须按 site.yaml 中 review_levels 的顺序进行。")
    a.add_argument("files", nargs="+", type=Path, metavar="文件", help="文章的 .md 文件或文章文件夹，可写多个")
    a.add_argument("--level", required=True, metavar="级别", help="审核级别，如 初审、复审、终审")
    a.add_argument("--by", required=True, metavar="姓名", help="审核人姓名")
    a.add_argument("--date", type=_date, metavar="日期", help="审核日期 YYYY-MM-DD，默认今天")
    a.add_argument("--site", type=Path, default=argparse.SUPPRESS, metavar="文件夹",
                   help="站点文件夹（含 site.yaml），默认为当前文件夹")


def _date(text: str) -> dt.date:
    """A date from the command line (argparse's type)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是 YYYY-MM-DD 格式的日期") from None


# How each command's failure is summed up: (what failed, what was left unchanged).
_FAILED = {
    "build": ("构建失败", "输出文件夹未作任何改动。"),
    "check": ("检查未通过", "未写入任何文件。"),
    "new": ("未能新建文章", "未写入任何文件。"),
    "serve": ("未能启动预览", "未写入任何文件。"),
    "init": ("未能新建站点", "未写入任何文件。"),
    "review": ("审核命令未完成", "未改动任何文件。"),
}


# A strict run fails on warnings too, and says so.
_STRICT = "（--strict：有警告也不通过）"


def _failed(args: argparse.Namespace, problems: Sequence[Problem]) -> tuple[str, str]:
    """How this command's failure is summed up (see ``_FAILED``): saying so when only ``--strict`` failed it."""
    failed, unchanged = _FAILED[args.command]
    strict_only = getattr(args, "strict", False) and not has_errors(problems)
    return (failed + _STRICT, unchanged) if strict_only else (failed, unchanged)


def _print_problems(problems: Sequence[Problem]) -> None:
    # Infos are for ``dangjian check``: a build shows what may need fixing, not what is merely worth knowing.
    for problem in without_infos(problems):
        print(problem.format(), file=sys.stderr)


def _up_to_date(args: argparse.Namespace) -> Check:
    """Look whether the output is current and say so if it is; imports almost nothing, to be quick."""
    from generator.incremental import uptodate

    out_dir = args.out or args.site / ("preview" if args.preview else "output")  # as BuildOptions.output
    checked = uptodate.check(args.site, out_dir, args.drafts, preview=args.preview)
    if checked.last is not None:
        if args.strict and fails(checked.last.warnings, strict=True):
            raise SiteError(checked.last.warnings)  # the output is the last build's, as it was
        _print_problems(checked.last.warnings)
        _say_up_to_date(out_dir, checked.last.stories, checked.last.pages)
    return checked


def _say_up_to_date(out_dir: Path, stories: int, pages: int) -> None:
    print(f"内容没有变化，{out_dir} 已是最新（{stories} 篇文章、{pages} 个页面）。")


def _after_init(site_dir: Path) -> str:
    """What to type next after ``init``, as commands that work in the shell that ran it."""
    from generator.invocation import next_steps

    enter, build_command, serve_command = next_steps(site_dir)
    if enter:
        head = [f"已在 {site_dir} 新建站点。进入该文件夹：", *(f"  {line}" for line in enter),
                "然后生成网站（写入 output/）："]
    else:
        head = [f"已在 {site_dir} 新建站点。生成网站（写入该文件夹下的 output/）："]
    return "\n".join([*head, f"  {build_command}", "或者在本机预览（保存文件后自动刷新）：", f"  {serve_command}"])


def _build(args: argparse.Namespace) -> int:
    if os.environ.get("DANGJIAN_START_METHOD"):
        from generator.core.parallel import from_environment

        from_environment(os.environ, 1)  # a misspelt value shows even when there is nothing to build
    checked = None if args.no_cache else _up_to_date(args)
    if checked is not None and checked.last is not None:
        return EXIT_OK
    from generator.pipeline.builder import build
    from generator.pipeline.options import BuildOptions

    report = build(BuildOptions(site_dir=args.site, out_dir=args.out, drafts=args.drafts, preview=args.preview,
                                cache=not args.no_cache, jobs=args.jobs, strict=args.strict), checked)
    _print_problems(report.warnings)
    if report.up_to_date:
        _say_up_to_date(report.out_dir, report.stories, report.pages)
    else:
        print(f"已生成 {report.stories} 篇文章、{report.pages} 个页面（本次重新生成 {report.rendered} 个），"
              f"写入或删除 {report.files} 个文件：{report.out_dir}")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    """Check everything a build checks, and more (infos too); report every problem; write nothing."""
    from generator.core.report import as_json, grouped
    from generator.pipeline.builder import prepare
    from generator.pipeline.options import BuildOptions

    stories = pages = None
    try:
        # Not strict here: strictness decides only whether the same problems pass.
        prepared = prepare(BuildOptions(site_dir=args.site, drafts=args.drafts, infos=True))
        problems: Sequence[Problem] = prepared.warnings
        stories, pages = len(prepared.site.stories), prepared.pages
    except SiteError as exc:
        problems = exc.problems
    passed = not fails(problems, args.strict)
    if args.format == "json":
        print(as_json(problems, passed, args.strict, stories, pages))
        return EXIT_OK if passed else EXIT_CONTENT
    lines = grouped(problems)
    if lines:
        print("\n".join([*lines, ""]), file=sys.stderr)
    if passed:
        print(f"检查通过：{stories} 篇文章，{pages} 个页面；{counts(problems)}。")
        return EXIT_OK
    print(summary(problems, *_failed(args, problems), strict=args.strict), file=sys.stderr)
    return EXIT_CONTENT


def _run(args: argparse.Namespace) -> int:
    # Modules are imported per command: a build with nothing to do should not wait for Jinja2.
    if args.command == "build":
        return _build(args)
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        from generator.pipeline.options import BuildOptions
        from generator.preview.serve import ServeOptions, serve

        # With review levels the preview shows stories not yet approved, marked as such (preview=None).
        options = ServeOptions(BuildOptions(site_dir=args.site, drafts=args.drafts, preview=None),
                               host=args.host, port=args.port, open_browser=args.open)
        return serve(options, report=lambda line: print(line, flush=True),
                     fail=lambda line: print(line, file=sys.stderr, flush=True))
    if args.command == "new":
        from generator.scaffold import new_story

        path = new_story(args.site, args.kind, args.title, args.unit, args.activity)
        print(f"已新建 {path}")
        return EXIT_OK
    if args.command == "init":
        from generator.scaffold import init_site

        init_site(args.dir, review=args.review)
        print(_after_init(args.dir))
        if args.review:
            print("已开启三审（site.yaml 中的 review_levels：初审、复审、终审）。示例文章已由“示例”审核通过；"
                  "新写或改过的文章要逐级审核后才会发布：dangjian review 查看进度，"
                  "dangjian review approve 文件 --level 初审 --by 姓名 记录审核。")
        return EXIT_OK
    if args.command == "review":
        return _review(args)
    raise AssertionError(args.command)


def _review(args: argparse.Namespace) -> int:
    """``dangjian review``: list where each story stands, or record approvals (``approve``)."""
    import datetime as dt

    from generator.reviewing import approve, review_listing

    if args.action is None:
        print(review_listing(args.site))
        return EXIT_OK
    today = args.date or dt.datetime.now().astimezone().date()
    for line in approve(args.site, args.files, args.level, args.by, today):
        print(line)
    return EXIT_OK


def _tolerant_output() -> None:
    """Let output show "?" for characters the console cannot show instead of failing on them.

    A Chinese Windows console or a redirect there writes GBK (code page 936), which has no emoji
    and not every rare character; a title with one must not end a command with a traceback.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # absent when replaced, None under pythonw
        if reconfigure is not None:
            reconfigure(errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit code."""
    _tolerant_output()
    args = _parser().parse_command_line(argv)
    try:
        return _run(args)
    except SiteError as exc:
        _print_problems(exc.problems)
        shown = without_infos(exc.problems)
        print(summary(shown, *_failed(args, shown), strict=getattr(args, "strict", False)), file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("\n已中断。", file=sys.stderr)
        return 130
    except OSError as exc:
        print(f"error: {exc.strerror or exc}：{exc.filename or ''}", file=sys.stderr)
        return EXIT_CONTENT
    except Exception as exc:  # a bug of ours: say so plainly, keep the traceback for developers
        if os.environ.get("DANGJIAN_DEBUG"):
            raise
        print(f"error: dangjian 内部错误：{type(exc).__name__}: {exc} "
              "(请把这段信息和出错的文件发给技术人员；设置环境变量 DANGJIAN_DEBUG=1 可看到详细信息)", file=sys.stderr)
        return EXIT_CONTENT
