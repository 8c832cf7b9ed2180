"""The theme: interface strings in each language, dates, and per-file overrides by a site theme."""

import datetime as dt
from pathlib import Path

import jinja2
import markupsafe
import pytest

from generator.content.config import SiteConfig
from generator.core.scan import builtin_theme_dir
from generator.render.theme import Theme, load_theme


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def theme(tmp_path: Path, language: str = "zh-CN", name: str = "default") -> Theme:
    loaded, problems = load_theme(SiteConfig(site_dir=tmp_path, language=language, theme=name))
    assert problems == []
    return loaded


def test_strings_are_in_chinese_by_default(tmp_path: Path):
    text = theme(tmp_path).text
    assert text("kind_branch") == "示范党支部"
    assert text("nav_archive") == "归档"
    assert text("story_count", count=3) == "3 篇"


def test_strings_are_in_english_when_the_site_is(tmp_path: Path):
    text = theme(tmp_path, "en").text
    assert text("kind_branch") == "Model branches"
    assert text("nav_archive") == "Archive"
    assert text("story_count", count=3) == "3 stories"


def test_missing_string_raises_key_error_naming_it(tmp_path: Path):
    with pytest.raises(KeyError, match="no_such_key"):
        theme(tmp_path).text("no_such_key")


def test_dates_are_written_the_chinese_way(tmp_path: Path):
    assert theme(tmp_path).format_date(dt.date(2010, 5, 12)) == "2010年5月12日"


def test_dates_are_written_the_english_way(tmp_path: Path):
    assert theme(tmp_path, "en").format_date(dt.date(2010, 5, 12)) == "May 12, 2010"


def test_templates_get_the_text_function_and_date_filter(tmp_path: Path):
    env = theme(tmp_path, "en").environment()
    template = env.from_string("{{ t('nav_home') }}: {{ day | date_text }}")
    assert template.render(day=dt.date(2011, 1, 2)) == "Home: January 2, 2011"


def test_html_and_xml_templates_escape_their_values(tmp_path: Path):
    write(tmp_path / "themes" / "red" / "templates" / "x.html", "<p>{{ v }}</p>")
    write(tmp_path / "themes" / "red" / "templates" / "x.xml", "<t>{{ v }}</t>")
    env = theme(tmp_path, name="red").environment()
    assert env.get_template("x.html").render(v="<b>党建</b>") == "<p>&lt;b&gt;党建&lt;/b&gt;</p>"
    assert env.get_template("x.xml").render(v="A & B") == "<t>A &amp; B</t>"


def test_templates_refuse_undefined_variables(tmp_path: Path):
    write(tmp_path / "themes" / "red" / "templates" / "x.html", "{{ nothing }}")
    env = theme(tmp_path, name="red").environment()
    with pytest.raises(jinja2.UndefinedError):
        env.get_template("x.html").render()


def test_default_theme_uses_only_the_builtin_folder(tmp_path: Path):
    assert theme(tmp_path).dirs == (builtin_theme_dir(),)
    assert (builtin_theme_dir() / "templates" / "base.html").is_file()


def test_site_theme_overrides_one_template_and_keeps_the_others(tmp_path: Path):
    own = tmp_path / "themes" / "red"
    write(own / "templates" / "404.html", "<p>我的 404 页面</p>\n")
    env = theme(tmp_path, name="red").environment()
    assert env.get_template("404.html").render() == "<p>我的 404 页面</p>\n"
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, "page.html")
    assert filename is not None
    assert Path(filename) == builtin_theme_dir() / "templates" / "page.html"
    assert "{% extends \"base.html\" %}" in source


def test_site_theme_overrides_one_static_file_and_adds_others(tmp_path: Path):
    own = tmp_path / "themes" / "red"
    style = write(own / "static" / "css" / "style.css", "body { color: red; }\n")
    extra = write(own / "static" / "img" / "logo.png", "png")
    write(own / "static" / ".hidden", "x")
    files = theme(tmp_path, name="red").static_files()
    assert files == {"static/css/style.css": style, "static/img/logo.png": extra,
                     "static/js/a11y.js": builtin_theme_dir() / "static" / "js" / "a11y.js",
                     "static/js/search.js": builtin_theme_dir() / "static" / "js" / "search.js"}


