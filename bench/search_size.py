"""Search: index size, bytes a browser loads per query, and recall, beside Pagefind on the same site.

    .venv/bin/pip install 'pagefind[extended]'     # once; the binary comes inside the wheel
    .venv/bin/python -m bench.search_size [--stories 10000] [--write bench/RESULTS.md]

Generates (or reuses) a site of N stories with ``bench/make_site.py`` under
/tmp/dangjian-bench/search-<N>/, builds it with dangjian, and indexes a copy of the
output with Pagefind (story pages only: ``data-pagefind-body`` is added to their
article; default Pagefind UI on a page of its own). Both are served by one HTTP
server on 127.0.0.1 and driven in headless Chromium (/usr/bin/chromium):

- bytes: each of 20 typical queries runs in a fresh browser context (empty cache):
  open the search page, run the query (dangjian: ``?q=`` in the address; Pagefind:
  typed into its box), wait until the results are shown and the network is idle,
  and add up the body sizes of every response. "page" is the search page alone.
- recall: 50 substrings of 2–6 Han characters, each cut at random (seeded) from the
  body of a random story; a query counts as found when that story is among all the
  results (dangjian: ``dangjianSearch.query``; Pagefind: ``pagefind.search`` and the
  URLs of its results).

Prints a Markdown table; with --write, puts it into that file between the markers
``<!-- search-size -->`` and ``<!-- /search-size -->`` (appended when missing), leaving
the rest of the file alone. A benchmark: it asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import http.server
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench.make_site import make_site

ROOT = Path(os.environ.get("DANGJIAN_BENCH_ROOT", "/tmp/dangjian-bench"))
REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MARK_START, MARK_END = "<!-- search-size -->", "<!-- /search-size -->"
HAN_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{2,}")

# What readers of such a site look for: villages, units, projects, programmes; two of them
# two words (AND), one a number.
QUERIES = (
    "粽叶", "银洞湾", "上门年检", "坡脚村", "孔索村", "纳安村", "甘蔗", "财政局", "国库集中支付", "示范岗",
    "抗旱", "找水", "修路", "三会一课", "四帮四促", "党员 示范岗", "银洞湾 修路", "2013", "创业登记", "办税服务厅",
)
RECALL_QUERIES = 50

PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Pagefind</title>
<link href="pagefind/pagefind-ui.css" rel="stylesheet"><script src="pagefind/pagefind-ui.js"></script></head>
<body><div id="search"></div>
<script>window.addEventListener("DOMContentLoaded", function () {
  new PagefindUI({element: "#search", showSubResults: false, showImages: false});
});</script></body></html>
"""


@dataclass
class Engine:
    """One search engine's numbers."""

    name: str
    files: int
    index_bytes: int
    index_seconds: float
    page_bytes: int = 0
    query_bytes: tuple[int, ...] = ()
    """Bytes of page + query, each in a fresh context."""
    found: int = 0
    recall_total: int = 0


def _site(stories: int) -> Path:
    site = ROOT / f"search-{stories}" / "site"
    stamp = site / ".made"
    wanted = f"{stories} {(REPO / 'bench' / 'make_site.py').stat().st_mtime_ns}"
    if not stamp.is_file() or stamp.read_text() != wanted:
        print(f"writing a {stories}-story site to {site} …", flush=True)
        make_site(stories, site, force=True)
        stamp.write_text(wanted)
    return site


def _folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def _build_dangjian(site: Path, out: Path) -> Engine:
    started = time.perf_counter()
    subprocess.run([str(REPO / ".venv" / "bin" / "dangjian"), "build", "--site", str(site), "--out", str(out),
                    "--no-cache"], check=True, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    files, size = _folder_size(out / "search")
    script = out / "static" / "js" / "search.js"
    return Engine("dangjian", files + 1, size + script.stat().st_size, seconds)


def _build_pagefind(built: Path, copy: Path) -> Engine:
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("search"))
    for folder in ("branches", "posts", "cases"):
        for page in (copy / folder).glob("*/index.html"):
            text = page.read_text(encoding="utf-8")
            page.write_text(text.replace('<article class="story">', '<article class="story" data-pagefind-body>', 1),
                            encoding="utf-8")
    (copy / "pagefind.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--keep-index-url", "--quiet"],
                   check=True)
    seconds = time.perf_counter() - started
    files, size = _folder_size(copy / "pagefind")
    return Engine("Pagefind", files, size, seconds)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serve(root: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _bytes_loaded(browser: Any, base: str, visit: Callable[[Any], None]) -> int:
    """Open a fresh context, let ``visit`` drive a page, and add up every response body."""
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r))
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    visit(page)
    page.wait_for_load_state("networkidle")
    total = sum(len(r.body()) for r in responses if r.status < 300)
    context.close()
    if outside:
        raise SystemExit(f"requests left {base}: {outside[:3]}")
    return total


