"""Checks over every document: shared titles, links into headings, stray files, and the index that re-checks edits."""

from generator.content.checks import keyed
from generator.core.errors import warning
from generator.render.checks import CheckIndex, check_index, patch_index, patched_problems, site_problems, stray_files
from generator.render.markdown import RenderedDoc


def made(anchors: tuple[str, ...] = (), fragments: tuple[tuple[int, str, str], ...] = (),
         assets: tuple[str, ...] = ()) -> RenderedDoc:
    return RenderedDoc("", "", (), assets, anchors=anchors, fragments=fragments)


TITLES = [keyed(entry) for entry in (("posts/a.md", 2, "甲"), ("posts/b.md", 2, "乙"), ("posts/c.md", 3, "丙"))]
RENDERED = {"posts/a.md": made(("职责",), ((8, "posts/b.md", "做法"),)),
            "posts/b.md": made(("做法", "成效"), ((3, "posts/a.md", "职责"),)),
            "posts/c.md": made((), ((5, "posts/b.md", "成果"),), ("posts/c.docx",))}
HINT = "(读者在列表和搜索结果中分不清；给其中一篇换个标题)"


def shown(index: CheckIndex) -> list[str]:
    return [p.format() for p in sorted(site_problems(index))]


def test_a_link_into_a_heading_the_target_lacks_is_a_warning_at_the_link():
    index = check_index(TITLES, RENDERED)
    assert index.into == {"posts/a.md": (("posts/b.md", 3, "职责"),),
                          "posts/b.md": (("posts/a.md", 8, "做法"), ("posts/c.md", 5, "成果"))}
    assert index.anchors == {"posts/a.md": ("职责",), "posts/b.md": ("做法", "成效")}
    assert shown(index) == [
        "content/posts/c.md:5: warning: 链接的位置“b.md#成果”在该文章中不存在 (是不是要写“#成效”？)"]


def test_titles_two_documents_share_are_a_warning_on_each():
    index = check_index([*TITLES, keyed(("pages/d.md", 2, "甲"))], {})
    assert shown(index) == [f"content/pages/d.md:2: warning: 标题“甲”与 content/posts/a.md 相同 {HINT}",
                            f"content/posts/a.md:2: warning: 标题“甲”与 content/pages/d.md 相同 {HINT}"]


def test_stray_files_a_story_links_to_are_published_as_attachments():
    assert [p.path for p in stray_files(RENDERED, ["posts/c.docx", "posts/d.docx"])] == ["content/posts/d.docx"]


def test_a_patched_index_finds_what_a_new_index_of_the_edited_documents_finds():
    before = check_index(TITLES, RENDERED)
    anchors = {path: doc.anchors for path, doc in RENDERED.items()}.get
    # c.md takes a's title and links into a heading a.md has; a.md drops the heading b.md links to.
    new_c, new_a = made((), ((6, "posts/a.md", "要求"),)), made(("要求",), ((8, "posts/b.md", "做法"),))
    patched = patch_index(before, [("posts/c.md", ("posts/c.md", 3, "甲"), new_c, "丙", RENDERED["posts/c.md"]),
                                   ("posts/a.md", ("posts/a.md", 2, "甲"), new_a, "甲", RENDERED["posts/a.md"])],
                          anchors)
    after = check_index([TITLES[0], TITLES[1], keyed(("posts/c.md", 3, "甲"))],
                        {**RENDERED, "posts/c.md": new_c, "posts/a.md": new_a})
    assert patched == after
    assert shown(patched) == [
        f"content/posts/a.md:2: warning: 标题“甲”与 content/posts/c.md 相同 {HINT}",
        "content/posts/b.md:3: warning: 链接的位置“a.md#职责”在该文章中不存在 "
        "(“#”后写小标题的文字（## 到 #### 的标题），英文字母小写，空格换成 -)",
        f"content/posts/c.md:3: warning: 标题“甲”与 content/posts/a.md 相同 {HINT}"]


def test_patched_problems_replace_the_edited_documents_own_and_find_the_site_wide_again():
    old = check_index(TITLES, RENDERED)
    new = check_index(TITLES, {**RENDERED, "posts/c.md": made()})
    last = [*site_problems(old), warning("content/posts/c.md", 9, "图片没有说明文字"),
            warning("content/x.docx", 0, "x"), warning("content/posts/a.md", 4, "摘要太长")]
    edit = ("posts/c.md", TITLES[2][1], made(), "丙", RENDERED["posts/c.md"])
    found = patched_problems(last, old, new, [edit], [warning("content/posts/c.md", 7, "新的")])
    assert sorted(p.format() for p in found) == ["content/posts/a.md:4: warning: 摘要太长",
                                                 "content/posts/c.md:7: warning: 新的",
                                                 "content/x.docx: warning: x"]
