"""The check report: grouped by file with a blank line between files, or JSON that other tools parse."""

import json

from generator.core.errors import error, info, warning
from generator.core.report import as_json, grouped, tally

PROBLEMS = [
    warning("content/posts/b.md", 9, "图片没有说明文字", "写作 ![说明](x.jpg)"),
    error("content/posts/a.md", 4, "单位不存在"),
    info("content/units.yaml", 7, "单位“县档案局”还没有文章"),
    warning("content/posts/b.md", 2, "标题重复"),
]


def test_grouped_sorts_by_file_and_line_with_a_blank_line_between_files():
    assert grouped(PROBLEMS) == [
        "content/posts/a.md:4: error: 单位不存在",
        "",
        "content/posts/b.md:2: warning: 标题重复",
        "content/posts/b.md:9: warning: 图片没有说明文字 (写作 ![说明](x.jpg))",
        "",
        "content/units.yaml:7: info: 单位“县档案局”还没有文章",
    ]
    assert grouped([]) == []


def test_tally_counts_each_severity():
    assert tally(PROBLEMS) == {"errors": 1, "warnings": 2, "infos": 1}


def test_json_parses_keeps_chinese_and_is_the_same_whatever_the_order_given():
    text = as_json(PROBLEMS, passed=False, strict=False, stories=3, pages=10)
    assert "单位不存在" in text
    document = json.loads(text)
    assert document["problems"][0] == {"path": "content/posts/a.md", "line": 4, "severity": "error",
                                       "message": "单位不存在", "hint": ""}
    assert [p["line"] for p in document["problems"]] == [4, 2, 9, 7]
    assert document["summary"] == {"errors": 1, "warnings": 2, "infos": 1, "passed": False, "strict": False,
                                   "stories": 3, "pages": 10}
    assert as_json(PROBLEMS[::-1], passed=False, strict=False, stories=3, pages=10) == text
