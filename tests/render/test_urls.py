"""Site-relative URLs, the files they are written to and relative links between pages."""

import datetime as dt

import pytest

from generator.content.model import KIND_BY_KEY, Page, Story
from generator.render.urls import SiteUrls, linker, output_path, page_url, relative


def story(source_path: str, slug: str, kind: str = "case", bundle_dir: str | None = None) -> Story:
    return Story(KIND_BY_KEY[kind], slug, "标题", dt.date(2010, 5, 12), "caizhengju", (), source_path,
                 "正文", 6, bundle_dir=bundle_dir)


@pytest.mark.parametrize(("url", "path"), [
    ("", "index.html"),
    ("posts/", "posts/index.html"),
    ("posts/guoku-gang/", "posts/guoku-gang/index.html"),
    ("posts/page/2/", "posts/page/2/index.html"),
    ("feed.xml", "feed.xml"),
    ("static/css/style.css", "static/css/style.css"),
])
def test_output_path_adds_index_html_to_folders_only(url: str, path: str):
    assert output_path(url) == path


@pytest.mark.parametrize(("here", "target", "link"), [
    ("", "posts/a/", "posts/a/index.html"),
    ("", "", "index.html"),
    ("posts/a/", "", "../../index.html"),
    ("posts/a/", "posts/a/", "index.html"),
    ("posts/a/", "cases/b/", "../../cases/b/index.html"),
    ("posts/a/", "static/css/style.css", "../../static/css/style.css"),
    ("units/caizhengju/page/2/", "units/caizhengju/", "../../index.html"),
    ("404.html", "static/css/style.css", "static/css/style.css"),
    ("feed.xml", "posts/a/", "posts/a/index.html"),
])
def test_relative_links_work_from_disk_and_under_any_sub_path(here: str, target: str, link: str):
    assert relative(here, target) == link


def test_relative_keeps_the_fragment():
    assert relative("cases/a/", "posts/b/#宣传政策") == "../../posts/b/index.html#宣传政策"


def test_page_url_of_the_first_page_is_the_list_itself():
    assert page_url("posts/", 1) == "posts/"
    assert page_url("posts/", 2) == "posts/page/2/"
    assert page_url("", 3) == "page/3/"


def test_site_urls_maps_sources_and_bundle_folders_to_pages():
    bundle = story("cases/银洞湾村修路/index.md", "yin-dong-wan-cun-xiu-lu", bundle_dir="cases/银洞湾村修路")
    post = story("posts/guoku-gang.md", "guoku-gang", kind="post")
    about = Page("about", "关于", "pages/about.md", "正文", 4)
    urls = SiteUrls([bundle, post, about])
    assert urls.doc_url("posts/guoku-gang.md") == "posts/guoku-gang/"
    assert urls.doc_url("cases/银洞湾村修路/index.md") == "cases/yin-dong-wan-cun-xiu-lu/"
    assert urls.doc_url("cases/银洞湾村修路") == "cases/yin-dong-wan-cun-xiu-lu/"
    assert urls.doc_url("cases/银洞湾村修路/") == "cases/yin-dong-wan-cun-xiu-lu/"
    assert urls.doc_url("pages/about.md") == "about/"
    assert urls.doc_url("posts/missing.md") is None
    assert urls.sources == ["cases/银洞湾村修路", "cases/银洞湾村修路/index.md", "pages/about.md",
                            "posts/guoku-gang.md"]


def test_asset_url_publishes_bundle_files_beside_their_page():
    bundle = story("cases/银洞湾村修路/index.md", "yin-dong-wan-cun-xiu-lu", bundle_dir="cases/银洞湾村修路")
    urls = SiteUrls([bundle])
    assert urls.asset_url("cases/银洞湾村修路/road.jpg") == "cases/yin-dong-wan-cun-xiu-lu/road.jpg"
    assert urls.asset_url("cases/银洞湾村修路/img/map.png") == "cases/yin-dong-wan-cun-xiu-lu/img/map.png"


def test_asset_url_keeps_files_outside_bundles_where_they_lie():
    urls = SiteUrls([story("cases/a.md", "a"), story("cases/b/index.md", "b", bundle_dir="cases/b")])
    assert urls.asset_url("images/photo.jpg") == "images/photo.jpg"
    assert urls.asset_url("cases/photo.jpg") == "cases/photo.jpg"
    assert urls.asset_url("cases/bb/photo.jpg") == "cases/bb/photo.jpg"


def test_bundle_files_lists_only_files_inside_the_bundle_folder():
    urls = SiteUrls([])
    files = ["cases/b/road.jpg", "cases/b/img/map.png", "cases/bb/x.jpg", "cases/b.jpg"]
    assert urls.bundle_files("cases/b", files) == ["cases/b/img/map.png", "cases/b/road.jpg"]


def test_relative_agrees_with_posixpath_relpath_on_many_url_pairs():
    import itertools
    import posixpath

    from generator.render.urls import output_path, relative

    urls = ["", "posts/", "posts/a/", "posts/page/2/", "units/x/page/3/", "static/css/style.css", "feed.xml",
            "cases/yin-dong/road.jpg", "archive/2010/", "about/", "posts/a/b/c/"]
    for here, there in itertools.product(urls, repeat=2):
        expected = posixpath.relpath(output_path(there), posixpath.dirname(output_path(here)) or ".")
        assert relative(here, there) == expected, (here, there)


def test_linker_links_as_relative_does():
    pages = ["", "404.html", "feed.xml", "posts/", "posts/a/", "posts/page/2/", "units/u/page/3/", "search/"]
    targets = ["", "posts/", "posts/a/", "posts/b/", "postsx/c/", "posts", "feed.xml", "static/css/style.css",
               "posts/b/#宣传政策", "#top", "units/u/", "units/u/page/2/", "search/d/1.js"]
    for here in pages:
        url = linker(here)
        for target in targets:
            assert url(target) == relative(here, target), (here, target)
