"""Planning and rendering pages: every expected URL exists, templates fill, template errors are clear."""

import re
from pathlib import Path

import pytest

from generator.core.errors import SiteError
from generator.pipeline.builder import prepare
from generator.pipeline.options import BuildOptions, Prepared
from generator.render import pages
from generator.render.pages import render_pages
from generator.render.plans import PagePlan
from tests.conftest import FIXTURE_SITE, ROOT

UNITS = """\
- id: gongwei
  name: 县直机关工委
- id: caizhengju
  name: 县财政局
  parent: gongwei
"""
ACTIVITIES = "- id: chuangxian\n  name: 创先争优\n- id: sibang\n  name: 四帮四促\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_site(root: Path, site_yaml: str = "title: 测试站\nper_page: 1\n") -> Path:
    """A site with one story of each kind (two posts), a bundle and a page."""
    write(root / "site.yaml", site_yaml)
    content = root / "content"
    write(content / "units.yaml", UNITS)
    write(content / "activities.yaml", ACTIVITIES)
    write(content / "branches" / "caizhengju-zhibu.md",
          "---\ntitle: 财政局党支部\ndate: 2010-05-12\nunit: 县财政局\nactivities: [创先争优]\n---\n"
          "支部坚持三会一课。见[国库岗](../posts/guoku-gang.md)。\n")
    write(content / "posts" / "guoku-gang.md",
          "---\ntitle: 国库岗\ndate: 2011-01-02\nunit: caizhengju\nholder: 王某某\n---\n窗口服务。\n")
    write(content / "posts" / "chuangkou.md",
          "---\ntitle: 登记窗口\ndate: 2011-03-02\nunit: gongwei\n---\n登记服务。\n")
    write(content / "cases" / "银洞湾村修路" / "index.md",
          "---\ntitle: 修路\ndate: 2012-05-26\nunit: gongwei\nactivities: [四帮四促]\ncover: road.jpg\n"
          "funds_yuan: 20000\n---\n![新修的路](road.jpg)\n\n修通公路。\n")
    write(content / "cases" / "银洞湾村修路" / "road.jpg", "jpg")
    write(content / "pages" / "about.md", "---\ntitle: 关于本站\n---\n本站介绍。\n")
    return root


def prepared(root: Path) -> Prepared:
    return prepare(BuildOptions(site_dir=root))


def rendered(prep: Prepared) -> dict[str, str]:
    return {f.path: f.data.decode("utf-8") for f in render_pages(prep.plans, prep.site, prep.theme)}


def test_plan_contains_every_page_of_a_small_site(tmp_path: Path):
    plans = prepared(make_site(tmp_path)).plans
    assert [(p.url, p.template) for p in plans if isinstance(p, PagePlan)] == [
        ("", "index.html"),
        ("branches/", "kind.html"),
        ("branches/caizhengju-zhibu/", "story.html"),
        ("posts/", "kind.html"),
        ("posts/page/2/", "kind.html"),
        ("posts/chuangkou/", "story.html"),
        ("posts/guoku-gang/", "story.html"),
        ("cases/", "kind.html"),
        ("cases/yin-dong-wan-cun-xiu-lu/", "story.html"),
        ("units/", "units.html"),
        ("units/gongwei/", "unit.html"),
        ("units/gongwei/page/2/", "unit.html"),
        ("units/caizhengju/", "unit.html"),
        ("units/caizhengju/page/2/", "unit.html"),
        ("activities/", "activities.html"),
        ("activities/chuangxian/", "activity.html"),
        ("activities/sibang/", "activity.html"),
        ("archive/", "archive.html"),
        ("archive/2012/", "archive_year.html"),
        ("archive/2011/", "archive_year.html"),
        ("archive/2010/", "archive_year.html"),
        ("about/", "page.html"),
        ("feed.xml", "feed.xml"),
        ("sitemap.xml", "sitemap.xml"),
        ("404.html", "404.html"),
        ("search/", "search.html"),
    ]


