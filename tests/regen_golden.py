"""Regenerate tests/golden/site from tests/fixtures/site: ``make golden``.

Run it only after an intended change of the output, and review the diff with git. The theme's
static files are left out: the build copies them unchanged, and ``tests/pipeline/test_golden.py`` compares
those copies with the theme itself rather than with a second copy kept here.
"""

from __future__ import annotations

import shutil

from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from tests.conftest import FIXTURE_SITE, GOLDEN_DIR

STATIC = "static"
"""The output folder of the theme's static files, which golden output does not keep."""


def main() -> None:
    """Build the fixture site into the golden folder."""
    report = build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=GOLDEN_DIR, progress=False, cache=False))
    shutil.rmtree(GOLDEN_DIR / STATIC)
    print(f"wrote {report.files} files to {GOLDEN_DIR}, then removed {STATIC}/ (compared with the theme instead)")


if __name__ == "__main__":
    main()
