"""Checks of the checked site that need more than one field: what ``dangjian check`` adds to validation.

Nothing here fails a build: stories dated in the future, summaries too long for list cards,
the placeholder text ``dangjian new`` writes, duplicate titles and stray files are warnings;
units and activities without a story are infos (``check`` only). Each check is one pass over
the documents (a dict or a comparison a document), so that every build can afford them.
Duplicate titles are found from an index of every title (``render.checks.CheckIndex``), which
the incremental modes patch for the documents they re-read.

"Today" is passed in (``BuildOptions.today``), never read here: a build's output does not
depend on it, only these warnings do.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from generator.content.load import ACTIVITIES_FILE, UNITS_FILE, ContentTree, SourceDoc
from generator.content.model import Page, Site, Story
from generator.core.errors import Problem, info, warning
from generator.core.memo import Memo

SUMMARY_LIMIT = 120
"""Characters a summary may have: list cards show it whole, and excerpts are cut to as many."""

BODY_PLACEHOLDER = "在这里写正文"
"""The start of the body ``dangjian new`` writes (``scaffold.new_story``)."""
FIELD_NOTES = {
    "summary": "可选：一句话摘要；不写则取正文第一段",
    "holder": "示范岗的党员或集体，例如 王某某同志",
    "position": "岗位，例如 注册登记窗口",
    "target": "帮扶对象，例如 北盘江镇银洞湾村",
    "funds_yuan": "帮扶资金（元），只写数字",
    "households": "受益户数，只写整数",
}
"""The comments ``dangjian new`` writes after each field: text only when someone took out the ``#``."""
_TEXT_NOTES = tuple((name, note) for name, note in FIELD_NOTES.items() if name in ("summary", "holder", "position",
                                                                                      "target"))
"""The text fields ``dangjian new`` writes a note after (the numbers' notes would be a type error already)."""
_NAMED = 3
"""At most this many other documents are named in a warning about a shared title."""

# No ``dangjian import`` exists yet: the hints say what works today (see docs/design.md, "Where it is going").
_COPY = "用 dangjian new 新建文章，把正文复制进去；要供人下载，就在文章中链接它"
_STRAYS = {
    ".docx": ("Word 文件不会作为文章发布", _COPY),
    ".doc": ("Word 文件不会作为文章发布", _COPY),
    ".wps": ("WPS 文件不会作为文章发布", _COPY),
    ".md.txt": ("文件名多了 .txt，不会作为文章发布", "把扩展名改为 .md（资源管理器中勾选“查看 → 文件扩展名”才看得到）"),
    ".txt": ("文本文件不会作为文章发布", "加上 front matter（以 --- 开始的设置区），再把扩展名改为 .md"),
    ".md": ("这个 Markdown 文件不在文章的文件夹中，不会发布", "移到 branches/、posts/、cases/ 或 pages/ 文件夹中"),
}
"""A stray file's message and hint, by how its name ends (``.md.txt`` before ``.txt``)."""


def doc_checks(doc: SourceDoc, checked: Story | Page, today: dt.date) -> list[Problem]:
    """Warnings about one published document's front matter: a future date, a long summary, placeholders."""
    # Run for every document on every run: the common case (nothing to say) is a few comparisons.
    problems: list[Problem] = []
    meta = doc.meta
    if isinstance(checked, Story) and checked.date > today:
        problems.append(warning(f"content/{doc.path}", meta.line_of("date"), f"日期 {checked.date} 晚于今天（{today}）",
                                "检查年份和月份是否写错；还不想发布的文章请加一行 draft: true"))
    if len(checked.summary) > SUMMARY_LIMIT:
        problems.append(warning(f"content/{doc.path}", meta.line_of("summary"),
                                f"摘要有 {len(checked.summary)} 个字，列表中的卡片宜在 {SUMMARY_LIMIT} 字以内",
                                f"缩短到 {SUMMARY_LIMIT} 字以内；不写 summary 则自动取正文第一段的开头"))
    values = meta.values
    for name, note in _TEXT_NOTES:
        value = values.get(name)
        if isinstance(value, str) and note in value:
            problems.append(warning(f"content/{doc.path}", meta.line_of(name),
                                    f"“{name}”还是 dangjian new 写入的说明文字", "换成真实内容，或删去这一行"))
    return problems


def title_key(title: str) -> str:
    """What two titles must share to look the same to a reader (spaces and letter case ignored)."""
    return "".join(title.split()).casefold()


TitleEntry = tuple[str, int, str]
"""A published document's title as the duplicate check sees it: (content path, line, title)."""


