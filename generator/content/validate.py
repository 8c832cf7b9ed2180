"""Check loaded sources and turn them into the domain model, collecting every problem."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from generator.content.config import SiteConfig
from generator.content.load import ACTIVITIES_FILE, UNITS_FILE, ContentTree, SourceDoc
from generator.content.model import KIND_BY_FOLDER, KINDS, Activity, Page, Site, Story, Unit
from generator.content.paths import authored, on_own_computer, other_case
from generator.content.review import REVIEWS_KEY, Reviewing, check_reviews
from generator.content.slugs import is_slug, slugify
from generator.content.terms import NO_LINT, Lint, check_lint
from generator.content.yamlsource import Mapping
from generator.core.errors import Problem, error, has_errors, warning
from generator.core.memo import Memo
from generator.core.suggest import did_you_mean

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Top-level output folders that belong to the generator; a page may not take them.
RESERVED_SLUGS = frozenset(
    {kind.folder for kind in KINDS} | {"units", "activities", "archive", "static", "search", "page"}
)

FieldCheck = Callable[[Any], tuple[Any, str]]
"""A field check returns the cleaned value and an empty string, or None and a message."""


def _text(value: Any) -> tuple[Any, str]:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None, "应是一段文字"
    return str(value).strip(), ""


def _required_text(value: Any) -> tuple[Any, str]:
    text, message = _text(value)
    if not message and not text:
        return None, "不能为空"
    return text, message


def _date(value: Any) -> tuple[Any, str]:
    if isinstance(value, dt.datetime):
        return value.date(), ""
    if isinstance(value, dt.date):
        return value, ""
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()), ""
        except ValueError:
            pass
    return None, f"应是 YYYY-MM-DD 格式的日期，例如 2010-05-12（现在写的是“{value}”）"


def _text_list(value: Any) -> tuple[Any, str]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,，、]", value)]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        return None, "应是一个列表，例如 [创先争优, 四帮四促]"
    return [str(v).strip() for v in value if str(v).strip()], ""


def _bool(value: Any) -> tuple[Any, str]:
    if not isinstance(value, bool):
        return None, "应写 true 或 false"
    return value, ""


def _number(value: Any) -> tuple[Any, str]:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        return None, "应是不小于 0 的数字，不要带“元”或逗号，例如 20000"
    return value, ""


def _count(value: Any) -> tuple[Any, str]:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None, "应是不小于 0 的整数，例如 25"
    return value, ""


@dataclass(frozen=True)
class Field:
    """How one front-matter field is checked."""

    check: FieldCheck
    required: bool = False


STORY_FIELDS: dict[str, Field] = {
    "title": Field(_required_text, required=True),
    "date": Field(_date, required=True),
    "unit": Field(_required_text, required=True),
    "activities": Field(_text_list),
    "summary": Field(_text),
    "cover": Field(_text),
    "author": Field(_text),
    "source": Field(_text),
    "slug": Field(_text),
    "draft": Field(_bool),
    "holder": Field(_text),
    "position": Field(_text),
    "target": Field(_text),
    "funds_yuan": Field(_number),
    "households": Field(_count),
    REVIEWS_KEY: Field(check_reviews),
}
PAGE_FIELDS: dict[str, Field] = {
    "title": Field(_required_text, required=True),
    "slug": Field(_text),
    "summary": Field(_text),
    "draft": Field(_bool),
}
_KIND_ONLY = {name: kind for kind in KINDS for name in kind.fields}
_KIND_LABEL = {"branch": "示范党支部", "post": "党员示范岗", "case": "帮扶案例"}


def _check_fields(
    meta: Mapping, fields: dict[str, Field], shown: str, allowed: Iterable[str]
) -> tuple[dict[str, Any], list[Problem]]:
    """Run each field's check; report missing, invalid and unknown keys."""
    allowed = set(allowed)
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for name, spec in fields.items():
        if name not in allowed or name in meta.bad_keys:
            continue
        raw = meta.values.get(name)
        if raw is None:
            if spec.required:
                problems.append(error(shown, meta.line, f"缺少必填项“{name}”", f"在 front matter 中加一行 {name}: ..."))
            continue
        value, message = spec.check(raw)
        if message:
            problems.append(error(shown, meta.line_of(name), f"“{name}”{message}"))
        else:
            values[name] = value
    for name in meta.values:
        if name in allowed:
            continue
        if name in _KIND_ONLY and name in fields:
            kind = _KIND_ONLY[name]
            problems.append(warning(shown, meta.line_of(name),
                                    f"“{name}”只用于{_KIND_LABEL[kind.key]}（content/{kind.folder}/），此处已忽略"))
        else:
            hint = did_you_mean(name, sorted(allowed)) or "可用的设置项：" + "、".join(sorted(allowed))
            problems.append(warning(shown, meta.line_of(name), f"未知的设置项“{name}”，已忽略", hint))
    return values, problems


