"""Tokens: folding, pairs of Han characters, and the tokens of a story (``generator.search.tokens``)."""

from __future__ import annotations

import random
import re

from generator.search.tokens import HAN, DocText, Pairs, bigrams, doc_tokens, fold, pair_keys


def test_fold_keeps_the_length_and_folds_full_width_letters_digits_and_case() -> None:
    text = "ＰＭ２．５和GDP　增长，（纳安村）"
    folded = fold(text)
    assert folded == "pm2．5和gdp 增长，（纳安村）"
    assert len(folded) == len(text)


def test_bigrams_are_pairs_of_adjacent_han_characters_within_runs() -> None:
    assert bigrams("银洞湾村，修路a粽叶") == {"银洞", "洞湾", "湾村", "修路", "粽叶"}
    assert bigrams("单") == set() and bigrams("abc") == set()


def test_bigrams_match_every_window_of_two_han_characters() -> None:
    rng = random.Random(4)
    alphabet = "银洞湾村修路粽叶单a1 ，\n\u3400\u9fff\uf900"
    pairs = Pairs()  # shared between texts, as a run of stories shares it
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        han = re.compile(f"[{HAN}]{{2}}")
        expected = {text[i : i + 2] for i in range(len(text) - 1) if han.fullmatch(text[i : i + 2])}
        assert bigrams(text) == expected == {pairs[k] for k in pair_keys(text)} - {None}, text


def test_story_tokens_cover_all_fields_and_title_characters_only_in_the_title() -> None:
    doc = DocText("cases/a.md", "纳安村粽叶基地", "帮扶 PM25 项目", "建设500亩粽叶基地。\n群众增收")
    every, title = doc_tokens(doc)
    assert {"纳安", "帮扶", "pm25", "500", "增收", "粽叶"} <= every
    assert "纳" not in every and "纳" in title and "纳安" in title
    assert "增收" not in title
    assert "地群" not in every  # blocks are separate lines
