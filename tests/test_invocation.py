"""``dangjian init`` ends with commands that work as printed, in the shell that ran it (issue #17).

Each test runs init the way a user would, then types the printed lines literally into a shell
started from the same folder with the same environment, and checks that they build and serve.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
from pathlib import Path, PureWindowsPath

import pytest

from generator.invocation import change_folder, quote
from tests.conftest import ROOT

VENV_BIN = Path(sys.executable).parent
LAUNCHER = VENV_BIN / "dangjian"
URL_LINE = re.compile(r"预览地址：http://127\.0\.0\.1:(\d+)/")


def environment(venv_on_path: bool, pythonpath: bool = True) -> dict[str, str]:
    """This environment with the venv's bin folder on PATH or not, and this tree first on PYTHONPATH or not."""
    rest = [p for p in os.environ.get("PATH", os.defpath).split(os.pathsep) if p and Path(p) != VENV_BIN]
    env = {**os.environ, "PATH": os.pathsep.join([str(VENV_BIN), *rest] if venv_on_path else rest)}
    env.pop("PYTHONPATH", None)
    if pythonpath:
        env["PYTHONPATH"] = str(ROOT)  # the tree under test, not another checkout installed in the venv
    return env


def init(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[str, list[str]]:
    """Run init; return its output and the command lines it printed (those indented by two spaces)."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    return done.stdout, [line[2:] for line in done.stdout.splitlines() if line.startswith("  ")]


def follow(lines: list[str], cwd: Path, env: dict[str, str], site: Path) -> None:
    """Type the printed lines into a shell: build, then serve until it answers, then Ctrl-C."""
    *enter, build, serve = lines
    done = subprocess.run(["sh", "-c", "\n".join([*enter, build])], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "output" / "index.html").is_file()
    shell = subprocess.Popen(["sh", "-c", "\n".join([*enter, serve])], cwd=cwd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, encoding="utf-8", start_new_session=True)
    try:
        assert shell.stdout is not None
        seen = []
        for line in shell.stdout:  # ends when serve ends: a serve that cannot start fails the test, not hangs it
            seen.append(line)
            if match := URL_LINE.search(line):
                connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=10)
                connection.request("GET", "/")
                assert connection.getresponse().status == 200
                connection.close()
                break
        else:
            raise AssertionError("serve printed no address:\n" + "".join(seen))
    finally:
        os.killpg(shell.pid, signal.SIGINT)  # the session started above: the shell and its serve
        shell.communicate(timeout=30)


@pytest.mark.skipif(not LAUNCHER.is_file(), reason="dangjian is not installed in this Python's venv")
def test_the_venvs_dangjian_not_on_path_prints_its_own_full_path(tmp_path: Path) -> None:
    env = environment(venv_on_path=False)
    out, lines = init([str(LAUNCHER), "init", "新站点"], tmp_path, env)
    assert out.startswith("已在 新站点 新建站点。进入该文件夹：\n")
    assert lines == ["cd 新站点", f"{quote(str(LAUNCHER))} build", f"{quote(str(LAUNCHER))} serve"]
    follow(lines, tmp_path, env, tmp_path / "新站点")


@pytest.mark.skipif(not LAUNCHER.is_file(), reason="dangjian is not installed in this Python's venv")
def test_the_dangjian_found_on_path_prints_dangjian(tmp_path: Path) -> None:
    env = environment(venv_on_path=True)
    _, lines = init(["sh", "-c", "dangjian init 'my site'"], tmp_path, env)
    assert lines == ["cd 'my site'", "dangjian build", "dangjian serve"]
    follow(lines, tmp_path, env, tmp_path / "my site")


def test_python_m_generator_prints_this_python(tmp_path: Path) -> None:
    env = environment(venv_on_path=False)
    _, lines = init([sys.executable, "-m", "generator", "init", str(tmp_path / "站点")], tmp_path, env)
    python = f"{quote(sys.executable)} -m generator"
    assert lines == [f"cd {quote(str(tmp_path / '站点'))}", f"{python} build", f"{python} serve"]
    follow(lines, tmp_path, env, tmp_path / "站点")


def test_python_m_generator_from_the_source_folder_prints_what_works_from_there(tmp_path: Path) -> None:
    # With no PYTHONPATH the package is found in the current folder, and maybe (installed) elsewhere too:
    # the commands printed must work from this folder either way.
    env = environment(venv_on_path=False, pythonpath=False)
    site = tmp_path / "站点"
    _, lines = init([sys.executable, "-m", "generator", "init", str(site)], ROOT, env)
    assert lines[-1].startswith(f"{quote(sys.executable)} -m generator serve")
    follow(lines, ROOT, env, site)


@pytest.mark.parametrize(("target", "cwd", "lines"), [
    (r"新站点", r"C:\Users\张三", ["cd 新站点"]),
    (r"C:\Users\张三\新站点", r"C:\Users\张三", [r"cd C:\Users\张三\新站点"]),
    (r"D:\网站\新站点", r"C:\Users\张三", ["D:", r"cd D:\网站\新站点"]),  # cmd.exe's cd does not change drives
    (r"d:\my sites\新站点", r"D:\x", [r'cd "d:\my sites\新站点"']),
])
def test_entering_the_folder_on_windows(target: str, cwd: str, lines: list[str]) -> None:
    assert change_folder(PureWindowsPath(target), PureWindowsPath(cwd), windows=True) == lines


def test_quoting_only_where_needed() -> None:
    assert quote("/home/王/站点", windows=False) == "/home/王/站点"
    assert quote("my site", windows=False) == "'my site'"
    assert quote("it's", windows=False) == "'it'\"'\"'s'"
    launcher = r"C:\Users\张三\.venv\Scripts\dangjian.exe"
    assert quote(launcher, windows=True) == launcher
    assert quote(r"C:\Program Files (x86)\dangjian.exe", windows=True) == r'"C:\Program Files (x86)\dangjian.exe"'
