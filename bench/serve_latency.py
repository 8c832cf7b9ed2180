"""Latency from saving a story to the preview server serving the new page.

Runs ``dangjian serve`` as a real process on 127.0.0.1 and acts as a browser would:
it listens on the live-reload WebSocket, edits one story 20 times and, after each
save, times until the reload message has come and the story's page, fetched over
HTTP, shows the edit. Prints the median and the spread, on the example site and on
a generated site (5,000 stories by default); on the generated site also for edits
that change the story's date, which move it in every list (the update's full path).

    .venv/bin/python -m bench.serve_latency [--stories 5000] [--edits 20]

A benchmark, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tornado.websocket import websocket_connect

from bench.make_site import make_site
from tests.serving import ROOT, ServeProcess

TARGET_MS = 150
PROTOCOL = "http://livereload.com/protocols/official-7"


def _story(site: Path) -> tuple[Path, str]:
    """Pick a story that is not a bundle and return its file and URL."""
    for path in sorted((site / "content" / "posts").glob("*.md")):
        if path.stem.isascii():
            return path, f"/posts/{path.stem}/"
    raise SystemExit(f"no ASCII-named post in {site}")


def _edited(original: str, number: int, move: bool) -> tuple[str, str]:
    """The story with a marker line at the top of its body (and, to move it in every list, a new date)."""
    head, separator, body = original.partition("\n---\n")
    marker = f"延迟测量标记{number:03d}"
    if move:
        date = dt.date(2001, 1, 1) + dt.timedelta(days=37 * number)
        head = re.sub(r"^date: .*$", f"date: {date.isoformat()}", head, count=1, flags=re.MULTILINE)
    return marker, f"{head}{separator}{marker}\n\n{body}"


async def _measure(server: ServeProcess, path: Path, url: str, edits: int, move: bool) -> list[float]:
    """Edit like an author and wait like a browser: for livereload's reload message, then the page."""
    socket = await websocket_connect(f"ws://127.0.0.1:{server.port}/livereload")
    await socket.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    await socket.read_message()
    await socket.write_message(json.dumps({"command": "info", "url": server.url + url.lstrip("/"), "plugins": {}}))
    await asyncio.sleep(0.2)
    original = path.read_text(encoding="utf-8")
    timings = []
    for number in range(edits):
        marker, text = _edited(original, number, move)
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        while True:
            message = await asyncio.wait_for(socket.read_message(), timeout=30)
            if message is None:
                raise SystemExit("the server closed the live-reload connection")
            if json.loads(message).get("command") == "reload" and marker in server.text(url):
                break
        timings.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.3)
    socket.close()
    path.write_text(original, encoding="utf-8")
    return timings


def measure(site: Path, edits: int, move: bool = False) -> list[float]:
    """Edit a story ``edits`` times; return the milliseconds from each save to the new page being served.

    With ``move`` each edit also changes the story's date, so that it moves in every list it is in.
    """
    path, url = _story(site)
    server = ServeProcess(site)
    try:
        return asyncio.run(_measure(server, path, url, edits, move))
    finally:
        server.interrupt()
        server.close()


def _report(name: str, stories: int, timings: list[float]) -> str:
    median = statistics.median(timings)
    verdict = "met" if median <= TARGET_MS else "NOT met"
    return (f"| {name} | {stories} | {median:.0f} | {min(timings):.0f} | {max(timings):.0f} | "
            f"{len(timings)} | {verdict} |")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000, help="size of the generated site")
    parser.add_argument("--edits", type=int, default=20, help="edits per site")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="dangjian-bench-") as temp:
        example = Path(temp) / "example"
        shutil.copytree(ROOT / "content", example / "content")
        shutil.copy(ROOT / "site.yaml", example / "site.yaml")
        timings = measure(example, args.edits)
        stories = sum(len(list((example / "content" / kind).rglob("*.md"))) for kind in ("branches", "posts", "cases"))
        rows.append(_report("example site, text edit", stories, timings))
        print(rows[-1], flush=True)
        generated = Path(temp) / "generated"
        make_site(args.stories, generated)
        rows.append(_report("generated site, text edit", args.stories, measure(generated, args.edits)))
        print(rows[-1], flush=True)
        rows.append(_report("generated site, date edit (the story moves)", args.stories,
                            measure(generated, args.edits, move=True)))
        print(rows[-1], flush=True)
    print(f"\nEdit → served page latency, target ≤ {TARGET_MS} ms (median):\n")
    print("| site | stories | median ms | min ms | max ms | edits | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
