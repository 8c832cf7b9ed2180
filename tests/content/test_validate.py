"""Checking the content: front-matter fields, units, activities, covers, URLs and drafts."""

import datetime as dt
from pathlib import Path

from generator.content.config import SiteConfig
from generator.content.load import load_content
from generator.content.model import Site
from generator.content.validate import validate_site

UNITS = """\
- id: gongwei
  name: 县直机关工委
- id: caizhengju
  name: 县财政局
  parent: gongwei
"""
ACTIVITIES = """\
- id: chuangxian-zhengyou
  name: 创先争优
- id: sibang-sicu
  name: 四帮四促
"""


def story(*lines: str) -> str:
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n\n正文。\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def check(tmp_path: Path, files: dict[str, str], units: str = UNITS, activities: str = ACTIVITIES,
          drafts: bool = False) -> tuple[Site, list[str]]:
    """Write a site's content/ and validate it; return the site and the formatted problems."""
    content = tmp_path / "content"
    write(content / "units.yaml", units)
    write(content / "activities.yaml", activities)
    for rel, text in files.items():
        write(content / rel, text)
    tree, problems = load_content(content)
    assert problems == []
    site, problems = validate_site(SiteConfig(site_dir=tmp_path), tree, drafts)
    return site, [p.format() for p in sorted(problems)]


BASIC = ("title: 国库岗", "date: 2010-05-12", "unit: caizhengju")


def test_valid_story_becomes_a_story_with_every_field(tmp_path: Path):
    site, problems = check(tmp_path, {"cases/xiulu/index.md": story(
        "title: 修路", "date: 2012-05-26", "unit: 县财政局", "activities: [四帮四促, chuangxian-zhengyou]",
        "summary: 一句话", "cover: road.jpg", "author: 办公室", "source: 简报", "target: 银洞湾村",
        "funds_yuan: 20000", "households: 25"), "cases/xiulu/road.jpg": "jpg"})
    assert problems == []
    [case] = site.stories
    assert (case.kind.key, case.slug, case.title, case.date, case.unit) == (
        "case", "xiulu", "修路", dt.date(2012, 5, 26), "caizhengju")
    assert case.activities == ("sibang-sicu", "chuangxian-zhengyou")
    assert (case.summary, case.cover, case.author, case.source) == ("一句话", "cases/xiulu/road.jpg", "办公室", "简报")
    assert case.extra == (("target", "银洞湾村"), ("funds_yuan", 20000), ("households", 25))
    assert (case.bundle_dir, case.body_line, case.url) == ("cases/xiulu", 14, "cases/xiulu/")


def test_missing_required_fields_are_errors_at_the_start_of_the_front_matter(tmp_path: Path):
    site, problems = check(tmp_path, {"posts/a.md": story("summary: 只有摘要")})
    assert problems == [
        "content/posts/a.md:2: error: 缺少必填项“date” (在 front matter 中加一行 date: ...)",
        "content/posts/a.md:2: error: 缺少必填项“title” (在 front matter 中加一行 title: ...)",
        "content/posts/a.md:2: error: 缺少必填项“unit” (在 front matter 中加一行 unit: ...)",
    ]
    assert site.stories == ()


def test_invalid_field_values_are_errors_at_their_lines(tmp_path: Path):
    _, problems = check(tmp_path, {"cases/a.md": story(
        *BASIC, "draft: 是", "funds_yuan: 2万元", "households: 2.5", "activities: {a: b}")})
    assert problems == [
        "content/cases/a.md:5: error: “draft”应写 true 或 false",
        "content/cases/a.md:6: error: “funds_yuan”应是不小于 0 的数字，不要带“元”或逗号，例如 20000",
        "content/cases/a.md:7: error: “households”应是不小于 0 的整数，例如 25",
        "content/cases/a.md:8: error: “activities”应是一个列表，例如 [创先争优, 四帮四促]",
    ]


def test_date_that_is_not_a_date_is_an_error(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story("title: 岗", "date: 2010年5月12日", "unit: caizhengju")})
    assert problems == [
        "content/posts/a.md:3: error: “date”应是 YYYY-MM-DD 格式的日期，例如 2010-05-12（现在写的是“2010年5月12日”）"]


