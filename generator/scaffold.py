"""Create new sites (``dangjian init``) and new stories (``dangjian new``)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.content.checks import BODY_PLACEHOLDER, FIELD_NOTES
from generator.content.load import load_content
from generator.content.model import KIND_BY_KEY
from generator.content.slugs import slugify
from generator.content.validate import validate_activities, validate_units
from generator.core.errors import SiteError, error, has_errors
from generator.core.suggest import did_you_mean
from generator.reviewing import starter_with_review

STARTER_DIR = Path(__file__).resolve().parent / "starter"

# The notes after each field and the body's first words are checked for by ``dangjian check``
# (``content/checks``): a story published with them left in gets a warning.
_KIND_FIELDS = {
    "branch": "",
    "post": (
        f"holder:       # {FIELD_NOTES['holder']}\n"
        f"position:     # {FIELD_NOTES['position']}\n"
    ),
    "case": (
        f"target:       # {FIELD_NOTES['target']}\n"
        f"funds_yuan:   # {FIELD_NOTES['funds_yuan']}\n"
        f"households:   # {FIELD_NOTES['households']}\n"
    ),
}


def init_site(target: Path, review: bool = False, today: dt.date | None = None) -> None:
    """Copy the starter site into an empty or new folder (``review``: with the review levels switched on)."""
    if target.exists() and any(target.iterdir()):
        raise SiteError([error(str(target), 0, "文件夹不是空的，未做任何改动", "换一个新的文件夹名")])
    # Worked out before anything is copied, so that a failure leaves no half-made site.
    reviewed = starter_with_review(STARTER_DIR, today or dt.datetime.now().astimezone().date()) if review else {}
    shutil.copytree(STARTER_DIR, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for rel, data in reviewed.items():
        (target / rel).write_bytes(data)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_story(site_dir: Path, kind_key: str, title: str, unit: str, activities: list[str],
              today: dt.date | None = None) -> Path:
    """Write a new story with its front matter filled in; return its path."""
    kind = KIND_BY_KEY[kind_key]
    tree, problems = load_content(site_dir / "content")
    units, found = validate_units(tree.units)
    problems += found
    known_activities, found = validate_activities(tree.activities)
    problems += found
    if has_errors(problems):
        raise SiteError(problems)
    by_unit = {key: u for u in units for key in (u.id, u.name)}
    by_activity = {key: a for a in known_activities for key in (a.id, a.name)}
    wrong = []
    if unit not in by_unit:
        wrong.append(error("--unit", 0, f"单位“{unit}”不在 content/units.yaml 中",
                           did_you_mean(unit, by_unit) or "先在 content/units.yaml 中添加该单位"))
    for name in activities:
        if name not in by_activity:
            wrong.append(error("--activity", 0, f"活动主题“{name}”不在 content/activities.yaml 中",
                               did_you_mean(name, by_activity) or "先在 content/activities.yaml 中添加"))
    slug = slugify(title)
    if not slug:
        wrong.append(error("title", 0, "无法从标题生成文件名", "标题中至少要有一个汉字、字母或数字"))
    if wrong:
        raise SiteError(wrong)
    path = site_dir / "content" / kind.folder / f"{slug}.md"
    if path.exists():
        raise SiteError([error(str(path), 0, "同名文章已存在，未做任何改动", "换一个标题，或直接编辑已有文件")])
    names = ", ".join(_quote(by_activity[a].name) for a in activities)
    text = (
        "---\n"
        f"title: {_quote(title)}\n"
        f"date: {(today or dt.datetime.now().astimezone().date()).isoformat()}\n"
        f"unit: {_quote(by_unit[unit].name)}\n"
        f"activities: [{names}]\n"
        f"summary:      # {FIELD_NOTES['summary']}\n"
        "author:\n"
        "source:\n"
        f"{_KIND_FIELDS[kind_key]}"
        "---\n\n"
        f"{BODY_PLACEHOLDER}。可以用 ## 小标题、表格和图片（图片放在同一文件夹，写作 `![说明](photo.jpg)`）。\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
