"""The up-to-date check: the output folder's survey, by a helper process for big folders or here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.core.scan import survey
from generator.incremental import uptodate
from tests.conftest import age


def _folder(tmp_path: Path) -> Path:
    out = tmp_path / "output"
    for rel in ("index.html", "posts/a/index.html", "search/i/0.js"):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(rel, encoding="utf-8")
    return out


@pytest.mark.parametrize("files", [0, uptodate.SURVEY_PROCESS_FILES])
def test_a_survey_by_the_helper_process_or_here_lists_every_file(tmp_path: Path, files: int) -> None:
    out = _folder(tmp_path)
    found = uptodate.Survey(out, files=files).result()
    assert found == survey(out) and set(found) == {"index.html", "posts/a/index.html", "search/i/0.js"}


def test_a_big_folder_is_surveyed_by_the_helper_process_alone(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = _folder(tmp_path)
    expected = survey(out)

    def not_here(folder: Path) -> dict[str, tuple[int, int]]:
        raise AssertionError("surveyed in this process")

    monkeypatch.setattr(uptodate, "survey", not_here)
    assert uptodate.Survey(out, files=uptodate.SURVEY_PROCESS_FILES).result() == expected


def test_a_helper_process_that_cannot_run_leaves_the_survey_to_this_one(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    out = _folder(tmp_path)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    assert uptodate.Survey(out, files=uptodate.SURVEY_PROCESS_FILES).result() == survey(out)


def test_no_folder_or_no_cache_gives_no_survey(tmp_path: Path) -> None:
    assert uptodate.Survey(tmp_path / "missing", files=10**6).result() is None
    assert uptodate.Survey(_folder(tmp_path), wanted=False).result() is None


def test_a_build_with_nothing_to_do_imports_none_of_the_heavy_modules(fixture_site: Path) -> None:
    # Start-up is most of such a build: what it imports is what it costs.
    age(fixture_site)
    args = ["build", "--site", str(fixture_site), "--out", str(fixture_site / "output")]
    subprocess.run([sys.executable, "-m", "generator", *args], check=True, capture_output=True)
    heavy = ("dataclasses", "typing", "hashlib", "inspect", "subprocess", "threading",
             "jinja2", "markdown_it", "yaml", "generator.pipeline.builder", "generator.content.model")
    program = ("import sys; from generator.cli import main; code = main(sys.argv[1:]); "
               f"print(code, sorted(m for m in {heavy!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", program, *args], capture_output=True, text=True, check=True)
    assert "已是最新" in done.stdout
    assert done.stdout.splitlines()[-1] == "0 []"
