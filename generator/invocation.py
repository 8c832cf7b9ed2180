"""How the user can run this same dangjian again from the shell that started it.

``dangjian init`` ends by telling the user what to type next, and that must work as printed:
a venv's ``dangjian`` run by its path is not on PATH until the venv is activated, and
``python -m generator`` from a source folder finds the package only in that folder.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path, PurePath, PureWindowsPath

import generator

# Characters that make a word need quotes: POSIX shells and cmd.exe / PowerShell.
_SPECIAL = {False: set(" \t\"'\\$`!&|;<>()[]{}*?#~=%^,@+"), True: set(" \t&|;<>()[]{}^=%!'+,`~@#$")}


def quote(word: str, windows: bool | None = None) -> str:
    """Quote a word for the user's shell, only when it needs it."""
    windows = os.name == "nt" if windows is None else windows
    if word and not set(word) & _SPECIAL[windows]:
        return word
    if windows:
        return f'"{word}"'  # a Windows path cannot contain '"'
    return "'" + word.replace("'", "'\"'\"'") + "'"


def _running_launcher() -> Path | None:
    """The ``dangjian`` launcher this process was started through, or None (``python -m generator``)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None or started.name.lower() not in ("dangjian", "dangjian.exe"):
        return None
    # On Windows the launcher is dangjian.exe, and its script takes ".exe" off sys.argv[0].
    for candidate in (started, started.with_name(started.name + ".exe")):
        if candidate.is_file():
            return candidate.absolute()
    return None


def _on_path(launcher: Path) -> bool:
    """Tell whether typing ``dangjian`` in this shell runs this very launcher."""
    found = shutil.which("dangjian")
    try:
        return found is not None and launcher.samefile(found)
    except OSError:
        return False


def _importable_elsewhere() -> bool:
    """Tell whether ``python -m generator`` works from any folder, not only from the current one."""
    root = Path(generator.__file__).resolve().parent.parent
    # The first entry is the current folder when run with -m (none is added with -P); relative
    # entries name other folders after a cd.
    entries = sys.path if sys.flags.safe_path else sys.path[1:]
    return any(Path(entry).is_absolute() and Path(entry).resolve() == root for entry in entries)


def command_prefix() -> tuple[str, bool]:
    """What to type to run dangjian, and whether that works from any folder."""
    launcher = _running_launcher()
    if launcher is not None:
        return ("dangjian" if _on_path(launcher) else quote(str(launcher))), True
    return f"{quote(sys.executable)} -m generator", _importable_elsewhere()


def change_folder(target: PurePath, cwd: PurePath, windows: bool) -> list[str]:
    """The lines that enter a folder, in cmd.exe and PowerShell alike on Windows."""
    lines = [f"cd {quote(str(target), windows)}"]
    if windows:
        drive = PureWindowsPath(target).drive
        if drive and drive.lower() != PureWindowsPath(cwd).drive.lower():
            # cmd.exe's cd does not change drives without /d, which PowerShell does not take.
            lines.insert(0, drive)
    return lines


def next_steps(site_dir: Path) -> tuple[list[str], str, str]:
    """What to type to build and to preview a new site: the lines entering its folder (maybe none),
    then the build command and the serve command, as typed in the shell that made the site."""
    prefix, anywhere = command_prefix()
    if anywhere:
        return change_folder(site_dir, Path.cwd(), os.name == "nt"), f"{prefix} build", f"{prefix} serve"
    site = quote(str(site_dir))
    return [], f"{prefix} build --site {site}", f"{prefix} serve --site {site}"