def duplicate_titles(titles: Iterable[TitleEntry]) -> list[Problem]:
    """A warning on each document whose title another one has too."""
    by_key: dict[str, list[TitleEntry]] = {}
    for entry in titles:
        by_key.setdefault(title_key(entry[2]), []).append(entry)
    problems = []
    for same in by_key.values():
        if len(same) < 2:
            continue
        paths = sorted(f"content/{path}" for path, _, _ in same)
        for path, line, title in same:
            shown = f"content/{path}"
            others = "、".join([other for other in paths[:_NAMED + 1] if other != shown][:_NAMED])
            which = f"{others} 等 {len(paths) - 1} 篇" if len(paths) - 1 > _NAMED else f"{others} "
            problems.append(warning(shown, line, f"标题“{title}”与 {which}相同",
                                    "读者在列表和搜索结果中分不清；给其中一篇换个标题"))
    return problems


Keyed = tuple[str, TitleEntry]
"""A title entry with its ``title_key``."""


def keyed(entry: TitleEntry) -> Keyed:
    """The entry with its ``title_key``: what the index of titles groups by."""
    key = title_key(entry[2])
    return (entry[2] if key == entry[2] else key), entry  # most titles are their own key: one string, not two


@dataclass
class ChecksCache:
    """Each document's checks as of the last run, reused while it is the very same checked document."""

    docs: Memo[str, tuple[list[Problem], Keyed]] = field(default_factory=Memo)
    day: dt.date | None = None
    """The day the entries were checked on: another day checks every date again."""


def _checked(doc: SourceDoc, checked: Story | Page, today: dt.date) -> tuple[list[Problem], Keyed]:
    return doc_checks(doc, checked, today), keyed((checked.source_path, doc.meta.line_of("title"), checked.title))


def content_checks(site: Site, tree: ContentTree, today: dt.date,
                   cache: ChecksCache | None = None) -> tuple[list[Problem], list[Keyed]]:
    """Every published document's ``doc_checks``, and its title for the duplicate check (which needs them all)."""
    cache = cache or ChecksCache()
    memo = cache.docs
    if cache.day != today:
        memo.forget_checked()
        cache.day = today
    docs: dict[str, SourceDoc] | None = None  # made only when a document is checked again
    problems: list[Problem] = []
    titles: list[Keyed] = []
    for checked in site.documents:
        path = checked.source_path
        # Validation gives the very same object while the source is unchanged: one lookup a document.
        if memo.checked_against.get(path) is not checked:
            docs = docs or {doc.path: doc for doc in tree.docs}
            memo.store(path, None, _checked(docs[path], checked, today))
            memo.checked_against[path] = checked
        found, title = memo.entries[path][1]
        problems += found
        titles.append(title)
    if docs is not None:
        memo.retain(doc.source_path for doc in site.documents)
    return problems, titles


def next_change(site: Site, today: dt.date) -> str | None:
    """The first day on which ``doc_checks`` may say otherwise (the nearest future date), ISO; None: never."""
    future = [story.date for story in site.stories if story.date > today]
    return min(future).isoformat() if future else None


def unused_terms(site: Site, tree: ContentTree) -> list[Problem]:
    """Infos: units with no published story (in them or below them) and activities with none."""
    parents = {unit.id: unit.parent for unit in site.units}
    used_units: set[str] = set()
    used_activities: set[str] = set()
    for story in site.stories:
        used_activities.update(story.activities)
        unit: str | None = story.unit
        while unit is not None and unit not in used_units:
            used_units.add(unit)
            unit = parents.get(unit)
    problems = []
    for items, filename, used, what in ((tree.units, UNITS_FILE, used_units, "单位"),
                                        (tree.activities, ACTIVITIES_FILE, used_activities, "活动主题")):
        names = {term.id: term.name for term in (site.units if filename == UNITS_FILE else site.activities)}
        for item in items:
            term_id = item.values.get("id")
            if term_id in names and term_id not in used:
                name = names[term_id]
                problems.append(info(f"content/{filename}", item.line, f"{what}“{name}”还没有已发布的文章",
                                     f"写文章时在 front matter 中填“{name}”；不再需要的可以删去"))
    return problems


def stray_problems(strays: Iterable[str], used: Container[str]) -> list[Problem]:
    """A warning for each stray file (``load.stray_files``) that no document links to."""
    problems = []
    for rel in strays:
        if rel in used:
            continue  # an attachment a story links to is published as one
        name = posixpath.basename(rel).lower()
        message, hint = next(words for suffix, words in _STRAYS.items() if name.endswith(suffix))
        problems.append(warning(f"content/{rel}", 0, message, hint))
    return problems

