"""Creating sites (init) and stories (new)."""

import datetime as dt
from pathlib import Path

import pytest

from generator.content.config import SiteConfig
from generator.content.load import load_content
from generator.content.validate import validate_site
from generator.core.errors import SiteError
from generator.pipeline.builder import build
from generator.pipeline.options import BuildOptions
from generator.scaffold import init_site, new_story

UNITS = "- id: gongwei\n  name: 县直机关工委\n- id: caizhengju\n  name: 县财政局\n  parent: gongwei\n"
ACTIVITIES = "- id: chuangxian-zhengyou\n  name: 创先争优\n- id: sibang-sicu\n  name: 四帮四促\n"
DAY = dt.date(2010, 5, 12)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def make_site(root: Path, units: str = UNITS) -> Path:
    write(root / "site.yaml", "title: 党建\n")
    write(root / "content" / "units.yaml", units)
    write(root / "content" / "activities.yaml", ACTIVITIES)
    return root


def check(root: Path):
    tree, problems = load_content(root / "content")
    site, found = validate_site(SiteConfig(site_dir=root), tree, drafts=False)
    return site, [p.format() for p in problems + found]


def refusal(*args, **kwargs) -> list[str]:
    with pytest.raises(SiteError) as caught:
        new_story(*args, **kwargs)
    return [p.format() for p in caught.value.problems]


def test_init_into_a_new_folder_creates_a_site_that_builds(tmp_path: Path):
    root = tmp_path / "dangjian"
    init_site(root)
    assert (root / "site.yaml").is_file()
    report = build(BuildOptions(site_dir=root, progress=False))
    assert report.warnings == ()
    assert report.stories >= 3
    assert (root / "output" / "index.html").is_file()


def test_starter_site_has_a_story_of_every_kind(tmp_path: Path):
    init_site(tmp_path / "s")
    site, problems = check(tmp_path / "s")
    assert problems == []
    assert {s.kind.key for s in site.stories} == {"branch", "post", "case"}


def test_init_into_an_empty_existing_folder_is_allowed(tmp_path: Path):
    init_site(tmp_path)
    assert (tmp_path / "content" / "units.yaml").is_file()


def test_init_refuses_a_folder_that_is_not_empty_and_changes_nothing(tmp_path: Path):
    write(tmp_path / "notes.txt", "我的文件")
    with pytest.raises(SiteError) as caught:
        init_site(tmp_path)
    assert [p.format() for p in caught.value.problems] == [
        f"{tmp_path}: error: 文件夹不是空的，未做任何改动 (换一个新的文件夹名)"]
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_new_story_writes_front_matter_with_the_unit_and_activity_names(tmp_path: Path):
    root = make_site(tmp_path)
    path = new_story(root, "post", "国库支付窗口", "caizhengju", ["chuangxian-zhengyou", "四帮四促"], today=DAY)
    assert path == root / "content" / "posts" / "guo-ku-zhi-fu-chuang-kou.md"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        '---\ntitle: "国库支付窗口"\ndate: 2010-05-12\nunit: "县财政局"\nactivities: ["创先争优", "四帮四促"]\n')
    assert "\nholder:" in text
    assert "\nposition:" in text
    assert "\nfunds_yuan:" not in text


def test_new_case_has_the_case_fields(tmp_path: Path):
    path = new_story(make_site(tmp_path), "case", "修路", "县财政局", [], today=DAY)
    text = path.read_text(encoding="utf-8")
    assert "activities: []\n" in text
    assert all(f"\n{name}:" in text for name in ("target", "funds_yuan", "households"))


def test_new_story_reads_back_as_a_valid_story(tmp_path: Path):
    root = make_site(tmp_path)
    new_story(root, "case", 'Q&A: 修路 "一事一议" #1', "县财政局", ["创先争优"], today=DAY)
    site, problems = check(root)
    assert problems == []
    [story] = site.stories
    assert (story.title, story.date, story.unit, story.activities) == (
        'Q&A: 修路 "一事一议" #1', DAY, "caizhengju", ("chuangxian-zhengyou",))


