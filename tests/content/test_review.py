"""The review workflow's rules: review fingerprints, recorded approvals, a story's state, review_levels."""

import datetime as dt
from pathlib import Path

from generator.content.config import load_config
from generator.content.model import Approval
from generator.content.review import check_reviews, describe, fingerprint, review_state
from generator.content.yamlsource import parse_mapping

LEVELS = ("初审", "复审", "终审")
DAY = dt.date(2026, 12, 1)


def values(front: str) -> dict[str, object]:
    mapping, problems = parse_mapping(front, "x.md")
    assert mapping is not None and problems == []
    return mapping.values


FRONT = "title: 国库岗\ndate: 2010-05-12\nunit: 县财政局\nactivities: [创先争优, 四帮四促]\n"
BODY = "\n窗口服务规范。\n\n## 做法\n\n首问负责制。\n"


def test_fingerprint_is_short_hex_and_the_same_for_the_same_story():
    mark = fingerprint(values(FRONT), BODY)
    assert len(mark) == 12 and int(mark, 16) >= 0
    assert fingerprint(values(FRONT), BODY) == mark


def test_fingerprint_ignores_how_the_yaml_is_written_and_whitespace_editors_change():
    mark = fingerprint(values(FRONT), BODY)
    rewritten = ('activities:\n  - 创先争优\n  - "四帮四促"\nunit: "县财政局"\n'
                 "date:   2010-05-12\ntitle: 国库岗\nauthor:\n")
    assert fingerprint(values(rewritten), BODY) == mark
    assert fingerprint(values(FRONT), "窗口服务规范。  \n\n## 做法\n\n首问负责制。\n\n\n") == mark


def test_fingerprint_leaves_out_the_reviews_themselves_and_whether_the_story_is_a_draft():
    with_reviews = FRONT + 'reviews:\n  - {level: 初审, name: 张三, date: 2026-12-01, fingerprint: "abc"}\n'
    assert fingerprint(values(with_reviews), BODY) == fingerprint(values(FRONT), BODY)
    assert fingerprint(values(FRONT + "draft: true\n"), BODY) == fingerprint(values(FRONT), BODY)


def test_any_change_of_text_or_of_a_field_changes_the_fingerprint():
    mark = fingerprint(values(FRONT), BODY)
    assert fingerprint(values(FRONT), BODY.replace("首问", "首接")) != mark
    assert fingerprint(values(FRONT.replace("国库岗", "国库支付岗")), BODY) != mark
    assert fingerprint(values(FRONT.replace("2010-05-12", "2010-05-13")), BODY) != mark
    assert fingerprint(values(FRONT + "summary: 一句话\n"), BODY) != mark
    assert fingerprint(values(FRONT.replace("[创先争优, 四帮四促]", "[四帮四促, 创先争优]")), BODY) != mark


def test_a_date_and_the_same_text_in_quotes_are_different_values():
    assert fingerprint(values("date: 2010-05-12\n"), "") != fingerprint(values('date: "2010-05-12"\n'), "")


def test_reviews_are_read_as_approvals():
    raw = values('reviews:\n  - {level: 初审, name: 张三, date: 2026-12-01, fingerprint: "0123abcd4567"}\n')["reviews"]
    assert check_reviews(raw) == ((Approval("初审", "张三", DAY, "0123abcd4567"),), "")


def test_malformed_reviews_say_which_entry_and_what_is_wrong():
    def message(front: str) -> str:
        return check_reviews(values(front)["reviews"])[1]

    assert "应是审核记录的列表" in message("reviews: 初审\n")
    assert "第 2 项缺少 name、fingerprint" in message(
        "reviews:\n  - {level: 初审, name: 张三, date: 2026-12-01, fingerprint: a}\n"
        "  - {level: 复审, date: 2026-12-02}\n")
    assert "第 1 项的 date 应是 YYYY-MM-DD" in message(
        "reviews:\n  - {level: 初审, name: 张三, date: 昨天, fingerprint: a}\n")
    assert "第 1 项应写成" in message("reviews:\n  - 初审\n")


def approval(level: str, mark: str = "now", day: int = 1, name: str = "张三") -> Approval:
    return Approval(level, name, dt.date(2026, 12, day), mark)


def test_without_review_levels_every_story_is_approved():
    assert review_state((), "now", ()) is None


def test_a_story_waits_for_the_first_level_it_lacks():
    state = review_state([approval("初审")], "now", LEVELS)
    assert state is not None and state.waiting == "复审" and not state.edited
    assert describe(state, LEVELS) == "待复审（已初审：张三 2026-12-01）"
    assert describe(review_state((), "", LEVELS), LEVELS) == "待初审"  # type: ignore[arg-type]
    assert review_state([approval(level) for level in LEVELS], "now", LEVELS) is None


def test_levels_count_in_order_only():
    state = review_state([approval("终审"), approval("初审")], "now", LEVELS)
    assert state is not None and state.waiting == "复审" and [a.level for a in state.done] == ["初审"]
    state = review_state([approval("初审"), approval("三审")], "now", LEVELS)
    assert state is not None and state.waiting == "复审"


def test_a_story_changed_after_its_approvals_must_be_approved_again_from_the_first_level():
    state = review_state([approval(level, "old", 3) for level in LEVELS], "now", LEVELS)
    assert state is not None and state.edited and state.waiting == "初审"
    assert describe(state, LEVELS) == "改后待复核（改动前已终审：张三 2026-12-03；须从初审重新审核）"
    again = review_state([approval("初审", "now", 4)], "now", LEVELS)
    assert again is not None and not again.edited and again.waiting == "复审"


def site(tmp_path: Path, text: str) -> Path:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_review_levels_are_read_from_site_yaml(tmp_path: Path):
    config, problems = load_config(site(tmp_path, "review_levels: [初审, 复审, 终审]\n"))
    assert (config.review_levels, problems) == (LEVELS, [])
    config, problems = load_config(site(tmp_path, "review_levels: 初审、终审\n"))
    assert (config.review_levels, problems) == (("初审", "终审"), [])
    config, problems = load_config(site(tmp_path, "title: 党建\n"))
    assert (config.review_levels, problems) == ((), [])


def test_wrong_review_levels_are_errors_with_an_example(tmp_path: Path):
    _, problems = load_config(site(tmp_path, "title: 党建\nreview_levels: [初审, 初审]\n"))
    assert [p.format() for p in problems] == [
        "site.yaml:2: error: “review_levels”中“初审”写了两次 (每个审核级别只写一次)"]
    _, problems = load_config(site(tmp_path, "review_levels: {初审: 1}\n"))
    assert [p.format() for p in problems] == [
        "site.yaml:1: error: “review_levels”应是审核级别的列表 "
        "(例如 review_levels: [初审, 复审, 终审]；不需要审核时删去此行)"]
