"""Slugs: Chinese becomes pinyin, then lowercase ASCII words joined by '-'."""

import pytest

from generator.content.slugs import is_slug, slugify


def test_slugify_turns_chinese_into_pinyin():
    assert slugify("银洞湾村修路") == "yin-dong-wan-cun-xiu-lu"


def test_slugify_keeps_digits_and_latin_runs_together_in_mixed_text():
    assert slugify("2010年创先争优") == "2010-nian-chuang-xian-zheng-you"
    assert slugify("县工商局 ABC") == "xian-gong-shang-ju-abc"


def test_slugify_drops_chinese_punctuation():
    assert slugify("党员示范岗（窗口）") == "dang-yuan-shi-fan-gang-chuang-kou"


def test_slugify_lowercases_and_joins_latin_words():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("  caizhengju_zhibu  ") == "caizhengju-zhibu"


def test_slugify_gives_an_empty_string_when_nothing_is_left():
    assert slugify("！！") == ""
    assert slugify("") == ""


def test_slugify_output_is_always_a_valid_slug():
    for text in ("银洞湾村修路", "2010年创先争优", "Hello, World!", "县工商局 ABC"):
        assert is_slug(slugify(text)), text


@pytest.mark.parametrize("text", ["a", "caizhengju-zhibu", "2010-nian", "x1-y2-z3"])
def test_is_slug_accepts_lowercase_words_joined_by_single_hyphens(text: str):
    assert is_slug(text)


@pytest.mark.parametrize("text", ["", "Caizhengju", "a--b", "-a", "a-", "a b", "a_b", "银洞湾", "a/b"])
def test_is_slug_rejects_anything_else(text: str):
    assert not is_slug(text)
