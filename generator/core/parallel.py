"""Spread work over processes, with results in input order whatever the scheduling.

How workers start is the start method (``Processes.method``). ``fork`` copies this process:
the worker has everything the parent had, at once. ``spawn`` starts a new interpreter that
imports the package afresh and gets what it needs pickled (Windows has nothing else, and
Python uses it on macOS, where fork is unsafe). ``forkserver`` forks from a small server
process, with what it needs pickled like spawn. The environment variable
``DANGJIAN_START_METHOD`` chooses one; unset, fork wherever Python offers it safely, else spawn
(``from_environment``, which the build calls once: nothing below it reads the environment).

Under fork, ``map_chunks`` forks its workers when it is called, so that they inherit the data
they share with the parent (the model, the plans) instead of receiving it pickled; otherwise
that data is pickled once and each worker unpickles it once, as it starts. ``Workers`` forks
them before the build holds much, and sends them what they need: a worker forked from a large
process copies every page of it that either process writes to afterwards, and reference
counts make that most of what they read. Spawned, they copy nothing of the parent whenever
they start, so ``Workers`` starts them at its first map big enough: a small site then never
pays for them. Where the work is small it runs in this process: same results, one core.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

from generator.core.errors import SiteError, error

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

# Below this many items the cost of starting processes outweighs the gain.
MIN_ITEMS = 200
# Workers that did not fork import the package before their first chunk: about 0.2 s of CPU
# each, where a fork costs milliseconds. So they must be given more work to be worth it.
SPAWNED_WORK = 10
"""Under spawn (or forkserver) a ``map_chunks`` call needs this many times the items a forked one does.

It pays for its workers on every call. On two cores 5,000 documents' Markdown took 1.62 s in
one process, 1.36 s in two spawned workers and 1.13 s in two forked ones (best of five): the
start costs about 0.25 s, and two workers gain about 0.1 ms a document, so Markdown gains from
about 2,500 documents. Work lighter per item (search postings) gains later; more cores, sooner.
"""
SPAWNED_FIRST_MAP = 500
"""Under spawn (or forkserver), ``Workers`` start at their first map of at least this many items.

They are paid for once per build. A cold build of 400 stories took 1.07 s in one process and
1.14 s with two spawned workers; of 1,000 stories, 2.68 s and 1.91 s (best of four).
"""
CHUNKS_PER_JOB = 4

START_METHOD = "DANGJIAN_START_METHOD"
"""The environment variable that chooses how worker processes start."""
START_METHODS = ("fork", "spawn", "forkserver")
# macOS offers fork, but Python has defaulted to spawn there since 3.8: its system libraries
# may start threads that a forked child cannot continue.
DEFAULT_METHOD = ("fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
                  else "spawn")
"""How workers start when the environment does not say: the same in every process, so a constant."""

# The process that imported this module: a worker started by fork inherits its parent's
# value, one that imported the package itself (spawn, forkserver) has its own pid here.
_IMPORTED_IN = os.getpid()
# Set in each worker process by _install before any chunk runs: the function and the data it
# shares with the parent. The parent process never sets it.
_worker: tuple[Callable[[Any, Sequence[Any]], list[Any]], Any] | None = None
# In a worker of ``Workers``: the number of the map whose shared data it unpickled last, and that data.
_received: tuple[int, Any] | None = None


@dataclass(frozen=True)
class Processes:
    """How many worker processes a step may use, and how they start."""

    jobs: int = 1
    method: str = DEFAULT_METHOD
    """One of ``START_METHODS``, available on this system."""
    report: bool = False
    """Say on stderr how workers start, and how each got the package (``DANGJIAN_DEBUG``)."""


ALONE = Processes()
"""Work in the caller's process only."""


def from_environment(environ: Mapping[str, str], jobs: int) -> Processes:
    """``jobs`` processes, started as ``DANGJIAN_START_METHOD`` says; raise SiteError for a value this system lacks.

    A wrong value stops the build rather than fall back to the default: whoever sets it wants
    that method (to reproduce Windows on Linux, or in a test proving spawn), and a build that
    quietly forks instead would prove nothing. It is checked whether or not this build starts
    processes, so that a misspelt value shows at once, not the day the site outgrows one process.
    """
    method = environ.get(START_METHOD, "").strip().lower() or DEFAULT_METHOD
    available = [name for name in START_METHODS if name in multiprocessing.get_all_start_methods()]
    if method not in available:
        shown = environ[START_METHOD]
        message = (f"环境变量的值“{shown}”无效" if method not in START_METHODS
                   else f"本系统不能以 {method} 方式启动工作进程")
        raise SiteError([error(START_METHOD, 0, message,
                               f"可用的值：{'、'.join(available)}；不设置时用 {DEFAULT_METHOD}")])
    return Processes(jobs, method, bool(environ.get("DANGJIAN_DEBUG")))


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
    if not sys.platform.startswith("linux"):
        return  # no glibc; and on Windows ctypes.CDLL(None) raises TypeError (Python 3.11)
    with contextlib.suppress(OSError, AttributeError):  # another C library (musl) has no malloc_trim
        ctypes.CDLL(None).malloc_trim(0)


