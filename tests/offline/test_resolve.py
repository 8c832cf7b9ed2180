"""The bundle's wheels install dangjian on every Python and platform it promises, with no index."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
import zipfile
from email.parser import BytesParser
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from offline.bundle import PLATFORMS, PYTHONS
from tests.offline.conftest import ROOT, offline_env

TARGETS = [(python, platform) for python in PYTHONS for platform in PLATFORMS]
# The platform markers of each target: pip evaluates markers for the machine it runs on, even with --platform.
MARKERS = {
    "win_amd64": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt", "platform_machine": "AMD64"},
    "linux_x86_64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                     "platform_machine": "x86_64"},
    "linux_aarch64": {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                      "platform_machine": "aarch64"},
}


def _dependencies() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return {canonicalize_name(Requirement(line).name) for line in tomllib.load(file)["project"]["dependencies"]}


def test_the_bundle_promises_what_the_issue_asks() -> None:
    assert set(PYTHONS) == {"3.11", "3.12", "3.13"}
    assert set(PLATFORMS) == {"win_amd64", "linux_x86_64", "linux_aarch64"}
    # 麒麟 V10 and 统信 UOS 20 have glibc 2.28: a wheel needing more would not load there.
    assert all(not tag.startswith("manylinux_2_") or int(tag.split("_")[2]) <= 28
               for tags in PLATFORMS.values() for tag in tags)


@pytest.mark.parametrize(("python", "platform"), TARGETS)
def test_pip_resolves_dangjian_from_the_wheels_alone(bundle_dir: Path, tmp_path: Path,
                                                     python: str, platform: str) -> None:
    report = tmp_path / "report.json"
    # --target: pip refuses --platform and --python-version for an install into the running environment.
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", str(report),
               "--no-index", "--find-links", str(bundle_dir / "wheels"), "--only-binary=:all:",
               "--implementation", "cp", "--python-version", python,
               *(f"--platform={tag}" for tag in PLATFORMS[platform]), "--target", str(tmp_path / "target"),
               "dangjian"]
    done = subprocess.run(command, env=offline_env(), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    chosen = {str(canonicalize_name(item["metadata"]["name"])): Path(item["download_info"]["url"].removeprefix("file://"))
              for item in json.loads(report.read_text(encoding="utf-8"))["install"]}
    assert {"dangjian", *_dependencies()} <= set(chosen)
    assert all(path.parent == bundle_dir / "wheels" for path in chosen.values())
    arch = {"win_amd64": "win_amd64", "linux_x86_64": "_x86_64", "linux_aarch64": "_aarch64"}[platform]
    assert arch in chosen["pyyaml"].name
    assert f"cp{python.replace('.', '')}" in chosen["pyyaml"].name


def _supported(python: str, platform: str) -> set[Tag]:
    version = (3, int(python.split(".")[1]))
    return {*cpython_tags(version, platforms=PLATFORMS[platform]),
            *compatible_tags(version, f"cp3{version[1]}", platforms=PLATFORMS[platform])}


def _requires(wheel: Path) -> list[Requirement]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [name for name in archive.namelist() if name.endswith(".dist-info/METADATA")]
        metadata = BytesParser().parsebytes(archive.read(name))
    return [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]


def missing_wheels(wheels: list[Path], python: str, platform: str) -> list[str]:
    """What dangjian needs on that Python and platform, by markers evaluated for it, and no wheel gives."""
    supported = _supported(python, platform)
    env = {**MARKERS[platform], "python_version": python, "python_full_version": f"{python}.0",
           "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    found: dict[str, list[tuple[Version, Path]]] = {}
    for wheel in wheels:
        name, version, _, tags = parse_wheel_filename(wheel.name)
        if tags & supported:
            found.setdefault(name, []).append((version, wheel))
    missing, seen, todo = [], set[tuple[str, ...]](), [(Requirement("dangjian"), "")]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({**env, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        fits = sorted(pair for pair in found.get(name, []) if requirement.specifier.contains(pair[0], True))
        if not fits:
            missing.append(str(requirement))
        elif (name, *sorted(requirement.extras)) not in seen:
            seen.add((name, *sorted(requirement.extras)))
            todo += [(needed, wanted) for needed in _requires(fits[-1][1]) for wanted in {"", *requirement.extras}]
    return missing


def test_every_dependency_has_a_wheel_by_the_targets_own_markers(bundle_dir: Path) -> None:
    wheels = sorted((bundle_dir / "wheels").glob("*.whl"))
    assert {target: missing_wheels(wheels, *target) for target in TARGETS} == {target: [] for target in TARGETS}


def test_a_missing_wheel_is_found(bundle_dir: Path) -> None:
    wheels = [wheel for wheel in sorted((bundle_dir / "wheels").glob("*.whl"))
              if not (wheel.name.startswith("pyyaml-") and "aarch64" in wheel.name)]
    assert missing_wheels(wheels, "3.12", "linux_aarch64") == ["pyyaml>=6.0"]
    assert missing_wheels(wheels, "3.12", "linux_x86_64") == []
