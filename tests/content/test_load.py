"""Loading content/: front matter, bundles, pages and the list of plain files."""

import pickle
from collections.abc import Sequence
from pathlib import Path

from generator.content.load import ContentCache, DocTask, Loaded, load_content, load_docs, split_front_matter
from generator.core.errors import Problem

UNITS = "- id: caizhengju\n  name: 县财政局\n"
ACTIVITIES = "- id: chuangxian-zhengyou\n  name: 创先争优\n"
STORY = "---\ntitle: 标题\ndate: 2010-05-12\nunit: caizhengju\n---\n\n正文。\n"


def write(path: Path, text: str = STORY) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    write(root / "units.yaml", UNITS)
    write(root / "activities.yaml", ACTIVITIES)
    return root


def test_split_front_matter_gives_front_body_and_the_body_first_line():
    parts = split_front_matter("---\ntitle: 标题\ndate: 2010-05-12\n---\n正文第一行\n", "content/a.md")
    assert parts == ("title: 标题\ndate: 2010-05-12", "正文第一行\n", 5)


def test_split_front_matter_accepts_three_dots_as_the_end():
    assert split_front_matter("---\ntitle: a\n...\nbody", "a.md") == ("title: a", "body", 4)


def test_split_front_matter_without_front_matter_is_an_error_at_line_1():
    problem = split_front_matter("# 标题\n\n正文\n", "content/posts/a.md")
    assert isinstance(problem, Problem)
    assert problem.format() == (
        "content/posts/a.md:1: error: 文件开头缺少 front matter（以 --- 开始的设置区） "
        "(第一行写 ---，接着写 title、date、unit 等，再用一行 --- 结束)"
    )


def test_split_front_matter_that_never_ends_is_an_error():
    problem = split_front_matter("---\ntitle: 标题\n\n正文\n", "content/posts/a.md")
    assert isinstance(problem, Problem)
    assert problem.format() == "content/posts/a.md:1: error: front matter 没有结束 (在设置区的末尾加一行 ---)"


def test_load_content_reads_stories_bundles_and_pages(tmp_path: Path):
    root = content(tmp_path)
    write(root / "posts" / "guoku-gang.md")
    write(root / "cases" / "银洞湾村修路" / "index.md")
    (root / "cases" / "银洞湾村修路" / "road.jpg").write_bytes(b"jpg")
    write(root / "pages" / "about.md", "---\ntitle: 关于\n---\n关于本站。\n")
    tree, problems = load_content(root)
    assert problems == []
    assert [(d.path, d.folder, d.bundle_dir) for d in tree.docs] == [
        ("posts/guoku-gang.md", "posts", None),
        ("cases/银洞湾村修路/index.md", "cases", "cases/银洞湾村修路"),
        ("pages/about.md", "pages", None),
    ]
    about = tree.docs[2]
    assert about.meta.values == {"title": "关于"}
    assert (about.body, about.body_line) == ("关于本站。\n", 4)
    assert [u.values["id"] for u in tree.units] == ["caizhengju"]
    assert [a.values["id"] for a in tree.activities] == ["chuangxian-zhengyou"]


def test_front_matter_lines_are_file_lines(tmp_path: Path):
    root = content(tmp_path)
    write(root / "posts" / "a.md", "---\ntitle: 标题\n\nunit: caizhengju\n---\n")
    tree, _ = load_content(root)
    assert tree.docs[0].meta.lines == {"title": 2, "unit": 4}


def test_files_lists_every_non_markdown_file_except_hidden_ones(tmp_path: Path):
    root = content(tmp_path)
    write(root / "cases" / "xiulu" / "index.md")
    (root / "cases" / "xiulu" / "road.jpg").write_bytes(b"jpg")
    (root / "cases" / "xiulu" / "img").mkdir()
    (root / "cases" / "xiulu" / "img" / "map.png").write_bytes(b"png")
    (root / "cases" / "xiulu" / ".DS_Store").write_bytes(b"")
    write(root / "posts" / "a.md")
    tree, _ = load_content(root)
    assert tree.files == frozenset({
        "units.yaml", "activities.yaml", "cases/xiulu/road.jpg", "cases/xiulu/img/map.png"})


def test_hidden_markdown_files_and_other_folders_are_not_read(tmp_path: Path):
    root = content(tmp_path)
    write(root / "posts" / ".draft.md")
    write(root / "drafts" / "a.md")
    write(root / "posts" / "notes.txt", "not a story")
    tree, problems = load_content(root)
    assert tree.docs == ()
    assert problems == []


def test_folder_with_markdown_but_no_index_md_is_skipped_with_a_warning(tmp_path: Path):
    root = content(tmp_path)
    write(root / "cases" / "xiulu" / "story.md")
    tree, problems = load_content(root)
    assert tree.docs == ()
    assert [(p.severity.value, p.message, p.hint) for p in problems] == [
        ("warning", "文件夹中有 Markdown 文件但没有 index.md，已跳过", "把正文文件改名为 index.md，图片放在同一文件夹")]