def test_story_plans_link_older_and_newer_stories_of_the_same_kind(tmp_path: Path):
    plans = {p.url: p for p in prepared(make_site(tmp_path)).plans}
    newer = plans["posts/chuangkou/"].context
    older = plans["posts/guoku-gang/"].context
    assert (newer["newer"], newer["older"].url) == (None, "posts/guoku-gang/")
    assert (older["newer"].url, older["older"]) == ("posts/chuangkou/", None)


def test_sitemap_lists_every_page_but_the_feed_and_dates_stories(tmp_path: Path):
    plans = prepared(make_site(tmp_path)).plans
    sitemap = next(p for p in plans if p.url == "sitemap.xml").context["urls"]
    urls = [u for u, _ in sitemap]
    assert urls == [p.url for p in plans if isinstance(p, PagePlan)
                    and p.url not in ("feed.xml", "sitemap.xml", "404.html", "search/")]
    assert dict(sitemap)["posts/guoku-gang/"].isoformat() == "2011-01-02"
    assert dict(sitemap)["units/"] is None


def test_a_sitemap_over_the_protocol_s_limit_becomes_an_index_of_smaller_ones(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch):
    import generator.render.plan

    one = prepared(make_site(tmp_path / "a"))
    whole = next(p for p in one.plans if p.url == "sitemap.xml").context["urls"]
    single = next(f.data.decode() for f in render_pages(one.plans, one.site, one.theme) if f.path == "sitemap.xml")
    monkeypatch.setattr(generator.render.plan, "SITEMAP_URLS", len(whole) - 1)
    monkeypatch.setattr(generator.render.plan, "SITEMAP_PART", 4)
    prep = prepared(make_site(tmp_path / "b"))
    files = {f.path: f.data.decode() for f in render_pages(prep.plans, prep.site, prep.theme)}
    index = files["sitemap.xml"]
    parts = [f"sitemap-{n}.xml" for n in range(1, -(-len(whole) // 4) + 1)]
    assert "<sitemapindex" in index and [f"<loc>{part}</loc>" in index for part in parts] == [True] * len(parts)
    listed = [loc for part in parts for loc in re.findall("<loc>(.*?)</loc>", files[part])]
    assert listed == re.findall("<loc>(.*?)</loc>", single) and len(listed) == len(whole) > 4
    assert all(files[part].count("<url>") <= 4 for part in parts)
    assert f"sitemap-{len(parts) + 1}.xml" not in files


def test_every_plan_renders_to_its_output_file(tmp_path: Path):
    prep = prepared(make_site(tmp_path))
    pages = rendered(prep)
    assert len(pages) == len(prep.plans)
    assert {"index.html", "posts/page/2/index.html", "about/index.html", "feed.xml", "404.html"} <= set(pages)


def test_story_page_shows_its_data_with_relative_links(tmp_path: Path):
    html = rendered(prepared(make_site(tmp_path)))["cases/yin-dong-wan-cun-xiu-lu/index.html"]
    assert "修路" in html
    assert "2012年5月26日" in html
    assert "20,000 元" in html
    assert 'href="../../static/css/style.css"' in html
    assert 'href="../../units/gongwei/index.html"' in html
    assert '<img src="road.jpg" alt="新修的路" loading="lazy" />' in html


def test_markdown_links_between_stories_are_relative_in_the_page(tmp_path: Path):
    html = rendered(prepared(make_site(tmp_path)))["branches/caizhengju-zhibu/index.html"]
    assert '<a href="../../posts/guoku-gang/index.html">国库岗</a>' in html


def test_english_site_renders_english_interface_and_dates(tmp_path: Path):
    pages = rendered(prepared(make_site(tmp_path, "title: Test\nlanguage: en\n")))
    assert '<html lang="en">' in pages["index.html"]
    assert "Model branches" in pages["index.html"]
    assert "May 26, 2012" in pages["cases/yin-dong-wan-cun-xiu-lu/index.html"]


def test_feed_is_newest_first(tmp_path: Path):
    feed = rendered(prepared(make_site(tmp_path)))["feed.xml"]
    assert feed.index("修路") < feed.index("登记窗口") < feed.index("国库岗") < feed.index("财政局党支部")


def test_template_error_is_a_site_error_naming_the_template_and_line(tmp_path: Path):
    root = make_site(tmp_path, "title: 测试站\ntheme: red\n")
    write(root / "themes" / "red" / "templates" / "404.html",
          '{% extends "base.html" %}\n{% block main %}\n<p>{{ no_such_thing }}</p>\n{% endblock %}\n')
    prep = prepared(root)
    with pytest.raises(SiteError) as caught:
        rendered(prep)
    assert [p.format() for p in caught.value.problems] == [
        "themes/red/templates/404.html:3: error: 模板出错：'no_such_thing' is undefined "
        "(检查主题模板中的变量名和标签是否成对)"]


def test_template_syntax_error_is_a_site_error_naming_the_template_and_line(tmp_path: Path):
    root = make_site(tmp_path, "title: 测试站\ntheme: red\n")
    write(root / "themes" / "red" / "templates" / "page.html",
          '{% extends "base.html" %}\n{% block main %}\n{% if page.title %}\n<h1>{{ page.title }}</h1>\n'
          "{% endblock %}\n")
    with pytest.raises(SiteError) as caught:
        rendered(prepared(root))
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("themes/red/templates/page.html", 5)
    assert problem.message.startswith("模板出错：")


def test_404_page_has_a_base_only_when_base_url_is_set(tmp_path: Path):
    plain = rendered(prepared(make_site(tmp_path / "a")))["404.html"]
    assert "<base" not in plain and 'href="static/css/style.css"' in plain
    with_base = rendered(prepared(make_site(tmp_path / "b", "title: 测试站\nbase_url: http://10.0.0.10/dangjian\n")))
    assert '<base href="/dangjian/">' in with_base["404.html"]
    assert "<base" not in with_base["index.html"]


def test_page_bundle_files_are_published_beside_the_page(tmp_path: Path):
    root = make_site(tmp_path)
    write(root / "content" / "pages" / "contact" / "index.md", "---\ntitle: 联系我们\n---\n![地图](map.png)\n")
    write(root / "content" / "pages" / "contact" / "map.png", "png")
    prep = prepared(root)
    assert [c.path for c in prep.copies if c.path.endswith("map.png")] == ["contact/map.png"]
    assert '<img src="map.png" alt="地图"' in rendered(prep)["contact/index.html"]


@pytest.mark.parametrize("site", ["small", "fixture", "example"])
def test_parts_kept_by_cache_tags_are_what_each_page_would_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   site: str):
    # base.html keeps its header and footer per folder depth and top folder: if anything in them came to
    # depend on more of the page, the pages of some key would differ from rendering each page in full.
    root = {"small": lambda: make_site(tmp_path), "fixture": lambda: FIXTURE_SITE, "example": lambda: ROOT}[site]()
    prep = prepared(root)
    kept = rendered(prep)
    monkeypatch.setattr(pages, "FRAGMENTS", "_not_kept")  # the cache tags then find no store and render in full
    assert rendered(prep) == kept


def test_cache_tag_renders_its_part_once_per_key(tmp_path: Path):
    env = prepared(make_site(tmp_path)).theme.environment()
    template = env.from_string("{% for n in [1, 2, 3, 4] %}{% cache n % 2 %}{{ n }}{% endcache %}"
                               "{% cache n % 2 %}<{{ n }}>{% endcache %}{% endfor %}")
    assert template.render(_fragments={}) == "1<1>2<2>1<1>2<2>"
    assert template.render() == "1<1>2<2>3<3>4<4>"