class _Lookup:
    """Find units or activities by id or by name, with suggestions when none match."""

    def __init__(self, items: Iterable[Unit | Activity]) -> None:
        self.by_key: dict[str, str] = {}
        for item in items:
            self.by_key[item.id] = item.id
            self.by_key[item.name] = item.id

    def find(self, key: str) -> str | None:
        return self.by_key.get(key)

    def hint(self, key: str) -> str:
        return did_you_mean(key, self.by_key)


def _load_terms(
    items: tuple[Mapping, ...], filename: str, with_parent: bool
) -> tuple[list[dict[str, Any]], list[Problem]]:
    shown = f"content/{filename}"
    allowed = ("id", "name", "description", "parent") if with_parent else ("id", "name", "description")
    fields = {
        "id": Field(_required_text, required=True),
        "name": Field(_required_text, required=True),
        "description": Field(_text),
        "parent": Field(_text),
    }
    problems: list[Problem] = []
    result: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for item in items:
        values, found = _check_fields(item, fields, shown, allowed)
        problems += found
        if "id" not in values or "name" not in values:
            continue
        term_id, name = values["id"], values["name"]
        if not ID_PATTERN.match(term_id):
            problems.append(error(shown, item.line_of("id"), f"id“{term_id}”只能用小写英文字母、数字和连字符",
                                  f"例如 {slugify(name) or 'caizhengju'}"))
            continue
        for key in (term_id, name):
            if key in seen:
                problems.append(error(shown, item.line, f"“{key}”重复出现（第 {seen[key]} 行已有）",
                                      "每个 id 和名称只能用一次"))
                break
        else:
            seen[term_id] = seen[name] = item.line
            values["line"] = item.line
            values["parent_line"] = item.line_of("parent")
            result.append(values)
    return result, problems


def validate_units(items: tuple[Mapping, ...]) -> tuple[tuple[Unit, ...], list[Problem]]:
    """Check units.yaml: ids, names, parents that exist, no cycles."""
    shown = f"content/{UNITS_FILE}"
    rows, problems = _load_terms(items, UNITS_FILE, with_parent=True)
    lookup = {row["id"]: row for row in rows}
    names = {row["name"]: row["id"] for row in rows}
    units: list[Unit] = []
    for row in rows:
        parent = row.get("parent") or None
        if parent is not None:
            parent = names.get(parent, parent)
            if parent not in lookup:
                problems.append(error(shown, row["parent_line"], f"上级单位“{row['parent']}”不存在",
                                      did_you_mean(row["parent"], [*lookup, *names]) or "parent 应写上级单位的 id"))
                parent = None
        units.append(Unit(row["id"], row["name"], parent, row.get("description", "")))
    parents = {u.id: u.parent for u in units}
    for unit in units:
        seen = {unit.id}
        current = parents[unit.id]
        while current is not None:
            if current in seen:
                problems.append(error(shown, lookup[unit.id]["parent_line"], f"单位“{unit.name}”的上级关系绕成了一个圈",
                                      "检查 parent，最上级的单位不写 parent"))
                break
            seen.add(current)
            current = parents.get(current)
    return tuple(units), problems


def validate_activities(items: tuple[Mapping, ...]) -> tuple[tuple[Activity, ...], list[Problem]]:
    """Check activities.yaml: ids and names, each used once."""
    rows, problems = _load_terms(items, ACTIVITIES_FILE, with_parent=False)
    return tuple(Activity(r["id"], r["name"], r.get("description", "")) for r in rows), problems


def _resolve_file(base_dir: str, target: str, files: frozenset[str]) -> tuple[str | None, str]:
    """Resolve a relative file path from a content folder; return (path, problem message)."""
    if on_own_computer(target):
        return None, f"“{target}”是写稿电脑上的路径，网站上没有这个文件"
    path = authored(target)
    if path.startswith("/") or "://" in path:
        return None, f"“{target}”应是相对于文章所在文件夹的路径"
    resolved = posixpath.normpath(posixpath.join(base_dir, path))
    if resolved == ".." or resolved.startswith("../"):
        return None, f"“{target}”指向了站点 content 文件夹之外"
    if resolved not in files:
        spelled = other_case(resolved, files)
        if spelled:
            return None, f"“{target}”的字母大小写与文件“{posixpath.basename(spelled)}”不一致"
        return None, f"找不到文件“{target}”"
    return resolved, ""


