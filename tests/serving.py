"""Run ``dangjian serve`` as a real process on 127.0.0.1 for tests and benchmarks."""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
URL_LINE = re.compile(r"预览地址：(http://127\.0\.0\.1:(\d+)/)")


class ServeProcess:
    """A ``dangjian serve`` child process with its output collected line by line."""

    def __init__(self, site: Path, *args: str, port: int | None = 0, env: dict[str, str] | None = None,
                 encoding: str = "utf-8") -> None:
        """Start serving ``site`` (on any free port unless ``port`` says otherwise; None: the default)."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        port_args = [] if port is None else ["--port", str(port)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--site", str(site), *port_args, *args],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding=encoding, env=env)
        self.lines: list[str] = []
        self._output = threading.Condition()  # notified at each new line and at the end of the output
        self._ended = False
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        match = self.wait_for_line(URL_LINE, timeout=60)
        self.url, self.port = match.group(1), int(match.group(2))

    def _read(self) -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                with self._output:
                    self.lines.append(line.rstrip("\n"))
                    self._output.notify_all()
        finally:
            with self._output:
                self._ended = True
                self._output.notify_all()

    def wait_for_line(self, pattern: re.Pattern[str], timeout: float = 30) -> re.Match[str]:
        """Wait until a line of output matches (woken by each new line, not by a clock)."""
        deadline = time.monotonic() + timeout
        seen = 0
        with self._output:
            while True:
                for line in self.lines[seen:]:
                    match = pattern.search(line)
                    if match:
                        return match
                seen = len(self.lines)
                remaining = deadline - time.monotonic()
                if self._ended or remaining <= 0:
                    break
                self._output.wait(remaining)
            raise AssertionError(f"no line matching {pattern.pattern!r}; output:\n" + "\n".join(self.lines))

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """Send a GET with the path exactly as given (no normalisation) and return the response."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def text(self, path: str) -> str:
        """Return the body of a page as text."""
        return self.get(path)[2].decode("utf-8")

    def wait_until(self, path: str, check: Callable[[int, str], bool], timeout: float = 30) -> tuple[int, str]:
        """Poll a page until ``check(status, text)`` holds; return the last response."""
        deadline = time.monotonic() + timeout
        status, text = 0, ""
        while time.monotonic() < deadline:
            status, _, body = self.get(path)
            text = body.decode("utf-8", "replace")
            if check(status, text):
                return status, text
            time.sleep(0.02)
        raise AssertionError(f"{path} never satisfied the check; last status {status}; output:\n"
                             + "\n".join(self.lines[-20:]))

    def interrupt(self, timeout: float = 30) -> int:
        """Send Ctrl-C, wait for the process to exit and for all its output; return the exit code."""
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        assert not self._reader.is_alive(), "the output did not end after the process exited"
        return code

    def close(self) -> None:
        """Stop the process if it still runs."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
