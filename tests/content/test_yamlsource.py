"""YAML parsing that keeps line numbers and turns every failure into a Problem."""

import datetime as dt

from generator.content.yamlsource import parse_mapping, parse_mapping_list
from generator.core.errors import Problem

SYNTAX_HINT = "检查冒号后是否有空格、缩进是否对齐、引号是否成对"


def formatted(problems: list[Problem]) -> list[str]:
    return [p.format() for p in problems]


def test_parse_mapping_records_the_file_line_of_each_key_with_line_offset():
    # Front matter starts on file line 2, after the opening ---.
    mapping, problems = parse_mapping("title: 标题\n\ndate: 2010-05-12\nunit: 县财政局\n", "a.md", line_offset=1)
    assert problems == []
    assert mapping is not None
    assert mapping.values == {"title": "标题", "date": dt.date(2010, 5, 12), "unit": "县财政局"}
    assert mapping.lines == {"title": 2, "date": 4, "unit": 5}
    assert mapping.line == 2


def test_line_of_an_absent_key_is_the_line_of_the_mapping():
    mapping, _ = parse_mapping("\ntitle: 标题\n", "a.md", line_offset=1)
    assert mapping is not None
    assert mapping.line_of("title") == 3
    assert mapping.line_of("date") == 3


def test_empty_text_is_an_empty_mapping_at_the_first_line():
    mapping, problems = parse_mapping("", "a.md", line_offset=1)
    assert problems == []
    assert mapping is not None
    assert mapping.values == {}
    assert mapping.line == 2


def test_unclosed_flow_list_is_reported_at_the_line_where_it_opens():
    text = "title: 标题\nactivities: [创先争优, 四帮四促\ndate: 2010-05-12\n"
    mapping, problems = parse_mapping(text, "content/posts/a.md", line_offset=1)
    assert mapping is None
    assert formatted(problems) == [
        "content/posts/a.md:3: error: 方括号“[”没有配对的“]”（YAML：did not find expected ',' or ']'） "
        "(在末尾补上“]”：activities: [创先争优, 四帮四促])"
    ]


def test_unclosed_quote_is_reported_at_its_line():
    _, problems = parse_mapping('title: "标题\ndate: 2010-05-12\n', "a.md", line_offset=1)
    assert [p.line for p in problems] == [2]
    assert problems[0].message == '引号“"”只有开头，没有结尾（YAML：found unexpected end of stream）'


def test_unquoted_colon_and_space_inside_a_value_is_reported_at_its_line():
    _, problems = parse_mapping("title: 标题\nunit: a: b\n", "site.yaml")
    assert formatted(problems) == [
        "site.yaml:2: error: “unit”的值里的英文冒号“:”会被当成“键: 值”的分隔"
        "（YAML：mapping values are not allowed in this context） (把“unit”的值放在引号里：unit: \"a: b\")"
    ]


def test_a_mistake_no_line_explains_gets_the_general_hint_and_the_parsers_words():
    _, problems = parse_mapping("title: 标题\n: 学习\n", "site.yaml")
    assert [p.line for p in problems] == [2]
    assert problems[0].message.endswith("）") and "（YAML：" in problems[0].message
    assert problems[0].hint == SYNTAX_HINT


def test_stray_text_after_a_quoted_value_is_reported_at_its_own_line():
    text = "title: 标题\ndate: 2010-05-12\nunit: 县财政局\nsummary: \"一句话\" 多余的字\n"
    _, problems = parse_mapping(text, "content/posts/a.md", line_offset=1)
    assert [p.line for p in problems] == [5]


def test_impossible_date_is_reported_at_its_own_line_while_other_keys_still_parse():
    text = "title: 标题\ndate: 2009-02-30\nunit: 县财政局\n"
    mapping, problems = parse_mapping(text, "content/posts/a.md", line_offset=1)
    assert formatted(problems) == [
        "content/posts/a.md:3: error: “date”不是一个真实存在的日期 (日期请写成 YYYY-MM-DD，例如 2010-05-12)"
    ]
    assert mapping is not None
    assert mapping.values == {"title": "标题", "unit": "县财政局"}
    assert mapping.bad_keys == frozenset({"date"})
    assert mapping.line_of("date") == 3


def test_duplicate_key_is_reported_at_the_second_occurrence_and_the_first_value_kept():
    mapping, problems = parse_mapping("title: 一\ndate: 2010-05-12\ntitle: 二\n", "a.md", line_offset=1)
    assert formatted(problems) == ["a.md:4: error: “title”写了两次 (删除重复的一行)"]
    assert mapping is not None
    assert mapping.values["title"] == "一"


def test_a_list_where_a_mapping_is_expected_is_an_error():
    mapping, problems = parse_mapping("- title\n- date\n", "site.yaml")
    assert mapping is None
    assert formatted(problems) == ["site.yaml:1: error: 这里应是“键: 值”形式的设置 (每行写成 title: 标题 这样的形式)"]


def test_a_plain_sentence_where_a_mapping_is_expected_is_an_error_with_offset():
    mapping, problems = parse_mapping("只写了一句话\n", "a.md", line_offset=1)
    assert mapping is None
    assert [(p.line, p.message) for p in problems] == [(2, "这里应是“键: 值”形式的设置")]


def test_parse_mapping_list_gives_one_mapping_per_item_with_lines():
    text = "# 单位\n- id: gongwei\n  name: 县直机关工委\n\n- id: caizhengju\n  name: 县财政局\n  parent: gongwei\n"
    items, problems = parse_mapping_list(text, "content/units.yaml")
    assert problems == []
    assert [m.values for m in items] == [
        {"id": "gongwei", "name": "县直机关工委"},
        {"id": "caizhengju", "name": "县财政局", "parent": "gongwei"},
    ]
    assert [m.line for m in items] == [2, 5]
    assert items[1].line_of("parent") == 7


def test_parse_mapping_list_of_an_empty_file_is_empty():
    assert parse_mapping_list("# 还没有内容\n", "content/units.yaml") == ([], [])


def test_parse_mapping_list_rejects_a_mapping():
    items, problems = parse_mapping_list("id: a\nname: b\n", "content/units.yaml")
    assert items == []
    assert formatted(problems) == ["content/units.yaml:1: error: 这个文件应是一个列表 (每一项以“- id: ...”开头)"]


def test_parse_mapping_list_reports_an_item_that_is_not_a_mapping_and_keeps_the_others():
    items, problems = parse_mapping_list("- id: a\n  name: 甲\n- 乙\n", "content/activities.yaml")
    assert [m.values["id"] for m in items] == ["a"]
    assert [(p.line, p.message) for p in problems] == [(3, "列表中的每一项应包含 id 和 name")]


def test_parse_mapping_list_reports_duplicate_keys_inside_an_item():
    _, problems = parse_mapping_list("- id: a\n  name: 甲\n  name: 乙\n", "content/units.yaml")
    assert formatted(problems) == ["content/units.yaml:3: error: “name”写了两次 (删除重复的一行)"]
