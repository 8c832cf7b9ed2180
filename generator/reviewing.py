"""``dangjian review``: where each story stands in the review (三审三校), and recording approvals.

``review_listing`` lists every story grouped by its state; ``approve`` records one level's
approval in the front matter of each story named, all or nothing: every file is checked
first, and nothing is written unless all of them can take the approval. Dates come from the
command (today, or ``--date``), never from a build, so that builds stay reproducible.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.cli_text import display_width
from generator.content.config import CONFIG_FILE, SiteConfig, load_config
from generator.content.load import (
    ACTIVITIES_FILE,
    BUNDLE_INDEX,
    UNITS_FILE,
    SourceDoc,
    load_content,
    load_doc,
    load_list,
)
from generator.content.model import KIND_BY_FOLDER, Activity, Approval, Unit
from generator.content.review import REVIEWS_KEY, approved, check_reviews, describe, fingerprint, review_state
from generator.content.review_text import UnwritableError, with_approvals
from generator.content.validate import term_lookups, validate_activities, validate_story, validate_units
from generator.core.errors import Problem, SiteError, error, has_errors
from generator.core.scan import scan_content
from generator.core.suggest import did_you_mean

EXAMPLE_LEVELS = ("初审", "复审", "终审")
REVIEW_OFF = (
    "审核流程未开启：site.yaml 中没有设置 review_levels，所有文章（草稿除外）都会发布。\n"
    "开启方法：在 site.yaml 中加一行\n"
    f"  review_levels: [{', '.join(EXAMPLE_LEVELS)}]\n"
    "之后每篇文章都要逐级审核通过（dangjian review approve 文件 --level 初审 --by 姓名）才会发布。"
)


def _config(site_dir: Path) -> SiteConfig:
    """site.yaml, checked; raise SiteError when it has errors."""
    config, problems = load_config(site_dir)
    if has_errors(problems):
        raise SiteError(problems)
    return config


# --- the listing -----------------------------------------------------------------------------------


def _story_line(doc: SourceDoc, levels: Sequence[str]) -> tuple[str, str]:
    """The group a story goes in and what its line says of it."""
    approvals: tuple[Approval, ...] = ()
    if REVIEWS_KEY in doc.meta.values:
        checked, message = check_reviews(doc.meta.values[REVIEWS_KEY])
        if message:
            return "审核记录有误", f"“reviews”{message}"
        approvals = checked
    state = review_state(approvals, doc.reviewed, levels)
    said = approved(approvals, doc.reviewed, levels) if state is None else describe(state, levels)
    if doc.meta.values.get("draft") is True:
        return "草稿（draft: true，不发布）", said
    if state is None:
        return "已发布", said
    return ("改后待复核" if state.edited else f"待{state.waiting}"), said


def review_listing(site_dir: Path) -> str:
    """Every story with where it stands in the review, grouped by state (or how to switch review on)."""
    config = _config(site_dir)
    levels = config.review_levels
    if not levels:
        return REVIEW_OFF
    tree, problems = load_content(config.content_dir)
    groups: dict[str, list[tuple[str, str]]] = {}
    for doc in tree.docs:
        if doc.folder in KIND_BY_FOLDER:
            group, said = _story_line(doc, levels)
            groups.setdefault(group, []).append((f"content/{doc.path}", said))
    order = ["改后待复核", *(f"待{level}" for level in levels), "审核记录有误", "草稿（draft: true，不发布）", "已发布"]
    width = max((display_width(path) for rows in groups.values() for path, _ in rows), default=0)
    lines = [f"审核级别：{' → '.join(levels)}"]
    for group in order:
        rows = groups.get(group, [])
        if rows:
            lines += ["", f"{group}（{len(rows)} 篇）"]
            lines += [f"  {path}{' ' * (width - display_width(path))}  {said}" for path, said in rows]
    count = sum(len(rows) for rows in groups.values())
    published = len(groups.get("已发布", []))
    if not count:
        lines += ["", "还没有文章。"]
    elif published == count:
        lines += ["", f"共 {count} 篇文章，全部已通过审核。"]
    else:
        lines += ["", f"共 {count} 篇文章：{published} 篇已通过全部审核，{count - published} 篇不发布"
                      "（dangjian build --preview 或 dangjian serve 可预览未审核的文章）。"]
    unreadable = sorted({p.path for p in problems if p.severity == "error"})
    if unreadable:
        lines.append(f"另有 {len(unreadable)} 个文件有错误，未列出：运行 dangjian check 查看。")
    return "\n".join(lines)


# --- approving -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Approving:
    """One file's approval, checked and ready to write."""

    path: Path
    shown: str
    data: bytes
    """The file's new bytes."""
    said: str
    """What to tell the user once it is written."""


