"""Checks over the checked site: future dates, long summaries, placeholders, duplicate titles, unused terms, strays."""

import datetime as dt
from pathlib import Path

from generator.content.checks import (
    SUMMARY_LIMIT,
    ChecksCache,
    content_checks,
    duplicate_titles,
    next_change,
    stray_problems,
    title_key,
    unused_terms,
)
from generator.content.config import SiteConfig
from generator.content.load import load_content
from generator.content.model import Site
from generator.content.validate import validate_site
from generator.render.markdown import EXCERPT_LENGTH
from generator.scaffold import new_story

UNITS = """\
- id: gongwei
  name: 县直机关工委
- id: caizhengju
  name: 县财政局
  parent: gongwei
- id: dangan
  name: 县档案局
"""
ACTIVITIES = """\
- id: chuangxian-zhengyou
  name: 创先争优
- id: sibang-sicu
  name: 四帮四促
"""
TODAY = dt.date(2012, 6, 1)


def story(*lines: str, body: str = "正文。") -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + f"---\n\n{body}\n"


def loaded(tmp_path: Path, files: dict[str, str]) -> tuple[Site, object]:
    content = tmp_path / "content"
    for rel, text in {"units.yaml": UNITS, "activities.yaml": ACTIVITIES, **files}.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    tree, problems = load_content(content)
    site, found = validate_site(SiteConfig(site_dir=tmp_path), tree, drafts=False)
    assert not problems + found
    return site, tree


def checked(tmp_path: Path, files: dict[str, str]) -> list[str]:
    site, tree = loaded(tmp_path, files)
    problems, titles = content_checks(site, tree, TODAY)  # type: ignore[arg-type]
    return [p.format() for p in sorted(problems + duplicate_titles(entry for _, entry in titles))]


def test_a_story_dated_after_today_is_a_warning_at_its_date_line(tmp_path: Path):
    found = checked(tmp_path, {"posts/a.md": story("title: 甲", "unit: caizhengju", "date: 2012-06-02"),
                               "posts/b.md": story("title: 乙", "unit: caizhengju", "date: 2012-06-01")})
    assert found == ["content/posts/a.md:4: warning: 日期 2012-06-02 晚于今天（2012-06-01） "
                     "(检查年份和月份是否写错；还不想发布的文章请加一行 draft: true)"]


def test_the_next_change_is_the_nearest_future_date(tmp_path: Path):
    site, _ = loaded(tmp_path, {"posts/a.md": story("title: 甲", "unit: caizhengju", "date: 2013-01-01"),
                                "posts/b.md": story("title: 乙", "unit: caizhengju", "date: 2012-07-01"),
                                "posts/c.md": story("title: 丙", "unit: caizhengju", "date: 2010-07-01")})
    assert next_change(site, TODAY) == "2012-07-01"
    assert next_change(site, dt.date(2014, 1, 1)) is None


def test_a_summary_longer_than_a_card_shows_is_a_warning(tmp_path: Path):
    assert SUMMARY_LIMIT == EXCERPT_LENGTH  # what a card shows of a story without a summary
    found = checked(tmp_path, {
        "posts/a.md": story("title: 甲", "date: 2010-05-12", "unit: caizhengju", "summary: " + "好" * 121),
        "posts/b.md": story("title: 乙", "date: 2010-05-12", "unit: caizhengju", "summary: " + "好" * 120)})
    assert found == ["content/posts/a.md:5: warning: 摘要有 121 个字，列表中的卡片宜在 120 字以内 "
                     "(缩短到 120 字以内；不写 summary 则自动取正文第一段的开头)"]


def test_the_notes_dangjian_new_writes_are_warnings_when_left_in_as_text(tmp_path: Path):
    site_dir = tmp_path / "site"
    (site_dir / "content").mkdir(parents=True)
    (site_dir / "content/units.yaml").write_text(UNITS, encoding="utf-8")
    (site_dir / "content/activities.yaml").write_text(ACTIVITIES, encoding="utf-8")
    path = new_story(site_dir, "post", "国库岗", "caizhengju", [], today=dt.date(2010, 5, 12))
    text = path.read_text(encoding="utf-8").replace("summary:      # ", "summary: ")
    found = checked(tmp_path, {"posts/guo-ku-gang.md": text})
    assert found == ["content/posts/guo-ku-gang.md:6: warning: “summary”还是 dangjian new 写入的说明文字 "
                     "(换成真实内容，或删去这一行)"]


