"""Headless Chromium for browser tests: Debian's /usr/bin/chromium, never a downloaded browser.

Where Chromium is missing the tests skip with a loud message, except in CI (CI=true),
where they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import in_ci

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _unavailable(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason}. Install Debian's chromium (apt-get install chromium)."
    if in_ci():
        pytest.fail(message)
    warnings.warn(message, stacklevel=2)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium shared by the session."""
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright is not installed")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Traffic:
    """What a page asked for, and which of those answers were errors (status 400 and above)."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def record_traffic(page: Any) -> Traffic:
    """Start noting every request of ``page`` and every failed response."""
    traffic = Traffic()
    page.on("request", lambda r: traffic.requests.append(r.url))
    page.on("response", lambda r: traffic.failed.append(r.url) if r.status >= 400 else None)
    return traffic


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def serve_under_subpath(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Serve a built site at http://127.0.0.1:PORT/dangjian/ and return its base URL."""
    root = tmp_path_factory.mktemp("www")

    def publish(site_output: Path) -> str:
        target = root / "dangjian"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(site_output, target)
        return f"http://127.0.0.1:{server.server_address[1]}/dangjian/"

    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield publish
    server.shutdown()
    server.server_close()
