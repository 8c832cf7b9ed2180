"""Reading source files as text: UTF-8 with or without BOM, LF or CRLF."""

from __future__ import annotations

from pathlib import Path

from generator.core.errors import Problem, error


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 bytes to text with LF line ends, or explain why not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [
            error(rel, line, "文件不是 UTF-8 编码，无法读取",
                  "GBK/GB2312 编码的文件请用记事本“另存为”，编码选 UTF-8 后再保存")
        ]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    """Read a source file as text, or explain why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(rel, 0, f"无法读取文件：{exc.strerror}", "检查文件是否存在、是否有读取权限")]
    return decode(data, rel)
