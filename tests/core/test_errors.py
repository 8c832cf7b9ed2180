"""Problems: how they are formatted, sorted and summed up for the user."""

import pickle

import pytest

from generator.core.errors import (
    Problem,
    Severity,
    SiteError,
    error,
    fails,
    has_errors,
    info,
    sort_problems,
    summary,
    warning,
    without_infos,
)


def test_format_shows_path_line_severity_message_and_hint():
    problem = error("content/posts/a.md", 4, "单位“县财政厅”不在 content/units.yaml 中", "是不是要写“县财政局”？")
    assert problem.format() == (
        "content/posts/a.md:4: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)"
    )


def test_format_leaves_out_the_line_when_it_is_unknown():
    problem = error("site.yaml", 0, "找不到站点配置文件 site.yaml", "用 --site 指定站点文件夹")
    assert problem.format() == "site.yaml: error: 找不到站点配置文件 site.yaml (用 --site 指定站点文件夹)"


def test_format_leaves_out_the_parentheses_when_there_is_no_hint():
    assert warning("site.yaml", 3, "未知的设置项").format() == "site.yaml:3: warning: 未知的设置项"


def test_error_and_warning_set_the_severity():
    assert error("a", 1, "m").severity is Severity.ERROR
    assert warning("a", 1, "m").severity is Severity.WARNING


def test_has_errors_ignores_warnings():
    assert not has_errors([warning("a", 1, "m")])
    assert has_errors([warning("a", 1, "m"), error("b", 2, "n")])
    assert not has_errors([])


def test_sort_problems_orders_by_file_then_line_and_drops_duplicates():
    problems = [
        error("content/b.md", 2, "x"),
        error("content/a.md", 10, "y"),
        error("content/a.md", 9, "z"),
        error("content/b.md", 2, "x"),
    ]
    assert sort_problems(problems) == [
        error("content/a.md", 9, "z"),
        error("content/a.md", 10, "y"),
        error("content/b.md", 2, "x"),
    ]


def test_summary_counts_errors_and_warnings_and_says_output_is_untouched():
    problems = [error("a", 1, "x"), warning("a", 2, "y"), warning("b", 1, "z")]
    assert summary(problems) == "构建失败：1 个错误，2 个警告。输出文件夹未作任何改动。"


def test_summary_of_warnings_only_does_not_say_the_build_failed():
    assert summary([warning("a", 1, "y"), warning("b", 1, "z")]) == "2 个警告。"


def test_site_error_carries_sorted_problems_and_formats_them_as_its_message():
    exc = SiteError([error("b.md", 1, "second"), error("a.md", 3, "first")])
    assert [p.path for p in exc.problems] == ["a.md", "b.md"]
    assert str(exc) == "a.md:3: error: first\nb.md:1: error: second"


def test_problems_are_frozen():
    problem = error("a", 1, "x")
    with pytest.raises(AttributeError):
        problem.line = 2
    assert isinstance(problem, Problem)


def test_problems_compare_hash_and_pickle_by_their_fields():
    problem = warning("content/posts/a.md", 3, "标题太长", "不超过 40 个字")
    assert problem == warning("content/posts/a.md", 3, "标题太长", "不超过 40 个字")
    assert problem != error("content/posts/a.md", 3, "标题太长", "不超过 40 个字")
    assert len({problem, warning("content/posts/a.md", 3, "标题太长", "不超过 40 个字")}) == 1
    copy = pickle.loads(pickle.dumps(problem))
    assert copy == problem and copy.severity is Severity.WARNING and copy.hint == "不超过 40 个字"
    assert error("a", 1, "x") < error("a", 1, "y") < error("a", 2, "a") < error("b", 0, "a")


def test_info_sets_its_severity_and_formats_like_the_others():
    problem = info("content/units.yaml", 7, "单位“县档案局”还没有文章")
    assert problem.severity is Severity.INFO
    assert problem.format() == "content/units.yaml:7: info: 单位“县档案局”还没有文章"


def test_problems_of_one_line_sort_most_serious_first():
    found = [info("a", 1, "a"), warning("a", 1, "b"), error("a", 1, "c"), info("a", 0, "d")]
    assert [p.severity for p in sorted(found)] == [Severity.INFO, Severity.ERROR, Severity.WARNING, Severity.INFO]


def test_infos_never_fail_and_warnings_fail_only_when_strict():
    assert not has_errors([info("a", 1, "m")])
    assert not fails([info("a", 1, "m"), warning("a", 2, "m")])
    assert fails([warning("a", 2, "m")], strict=True)
    assert not fails([info("a", 1, "m")], strict=True)
    assert fails([error("a", 1, "m")])


def test_summary_counts_infos_only_when_there_are_some():
    problems = [error("a", 1, "x"), warning("a", 2, "y"), info("b", 1, "z")]
    assert summary(problems, "检查未通过", "未写入任何文件。") == (
        "检查未通过：1 个错误，1 个警告，1 条提示。未写入任何文件。")
    assert summary([warning("a", 1, "y")], strict=True) == "构建失败：0 个错误，1 个警告。输出文件夹未作任何改动。"
    assert summary([info("a", 1, "y")]) == "0 个警告，1 条提示。"
    assert without_infos(problems) == problems[:2]


def test_a_site_error_pickles_with_its_problems():
    exc = SiteError([warning("b.md", 1, "second"), error("a.md", 3, "first")])
    copy = pickle.loads(pickle.dumps(exc))
    assert copy.problems == exc.problems and str(copy) == str(exc)
