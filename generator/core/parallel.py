"""Spread work over processes, with results in input order whatever the scheduling.

Work runs in forked processes. ``map_chunks`` forks them when it is called, so that they
inherit the data they share with the parent (the model, the plans) instead of receiving it
pickled. ``Workers`` forks them before the build holds much, and sends them what they need:
a worker forked from a large process copies every page of it that either process writes to
afterwards, and reference counts make that most of what they read. Where fork is unavailable
(Windows) or the work is small, it runs in this process: same results, one core.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterator, Sequence
from types import TracebackType
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# Below this many items the cost of starting processes outweighs the gain.
MIN_ITEMS = 200
CHUNKS_PER_JOB = 4

# Set in each worker process by _install before any chunk runs: the function and the data it
# shares with the parent. The parent process never sets it.
_worker: tuple[Callable[[Any, Sequence[Any]], list[Any]], Any] | None = None
# In a worker of ``Workers``: the number of the map whose shared data it unpickled last, and that data.
_received: tuple[int, Any] | None = None


def default_jobs() -> int:
    """Use every core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def release_memory() -> None:
    """Hand memory the process freed back to the system (glibc only; elsewhere nothing happens).

    Forked workers share the parent's pages until they write to them; a freed block they
    reuse would be copied whole for each of them. Returned to the system, it costs nothing.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _install(work: Callable[[Any, Sequence[Any]], list[Any]], shared: Any) -> None:
    global _worker
    _worker = (work, shared)
    # The build turns the cycle collector off, for the millions of objects it keeps; a worker
    # inherits that, and would never free the cycles its templates make (a few per page). So
    # workers collect, but only what they make: what came by fork is set aside untouched.
    gc.freeze()
    gc.enable()


def _start_early() -> None:
    # Like _install; what came by fork is only the imports.
    gc.freeze()
    gc.enable()


def _run_sent(task: tuple[Callable[[Any, Sequence[Any]], list[Any]], int, bytes, Sequence[Any], bool]) -> list[Any]:
    global _received
    work, number, shared, chunk, tidy = task
    if _received is None or _received[0] != number:
        _received = None  # the last map's data is freed before this one's is unpickled
        gc.collect()
        release_memory()
        _received = (number, pickle.loads(shared))
    result = work(_received[1], chunk)
    if tidy:  # what the chunk used is freed by now; the worker may wait long for its next one
        gc.collect()
        release_memory()
    return result


def _run(chunk: Sequence[Any]) -> list[Any]:
    assert _worker is not None
    work, shared = _worker
    return work(shared, chunk)


def _chunks(items: Sequence[T], count: int) -> list[Sequence[T]]:
    size = max(1, -(-len(items) // count))
    return [items[start : start + size] for start in range(0, len(items), size)]


def map_chunks(work: Callable[[S, Sequence[T]], list[R]], shared: S, items: Sequence[T],
               jobs: int | None = None, chunk: int | None = None) -> Iterator[R]:
    """Yield ``work(shared, chunk)`` results for consecutive chunks of ``items``, in order.

    ``work`` must be a module-level function; ``shared`` reaches the workers by fork. ``chunk``
    caps the items of a chunk (what a worker holds at once may grow with it).
    """
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(items) < MIN_ITEMS or "fork" not in multiprocessing.get_all_start_methods():
        yield from work(shared, items)
        return
    release_memory()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_install, initargs=(work, shared)) as pool:
        count = jobs * CHUNKS_PER_JOB if chunk is None else max(jobs * CHUNKS_PER_JOB, -(-len(items) // chunk))
        for results in pool.imap(_run, _chunks(items, count)):
            yield from results


class Workers:
    """Worker processes forked before the build holds much, kept for several maps.

    Each map's ``shared`` data is pickled once and unpickled by each worker once; its items
    go pickled, chunk by chunk. Use as a context manager: leaving it stops the workers.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._maps = 0
        self._pool: Any = None
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_start_early)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(finish=error is None)

    def close(self, finish: bool = True) -> None:
        """Stop the workers, once their work is done (``finish``) or at once; later maps run in this process."""
        if self._pool is not None:
            if finish:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None

    def map_chunks(self, work: Callable[[S, Sequence[T]], list[R]], shared: S, items: Sequence[T],
                   chunk: int | None = None, least: int = MIN_ITEMS, tidy: bool = False) -> Iterator[R]:
        """Like the module's ``map_chunks``, in these workers; ``shared`` must pickle.

        Fewer than ``least`` items are worked on in this process (the default suits items of
        little work each). With ``tidy`` each worker gives the memory a chunk used back to the
        system after it (a few milliseconds): for big chunks after which the workers may wait long.
        """
        if self._pool is None or len(items) < least:
            yield from work(shared, items)
            return
        self._maps += 1
        data = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
        count = self.jobs * CHUNKS_PER_JOB
        if chunk is not None:
            count = max(count, -(-len(items) // chunk))
        tasks = ((work, self._maps, data, part, tidy) for part in _chunks(items, count))
        for results in self._pool.imap(_run_sent, tasks):
            yield from results
