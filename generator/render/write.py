"""Write the built site: the only module that touches the output folder.

Everything is written into a fresh folder beside the output, which then replaces
the output in two renames. A failed build therefore leaves the previous output as
it was, and a successful one leaves no stale pages behind. Where the output folder
cannot be renamed (Windows, while a file in it is open; a mount point), its files
are exchanged one by one instead, all or nothing: see ``_exchange``.
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
from typing import NamedTuple

from generator.core.errors import Problem, SiteError, error, warning
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


class Filled(NamedTuple):
    """What filling the output did: the files written, and what the user should know of how."""

    written: int
    notes: tuple[Problem, ...] = ()


def write_site(out_dir: Path, files: Iterable[tuple[str, bytes]], copies: Iterable[CopyFile],
               on_file: Callable[[], None] | None = None) -> Filled:
    """Write every file into a fresh folder, then swap it in place of ``out_dir``."""

    def fill(staging: Path) -> Iterator[str]:
        filling = Filling(staging)
        for rel, data in files:
            filling.put(rel, data)
            yield rel

    return fill_site(out_dir, fill, copies, on_file)


def fill_site(out_dir: Path, fill: Callable[[Path], Iterable[object]], copies: Iterable[CopyFile],
              on_file: Callable[[], None] | None = None) -> Filled:
    """Let ``fill`` write pages into a fresh folder (yielding once per file), copy files, then swap it in."""
    out_dir = out_dir.absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _beside(out_dir, "new")
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
        notes = _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Filled(count, notes)


def _beside(out_dir: Path, role: str) -> Path:
    """A working folder beside the output: on its disk, so that moving files into it is a rename."""
    return out_dir.with_name(f".{out_dir.name}.{role}-{os.getpid()}")


def _swap_in(staging: Path, out_dir: Path) -> tuple[Problem, ...]:
    """Put the filled folder in place of the output: two folder renames, or file by file where those fail."""
    retired = _beside(out_dir, "old")
    if out_dir.exists():
        try:
            _rename(out_dir, retired)
        except OSError:
            # Windows refuses to rename a folder while any file in it is open (a web server, a
            # browser tab, an Explorer window); a mount point cannot be renamed anywhere.
            old = _files_under(out_dir)
            new = _files_under(staging)
            _exchange(out_dir, [(staging / rel, rel) for rel in new], sorted(old - new.keys()))
            return (warning(str(out_dir), 0, "输出文件夹正被其他程序使用，无法整体替换，已逐个替换其中的文件",
                            "网站已完整更新；关闭打开输出文件夹的窗口或程序后，下次构建会恢复整体替换"),)
    try:
        _rename(staging, out_dir)
    except BaseException:
        if retired.exists() and not out_dir.exists():
            _rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return ()


def _rename(source: Path, target: Path) -> None:
    """Rename a file or folder (one place, so that tests can make it fail as Windows would)."""
    source.rename(target)


def _files_under(folder: Path) -> dict[str, Path]:
    """Every file under ``folder``, by its "/"-separated relative path."""
    found: dict[str, Path] = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            found[path.relative_to(folder).as_posix()] = path
    return found


def _exchange(out_dir: Path, moves: Sequence[tuple[Path, str]], gone: Sequence[str]) -> None:
    """Move new files into ``out_dir`` and remove ``gone`` ones, all or nothing.

    The files to be replaced or removed are first moved aside, which fails for a file held
    open on Windows; then the output is put back as it was and the build fails naming it.
    """
    aside = _beside(out_dir, "old")
    shutil.rmtree(aside, ignore_errors=True)
    wanted = [rel for _, rel in moves]
    moved: list[str] = []
    try:
        for rel in sorted({*wanted, *gone}):
            if (out_dir / rel).is_file():
                _target(aside, rel)
                _rename(out_dir / rel, aside / rel)
                moved.append(rel)
    except OSError as exc:
        _put_back(aside, out_dir, moved)
        raise SiteError([_held(out_dir, rel, exc)]) from None
    _prune(out_dir, moved)
    placed: list[str] = []
    try:
        for source, rel in moves:
            _rename(source, _target(out_dir, rel))
            placed.append(rel)
    except OSError as exc:
        for rel in placed:  # back where they came from, so that the old files fit again
            (out_dir / rel).unlink(missing_ok=True)
        _prune(out_dir, placed)
        _put_back(aside, out_dir, moved)
        raise SiteError([_held(out_dir, rel, exc)]) from None
    shutil.rmtree(aside, ignore_errors=True)


def _put_back(aside: Path, out_dir: Path, moved: Sequence[str]) -> None:
    """Return the files moved aside to their places."""
    for rel in reversed(moved):
        _rename(aside / rel, _target(out_dir, rel))
    shutil.rmtree(aside, ignore_errors=True)


def _prune(out_dir: Path, rels: Iterable[str]) -> None:
    """Remove the folders that files leaving ``out_dir`` left empty (deepest first)."""
    folders = {parent for rel in rels for parent in (out_dir / rel).parents if out_dir in parent.parents}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        with contextlib.suppress(OSError):  # not empty: another file still lives there
            folder.rmdir()


def _held(out_dir: Path, rel: str, exc: OSError) -> Problem:
    """The problem of a file in the output that could not be replaced."""
    return error(f"{out_dir}/{rel}", 0, f"无法替换这个文件：{exc.strerror or exc}",
                 "它可能正被浏览器、网站服务器或其他程序打开；关闭后重新构建。输出文件夹未作改动")


def sync_site(out_dir: Path, files: Sequence[tuple[str, bytes]], copies: Sequence[CopyFile],
              removed: Iterable[str], copied: dict[str, tuple[int, int]]) -> int:
    """Update a folder in place: remove pages that are gone, write the given pages, copy changed files.

    ``copied`` remembers what each copy was made from and is updated; copies no longer wanted
    are removed too. The new files are made beside the output first and then moved in, all or
    nothing (see ``_exchange``). Returns the number of files written or removed.
    """
    out_dir = out_dir.absolute()
    out_dir.mkdir(parents=True, exist_ok=True)
    wanted = {copy.path for copy in copies}
    gone = sorted(set(removed) | (copied.keys() - wanted))
    staging = _beside(out_dir, "new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    made: dict[str, tuple[int, int]] = {}
    try:
        filling = Filling(staging)
        for rel, data in files:
            filling.put(rel, data)
        for copy in copies:
            info = copy.source.stat()
            signature = (info.st_mtime_ns, info.st_size)
            if copied.get(copy.path) != signature or not (out_dir / copy.path).is_file():
                shutil.copyfile(copy.source, _target(staging, copy.path))
                made[copy.path] = signature
        moves = [(staging / rel, rel) for rel in (*(rel for rel, _ in files), *made)]
        _exchange(out_dir, moves, [rel for rel in gone if rel not in made])
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for rel in gone:
        copied.pop(rel, None)
    copied.update(made)
    return len(gone) + len(files) + len(made)


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
