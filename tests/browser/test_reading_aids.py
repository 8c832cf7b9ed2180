"""适老化 reading aids: A− / A+ text size and high contrast work from the keyboard alone, are remembered
across pages (from disk and over HTTP), and the skip link and focus ring do their job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.checks import LARGEST_TEXT_STEP, reading_aids_script
from tests.browser.pages import PAGE_TYPES, STORY

pytestmark = pytest.mark.browser

ACTIVE = "document.activeElement"


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context: its own localStorage, so no choice leaks between tests."""
    instance = browser.new_context(viewport={"width": 1280, "height": 800})
    yield instance
    instance.close()


@pytest.fixture(params=["file", "http"])
def site_root(request: pytest.FixtureRequest, example_output: Path, serve_under_subpath: Any) -> str:
    """The example site's root URL, opened from disk or served under /dangjian/."""
    if request.param == "file":
        return example_output.as_uri() + "/"
    return str(serve_under_subpath(example_output))


def _tab_to(page: Any, selector: str, limit: int = 12) -> list[str]:
    """Press Tab until the element matching ``selector`` has focus; return what was focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(f"{ACTIVE}.getAttribute('data-a11y') || {ACTIVE}.className || {ACTIVE}.tagName"))
        if page.evaluate(f"{ACTIVE}.matches({selector!r})"):
            return seen
    raise AssertionError(f"Tab never reached {selector}: {seen}")


def _state(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate("""() => ({
      step: document.documentElement.dataset.textSize || '0',
      contrast: document.documentElement.dataset.contrast || 'normal',
      rootPx: parseFloat(getComputedStyle(document.documentElement).fontSize),
      background: getComputedStyle(document.body).backgroundColor,
      pressed: document.querySelector('[data-a11y="contrast"]').getAttribute('aria-pressed'),
      smallerDisabled: document.querySelector('[data-a11y="smaller"]').getAttribute('aria-disabled'),
      largerDisabled: document.querySelector('[data-a11y="larger"]').getAttribute('aria-disabled'),
    })""")
    return state


def test_reading_aids_work_from_the_keyboard_and_are_remembered(context: Any, site_root: str) -> None:
    page = context.new_page()
    page.goto(site_root + "index.html")
    start = _state(page)
    assert (start["step"], start["contrast"], start["pressed"], start["smallerDisabled"]) == ("0", "normal", "false",
                                                                                              "true")
    # The skip link comes first, then the reading aids in reading order.
    assert _tab_to(page, '[data-a11y="larger"]') == ["skip-link", "smaller", "larger"]
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    enlarged = _state(page)
    assert enlarged["step"] == "2" and enlarged["rootPx"] > start["rootPx"] * 1.4
    assert page.evaluate(f"{ACTIVE}.dataset.a11y") == "larger"  # focus stays on the button

    _tab_to(page, '[data-a11y="contrast"]')
    page.keyboard.press("Space")
    contrasted = _state(page)
    assert (contrasted["contrast"], contrasted["pressed"]) == ("high", "true")
    assert contrasted["background"] == "rgb(0, 0, 0)" != start["background"]

    # Another page, reached by following a link: both choices are still in force.
    page.locator(".site-nav a").nth(3).click()
    page.wait_for_load_state()
    assert page.url == site_root + "cases/index.html"
    assert _state(page) == contrasted

    # A− from the keyboard, then a reload: the smaller size is what is remembered.
    _tab_to(page, '[data-a11y="smaller"]')
    page.keyboard.press("Enter")
    page.reload()
    assert _state(page)["step"] == "1"

    # A+ stops at the largest step and says so, without losing focus.
    _tab_to(page, '[data-a11y="larger"]')
    for _ in range(LARGEST_TEXT_STEP + 2):
        page.keyboard.press("Enter")
    largest = _state(page)
    assert (largest["step"], largest["largerDisabled"]) == (str(LARGEST_TEXT_STEP), "true")
    assert page.evaluate(f"{ACTIVE}.dataset.a11y") == "larger"

    # High contrast off again, remembered as off.
    _tab_to(page, '[data-a11y="contrast"]')
    page.keyboard.press("Enter")
    page.goto(site_root + STORY)
    final = _state(page)
    assert (final["contrast"], final["pressed"], final["step"]) == ("normal", "false", str(LARGEST_TEXT_STEP))
    page.close()


def test_skip_link_moves_focus_to_the_main_content(context: Any, example_output: Path) -> None:
    page = context.new_page()
    page.goto((example_output / STORY).as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate(f"{ACTIVE}.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"
    page.keyboard.press("Enter")
    assert page.evaluate(f"{ACTIVE}.id") == "main"
    # The next Tab continues inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate(f"{ACTIVE}.closest('main') !== null")


def _relative_luminance(color: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", color)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(first: str, second: str) -> float:
    high, low = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_RING = """e => { const s = getComputedStyle(e);
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, shadow: s.boxShadow}; }"""


@pytest.mark.parametrize("high_contrast", [False, True], ids=["default", "high contrast"])
def test_keyboard_focus_is_visible(context: Any, example_output: Path, high_contrast: bool) -> None:
    """Each of the first stops of the Tab order gets a ring that was not there before, in two contrasting tones."""
    if high_contrast:
        context.add_init_script(script=reading_aids_script(0, True))
    page = context.new_page()
    page.goto((example_output / PAGE_TYPES["post story (table, images)"]).as_uri())
    checked = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle(ACTIVE)
        ring = focused.evaluate(_RING)
        page.evaluate("e => e.blur()", focused)
        plain = focused.evaluate(_RING)
        label = focused.evaluate("e => e.getAttribute('data-a11y') || e.textContent.trim().slice(0, 12)")
        assert ring != plain, label
        assert ring["style"] == "solid" and ring["width"] >= 2, (label, ring)
        halo = re.match(r"rgba?\([^)]*\)", ring["shadow"])
        assert halo, (label, ring)
        assert _contrast(ring["color"], halo.group(0)) >= 3, (label, ring)
        focused.evaluate("e => e.focus({focusVisible: true})")
        checked.append(label)
    assert {"smaller", "larger", "contrast"} <= set(checked)


def test_reading_aids_script_runs_before_the_page_is_painted(context: Any, example_output: Path) -> None:
    """a11y.js sits in <head> without async or defer, so a saved choice is on <html> before the body exists."""
    context.add_init_script(script=reading_aids_script(2, True))
    # Record the state of <html> at the moment <body> is first seen, before any of it can paint.
    context.add_init_script(script="""
      new MutationObserver((changes, observer) => {
        if (document.body) {
          window.__atBody = [document.documentElement.dataset.textSize, document.documentElement.dataset.contrast];
          observer.disconnect();
        }
      }).observe(document, {childList: true, subtree: true});""")
    page = context.new_page()
    page.goto((example_output / "index.html").as_uri())
    assert page.evaluate("window.__atBody") == ["2", "high"]


def _rgba(color: str) -> tuple[float, float, float, float]:
    parts = [float(p) for p in re.findall(r"[\d.]+", color)]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0


def _over(top: str, below: str) -> str:
    """The colour seen where the (maybe translucent) ``top`` lies over the opaque ``below``."""
    r, g, b, alpha = _rgba(top)
    r0, g0, b0, _ = _rgba(below)
    mixed = (round(alpha * c + (1 - alpha) * c0) for c, c0 in ((r, r0), (g, g0), (b, b0)))
    return "rgb({}, {}, {})".format(*mixed)


def test_header_text_contrasts_with_every_stop_of_its_gradient(context: Any, example_output: Path) -> None:
    """axe cannot judge text on a gradient (it reports it as 'incomplete'), so the header is measured here."""
    page = context.new_page()
    page.goto((example_output / STORY).as_uri())
    header = page.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundImage")
    stops = re.findall(r"rgba?\([^)]*\)", header)
    assert len(stops) >= 2, header
    nav = page.locator(".site-nav").evaluate("e => getComputedStyle(e).backgroundColor")
    texts = page.evaluate("""() => [...document.querySelectorAll('.site-title, .site-description, .site-nav a')]
      .map(e => [e.textContent.trim(), getComputedStyle(e).color, getComputedStyle(e).backgroundColor,
                 e.closest('.site-nav') !== null])""")
    weak = []
    for label, color, own, in_nav in texts:
        for stop in stops:
            behind = _over(own, _over(nav, stop) if in_nav else stop)
            if _contrast(color, behind) < 4.5:
                weak.append((label, color, behind, round(_contrast(color, behind), 2)))
    assert weak == []
