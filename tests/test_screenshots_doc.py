"""The README shows every screenshot in docs/screenshots/, and every screenshot it shows exists."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_readme_shows_each_screenshot() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme))
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs" / "screenshots").glob("*.png")}
    assert len(on_disk) >= 6
    assert shown == on_disk
