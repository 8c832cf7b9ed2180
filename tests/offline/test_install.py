"""install.sh from the bundle, with no package index, then a new site built with the installed dangjian."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from offline.bundle import project_version
from tests.offline.conftest import offline_env, unpack


def _path_without_dangjian() -> str:
    """PATH less every folder holding a ``dangjian`` (the development venv's), so only the bundle's can answer."""
    folders = [folder for folder in os.environ["PATH"].split(os.pathsep)
               if folder and not shutil.which("dangjian", path=folder)]
    return os.pathsep.join(folders)


def test_install_sh_installs_offline_and_dangjian_builds_a_new_site(bundle_zip: Path, tmp_path: Path) -> None:
    # A Chinese folder name with a space: where staff unzip things, and what quoting must survive.
    bundle = unpack(bundle_zip, tmp_path / "离线 安装包")
    home, elsewhere, work = tmp_path / "home", tmp_path / "elsewhere", tmp_path / "work"
    for folder in (home, elsewhere, work):
        folder.mkdir()
    path = _path_without_dangjian()
    installed = subprocess.run(["sh", str(bundle / "install.sh")], cwd=elsewhere, capture_output=True, text=True,
                               env=offline_env(HOME=str(home), PATH=path), check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    launcher = home / ".local" / "bin" / "dangjian"
    assert launcher.resolve() == (bundle / "venv" / "bin" / "dangjian").resolve()
    # ~/.local/bin was not on PATH: the script must say so and give the line to add.
    assert 'export PATH="$HOME/.local/bin:$PATH"' in installed.stdout

    env = offline_env(HOME=str(home), PATH=f"{launcher.parent}{os.pathsep}{path}")
    assert shutil.which("dangjian", path=env["PATH"]) == str(launcher)

    def dangjian(*args: str, cwd: Path) -> str:
        done = subprocess.run(["dangjian", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout + done.stderr

    assert f"dangjian {project_version()}" in dangjian("--version", cwd=work)
    said = dangjian("init", "我的站点", cwd=work)
    # The launcher on PATH is the one running, so init's closing lines can say plain `dangjian`.
    assert "  cd 我的站点\n" in said and "  dangjian build\n" in said, said
    dangjian("build", cwd=work / "我的站点")
    index = (work / "我的站点" / "output" / "index.html").read_text(encoding="utf-8")
    assert "<title>机关党建</title>" in index
    assert (work / "我的站点" / "output" / "search" / "index.html").is_file()

    # -I: without the current folder on sys.path (a checkout there would answer instead).
    where = subprocess.run([str(bundle / "venv" / "bin" / "python"), "-I", "-c",
                            "import generator; print(generator.__file__)"],
                           cwd=work, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(bundle / "venv"), where


def test_install_sh_without_a_fitting_python_says_so_in_chinese(bundle_dir: Path, tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "dirname").symlink_to(shutil.which("dirname") or "/usr/bin/dirname")
    old = tools / "python3"  # stands for a Python older than 3.11: it fails the version check
    old.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    old.chmod(0o755)
    done = subprocess.run(["/bin/sh", str(bundle_dir / "install.sh")], cwd=tmp_path, capture_output=True, text=True,
                          env=offline_env(HOME=str(tmp_path), PATH=str(tools)), check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == ("没有找到 Python 3.11、3.12 或 3.13。"
                                   "请先从本单位的软件中心安装其中一个版本，再运行本脚本。")
    assert not (bundle_dir / "venv").exists()
