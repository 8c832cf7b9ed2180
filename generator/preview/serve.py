"""``dangjian serve``: build into a preview folder, watch the sources, rebuild what changed, reload browsers.

Threads: the watcher reports changed paths; one rebuild thread applies them with
``Builder.update`` (never two builds at once; changes that arrive during a build
are applied right after it, so the last save always wins); the event loop in the
main thread serves pages and tells browsers to reload.
"""

from __future__ import annotations

import gc
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import tornado.ioloop

from generator.core.errors import Problem, SiteError, error, summary, without_infos
from generator.pipeline.builder import Builder
from generator.pipeline.options import BuildOptions
from generator.pipeline.state import BuildState
from generator.preview.ports import StartError, open_port, url_for
from generator.preview.server import PreviewState, make_app, reload_browsers, serve_on
from generator.preview.watch import Watcher
from generator.render.write import discard_folder


@dataclass(frozen=True)
class ServeOptions:
    """What the user asked of the preview server."""

    build: BuildOptions
    host: str = "127.0.0.1"
    port: int | None = None
    """None: 8000, or the next free port when 8000 is taken; a number: exactly that port."""
    open_browser: bool = False


Report = Callable[[str], None]


class Rebuilder:
    """Applies batches of changed paths one build at a time, from its own thread."""

    def __init__(self, builder: Builder, state: PreviewState, after: Callable[[], None], report: Report) -> None:
        self.builder = builder
        self.state = state
        self.after = after
        self.report = report
        self._pending: set[Path] = set()
        self._condition = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="dangjian-rebuild", daemon=True)
        self.builds = 0

    def start(self) -> None:
        """Start the rebuild thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop after the build under way, if any."""
        with self._condition:
            self._stopping = True
            self._condition.notify()
        if self._thread.ident is not None:  # not yet started on Ctrl-C during the first build
            self._thread.join(timeout=1)

    def notify(self, paths: set[Path]) -> None:
        """Queue changed paths (called by the watcher)."""
        with self._condition:
            self._pending |= paths
            self._condition.notify()

    def rebuild(self, changed: set[Path]) -> None:
        """Update the preview folder for these changes and publish the outcome."""
        content = self.builder.options.site_dir.resolve() / "content"
        rels = [p.resolve().relative_to(content).as_posix() for p in changed if p.resolve().is_relative_to(content)]
        started = time.perf_counter()
        try:
            result = self.builder.update(self.state.root, rels)
        except SiteError as exc:
            self._failed(exc.problems)
        except Exception as exc:
            # A file vanishing mid-update, a bug of ours: show it, and start afresh on the next save.
            self.builder.state = BuildState()
            self._failed([error("(dangjian)", 0, f"预览更新时出错：{type(exc).__name__}: {exc}",
                                "保存任一文件重试；如反复出现，请把这段信息发给技术人员")])
        else:
            warnings = tuple(without_infos(result.warnings))
            self.state.problems, self.state.warnings = (), warnings
            for warning in warnings:
                self.report(warning.format())
            elapsed = (time.perf_counter() - started) * 1000
            self.report(f"已更新：重新生成 {result.rendered} 个页面，写入 {result.files} 个文件（{elapsed:.0f} 毫秒）")
        self.builds += 1
        # The graph's tables hold hundreds of thousands of long-lived objects; freezing them keeps
        # the cyclic garbage collector from walking them all during the next update.
        gc.freeze()
        self.after()

    def _failed(self, problems: Sequence[Problem]) -> None:
        self.state.problems, self.state.warnings = problems, ()
        self.report("\n".join(p.format() for p in problems))
        self.report(summary(problems, "构建失败", "浏览器中显示错误，改正后自动恢复。"))

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._pending and not self._stopping:
                    self._condition.wait()
                if self._stopping:
                    return
                changed, self._pending = self._pending, set()
            self.rebuild(changed)


def serve(options: ServeOptions, report: Report = print, fail: Report = print) -> int:
    """Run the preview server until Ctrl-C; return the exit code (1 when it cannot listen)."""
    try:
        sockets, port, moved = open_port(options.host, options.port)
    except StartError as exc:
        fail(f"error: {exc}")
        return 1
    if moved:
        report(moved)
    root = Path(tempfile.mkdtemp(prefix="dangjian-preview-"))
    state = PreviewState(root)
    builder = Builder(options.build)
    loop = tornado.ioloop.IOLoop.current()
    rebuilder = Rebuilder(builder, state, lambda: loop.add_callback(reload_browsers), report)
    watcher = Watcher(options.build.site_dir, rebuilder.notify)
    try:
        # Watch first: a save during the first build is then applied right after it.
        watcher.start()
        rebuilder.rebuild(set())
        serve_on(make_app(state), sockets)
        rebuilder.start()
        url = url_for(options.host, port)
        report(f"预览地址：{url}  （保存文件后页面自动刷新；按 Ctrl-C 停止）")
        if options.open_browser:
            # webbrowser waits for some browsers' launchers to exit: not on the server's thread.
            threading.Thread(target=_open_browser, args=(url, report), name="dangjian-browser", daemon=True).start()
        loop.start()
    except KeyboardInterrupt:
        pass  # Ctrl-C is how the user stops the preview, at any moment
    finally:
        watcher.stop()
        rebuilder.stop()
        discard_folder(root)
        report("预览已停止。")
    return 0


def _open_browser(url: str, report: Report) -> None:
    if not webbrowser.open(url):
        report(f"未能打开浏览器，请自己在浏览器中打开 {url}")
