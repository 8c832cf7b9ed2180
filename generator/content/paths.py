"""File paths as authors write them in front matter and Markdown, Windows habits included."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

# C:\…, C:/… : a path on the author's own computer, which the web server does not have.
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def authored(target: str) -> str:
    """Turn Windows separators into "/": ``图片\\现场.jpg`` is what a Windows user types for ``图片/现场.jpg``."""
    return target.replace("\\", "/")


def on_own_computer(target: str) -> bool:
    """Whether ``target`` names a file on the writer's computer (``C:\\…``, ``\\\\server\\share``, ``file:``).

    A single leading backslash counts too: it is the root of the current drive, and it is
    what Markdown leaves of ``\\\\server`` (a backslash escapes a backslash).
    """
    return bool(_DRIVE.match(target)) or target.startswith("\\") or target.lower().startswith("file:")


def other_case(resolved: str, files: Iterable[str]) -> str | None:
    """The file whose path differs from ``resolved`` only in letter case, if there is one.

    Windows finds such a file when the author previews from disk; the intranet web server
    (often Linux) does not, so the build treats it as missing and names the real spelling.
    """
    folded = resolved.casefold()
    folder = posixpath.dirname(resolved)
    return next((path for path in sorted(files) if posixpath.dirname(path).casefold() == folder.casefold()
                 and path.casefold() == folded), None)
