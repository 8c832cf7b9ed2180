"""View-models: pagination, story views with formatted fields, unit tree and activity links."""

import datetime as dt
from pathlib import Path

import pytest

from generator.content.config import SiteConfig
from generator.content.model import KIND_BY_KEY, Activity, Site, Story, Unit
from generator.render.indexes import build_indexes
from generator.render.markdown import RenderedDoc
from generator.render.theme import Theme, load_theme
from generator.render.urls import SiteUrls
from generator.render.views import Link, activity_links, page_window, paginate, story_view, unit_tree_view


def test_paginate_splits_a_list_into_pages_under_page_n():
    pagers = paginate(list("abcde"), 2, "posts/")
    assert [(p.number, p.total, p.url, list(p.items)) for p in pagers] == [
        (1, 3, "posts/", ["a", "b"]),
        (2, 3, "posts/page/2/", ["c", "d"]),
        (3, 3, "posts/page/3/", ["e"]),
    ]


def test_paginate_links_each_page_to_its_neighbours():
    pagers = paginate(list("abcde"), 2, "units/caizhengju/")
    assert [(p.prev_url, p.next_url) for p in pagers] == [
        (None, "units/caizhengju/page/2/"),
        ("units/caizhengju/", "units/caizhengju/page/3/"),
        ("units/caizhengju/page/2/", None),
    ]
    assert pagers[1].pages == (Link("1", "units/caizhengju/"), Link("2", "units/caizhengju/page/2/"),
                               Link("3", "units/caizhengju/page/3/"))


def test_paginate_of_an_exact_multiple_makes_no_empty_last_page():
    assert [p.url for p in paginate(list("abcd"), 2, "posts/")] == ["posts/", "posts/page/2/"]


def test_paginate_of_an_empty_list_gives_one_empty_page():
    [pager] = paginate([], 20, "cases/")
    assert (pager.number, pager.total, pager.url, list(pager.items)) == (1, 1, "cases/", [])
    assert (pager.prev_url, pager.next_url) == (None, None)


@pytest.fixture
def setting(tmp_path: Path):
    units = (Unit("gongwei", "县直机关工委", None, "工委"), Unit("caizhengju", "县财政局", "gongwei"))
    activities = (Activity("chuangxian", "创先争优"), Activity("sibang", "四帮四促"))
    case = Story(KIND_BY_KEY["case"], "xiu-lu", "修路", dt.date(2012, 5, 26), "caizhengju",
                 ("sibang", "chuangxian"), "cases/xiulu/index.md", "", 6, cover="cases/xiulu/road.jpg",
                 author="办公室", source="简报", bundle_dir="cases/xiulu",
                 extra=(("target", "银洞湾村"), ("funds_yuan", 1234567), ("households", 25)))
    site = Site(SiteConfig(site_dir=tmp_path), units, activities, (case,), (), frozenset())
    return site, case


def theme_for(tmp_path: Path, language: str) -> Theme:
    theme, problems = load_theme(SiteConfig(site_dir=tmp_path, language=language))
    assert problems == []
    return theme


def test_story_view_shows_links_and_kind_fields_in_chinese(tmp_path: Path, setting):
    site, case = setting
    rendered = RenderedDoc("<p>正文</p>", "摘要", (), ())
    view = story_view(case, site, rendered, SiteUrls([case]), theme_for(tmp_path, "zh-CN").text)
    assert (view.title, view.url, view.kind, view.kind_label, view.kind_url) == (
        "修路", "cases/xiu-lu/", "case", "帮扶案例", "cases/")
    assert view.unit == Link("县财政局", "units/caizhengju/")
    assert view.activities == (Link("四帮四促", "activities/sibang/"), Link("创先争优", "activities/chuangxian/"))
    assert (view.summary, view.cover, view.author, view.source) == ("摘要", "cases/xiu-lu/road.jpg", "办公室", "简报")
    assert view.fields == (("帮扶对象", "银洞湾村"), ("帮扶资金", "1,234,567 元"), ("受益户数", "25 户"))


def test_story_view_fields_in_english_and_fractional_funds(tmp_path: Path, setting):
    site, case = setting
    case = Story(case.kind, case.slug, case.title, case.date, case.unit, (), case.source_path, "", 6,
                 extra=(("funds_yuan", 2500.5), ("households", 3)))
    view = story_view(case, site, RenderedDoc("", "", (), ()), SiteUrls([case]), theme_for(tmp_path, "en").text)
    assert view.kind_label == "Assistance cases"
    assert view.cover is None
    assert view.fields == (("Funds", "2,500.5 yuan"), ("Households", "3 households"))


def test_unit_tree_view_shows_own_counts_on_links_and_totals_beside(setting):
    site, _ = setting
    [top] = [unit_tree_view(node) for node in build_indexes(site).unit_tree]
    assert (top.link, top.description, top.total) == (Link("县直机关工委", "units/gongwei/", 0), "工委", 1)
    assert [(c.link, c.total) for c in top.children] == [(Link("县财政局", "units/caizhengju/", 1), 1)]


def test_activity_links_count_stories_in_file_order(setting):
    site, _ = setting
    assert activity_links(site, build_indexes(site)) == (
        Link("创先争优", "activities/chuangxian/", 1), Link("四帮四促", "activities/sibang/", 1))


def test_page_window_shows_first_last_and_neighbours_with_gaps():
    labels = [link.label for link in page_window("posts/", 10, 20)]
    assert labels == ["1", "…", "8", "9", "10", "11", "12", "…", "20"]
    assert page_window("posts/", 10, 20)[2].url == "posts/page/8/"
    assert [link.label for link in page_window("posts/", 1, 3)] == ["1", "2", "3"]
    assert [link.label for link in page_window("posts/", 1, 1)] == ["1"]


def test_every_page_of_a_long_list_links_to_a_bounded_number_of_pages():
    pagers = paginate(list(range(1000)), 1, "posts/")
    assert max(len(p.pages) for p in pagers) <= 9
