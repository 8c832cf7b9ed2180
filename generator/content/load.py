"""Load a site's content folder: find the sources, read them, split front matter.

Nothing here judges the content; ``validate`` does that.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from generator.content.model import KIND_BY_FOLDER, PAGES_FOLDER
from generator.content.review import REVIEWS_KEY, fingerprint
from generator.content.sources import read_text
from generator.content.terms import BANNED_FILE, BANNED_SHAPE, TERMS_FILE, TERMS_SHAPE
from generator.content.yamlsource import Item, Mapping, parse_list, parse_mapping, parse_mapping_list
from generator.core.errors import Problem, error, warning
from generator.core.memo import Memo, stable
from generator.core.scan import Signature, scan_content

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
    body: str | None
    """None when not kept (read again when rendered: see ``read_body``)."""
    body_line: int
    bundle_dir: str | None
    digest: str = ""
    """Fingerprint of the file's text: what caches of its HTML are keyed by."""
    reviewed: str = ""
    """Its review fingerprint (``review.fingerprint``), worked out only when it has approvals to compare."""


@dataclass(frozen=True)
class ContentTree:
    """Everything read from content/, before validation."""

    units: tuple[Mapping, ...]
    activities: tuple[Mapping, ...]
    docs: tuple[SourceDoc, ...]
    files: frozenset[str]
    """Every file under content/ that is not Markdown, content-relative."""
    terms: tuple[Mapping | Item, ...] = ()
    """The entries of terms.yaml (none without the file)."""
    banned: tuple[Mapping | Item, ...] = ()
    """The entries of banned.yaml (none without the file)."""
    unreadable: tuple[str, ...] = ()
    """Sources whose front matter could not be read (their problems are reported): not published."""
    strays: tuple[str, ...] = ()
    """Files that look like writing but are no story or page (``stray_files``): Word, text, misplaced Markdown."""


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


def rescan(content_dir: Path, previous: dict[str, Signature], changed: Iterable[str]) -> dict[str, Signature] | None:
    """Update a scan for the files a watcher reported; None when a folder changed and a full scan is due."""
    scan = dict(previous)
    added = False
    for rel in changed:
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        try:
            info = (content_dir / rel).stat()
        except FileNotFoundError:
            if scan.pop(rel, None) is None:
                return None  # not a file we knew: perhaps a folder went away
            continue
        if stat.S_ISDIR(info.st_mode):
            return None
        added = added or rel not in scan
        scan[rel] = (info.st_mtime_ns, info.st_size)
    return dict(sorted(scan.items())) if added else scan


def _markdown_sources(scan: dict[str, Signature]) -> tuple[list[tuple[str, str, str | None]], list[Problem]]:
    """List (path, folder, bundle_dir) of every story and page source."""
    found: list[tuple[str, str, str | None]] = []
    loose: set[str] = set()
    for rel in scan:
        parts = rel.split("/")
        if (parts[0] not in KIND_BY_FOLDER and parts[0] != PAGES_FOLDER) or not rel.lower().endswith(".md"):
            continue
        if len(parts) == 2:
            found.append((rel, parts[0], None))
        elif len(parts) == 3 and parts[2] == BUNDLE_INDEX:
            found.append((rel, parts[0], f"{parts[0]}/{parts[1]}"))
        elif len(parts) == 3:
            loose.add(f"{parts[0]}/{parts[1]}")
    bundles = {bundle for _, _, bundle in found if bundle}
    problems = [
        warning(f"content/{folder}", 0, "文件夹中有 Markdown 文件但没有 index.md，已跳过",
                "把正文文件改名为 index.md，图片放在同一文件夹")
        for folder in sorted(loose - bundles)
    ]
    order = {folder: index for index, folder in enumerate((*KIND_BY_FOLDER, PAGES_FOLDER))}
    return sorted(found, key=lambda item: (order[item[1]], item[0])), problems


STRAY_SUFFIXES = (".docx", ".doc", ".wps", ".txt")
"""Files staff save among their stories that the site does not publish as one (``.md.txt`` ends in ``.txt``)."""