def _slug_for(doc: SourceDoc, given: str | None, shown: str, line: int) -> tuple[str | None, list[Problem]]:
    if given:
        if not is_slug(given):
            return None, [error(shown, line, f"slug“{given}”只能用小写英文字母、数字和连字符",
                                f"例如 {slugify(given) or 'my-story'}")]
        return given, []
    stem = posixpath.basename(doc.bundle_dir) if doc.bundle_dir else posixpath.splitext(posixpath.basename(doc.path))[0]
    slug = slugify(stem)
    if not slug:
        return None, [error(shown, 1, f"无法从文件名“{stem}”生成网址", "在 front matter 中加一行 slug: 英文或拼音")]
    return slug, []


def validate_story(
    doc: SourceDoc, units: _Lookup, activities: _Lookup, files: frozenset[str], lint: Lint = NO_LINT
) -> tuple[Story | None, list[Problem]]:
    """Check one story's front matter (its title and summary against ``lint`` too) and build its Story."""
    kind = KIND_BY_FOLDER[doc.folder]
    shown = f"content/{doc.path}"
    linted = lint.front_matter(doc.meta, shown)  # reported, but the story stays valid: its body is linted too
    allowed = [name for name in STORY_FIELDS if name not in _KIND_ONLY or name in kind.fields]
    values, problems = _check_fields(doc.meta, STORY_FIELDS, shown, allowed)
    unit_id = None
    if "unit" in values:
        unit_id = units.find(values["unit"])
        if unit_id is None:
            problems.append(error(shown, doc.meta.line_of("unit"), f"单位“{values['unit']}”不在 content/units.yaml 中",
                                  units.hint(values["unit"]) or "先在 content/units.yaml 中添加该单位"))
    activity_ids: list[str] = []
    for name in values.get("activities", []):
        found = activities.find(name)
        if found is None:
            hint = activities.hint(name) or "先在 content/activities.yaml 中添加该活动主题"
            if "，" in name or "、" in name:  # in [ ] only the ASCII comma separates: [创先争优，四帮四促] is one name
                hint = "方括号里的各项用英文逗号分隔：activities: [" + ", ".join(re.split("[，、]", name)) + "]"
            problems.append(error(shown, doc.meta.line_of("activities"),
                                  f"活动主题“{name}”不在 content/activities.yaml 中", hint))
        elif found not in activity_ids:
            activity_ids.append(found)
    cover = None
    if values.get("cover"):
        cover, message = _resolve_file(posixpath.dirname(doc.path), values["cover"], files)
        if message:
            problems.append(error(shown, doc.meta.line_of("cover"), f"封面图片{message}",
                                  "把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg"))
    slug, found_problems = _slug_for(doc, values.get("slug"), shown, doc.meta.line_of("slug"))
    problems += found_problems
    # A bad key was already reported while parsing the YAML.
    if has_errors(problems) or doc.meta.bad_keys:
        return None, problems + linted
    assert slug is not None and unit_id is not None
    story = Story(
        kind=kind,
        slug=slug,
        title=values["title"],
        date=values["date"],
        unit=unit_id,
        activities=tuple(activity_ids),
        source_path=doc.path,
        body=doc.body,
        body_line=doc.body_line,
        summary=values.get("summary", ""),
        cover=cover,
        author=values.get("author", ""),
        source=values.get("source", ""),
        draft=values.get("draft", False),
        bundle_dir=doc.bundle_dir,
        extra=tuple((name, values[name]) for name in kind.fields if name in values),
        source_digest=doc.digest,
        reviews=values.get(REVIEWS_KEY, ()),
        reviewed=doc.reviewed,
    )
    return story, problems + linted


def validate_page(doc: SourceDoc, lint: Lint = NO_LINT) -> tuple[Page | None, list[Problem]]:
    """Check one standalone page's front matter (its title and summary against ``lint`` too) and build its Page."""
    shown = f"content/{doc.path}"
    linted = lint.front_matter(doc.meta, shown)
    values, problems = _check_fields(doc.meta, PAGE_FIELDS, shown, PAGE_FIELDS)
    slug, found = _slug_for(doc, values.get("slug"), shown, doc.meta.line_of("slug"))
    problems += found
    if slug in RESERVED_SLUGS:
        problems.append(error(shown, doc.meta.line_of("slug"), f"网址“{slug}/”已被网站自身使用",
                              "换一个 slug，例如 about-" + slug))
    if has_errors(problems) or doc.meta.bad_keys or slug is None:
        return None, problems + linted
    return Page(slug, values["title"], doc.path, doc.body or "", doc.body_line,
                values.get("summary", ""), values.get("draft", False), doc.bundle_dir, doc.digest), problems + linted


