"""Site settings from site.yaml: defaults, checks and the messages for mistakes."""

from pathlib import Path

from generator.content.config import SiteConfig, load_config
from generator.core.errors import Problem


def site(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def formatted(problems: list[Problem]) -> list[str]:
    return [p.format() for p in problems]


def test_empty_site_yaml_gives_the_defaults(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "# 暂无设置\n"))
    assert problems == []
    assert config == SiteConfig(site_dir=tmp_path)
    assert (config.title, config.language, config.theme, config.per_page, config.base_url) == (
        "机关党建", "zh-CN", "default", 20, "")
    assert config.content_dir == tmp_path / "content"
    assert config.themes_dir == tmp_path / "themes"


def test_every_setting_is_read(tmp_path: Path):
    (tmp_path / "themes" / "red").mkdir(parents=True)
    config, problems = load_config(site(tmp_path, (
        "title: 贞丰县直机关党建\ndescription: 示范党支部\nlanguage: en\ntheme: red\n"
        "per_page: 5\nbase_url: https://10.0.0.10/dangjian/\n")))
    assert problems == []
    assert config == SiteConfig(tmp_path, "贞丰县直机关党建", "示范党支部", "en", "red", 5,
                                "https://10.0.0.10/dangjian/")


def test_base_url_gets_a_trailing_slash(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "base_url: http://10.0.0.10/dangjian\n"))
    assert problems == []
    assert config.base_url == "http://10.0.0.10/dangjian/"


def test_unknown_key_is_a_warning_with_a_suggestion(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "title: 党建\ntitel: 党建网\n"))
    assert formatted(problems) == ["site.yaml:2: warning: 未知的设置项“titel”，已忽略 (是不是要写“title”？)"]
    assert config.title == "党建"


def test_unknown_key_without_a_close_match_lists_the_known_keys(tmp_path: Path):
    _, problems = load_config(site(tmp_path, "zzz: 1\n"))
    assert formatted(problems) == [
        "site.yaml:1: warning: 未知的设置项“zzz”，已忽略 "
        "(可用的设置项：title、description、language、theme、per_page、base_url、review_levels)"
    ]


def test_per_page_must_be_a_positive_integer(tmp_path: Path):
    for value in ("0", "-3", "二十", "2.5", "true"):
        config, problems = load_config(site(tmp_path, f"title: 党建\nper_page: {value}\n"))
        assert formatted(problems) == ["site.yaml:2: error: “per_page”应是大于 0 的整数 (例如 per_page: 20)"], value
        assert config.per_page == 20


def test_unsupported_language_is_an_error(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "language: fr\n"))
    assert formatted(problems) == ["site.yaml:1: error: 不支持的语言“fr” (可选 zh-CN 或 en)"]
    assert config.language == "zh-CN"


def test_base_url_without_scheme_is_an_error(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "title: 党建\nbase_url: 10.0.0.10/dangjian/\n"))
    assert formatted(problems) == [
        "site.yaml:2: error: “base_url”应以 http:// 或 https:// 开头 "
        "(例如 base_url: http://10.1.1.10/dangjian/；不需要时删去此行)"
    ]
    assert config.base_url == ""


def test_missing_theme_folder_is_an_error(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "theme: red\n"))
    assert formatted(problems) == [
        "site.yaml:1: error: 找不到主题“red” (主题应放在 themes/red/，或删去此行使用默认主题)"]
    assert config.theme == "default"


def test_text_setting_that_is_a_list_is_an_error(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "title: 党建\ndescription: [a, b]\n"))
    assert formatted(problems) == ["site.yaml:2: error: “description”应是一段文字"]
    assert config.description == ""


def test_empty_value_falls_back_to_the_default(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "title:\n"))
    assert problems == []
    assert config.title == "机关党建"


def test_missing_site_yaml_is_an_error_that_explains_what_to_do(tmp_path: Path):
    config, problems = load_config(tmp_path)
    assert formatted(problems) == [
        "site.yaml: error: 找不到站点配置文件 site.yaml "
        "(在站点文件夹中运行，或用 --site 指定站点文件夹；新建站点可用 dangjian init)"
    ]
    assert config == SiteConfig(site_dir=tmp_path)


def test_yaml_syntax_error_in_site_yaml_is_reported_with_its_line(tmp_path: Path):
    _, problems = load_config(site(tmp_path, "title: 党建\nper_page: [1, 2\n"))
    assert [p.format() for p in problems] == [
        "site.yaml:2: error: 方括号“[”没有配对的“]”（YAML：did not find expected ',' or ']'） "
        "(在末尾补上“]”：per_page: [1, 2])"
    ]


def test_site_yaml_in_gbk_is_reported_as_not_utf8(tmp_path: Path):
    (tmp_path / "site.yaml").write_bytes("title: 党建\n".encode("gbk"))
    config, problems = load_config(tmp_path)
    assert [(p.path, p.line, p.message) for p in problems] == [("site.yaml", 1, "文件不是 UTF-8 编码，无法读取")]
    assert config.title == "机关党建"
