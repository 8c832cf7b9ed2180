"""argparse in Chinese: help, usage and usage errors, without changing argparse for anyone else.

argparse's own words ("usage:", "options", "invalid choice: …") come from gettext with no
Chinese catalogue. Here a parser subclass names its groups and its -h in Chinese, a formatter
subclass writes "用法：" and wraps by display width (a Chinese character takes two columns),
and ``error`` turns argparse's messages into Chinese. The messages are matched by shape, as
Python 3.11, 3.12 and 3.13 word them (3.12.8+ and 3.13.1+ quote choices differently).

Imported by every command, so it imports nothing a build with nothing to do would not.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Sequence

TYPE_CHECKING = False  # typing costs a no-change build a few milliseconds
if TYPE_CHECKING:
    from typing import Any, NoReturn

COMMAND_METAVAR = "命令"
"""How the command argument is named in usage and messages."""
USAGE_PREFIX = "用法："

# Chinese line breaking: these never start a line, those never end one.
_NO_LINE_START = "，。；：、）》」』”’？！,.;:)?!"
_NO_LINE_END = "（《「『“‘("


def display_width(text: str) -> int:
    """Columns a terminal gives the text: two for each wide (Chinese) character."""
    from unicodedata import east_asian_width

    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _pieces(text: str) -> list[str]:
    """Split text into unbreakable pieces: runs of narrow text, single wide characters, spaces."""
    from unicodedata import east_asian_width

    pieces: list[str] = []
    for run in re.findall(r"\s+|\S+", text):
        if run.isspace():
            pieces.append(" ")
            continue
        narrow = ""
        for ch in run:
            if east_asian_width(ch) not in "WF":
                narrow += ch
                continue
            if narrow:
                pieces.append(narrow)
                narrow = ""
            pieces.append(ch)
        if narrow:
            pieces.append(narrow)
    glued: list[str] = []
    for piece in pieces:
        if glued and glued[-1] != " " and (piece[0] in _NO_LINE_START or glued[-1][-1] in _NO_LINE_END):
            glued[-1] += piece
        else:
            glued.append(piece)
    return glued


def wrap(text: str, width: int) -> list[str]:
    """Wrap text to a display width, breaking at spaces and between Chinese characters."""
    lines: list[str] = []
    line, used, space = "", 0, False
    for piece in _pieces(" ".join(text.split())):
        if piece == " ":
            space = bool(line)
            continue
        size = display_width(piece)
        if line and used + space + size > width:
            lines.append(line)
            line, used, space = "", 0, False
        line += " " * space + piece
        used += space + size
        space = False
    if line:
        lines.append(line)
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Writes "用法：" and wraps and aligns by display width."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        """Add the usage with a Chinese prefix unless another is given."""
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)

    def _format_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                      groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None) -> str:
        # argparse counts characters, not columns: wrapped lines are indented under the prefix and
        # the program name by their columns here, and the width is narrowed until no line overflows.
        actions, groups = list(actions), list(groups)
        extra = display_width(prefix or "") - len(prefix or "") + display_width(self._prog) - len(self._prog)
        width = self._width
        try:
            while True:
                text = super()._format_usage(usage, actions, groups, prefix)
                first, *rest = text.split("\n")
                text = "\n".join([first, *(" " * extra + line if line.startswith(" ") else line for line in rest)])
                overflow = max(display_width(line) for line in text.split("\n")) - width
                if overflow <= 0 or self._width - overflow < 20:
                    return text
                self._width -= overflow
        finally:
            self._width = width

    def add_argument(self, action: argparse.Action) -> None:
        """Add an argument's help, making room for its invocation by columns, not characters."""
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            columns = display_width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, columns)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = display_width(header) - len(header)
        first, newline, rest = text.partition("\n")
        start = first.find(header)
        if extra <= 0 or start < 0:
            return text
        # The help after a wide invocation was padded by characters: take back the extra columns.
        after = first[start + len(header):]
        help_text = after.lstrip(" ")
        if help_text:
            padding = max(len(after) - len(help_text) - extra, 2)
            first = first[:start + len(header)] + " " * padding + help_text
        return first + newline + rest

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class ChineseParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose help, usage and errors are in Chinese.

    ``commands`` maps command names to their parsers, for unknown arguments to be reported
    against the command they were given to (fill it when adding sub-parsers).
    """

    def __init__(self, *, add_help: bool = True,
                 formatter_class: type[argparse.HelpFormatter] = ChineseHelpFormatter, **kwargs: Any) -> None:
        self.option_names: list[str] = []
        self.commands: dict[str, ChineseParser] = {}
        super().__init__(add_help=False, formatter_class=formatter_class, **kwargs)
        # The two default groups are titled through gettext when the parser is made; retitle them.
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示帮助并退出")

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        """Add an argument as argparse does, remembering its option names for suggestions."""
        action = super().add_argument(*args, **kwargs)
        self.option_names.extend(action.option_strings)
        return action

    def parse_command_line(self, argv: Sequence[str] | None = None) -> argparse.Namespace:
        """Parse like ``parse_args``; unknown arguments are reported with the command's own usage."""
        parsed, extras = self.parse_known_args(argv)
        if extras:
            owner = self.commands.get(getattr(parsed, "command", None) or "", self)
            owner.fail(unrecognized(extras, owner.option_names))
        return parsed

    def error(self, message: str) -> NoReturn:
        """Print the usage and argparse's message in Chinese, and exit with status 2."""
        self.fail(translate(message, list(self.commands), self.option_names))

    def fail(self, text: str) -> NoReturn:
        """Print the usage and a Chinese message, and exit with status 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {text}\n")


# argparse's messages, matched whole (re.fullmatch with re.S). Strings, not compiled here: every
# command imports this module, and only a usage error needs them.
_ARGUMENT = r"argument (?P<name>.+?): (?P<detail>.+)"
_CHOICE = r"invalid choice: (?P<value>.+?)(?:, maybe you meant .+?\?)? \(choose from (?P<choices>.*)\)"
_TYPE = r"invalid (?P<type>\S+) value: (?P<value>.+)"
_EXPECTED = r"expected (?P<count>one|at most one|at least one|\d+) arguments?"
_IGNORED = r"ignored explicit argument (?P<value>.+)"
_NOT_WITH = r"not allowed with argument (?P<other>.+)"
_REQUIRED = r"the following arguments are required: (?P<names>.+)"
_ONE_OF = r"one of the arguments (?P<names>.+) is required"
_UNRECOGNIZED = r"unrecognized arguments: (?P<args>.+)"
_AMBIGUOUS = r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"
_TYPE_NAMES = {"int": "整数", "float": "数字"}
_COUNTS = {"one": "一个值", "at most one": "至多一个值", "at least one": "至少一个值"}


def _unquote(text: str) -> str:
    """A value as argparse quoted it (``'x'``, ``"it's"``, or bare since 3.12.8 for choices)."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        import ast

        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text[1:-1]
        return value if isinstance(value, str) else text
    return text