def stray_files(scan: Iterable[str], sources: Iterable[tuple[str, str, str | None]]) -> tuple[str, ...]:
    """Files that look like a story but will not be published as one (Word, text, misplaced Markdown)."""
    # Markdown in a folder without index.md is left out: ``_markdown_sources`` warns about the folder.
    known = {rel for rel, _, _ in sources}
    bundles = {bundle for _, _, bundle in sources if bundle}
    found = []
    for rel in scan:
        lower = rel.lower()
        if lower.rsplit("/", 1)[-1].startswith("~$"):
            continue  # the lock file Word keeps beside a document while it is open
        if lower.endswith(STRAY_SUFFIXES):
            found.append(rel)
        elif lower.endswith(".md") and rel not in known:
            parts = rel.split("/")
            in_loose_folder = (len(parts) == 3 and (parts[0] in KIND_BY_FOLDER or parts[0] == PAGES_FOLDER)
                               and f"{parts[0]}/{parts[1]}" not in bundles)
            if not in_loose_folder:
                found.append(rel)
    return tuple(sorted(found))


def case_clashes(paths: Iterable[str]) -> list[Problem]:
    """Names in one folder that differ only in letter case: on Windows they are one file, and one would be lost."""
    first: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for rel in sorted(paths):
        parent = ""
        for name in rel.split("/"):
            here = f"{parent}/{name}" if parent else name
            seen = first.setdefault((parent, name.casefold()), name)
            if seen != name:
                other = f"{parent}/{seen}" if parent else seen
                problem = error(f"content/{here}", 0,
                                f"与“content/{other}”只有字母大小写不同，在 Windows 上是同一个文件",
                                "改掉其中一个的名字，或删去多余的一个")
                if problem not in problems:  # a folder's clash is reported once, not once per file in it
                    problems.append(problem)
                break
            parent = here
    return problems


def load_doc(
    content_dir: Path, rel: str, folder: str, bundle_dir: str | None, with_body: bool = True
) -> tuple[SourceDoc | None, list[Problem]]:
    """Read one Markdown source and parse its front matter; keep its body unless told not to."""
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
    digest = _digest(text)
    # Only a story with approvals needs it, and the body is here now, even when it is not kept.
    reviewed = fingerprint(meta.values, body) if REVIEWS_KEY in meta.values else ""
    return SourceDoc(rel, folder, meta, body if with_body else None, body_line, bundle_dir, digest,
                     reviewed), problems


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def read_body(content_dir: Path, rel: str, digest: str) -> tuple[str | None, list[Problem]]:
    """Read the body of a source loaded without it, refusing a file that changed since (its digest differs)."""
    text, problems = read_text(content_dir / rel, f"content/{rel}")
    if text is not None and _digest(text) != digest:
        text = None
        problems.append(error(f"content/{rel}", 0, "构建过程中文件被修改了", "保存完所有文件后再构建一次"))
    if text is None:
        return None, problems
    parts = split_front_matter(text, rel)
    assert not isinstance(parts, Problem)  # the text it was loaded from split
    return parts[1], problems


Loaded = tuple[SourceDoc | None, list[Problem]]

DocTask = tuple[str, str, str | None, bool]
"""A source to load: its path under content/, its top folder, its bundle folder, whether its body is kept."""
LoadMany = Callable[[Path, Sequence[DocTask]], Iterable[Loaded]]
"""Loads sources as ``load_docs`` does, in order, perhaps in other processes."""


def load_docs(content_dir: Path, tasks: Sequence[DocTask]) -> list[Loaded]:
    """Load these sources (``load_doc`` each): what ``LoadMany`` spreads over processes."""
    return [load_doc(content_dir, *task) for task in tasks]


def doc_inputs(bundle_dir: str | None, with_body: bool, signature: Signature) -> tuple[Signature, str | None, bool]:
    """What a source's loaded form depends on: the file's signature, its bundle, whether its body is kept."""
    return signature, bundle_dir, with_body


def load_list(content_dir: Path, name: str) -> tuple[tuple[Mapping, ...], list[Problem]]:
    """Read units.yaml or activities.yaml (``name``) as a list of mappings."""
    path = content_dir / name
    if not path.is_file():
        return (), [error(f"content/{name}", 0, f"找不到 content/{name}",
                          "用 dangjian init 新建的站点里有示例，可照着写")]
    text, problems = read_text(path, f"content/{name}")
    if text is None:
        return (), problems
    items, problems = parse_mapping_list(text, f"content/{name}")
    return tuple(items), problems


def _load_optional(content_dir: Path, name: str, hint: str) -> tuple[tuple[Mapping | Item, ...], list[Problem]]:
    """Read a list that a site may leave out (terms.yaml, banned.yaml): none without the file."""
    path = content_dir / name
    if not path.is_file():
        return (), []
    text, problems = read_text(path, f"content/{name}")
    if text is None:
        return (), problems
    items, problems = parse_list(text, f"content/{name}", hint)
    return tuple(items), problems