def test_new_story_refuses_an_unknown_unit_with_a_suggestion(tmp_path: Path):
    root = make_site(tmp_path)
    assert refusal(root, "post", "国库岗", "县财政厅", [], today=DAY) == [
        "--unit: error: 单位“县财政厅”不在 content/units.yaml 中 (是不是要写“县财政局”？)"]
    assert not (root / "content" / "posts").exists()


def test_new_story_refuses_an_unknown_activity_with_a_suggestion(tmp_path: Path):
    assert refusal(make_site(tmp_path), "post", "国库岗", "caizhengju", ["四帮三促"], today=DAY) == [
        "--activity: error: 活动主题“四帮三促”不在 content/activities.yaml 中 (是不是要写“四帮四促”？)"]


def test_new_story_refuses_a_title_without_letters(tmp_path: Path):
    assert refusal(make_site(tmp_path), "post", "！！！", "caizhengju", [], today=DAY) == [
        "title: error: 无法从标题生成文件名 (标题中至少要有一个汉字、字母或数字)"]


def test_new_story_refuses_to_overwrite_and_keeps_the_file(tmp_path: Path):
    root = make_site(tmp_path)
    path = new_story(root, "post", "国库岗", "caizhengju", [], today=DAY)
    written = path.read_text(encoding="utf-8") + "我写好的正文。\n"
    path.write_text(written, encoding="utf-8")
    assert refusal(root, "post", "国库岗", "县财政局", [], today=DAY) == [
        f"{path}: error: 同名文章已存在，未做任何改动 (换一个标题，或直接编辑已有文件)"]
    assert path.read_text(encoding="utf-8") == written


def test_new_story_refuses_when_units_yaml_has_errors(tmp_path: Path):
    root = make_site(tmp_path, units="- id: CaiZheng\n  name: 县财政局\n")
    assert refusal(root, "post", "国库岗", "县财政局", [], today=DAY) == [
        "content/units.yaml:1: error: id“CaiZheng”只能用小写英文字母、数字和连字符 (例如 xian-cai-zheng-ju)"]


def test_new_story_is_not_blocked_by_a_warning_elsewhere(tmp_path: Path):
    root = make_site(tmp_path)
    write(root / "content" / "cases" / "xiulu" / "story.md", "---\ntitle: 修路\n---\n")
    path = new_story(root, "post", "国库岗", "caizhengju", [], today=DAY)
    assert path.is_file()


def test_new_story_quotes_unit_and_activity_names(tmp_path: Path):
    root = make_site(tmp_path, units='- id: bangongshi\n  name: "县委: 办公室"\n')
    write(root / "content" / "activities.yaml", '- id: xuexi\n  name: "学习, 实践"\n')
    new_story(root, "post", "值班岗", "bangongshi", ["xuexi"], today=DAY)
    site, problems = check(root)
    assert problems == []
    assert [(s.unit, s.activities) for s in site.stories] == [("bangongshi", ("xuexi",))]


def test_init_with_review_switches_the_levels_on_and_its_approved_stories_build(tmp_path: Path):
    root = tmp_path / "dangjian"
    init_site(root, review=True, today=DAY)
    assert (root / "site.yaml").read_text(encoding="utf-8").endswith("review_levels: [初审, 复审, 终审]\n")
    post = (root / "content/posts/guoku-gang.md").read_text(encoding="utf-8")
    assert "  - {level: 终审, name: 示例, date: 2010-05-12, fingerprint: " in post
    report = build(BuildOptions(site_dir=root, progress=False))
    assert (report.warnings, report.stories) == ((), 3)
    plain = tmp_path / "plain"
    init_site(plain)
    # Only site.yaml and the stories' review blocks differ from a site made without review.
    for path in plain.rglob("*.md"):
        with_review = (root / path.relative_to(plain)).read_text(encoding="utf-8")
        assert "\n".join(line for line in with_review.split("\n") if "level:" not in line and line != "reviews:") \
            == path.read_text(encoding="utf-8")