def test_builtin_static_files_are_published_under_static(tmp_path: Path):
    assert theme(tmp_path).static_files() == {
        "static/css/style.css": builtin_theme_dir() / "static" / "css" / "style.css",
        "static/js/a11y.js": builtin_theme_dir() / "static" / "js" / "a11y.js",
        "static/js/search.js": builtin_theme_dir() / "static" / "js" / "search.js"}


def test_site_theme_strings_override_single_keys(tmp_path: Path):
    write(tmp_path / "themes" / "red" / "strings.yaml", "nav_home: {zh-CN: 主页, en: Start}\nnew_key: {zh-CN: 新}\n")
    zh = theme(tmp_path, name="red")
    assert (zh.text("nav_home"), zh.text("new_key"), zh.text("nav_archive")) == ("主页", "新", "归档")
    en = theme(tmp_path, "en", name="red")
    assert (en.text("nav_home"), en.text("new_key")) == ("Start", "新")


def test_broken_site_strings_file_is_reported_with_its_path_and_line(tmp_path: Path):
    write(tmp_path / "themes" / "red" / "strings.yaml", "nav_home: {zh-CN: 主页}\nmore: a: b\n")
    _, problems = load_theme(SiteConfig(site_dir=tmp_path, theme="red"))
    assert [(p.path, p.line) for p in problems] == [("themes/red/strings.yaml", 2)]
    assert problems[0].message.startswith("YAML 格式错误：mapping values are not allowed")


def test_broken_site_strings_file_is_reported_on_one_line_like_other_yaml_errors(tmp_path: Path):
    write(tmp_path / "themes" / "red" / "strings.yaml", "nav_home: {zh-CN: 主页}\nmore: a: b\n")
    _, problems = load_theme(SiteConfig(site_dir=tmp_path, theme="red"))
    [problem] = problems
    assert "\n" not in problem.format()
    assert problem.hint == "检查冒号后是否有空格、缩进是否对齐、引号是否成对"


def test_site_strings_file_that_is_a_list_is_an_error(tmp_path: Path):
    write(tmp_path / "themes" / "red" / "strings.yaml", "- a\n- b\n")
    loaded, problems = load_theme(SiteConfig(site_dir=tmp_path, theme="red"))
    assert [p.format() for p in problems] == [
        "themes/red/strings.yaml:1: error: 界面文字表应是“键: {zh-CN: ..., en: ...}”形式"]
    assert loaded.text("nav_home") == "首页"


def test_templates_call_functions_as_jinja2_does(tmp_path: Path):
    env = theme(tmp_path).environment()

    @jinja2.pass_context
    def page(context: jinja2.runtime.Context) -> str:
        return str(context["name"])

    def boom() -> str:
        raise StopIteration

    template = env.from_string("{% macro m(x) %}<{{ x }}{{ caller() if caller is defined }}>{% endmacro %}"
                               "{{ t('nav_archive') }} {{ page() }} {{ plain(self='x') }} {{ d.isoformat() }}"
                               "{% for i in [1] %} {{ page() }}{% endfor %}[{{ boom() | default('空') }}]"
                               "{{ m(1) }}{% call m(2) %}{{ name }}{% endcall %}")
    rendered = template.render(name="甲", page=page, plain=lambda self: self, d=dt.date(2010, 5, 12), boom=boom)
    assert rendered == "归档 甲 x 2010-05-12 甲[空]<1><2甲>"


def test_template_output_is_escaped_as_markupsafe_does(tmp_path: Path):
    env = theme(tmp_path).environment()
    values = ["<a href=\"x\">'&'</a>", markupsafe.Markup("<b>安全</b>"), 3, 2.5, None, ("<",), "纯文本", ""]
    template = env.from_string("{% for v in values %}[{{ v }}]{% endfor %}{{ one }}")
    expected = "".join(f"[{markupsafe.escape(v)}]" for v in values) + "&lt;p&gt;"
    assert template.render(values=values, one="<p>") == expected
