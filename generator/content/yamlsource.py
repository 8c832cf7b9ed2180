"""YAML parsing that keeps line numbers and turns every failure into a Problem.

Values are constructed one top-level key at a time so that a single bad value
(PyYAML raises ValueError, not YAMLError, for ``date: 2009-02-30``) is reported
at its own line while the other keys are still read. What a syntax error means,
and at which line it was made, is worked out in ``yamlhints``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.content.yamlhints import Hint, explain, first_mistake, line_mistake, split_lines
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


_ODD_KEY_START = "“”‘’\u3000"
_DASHED_LINE = re.compile(r"\n[ \t]*(?:－|-[^\s\-0-9.])")  # ``－ 创先争优`` or ``-创先争优``, not ``- 创先争优``


def _odd_entry(key_node: yaml.ScalarNode, value_node: yaml.Node, text: str) -> tuple[Hint, str] | None:
    """A key or value that parsed but cannot be what was meant (“title”, a list typed with －), and the key meant."""
    key = str(key_node.value)
    if not key_node.style and (key[:1] in _ODD_KEY_START or "：" in key):  # plain style: None, or "" from libyaml
        found = line_mistake(split_lines(text), key_node.start_mark.line)
        return (found, found.key or key) if found is not None else None
    if isinstance(value_node, yaml.ScalarNode) and not value_node.style and value_node.value[:1] in ("-", "－") \
            and value_node.start_mark.line != key_node.start_mark.line:
        found = line_mistake(split_lines(text), value_node.start_mark.line)  # ``－ a`` lines: one text, not a list
        return (found, key) if found is not None else None
    return None


def _construct_mapping(
    loader: Any, node: yaml.MappingNode, path: str, line_offset: int, text: str, dashed: bool
) -> tuple[Mapping, list[Problem]]:
    """Construct a mapping's values; ``dashed`` tells that ``text`` has a line like ``－ 创先争优``."""
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
        # The cheap test first: this loop runs for every key of every story, and keys are ASCII.
        odd = _odd_entry(key_node, value_node, text) if dashed or not key.isascii() else None
        if odd is not None:
            # Kept as a bad key under the name meant, so that it is not also reported missing or unknown.
            found, key = odd
            problems.append(error(path, found.row + 1 + line_offset, found.message, found.hint))
        if key in values or key in bad:
            problems.append(error(path, key_line, f"“{key}”写了两次", "删除重复的一行"))
            continue
        lines[key] = key_line
        if odd is not None:
            bad.add(key)
            continue
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
            found = first_mistake(split_lines(text))  # ``title：学习`` alone is one text, not a key
            if found is not None:
                return None, [error(path, found.row + 1 + line_offset, found.message, found.hint)]
            return None, [
                error(path, node.start_mark.line + 1 + line_offset, "这里应是“键: 值”形式的设置",
                      "每行写成 title: 标题 这样的形式")
            ]
        return _construct_mapping(loader, node, path, line_offset, text, _DASHED_LINE.search(text) is not None)
    finally:
        loader.dispose()


def _not_a_list(node: yaml.Node | None, path: str, hint: str) -> list[Problem]:
    """The problem of a file that must be a list but holds something else (nothing is no problem)."""
    if node is None or isinstance(node, yaml.SequenceNode):
        return []
    return [error(path, node.start_mark.line + 1, "这个文件应是一个列表", hint)]


def parse_mapping_list(text: str, path: str) -> tuple[list[Mapping], list[Problem]]:
    """Parse YAML text that must be a list of mappings (units.yaml, activities.yaml)."""
    loader, node, problems = _compose(text, path, 0)
    if problems:
        return [], problems
    try:
        problems = _not_a_list(node, path, "每一项以“- id: ...”开头")
        if node is None or problems:
            return [], problems
        items: list[Mapping] = []
        dashed = _DASHED_LINE.search(text) is not None
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                found = line_mistake(split_lines(text), item.start_mark.line)  # ``- id：a`` is one text
                problems.append(error(path, found.row + 1, found.message, found.hint) if found else
                                error(path, item.start_mark.line + 1, "列表中的每一项应包含 id 和 name",
                                      "写成“- id: ...”换行“  name: ...”"))
                continue
            mapping, item_problems = _construct_mapping(loader, item, path, 0, text, dashed)
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
        problems = _not_a_list(node, path, hint)
        if node is None or problems:
            return [], problems
        items: list[Mapping | Item] = []
        dashed = _DASHED_LINE.search(text) is not None
        for item in node.value:
            line = item.start_mark.line + 1
            if isinstance(item, yaml.MappingNode):
                mapping, item_problems = _construct_mapping(loader, item, path, 0, text, dashed)
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
