"""The official-formulation lint's rules: terms.yaml and banned.yaml checked, matching, front matter."""

import pickle
import random
import re
from pathlib import Path

from generator.content.config import SiteConfig
from generator.content.load import load_content
from generator.content.model import Site
from generator.content.terms import BANNED_SHAPE, NO_LINT, TERMS_SHAPE, Lint, Rule, check_lint
from generator.content.validate import validate_site
from generator.content.yamlsource import parse_list

UNITS = "- id: caizhengju\n  name: 县财政局\n"
STORY = "---\ntitle: {title}\ndate: 2010-05-12\nunit: caizhengju\nsummary: {summary}\n---\n\n正文。\n"
TERMS = """\
- wrong: 两学一做学习教育
  right: “两学一做”学习教育
  note: 学习教育的名称带引号
- wrong: [从严治党, 从严管党]
  right: 全面从严治党
"""


def site_with(tmp_path: Path, files: dict[str, str]) -> tuple[Site, list[str]]:
    """Write a site's content/ (units, activities and these files), validate it, return its formatted problems."""
    content = tmp_path / "content"
    for rel, text in {"units.yaml": UNITS, "activities.yaml": "", **files}.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    tree, problems = load_content(content)
    site, found = validate_site(SiteConfig(site_dir=tmp_path), tree, drafts=False)
    return site, [p.format() for p in sorted(problems + found)]


def lint_of(terms: str = "", banned: str = "") -> tuple[Lint, list[str]]:
    items = [parse_list(text, f"content/{name}", "") for text, name in ((terms, "terms.yaml"),
                                                                         (banned, "banned.yaml"))]
    assert items[0][1] == [] and items[1][1] == []
    lint, problems = check_lint(items[0][0], items[1][0])
    return lint, [p.format() for p in sorted(problems)]


def found(lint: Lint, text: str) -> list[tuple[int, str]]:
    return [(start, rule.wrong) for start, rule in lint.hits(text)]


def test_a_site_without_terms_or_banned_words_has_no_lint(tmp_path: Path):
    site, problems = site_with(tmp_path, {"posts/a.md": STORY.format(title="两学一做学习教育", summary="摘要")})
    assert problems == [] and site.lint == NO_LINT and not site.lint and site.lint.mark == ""


def test_terms_and_banned_words_become_rules_with_their_notes(tmp_path: Path):
    banned = "- 秘密★\n- word: 残废人\n  note: 写“残疾人”\n"
    site, problems = site_with(tmp_path, {"terms.yaml": TERMS, "banned.yaml": banned})
    assert problems == []
    assert site.lint.rules == (Rule("两学一做学习教育", "“两学一做”学习教育", "学习教育的名称带引号"),
                               Rule("从严治党", "全面从严治党"), Rule("从严管党", "全面从严治党"),
                               Rule("秘密★", ""), Rule("残废人", "", "写“残疾人”"))
    assert [rule.banned for rule in site.lint.rules] == [False, False, False, True, True]


def test_overlapping_entries_report_the_longest_match_once():
    lint, _ = lint_of("- wrong: 两学一做\n  right: “两学一做”\n"
                      "- wrong: 两学一做学习教育\n  right: “两学一做”学习教育\n"
                      "- wrong: 学习教育常态化\n  right: 学习教育常态化制度化\n")
    assert found(lint, "开展两学一做学习教育常态化") == [(2, "两学一做学习教育")]
    assert found(lint, "开展两学一做活动") == [(2, "两学一做")]


def test_text_that_already_is_the_right_formulation_holding_the_wrong_one_is_not_flagged():
    lint, _ = lint_of(TERMS)
    assert found(lint, "推进全面从严治党") == []
    assert found(lint, "推进从严治党，全面从严治党，从严管党") == [(2, "从严治党"), (14, "从严管党")]
    # The right formulation is looked for around the hit, not anywhere in the text.
    assert found(lint, "全面加强从严治党") == [(4, "从严治党")]


def test_each_hit_names_the_wrong_text_and_the_right_formulation():
    lint, _ = lint_of(TERMS, "- 秘密★\n")
    by_wrong = {rule.wrong: rule for rule in lint.rules}
    assert by_wrong["两学一做学习教育"].problem("content/posts/a.md", 9).format() == (
        "content/posts/a.md:9: warning: “两学一做学习教育”应改为规范表述：“两学一做”学习教育 (学习教育的名称带引号)")
    assert by_wrong["秘密★"].problem("content/posts/a.md", 3).format() == (
        "content/posts/a.md:3: error: 禁用词“秘密★”不能出现在网站上 "
        "(删去或改写这句话（禁用词列在 content/banned.yaml）)")


def test_titles_and_summaries_are_linted_at_their_front_matter_lines(tmp_path: Path):
    site, problems = site_with(tmp_path, {
        "terms.yaml": TERMS, "banned.yaml": "- 秘密★\n",
        "posts/a.md": STORY.format(title="秘密★两学一做学习教育", summary="坚持从严治党"),
        "pages/about.md": "---\ntitle: 关于\nsummary: 全面从严治党，从严管党\n---\n正文\n",
    })
    assert problems == [
        "content/pages/about.md:3: warning: “从严管党”应改为规范表述：全面从严治党",
        "content/posts/a.md:2: error: 禁用词“秘密★”不能出现在网站上 "
        "(删去或改写这句话（禁用词列在 content/banned.yaml）)",
        "content/posts/a.md:2: warning: “两学一做学习教育”应改为规范表述：“两学一做”学习教育 (学习教育的名称带引号)",
        "content/posts/a.md:5: warning: “从严治党”应改为规范表述：全面从严治党",
    ]
    # A hit is reported, but the document is still published: its body is linted too.
    assert [story.title for story in site.stories] == ["秘密★两学一做学习教育"] and site.pages


