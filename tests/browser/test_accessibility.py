"""Every page type of the built example site is valid HTML, passes axe-core's WCAG 2.1 AA rules,
reflows on small phones and keeps a readable line length, in every state of the 适老化 controls."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline.builder import prepare
from generator.pipeline.options import BuildOptions
from generator.render.plans import PagePlan
from generator.render.urls import output_path
from tests.browser.checks import (
    LARGEST_TEXT_STEP,
    SIZE_KEY,
    axe_violations,
    horizontal_overflow,
    line_lengths,
    reading_aids_script,
    require_checkers,
    vnu_errors,
)
from tests.browser.pages import PAGE_TYPES
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

# Reading-aid states every page is checked in: (text size step, high contrast).
STATES = {
    "default": (0, False),
    "high contrast": (0, True),
    "largest text": (LARGEST_TEXT_STEP, False),
}
# WCAG 1.4.8 (AAA) asks for at most 40 CJK characters per line; 1.4.10 for no scrolling at 320 px.
MAX_LINE_EMS = 40
PHONE_WIDTHS = (320, 375)
# Body text whose line length matters: paragraphs, and list items and quotes holding text directly
# (a list item that wraps blocks is measured through them: its own box spans the nested blocks).
BODY_TEXT = "main p, main li:not(:has(p, ul, ol, div)), main blockquote:not(:has(p))"


def test_page_types_cover_every_template(example_output: Path, tmp_path: Path) -> None:
    """Each HTML template the example site renders is checked through at least one row of PAGE_TYPES."""
    plans = prepare(BuildOptions(site_dir=ROOT, out_dir=tmp_path / "out", progress=False, cache=False)).plans
    template_of = {output_path(plan.url): plan.template for plan in plans if isinstance(plan, PagePlan)}
    missing_files = [path for path in PAGE_TYPES.values() if not (example_output / path).is_file()]
    assert not missing_files, missing_files
    used = {template for template in template_of.values() if template.endswith(".html")}
    covered = {template_of[path] for path in PAGE_TYPES.values()}
    assert used - covered == set(), "page types without a row in tests/browser/pages.py"


@pytest.fixture
def open_page(browser: Any, example_output: Path) -> Iterator[Any]:
    """Open a page of the example site from disk in a fresh context, with given reading aids and viewport."""
    contexts: list[Any] = []

    def _open(path: str, width: int = 1280, step: int = 0, high_contrast: bool = False, **options: Any) -> Any:
        context = browser.new_context(viewport={"width": width, "height": 800}, **options)
        contexts.append(context)
        if step or high_contrast:
            context.add_init_script(script=reading_aids_script(step, high_contrast))
        page = context.new_page()
        page.goto((example_output / path).as_uri())
        return page

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def state_snapshots(browser: Any, example_output: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The DOM of each page type after the reading aids changed it, saved as HTML files for the validator."""
    folder = tmp_path_factory.mktemp("states")
    files = []
    context = browser.new_context()
    context.add_init_script(script=reading_aids_script(LARGEST_TEXT_STEP, True))
    page = context.new_page()
    for name, path in PAGE_TYPES.items():
        page.goto((example_output / path).as_uri())
        html = page.evaluate("'<!DOCTYPE html>\\n' + document.documentElement.outerHTML")
        target = folder / (name.replace(" ", "-").replace("(", "").replace(")", "").replace(",", "") + ".html")
        target.write_text(html, encoding="utf-8")
        files.append(target)
    context.close()
    return files


def test_every_page_is_valid_html(example_output: Path, state_snapshots: list[Path]) -> None:
    """The Nu HTML Checker finds no error in any built page, nor in the DOM the reading aids leave."""
    require_checkers()
    pages = sorted(example_output.rglob("*.html"))
    assert len(pages) >= len(PAGE_TYPES)
    errors = vnu_errors(pages + state_snapshots, [example_output, state_snapshots[0].parent])
    assert errors == [], "\n".join(errors)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_wcag_violations(open_page: Any, name: str, state: str) -> None:
    """axe-core reports no WCAG 2.0/2.1 A or AA violation, by default, in high contrast and with the largest text."""
    require_checkers()
    step, high = STATES[state]
    page = open_page(PAGE_TYPES[name], step=step, high_contrast=high)
    violations = axe_violations(page)
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_horizontal_scroll_on_phones(open_page: Any, name: str) -> None:
    """At 320 and 375 px wide, with normal and with the largest text, the page never scrolls sideways."""
    overflows = {}
    page = open_page(PAGE_TYPES[name], width=PHONE_WIDTHS[0])
    for step in (0, LARGEST_TEXT_STEP):
        # Store the step as a11y.js does and reload, so the page is laid out as a reader would get it.
        page.evaluate("([key, step]) => localStorage.setItem(key, step)", [SIZE_KEY, str(step)])
        page.reload()
        assert page.evaluate("document.documentElement.dataset.textSize || '0'") == str(step)
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            overflows[(width, step)] = horizontal_overflow(page)
    assert all(px <= 0 for px in overflows.values()), overflows


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_readable_line_length_on_a_wide_screen(open_page: Any, name: str) -> None:
    """At 1440 px no line of body text is longer than about 40 CJK characters."""
    page = open_page(PAGE_TYPES[name], width=1440)
    too_long = [(text, round(ems, 1)) for text, ems in line_lengths(page, BODY_TEXT) if ems > MAX_LINE_EMS]
    assert too_long == []


def test_story_text_fills_a_readable_measure(open_page: Any) -> None:
    """The line-length check measures real lines: a story's paragraphs run close to the limit, not far below."""
    page = open_page(PAGE_TYPES["case story (bundle, cover)"], width=1440)
    widest = max(ems for _, ems in line_lengths(page, "main .prose p"))
    assert 30 <= widest <= MAX_LINE_EMS
