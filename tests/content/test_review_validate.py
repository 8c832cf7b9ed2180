"""What validation does with the review: stories not approved at every level are left out, or shown in a preview."""

from pathlib import Path

from generator.content.config import SiteConfig
from generator.content.load import load_content
from generator.content.model import Site
from generator.content.review import fingerprint
from generator.content.validate import validate_site
from generator.content.yamlsource import parse_mapping

LEVELS = ("初审", "复审", "终审")
UNITS = "- id: caizhengju\n  name: 县财政局\n"
FRONT = "title: 国库岗\ndate: 2010-05-12\nunit: caizhengju\n"
BODY = "\n窗口服务。\n"


def mark(front: str = FRONT, body: str = BODY) -> str:
    mapping, _ = parse_mapping(front, "")
    assert mapping is not None
    return fingerprint(mapping.values, body)


def reviews(*levels: str, fingerprint: str | None = None) -> str:
    lines = [f'  - {{level: {level}, name: 张三, date: 2026-12-01, fingerprint: "{fingerprint or mark()}"}}\n'
             for level in levels]
    return "reviews:\n" + "".join(lines)


def check(tmp_path: Path, stories: dict[str, str], levels: tuple[str, ...] = LEVELS,
          preview: bool = False) -> tuple[Site, list[str]]:
    content = tmp_path / "content"
    for rel, text in {"units.yaml": UNITS, "activities.yaml": "", **stories}.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    tree, problems = load_content(content)
    assert problems == []
    site, problems = validate_site(SiteConfig(site_dir=tmp_path, review_levels=levels), tree, False, preview=preview)
    return site, [p.format() for p in sorted(problems)]


def test_only_stories_approved_at_every_level_are_published_and_each_other_one_is_one_warning(tmp_path: Path):
    site, problems = check(tmp_path, {
        "posts/done.md": f"---\n{FRONT}{reviews(*LEVELS)}---\n{BODY}",
        "posts/half.md": f"---\n{FRONT}{reviews('初审')}---\n{BODY}",
        "posts/new.md": f"---\n{FRONT}---\n{BODY}",
    })
    assert [s.source_path for s in site.stories] == ["posts/done.md"]
    assert sorted(site.left_out) == [("posts/half.md", "review"), ("posts/new.md", "review")]
    assert problems == [
        "content/posts/half.md:5: warning: 未通过审核，本次不发布：待复审（已初审：张三 2026-12-01） "
        "(审核后运行 dangjian review approve content/posts/half.md --level 复审 --by 姓名；"
        "dangjian build --preview 可预览未审核的文章)",
        "content/posts/new.md:2: warning: 未通过审核，本次不发布：待初审 "
        "(审核后运行 dangjian review approve content/posts/new.md --level 初审 --by 姓名；"
        "dangjian build --preview 可预览未审核的文章)",
    ]
    assert not site.preview and site.unreviewed == ()


def test_a_story_edited_after_its_approvals_is_left_out_again(tmp_path: Path):
    text = f"---\n{FRONT}{reviews(*LEVELS)}---\n{BODY}"
    site, problems = check(tmp_path, {"posts/done.md": text.replace("窗口服务。", "窗口服务规范。")})
    assert site.stories == () and site.left_out == (("posts/done.md", "review"),)
    assert problems == [
        "content/posts/done.md:5: warning: 未通过审核，本次不发布："
        "改后待复核（改动前已终审：张三 2026-12-01；须从初审重新审核） "
        "(审核后运行 dangjian review approve content/posts/done.md --level 初审 --by 姓名；"
        "dangjian build --preview 可预览未审核的文章)"]


def test_a_preview_holds_every_story_and_knows_where_each_stands(tmp_path: Path):
    site, problems = check(tmp_path, {
        "posts/done.md": f"---\n{FRONT}{reviews(*LEVELS)}---\n{BODY}",
        "posts/half.md": f"---\n{FRONT}{reviews('初审')}---\n{BODY}",
    }, preview=True)
    assert problems == []
    assert site.preview and len(site.stories) == 2
    assert site.review_of("posts/done.md") is None
    state = site.review_of("posts/half.md")
    assert state is not None and state.waiting == "复审"


def test_without_review_levels_approvals_change_nothing(tmp_path: Path):
    site, problems = check(tmp_path, {"posts/a.md": f"---\n{FRONT}{reviews('初审')}---\n{BODY}",
                                      "posts/b.md": f"---\n{FRONT}---\n{BODY}"}, levels=())
    assert problems == [] and len(site.stories) == 2 and site.left_out == ()


def test_a_draft_stays_a_draft_whatever_its_review(tmp_path: Path):
    site, _ = check(tmp_path, {"posts/a.md": f"---\n{FRONT}draft: true\n---\n{BODY}"})
    assert site.left_out == (("posts/a.md", "draft"),)


def test_malformed_reviews_are_an_error_at_their_line_and_unknown_levels_a_warning(tmp_path: Path):
    _, problems = check(tmp_path, {"posts/a.md": f"---\n{FRONT}reviews: [初审]\n---\n{BODY}"})
    assert problems == ["content/posts/a.md:5: error: “reviews”第 1 项应写成 "
                        "{level: 初审, name: 姓名, date: YYYY-MM-DD, fingerprint: ...}"
                        "（审核记录由 dangjian review approve 写入，请不要手工修改）"]
    _, problems = check(tmp_path, {"posts/a.md": f"---\n{FRONT}{reviews('初审', '二审')}---\n{BODY}"})
    assert problems[0] == ("content/posts/a.md:5: warning: "
                           "审核记录中的级别“二审”不在 site.yaml 的 review_levels 中，已忽略 "
                           "(可用的级别：初审、复审、终审)")
    assert "待复审" in problems[1]
    # Approved at every level it has now: an entry of a level taken out of site.yaml is no news.
    _, problems = check(tmp_path, {"posts/a.md": f"---\n{FRONT}{reviews(*LEVELS, '四审')}---\n{BODY}"})
    assert problems == []


def test_a_draft_approved_at_every_level_is_published_once_it_is_no_longer_a_draft(tmp_path: Path):
    site, _ = check(tmp_path, {"posts/a.md": f"---\n{FRONT}draft: true\n{reviews(*LEVELS)}---\n{BODY}"})
    assert site.left_out == (("posts/a.md", "draft"),)
    site, problems = check(tmp_path, {"posts/a.md": f"---\n{FRONT}{reviews(*LEVELS)}---\n{BODY}"})
    assert problems == [] and [s.source_path for s in site.stories] == ["posts/a.md"]
