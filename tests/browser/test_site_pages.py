"""The built example site works in a real browser: from disk, under a sub-path, without JavaScript."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
BUNDLE_STORY = "cases/yindongwan-road/index.html"


@pytest.fixture
def site_output(example_output: Path) -> Path:
    return example_output


def _check_story_page(page: Any) -> None:
    header = page.locator(".site-header")
    # The theme's red header proves the stylesheet was found through a relative link.
    assert header.evaluate("e => getComputedStyle(e).backgroundImage").startswith("linear-gradient")
    for img in page.locator("main img").all():
        assert img.evaluate("e => e.complete && e.naturalWidth > 0"), img.get_attribute("src")
    assert page.locator("h1").inner_text().strip()


def _follow_unit_link(page: Any) -> None:
    page.locator(".facts a").first.click()
    page.wait_for_load_state()
    assert "/units/" in page.url and page.url.endswith("/index.html")
    assert page.locator(".card").count() >= 1


def test_story_works_when_opened_from_disk(browser, site_output: Path) -> None:
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((site_output / BUNDLE_STORY).as_uri())
    _check_story_page(page)
    _follow_unit_link(page)
    assert all(url.startswith("file://") for url in requests), requests
    page.close()


def test_story_works_under_a_sub_path(browser, site_output: Path, serve_under_subpath) -> None:
    base = serve_under_subpath(site_output)
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    page.goto(base + BUNDLE_STORY)
    _check_story_page(page)
    _follow_unit_link(page)
    assert page.url.startswith(base)
    assert not failed, failed
    page.close()


def test_story_is_readable_with_javascript_off(browser, site_output: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site_output / BUNDLE_STORY).as_uri())
    assert "银洞湾" in page.locator("main").inner_text()
    assert page.locator(".prose p").first.is_visible()
    context.close()


def test_home_has_no_horizontal_scroll_on_a_small_phone(browser, site_output: Path) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto((site_output / "index.html").as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.close()
