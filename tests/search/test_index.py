"""The incremental index: patched, read back from the cache, and equal to one built afresh or merged from runs."""

from __future__ import annotations

import dataclasses
import pickle
import random

import pytest

from generator.search.files import encode_shard
from generator.search.index import SearchIndex
from generator.search.postings import PostingsRun, merge_shard
from generator.search.shards import fnv1a
from generator.search.tokens import DocText, doc_tokens, text_mark


def _docs(count: int, seed: int = 1) -> list[DocText]:
    rng = random.Random(seed)
    words = ["粽叶", "基地", "银洞湾村", "修路", "上门年检", "党员", "示范岗", "帮扶", "群众", "QQ群", "2011年"]
    return [DocText(f"posts/{i}.md", "".join(rng.sample(words, 2)), "",
                    "。".join(rng.choice(words) + rng.choice(words) for _ in range(rng.randint(1, 12))))
            for i in range(count)]


def _payloads(index: SearchIndex) -> list[str]:
    return [index.payload(shard) for shard in range(1 << index.bits)]


@pytest.mark.parametrize("first", [0, 70_000])
def test_shards_merged_from_runs_grouped_by_shard_equal_the_index_s_own(first: int) -> None:
    docs = [DocText(f"posts/pad-{i}.md", "", "", "") for i in range(first)] + _docs(300)
    index = SearchIndex()
    index.update(docs)
    assert index.wide == (first > 0xFFFF)
    runs = []  # as the story pass makes them: runs of consecutive stories, of any length, pickled
    for start, end in ((0, first + 100), (first + 100, first + 101), (first + 101, len(docs))):
        run = PostingsRun(index.wide)
        for doc_id in range(start, end):
            run.add(doc_id, docs[doc_id])
        runs.append(pickle.loads(pickle.dumps(run.by_shard(index.bits))))
    for shard in range(1 << index.bits):
        postings = merge_shard("I" if index.wide else "H", [run.get(shard, ()) for run in runs])
        row = ({token: (every, title) for token, every, title in postings[1]}, encode_shard(postings))
        assert row == index.shard_row(shard)
    assert sum(len(p) for p in _payloads(index)) > 1000, "the shards are not empty"


def test_patching_the_index_gives_the_same_shards_as_building_it_afresh() -> None:
    docs = _docs(40)
    index = SearchIndex()
    index.update(docs)
    rng = random.Random(7)
    for step in range(30):
        if step % 5 == 4:
            docs = [*docs, *_docs(1, seed=step)]
            docs[-1] = dataclasses.replace(docs[-1], key=f"posts/new-{step}.md")
        else:
            at = rng.randrange(len(docs))
            docs[at] = dataclasses.replace(docs[at], text=docs[at].text + "新增内容" * (step % 3),
                                           title=docs[at].title[::-1] if step % 2 else docs[at].title)
        before, bits = dict(index.shards), index.bits
        dirty = index.update(docs)
        # Only a new number of shards (the site grew past a power of two) starts afresh.
        assert index.rebuilt == (index.bits != bits)
        fresh = SearchIndex()
        fresh.update(docs)
        assert _payloads(index) == _payloads(fresh), f"step {step}"
        if not index.rebuilt:
            assert all(index.payload(s) is before[s] for s in before if s not in dirty)


def test_an_index_read_back_from_its_cache_rows_patches_like_the_original() -> None:
    docs = _docs(60)
    index = SearchIndex()
    index.update(docs)
    rows = {shard: index.shard_row(shard) for shard in range(1 << index.bits)}
    back = SearchIndex.from_rows(index.head(), rows)
    assert _payloads(back) == _payloads(index) and not back.dirty
    edited = [*docs]
    edited[5] = dataclasses.replace(docs[5], title="新的标题", text=docs[5].text + "粽叶基地QQ群")
    fresh = SearchIndex()
    fresh.update(edited)
    back.update([dataclasses.replace(d, mark=text_mark(d.title, d.summary, d.text)) for d in edited])
    assert _payloads(back) == _payloads(fresh)


def test_a_patch_loads_only_the_shards_of_tokens_gained_or_lost() -> None:
    docs = _docs(60)
    index = SearchIndex()
    index.update(docs)
    rows = {shard: index.shard_row(shard) for shard in range(1 << index.bits)}
    after = dataclasses.replace(docs[7], text=docs[7].text + "。上门年检新增")
    old, new = doc_tokens(docs[7]), doc_tokens(after)
    mask = (1 << index.bits) - 1
    touched = {fnv1a(t) & mask for t in (old[0] ^ new[0]) | (old[1] ^ new[1])}
    assert 0 < len(touched) < len(rows)
    partial = SearchIndex.from_rows(index.head(), {shard: rows[shard] for shard in touched})
    dirty = partial.replace(7, docs[7], after)
    fresh = SearchIndex()
    fresh.update([*docs[:7], after, *docs[8:]])
    assert dirty <= touched
    assert all(partial.payload(shard) == fresh.payload(shard) for shard in touched)
    assert all(rows[shard][1] == fresh.payload(shard) for shard in set(rows) - dirty)


def test_removing_or_inserting_a_story_between_others_renumbers_and_rebuilds() -> None:
    docs = _docs(30)
    index = SearchIndex()
    index.update(docs)
    index.update(docs[:10] + docs[11:])
    assert index.rebuilt
    fresh = SearchIndex()
    fresh.update(docs[:10] + docs[11:])
    assert _payloads(index) == _payloads(fresh)
