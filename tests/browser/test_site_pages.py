"""The built example site works in a real browser: from disk, under a sub-path, without JavaScript.

Every page type of ``tests/browser/pages.py`` is opened: its stylesheet is applied, its images are shown,
every internal link leads to a page that exists, and no request leaves the site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urlsplit

import pytest

from tests.browser.conftest import record_traffic
from tests.browser.pages import PAGE_TYPES, STORY

pytestmark = pytest.mark.browser


_SERVED: set[str] = set()
"""Addresses under the sub-path already seen answering 200."""


@pytest.fixture
def site_output(example_output: Path) -> Path:
    return example_output


# Lazy images below the fold would never load in a headless viewport: load each one now and decode it.
_BROKEN_IMAGES = """async () => {
  const broken = [];
  for (const img of document.images) {
    img.loading = 'eager';
    try { await img.decode(); } catch (e) { /* reported below */ }
    if (!(img.complete && img.naturalWidth > 0)) broken.push(img.getAttribute('src'));
  }
  return broken;
}"""


def _check_page(page: Any, root: str) -> list[str]:
    """Check the page loaded from the site at ``root``; return its internal links (absolute, no fragments)."""
    header = page.locator(".site-header")
    # The theme's red header proves the stylesheet was found through a relative link.
    assert header.evaluate("e => getComputedStyle(e).backgroundImage").startswith("linear-gradient")
    assert page.evaluate(_BROKEN_IMAGES) == []
    assert page.locator("h1").first.inner_text().strip()
    # a11y.js was found too: it reveals the reading aids.
    assert page.locator(".a11y-tools").is_visible()
    links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    # A link may leave for another web site, but never to a place beside the site on the same disk or server.
    origin = "file://" if root.startswith("file:") else root[: root.index("/", len("http://"))]
    escaping = [link for link in links if link.startswith(origin) and not link.startswith(root)]
    assert escaping == []
    return sorted({urldefrag(link).url for link in links if link.startswith(root)})


def _follow_unit_link(page: Any) -> None:
    page.locator(".facts a").first.click()
    page.wait_for_load_state()
    assert "/units/" in page.url and page.url.endswith("/index.html")
    assert page.locator(".card").count() >= 1


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_works_when_opened_from_disk(browser, site_output: Path, name: str) -> None:
    page = browser.new_page()
    traffic = record_traffic(page)
    page.goto((site_output / PAGE_TYPES[name]).as_uri())
    links = _check_page(page, site_output.as_uri() + "/")
    assert links, "no internal link found"
    dead = [link for link in links if not Path(unquote(urlsplit(link).path)).is_file()]
    assert dead == []
    assert all(url.startswith("file://") for url in traffic.requests), traffic.requests
    page.close()


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_works_under_a_sub_path(browser, site_output: Path, serve_under_subpath, name: str) -> None:
    base = serve_under_subpath(site_output)
    page = browser.new_page()
    traffic = record_traffic(page)
    page.goto(base + PAGE_TYPES[name])
    links = _check_page(page, base)
    # Most pages share their header and footer links: ask the server about each address once per session.
    unchecked = [link for link in links if link not in _SERVED]
    dead = [link for link in unchecked if page.request.get(link).status != 200]
    assert dead == []
    _SERVED.update(unchecked)
    assert all(url.startswith(base) for url in traffic.requests), traffic.requests
    assert not traffic.failed, traffic.failed
    page.close()


def test_story_links_work_from_disk_and_under_a_sub_path(browser, site_output: Path, serve_under_subpath) -> None:
    """Clicking through from a story reaches its unit page both ways."""
    base = serve_under_subpath(site_output)
    for root in (site_output.as_uri() + "/", base):
        page = browser.new_page()
        page.goto(root + STORY)
        _follow_unit_link(page)
        _check_page(page, root)
        page.close()


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_is_readable_with_javascript_off(browser, site_output: Path, name: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site_output / PAGE_TYPES[name]).as_uri())
    main = page.locator("main")
    assert main.is_visible()
    assert len(main.inner_text().strip()) > 10
    assert page.locator("main h1").first.is_visible()
    # The reading aids need the script: without it they must not show as dead buttons.
    assert page.locator(".a11y-tools").count() == 1
    assert not page.locator(".a11y-tools").is_visible()
    context.close()


def test_story_text_is_shown_with_javascript_off(browser, site_output: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((site_output / STORY).as_uri())
    assert "银洞湾" in page.locator("main").inner_text()
    assert page.locator(".prose p").first.is_visible()
    context.close()
