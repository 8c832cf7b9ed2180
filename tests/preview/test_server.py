"""The preview web server in this process, for what a real serve process cannot show on demand."""

from __future__ import annotations

import asyncio
import http.client
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from generator.core.errors import warning
from generator.preview.server import PreviewState, SiteFileHandler, listen, make_app


@contextmanager
def serving(root: Path, state: PreviewState | None = None) -> Iterator[int]:
    """Serve ``root`` (with ``state``, if given) on 127.0.0.1 from a thread of its own; yield the port."""
    loop = asyncio.new_event_loop()
    ports: list[int] = []
    ready = threading.Event()

    async def start() -> None:
        _, port = listen(make_app(state or PreviewState(root)), "127.0.0.1", 0)
        ports.append(port)
        ready.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert ready.wait(10), "the server did not start"
    try:
        yield ports[0]
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def test_a_page_rewritten_while_it_is_served_is_served_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    page = tmp_path / "index.html"
    page.write_text("<html><head></head><body><p>旧的一段</p></body></html>\n", encoding="utf-8")
    real = SiteFileHandler.get_content_size

    def rewritten_meanwhile(self: SiteFileHandler) -> int:
        size = real(self)
        # A rebuild lands between the length and the bytes of a response (it happened in test_serve).
        page.write_text("<html><head></head><body><p>新的一段，比原来长得多的一段文字</p></body></html>\n",
                        encoding="utf-8")
        return size

    monkeypatch.setattr(SiteFileHandler, "get_content_size", rewritten_meanwhile)
    with serving(tmp_path) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        response = connection.getresponse()
        status, body = response.status, response.read().decode("utf-8")
        connection.close()
    assert status == 200
    assert "<p>旧的一段</p>" in body and "livereload.js" in body, "one version, whole, with the reload script"


def _get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    assert response.status == 200
    return response.read()


def test_the_last_builds_warnings_are_shown_in_a_panel_on_every_page(tmp_path: Path):
    (tmp_path / "index.html").write_text("<html><head></head><body><p>首页</p></body></html>\n", encoding="utf-8")
    (tmp_path / "site.css").write_text("body { color: red; }\n", encoding="utf-8")
    state = PreviewState(tmp_path)
    with serving(tmp_path, state) as port:
        assert b"dangjian-warnings" not in _get(port, "/")
        state.warnings = (warning("content/posts/a.md", 3, "日期 2999-01-01 晚于今天<未来>", "检查年份"),)
        page = _get(port, "/").decode("utf-8")
        assert page.index('<aside id="dangjian-warnings"') < page.index("</body>")
        assert "检查发现 1 个警告" in page and "content/posts/a.md:3" in page
        assert "晚于今天&lt;未来&gt;" in page and "检查年份" in page
        assert _get(port, "/site.css") == b"body { color: red; }\n"
    # Only what is served: the built page itself is as the build wrote it.
    assert b"dangjian-warnings" not in (tmp_path / "index.html").read_bytes()
