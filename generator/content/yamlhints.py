"""YAML mistakes explained in Chinese, at the line where they were made, with that line corrected as the fix.

Nothing here runs while YAML parses cleanly into what was meant: only after a syntax error, or for a
key or value that cannot be what the author wrote (``“title”``, ``－ 创先争优``). The parser notices many
mistakes a line or more after they were made (a full-width colon makes ``title：学习`` the start of a
text that runs on into the next line), so the source lines are read again, from the top, for the
mistakes that are never valid where they stand; other mistakes are read at the parser's mark.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import yaml

SYNTAX_HINT = "检查冒号后是否有空格、缩进是否对齐、引号是否成对"
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # the line breaks YAML counts
_INDENT = " \t\u3000"
_FULL_QUOTES = "“”‘’"
# A key as staff type it, rightly or not: ASCII name, perhaps in quotes, then a colon of either width.
_KEY = re.compile(r"(?P<q1>[“”‘’\"']?)(?P<key>[A-Za-z][A-Za-z0-9_-]*)(?P<q2>[“”‘’\"']?)[ \t\u3000]*"
                  r"(?P<colon>[:：])(?P<rest>.*)")
# A well-formed ``key: value`` entry, perhaps a list item; the value starts at the match's end.
_ENTRY = re.compile(r"(?P<lead> *(?:- +)*)(?P<key>[^\s#'\"\[\]{}:][^:]*?):(?: +|$)")
_BLOCK_START = re.compile(r":[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")
_CLOSED = {'"': re.compile(r'"(?:[^"\\]|\\.)*"'), "'": re.compile(r"'(?:[^']|'')*'")}
_BAD_START = {"@": "“@”", "`": "“`”", "%": "“%”", "*": "“*”", "&": "“&”", "!": "“!”"}


class Hint(NamedTuple):
    """A mistake at a row (0-based line) of the YAML text: what is wrong, how to fix it, the key meant there."""

    row: int
    message: str
    hint: str
    key: str = ""


def split_lines(text: str) -> list[str]:
    """Split YAML text into lines the way the parser numbers them."""
    return _BREAK.split(text)


def _quoted(value: str) -> str:
    # Double quotes read best; single quotes when the value holds " or \ (escapes in double quotes).
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _guess_indent(lines: list[str], index: int) -> int:
    """The indentation a line most likely wanted, judged from the nearest line above it."""
    body = lines[index].lstrip(_INDENT)
    for above in reversed(lines[:index]):
        text = above.lstrip(_INDENT)
        if not text or text.startswith("#"):
            continue
        indent = len(above) - len(text)
        if text.rstrip().endswith(":") or _BLOCK_START.search(above):
            return indent + 2
        if text.startswith(("- ", "－")) and not body.startswith(("-", "－")):
            return indent + 2  # a key under ``- id: a`` lines up with ``id``
        return indent
    return 0


def _fix_indent(lines: list[str], index: int, faults: list[str], actions: list[str]) -> None:
    lead = lines[index][: len(lines[index]) - len(lines[index].lstrip(_INDENT))]
    wrong = "Tab" if "\t" in lead else "全角空格" if "\u3000" in lead else ""
    if not wrong:
        return
    faults.append("行首用了 Tab 键缩进，YAML 只认空格" if wrong == "Tab" else "行首有全角空格，YAML 只认半角空格")
    spaces = _guess_indent(lines, index)
    wrong = " Tab " if wrong == "Tab" else wrong
    actions.append(f"删去行首的{wrong.rstrip()}" if spaces == 0 else f"把行首的{wrong}换成 {spaces} 个空格")


def _fix_dash(body: str, faults: list[str], actions: list[str]) -> str:
    if body.startswith("－"):
        faults.append("列表项前的“－”是全角减号，YAML 只认半角“-”")
        actions.append("改成半角减号加空格")
        return "- " + body[1:].lstrip(_INDENT)
    if body.startswith("-\u3000") or re.match(r"-[^\s\-0-9.]", body):
        faults.append("列表项的“-”后面少了一个半角空格")
        actions.append("在“-”后加一个空格")
        return "- " + body[1:].lstrip(_INDENT)
    return body


def _fix_key(body: str, faults: list[str], actions: list[str]) -> tuple[str, str]:
    """Correct the key at the start of ``body``; return the corrected text and the key."""
    lead = re.match(r"(?:- +)*", body)
    start = lead.end() if lead else 0
    match = _KEY.fullmatch(body, start)
    if match is None:
        return body, ""
    key, colon, rest = match["key"], match["colon"], match["rest"]
    before = len(faults)
    if any(quote and quote in _FULL_QUOTES for quote in (match["q1"], match["q2"])):
        faults.append(f"键名 {key} 不能加中文引号")
        actions.append("去掉键名的引号")
    if colon == "：" and not re.match(r"[A-Za-z0-9_-]*:", rest):  # not a typo inside a key (``act：ivities:``)
        faults.append(f"“{key}”后面用了中文冒号“：”，YAML 只认英文冒号")
        actions.append("把中文冒号改成英文冒号加空格")
    elif rest[:1] == "\u3000":
        faults.append(f"“{key}:”后面是全角空格，YAML 只认半角空格")
        actions.append("把全角空格改成半角空格")
    elif rest[:1] not in ("", " ", "\t", "/", "\\"):  # not http://, not C:\
        faults.append(f"“{key}:”后面少了一个空格")
        actions.append("在冒号后加一个空格")
    if len(faults) == before:
        return body, key
    value = rest.strip(_INDENT)
    if ": " in value or value.endswith(":"):
        value = _quoted(value)  # title：学习: 理论 needs its quotes once the first colon is right
    return body[:start] + (f"{key}: {value}" if value else f"{key}:"), key


def line_mistake(lines: list[str], index: int) -> Hint | None:
    """Find the mistakes that are never valid YAML where they stand: tabs, full-width colons, dashes and quotes."""
    faults: list[str] = []
    actions: list[str] = []
    _fix_indent(lines, index, faults, actions)
    body = _fix_dash(lines[index].lstrip(_INDENT), faults, actions)
    body, key = _fix_key(body, faults, actions)
    if not faults:
        return None
    return Hint(index, "；".join(faults), "，".join(actions) + "：" + body.rstrip(), key)


def _scan(lines: list[str], last: int) -> Hint | None:
    """The first line up to ``last`` with a mistake ``line_mistake`` finds, skipping block scalars' text."""
    block = -1  # the indentation of the key whose ``|`` or ``>`` text is being read, -1 outside one
    for index, line in enumerate(lines[: last + 1]):
        spaces = len(line) - len(line.lstrip(" "))
        if block >= 0 and (not line.strip() or spaces > block):
            continue
        block = spaces if _BLOCK_START.search(line) else -1
        if line.lstrip(_INDENT).startswith("#"):
            continue
        found = line_mistake(lines, index)
        if found is not None:
            return found
    return None


