"""An open page reloads by itself when its story is saved (dangjian serve + livereload in Chromium)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.serving import ServeProcess

pytestmark = pytest.mark.browser
STORY = "content/posts/国库支付示范岗.md"


def _wait_for_live_reload(page) -> None:
    """Wait until the server counts the page among the browsers it tells to reload.

    The client says "hello", the server answers, the client sends "info" (in the same task as it takes the
    answer), and only on "info" does the server add it to the browsers it reloads. The server handles a
    connection's messages in order, so once it has answered one more "hello" sent now, the page is in.
    """
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector && "
                           "window.LiveReload.connector.protocol >= 7", timeout=30_000)
    page.evaluate("""() => {
        const socket = window.LiveReload.connector.socket;
        const onmessage = socket.onmessage;
        socket.onmessage = event => {
            if (JSON.parse(event.data).command !== "hello") return onmessage.call(socket, event);
            socket.onmessage = onmessage;  // the client itself never sees this answer
            window.__liveReloadRegistered = true;
        };
        socket.send(JSON.stringify({command: "hello", protocols: ["http://livereload.com/protocols/official-7"]}));
    }""")
    page.wait_for_function("() => window.__liveReloadRegistered === true", timeout=30_000)


def test_open_page_reloads_after_its_story_is_edited(browser, server: ServeProcess, fixture_site: Path) -> None:
    page = browser.new_page()
    page.goto(server.url + "posts/guo-ku-zhi-fu-shi-fan-gang/")
    _wait_for_live_reload(page)
    page.evaluate("window.__beforeEdit = true")
    path = fixture_site / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("首问负责制", "首问负责制（浏览器自动刷新）"),
                    encoding="utf-8")
    page.wait_for_function("() => document.body.innerText.includes('浏览器自动刷新')", timeout=30_000)
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
    page.wait_for_function("() => document.body.innerText.includes('国库支付示范岗.md:3')", timeout=30_000)
    _wait_for_live_reload(page)  # the error page is a new document with a client of its own
    path.write_text(text, encoding="utf-8")
    page.wait_for_function("() => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText === '国库支付示范岗'", timeout=30_000)
    page.close()