def test_empty_title_is_an_error(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story('title: "  "', "date: 2010-05-12", "unit: caizhengju")})
    assert problems == ["content/posts/a.md:2: error: “title”不能为空"]


def test_field_of_another_kind_is_a_warning_naming_that_kind(tmp_path: Path):
    site, problems = check(tmp_path, {"branches/a.md": story(*BASIC, "holder: 王某某", "funds_yuan: 100")})
    assert problems == [
        "content/branches/a.md:5: warning: “holder”只用于党员示范岗（content/posts/），此处已忽略",
        "content/branches/a.md:6: warning: “funds_yuan”只用于帮扶案例（content/cases/），此处已忽略",
    ]
    assert site.stories[0].extra == ()


def test_unknown_field_is_a_warning_with_a_suggestion(tmp_path: Path):
    site, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "activity: [创先争优]")})
    assert problems == ["content/posts/a.md:5: warning: 未知的设置项“activity”，已忽略 (是不是要写“activities”？)"]
    assert site.stories[0].activities == ()


def test_unit_can_be_given_by_id_or_by_name(tmp_path: Path):
    site, problems = check(tmp_path, {
        "posts/by-id.md": story("title: 甲", "date: 2010-05-12", "unit: caizhengju"),
        "posts/by-name.md": story("title: 乙", "date: 2010-05-12", "unit: 县财政局"),
    })
    assert problems == []
    assert [s.unit for s in site.stories] == ["caizhengju", "caizhengju"]


def test_unknown_unit_is_an_error_with_a_suggestion(tmp_path: Path):
    site, problems = check(tmp_path, {"posts/a.md": story("title: 岗", "date: 2010-05-12", "unit: 县财政厅")})
    assert problems == [
        "content/posts/a.md:4: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)"]
    assert site.stories == ()


def test_unknown_activity_is_an_error_with_a_suggestion(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "activities: [创先争优, 四帮三促]")})
    assert problems == [
        "content/posts/a.md:5: error: 活动主题“四帮三促”不在 content/activities.yaml 中 (是不是要写“四帮四促”？)"]


def test_full_width_commas_in_brackets_make_one_unknown_activity_with_the_fix(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "activities: [创先争优，四帮四促]")})
    assert problems == [
        "content/posts/a.md:5: error: 活动主题“创先争优，四帮四促”不在 content/activities.yaml 中 "
        "(方括号里的各项用英文逗号分隔：activities: [创先争优, 四帮四促])"]


def test_activities_may_be_one_line_of_text_and_repeats_count_once(tmp_path: Path):
    site, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "activities: 创先争优、四帮四促，创先争优")})
    assert problems == []
    assert site.stories[0].activities == ("chuangxian-zhengyou", "sibang-sicu")


def test_cover_outside_the_content_folder_is_an_error(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "cover: ../../secret.jpg")})
    assert problems == [
        "content/posts/a.md:5: error: 封面图片“../../secret.jpg”指向了站点 content 文件夹之外 "
        "(把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg)"]


def test_cover_that_does_not_exist_is_an_error(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "cover: photo.jpg")})
    assert problems == [
        "content/posts/a.md:5: error: 封面图片找不到文件“photo.jpg” "
        "(把图片放在文章所在的文件夹，cover 只写文件名，例如 cover: photo.jpg)"]


def test_cover_is_resolved_from_the_story_folder(tmp_path: Path):
    site, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "cover: ../images/gang.jpg"),
                                      "images/gang.jpg": "jpg"})
    assert problems == []
    assert site.stories[0].cover == "images/gang.jpg"


def test_slug_comes_from_the_file_name_in_pinyin_or_from_front_matter(tmp_path: Path):
    site, problems = check(tmp_path, {
        "posts/国库岗.md": story("title: 甲", "date: 2010-05-12", "unit: caizhengju"),
        "posts/b.md": story("title: 乙", "date: 2010-05-11", "unit: caizhengju", "slug: my-post"),
    })
    assert problems == []
    assert [s.url for s in site.stories] == ["posts/guo-ku-gang/", "posts/my-post/"]