def test_bad_entries_are_errors_at_their_lines(tmp_path: Path):
    terms = ("- wrong: 两学一做\n"  # 1: no right
             "- right: 全面从严治党\n"  # 2: no wrong
             "- wrong: [从严治党, '']\n  right: 全面从严治党\n"  # 3: an empty variant
             "- wrong: 创先争优\n  right: 创先争优\n"  # 5: wrong == right
             "- 争先创优\n"  # 7: not a mapping
             "- wrong: 廉正\n  right: 廉政\n  note: [a]\n  rigth: x\n"  # 8: note no text, 11: unknown key
             "- wrong: 三个代表\n  right: “三个代表”\n"  # 12: fine
             "- wrong: 三个代表\n  right: “三个代表”重要思想\n")  # 14: listed twice
    banned = "- ''\n- word: 三个代表\n- word: 秘密★\n  nte: 涉密\n- note: 无词\n- [a, b]\n"
    _, problems = site_with(tmp_path, {"terms.yaml": terms, "banned.yaml": banned})
    assert problems == [
        f"content/banned.yaml:1: error: 这一项应是一个不为空的词 ({BANNED_SHAPE})",
        "content/banned.yaml:2: error: “三个代表”重复列出（content/terms.yaml 第 12 行已有） (删去其中一项)",
        "content/banned.yaml:4: warning: 未知的设置项“nte”，已忽略 (是不是要写“note”？)",
        f"content/banned.yaml:5: error: 缺少“word”（禁用的词） ({BANNED_SHAPE})",
        f"content/banned.yaml:6: error: 这一项应是一个不为空的词 ({BANNED_SHAPE})",
        f"content/terms.yaml:1: error: 缺少“right”（规范表述） ({TERMS_SHAPE})",
        f"content/terms.yaml:2: error: 缺少“wrong”（不规范的写法） ({TERMS_SHAPE})",
        "content/terms.yaml:3: error: “wrong”应是一段不为空的文字，或几段文字的列表 (例如 wrong: [说法一, 说法二])",
        "content/terms.yaml:5: error: “创先争优”与规范表述相同 (wrong 写不规范的写法，right 写规范表述)",
        f"content/terms.yaml:7: error: 这一项应写明 wrong 和 right ({TERMS_SHAPE})",
        "content/terms.yaml:10: error: “note”应是一段文字",
        "content/terms.yaml:11: warning: 未知的设置项“rigth”，已忽略 (是不是要写“right”？)",
        "content/terms.yaml:14: error: “三个代表”重复列出（content/terms.yaml 第 12 行已有） (删去其中一项)",
    ]


def test_a_right_formulation_the_lint_itself_flags_is_an_error():
    _, problems = lint_of("- wrong: 党风廉正建设\n  right: 党风廉政建设\n- wrong: 廉政\n  right: 廉洁\n")
    assert problems == ["content/terms.yaml:1: error: 规范表述“党风廉政建设”中含有“廉政”，"
                        "而它在 content/terms.yaml 第 3 行被列为不规范的写法 (改正其中一项)"]


def test_a_file_that_is_not_a_list_or_not_yaml_is_reported_at_its_line(tmp_path: Path):
    _, problems = site_with(tmp_path, {"terms.yaml": "# 规范表述\nwrong: 两学一做\n", "banned.yaml": "- [秘密\n"})
    assert problems == [
        "content/banned.yaml:1: error: 方括号“[”没有配对的“]”（YAML：did not find expected ',' or ']'） "
        "(在末尾补上“]”：- [秘密])",
        f"content/terms.yaml:2: error: 这个文件应是一个列表 ({TERMS_SHAPE})",
    ]


def test_the_lints_mark_changes_with_its_rules_only():
    first, _ = lint_of(TERMS)
    again, _ = lint_of("# 注释\n" + TERMS)
    other, _ = lint_of(TERMS.replace("带引号", "要带引号"))
    assert first == again and first.mark == again.mark
    assert first != other and first.mark != other.mark


def test_a_lint_sent_to_a_worker_process_finds_the_same_hits():
    lint, _ = lint_of(TERMS, "- 秘密★\n")
    copy = pickle.loads(pickle.dumps(lint))
    text = "秘密★：两学一做学习教育，全面从严治党，从严管党"
    assert copy == lint and copy.mark == lint.mark and copy.hits(text) == lint.hits(text) != []


def test_the_pattern_finds_what_a_longest_first_alternation_of_the_words_finds():
    chance = random.Random(18)
    for _ in range(200):
        words = {"".join(chance.choices("两学一做", k=chance.randint(1, 4))) for _ in range(chance.randint(1, 6))}
        lint = Lint(tuple(Rule(word, "规范") for word in sorted(words)))
        flat = re.compile("|".join(sorted(words, key=lambda word: (-len(word), word))))
        text = "".join(chance.choices("两学一做", k=30))
        assert found(lint, text) == [(m.start(), m.group()) for m in flat.finditer(text)], (words, text)