def test_folder_without_index_md_warning_names_the_folder_from_the_site(tmp_path: Path):
    root = content(tmp_path)
    write(root / "cases" / "xiulu" / "story.md")
    _, problems = load_content(root)
    assert [p.path for p in problems] == ["content/cases/xiulu"]


def test_story_without_front_matter_is_reported_and_left_out(tmp_path: Path):
    root = content(tmp_path)
    write(root / "posts" / "a.md", "# 标题\n正文\n")
    write(root / "posts" / "b.md")
    tree, problems = load_content(root)
    assert [d.path for d in tree.docs] == ["posts/b.md"]
    assert [(p.path, p.line) for p in problems] == [("content/posts/a.md", 1)]


def test_story_with_a_yaml_error_is_reported_at_its_file_line(tmp_path: Path):
    root = content(tmp_path)
    write(root / "posts" / "a.md", "---\ntitle: 标题\nactivities: [创先争优\n---\n正文\n")
    tree, problems = load_content(root)
    assert tree.docs == ()
    assert [(p.path, p.line) for p in problems] == [("content/posts/a.md", 3)]


def test_story_in_gbk_is_reported_with_its_path(tmp_path: Path):
    root = content(tmp_path)
    (root / "posts").mkdir()
    (root / "posts" / "a.md").write_bytes(STORY.encode("gbk"))
    _, problems = load_content(root)
    assert [(p.path, p.line, p.message) for p in problems] == [
        ("content/posts/a.md", 2, "文件不是 UTF-8 编码，无法读取")]


def test_missing_units_and_activities_files_are_errors(tmp_path: Path):
    root = tmp_path / "content"
    root.mkdir()
    _, problems = load_content(root)
    assert [p.format() for p in problems] == [
        "content/units.yaml: error: 找不到 content/units.yaml (用 dangjian init 新建的站点里有示例，可照着写)",
        "content/activities.yaml: error: 找不到 content/activities.yaml "
        "(用 dangjian init 新建的站点里有示例，可照着写)",
    ]


def test_missing_content_folder_is_an_error(tmp_path: Path):
    tree, problems = load_content(tmp_path / "content")
    assert tree.docs == ()
    assert [p.format() for p in problems] == [
        "content: error: 找不到 content 文件夹 (站点文件夹中应有 content/ 存放文章)"]


def test_sources_read_elsewhere_give_the_same_tree_and_problems(tmp_path: Path):
    root = content(tmp_path)
    for index in range(5):
        write(root / "posts" / f"p{index}.md")
    write(root / "posts" / "bad.md", "---\ntitle: [未闭合\n---\n正文\n")
    write(root / "branches" / "b" / "index.md")
    write(root / "pages" / "about.md", "---\ntitle: 关于\n---\n正文\n")
    asked: list[list[str]] = []

    def load_many(content_dir: Path, tasks: Sequence[DocTask]) -> list[Loaded]:
        asked.append([task[0] for task in tasks])
        # As from a worker process: the results come pickled.
        loaded: list[Loaded] = pickle.loads(pickle.dumps(load_docs(content_dir, tasks)))
        return loaded

    expected = load_content(root, None, None, False)
    cache = ContentCache()
    assert load_content(root, cache, None, False, load_many) == expected
    assert sorted(asked[0]) == sorted([*(doc.path for doc in expected[0].docs), "posts/bad.md"])
    assert any(doc.body is None for doc in expected[0].docs) and expected[1], "bodies left out, a problem found"
    # Known from the cache: nothing is read again, except the file that changed.
    write(root / "posts" / "p1.md", STORY.replace("正文", "新的正文"))
    cache.forget(["posts/p1.md"])
    tree, problems = load_content(root, cache, None, False, load_many)
    assert asked[1] == ["posts/p1.md"]
    assert (tree, problems) == load_content(root, None, None, False)


def test_stray_files_are_word_and_text_files_and_markdown_that_is_no_source(tmp_path: Path):
    root = content(tmp_path)
    for rel in ("posts/a.md", "posts/a.docx", "posts/~$a.docx", "posts/b.md.txt", "cases/c.WPS", "说明.md",
                "news/d.md", "cases/bundle/index.md", "cases/bundle/notes.md", "cases/loose/e.md", "posts/p.jpg"):
        write(root / rel)
    tree, _ = load_content(root)
    # cases/loose/e.md is left to the warning about its folder; Word's lock file ~$a.docx is no writing.
    assert tree.strays == ("cases/bundle/notes.md", "cases/c.WPS", "news/d.md", "posts/a.docx", "posts/b.md.txt",
                           "说明.md")


def test_a_source_whose_front_matter_cannot_be_read_is_listed_as_unreadable(tmp_path: Path):
    root = content(tmp_path)
    write(root / "posts/good.md")
    write(root / "posts/broken.md", "---\ntitle: [坏\n---\n正文\n")
    write(root / "posts/none.md", "正文，没有设置区\n")
    tree, problems = load_content(root)
    assert tree.unreadable == ("posts/broken.md", "posts/none.md")
    assert [doc.path for doc in tree.docs] == ["posts/good.md"]
    assert len(problems) == 2
