"""Queries: their terms, and the reference answer search.js must give (``generator.search.query``)."""

from __future__ import annotations

import json

from generator.search.files import decode_posting
from generator.search.index import SearchIndex
from generator.search.query import parse_query, run_query
from generator.search.tokens import DocText, fold


def test_queries_split_on_spaces_and_know_which_terms_need_checking() -> None:
    terms = parse_query("银洞湾  粽叶　县 Ｑｑ pm2.5")
    assert [(t.text, t.tokens, t.title_only, t.exact) for t in terms] == [
        ("银洞湾", ("银洞", "洞湾"), False, False),
        ("粽叶", ("粽叶",), False, True),
        ("县", ("县",), True, True),
        ("qq", ("qq",), False, True),
        ("pm2.5", ("pm2", "5"), False, False),
    ]
    assert parse_query("，。 ") == []
    # A repeated bigram is looked up once, but the term still needs the check.
    [term] = parse_query("哈哈哈")
    assert term.tokens == ("哈哈",) and not term.exact


def test_reference_query_ands_terms_checks_long_terms_and_ranks_title_hits_then_newest() -> None:
    docs = [DocText("a", "其他", "", "银洞 洞湾"),           # both bigrams, but not 银洞湾
            DocText("b", "修路", "", "银洞湾村修路"),
            DocText("c", "其他", "", "银洞湾村修路"),
            DocText("d", "银洞湾村", "", "修路"),
            DocText("e", "银洞湾", "", "没有")]
    index = SearchIndex()
    index.update(docs)
    lookup = {}
    for shard in range(1 << index.bits):
        data = json.loads(index.payload(shard))
        for token, every, title in zip(data[::3], data[1::3], data[2::3], strict=True):
            lookup[token] = (decode_posting(every), decode_posting(title))
    texts = {i: fold(f"{d.title}\n{d.summary}\n{d.text}") for i, d in enumerate(docs)}
    found = run_query(parse_query("银洞湾 修路"), lookup, texts)
    # d and b have a term in the title (d is newer); c has none; a fails the check, e lacks 修路.
    assert [docs[h.doc_id].key for h in found] == ["d", "b", "c"]
    assert [docs[h.doc_id].key for h in run_query(parse_query("修"), lookup, texts)] == ["b"]
