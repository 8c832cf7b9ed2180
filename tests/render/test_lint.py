"""The lint of a Markdown body: what a reader sees is linted, code is not, hits are reported at their lines."""

import datetime as dt

import pytest

from generator.content.model import KIND_BY_KEY, Story
from generator.content.terms import Lint, Rule
from generator.render.markdown import make_parser, render_doc
from generator.render.urls import SiteUrls

BODY_LINE = 6
"""The body starts on file line 6, as after a five-line front matter."""
LINT = Lint((Rule("两学一做", "“两学一做”"), Rule("两学一做学习教育", "“两学一做”学习教育"),
             Rule("从严治党", "全面从严治党"), Rule("party building", "Party building"), Rule("秘密★", "")))


def problems_of(body: str, lint: Lint = LINT) -> list[str]:
    story = Story(KIND_BY_KEY["post"], "a", "标题", dt.date(2010, 5, 12), "caizhengju", (), "posts/a.md", body,
                  BODY_LINE)
    _, problems = render_doc(make_parser(), story, SiteUrls([story]), frozenset(), lint=lint)
    return [f"{p.line} {p.severity.value} {p.message}" for p in sorted(problems)]


def hit(line: int, wrong: str) -> str:
    return next(f"{line} {p.severity.value} {p.message}" for p in [
        rule.problem("", line) for rule in LINT.rules if rule.wrong == wrong])


def test_overlapping_terms_in_a_body_are_one_hit_the_longest():
    assert problems_of("支部开展两学一做学习教育。\n") == [hit(6, "两学一做学习教育")]


def test_a_term_inside_a_code_span_or_a_code_block_is_not_flagged():
    body = ("写作`两学一做`时注意。\n\n"
            "```\n两学一做学习教育\n```\n\n"
            "    从严治党\n\n"
            "两学`x`一做\n")
    assert problems_of(body) == []


def test_a_term_split_by_a_line_break_inside_a_paragraph_is_flagged_at_the_line_where_it_starts():
    body = "第一行。\n\n支部开展两学\n一做学习教育，\n坚持从严\n治党。\n"
    assert problems_of(body) == [hit(8, "两学一做学习教育"), hit(10, "从严治党")]


def test_latin_words_wrapped_across_lines_keep_their_space():
    assert problems_of("good party\nbuilding\n") == [hit(6, "party building")]
    assert problems_of("partybuil\nding\n") == []


def test_text_that_is_already_right_is_not_flagged_even_across_a_line_break():
    assert problems_of("推进全面\n从严治党。\n") == []


@pytest.mark.parametrize("body, line", [
    ("# 两学一做\n", 6),
    ("正文\n\n## 开展两学一做\n", 8),
    ("- 第一项\n- 开展两学一做\n", 7),
    ("> 引用\n> 两学一做\n", 7),
    ("| 项目 | 内容 |\n| --- | --- |\n| 1 | 两学一做 |\n", 8),
    ("见[两学一做](../posts/a.md)和*两学*一做。\n", 6),
    ("![两学一做现场](photo.jpg)\n", 6),
    ("正文。[^1]\n\n[^1]: 两学一做的要求。\n", 8),
    ("<b>两学一做</b>\n", 6),
])
def test_every_kind_of_text_a_reader_sees_is_linted(body: str, line: int):
    assert hit(line, "两学一做") in problems_of(body)


def test_link_addresses_are_not_linted_but_their_text_is():
    assert problems_of("[链接](https://example.org/从严治党)\n") == []
    assert problems_of("[从严治党](https://example.org/)\n") == [hit(6, "从严治党")]


def test_a_banned_word_in_a_body_is_an_error():
    assert problems_of("印有秘密★字样。\n") == [hit(6, "秘密★")] == ["6 error 禁用词“秘密★”不能出现在网站上"]


def test_a_body_without_a_lint_has_no_problems():
    assert problems_of("两学一做学习教育\n", Lint()) == []