def _story_file(config: SiteConfig, given: Path) -> tuple[Path, str] | Problem:
    """The story file an argument names (its .md, or its bundle folder), with its path under content/."""
    path = given if given.exists() or given.is_absolute() else config.site_dir / given
    if path.is_dir():
        path = path / BUNDLE_INDEX
    content = config.content_dir.resolve()
    try:
        rel = path.resolve().relative_to(content).as_posix()
    except (OSError, ValueError):
        rel = ""
    parts = rel.split("/")
    shaped = (len(parts) == 2 and rel.lower().endswith(".md")) or (len(parts) == 3 and parts[2] == BUNDLE_INDEX)
    if not rel or parts[0] not in KIND_BY_FOLDER or not shaped:
        folders = "、".join(f"content/{folder}/" for folder in KIND_BY_FOLDER)
        return error(str(given), 0, "不是文章，无法审核", f"审核的是 {folders} 中的文章（.md 文件或文章文件夹）")
    if not path.is_file():
        return error(str(given), 0, "找不到这个文件", "检查文件名；不在站点文件夹中运行时加 --site 站点文件夹")
    return path, rel


class _Checker:
    """What every file's approval is checked against: the levels, the units, activities and files."""

    def __init__(self, config: SiteConfig) -> None:
        tree_units, tree_activities = _term_lists(config)
        self.config = config
        self.lookups = term_lookups(tree_units, tree_activities)
        self.files = frozenset(rel for rel in scan_content(config.content_dir) if not rel.lower().endswith(".md"))

    def story(self, path: Path, rel: str) -> tuple[SourceDoc | None, list[Problem]]:
        """Read the story and check it as a build would; approving a story with errors is refused."""
        folder = rel.split("/")[0]
        bundle = posixpath.dirname(rel) if rel.endswith(f"/{BUNDLE_INDEX}") and rel.count("/") == 2 else None
        doc, problems = load_doc(self.config.content_dir, rel, folder, bundle)
        if doc is None:
            return None, problems
        story, found = validate_story(doc, *self.lookups, self.files)
        problems += found
        return (doc if story is not None and not has_errors(problems) else None), problems


def _term_lists(config: SiteConfig) -> tuple[tuple[Unit, ...], tuple[Activity, ...]]:
    """The site's units and activities; raise SiteError when they have errors (as ``dangjian new`` does)."""
    unit_items, problems = load_list(config.content_dir, UNITS_FILE)
    activity_items, found = load_list(config.content_dir, ACTIVITIES_FILE)
    units, found_units = validate_units(unit_items)
    activities, found_activities = validate_activities(activity_items)
    problems += found + found_units + found_activities
    if has_errors(problems):
        raise SiteError(problems)
    return units, activities


def _approval(checker: _Checker, given: Path, level: str, name: str, today: dt.date) -> Approving | list[Problem]:
    """Check one file and make its new bytes with the approval, or say why it cannot take it."""
    found = _story_file(checker.config, given)
    if isinstance(found, Problem):
        return [found]
    path, rel = found
    shown = f"content/{rel}"
    doc, problems = checker.story(path, rel)
    if doc is None:
        return [*problems, error(shown, 0, "文章有错误，不能审核", "先改正这篇文章中的错误（dangjian check 可检查）")]
    assert doc.body is not None
    levels = checker.config.review_levels
    current = fingerprint(doc.meta.values, doc.body)
    approvals: tuple[Approval, ...] = ()
    if REVIEWS_KEY in doc.meta.values:
        approvals, _ = check_reviews(doc.meta.values[REVIEWS_KEY])  # valid: the story was checked
    state = review_state(approvals, current, levels)
    done = state.done if state is not None else tuple(a for a in approvals if a.fingerprint == current)
    line = doc.meta.line_of(REVIEWS_KEY)
    if level in (a.level for a in done):
        passed = next(a for a in done if a.level == level)
        following = f"下一步是{state.waiting}" if state is not None else "它已通过全部审核"
        return [error(shown, line, f"已经通过{level}（{passed.name} {passed.date.isoformat()}），没有重复记录",
                      f"{following}；dangjian review 可查看审核进度")]
    if state is None or state.waiting != level:
        waiting = state.waiting if state is not None else levels[0]
        return [error(shown, line, f"还没有通过{waiting}，不能先{level}",
                      f"审核按 {' → '.join(levels)} 的顺序进行：先运行 dangjian review approve {shown} "
                      f"--level {waiting} --by 姓名")]
    kept = (*done, Approval(level, name, today, current))
    try:
        data = with_approvals(path.read_bytes(), kept)
    except UnwritableError as exc:
        return [error(shown, 0, f"无法写入审核记录：{exc}", "可以手工检查设置区的写法，或请技术人员协助")]
    return Approving(path, shown, data, _said(shown, level, name, today, levels, len(approvals) - len(done)))


