"""YAML parsing that keeps line numbers and turns every failure into a Problem.

Values are constructed one top-level key at a time so that a single bad value
(PyYAML raises ValueError, not YAMLError, for ``date: 2009-02-30``) is reported
at its own line while the other keys are still read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.core.errors import Problem, error

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Mapping:
    """A YAML mapping with the 1-based file line of each key."""

    values: dict[str, Any]
    lines: dict[str, int]
    line: int
    bad_keys: frozenset[str] = field(default_factory=frozenset)

    def line_of(self, key: str) -> int:
        """Return the line of ``key``, or of the mapping itself when the key is absent."""
        return self.lines.get(key, self.line)


def _syntax_problem(exc: yaml.YAMLError, path: str, line_offset: int) -> Problem:
    # An unclosed bracket or quote is noticed lines later; its opening line is where authors look.
    # For anything else the context is the whole mapping, so the problem's own line is better.
    context = str(getattr(exc, "context", "") or "")
    opened = "flow" in context or "scalar" in context
    mark = (getattr(exc, "context_mark", None) if opened else None) or getattr(exc, "problem_mark", None)
    line = mark.line + 1 + line_offset if mark is not None else line_offset + 1
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    hint = "检查冒号后是否有空格、缩进是否对齐、引号是否成对"
    if "escape" in problem:  # "图片\现场.jpg": in double quotes a backslash starts an escape
        hint = "双引号里的 \\ 有特殊含义：路径请去掉引号，或把 \\ 改成 /，例如 cover: 图片/现场.jpg"
    return error(path, line, f"YAML 格式错误：{problem}", hint)


def _value_problem(path: str, line: int, key: str, exc: Exception) -> Problem:
    text = str(exc)
    if "day is out of range" in text or "month must be" in text:
        return error(path, line, f"“{key}”不是一个真实存在的日期", "日期请写成 YYYY-MM-DD，例如 2010-05-12")
    return error(path, line, f"“{key}”的值无法读取：{text}", "检查这一行的写法")


def _construct_mapping(
    loader: Any, node: yaml.MappingNode, path: str, line_offset: int
) -> tuple[Mapping, list[Problem]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    bad: set[str] = set()
    for key_node, value_node in node.value:
        key_line = key_node.start_mark.line + 1 + line_offset
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(error(path, key_line, "键名必须是简单文字", "例如 title: 标题"))
            continue
        key = str(key_node.value)
        if key in values or key in bad:
            problems.append(error(path, key_line, f"“{key}”写了两次", "删除重复的一行"))
            continue
        lines[key] = key_line
        try:
            values[key] = loader.construct_object(value_node, deep=True)
        except (ValueError, TypeError, yaml.YAMLError) as exc:
            bad.add(key)
            problems.append(_value_problem(path, key_line, key, exc))
    return Mapping(values, lines, node.start_mark.line + 1 + line_offset, frozenset(bad)), problems


def _compose(text: str, path: str, line_offset: int) -> tuple[Any, yaml.Node | None, list[Problem]]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        loader.dispose()
        return None, None, [_syntax_problem(exc, path, line_offset)]
    return loader, node, []


def parse_mapping(text: str, path: str, line_offset: int = 0) -> tuple[Mapping | None, list[Problem]]:
    """Parse YAML text that must be a mapping (front matter, site.yaml)."""
    loader, node, problems = _compose(text, path, line_offset)
    if problems:
        return None, problems
    try:
        if node is None:
            return Mapping({}, {}, line_offset + 1), []
        if not isinstance(node, yaml.MappingNode):
            return None, [
                error(path, node.start_mark.line + 1 + line_offset, "这里应是“键: 值”形式的设置",
                      "每行写成 title: 标题 这样的形式")
            ]
        return _construct_mapping(loader, node, path, line_offset)
    finally:
        loader.dispose()


def parse_mapping_list(text: str, path: str) -> tuple[list[Mapping], list[Problem]]:
    """Parse YAML text that must be a list of mappings (units.yaml, activities.yaml)."""
    loader, node, problems = _compose(text, path, 0)
    if problems:
        return [], problems
    try:
        if node is None:
            return [], []
        if not isinstance(node, yaml.SequenceNode):
            return [], [
                error(path, node.start_mark.line + 1, "这个文件应是一个列表",
                      "每一项以“- id: ...”开头")
            ]
        items: list[Mapping] = []
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                problems.append(error(path, item.start_mark.line + 1, "列表中的每一项应包含 id 和 name",
                                      "写成“- id: ...”换行“  name: ...”"))
                continue
            mapping, item_problems = _construct_mapping(loader, item, path, 0)
            items.append(mapping)
            problems.extend(item_problems)
        return items, problems
    finally:
        loader.dispose()


@dataclass(frozen=True)
class Item:
    """A list item that is not a mapping (a word in banned.yaml), with its 1-based file line."""

    value: Any
    line: int


def parse_list(text: str, path: str, hint: str) -> tuple[list[Mapping | Item], list[Problem]]:
    """Parse YAML text that must be a list whose items are mappings or plain values (terms.yaml, banned.yaml).

    ``hint`` says how the file's items are written, for the problem when the file is not a list.
    """
    loader, node, problems = _compose(text, path, 0)
    if problems:
        return [], problems
    try:
        if node is None:
            return [], []
        if not isinstance(node, yaml.SequenceNode):
            return [], [error(path, node.start_mark.line + 1, "这个文件应是一个列表", hint)]
        items: list[Mapping | Item] = []
        for item in node.value:
            line = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                mapping, item_problems = _construct_mapping(loader, item, path, 0)
                items.append(mapping)
                problems.extend(item_problems)
                continue
            try:
                items.append(Item(loader.construct_object(item, deep=True), line))
            except (ValueError, TypeError, yaml.YAMLError) as exc:
                key = str(item.value) if isinstance(item, yaml.ScalarNode) else "这一项"
                problems.append(_value_problem(path, line, key, exc))
        return items, problems
    finally:
        loader.dispose()