def _start_early(report: bool) -> None:
    # The build turns the cycle collector off, for the millions of objects it keeps; a forked
    # worker inherits that, and would never free the cycles its templates make (a few per page).
    # So workers collect, but only what they make: what came by fork is set aside untouched.
    gc.freeze()
    gc.enable()
    if report:
        got = "imported afresh" if os.getpid() == _IMPORTED_IN else f"inherited from process {_IMPORTED_IN}"
        _line(f"dangjian: worker {os.getpid()}: package {got}")


def _line(text: str) -> None:
    """Write a line on stderr in one piece: the workers write theirs at the same moment."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _install(report: bool, work: Callable[[Any, Sequence[Any]], list[Any]], shared: Any) -> None:
    global _worker
    _worker = (work, shared)
    _start_early(report)  # after the shared data: it is the parent's, or made once and kept


def _install_sent(report: bool, sent: bytes) -> None:
    try:
        work, shared = pickle.loads(sent)
    except Exception as exc:  # raised again by each chunk, in the parent
        # A worker whose initializer fails dies, and the pool starts another for ever: the map
        # would never end. Failing its chunks instead, it reports the error where it is awaited.
        work, shared = _fail, exc
    _install(report, work, shared)


def _fail(error: Exception, chunk: Sequence[Any]) -> list[Any]:
    raise error


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


def _say(processes: Processes, message: str) -> None:
    if processes.report:
        _line(f"dangjian: parallel: {message}")


def _pool(processes: Processes, purpose: str, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> Any:
    """Start ``processes.jobs`` workers as ``processes.method`` says, each running ``initializer`` first."""
    if processes.method == "fork":
        release_memory()
    _say(processes, f"{purpose}: {processes.jobs} workers started by {processes.method}")
    context = multiprocessing.get_context(processes.method)
    return context.Pool(processes.jobs, initializer=initializer, initargs=(processes.report, *initargs))


def map_chunks(work: Callable[[S, Sequence[T]], list[R]], shared: S, items: Sequence[T],
               processes: Processes, chunk: int | None = None, least: int = MIN_ITEMS) -> Iterator[R]:
    """Yield ``work(shared, chunk)`` results for consecutive chunks of ``items``, in order.

    ``work`` must be a module-level function. ``shared`` reaches the workers by fork, or
    else pickled once (then it must pickle). ``chunk`` caps the items of a chunk (what a
    worker holds at once may grow with it). Fewer than ``least`` items are worked on in this
    process (``SPAWNED_WORK`` times as many unless forked; the default suits items of little work each).
    """
    jobs = processes.jobs
    if jobs <= 1 or len(items) < (least if processes.method == "fork" else least * SPAWNED_WORK):
        yield from work(shared, items)
        return
    purpose = f"{work.__name__}, {len(items)} items"
    if processes.method == "fork":
        pool = _pool(processes, purpose, _install, (work, shared))
    else:  # pickled here once, not once for each worker; ``work`` too, so that no worker can fail to start
        pool = _pool(processes, purpose, _install_sent, (pickle.dumps((work, shared), pickle.HIGHEST_PROTOCOL),))
    with pool:
        count = jobs * CHUNKS_PER_JOB if chunk is None else max(jobs * CHUNKS_PER_JOB, -(-len(items) // chunk))
        for results in pool.imap(_run, _chunks(items, count)):
            yield from results


class Workers:
    """Worker processes started before the build holds much (fork) or at the first big map, kept for several maps.

    Each map's ``shared`` data is pickled once and unpickled by each worker once; its items
    go pickled, chunk by chunk. Use as a context manager: leaving it stops the workers.
    """

    def __init__(self, processes: Processes) -> None:
        self.processes = processes
        self._maps = 0
        self._pool: Any = None
        self._closed = processes.jobs <= 1
        if not self._closed and processes.method == "fork":
            self._pool = _pool(processes, "kept workers", _start_early, ())

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close(finish=error is None)

    def close(self, finish: bool = True) -> None:
        """Stop the workers, once their work is done (``finish``) or at once; later maps run in this process."""
        self._closed = True
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
        starting = self._pool is None  # (only under spawn: forked workers start with the build)
        if self._closed or len(items) < (max(least, SPAWNED_FIRST_MAP) if starting else least):
            yield from work(shared, items)
            return
        if starting:
            self._pool = _pool(self.processes, "kept workers", _start_early, ())
        _say(self.processes, f"{work.__name__}, {len(items)} items: in the kept workers")
        self._maps += 1
        data = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
        count = self.processes.jobs * CHUNKS_PER_JOB
        if chunk is not None:
            count = max(count, -(-len(items) // chunk))
        tasks = ((work, self._maps, data, part, tidy) for part in _chunks(items, count))
        for results in self._pool.imap(_run_sent, tasks):
            yield from results