def _match(pattern: str, text: str) -> re.Match[str] | None:
    return re.fullmatch(pattern, text, re.S)


def _names(text: str) -> list[str]:
    return [_unquote(name) for name in text.split(", ")]


def translate(message: str, commands: Sequence[str] = (), options: Sequence[str] = ()) -> str:
    """Say one of argparse's error messages in Chinese (unknown ones are kept, after a Chinese lead)."""
    if match := _match(_ARGUMENT, message):
        return _about_argument(match["name"], match["detail"])
    if match := _match(_REQUIRED, message):
        names = _names(match["names"])
        if names == [COMMAND_METAVAR] and commands:
            return f"缺少命令（可用的命令：{'、'.join(commands)}）"
        return f"缺少必需的参数：{'、'.join(names)}"
    if match := _match(_ONE_OF, message):
        return f"以下参数必须给出一个：{'、'.join(match['names'].split())}"
    if match := _match(_UNRECOGNIZED, message):
        return unrecognized(match["args"].split(" "), options)
    if match := _match(_AMBIGUOUS, message):
        return f"选项“{match['option']}”不明确，可能是：{'、'.join(_names(match['matches']))}"
    return f"命令行有误：{message}"


def _about_argument(name: str, detail: str) -> str:
    from generator.core.suggest import did_you_mean

    if match := _match(_CHOICE, detail):
        value, choices = _unquote(match["value"]), _names(match["choices"])
        hint = did_you_mean(value, choices)
        if name == COMMAND_METAVAR:
            return f"未知命令“{value}”，{hint}" if hint else f"未知命令“{value}”（可用的命令：{'、'.join(choices)}）"
        return f"{name}：“{value}”不是可选的值，{hint or ''}可选的值：{'、'.join(choices)}"
    if match := _match(_TYPE, detail):
        kind = _TYPE_NAMES.get(match["type"], "有效的值")
        return f"{name}：“{_unquote(match['value'])}”不是{kind}"
    if match := _match(_EXPECTED, detail):
        count = _COUNTS.get(match["count"], f" {match['count']} 个值")
        return f"{name} 后面要写{count}"
    if match := _match(_IGNORED, detail):
        return f"{name} 后面不能写值（去掉“={_unquote(match['value'])}”）"
    if match := _match(_NOT_WITH, detail):
        return f"{name} 不能和 {match['other']} 同时使用"
    return f"{name}：{detail}"


def unrecognized(args: Sequence[str], options: Sequence[str]) -> str:
    """Say that arguments were not understood, suggesting the closest option for a misspelt one."""
    from generator.core.suggest import did_you_mean

    text = f"无法识别的参数：{' '.join(args)}"
    for arg in args:
        if arg.startswith("-") and (hint := did_you_mean(arg.split("=", 1)[0], options)):
            return f"{text}，{hint}"
    return text
