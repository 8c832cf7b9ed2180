"""Writing approvals into a story's front matter, keeping every other byte of the file as it was.

``dangjian review approve`` changes only the ``reviews:`` block: it replaces the lines of the
block that is there, or adds one as the last lines of the front matter. The file's own line
ends (LF or CRLF) and byte order mark are kept. The new text is read back before it is used:
the other fields, the body and the review fingerprint must come out as they went in.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

from generator.content.model import Approval
from generator.content.review import REVIEWS_KEY, check_reviews, fingerprint
from generator.content.sources import decode
from generator.content.yamlsource import parse_mapping

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Plain YAML scalars that read back as the same text: names and levels such as 初审 or 张 三.
_PLAIN = re.compile(r"^[^\W\d_][\w·・ .-]*$")


class UnwritableError(Exception):
    """The file cannot take approvals safely; the message says why, in Chinese."""


def _scalar(text: str) -> str:
    """Text as a YAML scalar inside a flow mapping: plain when that reads back the same, else quoted."""
    if _PLAIN.match(text) and text == text.strip():
        try:
            if yaml.load(f"{{k: {text}}}", Loader=_Loader) == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def approval_lines(approvals: Sequence[Approval]) -> list[str]:
    """The ``reviews:`` block, one line per approval (without line ends)."""
    lines = [f"{REVIEWS_KEY}:"]
    for a in approvals:
        lines.append(f"  - {{level: {_scalar(a.level)}, name: {_scalar(a.name)}, date: {a.date.isoformat()}, "
                     f"fingerprint: {json.dumps(a.fingerprint)}}}")
    return lines


def _front_matter_end(lines: Sequence[str]) -> int:
    """The index of the line that closes the front matter."""
    if not lines or lines[0].rstrip() != "---":
        raise UnwritableError("文件开头缺少 front matter（以 --- 开始的设置区）")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    raise UnwritableError("front matter 没有结束")


def _block_lines(front: Sequence[str]) -> tuple[int, int] | None:
    """The first and last line (in ``front``) of the ``reviews:`` block, or None when there is none."""
    try:
        root = yaml.compose("\n".join(front), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise UnwritableError("设置区的 YAML 格式有误，请先运行 dangjian check 改正") from exc
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise UnwritableError("设置区应是一行一项的“键: 值”，无法自动写入审核记录")
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == REVIEWS_KEY:
            first = key.start_mark.line
            last = value.end_mark.line if value.end_mark.column else value.end_mark.line - 1
            last = min(last, len(front) - 1)
            # A block ends where the next key starts: blank lines and comments before it stay.
            while last > first and (not front[last].strip() or front[last].lstrip().startswith("#")):
                last -= 1
            return first, last
    return None


def _read_back(text: str) -> tuple[dict[str, Any], str]:
    """The front-matter values and body of a text (LF line ends), as the build reads them."""
    lines = text.split("\n")
    end = _front_matter_end(lines)
    mapping, problems = parse_mapping("\n".join(lines[1:end]), "", line_offset=1)
    if mapping is None or problems:
        raise UnwritableError("写入后的设置区无法读取")
    return mapping.values, "\n".join(lines[end + 1:])


def with_approvals(data: bytes, approvals: Sequence[Approval]) -> bytes:
    """The file's bytes with its ``reviews:`` block replaced by these approvals; raise UnwritableError if unsafe."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    try:
        text = data[len(bom):].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnwritableError("文件不是 UTF-8 编码") from exc
    newline = "\r\n" if "\r\n" in text else "\n"
    if "\r" in text.replace("\r\n", ""):
        raise UnwritableError("文件中的换行符混用了旧式的 CR，请用记事本另存一次再审核")
    lines = text.split("\n")
    plain = [line.removesuffix("\r") for line in lines]
    end = _front_matter_end(plain)
    block = [line + ("\r" if newline == "\r\n" else "") for line in approval_lines(approvals)]
    found = _block_lines(plain[1:end])
    if found is None:
        lines[end:end] = block
    else:
        lines[1 + found[0]:2 + found[1]] = block
    new = bom + "\n".join(lines).encode("utf-8")
    _check(data, new, approvals)
    return new


def _check(old: bytes, new: bytes, approvals: Sequence[Approval]) -> None:
    """Refuse a new text that reads differently from the old in anything but its approvals."""
    before, _ = decode(old, "")
    after, _ = decode(new, "")
    if before is None or after is None:
        raise UnwritableError("文件无法读取")
    old_values, old_body = _read_back(before)
    new_values, new_body = _read_back(after)
    written, message = check_reviews(new_values.get(REVIEWS_KEY))
    same = {k: v for k, v in old_values.items() if k != REVIEWS_KEY} == \
        {k: v for k, v in new_values.items() if k != REVIEWS_KEY}
    if message or tuple(written) != tuple(approvals) or not same or old_body != new_body or \
            fingerprint(old_values, old_body) != fingerprint(new_values, new_body):
        raise UnwritableError("写入审核记录后文件内容会有其他变化，已放弃写入")
