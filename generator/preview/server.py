"""The preview web server: the built site from a folder, live reload, and build errors in the browser.

Only ``serve`` uses this module; it knows nothing about building. The browser side
of live reload (script, WebSocket protocol, script injection) is the livereload
package's; we decide when browsers reload.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import socket
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector

from generator.core.errors import Problem

# Served with "; charset=utf-8" so that Chinese text is never guessed wrongly.
TEXT_TYPES = {"application/javascript", "application/json", "application/xml", "application/atom+xml",
              "image/svg+xml", "text/javascript"}
LIVE_SCRIPT = (
    '<script>(function(){var s=document.createElement("script");var port=window.location.port||80;'
    's.src="//"+window.location.hostname+":"+port+"/livereload.js?port="+port;'
    "document.head.appendChild(s);})();</script>"
)


@dataclass
class PreviewState:
    """What the server shows: the folder of the last good build, or the problems of a failed one."""

    root: Path
    problems: Sequence[Problem] = field(default_factory=tuple)
    warnings: Sequence[Problem] = field(default_factory=tuple)
    """The last good build's warnings: shown in a panel on every page (not in the built files)."""


def _items(problems: Sequence[Problem]) -> str:
    return "\n".join(
        f'<li><code>{html.escape(p.path)}{":" + str(p.line) if p.line else ""}</code> '
        f'<strong>{html.escape(p.severity.value)}</strong>: {html.escape(p.message)}'
        + (f'<br><span class="hint">{html.escape(p.hint)}</span>' if p.hint else "")
        + "</li>"
        for p in problems
    )


def warnings_panel(warnings: Sequence[Problem]) -> str:
    """The warnings of the last build as a panel in a page's corner, closed until clicked (preview only)."""
    # Inline styles only: the panel must look the same on any theme and change nothing of the page's own.
    box = ("position:fixed;right:1rem;bottom:1rem;z-index:2147483647;max-width:min(40rem,calc(100vw - 2rem));"
           "max-height:70vh;overflow:auto;background:#fffbe6;color:#1f1f1f;border:2px solid #8a5a00;"
           "border-radius:4px;padding:0.5rem 1rem;font:1rem/1.5 system-ui,'Microsoft YaHei',sans-serif;"
           "box-shadow:0 2px 8px rgba(0,0,0,.3)")
    return (f'<aside id="dangjian-warnings" style="{box}" aria-label="检查警告"><details>'
            f'<summary style="cursor:pointer;font-weight:bold;color:#6b4500">检查发现 {len(warnings)} 个警告'
            f"（不影响生成，建议改正）</summary>"
            f'<ol style="padding-left:1.5rem;margin:0.5rem 0">{_items(warnings)}</ol></details></aside>')


def with_panel(page: bytes, warnings: Sequence[Problem]) -> bytes:
    """The page with the warnings panel put before its ``</body>`` (at its end when it has none)."""
    panel = warnings_panel(warnings).encode("utf-8")
    at = page.rfind(b"</body>")
    return page[:at] + panel + page[at:] if at >= 0 else page + panel


