"""Write the built site: the only module that touches the output folder.

Everything is written into a fresh folder beside the output, which then replaces
the output in two renames. A failed build therefore leaves the previous output as
it was, and a successful one leaves no stale pages behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.core.errors import SiteError, error
from generator.core.scan import Manifest


@dataclass(frozen=True)
class CopyFile:
    """A file copied unchanged into the output (images, stylesheets)."""

    path: str
    source: Path


def check_output_dir(out_dir: Path, site_dir: Path) -> None:
    """Refuse an output folder whose replacement would destroy sources."""
    out, site = out_dir.resolve(), site_dir.resolve()
    sources = [site / "content", site / "themes"]
    inside_sources = any(out == s or s in out.parents for s in sources)
    if out == site or out in site.parents or inside_sources or (out / "site.yaml").exists() or (out / ".git").exists():
        raise SiteError([error(str(out_dir), 0, "输出文件夹不能是站点文件夹或包含站点源文件的文件夹",
                               "构建会整个替换输出文件夹；请换一个，例如 --out output")])


def _target(root: Path, rel: str) -> Path:
    path = root.joinpath(*rel.split("/"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


class Filling:
    """Writes files into a folder being filled (by this process or a worker), making each of its folders once.

    A build writes two files a story; through ``pathlib`` (a path object, a ``mkdir`` that
    fails for every existing folder, a buffered file) writing cost as much as rendering the
    Markdown. With plain ``os`` calls and the folders remembered it is about half that.
    """

    def __init__(self, root: Path) -> None:
        self._root = os.fspath(root)
        self._made: set[str] = {""}

    def put(self, rel: str, data: bytes) -> None:
        """Write one file; ``rel`` is its "/"-separated path inside the folder."""
        self._folder(rel.rpartition("/")[0])
        handle = os.open(f"{self._root}/{rel}", _CREATE, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
        finally:
            os.close(handle)

    def _folder(self, rel: str) -> None:
        if rel in self._made:
            return
        self._folder(rel.rpartition("/")[0])
        # Made by another worker filling the same folder: fine. (os.mkdir, not Path.mkdir: see above.)
        with contextlib.suppress(FileExistsError):
            os.mkdir(f"{self._root}/{rel}")  # noqa: PTH102
        self._made.add(rel)


def write_site(out_dir: Path, files: Iterable[tuple[str, bytes]], copies: Iterable[CopyFile],
               on_file: Callable[[], None] | None = None) -> int:
    """Write every file into a fresh folder, then swap it in place of ``out_dir``; return the count."""

    def fill(staging: Path) -> Iterator[str]:
        filling = Filling(staging)
        for rel, data in files:
            filling.put(rel, data)
            yield rel

    return fill_site(out_dir, fill, copies, on_file)


def fill_site(out_dir: Path, fill: Callable[[Path], Iterable[object]], copies: Iterable[CopyFile],
              on_file: Callable[[], None] | None = None) -> int:
    """Let ``fill`` write pages into a fresh folder (yielding once per file), copy files, then swap it in."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = out_dir.with_name(f".{out_dir.name}.new-{os.getpid()}")
    retired = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    count = 0
    try:
        for _ in fill(staging):
            count += 1
            if on_file:
                on_file()
        for copy in copies:
            shutil.copyfile(copy.source, _target(staging, copy.path))
            count += 1
            if on_file:
                on_file()
        if out_dir.exists():
            out_dir.rename(retired)
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if retired.exists() and not out_dir.exists():
            retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return count


def _replace(path: Path, data: bytes) -> None:
    """Write a file so that a reader never sees it half-written."""
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    temporary.replace(path)


def remove_files(out_dir: Path, rels: Iterable[str]) -> None:
    """Remove output files and the folders they leave empty."""
    for rel in rels:
        _remove(out_dir, rel)


def _remove(out_dir: Path, rel: str) -> None:
    """Remove one output file and the folders it leaves empty."""
    path = out_dir.joinpath(*rel.split("/"))
    path.unlink(missing_ok=True)
    folder = path.parent
    while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def sync_site(out_dir: Path, files: Sequence[tuple[str, bytes]], copies: Sequence[CopyFile],
              removed: Iterable[str], copied: dict[str, tuple[int, int]]) -> int:
    """Update a folder in place: remove pages that are gone, write the given pages, copy changed files.

    ``copied`` remembers what each copy was made from and is updated; copies no longer wanted
    are removed too. Returns the number of files written or removed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {copy.path for copy in copies}
    gone = sorted(set(removed) | (copied.keys() - wanted))
    for rel in gone:  # first, so that a new file may take the place of an old one
        copied.pop(rel, None)
        _remove(out_dir, rel)
    count = len(gone)
    for rel, data in files:
        _replace(_target(out_dir, rel), data)
        count += 1
    for copy in copies:
        info = copy.source.stat()
        signature = (info.st_mtime_ns, info.st_size)
        if copied.get(copy.path) != signature or not (out_dir / copy.path).is_file():
            target = _target(out_dir, copy.path)
            temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            shutil.copyfile(copy.source, temporary)
            temporary.replace(target)
            copied[copy.path] = signature
            count += 1
    return count


def record(out_dir: Path, paths: Iterable[str]) -> Manifest:
    """Note the size and time of written files, to notice later whether anyone changed them."""
    manifest: Manifest = {}
    for rel in paths:
        info = out_dir.joinpath(*rel.split("/")).stat()
        manifest[rel] = (info.st_size, info.st_mtime_ns)
    return manifest


def discard_folder(folder: Path) -> None:
    """Delete a folder from a separate process, so that nobody waits for it (thousands of files take seconds)."""
    remove = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    try:
        subprocess.Popen([sys.executable, "-c", remove, str(folder)], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