_Fix = tuple[str, str, str]
"""What is wrong, what to do, and the line as it should read ("" when no single line can be given)."""


def _label(key: str) -> str:
    return "标题" if key == "title" else f"“{key}”的值"


def _colon_in_value(line: str, column: int) -> _Fix | None:
    entry = _ENTRY.match(line)
    if entry is None or column < entry.end():
        return None
    value = re.sub(r"\s+#.*$", "", line[entry.end() :]).strip()
    label = _label(entry["key"])
    return (f"{label}里的英文冒号“:”会被当成“键: 值”的分隔", f"把{label}放在引号里",
            f"{line[: entry.end()].rstrip()} {_quoted(value)}")


def _bad_start(line: str) -> _Fix | None:
    entry = _ENTRY.match(line)
    if entry is None or line[entry.end() : entry.end() + 1] not in _BAD_START:
        return None
    label = _label(entry["key"])
    value = line[entry.end() :].strip()
    return (f"{label}不能以{_BAD_START[value[0]]}开头", f"把{label}放在引号里",
            f"{line[: entry.end()].rstrip()} {_quoted(value)}")


def _dash_after_key(line: str) -> _Fix | None:
    entry = _ENTRY.match(line)
    items = line[entry.end() :].strip() if entry else ""
    if entry is None or not items.startswith("- "):
        return None
    return ("列表项“- ”不能写在键名的同一行", "写成方括号列表",
            f"{line[: entry.end()].rstrip()} [{items[2:].strip()}]")


