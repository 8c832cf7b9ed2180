"""A progress bar on stderr that appears only when a build takes longer than a second."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts steps and draws a bar once ``delay`` seconds have passed, on a terminal only."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, delay: float = 1.0,
                 enabled: bool | None = None) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.delay = delay
        self.done = 0
        self.shown = False
        self._last_draw = 0.0

    def advance(self, steps: int = 1) -> None:
        """Count finished steps and redraw at most ten times a second."""
        self.done += steps
        now = time.monotonic()
        if self.enabled and now - self.start >= self.delay and now - self._last_draw >= 0.1:
            self._last_draw = now
            self._draw()

    def _draw(self) -> None:
        width = 30
        filled = width * min(self.done, self.total) // self.total
        percent = 100 * min(self.done, self.total) // self.total
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {percent:3d}% "
                          f"{self.done}/{self.total}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Finish the bar's line if one was drawn."""
        if self.shown:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
