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
# How often, with no events, to look whether a watched folder (themes/) has appeared.
RECHECK_S = 0.1


def watched_paths(site_dir: Path) -> list[Path]:
    """Return what a site's build reads: content/, themes/ and site.yaml (those that exist)."""
    candidates = [site_dir / "content", site_dir / "themes", site_dir / "site.yaml"]
    return [path for path in candidates if path.exists()]


class Watcher:
    """Calls ``on_change`` with the set of changed paths, from its own thread, until stopped.

    Watches what ``watched_paths`` finds in the site folder, and watches anew when that changes:
    a ``themes/`` folder made after the preview started is then seen like the others.
    """

    def __init__(self, site_dir: Path, on_change: Callable[[set[Path]], None]) -> None:
        self.site_dir = site_dir
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
        while not self._stop.is_set():
            paths = watched_paths(self.site_dir)
            if not paths:
                self._ready.set()
                self._stop.wait(RECHECK_S)
                continue
            changes = watchfiles.watch(*paths, step=STEP_MS, debounce=DEBOUNCE_MS, stop_event=self._stop,
                                       yield_on_timeout=True, rust_timeout=int(RECHECK_S * 1000),
                                       raise_interrupt=False)
            for batch in changes:
                self._ready.set()
                if batch:
                    self.on_change({Path(path) for _, path in batch})
                now = watched_paths(self.site_dir)
                if now != paths:
                    # A watched folder appeared or went away: report it, and watch the new set.
                    self.on_change(set(now) ^ set(paths))
                    break