def _over_indented(lines: list[str], index: int) -> _Fix | None:
    line = lines[index]
    indent = len(line) - len(line.lstrip(" "))
    for above in reversed(lines[:index]):
        if not above.strip() or above.lstrip().startswith("#"):
            continue
        entry = _ENTRY.match(above)
        if entry is None or not above[entry.end() :].strip() or indent <= len(entry["lead"]):
            return None  # a nested mapping, a line this cannot judge, or not indented further
        return ("这一行比上一行多缩进了，会被当成上一行的续行", "删去行首多余的空格，与上一行对齐",
                " " * len(entry["lead"]) + line.lstrip(" "))
    return None


def _missing_colon(line: str) -> _Fix:
    match = re.fullmatch(r"(?P<lead>[ ]*(?:- +)?)(?P<key>[A-Za-z][A-Za-z0-9_-]*)[ \t\u3000]+(?P<value>[^:：]+)", line)
    if match is None:
        return ("这一行不是“键: 值”的形式", "写成“键: 值”，例如 title: 标题；若是上一行的续行，请接到上一行末尾", "")
    return (f"“{match['key']}”后面缺少冒号", "在键名后加英文冒号和空格",
            f"{match['lead']}{match['key']}: {match['value'].strip()}")


def _value_start(line: str) -> int:
    entry = _ENTRY.match(line)
    return entry.end() if entry else len(line) - len(line.lstrip(" -"))


def _unclosed_quote(line: str) -> _Fix | None:
    start = _value_start(line)
    quote = line[start : start + 1]
    if quote not in _CLOSED or _CLOSED[quote].match(line, start):
        return None
    text = line.rstrip()
    full = "’" if quote == "'" else "”"
    if text.endswith(full):
        return f"引号“{quote}”的结尾用了中文引号“{full}”", "把结尾的中文引号改成英文引号", text[:-1] + quote
    return f"引号“{quote}”只有开头，没有结尾", f"在值的末尾补上“{quote}”", text + quote


def _stray_after_quote(line: str) -> _Fix | None:
    start = _value_start(line)
    quote = line[start : start + 1]
    closed = _CLOSED[quote].match(line, start) if quote in _CLOSED else None
    if closed is None or not line[closed.end() :].strip() or line[closed.end() :].strip().startswith("#"):
        return None
    left, right = ("‘", "’") if quote == "'" else ("“", "”")
    return ("引号外面还有文字，YAML 只把引号里的当作值", "把英文引号改成中文引号",
            f"{line[:start]}{left}{closed[0][1:-1]}{right}{line[closed.end():]}")


def _escape(line: str, column: int) -> _Fix:
    """The fix for a backslash in double quotes whose opening quote is at ``column`` (-1: on another line)."""
    closed = _CLOSED['"'].match(line, column) if column >= 0 else None
    message = "双引号里的“\\”会被当成转义符"
    if closed is None:
        return message, "去掉引号，或把 \\ 改成 /", ""
    inner = closed[0][1:-1]
    try:
        plain = yaml.load(f"k: {inner}", Loader=_LOADER) == {"k": inner}
    except yaml.YAMLError:
        plain = False
    action, value = ("去掉引号", inner) if plain else ("把双引号改成单引号", "'" + inner.replace("'", "''") + "'")
    return message, action, line[:column] + value + line[closed.end() :]


def _unclosed_flow(line: str, opening: str) -> _Fix | None:
    closing, full = ("]", "］") if opening == "[" else ("}", "｝")
    if opening not in line or closing in line:
        return None
    if full in line:
        return (f"结尾的“{full}”是全角符号，YAML 只认半角“{closing}”", f"改成半角“{closing}”",
                line.replace(full, closing))
    name = "方括号" if opening == "[" else "花括号"
    return f"{name}“{opening}”没有配对的“{closing}”", f"在末尾补上“{closing}”", line.rstrip() + closing


