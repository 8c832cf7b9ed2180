"""The persistent build cache in ``.dangjian-cache/``: what ``dangjian build`` may reuse next time.

One SQLite file holds named tables of ``key → (inputs, value)`` rows, pickled. It is
written in one transaction after a successful build, so a crash leaves the previous
cache or none; anything unreadable (a torn file, another dangjian version, another
format) is thrown away and the build simply does all the work.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator import __version__

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing itself costs a no-change build a few milliseconds to import
    from typing import Any

    Row = tuple[str, Any, Any]
    """A row of a table as made: key, inputs, value."""

CACHE_DIR = ".dangjian-cache"
CACHE_FILE = "build.sqlite"
FORMAT = 8
"""Bump when what is stored changes shape; old caches are then ignored.

7: the modules moved into stage packages; rows of format 6 name classes where they no longer are.
8: sources and stories carry their review fingerprint and approvals; places their approved levels;
   the stored site carries its lint (terms.yaml, banned.yaml), and Markdown rows are keyed by the lint's mark too;
   the checks of issue #18: headings and links into them on ``RenderedDoc``, the graph's ``checks`` row,
   the last build's ``until``.
"""


class Snapshot:
    """The cache as the last build left it; each table is read when first asked for."""

    # A plain class: a build with nothing to do imports this module, and not dataclasses.
    def __init__(self, path: Path | None = None, saved_at: float = 0.0, output_files: int = 0,
                 problem: str = "") -> None:
        self.path = path
        self.saved_at = saved_at
        """Seconds since the epoch when the cache was written (for racy file times)."""
        self.output_files = output_files
        """How many files the last build left in the output folder (0: not known)."""
        self.problem = problem
        """Why the cache cannot be used, if it cannot."""
        self.tables: dict[str, dict[str, tuple[Any, Any]]] = {}

    @property
    def usable(self) -> bool:
        """Tell whether there is a cache to reuse."""
        return self.path is not None and not self.problem

    def table(self, name: str) -> dict[str, tuple[Any, Any]]:
        """Return one table: ``key → (inputs, value)``; empty when absent or unreadable."""
        if name not in self.tables:
            self.tables[name] = self._read(name) if self.usable else {}
        return self.tables[name]

    def rows(self, name: str, keys: Iterable[str]) -> dict[str, tuple[Any, Any]]:
        """Return some rows of a table, read alone when the table is not read whole: those present."""
        wanted = sorted(set(keys))
        if name in self.tables or not self.usable:
            table = self.table(name)
            return {key: table[key] for key in wanted if key in table}
        found: dict[str, tuple[Any, Any]] = {}
        for start in range(0, len(wanted), 500):  # SQLite limits the parameters of one statement
            chunk = wanted[start : start + 500]
            found |= self._select(f"name = ? AND key IN ({', '.join('?' * len(chunk))})", (name, *chunk))
        return found

    def inputs(self, name: str) -> dict[str, Any]:
        """Return the inputs of every row of a table, without reading the values."""
        if name in self.tables or not self.usable:
            return {key: row[0] for key, row in self.table(name).items()}
        assert self.path is not None
        try:
            with contextlib.closing(sqlite3.connect(self.path)) as db:
                rows = db.execute("SELECT key, inputs FROM entries WHERE name = ?", (name,))
                return {key: pickle.loads(inputs) for key, inputs in rows}
        except Exception as exc:
            self.problem = f"cache unusable ({type(exc).__name__}: {exc})"
            return {}

    def _read(self, name: str) -> dict[str, tuple[Any, Any]]:
        return self._select("name = ?", (name,))

    def _select(self, where: str, parameters: tuple[str, ...]) -> dict[str, tuple[Any, Any]]:
        assert self.path is not None
        try:
            with contextlib.closing(sqlite3.connect(self.path)) as db:
                rows = db.execute(f"SELECT key, inputs, value FROM entries WHERE {where}", parameters)
                return {key: (pickle.loads(inputs), pickle.loads(value)) for key, inputs, value in rows}
        except Exception as exc:
            self.problem = f"cache unusable ({type(exc).__name__}: {exc})"
            return {}


def _identity() -> str:
    return f"dangjian {__version__} cache format {FORMAT}"


def cache_path(site_dir: Path) -> Path:
    """Return where a site's cache lives."""
    return site_dir / CACHE_DIR / CACHE_FILE


def load(site_dir: Path) -> Snapshot:
    """Open a site's cache; an unusable one gives an empty snapshot and is removed."""
    path = cache_path(site_dir)
    if not path.is_file():
        return Snapshot(problem="no cache yet")
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("identity") != _identity():
            raise ValueError(f"written by {meta.get('identity')}")
        return Snapshot(path, float(meta.get("saved_at", 0)), output_files=int(meta.get("output_files", 0)))
    except Exception as exc:
        _discard(path)
        return Snapshot(problem=f"cache unusable ({type(exc).__name__}: {exc}); doing a full build")


