"""Work spread over processes gives the same results, in the same order, as work done in one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.make_site import make_site
from generator.core.parallel import MIN_ITEMS, Processes, Workers, map_chunks
from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from tests.conftest import snapshot


def _square_with_pid(offset: int, chunk: Sequence[int]) -> list[tuple[int, int]]:
    import os

    return [(item * item + offset, os.getpid()) for item in chunk]


def test_map_chunks_keeps_input_order_across_processes():
    items = list(range(MIN_ITEMS * 3))
    results = list(map_chunks(_square_with_pid, 1, items, Processes(2)))
    assert [value for value, _ in results] == [i * i + 1 for i in items]
    import os

    assert os.getpid() not in {pid for _, pid in results}, "the work ran in this process, not in workers"


def test_small_work_runs_in_this_process():
    import os

    results = list(map_chunks(_square_with_pid, 0, [1, 2, 3], Processes(2)))
    assert results == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def _pid_and_sum(shared: dict[str, list[int]], chunk: Sequence[int]) -> list[tuple[int, int]]:
    import os

    return [(item + sum(shared["numbers"]), os.getpid()) for item in chunk]


def _fail_on(bad: int, chunk: Sequence[int]) -> list[int]:
    if bad in chunk:
        raise ValueError(f"item {bad}")
    return list(chunk)


def test_early_workers_get_data_made_after_they_started():
    import os

    with Workers(Processes(2)) as workers:
        # Made after the fork: the workers can only know it because it was sent to them.
        first = {"numbers": [1, 2, 3]}
        items = list(range(MIN_ITEMS * 3))
        results = list(workers.map_chunks(_pid_and_sum, first, items, chunk=50))
        assert [value for value, _ in results] == [item + 6 for item in items]
        pids = {pid for _, pid in results}
        assert os.getpid() not in pids and len(pids) <= 2
        # A second map with other shared data is not given the first one's.
        second = {"numbers": [100]}
        assert [value for value, _ in workers.map_chunks(_pid_and_sum, second, items)] == [i + 100 for i in items]
        pids |= {pid for _, pid in workers.map_chunks(_pid_and_sum, second, items)}
        assert len(pids) <= 2, "the same two workers serve every map"


def test_early_workers_raise_a_worker_error_and_stop():
    import pytest

    workers = Workers(Processes(2))
    with pytest.raises(ValueError, match="item 250"), workers:
        list(workers.map_chunks(_fail_on, 250, list(range(MIN_ITEMS * 2))))
    assert workers._pool is None


def test_early_workers_do_small_work_in_this_process():
    import os

    with Workers(Processes(2)) as workers:
        assert list(workers.map_chunks(_pid_and_sum, {"numbers": [1]}, [1, 2])) == [(2, os.getpid()), (3, os.getpid())]
    with Workers(Processes(1)) as alone:
        assert alone._pool is None
        nothing: dict[str, list[int]] = {"numbers": []}
        assert {pid for _, pid in alone.map_chunks(_pid_and_sum, nothing, list(range(MIN_ITEMS * 2)))} == {os.getpid()}


def test_early_workers_take_as_few_items_as_asked_and_none_once_closed():
    import os

    numbers = {"numbers": [1]}
    with Workers(Processes(2)) as workers:
        assert {pid for _, pid in workers.map_chunks(_pid_and_sum, numbers, [1, 2], chunk=1, least=2)} - {os.getpid()}
        workers.close()
        assert {pid for _, pid in workers.map_chunks(_pid_and_sum, numbers, list(range(MIN_ITEMS)))} == {os.getpid()}


def test_parallel_build_is_byte_identical_to_a_single_process_build(tmp_path: Path):
    make_site(MIN_ITEMS + 50, tmp_path / "site")
    build(BuildOptions(site_dir=tmp_path / "site", out_dir=tmp_path / "one", progress=False, jobs=1))
    build(BuildOptions(site_dir=tmp_path / "site", out_dir=tmp_path / "two", progress=False, jobs=2))
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert len(one) > MIN_ITEMS
    assert one == two


def test_a_template_error_in_a_worker_is_reported_and_changes_nothing(tmp_path: Path):
    import pytest

    from generator.core.errors import SiteError

    site = tmp_path / "site"
    make_site(MIN_ITEMS + 50, site)
    build(BuildOptions(site_dir=site, progress=False, jobs=2, cache=False))
    before = snapshot(site / "output")
    broken = site / "themes/default/templates/story.html"
    broken.parent.mkdir(parents=True)
    broken.write_text("{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}", encoding="utf-8")
    with pytest.raises(SiteError) as raised:
        build(BuildOptions(site_dir=site, progress=False, jobs=2, cache=False))
    assert [(p.path, p.line) for p in raised.value.problems] == [("themes/default/templates/story.html", 1)]
    assert snapshot(site / "output") == before
    assert sorted(p.name for p in site.iterdir()) == ["content", "output", "site.yaml", "themes"]
