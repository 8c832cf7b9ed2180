"""The review workflow (三审三校): review fingerprints, recorded approvals, and where a story stands.

A story is published only when every level of ``site.yaml``'s ``review_levels`` approved its
text as it is now: each approval in its front matter (``reviews:``) carries the story's review
fingerprint at the time, so an edit after an approval shows (改后待复核) without anyone having to
remember it. Everything here is pure: ``validate`` decides with it what a build leaves out, and
the ``dangjian review`` command (``generator/reviewing.py``) lists and records with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from generator.content.model import Approval, ReviewState, Story
from generator.core.errors import Problem, warning

REVIEWS_KEY = "reviews"
UNREVIEWED_KEYS = frozenset({REVIEWS_KEY, "draft"})
"""Front-matter fields the fingerprint leaves out: the approvals themselves, and whether the story is a draft
(taking ``draft: true`` away once it is approved publishes the text that was approved)."""
APPROVAL_KEYS = ("level", "name", "date", "fingerprint")
FINGERPRINT_LENGTH = 12


def _canonical(value: Any) -> Any:
    """A value as JSON can hold it, the same for equal YAML however it was written."""
    if isinstance(value, dict):
        pairs = [(json.dumps(_canonical(k), ensure_ascii=False), _canonical(v)) for k, v in value.items()]
        return [[key, item] for key, item in sorted(pairs, key=lambda pair: pair[0])]
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, dt.date):  # a datetime too: its isoformat keeps the time
        return f"{type(value).__name__}:{value.isoformat()}"
    if isinstance(value, bytes):
        return f"bytes:{value.hex()}"
    return value


def fingerprint(values: Mapping[str, Any], body: str) -> str:
    """The review fingerprint: a digest of the body and every front-matter field but ``reviews`` and ``draft``.

    Fields are compared as parsed values, so that quoting, indentation, key order or an empty
    field (``author:``, the same as none) do not count as edits; in the body, spaces at line ends
    and blank lines at either end do not either (editors add and strip them unasked). Any other
    change of text or of a field does.
    """
    fields = {key: value for key, value in values.items() if key not in UNREVIEWED_KEYS and value is not None}
    lines = [line.rstrip() for line in body.split("\n")]
    text = "\n".join(lines).strip("\n")
    data = json.dumps([_canonical(fields), text], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:FINGERPRINT_LENGTH]


def _approval(item: Any, number: int) -> Approval | str:
    """One entry of ``reviews:``, or what is wrong with it."""
    if not isinstance(item, dict):
        return f"第 {number} 项应写成 {{level: 初审, name: 姓名, date: YYYY-MM-DD, fingerprint: ...}}"
    missing = [key for key in APPROVAL_KEYS if item.get(key) in (None, "")]
    if missing:
        return f"第 {number} 项缺少 {'、'.join(missing)}"
    when = item["date"]
    if isinstance(when, dt.datetime):
        when = when.date()
    if not isinstance(when, dt.date):
        return f"第 {number} 项的 date 应是 YYYY-MM-DD 格式的日期"
    level, name, mark = (item[key] for key in ("level", "name", "fingerprint"))
    if not all(isinstance(part, str | int) and not isinstance(part, bool) for part in (level, name, mark)):
        return f"第 {number} 项的 level、name 和 fingerprint 应是文字"
    return Approval(str(level).strip(), str(name).strip(), when, str(mark).strip())


def check_reviews(value: Any) -> tuple[Any, str]:
    """The ``reviews`` field check (see ``validate.FieldCheck``): the approvals, or a message."""
    if not isinstance(value, list):
        return None, "应是审核记录的列表（由 dangjian review approve 写入，请不要手工修改）"
    approvals = []
    for number, item in enumerate(value, start=1):
        made = _approval(item, number)
        if isinstance(made, str):
            return None, f"{made}（审核记录由 dangjian review approve 写入，请不要手工修改）"
        approvals.append(made)
    return tuple(approvals), ""


def review_state(approvals: Sequence[Approval], current: str, levels: Sequence[str]) -> ReviewState | None:
    """Where a story stands: None when every level approved its text as it is now (or there are no levels).

    Levels count in order only: an approval at a level whose lower levels have not approved the
    same text does not count, and neither does one at a level ``site.yaml`` does not name.
    """
    if not levels:
        return None
    by_level = {a.level: a for a in approvals if a.fingerprint == current}
    done: list[Approval] = []
    for level in levels:
        if level not in by_level:
            stale = tuple(a for a in approvals if a.fingerprint != current)
            return ReviewState(level, tuple(done), stale)
        done.append(by_level[level])
    return None


def story_state(story: Story, levels: Sequence[str]) -> ReviewState | None:
    """Where a story stands in the review (see ``review_state``)."""
    return review_state(story.reviews, story.reviewed, levels)


def _signed(approvals: Sequence[Approval]) -> str:
    """The last approval (its level implies the lower ones): 复审：李四 2026-12-02."""
    last = approvals[-1]
    return f"{last.level}：{last.name} {last.date.isoformat()}"


def describe(state: ReviewState, levels: Sequence[str]) -> str:
    """Where a story not yet approved stands, for staff: 待复审（已初审：张三 2026-12-01）, 改后待复核（…）."""
    if state.edited:
        return f"改后待复核（改动前已{_signed(state.stale)}；须从{levels[0]}重新审核）"
    if state.done:
        return f"待{state.waiting}（已{_signed(state.done)}）"
    return f"待{state.waiting}"


def approved(approvals: Sequence[Approval], current: str, levels: Sequence[str]) -> str:
    """How an approved story was approved, for staff: 已发布（终审：王五 2026-12-03）."""
    last = next((a for a in approvals if a.level == levels[-1] and a.fingerprint == current), None)
    return f"已发布（{last.level}：{last.name} {last.date.isoformat()}）" if last else "已发布"


class Reviewing:
    """Decides, story by story, what a build publishes under the review: the one place that does.

    ``validate_site`` asks ``admits`` of every story it would publish. Without review levels every
    story is admitted; with them a story not approved at every level is admitted only to a
    preview, where it is noted for its banner, and otherwise left out with a warning.
    """

    def __init__(self, levels: Sequence[str], preview: bool) -> None:
        self.levels = tuple(levels)
        self.preview = preview
        self.problems: list[Problem] = []
        self.unreviewed: list[tuple[str, ReviewState]] = []

    def admits(self, story: Story, line: int) -> bool:
        """Whether the story goes into this build; ``line`` is where its ``reviews:`` are (for messages)."""
        if not self.levels:
            return True
        state = story_state(story, self.levels)
        if state is None:
            return True
        shown = f"content/{story.source_path}"
        # Said only where it matters: after a level is taken out of site.yaml, approved stories keep its entries.
        unknown = sorted({a.level for a in story.reviews} - set(self.levels))
        if unknown:
            message = f"审核记录中的级别“{unknown[0]}”不在 site.yaml 的 review_levels 中，已忽略"
            self.problems.append(warning(shown, line, message, "可用的级别：" + "、".join(self.levels)))
        if self.preview:
            self.unreviewed.append((story.source_path, state))
            return True
        self.problems.append(warning(shown, line, f"未通过审核，本次不发布：{describe(state, self.levels)}",
                                     f"审核后运行 dangjian review approve {shown} --level {state.waiting} --by 姓名；"
                                     "dangjian build --preview 可预览未审核的文章"))
        return False
