"""Regenerate the README's screenshots of the example site: ``make screenshots``.

Builds the example site into a temporary folder and saves the first screen of the home page, a story
and a unit page at phone (375 px) and desktop (1280 px) widths, plus a story with high contrast and
the largest text, and the search page with results, as PNG files in docs/screenshots/. Uses Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from tests.browser.checks import LARGEST_TEXT_STEP, reading_aids_script
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.pages import STORY, UNIT
from tests.conftest import ROOT

TARGET = ROOT / "docs" / "screenshots"
PAGES = {"home": "index.html", "story": STORY, "unit": UNIT}
SIZES = {375: 812, 1280: 800}


def main() -> int:
    """Build the example site and write the screenshots; return the exit code."""
    if not CHROMIUM.exists():
        print(f"需要 Debian 的 chromium（{CHROMIUM}）：apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    TARGET.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        out = Path(temp) / "output"
        build(BuildOptions(site_dir=ROOT, out_dir=out, progress=False, cache=False))
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        shots = [(name, path, width, 0, False) for name, path in PAGES.items() for width in SIZES]
        shots.append(("story", STORY, 375, LARGEST_TEXT_STEP, True))
        shots.append(("search", "search/index.html?q=%E7%B2%BD%E5%8F%B6", 1280, 0, False))  # 粽叶
        for name, path, width, step, high in shots:
            context = browser.new_context(viewport={"width": width, "height": SIZES[width]})
            if step or high:
                context.add_init_script(script=reading_aids_script(step, high))
            page = context.new_page()
            file, _, query = path.partition("?")
            page.goto((out / file).as_uri() + (f"?{query}" if query else ""))
            if name == "search":
                page.wait_for_selector("#search[data-state=done]")
            suffix = "-high-contrast-large" if step or high else ""
            target = TARGET / f"{name}-{width}{suffix}.png"
            page.screenshot(path=str(target))
            print(target.relative_to(ROOT))
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
