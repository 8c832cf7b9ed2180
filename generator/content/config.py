"""Site settings from ``site.yaml``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.content.sources import read_text
from generator.content.yamlsource import parse_mapping
from generator.core.errors import Problem, error, warning
from generator.core.suggest import did_you_mean

CONFIG_FILE = "site.yaml"
LANGUAGES = ("zh-CN", "en")


@dataclass(frozen=True)
class SiteConfig:
    """Validated settings of one site."""

    site_dir: Path
    """The site folder (holds site.yaml, content/, themes/)."""
    title: str = "机关党建"
    """The site's name, shown in the header and the browser tab."""
    description: str = ""
    """One sentence about the site, for the home page and the feed."""
    language: str = "zh-CN"
    """Language of the interface strings and dates: zh-CN or en."""
    theme: str = "default"
    """Folder name under themes/; it overrides the built-in default theme file by file."""
    per_page: int = 20
    """Stories per list page before the list is split into page/2/, page/3/…"""
    base_url: str = ""
    """Public address, only for absolute links in feed.xml and sitemap.xml."""
    review_levels: tuple[str, ...] = ()
    """Review levels (三审) every story must pass, in order, before it is published; none: no review."""

    @property
    def content_dir(self) -> Path:
        """Folder of the stories, pages and data files."""
        return self.site_dir / "content"

    @property
    def themes_dir(self) -> Path:
        """Folder of the site's own themes."""
        return self.site_dir / "themes"


_KEYS = ("title", "description", "language", "theme", "per_page", "base_url", "review_levels")


def _unknown_keys(values: dict[str, object], line_of: Callable[[str], int]) -> list[Problem]:
    """A warning for each setting dangjian does not know, with the closest known one."""
    return [warning(CONFIG_FILE, line_of(key), f"未知的设置项“{key}”，已忽略",
                    did_you_mean(key, _KEYS) or "可用的设置项：" + "、".join(_KEYS))
            for key in values if key not in _KEYS]


def _review_levels(value: object, line: int, problems: list[Problem]) -> tuple[str, ...]:
    """The review levels: a list of distinct names, in the order stories pass them (problems go to ``problems``)."""
    if value is None:
        return ()
    if isinstance(value, str):  # one level, or 初审、复审、终审 on one line
        value = [part for part in value.replace("，", ",").replace("、", ",").split(",")]
    items = value if isinstance(value, list) else [None]
    names = [str(item).strip() for item in items]
    if not all(isinstance(item, str | int) and not isinstance(item, bool) for item in items) or not all(names):
        problems.append(error(CONFIG_FILE, line, "“review_levels”应是审核级别的列表",
                              "例如 review_levels: [初审, 复审, 终审]；不需要审核时删去此行"))
        return ()
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        problems.append(error(CONFIG_FILE, line, f"“review_levels”中“{repeated[0]}”写了两次", "每个审核级别只写一次"))
        return ()
    return tuple(names)


def load_config(site_dir: Path) -> tuple[SiteConfig, list[Problem]]:
    """Read and check ``site.yaml``; a missing file gives the defaults."""
    path = site_dir / CONFIG_FILE
    default = SiteConfig(site_dir=site_dir)
    if not path.is_file():
        return default, [
            error(CONFIG_FILE, 0, "找不到站点配置文件 site.yaml",
                  "在站点文件夹中运行，或用 --site 指定站点文件夹；新建站点可用 dangjian init")
        ]
    text, problems = read_text(path, CONFIG_FILE)
    if text is None:
        return default, problems
    mapping, problems = parse_mapping(text, CONFIG_FILE)
    if mapping is None:
        return default, problems
    values = dict(mapping.values)
    problems += _unknown_keys(values, mapping.line_of)

    def text_value(key: str, fallback: str) -> str:
        value = values.get(key, fallback)
        if value is None:
            return fallback
        if not isinstance(value, str | int | float):
            problems.append(error(CONFIG_FILE, mapping.line_of(key), f"“{key}”应是一段文字"))
            return fallback
        return str(value)

    language = text_value("language", default.language)
    if language not in LANGUAGES:
        problems.append(error(CONFIG_FILE, mapping.line_of("language"), f"不支持的语言“{language}”",
                              "可选 zh-CN 或 en"))
        language = default.language
    per_page = values.get("per_page", default.per_page)
    if isinstance(per_page, bool) or not isinstance(per_page, int) or per_page < 1:
        problems.append(error(CONFIG_FILE, mapping.line_of("per_page"), "“per_page”应是大于 0 的整数",
                              "例如 per_page: 20"))
        per_page = default.per_page
    theme = text_value("theme", default.theme)
    if theme != "default" and not (site_dir / "themes" / theme).is_dir():
        problems.append(error(CONFIG_FILE, mapping.line_of("theme"), f"找不到主题“{theme}”",
                              f"主题应放在 themes/{theme}/，或删去此行使用默认主题"))
        theme = default.theme
    base_url = text_value("base_url", "").strip()
    if base_url and not base_url.startswith(("http://", "https://")):
        problems.append(error(CONFIG_FILE, mapping.line_of("base_url"), "“base_url”应以 http:// 或 https:// 开头",
                              "例如 base_url: http://10.1.1.10/dangjian/；不需要时删去此行"))
        base_url = ""
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    config = SiteConfig(
        site_dir=site_dir,
        title=text_value("title", default.title),
        description=text_value("description", default.description),
        language=language,
        theme=theme,
        per_page=per_page,
        base_url=base_url,
        review_levels=_review_levels(values.get("review_levels"), mapping.line_of("review_levels"), problems),
    )
    return config, problems
