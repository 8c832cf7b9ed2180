"""Is the output already up to date? Answered from file sizes and times, before anything is read.

This is the whole of a no-change build: fingerprint what a build reads (content/,
themes/, the built-in theme, site.yaml, the options), compare it with the fingerprint
the last successful build stored in the cache, and check that the output folder still
holds exactly the files that build wrote. It imports little, so that such a build
takes a fraction of a second.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from generator import cache
from generator.errors import Problem
from generator.files import Signature, builtin_theme_dir, scan_content, survey

# A file saved within the clock's coarse tick before the fingerprint may change again unseen.
RACY_SECONDS = 2


@dataclass(frozen=True)
class Inputs:
    """The fingerprint of a build's inputs, and the content scan it was taken from."""

    digest: str
    """Empty when some file is too recent to trust its time."""
    content: dict[str, Signature]


@dataclass(frozen=True)
class LastBuild:
    """What the last build reported, for a build that finds nothing to do."""

    stories: int
    pages: int
    warnings: tuple[Problem, ...]


def fingerprint(site_dir: Path, out_dir: Path, drafts: bool) -> Inputs:
    """Fingerprint everything a build of this site reads, by file size and time."""
    content = scan_content(site_dir / "content") if (site_dir / "content").is_dir() else {}
    files = {f"content/{rel}": signature for rel, signature in content.items()}
    for folder in (site_dir / "themes", builtin_theme_dir()):
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                info = path.stat()
                files[str(path)] = (info.st_mtime_ns, info.st_size)
    config = site_dir / "site.yaml"
    if config.is_file():
        info = config.stat()
        files["site.yaml"] = (info.st_mtime_ns, info.st_size)
    racy_ns = int((time.time() - RACY_SECONDS) * 1e9)
    if any(mtime >= racy_ns for mtime, _ in files.values()):
        return Inputs("", content)
    options = (str(out_dir.resolve()), drafts)
    return Inputs(hashlib.blake2b(repr((sorted(files.items()), options)).encode(), digest_size=16).hexdigest(),
                  content)


def current(snapshot: cache.Snapshot, inputs: Inputs, out_dir: Path) -> LastBuild | None:
    """Return the last build's report if its inputs are these and its output is untouched."""
    last = snapshot.table("build").get("last")
    if not inputs.digest or last is None or last[0] != inputs.digest or not out_dir.is_dir():
        return None
    manifest, stories, pages, warnings = last[1]
    return LastBuild(stories, pages, warnings) if survey(out_dir) == manifest else None


def remember(inputs: Inputs, built: LastBuild, output: dict[str, tuple[int, int]]) -> tuple[str, object]:
    """Return the cache row that lets the next build find this one current.

    ``output`` is every file of the output folder with its (size, mtime), as the build left it.
    """
    return inputs.digest, (output, built.stories, built.pages, built.warnings)