def _dangjian_visit(base: str, query: str | None) -> Callable[[Any], None]:
    def visit(page: Any) -> None:
        page.goto(base + "search/index.html" + (f"?q={quote(query)}" if query else ""))
        page.wait_for_selector("#search[data-state=done]")
    return visit


def _pagefind_visit(base: str, query: str | None) -> Callable[[Any], None]:
    def visit(page: Any) -> None:
        page.goto(base + "pagefind.html")
        page.wait_for_selector(".pagefind-ui__search-input")
        if query:
            page.fill(".pagefind-ui__search-input", query)
            page.wait_for_selector(".pagefind-ui__message", timeout=60_000)
            page.wait_for_function("!document.querySelector('.pagefind-ui__result .pagefind-ui__loading')"
                                   " && !document.querySelector('.pagefind-ui__loading')", timeout=60_000)
    return visit


def _recall_queries(site: Path, count: int) -> list[tuple[str, str]]:
    """(query, story URL) pairs: substrings of 2–6 Han characters cut from random story bodies."""
    rng = random.Random(2026)
    sources = sorted(p for folder in ("branches", "posts", "cases") for p in (site / "content" / folder).rglob("*.md"))
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        path = rng.choice(sources)
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        runs = [run for line in body.splitlines() for run in HAN_RUN.findall(line)]
        run = rng.choice(runs)
        size = min(len(run), rng.randint(2, 6))
        start = rng.randint(0, len(run) - size)
        folder = path.parent.relative_to(site / "content").parts[0]
        slug = path.stem if path.name != "index.md" else path.parent.name
        pairs.append((run[start : start + size], f"{folder}/{slug}/index.html"))
    return pairs


def _dangjian_ids(out: Path) -> dict[str, int]:
    """Story URL → id, read from the story files."""
    ids = {}
    for path in (out / "search" / "d").glob("*.js"):
        data = json.loads(path.read_text(encoding="utf-8").split(",", 1)[1].rsplit(");", 1)[0])
        ids[data["u"].removeprefix("../")] = int(path.stem)
    return ids


PAGEFIND_RECALL = """async ([query, target]) => {
  const pagefind = await import("./pagefind/pagefind.js");
  const search = await pagefind.search(query);
  const results = search.results;
  for (let i = 0; i < results.length; i += 100) {
    const data = await Promise.all(results.slice(i, i + 100).map(r => r.data()));
    if (data.some(d => d.url.endsWith(target))) return [true, results.length];
  }
  return [false, results.length];
}"""


def _recall(browser: Any, base: str, engine: Engine, pairs: list[tuple[str, str]], out: Path) -> list[str]:
    page = browser.new_page()
    missed = []
    if engine.name == "dangjian":
        ids = _dangjian_ids(out)
        page.goto(base + "search/index.html")
        for query, url in pairs:
            found = page.evaluate("q => dangjianSearch.query(q)", query)
            if ids[url] in found:
                engine.found += 1
            else:
                missed.append(query)
    else:
        page.goto(base + "pagefind.html")
        for query, url in pairs:
            found, _ = page.evaluate(PAGEFIND_RECALL, [query, url])
            if found:
                engine.found += 1
            else:
                missed.append(query)
    engine.recall_total = len(pairs)
    page.close()
    return missed


def _kb(value: float) -> str:
    return f"{value / 1024:,.1f}"


