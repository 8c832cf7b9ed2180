"""bench/make_site.py writes sites that build cleanly, the same way every time."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.make_site import TargetNotEmptyError, main, make_site
from generator.pipeline.builder import prepare
from generator.pipeline.options import BuildOptions


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generated_site_builds_without_problems(tmp_path: Path) -> None:
    make_site(30, tmp_path / "site")
    prepared = prepare(BuildOptions(site_dir=tmp_path / "site"))
    assert prepared.warnings == ()
    assert len(prepared.site.stories) == 30
    assert {s.kind.folder for s in prepared.site.stories} == {"branches", "posts", "cases"}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    make_site(30, tmp_path / "a", seed=7)
    make_site(30, tmp_path / "b", seed=7)
    make_site(30, tmp_path / "c", seed=8)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "site"
    target.mkdir()
    (target / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(TargetNotEmptyError):
        make_site(3, target)
    assert main(["3", str(target)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["3", str(target), "--force"]) == 0
    assert not (target / "keep.txt").exists()
    assert (target / "site.yaml").is_file()