def _said(shown: str, level: str, name: str, today: dt.date, levels: Sequence[str], dropped: int) -> str:
    """What the command says of one recorded approval."""
    place = levels.index(level)
    last = place + 1 == len(levels)
    then = "已通过全部审核，下次 dangjian build 时发布。" if last else f"下一步：{levels[place + 1]}。"
    removed = f"（已移除改动前的 {dropped} 条审核记录）" if dropped else ""
    return f"已记录 {shown} 的{level}：{name} {today.isoformat()}{removed}。{then}"


def approve(site_dir: Path, files: Sequence[Path], level: str, by: str, today: dt.date) -> list[str]:
    """Record one level's approval in each story's front matter, all files or none; return what to say."""
    config = _config(site_dir)
    levels = config.review_levels
    if not levels:
        raise SiteError([error(CONFIG_FILE, 0, "审核流程未开启：site.yaml 中没有设置 review_levels",
                               f"在 site.yaml 中加一行 review_levels: [{', '.join(EXAMPLE_LEVELS)}]")])
    name = " ".join(by.split())
    problems: list[Problem] = []
    if level not in levels:
        problems.append(error("--level", 0, f"审核级别“{level}”不在 site.yaml 的 review_levels 中",
                              did_you_mean(level, levels) + "可用的级别：" + "、".join(levels)))
    if not name:
        problems.append(error("--by", 0, "审核人姓名不能为空", "例如 --by 张三"))
    if problems:
        raise SiteError(problems)
    checker = _Checker(config)
    approving: list[Approving] = []
    for given in files:
        made = _approval(checker, given, level, name, today)
        if isinstance(made, list):
            problems += made
        elif any(a.path == made.path for a in approving):
            problems.append(error(made.shown, 0, "同一篇文章写了两次", "每篇文章只写一次"))
        else:
            approving.append(made)
    if has_errors(problems):
        raise SiteError(problems)
    _write_all(approving)
    return [a.said for a in approving]


def _write_all(approving: Sequence[Approving]) -> None:
    """Replace each file with its new bytes; if one cannot be written, put back those already written."""
    written: list[tuple[Path, bytes]] = []
    try:
        for item in approving:
            old = item.path.read_bytes()
            _replace(item.path, item.data)
            written.append((item.path, old))
    except OSError:
        for path, old in reversed(written):
            with contextlib.suppress(OSError):
                _replace(path, old)
        raise


def _replace(path: Path, data: bytes) -> None:
    """Write a file through a temporary file beside it and one rename, so it is never half written."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        shutil.copymode(path, temporary)
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


# --- a new site with review switched on (``dangjian init --review``) -------------------------------

STARTER_REVIEWER = "示例"
"""Who approved the starter site's stories: plainly not a person, so nobody takes it for a real sign-off."""
REVIEW_SETTING = (
    "# 三审：每篇文章要依次通过这些审核才会发布（dangjian review 查看进度）。不需要审核时删去此行。\n"
    f"review_levels: [{', '.join(EXAMPLE_LEVELS)}]\n"
)


def starter_with_review(starter: Path, today: dt.date) -> dict[str, bytes]:
    """The starter site's files that change with review on: site.yaml, and each story approved at every level."""
    changed = {CONFIG_FILE: (starter / CONFIG_FILE).read_bytes() + REVIEW_SETTING.encode("utf-8")}
    content = starter / "content"
    for rel in sorted(scan_content(content)):
        folder = rel.split("/")[0]
        if folder not in KIND_BY_FOLDER or not rel.endswith(".md"):
            continue
        bundle = posixpath.dirname(rel) if rel.count("/") == 2 else None
        doc, _ = load_doc(content, rel, folder, bundle)
        assert doc is not None and doc.body is not None, f"the starter story {rel} must load"
        mark = fingerprint(doc.meta.values, doc.body)
        approvals = [Approval(level, STARTER_REVIEWER, today, mark) for level in EXAMPLE_LEVELS]
        changed[f"content/{rel}"] = with_approvals((content / rel).read_bytes(), approvals)
    return changed