def test_invalid_slug_is_an_error_with_an_example(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story(*BASIC, "slug: 国库 岗")})
    assert problems == ["content/posts/a.md:5: error: slug“国库 岗”只能用小写英文字母、数字和连字符 (例如 guo-ku-gang)"]


def test_duplicate_url_names_both_files(tmp_path: Path):
    _, problems = check(tmp_path, {
        "posts/a.md": story("title: 甲", "date: 2010-05-12", "unit: caizhengju"),
        "posts/b.md": story("title: 乙", "date: 2010-05-12", "unit: caizhengju", "slug: a"),
    })
    hint = "(在其中一篇的 front matter 中写不同的 slug)"
    assert problems == [
        f"content/posts/a.md:1: error: 网址“posts/a/”与 content/posts/b.md 重复 {hint}",
        f"content/posts/b.md:1: error: 网址“posts/a/”与 content/posts/a.md 重复 {hint}",
    ]


def test_stories_are_sorted_newest_first(tmp_path: Path):
    site, _ = check(tmp_path, {
        "posts/old.md": story("title: 旧", "date: 2009-01-01", "unit: caizhengju"),
        "cases/new.md": story("title: 新", "date: 2012-01-01", "unit: caizhengju"),
        "branches/mid.md": story("title: 中", "date: 2010-01-01", "unit: caizhengju"),
    })
    assert [s.slug for s in site.stories] == ["new", "mid", "old"]


def test_pages_are_checked_and_sorted_by_slug(tmp_path: Path):
    site, problems = check(tmp_path, {
        "pages/联系我们.md": "---\ntitle: 联系我们\nslug: contact\n---\n电话\n",
        "pages/about.md": "---\ntitle: 关于\nsummary: 简介\n---\n本站\n",
    })
    assert problems == []
    assert [(p.slug, p.title, p.url) for p in site.pages] == [
        ("about", "关于", "about/"), ("contact", "联系我们", "contact/")]


def test_page_may_not_take_a_reserved_slug(tmp_path: Path):
    site, problems = check(tmp_path, {"pages/a.md": "---\ntitle: 单位\nslug: units\n---\n"})
    assert problems == ["content/pages/a.md:3: error: 网址“units/”已被网站自身使用 (换一个 slug，例如 about-units)"]
    assert site.pages == ()


def test_page_named_after_a_kind_folder_is_refused(tmp_path: Path):
    _, problems = check(tmp_path, {"pages/archive.md": "---\ntitle: 归档\n---\n"})
    assert problems == [
        "content/pages/archive.md:2: error: 网址“archive/”已被网站自身使用 (换一个 slug，例如 about-archive)"]


def test_story_fields_are_unknown_to_pages(tmp_path: Path):
    _, problems = check(tmp_path, {"pages/about.md": "---\ntitle: 关于\nunit: 县财政局\n---\n"})
    assert problems == [
        "content/pages/about.md:3: warning: 未知的设置项“unit”，已忽略 (可用的设置项：draft、slug、summary、title)"]


def test_drafts_are_left_out_unless_asked_for(tmp_path: Path):
    files = {
        "posts/draft.md": story("title: 草稿", "date: 2010-05-12", "unit: caizhengju", "draft: true"),
        "posts/done.md": story("title: 定稿", "date: 2010-05-12", "unit: caizhengju", "draft: false"),
        "pages/todo.md": "---\ntitle: 待写\ndraft: true\n---\n",
    }
    site, problems = check(tmp_path, files)
    assert problems == []
    assert [s.slug for s in site.stories] == ["done"]
    assert site.pages == ()
    site, _ = check(tmp_path, files, drafts=True)
    assert [s.slug for s in site.stories] == ["done", "draft"]
    assert [p.slug for p in site.pages] == ["todo"]


def test_units_keep_their_parent_and_parent_may_be_given_by_name(tmp_path: Path):
    units = UNITS + "- id: zhibu\n  name: 财政局支部\n  parent: 县财政局\n  description: 党支部\n"
    site, problems = check(tmp_path, {}, units=units)
    assert problems == []
    assert [(u.id, u.parent, u.description) for u in site.units] == [
        ("gongwei", None, ""), ("caizhengju", "gongwei", ""), ("zhibu", "caizhengju", "党支部")]


