"""Approvals written into a story's front matter: only the reviews block changes, byte for byte."""

import codecs
import datetime as dt

import pytest

from generator.content.model import Approval
from generator.content.review_text import UnwritableError, approval_lines, with_approvals

FIRST = Approval("初审", "张三", dt.date(2026, 12, 1), "0123abcd4567")
SECOND = Approval("复审", "李四", dt.date(2026, 12, 2), "0123abcd4567")
STORY = (
    "---\n"
    "title: 国库岗   # 标题\n"
    'unit: "县财政局"\n'
    "date: 2010-05-12\n"
    "---\n"
    "正文第一段。\n\n---\n\n分隔线之后。"
)


def test_a_first_approval_is_added_as_the_last_lines_of_the_front_matter_and_nothing_else_changes():
    new = with_approvals(STORY.encode(), [FIRST]).decode()
    head, _, tail = STORY.partition("---\n正文")
    assert new == head + "reviews:\n  - {level: 初审, name: 张三, date: 2026-12-01, fingerprint: \"0123abcd4567\"}\n" \
        + "---\n正文" + tail


def test_a_second_approval_replaces_the_block_where_it_stands():
    once = with_approvals(STORY.encode(), [FIRST]).decode()
    moved = once.replace("title: 国库岗   # 标题\n", "").replace("date: 2010-05-12\n", "")
    moved = moved.replace("---\n正文", "# 审核记录之后的注释\n\ntitle: 国库岗   # 标题\ndate: 2010-05-12\n---\n正文")
    twice = with_approvals(moved.encode(), [FIRST, SECOND]).decode()
    assert twice == moved.replace(
        "\"0123abcd4567\"}\n",
        "\"0123abcd4567\"}\n  - {level: 复审, name: 李四, date: 2026-12-02, fingerprint: \"0123abcd4567\"}\n")


def test_line_ends_and_byte_order_mark_are_kept():
    data = codecs.BOM_UTF8 + STORY.replace("\n", "\r\n").encode()
    new = with_approvals(data, [FIRST])
    assert new.startswith(codecs.BOM_UTF8)
    assert b"\n" not in new.replace(b"\r\n", b"")
    assert new.replace(b'  - {level: \xe5\x88\x9d\xe5\xae\xa1, name: \xe5\xbc\xa0\xe4\xb8\x89, date: 2026-12-01, '
                       b'fingerprint: "0123abcd4567"}\r\n', b"").replace(b"reviews:\r\n", b"") == data


def test_a_block_style_block_with_comments_is_replaced_whole():
    text = ("---\ntitle: 岗\nreviews:\n  - level: 初审\n    name: 张三\n    date: 2026-12-01\n"
            "    fingerprint: old\n\n# 说明\nunit: 县财政局\n---\n正文\n")
    new = with_approvals(text.encode(), [FIRST]).decode()
    assert new == ("---\ntitle: 岗\n" + "\n".join(approval_lines([FIRST])) + "\n\n# 说明\nunit: 县财政局\n---\n正文\n")


@pytest.mark.parametrize("name", ["true", "张三: 李四", "王 五", "O'Brien", "#1", "null", "2026-12-01", "[组]"])
def test_names_are_quoted_when_plain_yaml_would_read_them_otherwise(name: str):
    person = Approval("初审", name, FIRST.date, FIRST.fingerprint)
    assert with_approvals(STORY.encode(), [person])  # read back and checked inside


@pytest.mark.parametrize("text, why", [
    ("title: 岗\n---\n", "缺少 front matter"),
    ("---\ntitle: 岗\n", "没有结束"),
    ("---\n{title: 岗, unit: 县}\n---\n", "一行一项"),
    ("---\ntitle: [岗\n---\n", "YAML 格式有误"),
    ("---\ntitle: 岗\r---\n", "CR"),
])
def test_front_matter_it_cannot_edit_safely_is_refused(text: str, why: str):
    with pytest.raises(UnwritableError, match=why):
        with_approvals(text.encode(), [FIRST])
