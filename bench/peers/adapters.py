"""Turn a generated dangjian site into equivalent Hugo, Pelican and MkDocs projects.

Every project gets the same pages as far as the tool allows: one page per story, a
paginated list per kind (20 a page, like the generated site.yaml), an overview and a
paginated page per unit and per activity, and a yearly archive. The adapters run once per
corpus and are not timed; ``bench/run.py`` times only the tools' builds.

- Hugo: ``content/<kind>/<stem>.md`` with YAML front matter; taxonomies ``units`` and
  ``activities`` whose values are the ids, titled by ``content/<taxonomy>/<id>/_index.md``;
  links between stories resolved by a render hook; layouts and config from ``bench/peers/hugo/``.
- Pelican: articles with category = kind folder, author = unit name, tags = activity names,
  links as ``{filename}``; a minimal theme from ``bench/peers/pelican/``; one Atom feed.
- MkDocs: has no taxonomy, so the adapter writes the list, unit, activity and archive
  pages as Markdown (paginated the same way); MkDocs resolves the ``.md`` links itself.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bench.floor import KINDS, split_front_matter

HERE = Path(__file__).resolve().parent
KIND_NAMES = {"branches": "示范党支部", "posts": "党员示范岗", "cases": "帮扶案例"}
PER_PAGE = 20
HOME_LATEST = 6
EXTRA_FIELDS = ("author", "source", "holder", "position", "target", "funds_yuan", "households")
_MD_LINK = re.compile(r"\]\(([^()\s:#]+\.md)(#[^()\s]*)?\)")


@dataclass(frozen=True)
class Story:
    """One story, with unit and activities resolved to ids."""

    kind: str
    stem: str
    title: str
    date: dt.date
    unit: str
    activities: tuple[str, ...]
    summary: str | None
    extra: dict[str, str]
    body: str

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.stem}.md"


@dataclass
class Corpus:
    """A dangjian site read back: units and activities (id → name) and stories, newest first."""

    title: str
    description: str
    units: dict[str, str]
    activities: dict[str, str]
    stories: list[Story] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Story]]:
        groups: dict[str, list[Story]] = {kind: [] for kind in KINDS}
        for story in self.stories:
            groups[story.kind].append(story)
        return groups

    def by_unit(self) -> dict[str, list[Story]]:
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.unit].append(story)
        return groups

    def by_activity(self) -> dict[str, list[Story]]:
        groups: dict[str, list[Story]] = defaultdict(list)
        for story in self.stories:
            for activity in story.activities:
                groups[activity].append(story)
        return groups

    def by_year(self) -> dict[int, list[Story]]:
        groups: dict[int, list[Story]] = defaultdict(list)
        for story in self.stories:
            groups[story.date.year].append(story)
        return groups


def _catalogue(path: Path) -> dict[str, str]:
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or []
    return {str(entry["id"]): str(entry["name"]) for entry in entries}


def _resolve(value: str, ids: dict[str, str], names: dict[str, str]) -> str:
    value = value.strip()
    if value in ids:
        return value
    return names[value]


def _split_list(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part for part in re.split(r"[、,，]", str(value)) if part.strip()]


def load_corpus(site: Path) -> Corpus:
    """Read a dangjian site (as written by ``bench/make_site.py``) into a ``Corpus``."""
    config = yaml.load((site / "site.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}
    units = _catalogue(site / "content" / "units.yaml")
    activities = _catalogue(site / "content" / "activities.yaml")
    unit_names = {name: uid for uid, name in units.items()}
    activity_names = {name: aid for aid, name in activities.items()}
    corpus = Corpus(str(config.get("title", "")), str(config.get("description", "")), units, activities)
    for kind in KINDS:
        for path in sorted((site / "content" / kind).rglob("*.md")):
            head, body = split_front_matter(path.read_text(encoding="utf-8"))
            meta = yaml.load(head, Loader=yaml.CSafeLoader) or {}
            if meta.get("draft"):
                continue
            stem = path.parent.name if path.name == "index.md" else path.stem
            corpus.stories.append(Story(
                kind=kind, stem=str(meta.get("slug") or stem), title=str(meta["title"]), date=meta["date"],
                unit=_resolve(str(meta["unit"]), units, unit_names),
                activities=tuple(_resolve(a, activities, activity_names) for a in _split_list(meta.get("activities"))),
                summary=str(meta["summary"]) if meta.get("summary") else None,
                extra={key: str(meta[key]) for key in EXTRA_FIELDS if meta.get(key) is not None},
                body=body,
            ))
    corpus.stories.sort(key=lambda s: (-s.date.toordinal(), s.kind, s.stem))
    return corpus


def excerpt(story: Story, limit: int = 120) -> str:
    """The story's summary, or its first paragraph cut to ``limit`` characters (as list cards show)."""
    if story.summary:
        return story.summary
    first = story.body.strip().split("\n\n", 1)[0].replace("\n", "")
    return first if len(first) <= limit else first[:limit] + "…"