def report(stories: int, engines: list[Engine], missed: dict[str, list[str]]) -> str:
    """The Markdown section for RESULTS.md."""
    when = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        MARK_START,
        "## Search: index size, bytes per query, recall (dangjian beside Pagefind)",
        "",
        f"Measured by `python -m bench.search_size --stories {stories}` on {when}: a generated site of "
        f"{stories:,} stories (`bench/make_site.py`), served over HTTP on 127.0.0.1, driven in headless Chromium. "
        "Bytes are response bodies as served (no compression, as a plain intranet server sends them; Pagefind's "
        "files are gzip inside). Each query runs in a fresh browser context: the search page, then the query, until "
        f"the results are shown (dangjian shows 10, Pagefind's default UI 5). Queries: {', '.join(QUERIES)}. "
        f"Recall: {RECALL_QUERIES} substrings of 2–6 Han characters cut at random (seeded) from story bodies; found = "
        "the story is among all results.",
        "",
        "| engine | index files | index KB | index build s | page KB | page + query KB, median | max | "
        "query alone KB, median | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for e in engines:
        median = statistics.median(e.query_bytes)
        lines.append(f"| {e.name} | {e.files:,} | {_kb(e.index_bytes)} | {e.index_seconds:.1f} | {_kb(e.page_bytes)} | "
                     f"{_kb(median)} | {_kb(max(e.query_bytes))} | {_kb(median - e.page_bytes)} | "
                     f"{e.found}/{e.recall_total} = {100 * e.found / max(1, e.recall_total):.0f} % |")
    lines.append("")
    lines.append("Index build: dangjian's whole `build --no-cache` of the site (pages and search data); Pagefind's "
                 "indexing of the built pages alone.")
    for name, queries in missed.items():
        if queries:
            lines.append(f"{name} missed: {', '.join(queries)}.")
    first, second = engines
    ratio = statistics.median(first.query_bytes) / statistics.median(second.query_bytes)
    lines += ["", f"Target (issue #6): median bytes per query ≤ Pagefind's — dangjian/Pagefind = {ratio:.2f}: "
              f"**{'met' if ratio <= 1 else 'NOT met'}**; recall 100 %: "
              f"**{'met' if first.found == first.recall_total else 'NOT met'}**.", MARK_END]
    return "\n".join(lines)


def _write(path: Path, section: str) -> None:
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if MARK_START in text and MARK_END in text:
        before, rest = text.split(MARK_START, 1)
        text = before + section + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print (and optionally write) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000, help="size of the generated site")
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file (bench/RESULTS.md)")
    args = parser.parse_args(argv)
    try:
        import pagefind  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise SystemExit(f"{exc}: install with .venv/bin/pip install 'pagefind[extended]' playwright") from exc
    site = _site(args.stories)
    work = ROOT / f"search-{args.stories}"
    served = work / "www"
    shutil.rmtree(served, ignore_errors=True)
    served.mkdir()
    print("building with dangjian …", flush=True)
    dangjian = _build_dangjian(site, served / "dangjian")
    print(f"  {dangjian.index_seconds:.1f} s; indexing with Pagefind …", flush=True)
    pagefind_engine = _build_pagefind(served / "dangjian", served / "pagefind")
    print(f"  {pagefind_engine.index_seconds:.1f} s", flush=True)
    pairs = _recall_queries(site, RECALL_QUERIES)
    missed: dict[str, list[str]] = {}
    with _serve(served) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for engine, base, visit in ((dangjian, root + "dangjian/", _dangjian_visit),
                                    (pagefind_engine, root + "pagefind/", _pagefind_visit)):
            engine.page_bytes = _bytes_loaded(browser, base, visit(base, None))
            engine.query_bytes = tuple(_bytes_loaded(browser, base, visit(base, q)) for q in QUERIES)
            print(f"  {engine.name}: page {_kb(engine.page_bytes)} KB, page + query median "
                  f"{_kb(statistics.median(engine.query_bytes))} KB", flush=True)
            missed[engine.name] = _recall(browser, base, engine, pairs, served / "dangjian")
            print(f"  {engine.name}: recall {engine.found}/{engine.recall_total}", flush=True)
        browser.close()
    section = report(args.stories, [dangjian, pagefind_engine], missed)
    print(section)
    if args.write:
        _write(args.write, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
