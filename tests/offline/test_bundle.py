"""What ``make dist`` writes, and how offline/bundle.py fails."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from offline import bundle
from tests.offline.conftest import ROOT, offline_env


def test_the_zip_is_named_by_the_version_and_holds_the_promised_files(bundle_zip: Path) -> None:
    assert bundle_zip.name == f"dangjian-{bundle.project_version()}-offline.zip"
    with zipfile.ZipFile(bundle_zip) as archive:
        names = archive.namelist()
        modes = {info.filename: info.external_attr >> 16 for info in archive.infolist()}
    assert {name for name in names if "/" not in name} == {"install.bat", "install.sh", "安装说明.txt"}
    assert {name.split("/")[0] for name in names} == {"install.bat", "install.sh", "安装说明.txt", "wheels"}
    assert names == sorted(names)
    assert modes["install.sh"] == 0o100755
    assert modes["install.bat"] == 0o100644


def test_the_dangjian_wheel_carries_the_theme_and_the_starter_site(bundle_dir: Path) -> None:
    (wheel,) = (bundle_dir / "wheels").glob("dangjian-*.whl")
    assert wheel.name == f"dangjian-{bundle.project_version()}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    theme = ROOT / "themes" / "default"
    assert {f"generator/themes/default/{path.relative_to(theme).as_posix()}"
            for path in theme.rglob("*") if path.is_file()} <= names
    assert "generator/starter/site.yaml" in names


def test_only_runtime_dependencies_are_bundled(bundle_dir: Path) -> None:
    names = {path.name.split("-")[0].lower() for path in (bundle_dir / "wheels").glob("*.whl")}
    assert {"pyyaml", "jinja2", "watchfiles", "tornado"} <= names
    assert names.isdisjoint({"pytest", "mypy", "ruff", "playwright"})


def test_the_zip_is_the_same_whatever_the_files_times(tmp_path: Path) -> None:
    stage = tmp_path / "stage"
    (stage / "wheels").mkdir(parents=True)
    (stage / "wheels" / "b.whl").write_bytes(b"b")
    (stage / "install.sh").write_text("#!/bin/sh\n", encoding="utf-8")
    (stage / "安装说明.txt").write_text("说明", encoding="utf-8")
    bundle.write_zip(stage, tmp_path / "first.zip")
    for path in stage.rglob("*"):
        os.utime(path, (1_700_000_000, 1_700_000_000))
    bundle.write_zip(stage, tmp_path / "second.zip")
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first.zip", "second.zip", "stage"]


def test_a_character_the_encoding_lacks_is_one_clear_error(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in bundle.TEXTS:
        (source / name).write_text("安装\n", encoding="utf-8")
    (source / "install.bat").write_text("echo 安装完成 ✅\n", encoding="utf-8")
    (tmp_path / "stage").mkdir()
    with pytest.raises(bundle.BundleError, match=r"install\.bat 中有 gbk 无法表示的字符：'✅'"):
        bundle.write_texts(source, tmp_path / "stage")


def test_an_unreachable_index_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = offline_env(PIP_RETRIES="0")
    del env["PIP_NO_INDEX"]  # the index is tried, and cannot be reached
    done = subprocess.run([sys.executable, str(ROOT / "offline" / "bundle.py"), "--out", str(tmp_path / "out")],
                          env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("错误：生成 dangjian 的 wheel 失败（无法访问 PyPI？）：ERROR:"), lines[0]
    assert not (tmp_path / "out").exists()
