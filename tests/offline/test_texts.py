"""install.bat, install.sh and 安装说明.txt as the bundle ships them: encodings, line ends, what they name."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest


def _top_level(bundle_zip: Path) -> set[str]:
    with zipfile.ZipFile(bundle_zip) as archive:
        return {name.split("/")[0] for name in archive.namelist()}


def _crlf_only(raw: bytes) -> bool:
    return raw.endswith(b"\r\n") and raw.count(b"\n") == raw.count(b"\r\n") == raw.count(b"\r")


def test_install_bat_is_gbk_with_crlf(bundle_dir: Path) -> None:
    raw = (bundle_dir / "install.bat").read_bytes()
    assert _crlf_only(raw)
    text = raw.decode("gbk")
    assert re.search(r"[\u4e00-\u9fff]", text)  # the messages are Chinese, so UTF-8 would read differently
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_install_bat_names_only_files_the_bundle_holds_or_makes(bundle_dir: Path, bundle_zip: Path) -> None:
    text = (bundle_dir / "install.bat").read_bytes().decode("gbk")
    lines = text.splitlines()
    assert len(lines) <= 30
    assert 'set "HERE=%~dp0"' in lines  # every file is named from the script's own folder
    named = set(re.findall(r"%HERE%([^\\\"%\s']+)", text))
    made = set(re.findall(r'(?:-m venv|mkdir) "%HERE%([^\\"]+)"', text))
    assert "wheels" in named
    assert made == {"venv", "bin"}
    assert named - made <= _top_level(bundle_zip)
    assert '--no-index --find-links "%HERE%wheels"' in text
    labels = {line[1:] for line in lines if line.startswith(":")}
    assert set(re.findall(r"goto (\w+)", text)) == labels
    assert lines[-1] == "exit /b 1" and "pause" in lines


def test_install_sh_is_posix_sh_with_lf(bundle_dir: Path) -> None:
    raw = (bundle_dir / "install.sh").read_bytes()
    assert b"\r" not in raw
    assert raw.startswith(b"#!/bin/sh\n")
    assert "wheels" in re.findall(r'"\$here/(\w+)', raw.decode("utf-8"))
    for shell in ("sh", "dash", "bash"):
        if path := shutil.which(shell):
            done = subprocess.run([path, "-n", str(bundle_dir / "install.sh")], capture_output=True, text=True,
                                  check=False)
            assert done.returncode == 0, f"{shell}: {done.stderr}"


def test_the_guide_is_utf8_with_bom_and_crlf_and_names_what_the_bundle_holds(bundle_dir: Path,
                                                                            bundle_zip: Path) -> None:
    raw = (bundle_dir / "安装说明.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert _crlf_only(raw)
    text = raw[3:].decode("utf-8")
    for name in _top_level(bundle_zip):
        assert name in text
    for needed in ("dangjian init 我的站点", "cd 我的站点", "dangjian build", "dangjian serve", "sh install.sh",
                   "3.11", "3.12", "3.13", "麒麟", "统信", "ARM", "软件中心"):
        assert needed in text
