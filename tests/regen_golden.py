"""Regenerate tests/golden/site from tests/fixtures/site: ``make golden``.

Run it only after an intended change of the output, and review the diff with git.
"""

from __future__ import annotations

from generator.build import BuildOptions, build
from tests.conftest import FIXTURE_SITE, GOLDEN_DIR


def main() -> None:
    """Build the fixture site into the golden folder."""
    report = build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=GOLDEN_DIR, progress=False, cache=False))
    print(f"wrote {report.files} files to {GOLDEN_DIR}")


if __name__ == "__main__":
    main()
