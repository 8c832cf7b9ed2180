"""The fixture site builds to exactly the committed golden output (``make golden`` updates it)."""

from __future__ import annotations

import difflib
from pathlib import Path

from generator.core.scan import builtin_theme_dir
from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from tests.conftest import FIXTURE_SITE, GOLDEN_DIR, snapshot
from tests.regen_golden import STATIC


def _diff(name: str, expected: bytes, actual: bytes) -> str:
    lines = difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(),
                                 actual.decode("utf-8", "replace").splitlines(),
                                 f"golden/{name}", f"built/{name}", lineterm="", n=1)
    return "\n".join(list(lines)[:40])


def test_fixture_site_matches_golden_output(tmp_path: Path) -> None:
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "out", progress=False, cache=False))
    everything, golden = snapshot(tmp_path / "out"), snapshot(GOLDEN_DIR)
    built = {name: data for name, data in everything.items() if not name.startswith(f"{STATIC}/")}
    assert sorted(built) == sorted(golden), "file list differs; run `make golden` if intended"
    differing = [name for name in golden if built[name] != golden[name]]
    assert not differing, "\n\n".join(_diff(n, golden[n], built[n]) for n in differing[:3])


def test_static_files_are_the_themes_own(tmp_path: Path) -> None:
    """The theme's static files (left out of golden output) are copied byte for byte, and nothing else is there."""
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "out", progress=False, cache=False))
    static = tmp_path / "out" / STATIC
    copied = {p.relative_to(static).as_posix(): p.read_bytes() for p in static.rglob("*") if p.is_file()}
    source = builtin_theme_dir() / "static"
    theirs = {p.relative_to(source).as_posix(): p.read_bytes() for p in source.rglob("*") if p.is_file()}
    assert copied and copied == theirs


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "a", progress=False, cache=False))
    build(BuildOptions(site_dir=FIXTURE_SITE, out_dir=tmp_path / "b", progress=False, cache=False))
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
