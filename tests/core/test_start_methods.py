"""Workers started by spawn get what fork would give them, pickled; the environment chooses the method (issue #17)."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from generator.core import parallel
from generator.core.errors import SiteError
from generator.core.parallel import (
    DEFAULT_METHOD,
    MIN_ITEMS,
    SPAWNED_FIRST_MAP,
    SPAWNED_WORK,
    START_METHOD,
    Processes,
    Workers,
    map_chunks,
)

# Filled by the test in the parent process only: a worker sees it filled only if it was forked from it.
_SET_IN_PARENT: list[str] = []


def _offset_and_origin(offset: int, chunk: Sequence[int]) -> list[tuple[int, int, bool]]:
    """Each item plus the shared offset, this process's pid, and whether it shares the parent's memory."""
    return [(item + offset, os.getpid(), bool(_SET_IN_PARENT)) for item in chunk]


def _items(_: object, chunk: Sequence[int]) -> list[int]:
    return list(chunk)


class _Explodes:
    """Pickles, but unpickling it raises: as a class missing from the worker's imports would."""

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return _explode, ()


def _explode() -> None:
    raise ValueError("cannot be unpickled here")


@pytest.fixture
def parent_mark():
    _SET_IN_PARENT.append("parent")
    yield
    _SET_IN_PARENT.clear()


def test_the_environment_chooses_the_start_method():
    assert parallel.from_environment({}, 3) == Processes(3, DEFAULT_METHOD, report=False)
    assert DEFAULT_METHOD == "fork"  # on Linux, where the suite runs
    assert parallel.from_environment({START_METHOD: ""}, 2).method == DEFAULT_METHOD
    assert parallel.from_environment({START_METHOD: " Spawn "}, 2) == Processes(2, "spawn")
    assert parallel.from_environment({START_METHOD: "forkserver", "DANGJIAN_DEBUG": "1"}, 2) == Processes(
        2, "forkserver", report=True)


def test_an_unknown_start_method_is_reported_with_the_allowed_ones():
    with pytest.raises(SiteError) as raised:
        parallel.from_environment({START_METHOD: "threads"}, 2)
    assert [p.format() for p in raised.value.problems] == [
        "DANGJIAN_START_METHOD: error: 环境变量的值“threads”无效 (可用的值：fork、spawn、forkserver；不设置时用 fork)"]


def test_a_start_method_this_system_lacks_is_reported(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    with pytest.raises(SiteError) as raised:
        parallel.from_environment({START_METHOD: "fork"}, 2)
    assert [p.format() for p in raised.value.problems] == [
        "DANGJIAN_START_METHOD: error: 本系统不能以 fork 方式启动工作进程 (可用的值：spawn；不设置时用 fork)"]


def test_memory_is_given_back_only_where_glibc_can(monkeypatch: pytest.MonkeyPatch):
    # Spawned workers call it before each map's data: on Windows ctypes.CDLL(None) raises TypeError.
    def no_c_library(name: object) -> None:
        raise TypeError("argument of type 'NoneType' is not iterable")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "CDLL", no_c_library)
    parallel.release_memory()


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_map_chunks_gives_every_worker_the_shared_data_by_either_method(method: str, parent_mark: None):
    items = list(range(MIN_ITEMS * SPAWNED_WORK))
    results = list(map_chunks(_offset_and_origin, 7, items, Processes(2, method)))
    assert [value for value, _, _ in results] == [item + 7 for item in items]
    pids = {pid for _, pid, _ in results}
    assert os.getpid() not in pids and len(pids) <= 2
    # Spawned workers imported this module afresh: the shared data can only have come pickled.
    assert {inherited for _, _, inherited in results} == {method == "fork"}


def test_a_map_whose_data_a_spawned_worker_cannot_unpickle_fails_instead_of_hanging():
    with pytest.raises(ValueError, match="cannot be unpickled here"):
        list(map_chunks(_items, _Explodes(), list(range(MIN_ITEMS * SPAWNED_WORK)), Processes(2, "spawn")))


def test_a_spawned_map_refuses_shared_data_that_does_not_pickle():
    with pytest.raises((pickle.PicklingError, AttributeError)):
        list(map_chunks(_items, lambda: 0, list(range(MIN_ITEMS * SPAWNED_WORK)), Processes(2, "spawn")))


def test_spawned_work_must_be_bigger_to_leave_this_process():
    # Spawned workers import the package before they work: a fork's threshold would lose time.
    items = list(range(MIN_ITEMS * SPAWNED_WORK - 1))
    assert {pid for _, pid, _ in map_chunks(_offset_and_origin, 0, items, Processes(2, "spawn"))} == {os.getpid()}
    assert os.getpid() not in {pid for _, pid, _ in map_chunks(_offset_and_origin, 0, items, Processes(2, "fork"))}


def test_spawned_workers_start_at_the_first_big_map_and_serve_the_next(parent_mark: None):
    with Workers(Processes(2, "spawn")) as workers:
        assert workers._pool is None, "nothing to copy from the parent: no reason to start before the work"
        small = list(range(SPAWNED_FIRST_MAP - 1))
        assert {pid for _, pid, _ in workers.map_chunks(_offset_and_origin, 0, small)} == {os.getpid()}
        assert workers._pool is None
        items = list(range(SPAWNED_FIRST_MAP))
        first = list(workers.map_chunks(_offset_and_origin, 1, items, chunk=50))
        assert [value for value, _, _ in first] == [item + 1 for item in items]
        assert {inherited for _, _, inherited in first} == {False}
        # Started, they take what a forked worker would take.
        second = list(workers.map_chunks(_offset_and_origin, 100, items[:MIN_ITEMS]))
        assert [value for value, _, _ in second] == [item + 100 for item in items[:MIN_ITEMS]]
        pids = {pid for _, pid, _ in first + second}
        assert os.getpid() not in pids and len(pids) <= 2, "the same two workers serve every map"
    assert workers._pool is None


def test_a_wrong_start_method_is_reported_even_when_the_site_is_up_to_date(
        fixture_site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from generator.cli import main

    assert main(["build", "--site", str(fixture_site)]) == 0
    monkeypatch.setenv(START_METHOD, "threads")
    capsys.readouterr()
    assert main(["build", "--site", str(fixture_site)]) == 1
    said = capsys.readouterr().err
    assert "DANGJIAN_START_METHOD: error: 环境变量的值“threads”无效" in said
    assert "内容没有变化" not in said
