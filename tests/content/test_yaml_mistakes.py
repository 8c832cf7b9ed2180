"""The YAML mistakes staff make in Notepad, each told in Chinese at its own line with that line corrected (issue #18).

Stories are read through ``load_doc``, as a build reads them: the front matter starts on file line 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content.load import load_doc
from generator.content.yamlsource import parse_mapping, parse_mapping_list

UNIT = "unit: caizhengju\n"
DATE = "date: 2010-05-12\n"


def story_problems(tmp_path: Path, front: str) -> list[str]:
    """Every problem with a story whose front matter is ``front``, formatted as the build shows it."""
    path = tmp_path / "content" / "posts" / "x.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front}---\n\n正文。\n", encoding="utf-8")
    _, problems = load_doc(tmp_path / "content", "posts/x.md", "posts", None)
    return [p.format() for p in problems]


MISTAKES = {
    "colon in an unquoted title": (
        "title: 学习: 理论\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 标题里的英文冒号“:”会被当成“键: 值”的分隔"
        "（YAML：mapping values are not allowed in this context） (把标题放在引号里：title: \"学习: 理论\")"),
    "colon in another unquoted value": (
        "title: 学习\n" + DATE + UNIT + "summary: 会议指出: 要加强学习\n",
        "content/posts/x.md:5: error: “summary”的值里的英文冒号“:”会被当成“键: 值”的分隔"
        "（YAML：mapping values are not allowed in this context） "
        "(把“summary”的值放在引号里：summary: \"会议指出: 要加强学习\")"),
    "colon in a value that holds double quotes": (
        "title: 学习\"两学一做\": 理论\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 标题里的英文冒号“:”会被当成“键: 值”的分隔"
        "（YAML：mapping values are not allowed in this context） (把标题放在引号里：title: '学习\"两学一做\": 理论')"),
    "full-width colon after the first key": (
        "title：学习理论\n" + DATE + UNIT,
        "content/posts/x.md:2: error: “title”后面用了中文冒号“：”，YAML 只认英文冒号"
        "（YAML：mapping values are not allowed in this context） (把中文冒号改成英文冒号加空格：title: 学习理论)"),
    "full-width colon after a later key": (
        "title: 学习\ndate：2010-05-12\n" + UNIT,
        "content/posts/x.md:3: error: “date”后面用了中文冒号“：”，YAML 只认英文冒号"
        "（YAML：could not find expected ':'） (把中文冒号改成英文冒号加空格：date: 2010-05-12)"),
    "full-width colon on the only line": (
        "title：学习\n",
        "content/posts/x.md:2: error: “title”后面用了中文冒号“：”，YAML 只认英文冒号 "
        "(把中文冒号改成英文冒号加空格：title: 学习)"),
    "full-width colon then a colon in the value": (
        "title：学习: 理论\n" + DATE + UNIT,
        "content/posts/x.md:2: error: “title”后面用了中文冒号“：”，YAML 只认英文冒号 "
        "(把中文冒号改成英文冒号加空格：title: \"学习: 理论\")"),
    "full-width quotes and colon around a key": (
        "“title”：学习\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 键名 title 不能加中文引号；“title”后面用了中文冒号“：”，YAML 只认英文冒号"
        "（YAML：mapping values are not allowed in this context） "
        "(去掉键名的引号，把中文冒号改成英文冒号加空格：title: 学习)"),
    "full-width quotes around a key": (
        DATE + "“title”: 学习\n" + UNIT,
        "content/posts/x.md:3: error: 键名 title 不能加中文引号 (去掉键名的引号：title: 学习)"),
    "tab indenting a key": (
        "title: 学习\n\tdate: 2010-05-12\n" + UNIT,
        "content/posts/x.md:3: error: 行首用了 Tab 键缩进，YAML 只认空格"
        "（YAML：found a tab character that violates indentation） (删去行首的 Tab：date: 2010-05-12)"),
    "tab indenting a list item": (
        "title: 学习\n" + DATE + UNIT + "activities:\n\t- 创先争优\n",
        "content/posts/x.md:6: error: 行首用了 Tab 键缩进，YAML 只认空格"
        "（YAML：found character that cannot start any token） (把行首的 Tab 换成 2 个空格：- 创先争优)"),
    "tab indenting a block of text": (
        "title: 学习\n" + DATE + UNIT + "summary: |\n\t第一段\n",
        "content/posts/x.md:6: error: 行首用了 Tab 键缩进，YAML 只认空格"
        "（YAML：found a tab character where an indentation space is expected） (把行首的 Tab 换成 2 个空格：第一段)"),
    "full-width space indenting a key": (
        "title: 学习\n\u3000date: 2010-05-12\n" + UNIT,
        "content/posts/x.md:3: error: 行首有全角空格，YAML 只认半角空格 (删去行首的全角空格：date: 2010-05-12)"),
    "missing space after the colon": (
        "title:学习\n" + DATE + UNIT,
        "content/posts/x.md:2: error: “title:”后面少了一个空格"
        "（YAML：mapping values are not allowed in this context） (在冒号后加一个空格：title: 学习)"),
    "missing space after the colon on the last line": (
        DATE + UNIT + "title:学习\n",
        "content/posts/x.md:4: error: “title:”后面少了一个空格"
        "（YAML：could not find expected ':'） (在冒号后加一个空格：title: 学习)"),
    "full-width space after the colon": (
        "title:\u3000学习\n" + DATE + UNIT,
        "content/posts/x.md:2: error: “title:”后面是全角空格，YAML 只认半角空格"
        "（YAML：mapping values are not allowed in this context） (把全角空格改成半角空格：title: 学习)"),
    "missing colon": (
        "title 学习\n" + DATE + UNIT,
        "content/posts/x.md:2: error: “title”后面缺少冒号"
        "（YAML：mapping values are not allowed in this context） (在键名后加英文冒号和空格：title: 学习)"),
    "unclosed double quote": (
        "title: \"学习\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 引号“\"”只有开头，没有结尾"
        "（YAML：found unexpected end of stream） (在值的末尾补上“\"”：title: \"学习\")"),
    "unclosed single quote on the last line": (
        DATE + UNIT + "title: '学习\n",
        "content/posts/x.md:4: error: 引号“'”只有开头，没有结尾"
        "（YAML：found unexpected end of stream） (在值的末尾补上“'”：title: '学习')"),
    "unclosed quote that the next quote closes": (
        "title: \"学习\n" + DATE + "unit: \"caizhengju\"\n",
        "content/posts/x.md:2: error: 引号“\"”只有开头，没有结尾"
        "（YAML：did not find expected key） (在值的末尾补上“\"”：title: \"学习\")"),
    "quote closed with a full-width quote": (
        "title: \"学习”\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 引号“\"”的结尾用了中文引号“””"
        "（YAML：found unexpected end of stream） (把结尾的中文引号改成英文引号：title: \"学习\")"),
    "text after a quoted value": (
        "title: \"两学一做\"学习教育\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 引号外面还有文字，YAML 只把引号里的当作值"
        "（YAML：did not find expected key） (把英文引号改成中文引号：title: “两学一做”学习教育)"),
    "full-width dash before a list item": (
        "title: 学习\n" + DATE + UNIT + "activities:\n－ 创先争优\n- 四帮四促\n",
        "content/posts/x.md:6: error: 列表项前的“－”是全角减号，YAML 只认半角“-”"
        "（YAML：could not find expected ':'） (改成半角减号加空格：- 创先争优)"),
    "full-width dashes before indented list items": (
        "title: 学习\n" + DATE + UNIT + "activities:\n  － 创先争优\n  － 四帮四促\n",
        "content/posts/x.md:6: error: 列表项前的“－”是全角减号，YAML 只认半角“-” (改成半角减号加空格：- 创先争优)"),
    "no space after the dashes of list items": (
        "title: 学习\n" + DATE + UNIT + "activities:\n  -创先争优\n  -四帮四促\n",
        "content/posts/x.md:6: error: 列表项的“-”后面少了一个半角空格 (在“-”后加一个空格：- 创先争优)"),
    "unclosed bracket": (
        "title: 学习\n" + DATE + UNIT + "activities: [创先争优, 四帮四促\n",
        "content/posts/x.md:5: error: 方括号“[”没有配对的“]”"
        "（YAML：did not find expected ',' or ']'） (在末尾补上“]”：activities: [创先争优, 四帮四促])"),
    "bracket closed with a full-width bracket": (
        "title: 学习\n" + DATE + UNIT + "activities: [创先争优, 四帮四促］\n",
        "content/posts/x.md:5: error: 结尾的“］”是全角符号，YAML 只认半角“]”"
        "（YAML：did not find expected ',' or ']'） (改成半角“]”：activities: [创先争优, 四帮四促])"),
    "line indented under a key with a value": (
        "title: 学习\n  date: 2010-05-12\n" + UNIT,
        "content/posts/x.md:3: error: 这一行比上一行多缩进了，会被当成上一行的续行"
        "（YAML：mapping values are not allowed in this context） "
        "(删去行首多余的空格，与上一行对齐：date: 2010-05-12)"),
    "a line that is no key": (
        "title: 学习\n在县委党校\n" + DATE + UNIT,
        "content/posts/x.md:3: error: 这一行不是“键: 值”的形式（YAML：could not find expected ':'） "
        "(写成“键: 值”，例如 title: 标题；若是上一行的续行，请接到上一行末尾)"),
    "list item on the line of its key": (
        "title: 学习\n" + DATE + UNIT + "activities: - 创先争优\n",
        "content/posts/x.md:5: error: 列表项“- ”不能写在键名的同一行"
        "（YAML：block sequence entries are not allowed in this context） (写成方括号列表：activities: [创先争优])"),
    "value starting with @": (
        "title: @全体党员\n" + DATE + UNIT,
        "content/posts/x.md:2: error: 标题不能以“@”开头（YAML：found character that cannot start any token） "
        "(把标题放在引号里：title: \"@全体党员\")"),
    "backslash in double quotes": (
        "title: 学习\n" + DATE + UNIT + "cover: \"图片\\现场.jpg\"\n",
        "content/posts/x.md:5: error: 双引号里的“\\”会被当成转义符（YAML：found unknown escape character） "
        "(去掉引号：cover: 图片\\现场.jpg)"),
    "backslash in double quotes of a value that needs quotes": (
        "title: 学习\n" + DATE + UNIT + "cover: \"图片\\现场: 一.jpg\"\n",
        "content/posts/x.md:5: error: 双引号里的“\\”会被当成转义符（YAML：found unknown escape character） "
        "(把双引号改成单引号：cover: '图片\\现场: 一.jpg')"),
}


@pytest.mark.parametrize(("front", "expected"), MISTAKES.values(), ids=MISTAKES.keys())
def test_each_mistake_is_told_in_chinese_at_its_line_with_the_fix(tmp_path: Path, front: str, expected: str) -> None:
    assert story_problems(tmp_path, front) == [expected]


VALID = {
    "quoted value with colons": ("title: \"学习：理论: 实践\"\n", {"title": "学习：理论: 实践"}),
    "plain value with a full-width colon": ("title: 学习：理论\n", {"title": "学习：理论"}),
    "full-width quotes in a value": ("title: “两学一做”学习教育\n", {"title": "“两学一做”学习教育"}),
    "a web address": ("link: http://10.0.0.10/dangjian/\n", {"link": "http://10.0.0.10/dangjian/"}),
    "a colon without a space": ("note: 第1:2场\n", {"note": "第1:2场"}),
    "a tab after the colon": ("title:\t学习\n", {"title": "学习"}),
    "a key in ASCII quotes": ("\"title\": 学习\n", {"title": "学习"}),
    "a list with dashes": ("activities:\n  - 创先争优\n  - 四帮四促\n", {"activities": ["创先争优", "四帮四促"]}),
    "a negative number on the next line": ("budget:\n  -5\n", {"budget": -5}),
    "a block of text with colons and a key-like line": (
        "summary: |\n  会议指出：要加强学习\n  note:x\n", {"summary": "会议指出：要加强学习\nnote:x\n"}),
    "a full-width comma in a list": ("activities: [创先争优，四帮四促]\n", {"activities": ["创先争优，四帮四促"]}),
}


@pytest.mark.parametrize(("text", "values"), VALID.values(), ids=VALID.keys())
def test_valid_yaml_with_colons_quotes_and_addresses_is_no_problem(text: str, values: dict[str, object]) -> None:
    mapping, problems = parse_mapping(text, "content/posts/x.md", line_offset=1)
    assert problems == []
    assert mapping is not None
    assert mapping.values == values


def test_a_key_in_full_width_quotes_is_kept_as_a_bad_key_under_the_name_meant() -> None:
    # So that the story is not also told it lacks a title and has an unknown key.
    mapping, problems = parse_mapping("“title”: 学习\ndate: 2010-05-12\n", "content/posts/x.md", line_offset=1)
    assert len(problems) == 1
    assert mapping is not None
    assert mapping.bad_keys == frozenset({"title"})
    assert "“title”" not in mapping.values
    assert mapping.line_of("title") == 2


def test_a_valid_text_over_several_lines_does_not_hide_a_later_mistake() -> None:
    # The quote opened on line 2 is closed on line 3: the mistake is the colon on line 4.
    text = "summary: \"第一句\n  第二句\"\nnote: 详见\n  http://10.0.0.10/a\ntitle: 学习: 理论\n"
    _, problems = parse_mapping(text, "content/posts/x.md", line_offset=1)
    assert [(p.line, p.hint) for p in problems] == [(6, "把标题放在引号里：title: \"学习: 理论\"")]


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("units.yaml", "- id: caizhengju\n  name：县财政局\n- id: gongwei\n  name: 县直机关工委\n",
     "content/units.yaml:2: error: “name”后面用了中文冒号“：”，YAML 只认英文冒号（YAML：could not find expected ':'） "
     "(把中文冒号改成英文冒号加空格：name: 县财政局)"),
    ("units.yaml", "- id：caizhengju\n",
     "content/units.yaml:1: error: “id”后面用了中文冒号“：”，YAML 只认英文冒号 "
     "(把中文冒号改成英文冒号加空格：- id: caizhengju)"),
    ("activities.yaml", "- id: chuangxian-zhengyou\n\tname: 创先争优\n",
     "content/activities.yaml:2: error: 行首用了 Tab 键缩进，YAML 只认空格"
     "（YAML：found a tab character that violates indentation） (把行首的 Tab 换成 2 个空格：name: 创先争优)"),
    ("activities.yaml", "- id: sibang-sicu\n  name: 四帮四促: 下基层\n",
     "content/activities.yaml:2: error: “name”的值里的英文冒号“:”会被当成“键: 值”的分隔"
     "（YAML：mapping values are not allowed in this context） (把“name”的值放在引号里：name: \"四帮四促: 下基层\")"),
])
def test_mistakes_in_units_and_activities_are_told_the_same_way(name: str, text: str, expected: str) -> None:
    _, problems = parse_mapping_list(text, f"content/{name}")
    assert [p.format() for p in problems] == [expected]
