"""The fixture site builds to exactly the committed golden output (``make golden`` updates it)."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.build import BuildOptions, build
from tests.conftest import FIXTURE_SITE, GOLDEN_DIR, snapshot


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(),
                                 actual.decode("utf-8", "replace").splitlines(),
                                 f"golden/{name}", f"built/{name}", lineterm="", n=1)
    return "\n".join(list(lines)[:40])


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "out", progress=False, cache=False))
    built, golden = snapshot(tmp_path / "out"), snapshot(GOLDEN_DIR)
    assert sorted(built) == sorted(golden), "file list differs; run `make golden` if intended"
    differing = [name for name in golden if built[name] != golden[name]]
    assert not differing, "\n\n".join(_diff(n, golden[n], built[n]) for n in differing[:3])


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "a", progress=False, cache=False))
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "b", progress=False, cache=False))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