def test_titles_that_look_the_same_are_a_warning_on_each(tmp_path: Path):
    found = checked(tmp_path, {"posts/a.md": story("title: 国库 岗", "date: 2010-05-12", "unit: caizhengju"),
                               "cases/b.md": story("date: 2010-05-12", "title: 国库岗", "unit: caizhengju"),
                               "pages/c.md": story("title: 其他")})
    hint = "(读者在列表和搜索结果中分不清；给其中一篇换个标题)"
    assert found == [f"content/cases/b.md:3: warning: 标题“国库岗”与 content/posts/a.md 相同 {hint}",
                     f"content/posts/a.md:2: warning: 标题“国库 岗”与 content/cases/b.md 相同 {hint}"]
    assert title_key("ABC 示范岗") == title_key("abc示范岗")
    assert duplicate_titles([("a", 1, "甲"), ("b", 1, "乙")]) == []


def test_units_and_activities_without_a_published_story_are_infos(tmp_path: Path):
    site, tree = loaded(tmp_path, {
        "posts/a.md": story("title: 甲", "date: 2010-05-12", "unit: caizhengju", "activities: [创先争优]"),
        "posts/b.md": story("title: 乙", "date: 2010-05-12", "unit: dangan", "activities: [四帮四促]", "draft: true")})
    found = [p.format() for p in unused_terms(site, tree)]  # type: ignore[arg-type]
    # 县直机关工委 is used: its sub-unit has a story (its page lists it).
    assert found == [
        "content/units.yaml:6: info: 单位“县档案局”还没有已发布的文章 "
        "(写文章时在 front matter 中填“县档案局”；不再需要的可以删去)",
        "content/activities.yaml:3: info: 活动主题“四帮四促”还没有已发布的文章 "
        "(写文章时在 front matter 中填“四帮四促”；不再需要的可以删去)",
    ]


def test_stray_files_are_warnings_with_a_hint_for_their_kind_unless_a_story_links_to_them():
    strays = ["posts/a.docx", "posts/b.doc", "cases/c.wps", "posts/d.md.txt", "posts/e.txt", "notes/f.md",
              "posts/linked.docx"]
    found = {p.path: p.message for p in stray_problems(strays, {"posts/linked.docx"})}
    assert found == {"content/posts/a.docx": "Word 文件不会作为文章发布",
                     "content/posts/b.doc": "Word 文件不会作为文章发布",
                     "content/cases/c.wps": "WPS 文件不会作为文章发布",
                     "content/posts/d.md.txt": "文件名多了 .txt，不会作为文章发布",
                     "content/posts/e.txt": "文本文件不会作为文章发布",
                     "content/notes/f.md": "这个 Markdown 文件不在文章的文件夹中，不会发布"}


def test_a_title_many_documents_share_names_three_of_the_others():
    found = duplicate_titles([(f"posts/{n}.md", 2, "同题") for n in range(5)])
    assert found[0].message == "标题“同题”与 content/posts/1.md、content/posts/2.md、content/posts/3.md 等 4 篇相同"
    assert found[4].message == "标题“同题”与 content/posts/0.md、content/posts/1.md、content/posts/2.md 等 4 篇相同"


def test_checks_are_kept_for_the_same_document_and_made_again_on_another_day(tmp_path: Path):
    site, tree = loaded(tmp_path, {"posts/a.md": story("title: 甲", "unit: caizhengju", "date: 2012-06-02")})
    cache = ChecksCache()
    first, titles = content_checks(site, tree, TODAY, cache)  # type: ignore[arg-type]
    again, titles_again = content_checks(site, tree, TODAY, cache)  # type: ignore[arg-type]
    assert len(first) == 1 and again == first and titles_again[0] is titles[0]
    assert content_checks(site, tree, dt.date(2012, 6, 2), cache)[0] == []  # type: ignore[arg-type]
