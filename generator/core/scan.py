"""Fast looks at folders: sizes and times of every file, without reading any.

Kept free of heavy imports: the "nothing changed" check of a build runs on this alone.
"""

from __future__ import annotations

import os
from pathlib import Path

Signature = tuple[int, int]
"""A file's modification time (ns) and size: cheap to read, changed by every save."""


def scan_content(content_dir: Path) -> dict[str, Signature]:
    """Stat every file under content/ once; hidden files and folders are left out."""
    found: dict[str, Signature] = {}
    stack = [(content_dir, "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                rel = prefix + entry.name
                if entry.is_dir():
                    stack.append((Path(entry.path), rel + "/"))
                elif entry.is_file():
                    info = entry.stat()
                    found[rel] = (info.st_mtime_ns, info.st_size)
    return dict(sorted(found.items()))


Manifest = dict[str, tuple[int, int]]
"""Output path → (size, mtime in ns) of a file: as dangjian wrote it, or as a survey finds it."""


def survey(out_dir: Path) -> Manifest:
    """Size and time of every file in the output folder, as found now."""
    found: Manifest = {}
    stack = [(str(out_dir), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((entry.path, prefix + entry.name + "/"))
                else:
                    info = entry.stat(follow_symlinks=False)
                    found[prefix + entry.name] = (info.st_size, info.st_mtime_ns)
    return found


def builtin_theme_dir() -> Path:
    """Return the default theme shipped with dangjian (in the wheel or the source tree)."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "themes" / "default", package.parent / "themes" / "default"):
        if (candidate / "templates").is_dir():
            return candidate
    raise FileNotFoundError("the built-in default theme is missing from the installation")