def _duplicate_urls(docs: Sequence[Story | Page]) -> list[Problem]:
    if len({doc.url for doc in docs}) == len(docs):
        return []  # the common case, checked without building the table below
    by_url: dict[str, list[str]] = {}
    for doc in docs:
        by_url.setdefault(doc.url, []).append(f"content/{doc.source_path}")
    problems = []
    for url, paths in sorted(by_url.items()):
        if len(paths) > 1:
            for path in paths:
                others = "、".join(p for p in paths if p != path)
                problems.append(error(path, 1, f"网址“{url}”与 {others} 重复",
                                      "在其中一篇的 front matter 中写不同的 slug"))
    return problems


def _story_order(story: Story) -> tuple[int, str, str]:
    return (-story.date.toordinal(), story.kind.folder, story.slug)


@dataclass
class ValidationCache:
    """Checked units, activities and documents from the last run, reused while their inputs are unchanged."""

    terms: Memo[str, Any] = field(default_factory=Memo)
    docs: Memo[str, tuple[Story | Page | None, list[Problem]]] = field(default_factory=Memo)
    shared: tuple[Any, ...] | None = None
    """The units, activities, files and lint the documents were last checked against."""
    lookups: tuple[_Lookup, _Lookup] | None = None
    """Units and activities by id or name, as of the last ``validate_site``."""


def _validate_doc(doc: SourceDoc, units: _Lookup, activities: _Lookup,
                  files: frozenset[str], lint: Lint) -> tuple[Story | Page | None, list[Problem]]:
    if doc.folder in KIND_BY_FOLDER:
        return validate_story(doc, units, activities, files, lint)
    return validate_page(doc, lint)


def validate_site(config: SiteConfig, tree: ContentTree, drafts: bool,
                  cache: ValidationCache | None = None, preview: bool = False) -> tuple[Site, list[Problem]]:
    """Check the whole content tree and build the Site (``preview``: with stories not yet approved)."""
    cache = cache or ValidationCache()
    units, found_units = cache.terms.get("units", tree.units, partial(validate_units, tree.units))
    activities, found_activities = cache.terms.get("activities", tree.activities,
                                                   partial(validate_activities, tree.activities))
    lint, found_lint = cache.terms.get("lint", (tree.terms, tree.banned), partial(check_lint, tree.terms, tree.banned))
    problems = [*found_units, *found_activities, *found_lint]
    unit_lookup, activity_lookup = cache.terms.get("lookups", (units, activities),
                                                   lambda: (_Lookup(units), _Lookup(activities)))
    stories: list[Story] = []
    pages: list[Page] = []
    left_out: list[tuple[str, str]] = []
    cache.lookups = (unit_lookup, activity_lookup)
    reviewing = Reviewing(config.review_levels, preview)
    shared = (units, activities, tree.files, lint)
    if cache.shared is None or any(a is not b for a, b in zip(shared, cache.shared, strict=True)):
        cache.docs.forget_checked()
    cache.shared = shared
    for doc in tree.docs:
        # Files matter only to a story's cover, but comparing the (stable) set is cheap.
        checked, found = cache.docs.get_from(doc.path, doc, lambda d: (d, *shared),
                                             _validate_doc, doc, unit_lookup, activity_lookup, tree.files, lint)
        problems += found
        if checked is None or (checked.draft and not drafts):
            left_out.append((doc.path, "invalid" if checked is None else "draft"))
            continue
        if isinstance(checked, Story) and not reviewing.admits(checked, doc.meta.line_of(REVIEWS_KEY)):
            left_out.append((doc.path, "review"))
            continue
        if isinstance(checked, Story):
            stories.append(checked)
        else:
            pages.append(checked)
    cache.docs.retain(doc.path for doc in tree.docs)
    # Sources whose front matter could not be read are reported once, by the loader; links to them are not.
    left_out += [(rel, "invalid") for rel in tree.unreadable]
    problems += _duplicate_urls([*stories, *pages]) + reviewing.problems
    site = Site(config, units, activities, tuple(sorted(stories, key=_story_order)),
                tuple(sorted(pages, key=lambda p: p.slug)), tree.files, tuple(left_out),
                preview, tuple(reviewing.unreviewed), lint)
    return site, problems


def term_lookups(units: Iterable[Unit], activities: Iterable[Activity]) -> tuple[_Lookup, _Lookup]:
    """Units and activities by id or name, to check documents one at a time (see ``validate_story``)."""
    return _Lookup(units), _Lookup(activities)


def revalidate(doc: SourceDoc, cache: ValidationCache) -> tuple[Story | Page | None, list[Problem]]:
    """Check one document again against the units, activities and files of the last ``validate_site``."""
    if cache.shared is None or cache.lookups is None:
        raise ValueError("revalidate needs a validate_site run first")
    shared, (units, activities) = cache.shared, cache.lookups
    return cache.docs.get_from(doc.path, doc, lambda d: (d, *shared), _validate_doc, doc, units, activities,
                               shared[2], shared[3])