def test_missing_parent_unit_is_an_error_with_a_suggestion(tmp_path: Path):
    units = "- id: caizhengju\n  name: 县财政局\n- id: zhibu\n  name: 支部\n  parent: 县财政厅\n"
    site, problems = check(tmp_path, {}, units=units)
    assert problems == ["content/units.yaml:5: error: 上级单位“县财政厅”不存在 (是不是要写“县财政局”？)"]
    assert site.unit("zhibu").parent is None


def test_units_whose_parents_form_a_cycle_are_errors_at_each_parent_line(tmp_path: Path):
    units = "- id: jia\n  name: 甲\n  parent: yi\n- id: yi\n  name: 乙\n  parent: jia\n"
    _, problems = check(tmp_path, {}, units=units)
    assert problems == [
        "content/units.yaml:3: error: 单位“甲”的上级关系绕成了一个圈 (检查 parent，最上级的单位不写 parent)",
        "content/units.yaml:6: error: 单位“乙”的上级关系绕成了一个圈 (检查 parent，最上级的单位不写 parent)",
    ]


def test_invalid_unit_id_is_an_error_with_a_pinyin_example(tmp_path: Path):
    site, problems = check(tmp_path, {}, units="- id: CaiZhengJu\n  name: 县财政局\n")
    assert problems == [
        "content/units.yaml:1: error: id“CaiZhengJu”只能用小写英文字母、数字和连字符 (例如 xian-cai-zheng-ju)"]
    assert site.units == ()


def test_duplicate_unit_id_or_name_is_an_error_naming_the_first_line(tmp_path: Path):
    units = UNITS + "- id: caizhengju-2\n  name: 县财政局\n"
    site, problems = check(tmp_path, {}, units=units)
    assert problems == ["content/units.yaml:6: error: “县财政局”重复出现（第 3 行已有） (每个 id 和名称只能用一次)"]
    assert [u.id for u in site.units] == ["gongwei", "caizhengju"]


def test_unit_without_a_name_is_an_error(tmp_path: Path):
    _, problems = check(tmp_path, {}, units="- id: caizhengju\n")
    assert problems == ["content/units.yaml:1: error: 缺少必填项“name” (在 front matter 中加一行 name: ...)"]


def test_activity_may_not_have_a_parent(tmp_path: Path):
    site, problems = check(tmp_path, {}, activities="- id: a\n  name: 甲\n  parent: b\n")
    assert problems == [
        "content/activities.yaml:3: warning: 未知的设置项“parent”，已忽略 (可用的设置项：description、id、name)"]
    assert [a.id for a in site.activities] == ["a"]


def test_story_with_an_unreadable_date_is_left_out_without_a_second_error(tmp_path: Path):
    content = tmp_path / "content"
    write(content / "units.yaml", UNITS)
    write(content / "activities.yaml", ACTIVITIES)
    write(content / "posts" / "a.md", story("title: 岗", "date: 2009-02-30", "unit: caizhengju"))
    tree, load_problems = load_content(content)
    site, problems = validate_site(SiteConfig(site_dir=tmp_path), tree, drafts=False)
    assert [p.format() for p in load_problems] == [
        "content/posts/a.md:3: error: “date”不是一个真实存在的日期 (日期请写成 YYYY-MM-DD，例如 2010-05-12)"]
    assert problems == []
    assert site.stories == ()


def test_title_that_is_not_text_is_an_error(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": story("title: [a, b]", "date: 2010-05-12", "unit: caizhengju")})
    assert problems == ["content/posts/a.md:2: error: “title”应是一段文字"]


def test_a_source_that_could_not_be_read_is_left_out_as_invalid(tmp_path: Path):
    check(tmp_path, {"posts/ok.md": story(*BASIC)})
    (tmp_path / "content/posts/broken.md").write_text("---\ntitle: [坏\n---\n", encoding="utf-8")
    tree, found = load_content(tmp_path / "content")
    site, _ = validate_site(SiteConfig(site_dir=tmp_path), tree, False)
    assert ("posts/broken.md", "invalid") in site.left_out and len(found) == 1
