"""Shared fixtures: copies of the fixture site and small sites written on the fly."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.serving import ServeProcess

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = Path(__file__).resolve().parent / "fixtures" / "site"
GOLDEN_DIR = Path(__file__).resolve().parent / "golden" / "site"


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A private copy of tests/fixtures/site that a test may change."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    return site


@pytest.fixture(scope="session")
def example_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example site, built once per test session (read-only for tests)."""
    from generator.pipeline.builder import build
    from generator.pipeline.options import BuildOptions

    out = tmp_path_factory.mktemp("example") / "output"
    build(BuildOptions(site_dir=ROOT, out_dir=out, progress=False, cache=False))
    return out


@pytest.fixture
def server(fixture_site: Path) -> Iterator[ServeProcess]:
    """``dangjian serve`` running on the fixture copy, on a free port of 127.0.0.1."""
    process = ServeProcess(fixture_site)
    yield process
    process.close()


WriteFile = Callable[[str, str], Path]


@pytest.fixture
def write(fixture_site: Path) -> WriteFile:
    """Write a file into the fixture copy, dedenting the text."""

    def _write(rel: str, text: str) -> Path:
        path = fixture_site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


def age(site: Path) -> None:
    """Date every source an hour back, as if saved long before the build (not racy)."""
    for path in site.rglob("*"):
        if path.is_file():
            info = path.stat()
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below a folder, by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def in_ci() -> bool:
    """Tell whether we run in CI, where nothing may be skipped."""
    return os.environ.get("CI", "").lower() == "true"
