"""Site search in Chromium: from disk and under a sub-path, compared with the Python reference."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from generator.search.shards import shard_name
from tests.browser.checks import (
    LARGEST_TEXT_STEP,
    axe_violations,
    horizontal_overflow,
    reading_aids_script,
    require_checkers,
)
from tests.browser.conftest import record_traffic
from tests.conftest import WriteFile
from tests.search_data import SearchData, load_search

pytestmark = pytest.mark.browser
PAGE = 10  # results shown before "显示更多" (search.js)

QUERIES = [
    ("粽叶", ()),
    ("银洞湾", ()),
    ("上门年检", ()),
    ("粽叶 人社", ()),          # two words: both must appear
    ("500", ()),                # a number
    ("县", ()),                 # one character: titles only
    ("粽叶", ("kind-case",)),   # a filter
    ("帮扶", ("unit-xianwei", "activity-sibang-sicu")),
]


@pytest.fixture(scope="module")
def data(example_output: Path) -> SearchData:
    return load_search(example_output)


def _address(base: str, query: str, filters: tuple[str, ...] = ()) -> str:
    params = [f"q={quote(query)}"] + [f"{f.split('-', 1)[0]}={f.split('-', 1)[1]}" for f in filters]
    return f"{base}search/index.html?{'&'.join(params)}"


def _wait(page: Any) -> None:
    page.wait_for_selector("#search[data-state=done]", timeout=10_000)


def _shown(page: Any) -> list[str]:
    return [t.strip() for t in page.locator(".search-result h2").all_inner_texts()]


def _open(page: Any, address: str) -> tuple[str, list[str]]:
    page.goto(address)
    _wait(page)
    return page.locator("#search-status").inner_text(), _shown(page)


def _check_queries(page: Any, base: str, data: SearchData) -> None:
    for query, filters in QUERIES:
        expected = [d["t"] for d in data.expected(query, filters)]
        status, shown = _open(page, _address(base, query, filters))
        assert expected, (query, filters)
        assert shown == expected[:PAGE], (query, filters)
        assert str(len(expected)) in status


def test_queries_from_disk_find_what_the_reference_finds(browser: Any, example_output: Path,
                                                        data: SearchData) -> None:
    page = browser.new_page()
    traffic = record_traffic(page)
    _check_queries(page, example_output.as_uri() + "/", data)
    requests = traffic.requests
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file")]
    assert any("/search/i/" in url for url in requests) and any("/search/d/" in url for url in requests)
    page.close()


def test_queries_under_a_sub_path_find_what_the_reference_finds(browser: Any, example_output: Path,
                                                               data: SearchData, serve_under_subpath: Any) -> None:
    base = serve_under_subpath(example_output)
    page = browser.new_page()
    traffic = record_traffic(page)
    _check_queries(page, base, data)
    assert all(url.startswith(base) for url in traffic.requests), [u for u in traffic.requests
                                                                  if not u.startswith(base)]
    assert not traffic.failed, traffic.failed
    page.close()


def test_results_show_kind_unit_date_and_a_highlighted_snippet(browser: Any, example_output: Path,
                                                               data: SearchData) -> None:
    page = browser.new_page()
    _open(page, _address(example_output.as_uri() + "/", "银洞湾"))
    first = page.locator(".search-result").first
    doc = data.expected("银洞湾")[0]
    meta = first.locator(".meta").inner_text()
    assert doc["k"] in meta and doc["n"] in meta and doc["d"] in meta
    assert set(first.locator(".snippet mark").all_inner_texts()) == {"银洞湾"}
    first.locator("h2 a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == doc["t"]
    page.close()


def test_a_query_without_hits_says_so(browser: Any, example_output: Path) -> None:
    page = browser.new_page()
    status, shown = _open(page, _address(example_output.as_uri() + "/", "没有这个词语"))
    assert shown == [] and "没有找到" in status and "没有这个词语" in status
    assert page.locator("#search-more").is_hidden()
    page.close()


def test_more_results_come_on_request(browser: Any, example_output: Path, data: SearchData) -> None:
    expected = [d["t"] for d in data.expected("县")]
    assert len(expected) > PAGE
    page = browser.new_page()
    _open(page, _address(example_output.as_uri() + "/", "县"))
    assert all("县" in title for title in _shown(page))
    page.click("#search-more")
    _wait(page)
    assert _shown(page) == expected and page.locator("#search-more").is_hidden()
    page.close()


def test_typing_shows_results_and_puts_the_query_in_the_address(browser: Any, example_output: Path,
                                                                data: SearchData) -> None:
    page = browser.new_page()
    page.goto((example_output / "search/index.html").as_uri())
    _wait(page)
    page.locator("#search-q").press_sequentially("上门年检", delay=30)
    # The address changes when the search for the whole word starts.
    page.wait_for_function("location.search.indexOf('%E6%A3%80') >= 0")
    _wait(page)
    assert _shown(page) == [d["t"] for d in data.expected("上门年检")][:PAGE]
    assert "q=%E4%B8%8A%E9%97%A8%E5%B9%B4%E6%A3%80" in page.url
    page.select_option("select[name=kind]", "post")
    _wait(page)
    assert _shown(page) == [d["t"] for d in data.expected("上门年检", ("kind-post",))]
    assert "kind=post" in page.url
    page.close()


def test_the_header_box_on_every_page_leads_to_the_search(browser: Any, example_output: Path,
                                                          serve_under_subpath: Any) -> None:
    base = serve_under_subpath(example_output)
    page = browser.new_page()
    for start in ((example_output / "cases/yindongwan-road/index.html").as_uri(), base + "units/index.html"):
        page.goto(start)
        page.fill(".site-search input", "粽叶")
        page.press(".site-search input", "Enter")
        page.wait_for_load_state()
        _wait(page)
        assert "/search/index.html?q=" in page.url
        assert "县人社局帮扶纳安村建设粽叶基地" in _shown(page)
    page.close()


def test_search_page_without_javascript_says_it_needs_it(browser: Any, example_output: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(_address(example_output.as_uri() + "/", "粽叶"))
    assert "需要" in page.locator("#search-status").inner_text() and "JavaScript" in page.locator("main").inner_text()
    assert page.locator("#search").is_hidden()
    assert page.locator(".site-nav a").count() > 3
    context.close()


def test_javascript_and_python_put_tokens_in_the_same_shards(browser: Any, example_output: Path,
                                                             data: SearchData) -> None:
    rng = random.Random(3)
    tokens = [*rng.sample(sorted(data.lookup), 300), "a", "2011", "县", "\u9fff\u3400"]
    page = browser.new_page()
    page.goto((example_output / "search/index.html").as_uri())
    found = page.evaluate("tokens => tokens.map(t => dangjianSearch.shard(t))", tokens)
    assert found == [f"i/{shard_name(t, data.bits)}" for t in tokens]
    page.close()


def test_latin_words_are_found_whatever_their_case_and_titles_are_shown_as_text(
        browser: Any, fixture_site: Path, write: WriteFile, tmp_path: Path) -> None:
    write("content/posts/qq-qun.md", """
        ---
        title: "窗口开通QQ群<b>答疑</b>"
        date: 2012-05-01
        unit: renshe
        ---
        群众可以通过 QQ 群和 App 咨询，PM2.5 监测数据每日公开。
        """)
    out = tmp_path / "out"
    build(BuildOptions(site_dir=fixture_site, out_dir=out, progress=False, cache=False))
    page = browser.new_page()
    for query in ("qq", "APP", "pm2.5", "ＱＱ群"):
        _, shown = _open(page, _address(out.as_uri() + "/", query))
        assert shown == ["窗口开通QQ群<b>答疑</b>"], query
    assert page.locator(".search-result h2 b").count() == 0
    page.close()


@pytest.mark.parametrize(("step", "high_contrast"), [(0, False), (0, True), (LARGEST_TEXT_STEP, False),
                                                     (LARGEST_TEXT_STEP, True)])
def test_results_are_accessible_and_fit_a_phone_with_every_reading_aid(
        browser: Any, example_output: Path, step: int, high_contrast: bool) -> None:
    """Results, made by the script and so unseen by the page-type checks, pass axe and do not scroll sideways."""
    require_checkers()
    context = browser.new_context(viewport={"width": 320, "height": 800})
    context.add_init_script(script=reading_aids_script(step, high_contrast))
    page = context.new_page()
    status, shown = _open(page, _address(example_output.as_uri() + "/", "粽叶"))
    assert shown, status
    assert page.locator(".search-result mark").count() > 0
    assert horizontal_overflow(page) <= 0
    page.set_viewport_size({"width": 1280, "height": 800})
    assert axe_violations(page) == []
    context.close()