@dataclass
class ContentCache:
    """What was read from content/ last time, reused for files whose signature is unchanged."""

    docs: Memo[str, Loaded] = field(default_factory=Memo)
    lists: Memo[str, tuple[tuple[Any, ...], list[Problem]]] = field(default_factory=Memo)
    tree: ContentTree | None = None
    scan: dict[str, Signature] | None = None
    markdown_files: tuple[Any, list[tuple[str, str, str | None]], list[Problem], tuple[str, ...]] | None = None
    """The scan's file names, the Markdown sources found among them (path, top folder, bundle), their problems,
    and the stray files (``stray_files``)."""

    def forget(self, rels: Iterable[str]) -> None:
        """Re-read these content-relative paths next time, whatever their signature says."""
        rels = list(rels)
        self.docs.forget(rels)
        self.lists.forget(rels)


def _load_lists(content_dir: Path, scan: dict[str, Signature], cache: ContentCache) -> tuple[list[Any], list[Problem]]:
    """The units, activities, terms and banned words, each read again only when its file changed."""
    problems: list[Problem] = []
    lists = []
    for name in (UNITS_FILE, ACTIVITIES_FILE):
        items, found = cache.lists.get(name, scan.get(name), load_list, content_dir, name)
        lists.append(items)
        problems += found
    for name, hint in ((TERMS_FILE, TERMS_SHAPE), (BANNED_FILE, BANNED_SHAPE)):
        items, found = cache.lists.get(name, scan.get(name), _load_optional, content_dir, name, hint)
        lists.append(items)
        problems += found
    return lists, problems


def load_content(content_dir: Path, cache: ContentCache | None = None, changed: Iterable[str] | None = None,
                 story_bodies: bool = True, load_many: LoadMany | None = None) -> tuple[ContentTree, list[Problem]]:
    """Read every source under content/ and report what cannot be read.

    With ``changed`` (content-relative paths from a file watcher) and a cache of the last run,
    only those paths are looked at again; otherwise the whole folder is scanned. Without
    ``story_bodies`` stories are kept without their bodies (pages always keep theirs). The
    sources not known from the cache are read by ``load_many`` when given (in other processes).
    """
    if not content_dir.is_dir():
        empty = ContentTree((), (), (), frozenset())
        return empty, [error("content", 0, "找不到 content 文件夹", "站点文件夹中应有 content/ 存放文章")]
    cache = cache or ContentCache()
    scan = None
    if changed is not None and cache.scan is not None:
        scan = rescan(content_dir, cache.scan, changed)
    if scan is None:
        scan = scan_content(content_dir)
    cache.scan = scan
    lists, problems = _load_lists(content_dir, scan, cache)
    if cache.markdown_files is None or cache.markdown_files[0] != scan.keys():
        sources, found = _markdown_sources(scan)
        cache.markdown_files = (scan.keys(), sources, found + case_clashes(scan), stray_files(scan, sources))
    _, sources, found, strays = cache.markdown_files
    problems += found
    tasks = [(rel, folder, bundle_dir, story_bodies or folder == PAGES_FOLDER) for rel, folder, bundle_dir in sources]
    if load_many is not None:
        missing = [task for task in tasks if not cache.docs.valid(task[0], doc_inputs(task[2], task[3], scan[task[0]]))]
        for (rel, _, bundle_dir, with_body), loaded in zip(missing, load_many(content_dir, missing), strict=True):
            cache.docs.store(rel, doc_inputs(bundle_dir, with_body, scan[rel]), loaded)
    docs: list[SourceDoc] = []
    unreadable: list[str] = []
    for rel, folder, bundle_dir, with_body in tasks:
        # A file the watcher did not report keeps the very signature object of the last scan.
        doc, found = cache.docs.get_from(rel, scan[rel], partial(doc_inputs, bundle_dir, with_body),
                                         load_doc, content_dir, rel, folder, bundle_dir, with_body)
        problems += found
        if doc is not None:
            docs.append(doc)
        else:
            unreadable.append(rel)
    cache.docs.retain(rel for rel, _, _, _ in tasks)
    files = frozenset(rel for rel in scan if not rel.lower().endswith(".md"))
    previous = cache.tree
    tree = ContentTree(
        units=stable(previous.units if previous else None, lists[0]),
        activities=stable(previous.activities if previous else None, lists[1]),
        docs=tuple(docs),
        files=stable(previous.files if previous else None, files),
        terms=stable(previous.terms if previous else None, lists[2]),
        banned=stable(previous.banned if previous else None, lists[3]),
        unreadable=tuple(unreadable),
        strays=strays,
    )
    cache.tree = tree
    return tree, problems
