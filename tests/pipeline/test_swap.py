"""Putting a new output in place while others use the old one (a web server, a browser tab, Explorer).

Linux lets a folder be renamed while files in it are open; Windows does not, nor does any
system rename a mount point. Those refusals are made here by failing ``write._rename``
the way Windows fails it (PermissionError), for the folder or for one file held open.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cli import main
from generator.render import write
from tests.conftest import snapshot

STORY = "content/posts/国库支付示范岗.md"
PAGE = "posts/guo-ku-zhi-fu-shi-fan-gang/index.html"


def _edit(site: Path) -> None:
    path = site / STORY
    path.write_text(path.read_text(encoding="utf-8").replace("首问负责制", "首问负责制和限时办结制", 1),
                    encoding="utf-8")
    later = time.time() + 5  # beyond the clock's coarse tick: the cache trusts the file as changed
    os.utime(path, (later, later))


def _reference(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """What a build of the site as it is now writes into a folder nobody holds."""
    out = tmp_path / "reference"
    assert main(["build", "--site", str(site), "--out", str(out), "--no-cache"]) == 0
    return snapshot(out)


def _refuse(monkeypatch: pytest.MonkeyPatch, *held: Path) -> None:
    """Make renaming any of ``held`` fail as Windows fails it for a folder or file in use."""
    rename: Callable[[Path, Path], None] = write._rename
    blocked = {path.absolute() for path in held}

    def refusing(source: Path, target: Path) -> None:
        if source.absolute() in blocked:
            raise PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", str(source))
        rename(source, target)

    monkeypatch.setattr(write, "_rename", refusing)


def _leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name.startswith(".output"))


@pytest.mark.parametrize("cache", [False, True], ids=["fresh", "from-graph"])
def test_a_file_held_open_in_the_old_output_does_not_stop_the_build(fixture_site: Path, tmp_path: Path,
                                                                    cache: bool) -> None:
    options = [] if cache else ["--no-cache"]
    assert main(["build", "--site", str(fixture_site), *options]) == 0
    out = fixture_site / "output"
    with (out / PAGE).open("rb") as held:
        old = (out / PAGE).read_bytes()
        _edit(fixture_site)
        assert main(["build", "--site", str(fixture_site), *options]) == 0
        assert held.read() == old  # the reader keeps the page it opened, whole
    assert (out / PAGE).read_bytes() != old
    assert snapshot(out) == _reference(fixture_site, tmp_path)
    assert _leftovers(fixture_site) == []


def test_an_output_folder_that_cannot_be_renamed_is_updated_file_by_file(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = fixture_site / "output"
    assert main(["build", "--site", str(fixture_site), "--no-cache"]) == 0
    (out / "stale.html").write_text("left from an older build", encoding="utf-8")
    _edit(fixture_site)
    _refuse(monkeypatch, out)
    capsys.readouterr()
    assert main(["build", "--site", str(fixture_site), "--no-cache"]) == 0
    said = capsys.readouterr().err
    assert f"{out.absolute()}: warning: 输出文件夹正被其他程序使用，无法整体替换，已逐个替换其中的文件" in said
    monkeypatch.undo()
    assert snapshot(out) == _reference(fixture_site, tmp_path)  # the stale file is gone too
    assert _leftovers(fixture_site) == []


@pytest.mark.parametrize("cache", [False, True], ids=["fresh", "from-graph"])
def test_a_file_that_cannot_be_replaced_fails_the_build_and_changes_nothing(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], cache: bool) -> None:
    options = [] if cache else ["--no-cache"]
    out = fixture_site / "output"
    assert main(["build", "--site", str(fixture_site), *options]) == 0
    before = snapshot(out)
    _edit(fixture_site)
    _refuse(monkeypatch, out, out / PAGE)
    capsys.readouterr()
    assert main(["build", "--site", str(fixture_site), *options]) == 1
    said = capsys.readouterr().err
    assert f"{out.absolute()}/{PAGE}: error: 无法替换这个文件：另一个程序正在使用此文件，进程无法访问。" in said
    assert "Traceback" not in said
    assert snapshot(out) == before
    assert _leftovers(fixture_site) == []
    monkeypatch.undo()  # the file is closed: the next build puts the whole new site in place
    assert main(["build", "--site", str(fixture_site), *options]) == 0
    assert snapshot(out) == _reference(fixture_site, tmp_path)
