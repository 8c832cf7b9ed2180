"""Paths as Windows users write them: backslashes work, paths on their own computer and wrong case get the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.content.paths import authored, on_own_computer, other_case
from tests.conftest import snapshot

BUNDLE = "content/cases/na-an-zongye"


def test_backslashes_are_folder_separators() -> None:
    assert authored("图片\\现场.jpg") == "图片/现场.jpg"
    assert authored("../posts/a.md") == "../posts/a.md"


@pytest.mark.parametrize("target", ["C:\\Users\\办公室\\现场.jpg", "d:/照片/现场.jpg", "\\\\server\\共享\\现场.jpg",
                                    "file:///C:/现场.jpg"])
def test_paths_on_the_authors_computer_are_recognised(target: str) -> None:
    assert on_own_computer(target)


@pytest.mark.parametrize("target", ["现场.jpg", "图片\\现场.jpg", "../posts/a.md", "//example.org/a.jpg", "https://a/b"])
def test_relative_paths_and_web_addresses_are_not_the_authors_computer(target: str) -> None:
    assert not on_own_computer(target)


def test_a_path_differing_only_in_case_is_found() -> None:
    files = ["cases/a/Photo.JPG", "cases/b/photo.jpg"]
    assert other_case("cases/a/photo.jpg", files) == "cases/a/Photo.JPG"
    assert other_case("cases/c/photo.jpg", files) is None


def _bundle_with_picture_folder(site: Path, cover: str, body: str) -> None:
    bundle = site / BUNDLE
    (bundle / "图片").mkdir()
    shutil.move(bundle / "leaf.png", bundle / "图片" / "现场.png")
    text = (bundle / "index.md").read_text(encoding="utf-8")
    text = text.replace("cover: leaf.png", f"cover: {cover}").replace("![粽叶基地](leaf.png)", body)
    (bundle / "index.md").write_text(text, encoding="utf-8")


def test_a_site_written_with_backslash_paths_builds_as_with_slashes(fixture_site: Path, tmp_path: Path) -> None:
    windows = tmp_path / "windows"
    shutil.copytree(fixture_site, windows)
    _bundle_with_picture_folder(windows, "图片\\现场.png", "![粽叶基地](图片\\现场.png)")
    _bundle_with_picture_folder(fixture_site, "图片/现场.png", "![粽叶基地](图片/现场.png)")
    assert main(["build", "--site", str(windows), "--no-cache"]) == 0
    assert main(["build", "--site", str(fixture_site), "--no-cache"]) == 0
    built = snapshot(windows / "output")
    assert built == snapshot(fixture_site / "output")
    page = built["cases/na-an-zongye/index.html"].decode()
    assert 'src="%E5%9B%BE%E7%89%87/%E7%8E%B0%E5%9C%BA.png"' in page or 'src="图片/现场.png"' in page
    assert "cases/na-an-zongye/图片/现场.png" in built


def _fails(site: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["build", "--site", str(site), "--no-cache"]) == 1
    said = capsys.readouterr().err
    assert "Traceback" not in said
    return said.splitlines()


def test_a_quoted_backslash_path_gets_the_fix(fixture_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _bundle_with_picture_folder(fixture_site, '"图片\\现场.png"', "![粽叶基地](图片/现场.png)")
    said = _fails(fixture_site, capsys)
    assert (f"{BUNDLE}/index.md:6: error: 双引号里的“\\”会被当成转义符（YAML：found unknown escape character） "
            "(去掉引号：cover: 图片\\现场.png)") in said


@pytest.mark.parametrize(("cover", "body", "expected"), [
    ("C:\\照片\\现场.png", "![粽叶基地](图片/现场.png)",
     f"{BUNDLE}/index.md:6: error: 封面图片“C:\\照片\\现场.png”是写稿电脑上的路径，网站上没有这个文件 "
     "(把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg)"),
    ("图片/现场.png", "![粽叶基地](D:\\照片\\现场.png)",
     f"{BUNDLE}/index.md:13: error: 图片“D:\\照片\\现场.png”是写稿电脑上的路径，网站上无法显示 "
     "(把图片复制到文章所在文件夹，再写 ![说明](文件名.jpg))"),
    ("图片/现场.png", "[材料](\\\\server\\共享\\材料.docx)",
     f"{BUNDLE}/index.md:13: error: 链接“\\server\\共享\\材料.docx”是写稿电脑上的路径，网站上打不开 "
     "(把文件复制到文章所在文件夹，再写 [说明](文件名))"),
], ids=["cover", "image", "link"])
def test_a_path_on_the_authors_computer_is_named_with_the_fix(fixture_site: Path, capsys: pytest.CaptureFixture[str],
                                                              cover: str, body: str, expected: str) -> None:
    _bundle_with_picture_folder(fixture_site, cover, body)
    assert expected in _fails(fixture_site, capsys)


@pytest.mark.parametrize(("cover", "body", "expected"), [
    ("leaf.png", "![粽叶基地](Leaf.PNG)",
     f"{BUNDLE}/index.md:6: error: 封面图片“leaf.png”的字母大小写与文件“Leaf.PNG”不一致 "
     "(把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg)"),
    ("Leaf.PNG", "![粽叶基地](leaf.png)",
     f"{BUNDLE}/index.md:13: error: 图片“leaf.png”的字母大小写与文件不一致 (改为“Leaf.PNG”：网站服务器区分大小写)"),
], ids=["cover", "image"])
def test_a_path_in_the_wrong_letter_case_names_the_real_spelling(fixture_site: Path,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 cover: str, body: str, expected: str) -> None:
    bundle = fixture_site / BUNDLE
    shutil.move(bundle / "leaf.png", bundle / "Leaf.PNG")
    text = (bundle / "index.md").read_text(encoding="utf-8")
    text = text.replace("cover: leaf.png", f"cover: {cover}").replace("![粽叶基地](leaf.png)", body)
    (bundle / "index.md").write_text(text, encoding="utf-8")
    assert expected in _fails(fixture_site, capsys)
