"""Writing the output: replaced whole, untouched on failure, never the site's own folder."""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.core.errors import SiteError
from generator.render.write import CopyFile, Filling, check_output_dir, discard_folder, write_site


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """An output folder from an earlier build."""
    out = tmp_path / "output"
    write_site(out, [("index.html", b"old home"), ("posts/gone/index.html", b"stale")], [])
    return out


def test_write_site_writes_pages_and_copies_and_counts_them(tmp_path: Path):
    source = tmp_path / "road.jpg"
    source.write_bytes(b"jpg")
    calls: list[int] = []
    count, _ = write_site(tmp_path / "output", [("index.html", b"home"), ("posts/a/index.html", "页".encode())],
                       [CopyFile("cases/a/road.jpg", source)], on_file=lambda: calls.append(1))
    assert count == 3
    assert len(calls) == 3
    assert snapshot(tmp_path / "output") == {
        "index.html": b"home", "posts/a/index.html": "页".encode(), "cases/a/road.jpg": b"jpg"}


def test_write_site_replaces_the_output_whole_so_stale_files_go(previous: Path):
    write_site(previous, [("index.html", b"new home")], [])
    assert snapshot(previous) == {"index.html": b"new home"}


def test_write_site_leaves_no_staging_folders_behind(previous: Path):
    write_site(previous, [("index.html", b"new home")], [])
    assert sorted(p.name for p in previous.parent.iterdir()) == ["output"]


def test_failure_while_rendering_leaves_previous_output_untouched(previous: Path):
    before = snapshot(previous)

    def pages() -> Iterator[tuple[str, bytes]]:
        yield "index.html", b"half-built"
        raise SiteError([])

    with pytest.raises(SiteError):
        write_site(previous, pages(), [])
    assert snapshot(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == ["output"]


def test_failure_while_copying_leaves_previous_output_untouched(previous: Path, tmp_path: Path):
    before = snapshot(previous)
    with pytest.raises(FileNotFoundError):
        write_site(previous, [("index.html", b"new")], [CopyFile("a.jpg", tmp_path / "missing.jpg")])
    assert snapshot(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == ["output"]


def test_write_site_creates_missing_parent_folders(tmp_path: Path):
    write_site(tmp_path / "deep" / "er" / "output", [("index.html", b"x")], [])
    assert (tmp_path / "deep" / "er" / "output" / "index.html").read_bytes() == b"x"


def test_fillings_of_one_folder_share_its_subfolders_and_write_files_whole(tmp_path: Path):
    # Two workers fill the same folder, each remembering only the subfolders it made itself.
    first, second = Filling(tmp_path), Filling(tmp_path)
    big = bytes(range(256)) * 40_000  # more than one write(2) may take at once on some systems
    first.put("posts/a/index.html", b"first, and longer")
    second.put("posts/b/index.html", b"b")
    second.put("posts/a/data.js", big)
    first.put("index.html", b"home")
    first.put("posts/a/index.html", b"again")  # a file written twice keeps the last data only
    assert snapshot(tmp_path) == {"index.html": b"home", "posts/a/data.js": big, "posts/a/index.html": b"again",
                                  "posts/b/index.html": b"b"}


def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: 党建\n", encoding="utf-8")
    return root


def refusal(out: Path, root: Path) -> str:
    with pytest.raises(SiteError) as caught:
        check_output_dir(out, root)
    [problem] = caught.value.problems
    return problem.format()


def test_check_output_dir_refuses_the_site_folder(tmp_path: Path):
    root = site(tmp_path)
    assert refusal(root, root) == (
        f"{root}: error: 输出文件夹不能是站点文件夹或包含站点源文件的文件夹 "
        "(构建会整个替换输出文件夹；请换一个，例如 --out output)")


def test_check_output_dir_refuses_a_folder_that_holds_the_site(tmp_path: Path):
    root = site(tmp_path)
    assert "输出文件夹不能是站点文件夹" in refusal(tmp_path, root)


def test_check_output_dir_refuses_the_site_folder_written_another_way(tmp_path: Path):
    root = site(tmp_path)
    assert "输出文件夹不能是站点文件夹" in refusal(root / "content" / "..", root)


def test_check_output_dir_refuses_another_site_or_a_git_checkout(tmp_path: Path):
    root = site(tmp_path)
    other = site(tmp_path / "other")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert "输出文件夹不能是站点文件夹" in refusal(other, root)
    assert "输出文件夹不能是站点文件夹" in refusal(repo, root)


def test_check_output_dir_accepts_the_usual_output_folders(tmp_path: Path):
    root = site(tmp_path)
    check_output_dir(root / "output", root)
    check_output_dir(tmp_path / "public", root)
    assert not (root / "output").exists()


def test_check_output_dir_refuses_the_content_folder(tmp_path: Path):
    root = site(tmp_path)
    assert "输出文件夹不能是站点文件夹" in refusal(root / "content", root)


def test_a_discarded_folder_goes_away_without_waiting_for_it(tmp_path: Path) -> None:
    folder = tmp_path / "preview"
    for index in range(200):
        (folder / f"p{index}").mkdir(parents=True)
        (folder / f"p{index}" / "index.html").write_text("x", encoding="utf-8")
    discard_folder(folder)
    deadline = time.monotonic() + 30
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not folder.exists()
