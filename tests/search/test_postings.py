"""The postings of runs of consecutive stories (``generator.search.postings``)."""

from __future__ import annotations

from array import array

from generator.search.postings import POSTINGS_BATCH, PostingsRun, postings_part
from generator.search.tokens import DocText, doc_tokens


def test_postings_of_a_run_are_those_of_each_story_s_tokens() -> None:
    docs = [DocText(f"posts/{i}.md", "纳安村粽叶基地" if i % 2 else "修路", "帮扶 PM25", text)
            for i, text in enumerate(["建设500亩粽叶基地。\n群众增收", "银洞湾村修路", "", "abc 修路修路，粽叶"])]
    every, title = postings_part(docs, 7, False)
    expected: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
    for doc_id, doc in enumerate(docs, start=7):
        for postings, tokens in zip(expected, doc_tokens(doc), strict=True):
            for token in tokens:
                postings.setdefault(token, []).append(doc_id)
    assert {t: list(array("H", bytes(b))) for t, b in every.items()} == expected[0]
    assert {t: list(array("H", bytes(b))) for t, b in title.items()} == expected[1]
    assert len(list(every.items())) == len(expected[0]), "each token once"


def test_postings_of_a_run_longer_than_a_batch_are_those_of_each_story_s_tokens() -> None:
    texts = ["建设500亩粽叶基地。\n群众增收", "银洞湾村修路", "", "abc 修路修路，粽叶", "县人社局帮扶纳安村"]
    docs = [DocText(f"posts/{i}.md", f"示范岗{i}" if i % 3 else "修路", "帮扶",
                    texts[i % 5] + texts[i * 7 % 5][: i % 6]) for i in range(2 * POSTINGS_BATCH + 5)]
    expected: dict[str, list[int]] = {}
    for doc_id, doc in enumerate(docs):
        for token in doc_tokens(doc)[0]:
            expected.setdefault(token, []).append(doc_id)
    every, _ = postings_part(docs, 0, False)
    assert {t: list(array("H", bytes(b))) for t, b in every.items()} == expected
    run = PostingsRun(False)
    for doc_id, doc in enumerate(docs):
        run.add(doc_id, doc)
    by_shard = {token: list(array("H", ids)) for rows in run.by_shard(3).values() for token, ids, _ in rows if ids}
    assert by_shard == expected


def test_postings_of_a_run_keep_wide_ids_and_tokens_of_any_length() -> None:
    docs = [DocText(f"posts/{i}.md", "修路", "", "银洞湾村 PM25 粽叶" if i % 2 else "x") for i in range(3)]
    every, _ = postings_part(docs, 70_000, True)
    merged = {token: list(array("I", bytes(ids))) for token, ids in every.items()}
    assert merged["pm25"] == [70_001] and merged["x"] == [70_000, 70_002] and merged["银洞"] == [70_001]
    assert merged["修路"] == [70_000, 70_001, 70_002]
