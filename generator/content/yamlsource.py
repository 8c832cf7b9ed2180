"""YAML parsing that keeps line numbers and turns every failure into a Problem.

Values are constructed one top-level key at a time so that a single bad value
(PyYAML raises ValueError, not YAMLError, for ``date: 2009-02-30``) is reported
at its own line while the other keys are still read. What a syntax error means,
and at which line it was made, is worked out in ``yamlhints``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.content.yamlhints import explain, split_lines
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


def _syntax_problem(exc: yaml.YAMLError, text: str, path: str, line_offset: int) -> Problem:
    found = explain(exc, split_lines(text))
    return error(path, found.row + 1 + line_offset, found.message, found.hint)


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
        return None, None, [_syntax_problem(exc, text, path, line_offset)]
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
