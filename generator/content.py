"""Load a site's content folder: find the sources, read them, split front matter.

Nothing here judges the content; ``validate`` does that.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.errors import Problem, error, warning
from generator.model import KIND_BY_FOLDER, PAGES_FOLDER
from generator.sources import read_text
from generator.yamlsource import Mapping, parse_mapping, parse_mapping_list

UNITS_FILE = "units.yaml"
ACTIVITIES_FILE = "activities.yaml"
BUNDLE_INDEX = "index.md"


@dataclass(frozen=True)
class SourceDoc:
    """A Markdown source with its front matter parsed but not yet checked."""

    path: str
    """Path relative to content/, with forward slashes."""
    folder: str
    """The top folder under content/: branches, posts, cases or pages."""
    meta: Mapping
    body: str
    body_line: int
    bundle_dir: str | None


@dataclass(frozen=True)
class ContentTree:
    """Everything read from content/, before validation."""

    units: tuple[Mapping, ...]
    activities: tuple[Mapping, ...]
    docs: tuple[SourceDoc, ...]
    files: frozenset[str]
    """Every file under content/ that is not Markdown, content-relative."""


def split_front_matter(text: str, rel: str) -> tuple[str, str, int] | Problem:
    """Split text into front matter, body and the body's first line, or explain why not."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return error(rel, 1, "文件开头缺少 front matter（以 --- 开始的设置区）",
                     "第一行写 ---，接着写 title、date、unit 等，再用一行 --- 结束")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 2
    return error(rel, 1, "front matter 没有结束", "在设置区的末尾加一行 ---")


def _markdown_sources(content_dir: Path) -> tuple[list[tuple[str, str, str | None]], list[Problem]]:
    """List (path, folder, bundle_dir) of every story and page source."""
    found: list[tuple[str, str, str | None]] = []
    problems: list[Problem] = []
    for folder in (*KIND_BY_FOLDER, PAGES_FOLDER):
        base = content_dir / folder
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            rel = f"{folder}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if entry.is_file() and entry.suffix.lower() == ".md":
                found.append((rel, folder, None))
            elif entry.is_dir() and (entry / BUNDLE_INDEX).is_file():
                found.append((f"{rel}/{BUNDLE_INDEX}", folder, rel))
            elif entry.is_dir() and any(entry.glob("*.md")):
                problems.append(warning(f"content/{rel}", 0, "文件夹中有 Markdown 文件但没有 index.md，已跳过",
                                        "把正文文件改名为 index.md，图片放在同一文件夹"))
    return found, problems


def _all_files(content_dir: Path) -> frozenset[str]:
    return frozenset(
        path.relative_to(content_dir).as_posix()
        for path in content_dir.rglob("*")
        if path.is_file() and path.suffix.lower() != ".md" and not path.name.startswith(".")
    )


def load_doc(
    content_dir: Path, rel: str, folder: str, bundle_dir: str | None
) -> tuple[SourceDoc | None, list[Problem]]:
    """Read one Markdown source and parse its front matter."""
    text, problems = read_text(content_dir / rel, f"content/{rel}")
    if text is None:
        return None, problems
    shown = f"content/{rel}"
    parts = split_front_matter(text, shown)
    if isinstance(parts, Problem):
        return None, [parts]
    front, body, body_line = parts
    meta, problems = parse_mapping(front, shown, line_offset=1)
    if meta is None:
        return None, problems
    return SourceDoc(rel, folder, meta, body, body_line, bundle_dir), problems


def _load_list(content_dir: Path, name: str) -> tuple[tuple[Mapping, ...], list[Problem]]:
    path = content_dir / name
    if not path.is_file():
        return (), [error(f"content/{name}", 0, f"找不到 content/{name}",
                          "用 dangjian init 新建的站点里有示例，可照着写")]
    text, problems = read_text(path, f"content/{name}")
    if text is None:
        return (), problems
    items, problems = parse_mapping_list(text, f"content/{name}")
    return tuple(items), problems


def load_content(content_dir: Path) -> tuple[ContentTree, list[Problem]]:
    """Read every source under content/ and report what cannot be read."""
    problems: list[Problem] = []
    if not content_dir.is_dir():
        empty = ContentTree((), (), (), frozenset())
        return empty, [error("content", 0, "找不到 content 文件夹", "站点文件夹中应有 content/ 存放文章")]
    units, found = _load_list(content_dir, UNITS_FILE)
    problems += found
    activities, found = _load_list(content_dir, ACTIVITIES_FILE)
    problems += found
    sources, found = _markdown_sources(content_dir)
    problems += found
    docs: list[SourceDoc] = []
    for rel, folder, bundle_dir in sources:
        doc, found = load_doc(content_dir, rel, folder, bundle_dir)
        problems += found
        if doc is not None:
            docs.append(doc)
    return ContentTree(units, activities, tuple(docs), _all_files(content_dir)), problems