def _fresh(dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- Hugo


def write_hugo(corpus: Corpus, dest: Path) -> None:
    """A Hugo project in ``dest``: config.yaml and layouts/ from bench/peers/hugo, content/ from the corpus."""
    _fresh(dest)
    shutil.copy(HERE / "hugo" / "config.yaml", dest / "config.yaml")
    shutil.copytree(HERE / "hugo" / "layouts", dest / "layouts")
    content = dest / "content"
    for kind, name in KIND_NAMES.items():
        _write(content / kind / "_index.md", f"---\ntitle: {name}\n---\n")
    for taxonomy, title, names in (("units", "单位", corpus.units), ("activities", "活动主题", corpus.activities)):
        _write(content / taxonomy / "_index.md", f"---\ntitle: {title}\n---\n")
        for term_id, term_name in names.items():
            title_yaml = json.dumps(term_name, ensure_ascii=False)
            _write(content / taxonomy / term_id / "_index.md", f"---\ntitle: {title_yaml}\n---\n")
    _write(content / "archive.md", "---\ntitle: 归档\nlayout: archive\n---\n")
    for story in corpus.stories:
        front: dict[str, object] = {
            "title": story.title, "date": story.date.isoformat(), "units": [story.unit],
            "activities": list(story.activities),
        }
        if story.summary:
            front["summary"] = story.summary
        for key, value in story.extra.items():
            front[key] = int(value) if key in ("funds_yuan", "households") else value
        lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
        _write(content / story.kind / f"{story.stem}.md", "---\n" + "\n".join(lines) + "\n---\n" + story.body)


# --------------------------------------------------------------------------- Pelican

PELICAN_CONF = '''\
# Written by bench/peers/adapters.py.
SITENAME = {title!r}
SITEURL = ""
PATH = "content"
ARTICLE_PATHS = ["branches", "posts", "cases"]
PAGE_PATHS = []
STATIC_PATHS = []
THEME = {theme!r}
THEME_STATIC_PATHS = []
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
RELATIVE_URLS = True
KIND_NAMES = {kinds!r}
ARTICLE_URL = "{{category}}/{{slug}}/"
ARTICLE_SAVE_AS = "{{category}}/{{slug}}/index.html"
CATEGORY_URL = "{{slug}}/"
CATEGORY_SAVE_AS = "{{slug}}/index.html"
CATEGORIES_SAVE_AS = ""
AUTHOR_URL = "units/{{slug}}/"
AUTHOR_SAVE_AS = "units/{{slug}}/index.html"
AUTHORS_SAVE_AS = "units/index.html"
TAG_URL = "activities/{{slug}}/"
TAG_SAVE_AS = "activities/{{slug}}/index.html"
TAGS_SAVE_AS = "activities/index.html"
ARCHIVES_SAVE_AS = "archive/index.html"
YEAR_ARCHIVE_SAVE_AS = "archive/{{date:%Y}}/index.html"
DIRECT_TEMPLATES = ["index", "tags", "authors", "archives"]
DEFAULT_PAGINATION = {per_page}
PAGINATED_TEMPLATES = {{"category": None, "author": None, "tag": None}}
PAGINATION_PATTERNS = (
    (1, "{{url}}", "{{save_as}}"),
    (2, "{{base_name}}/page/{{number}}/", "{{base_name}}/page/{{number}}/index.html"),
)
SUMMARY_MAX_PARAGRAPHS = 1
SUMMARY_MAX_LENGTH = 120
FEED_ALL_ATOM = "feed.xml"
FEED_MAX_ITEMS = 50
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
DELETE_OUTPUT_DIRECTORY = False
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
'''


def _pelican_links(body: str) -> str:
    return _MD_LINK.sub(lambda m: f"]({{filename}}{m.group(1)}{m.group(2) or ''})", body)


def write_pelican(corpus: Corpus, dest: Path) -> None:
    """A Pelican project in ``dest``: pelicanconf.py and content/<kind>/<stem>.md (Markdown metadata)."""
    _fresh(dest)
    (dest / "pelicanconf.py").write_text(PELICAN_CONF.format(
        title=corpus.title, theme=str(HERE / "pelican"), kinds=KIND_NAMES, per_page=PER_PAGE), encoding="utf-8")
    for story in corpus.stories:
        meta = {
            "Title": story.title, "Date": story.date.isoformat(), "Category": story.kind,
            "Author": corpus.units[story.unit], "Tags": ", ".join(corpus.activities[a] for a in story.activities),
            "Slug": story.stem,
        }
        if story.summary:
            meta["Summary"] = story.summary
        for key, value in story.extra.items():
            meta["Writer" if key == "author" else key.capitalize()] = value
        head = "".join(f"{key}: {value}\n" for key, value in meta.items() if value)
        _write(dest / "content" / story.kind / f"{story.stem}.md", head + "\n" + _pelican_links(story.body))


# --------------------------------------------------------------------------- MkDocs


def _rel(source: str, target: str) -> str:
    """Relative link from docs file ``source`` to docs file ``target`` (both docs-relative, POSIX)."""
    src = source.split("/")[:-1]
    dst = target.split("/")
    common = 0
    while common < min(len(src), len(dst) - 1) and src[common] == dst[common]:
        common += 1
    return "/".join([".."] * (len(src) - common) + dst[common:])


def _cards(source: str, stories: Iterable[Story]) -> list[str]:
    return [f"- [{s.title}]({_rel(source, s.path)}) {s.date.isoformat()}：{excerpt(s)}" for s in stories]


def _paged(base: str, title: str, stories: Sequence[Story], write: Callable[[str, str], None]) -> None:
    """Write ``base/index.md`` and ``base/page/<n>.md``, PER_PAGE stories each, with prev/next links."""
    pages = max(1, -(-len(stories) // PER_PAGE))
    names = [f"{base}/index.md"] + [f"{base}/page/{n}.md" for n in range(2, pages + 1)]
    for number, name in enumerate(names, start=1):
        chunk = stories[(number - 1) * PER_PAGE : number * PER_PAGE]
        lines = [f"# {title}", "", *_cards(name, chunk), ""]
        nav = []
        if number > 1:
            nav.append(f"[上一页]({_rel(name, names[number - 2])})")
        nav.append(f"第 {number} / {pages} 页")
        if number < pages:
            nav.append(f"[下一页]({_rel(name, names[number])})")
        write(name, "\n".join([*lines, " ".join(nav), ""]))


def write_mkdocs(corpus: Corpus, dest: Path) -> None:
    """An MkDocs project in ``dest``: mkdocs.yml and docs/ with stories and generated index pages."""
    _fresh(dest)
    docs = dest / "docs"

    def write(name: str, text: str) -> None:
        _write(docs / name, text)

    nav = [{"首页": "index.md"}, *({label: f"{kind}/index.md"} for kind, label in KIND_NAMES.items()),
           {"单位": "units/index.md"}, {"活动主题": "activities/index.md"}, {"归档": "archive/index.md"}]
    config = {
        "site_name": corpus.title, "site_description": corpus.description, "docs_dir": "docs",
        "theme": {"name": "mkdocs", "locale": "zh_CN"}, "plugins": [], "nav": nav,
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    by_kind, by_unit, by_activity = corpus.by_kind(), corpus.by_unit(), corpus.by_activity()
    home = ["# " + corpus.title, ""]
    for kind, label in KIND_NAMES.items():
        home += [f"## [{label}]({kind}/index.md)", "", *_cards("index.md", by_kind[kind][:HOME_LATEST]), ""]
    home += ["## 单位", ""] + [f"- [{n}](units/{u}/index.md)（{len(by_unit[u])}）" for u, n in corpus.units.items()]
    home += ["", "## 活动主题", ""]
    home += [f"- [{n}](activities/{a}/index.md)（{len(by_activity[a])}）" for a, n in corpus.activities.items()]
    write("index.md", "\n".join(home) + "\n")
    for kind, label in KIND_NAMES.items():
        _paged(kind, label, by_kind[kind], write)
    for taxonomy, title, names, groups in (("units", "单位", corpus.units, by_unit),
                                           ("activities", "活动主题", corpus.activities, by_activity)):
        overview = [f"# {title}", ""] + [f"- [{n}]({t}/index.md)（{len(groups[t])}）" for t, n in names.items()]
        write(f"{taxonomy}/index.md", "\n".join(overview) + "\n")
        for term_id, term_name in names.items():
            _paged(f"{taxonomy}/{term_id}", term_name, groups[term_id], write)
    years = corpus.by_year()
    year_lines = [f"- [{y}年]({y}.md)（{len(years[y])}）" for y in years]
    write("archive/index.md", "\n".join(["# 归档", "", *year_lines]) + "\n")
    for year, stories in years.items():
        lines = [f"# {year}年", ""] + [f"- [{s.title}](../{s.path}) {s.date.isoformat()}" for s in stories]
        write(f"archive/{year}.md", "\n".join(lines) + "\n")
    labels = {"source": "来源", "holder": "示范岗党员", "position": "岗位", "target": "帮扶对象",
              "funds_yuan": "帮扶资金（元）", "households": "受益户数", "author": "作者"}
    for story in corpus.stories:
        facts = [f"- 日期：{story.date.year}年{story.date.month}月{story.date.day}日",
                 f"- 单位：[{corpus.units[story.unit]}](../units/{story.unit}/index.md)"]
        if story.activities:
            links = " ".join(f"[{corpus.activities[a]}](../activities/{a}/index.md)" for a in story.activities)
            facts.append(f"- 活动主题：{links}")
        facts += [f"- {labels[key]}：{value}" for key, value in story.extra.items()]
        head = f"---\ntitle: {json.dumps(story.title, ensure_ascii=False)}\n---\n\n"
        write(story.path, head + f"# {story.title}\n\n" + "\n".join(facts) + "\n\n" + story.body)


ADAPTERS: dict[str, Callable[[Corpus, Path], None]] = {
    "hugo": write_hugo, "pelican": write_pelican, "mkdocs": write_mkdocs,
}