def error_page(problems: Sequence[Problem]) -> str:
    """Render build problems as a self-contained HTML page."""
    items = _items(problems)
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>构建出错 - dangjian</title>
<style>
body {{ font-family: system-ui, "Microsoft YaHei", sans-serif; margin: 0; background: #fff7f6; color: #1f1f1f; }}
main {{ max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #b0120a; }}
li {{ margin: 0 0 1rem; padding: 0.75rem 1rem; background: #fff; border-left: 4px solid #b0120a; }}
code {{ font-size: 1rem; }}
.hint {{ color: #595959; }}
</style>
</head>
<body>
<main>
<h1>构建出错，网站尚未更新</h1>
<p>改正下列问题并保存，页面会自动刷新。</p>
<ol class="problems">
{items}
</ol>
</main>
</body>
</html>
"""


class SiteFileHandler(tornado.web.StaticFileHandler):
    """Serves files of the preview folder only, with UTF-8 text types and the site's 404 page."""

    state: PreviewState

    def initialize(self, path: str, default_filename: str | None = None, state: Any = None) -> None:
        super().initialize(path, default_filename)
        self.state = state
        self._data: bytes | None = None

    def _snapshot(self) -> bytes:
        # Read once per request: a rebuild rewrites pages while they are served, and a length taken
        # from one version with the bytes of another made tornado drop the connection unanswered.
        if self._data is None:
            assert self.absolute_path is not None
            self._data = Path(self.absolute_path).read_bytes()
            warnings = self.state.warnings  # read once: the rebuild thread replaces it
            if warnings and self.absolute_path.endswith(".html"):
                self._data = with_panel(self._data, warnings)
        return self._data

    def get_content_size(self) -> int:
        return len(self._snapshot())

    def get_content(self, abspath: str, start: int | None = None,  # type: ignore[override]
                    end: int | None = None) -> Iterator[bytes]:
        yield self._snapshot()[start:end]

    def compute_etag(self) -> str | None:
        return None  # the base class's tag reads the file again; pages are never cached here anyway

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def should_return_304(self) -> bool:
        return False  # a reload must always fetch the newest page

    def get_content_type(self) -> str:
        guessed, _ = mimetypes.guess_type(self.absolute_path or "")
        content_type = guessed or "application/octet-stream"
        if content_type.startswith("text/") or content_type in TEXT_TYPES:
            return f"{content_type}; charset=utf-8"
        return content_type

    async def get(self, path: str, include_body: bool = True) -> None:
        """Serve a file, or the error page while the last build failed."""
        if self.state.problems and (path == "" or path.endswith(("/", ".html")) or "." not in path.rsplit("/")[-1]):
            self._send_html(500, error_page(self.state.problems))
            return
        await super().get(path, include_body)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Use the site's own 404 page, and plain words for other errors."""
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            self._send_html(404, not_found.read_text(encoding="utf-8"))
        else:
            self._send_html(status_code, f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                                         f"<title>{status_code}</title></head><body><h1>{status_code}</h1>"
                                         f"</body></html>")

    def _send_html(self, status: int, text: str) -> None:
        self.clear()
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(text.encode("utf-8"))


class _InjectLiveScript(LiveScriptInjector):  # type: ignore[misc]
    script = LIVE_SCRIPT.encode("utf-8")


def make_app(state: PreviewState) -> tornado.web.Application:
    """Create the web application: live reload endpoints, then the site's files."""
    # livereload keeps its state on the handler class; it logs through "livereload".
    LiveReloadHandler.watcher = SimpleNamespace(filepath=None)
    LiveReloadHandler.live_css = False
    logging.getLogger("livereload").setLevel(logging.WARNING)
    logging.getLogger("tornado.access").setLevel(logging.ERROR)
    handlers: list[Any] = [
        (r"/livereload", LiveReloadHandler),
        (r"/livereload.js", LiveReloadJSHandler),
        (r"/(.*)", SiteFileHandler, {"path": str(state.root), "default_filename": "index.html", "state": state}),
    ]
    return tornado.web.Application(handlers, transforms=[_InjectLiveScript])


def listen(app: tornado.web.Application, host: str, port: int) -> tuple[tornado.httpserver.HTTPServer, int]:
    """Bind the server to host:port (0 picks a free port) and return it with the port bound."""
    sockets = tornado.netutil.bind_sockets(port, host)
    return serve_on(app, sockets), sockets[0].getsockname()[1]


def serve_on(app: tornado.web.Application, sockets: Sequence[socket.socket]) -> tornado.httpserver.HTTPServer:
    """Serve the application on sockets already bound and listening (from the current event loop)."""
    server = tornado.httpserver.HTTPServer(app)
    server.add_sockets(sockets)
    return server


def reload_browsers() -> None:
    """Tell every connected browser to reload (call on the server's event loop)."""
    LiveReloadHandler.reload_waiters(path="*")
