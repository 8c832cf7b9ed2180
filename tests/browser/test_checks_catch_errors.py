"""The browser suite's checks find real problems: a deliberately broken theme makes each of them fail.

The theme (``tests/fixtures/broken-theme``) is laid over a copy of the fixture site; the checks are the
very functions the real suite uses (``tests/browser/checks.py``), so this proves they still bite.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from tests.browser.checks import axe_violations, horizontal_overflow, line_lengths, require_checkers, vnu_errors

pytestmark = pytest.mark.browser

BROKEN_THEME = Path(__file__).resolve().parent.parent / "fixtures" / "broken-theme"


@pytest.fixture
def broken_output(fixture_site: Path, tmp_path: Path) -> Path:
    """The fixture site built with the broken theme."""
    shutil.copytree(BROKEN_THEME / "themes", fixture_site / "themes")
    config = fixture_site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "theme: broken\n", encoding="utf-8")
    out = tmp_path / "out"
    build(BuildOptions(site_dir=fixture_site, out_dir=out, progress=False, cache=False))
    return out


def test_vnu_reports_the_html_errors(broken_output: Path) -> None:
    require_checkers()
    errors = vnu_errors([broken_output / "index.html", broken_output / "about" / "index.html"], [broken_output])
    assert any(e.startswith("index.html:") and "Duplicate ID “twice”" in e for e in errors), errors
    assert any(e.startswith("index.html:") and "must have an “alt” attribute" in e for e in errors), errors
    # The page the broken theme leaves alone is still valid: the errors are pinned to the right file.
    assert not [e for e in errors if e.startswith("about/")], errors


def test_axe_reports_missing_alt_text_and_low_contrast(browser: Any, broken_output: Path) -> None:
    require_checkers()
    page = browser.new_page()
    page.goto((broken_output / "index.html").as_uri())
    rules = {violation.split(":")[0] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= rules
    page.close()


def test_overflow_measure_sees_a_too_wide_element(browser: Any, broken_output: Path) -> None:
    page = browser.new_page(viewport={"width": 320, "height": 640})
    page.goto((broken_output / "index.html").as_uri())
    assert horizontal_overflow(page) == 0
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"width: 400px\">宽</div>')")
    assert horizontal_overflow(page) > 0
    page.close()


def test_line_length_measure_sees_a_long_line(browser: Any, broken_output: Path) -> None:
    page = browser.new_page(viewport={"width": 1440, "height": 800})
    page.goto((broken_output / "index.html").as_uri())
    page.evaluate("text => document.querySelector('main').insertAdjacentHTML('beforeend', `<p id=long>${text}</p>`)",
                  "党" * 200)
    assert max(ems for _, ems in line_lengths(page, "#long")) > 40
    page.close()
