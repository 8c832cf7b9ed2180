"""A preview build (``dangjian build --preview``) of a site under review: every page says it is a preview,
each story not yet approved says so, all of it passes the same HTML and WCAG checks as the published
site, and the published build shows none of it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from generator.reviewing import approve
from tests.browser.checks import LARGEST_TEXT_STEP, axe_violations, reading_aids_script, require_checkers, vnu_errors
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

LEVELS = ("初审", "复审", "终审")
PENDING = "content/cases/yindongwan-road/index.md"
"""Approved at the first level only: 未审核（待复审）."""
EDITED = "content/posts/gongshangju-dengji-chuangkou.md"
"""Approved at every level, then changed: 改后待复核."""
PAGES = {
    "home": "index.html",
    "story awaiting review": "cases/yindongwan-road/index.html",
    "story changed after approval": "posts/gongshangju-dengji-chuangkou/index.html",
    "approved story": "branches/xianwei-zhishu-zhibu/index.html",
    "cases list": "cases/index.html",
    "404": "404.html",
}
STATES = {"default": (0, False), "high contrast": (0, True), "largest text": (LARGEST_TEXT_STEP, False)}


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example site under review, built as a preview and as the published site."""
    site = tmp_path_factory.mktemp("review") / "site"
    shutil.copytree(ROOT / "content", site / "content")
    text = (ROOT / "site.yaml").read_text(encoding="utf-8")
    (site / "site.yaml").write_text(text + "review_levels: [初审, 复审, 终审]\n", encoding="utf-8")
    stories = sorted(p for folder in ("branches", "posts", "cases") for p in (site / "content" / folder).rglob("*.md"))
    day = dt.date(2026, 12, 1)
    for level in LEVELS:
        approve(site, [p for p in stories if level == "初审" or p != site / PENDING], level, "张三", day)
    edited = site / EDITED
    edited.write_text(edited.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
    preview, published = site.parent / "preview", site.parent / "published"
    build(BuildOptions(site_dir=site, out_dir=preview, progress=False, cache=False, preview=True))
    build(BuildOptions(site_dir=site, out_dir=published, progress=False, cache=False))
    return preview, published


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def _open(path: Path, step: int = 0, high_contrast: bool = False) -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        if step or high_contrast:
            context.add_init_script(script=reading_aids_script(step, high_contrast))
        page = context.new_page()
        page.goto(path.as_uri())
        return page

    yield _open
    for context in contexts:
        context.close()


def test_every_preview_page_shows_the_preview_banner_and_asks_not_to_be_indexed(builds: tuple[Path, Path],
                                                                                  open_page: Any) -> None:
    preview, _ = builds
    for path in sorted(preview.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html and 'class="preview-banner"' in html, path
    page = open_page(preview / PAGES["home"])
    banner = page.locator(".preview-banner")
    assert banner.is_visible() and "预览版" in banner.inner_text()
    assert page.locator(".tag-review").first.is_visible()


def test_each_story_not_yet_approved_shows_where_it_stands(builds: tuple[Path, Path], open_page: Any) -> None:
    preview, _ = builds
    waiting = open_page(preview / PAGES["story awaiting review"]).locator(".review-banner")
    assert waiting.is_visible() and waiting.inner_text() == "未审核（待复审）"
    edited = open_page(preview / PAGES["story changed after approval"]).locator(".review-banner")
    assert edited.is_visible() and edited.inner_text().startswith("改后待复核")
    assert open_page(preview / PAGES["approved story"]).locator(".review-banner").count() == 0


def test_the_published_build_has_no_preview_marks_and_leaves_unapproved_stories_out(builds: tuple[Path, Path],
                                                                                     open_page: Any) -> None:
    _, published = builds
    for path in sorted(published.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        assert "noindex" not in html and "preview-banner" not in html and "review-banner" not in html, path
    assert not (published / PAGES["story awaiting review"]).exists()
    assert not (published / PAGES["story changed after approval"]).exists()
    page = open_page(published / PAGES["home"])
    assert page.locator(".preview-banner, .tag-review").count() == 0


def test_preview_pages_are_valid_html(builds: tuple[Path, Path]) -> None:
    require_checkers()
    preview, _ = builds
    errors = vnu_errors([preview / path for path in PAGES.values()], [preview])
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", PAGES)
def test_preview_pages_have_no_wcag_violations(builds: tuple[Path, Path], open_page: Any, name: str,
                                               state: str) -> None:
    require_checkers()
    preview, _ = builds
    step, high = STATES[state]
    violations = axe_violations(open_page(preview / PAGES[name], step=step, high_contrast=high))
    assert violations == [], "\n".join(violations)
