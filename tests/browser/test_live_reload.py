"""An open page reloads by itself when its story is saved (dangjian serve + livereload in Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serving import ServeProcess

pytestmark = pytest.mark.browser
STORY = "content/posts/国库支付示范岗.md"


def _wait_for_live_reload(page) -> None:
    """Wait until the page's livereload client has finished its handshake with the server."""
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                           "window.LiveReload.connector.protocol >= 7", timeout=10_000)
    page.wait_for_timeout(300)  # the client registers with an "info" message right after the handshake


def test_open_page_reloads_after_its_story_is_edited(browser, server: ServeProcess, fixture_site: Path) -> None:
    page = browser.new_page()
    page.goto(server.url + "posts/guo-ku-zhi-fu-shi-fan-gang/")
    _wait_for_live_reload(page)
    page.evaluate("window.__beforeEdit = true")
    path = fixture_site / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("首问负责制", "首问负责制（浏览器自动刷新）"),
                    encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('浏览器自动刷新')", timeout=15_000)
    # A fresh document: the page reloaded itself, nobody called reload().
    assert page.evaluate("window.__beforeEdit === undefined")
    page.close()


def test_open_page_shows_the_error_and_recovers_by_itself(browser, server: ServeProcess, fixture_site: Path) -> None:
    page = browser.new_page()
    page.goto(server.url + "posts/guo-ku-zhi-fu-shi-fan-gang/")
    _wait_for_live_reload(page)
    path = fixture_site / STORY
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("date: 2011-03-01", "date: 2011-02-30"), encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('国库支付示范岗.md:3')", timeout=15_000)
    path.write_text(text, encoding="utf-8")
    page.wait_for_function("() => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText === '国库支付示范岗'", timeout=15_000)
    page.close()
