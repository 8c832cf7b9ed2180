"""Checks over every rendered document: links into headings, stray files, and the index that re-checks edits."""

import dataclasses
import datetime as dt

from generator.content.model import KIND_BY_KEY, Story
from generator.render.checks import CheckIndex, check_index, link_problems, patch_index, rendered_checks
from generator.render.markdown import RenderedDoc


def story(path: str, title: str) -> Story:
    return Story(KIND_BY_KEY["post"], path.split("/")[-1].removesuffix(".md"), title, dt.date(2010, 5, 12),
                 "caizhengju", (), path, "", 6)


def made(anchors: tuple[str, ...] = (), fragments: tuple[tuple[int, str, str], ...] = (),
         assets: tuple[str, ...] = ()) -> RenderedDoc:
    return RenderedDoc("", "", (), assets, anchors=anchors, fragments=fragments)


A, B, C = story("posts/a.md", "甲"), story("posts/b.md", "乙"), story("posts/c.md", "丙")
RENDERED = {"posts/a.md": made(("职责",), ((8, "posts/b.md", "做法"),)),
            "posts/b.md": made(("做法", "成效"), ((3, "posts/a.md", "职责"),)),
            "posts/c.md": made((), ((5, "posts/b.md", "成果"),), ("posts/c.docx",))}


def test_a_link_into_a_heading_the_target_lacks_is_a_warning_at_the_link():
    assert [p.format() for p in link_problems(RENDERED)] == [
        "content/posts/c.md:5: warning: 链接的位置“b.md#成果”在该文章中不存在 (是不是要写“#成效”？)"]


def test_stray_files_a_story_links_to_are_published_as_attachments():
    found = rendered_checks(RENDERED, ["posts/c.docx", "posts/d.docx"])
    assert [p.path for p in found] == ["content/posts/c.md", "content/posts/d.docx"]


def test_the_index_finds_an_edit_that_makes_a_title_the_same_as_another():
    index = check_index([A, B, C], RENDERED)
    assert index.titles == {"甲": ("posts/a.md",), "乙": ("posts/b.md",), "丙": ("posts/c.md",)}
    renamed = dataclasses.replace(C, title="甲")
    assert patch_index(index, [(renamed, RENDERED["posts/c.md"], C, RENDERED["posts/c.md"])], lambda p: None) is None
    other = dataclasses.replace(C, title="丁")
    patched = patch_index(index, [(other, RENDERED["posts/c.md"], C, RENDERED["posts/c.md"])], lambda p: None)
    assert patched is not None and patched.titles["丁"] == ("posts/c.md",) and "丙" not in patched.titles


def test_the_index_finds_a_heading_taken_away_that_another_document_links_to():
    clean = {**RENDERED, "posts/c.md": made()}
    index = check_index([A, B, C], clean)
    assert index.into == {"posts/a.md": (("posts/b.md", 3, "职责"),), "posts/b.md": (("posts/a.md", 8, "做法"),)}
    anchors = {path: doc.anchors for path, doc in clean.items()}.get

    def edit(new: RenderedDoc, path: str = "posts/a.md") -> CheckIndex | None:
        doc = {"posts/a.md": A, "posts/c.md": C}[path]
        return patch_index(index, [(doc, new, doc, clean[path])], anchors)

    assert edit(made(("职责", "新的"), ((8, "posts/b.md", "做法"),))) is not None  # a heading added
    assert edit(made(("要求",), ((8, "posts/b.md", "做法"),))) is None  # the one b.md links to went
    assert edit(made(("职责",), ((9, "posts/b.md", "成果"),))) is None  # a link of its own into nothing
    linked = edit(made((), ((2, "posts/b.md", "成效"),)), "posts/c.md")
    assert linked is not None and linked.into["posts/b.md"] == (("posts/a.md", 8, "做法"), ("posts/c.md", 2, "成效"))
