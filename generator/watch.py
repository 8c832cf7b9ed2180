"""Watch the site's sources and report changed paths from a background thread.

livereload 2.7 polls every 800 ms and drops saves made within seconds of a reload
(lepture/python-livereload#161), so changes come from watchfiles (inotify on Linux)
instead, and livereload is only told when to reload the browsers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import watchfiles

# Group the events of one save (editors write, rename and touch) but wait no longer than this.
STEP_MS = 10
DEBOUNCE_MS = 200


def watched_paths(site_dir: Path) -> list[Path]:
    """Return what a site's build reads: content/, themes/ and site.yaml (those that exist)."""
    candidates = [site_dir / "content", site_dir / "themes", site_dir / "site.yaml"]
    return [path for path in candidates if path.exists()]


class Watcher:
    """Calls ``on_change`` with the set of changed paths, from its own thread, until stopped."""

    def __init__(self, paths: list[Path], on_change: Callable[[set[Path]], None]) -> None:
        self.paths = paths
        self.on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dangjian-watch", daemon=True)
        self._ready = threading.Event()

    def start(self) -> None:
        """Start watching; returns once the watches are in place."""
        self._thread.start()
        self._ready.wait(timeout=5)

    def stop(self) -> None:
        """Stop watching and wait briefly for the thread to end."""
        self._stop.set()
        self._thread.join(timeout=1)

    def _run(self) -> None:
        changes = watchfiles.watch(*self.paths, step=STEP_MS, debounce=DEBOUNCE_MS, stop_event=self._stop,
                                   yield_on_timeout=True, rust_timeout=100, raise_interrupt=False)
        for batch in changes:
            self._ready.set()
            if batch:
                self.on_change({Path(path) for _, path in batch})