def _discard(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


class FreshCache:
    """A cache written afresh as a build goes, beside the old one, which it replaces only once complete.

    Rows are added as they are made, so that the build need not hold them all (the stories'
    HTML is most of them). A build that fails throws the new file away: the old cache stays.
    """

    def __init__(self, site_dir: Path) -> None:
        self.path = cache_path(site_dir)
        _prepare_folder(self.path.parent)
        self.temporary = self.path.with_name(f"{self.path.name}.new-{os.getpid()}")
        _discard(self.temporary)
        self.db = sqlite3.connect(self.temporary)
        # Nobody reads the file before it is complete and renamed: it needs no journal.
        self.db.execute("PRAGMA journal_mode = OFF")
        _create(self.db)

    def add(self, name: str, rows: Iterable[Row]) -> None:
        """Add rows ``(key, inputs, value)`` to a table."""
        self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                            ((name, key, pickle.dumps(inputs, protocol=5), pickle.dumps(value, protocol=5))
                             for key, inputs, value in rows))

    def finish(self, output_files: int) -> None:
        """Write what identifies the cache, and put it in place of the old one."""
        _meta(self.db, output_files)
        self.db.commit()
        self.db.close()
        # The old file's journal must not outlive it: it would be played back into the new one.
        for suffix in ("-journal", "-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
        self.temporary.replace(self.path)

    def discard(self) -> None:
        """Throw the new cache away."""
        self.db.close()
        _discard(self.temporary)


def _prepare_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")


def _create(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS entries "
               "(name TEXT, key TEXT, inputs BLOB, value BLOB, PRIMARY KEY (name, key))")


def _meta(db: sqlite3.Connection, output_files: int) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                   [("identity", _identity()), ("saved_at", repr(time.time())), ("output_files", str(output_files))])


def save(site_dir: Path, tables: Mapping[str, Mapping[str, tuple[Any, Any]]], unchanged: Snapshot,
         by_inputs: frozenset[str] = frozenset(), output_files: int = 0) -> int:
    """Bring the cache up to date with these tables in one transaction; return the rows written.

    Rows whose inputs are equal and whose value is the very object read from ``unchanged``
    are left as they are; in the tables named in ``by_inputs``, equal inputs suffice (their
    values are not read to compare). A cache that cannot be updated is written afresh.
    """
    path = cache_path(site_dir)
    _prepare_folder(path.parent)
    if unchanged.usable:
        try:
            return _write(path, tables, unchanged, by_inputs, output_files)
        except sqlite3.Error:
            pass
    _discard(path)
    return _write(path, tables, Snapshot(), by_inputs, output_files)


def patch(site_dir: Path, rows: Mapping[str, Mapping[str, tuple[Any, Any]]]) -> int:
    """Write these rows into an existing cache in one transaction, leaving every other row as it is.

    The time the cache was saved stays that of the last whole save: rows written here are then
    treated as too recent to trust by a build that reads them whole, which checks them again.
    """
    path = cache_path(site_dir)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                       ((name, key, pickle.dumps(inputs, protocol=5), pickle.dumps(value, protocol=5))
                        for name, table in rows.items() for key, (inputs, value) in table.items()))
    return sum(map(len, rows.values()))


def _write(path: Path, tables: Mapping[str, Mapping[str, tuple[Any, Any]]], unchanged: Snapshot,
           by_inputs: frozenset[str], output_files: int) -> int:
    written = 0
    # What the cache holds is read before this connection writes: once its transaction spills
    # pages to the file it locks the file exclusively, and another connection reading then
    # would wait out SQLite's five-second timeout and fail, making every row look changed.
    held = {name: unchanged.inputs(name) if name in by_inputs else unchanged.table(name) for name in tables}
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        # One transaction: SQLite's journal keeps the old cache whole until it commits.
        _create(db)
        _meta(db, output_files)
        names = sorted(tables)
        db.execute(f"DELETE FROM entries WHERE name NOT IN ({', '.join('?' * len(names))})", names)
        for name, rows in tables.items():
            if name in by_inputs:
                known = held[name]
                gone = [(name, key) for key in known if key not in rows]
                changed = [key for key, (inputs, _) in rows.items() if key not in known or known[key] != inputs]
            else:
                before = held[name]
                gone = [(name, key) for key in before if key not in rows]
                changed = [key for key, (inputs, value) in rows.items()
                           if key not in before or before[key][0] != inputs or before[key][1] is not value]
            db.executemany("DELETE FROM entries WHERE name = ? AND key = ?", gone)
            # A generator, so that only one row at a time exists in pickled form.
            db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)",
                           ((name, key, pickle.dumps(rows[key][0], protocol=5), pickle.dumps(rows[key][1], protocol=5))
                            for key in changed))
            written += len(changed) + len(gone)
    return written