def _at_mark(exc: yaml.MarkedYAMLError, lines: list[str]) -> tuple[int, _Fix | None]:
    """Explain the error where the parser noticed it: the line, and what is wrong there if known."""
    context, problem = str(exc.context or ""), str(exc.problem or "")
    mark = exc.problem_mark
    line_at = mark.line if mark is not None else 0
    opened = exc.context_mark.line if exc.context_mark is not None else line_at
    text = lines[line_at] if line_at < len(lines) else ""
    if "quoted scalar" in context and "escape" in problem:
        start = exc.context_mark
        return line_at, _escape(text, start.column if start is not None and start.line == line_at else -1)
    if "quoted scalar" in context:
        return opened, _unclosed_quote(lines[opened])
    if "flow" in context:
        return opened, _unclosed_flow(lines[opened], "[" if "sequence" in context else "{")
    if "simple key" in context:
        return opened, _missing_colon(lines[opened])
    if "mapping values are not allowed" in problem:
        return line_at, _colon_in_value(text, mark.column if mark else 0) or _over_indented(lines, line_at)
    if "sequence entries are not allowed" in problem:
        return line_at, _dash_after_key(text)
    if "expected key" in problem:
        return line_at, _stray_after_quote(text)
    if "start any token" in problem or "alias" in context or "anchor" in context or "tag" in context:
        return line_at, _bad_start(text)
    return line_at, None


def _repairs(lines: list[str], index: int, fixed: str, mark: yaml.Mark | None) -> bool:
    """Tell whether fixing one line lets the parser get further than it did."""
    try:
        yaml.compose("\n".join([*lines[:index], fixed, *lines[index + 1 :]]), Loader=_LOADER)
    except yaml.YAMLError as exc:
        after = getattr(exc, "problem_mark", None)
        return mark is not None and after is not None and (after.line, after.column) > (mark.line, mark.column)
    return True


def _guessed(lines: list[str], last: int, mark: yaml.Mark | None) -> tuple[int, _Fix] | None:
    """A quote left open or a colon left out above the error, kept only if fixing it gets the parser further.

    Both are valid YAML in a text running over several lines, hence the trial parse; a few trials at most,
    for a long file of such text.
    """
    trials = 5
    for index in range(min(last, len(lines) - 1), -1, -1):
        fix = _unclosed_quote(lines[index])
        if fix is None and re.match(r" *(?:- +)?[A-Za-z]", lines[index]):
            fix = _missing_colon(lines[index])
        if fix is None or not fix[2]:
            continue
        if _repairs(lines, index, fix[2], mark):
            return index, fix
        trials -= 1
        if not trials:
            break
    return None


def explain(exc: yaml.YAMLError, lines: list[str]) -> Hint:
    """Explain a parser error in Chinese at the line to fix, with the parser's English after it."""
    english = str(getattr(exc, "problem", None) or str(exc).splitlines()[0])
    suffix = f"（YAML：{english}）"
    if not isinstance(exc, yaml.MarkedYAMLError):
        return Hint(0, "这里不符合 YAML 的写法" + suffix, SYNTAX_HINT)
    context = str(exc.context or "")
    start, mark = exc.context_mark, exc.problem_mark
    # A quote or bracket left open swallows the lines after it: look no further down than where it opened.
    opened = "quoted scalar" in context or "flow" in context
    last = start.line if start is not None and opened else mark.line if mark is not None else 0
    found = _scan(lines, last)
    if found is not None:
        return found._replace(message=found.message + suffix)
    index, fix = _at_mark(exc, lines)
    if fix is None or not fix[2]:
        index, fix = _guessed(lines, last, mark) or (index, fix)
    if fix is None:
        return Hint(index, "这里不符合 YAML 的写法" + suffix, SYNTAX_HINT)
    message, action, fixed = fix
    return Hint(index, message + suffix, f"{action}：{fixed.strip()}" if fixed else action)


def first_mistake(lines: list[str]) -> Hint | None:
    """The first line with a mistake that is never valid where it stands: why a text parsed as no mapping."""
    return _scan(lines, len(lines) - 1)
