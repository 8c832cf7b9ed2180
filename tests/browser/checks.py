"""The checks the browser suite applies to built pages, shared by the real suite and its self-test.

- ``vnu_errors``: the Nu HTML Checker (npm package vnu-jar, run with Java) over many files in one JVM;
- ``axe_violations``: axe-core (npm package axe-core) injected into a page, WCAG 2.1 A and AA rules only;
- ``horizontal_overflow`` and ``line_lengths``: layout measures taken in Chromium.

``tests/browser/test_checks_catch_errors.py`` runs the same functions on a deliberately broken theme,
so a check that silently stopped finding anything would fail there.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, in_ci

NODE_MODULES = ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Text size steps of themes/default/static/js/a11y.js (data-text-size on <html>); 3 is the largest.
LARGEST_TEXT_STEP = 3
SIZE_KEY = "dangjian-text-size"
CONTRAST_KEY = "dangjian-contrast"


def require_checkers() -> None:
    """Skip loudly (fail in CI) unless Java and the npm packages vnu-jar and axe-core are installed."""
    missing = []
    if shutil.which("java") is None:
        missing.append("java (apt-get install openjdk-17-jre-headless)")
    for path in (VNU_JAR, AXE_JS):
        if not path.exists():
            missing.append(f"{path.relative_to(ROOT)} (run npm ci --ignore-scripts, or make test)")
    if missing:
        message = "BROWSER CHECKS NOT RUN: missing " + "; ".join(missing)
        if in_ci():
            pytest.fail(message)
        warnings.warn(message, stacklevel=2)
        pytest.skip(message)


def vnu_errors(files: Sequence[Path], roots: Sequence[Path]) -> list[str]:
    """Validate HTML files with the Nu HTML Checker in one run; return ``file:line: message`` per error.

    Each file is named relative to the first of ``roots`` that holds it.
    """
    if not files:
        return []
    # One JVM for all files: starting Java costs about a second, checking a page a few milliseconds.
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", "--stdout", *map(str, files)],
        capture_output=True, text=True, check=False)
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as exc:
        raise AssertionError(f"vnu gave no JSON report (exit {result.returncode}): {result.stderr[-2000:]}") from exc
    errors = []
    for message in messages:
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else Path(url)
        shown = next((path.resolve().relative_to(root.resolve()).as_posix() for root in roots
                      if path.resolve().is_relative_to(root.resolve())), url)
        errors.append(f"{shown}:{message.get('lastLine', 0)}: {message.get('type')}: {message.get('message')}")
    return errors


_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, help: v.help, targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_violations(page: Any) -> list[str]:
    """Run axe-core's WCAG 2.0/2.1 A and AA rules on the loaded page; return ``rule: help (targets)`` per rule."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(_AXE_RUN, WCAG_TAGS)
    return [f"{v['id']}: {v['help']} ({'; '.join(v['targets'][:6])})" for v in found]


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


_LINE_LENGTHS = """(selector) => [...document.querySelectorAll(selector)]
 .filter(e => e.offsetParent !== null).map(e => {
  // The bounding box of the element's text is as wide as its widest line; one CJK character is 1em wide.
  const range = document.createRange();
  range.selectNodeContents(e);
  const ems = range.getBoundingClientRect().width / parseFloat(getComputedStyle(e).fontSize);
  return [e.textContent.trim().slice(0, 24), ems];
})"""


def line_lengths(page: Any, selector: str) -> list[tuple[str, float]]:
    """The widest text line of each visible element matching ``selector``, in ems (≈ CJK characters)."""
    return [(text, float(ems)) for text, ems in page.evaluate(_LINE_LENGTHS, selector)]


def reading_aids_script(step: int = 0, high_contrast: bool = False) -> str:
    """An init script that stores a text size step and contrast choice the way a11y.js does, before it runs."""
    contrast = "high" if high_contrast else "normal"
    return (f"localStorage.setItem({json.dumps(SIZE_KEY)}, {json.dumps(str(step))});"
            f"localStorage.setItem({json.dumps(CONTRAST_KEY)}, {json.dumps(contrast)});")
