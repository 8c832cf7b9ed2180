"""The preview's rebuild loop survives any failure of one update and recovers on the next."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.pipeline.builder import Builder
from generator.pipeline.options import BuildOptions
from generator.preview.serve import Rebuilder
from generator.preview.server import PreviewState


def test_an_unexpected_failure_is_shown_and_the_next_update_recovers(fixture_site: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch):
    builder = Builder(BuildOptions(site_dir=fixture_site))
    state = PreviewState(tmp_path / "preview")
    lines: list[str] = []
    reloads: list[int] = []
    rebuilder = Rebuilder(builder, state, lambda: reloads.append(1), lines.append)
    real_update = builder.update

    def vanishing_file(*args, **kwargs):
        raise FileNotFoundError(2, "No such file or directory", "content/posts/gone.md")

    monkeypatch.setattr(builder, "update", vanishing_file)
    rebuilder.rebuild(set())
    assert [p.message for p in state.problems] == [
        "预览更新时出错：FileNotFoundError: [Errno 2] No such file or directory: 'content/posts/gone.md'"]
    assert reloads == [1] and any("预览更新时出错" in line for line in lines)

    monkeypatch.setattr(builder, "update", real_update)
    rebuilder.rebuild(set())
    assert state.problems == ()
    assert (state.root / "index.html").is_file() and reloads == [1, 1]
