"""Spread work over processes, with results in input order whatever the scheduling.

Work runs in forked processes, which inherit the data they share with the parent
(the model, the plans) instead of receiving it pickled. Where fork is unavailable
(Windows) or the work is small, it runs in this process: same results, one core.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
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
