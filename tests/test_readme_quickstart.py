"""The README's Linux quick start, run as printed: after ``make build`` its lines make ``dangjian`` work anywhere."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, in_ci

HEADING = "### Linux，已取得本仓库"


def _quickstart_lines() -> list[str]:
    """The command lines of the first code block after the quick-start heading."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(HEADING):]
    block = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert block is not None, "the quick start has no code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_linux_quick_start_activates_the_venv_and_builds_a_new_site(tmp_path: Path) -> None:
    lines = _quickstart_lines()
    assert lines[0] == ". .venv/bin/activate"
    if not (ROOT / ".venv" / "bin" / "activate").is_file():
        if in_ci():
            pytest.fail("no .venv: `make test` creates it before the tests")
        pytest.skip("no .venv in this checkout: run `make build` first")
    home = tmp_path / "home"
    home.mkdir()
    # A new terminal: only the system's folders on PATH, the home folder a fresh one.
    env = {**os.environ, "HOME": str(home), "PATH": "/usr/local/bin:/usr/bin:/bin"}
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    assert subprocess.run(["bash", "-c", "command -v dangjian"], env=env, capture_output=True).returncode != 0
    script = "set -e\n" + "\n".join(lines) + "\n"
    done = subprocess.run(["bash", "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (home / "我的站点" / "output" / "index.html").is_file()
