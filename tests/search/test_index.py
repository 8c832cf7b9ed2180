"""Search data: tokens, postings, shards, the incremental index and the files a build writes."""

from __future__ import annotations

import dataclasses
import json
import pickle
import random
import re
from array import array
from pathlib import Path

import pytest

from generator.build.pipeline import Builder, BuildOptions, build
from generator.search.files import BITMAP, decode_posting, encode_posting, encode_shard
from generator.search.index import SearchIndex
from generator.search.postings import POSTINGS_BATCH, PostingsRun, merge_shard, postings_part
from generator.search.query import parse_query, run_query
from generator.search.shards import fnv1a, shard_bits, shard_name
from generator.search.tokens import HAN, DocText, Pairs, bigrams, doc_tokens, fold, pair_keys, text_mark
from tests.conftest import ROOT, WriteFile
from tests.search_data import load_search

SEARCH_JS = ROOT / "themes" / "default" / "static" / "js" / "search.js"


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


def test_story_tokens_cover_all_fields_and_title_characters_only_in_the_title() -> None:
    doc = DocText("cases/a.md", "纳安村粽叶基地", "帮扶 PM25 项目", "建设500亩粽叶基地。\n群众增收")
    every, title = doc_tokens(doc)
    assert {"纳安", "帮扶", "pm25", "500", "增收", "粽叶"} <= every
    assert "纳" not in every and "纳" in title and "纳安" in title
    assert "增收" not in title
    assert "地群" not in every  # blocks are separate lines


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


def test_fnv1a_matches_the_published_test_vectors() -> None:
    # For ASCII, UTF-16 code units are the bytes, so these are the standard FNV-1a values.
    assert (fnv1a(""), fnv1a("a"), fnv1a("foobar")) == (0x811C9DC5, 0xE40C292C, 0xBF9CF968)


def test_shard_names_have_as_many_hex_digits_as_the_bits_need() -> None:
    assert shard_name("粽叶", 4) == f"{fnv1a('粽叶') & 15:x}"
    assert len(shard_name("粽叶", 9)) == 3 and len(shard_name("粽叶", 12)) == 3 and len(shard_name("粽叶", 13)) == 4


def test_shard_count_grows_with_the_site_within_limits() -> None:
    counts = [shard_bits(n) for n in (0, 10, 1000, 10_000, 1_000_000)]
    assert counts == sorted(counts) and counts[0] >= 2 and counts[-1] == 13


@pytest.mark.parametrize("seed", range(20))
def test_postings_survive_encoding(seed: int) -> None:
    rng = random.Random(seed)
    size = rng.choice([1, 10, 1000, 70_000])
    ids = sorted(rng.sample(range(size), rng.randint(1, min(size, 500 if seed % 2 else size))))
    assert decode_posting(encode_posting(ids)) == ids


def test_dense_postings_are_bitmaps_and_sparse_ones_gaps() -> None:
    dense = encode_posting(list(range(0, 600, 2)))
    sparse = encode_posting([3, 4000, 9000])
    assert dense.startswith(BITMAP) and len(dense) < 120
    assert not sparse.startswith(BITMAP) and len(sparse) <= 8
    assert encode_posting([]) == ""


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


def test_the_example_site_writes_every_shard_story_and_filter_file(example_output: Path) -> None:
    data = load_search(example_output)
    html = (example_output / "search/index.html").read_text(encoding="utf-8")
    assert len(list((example_output / "search/i").glob("*.js"))) == 1 << data.bits
    assert sorted(data.docs) == list(range(len(data.docs))) and len(data.docs) == 21
    values = re.findall(r'<select name="(\w+)">(.*?)</select>', html, re.DOTALL)
    options = {f"{name}-{value}" for name, body in values for value in re.findall(r'value="([^"]+)"', body)}
    assert options == set(data.filters)
    # Scripts come from files only (no inline data): the reading aids, then search itself.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="../static/js/a11y.js">',
                                                  '<script src="../static/js/search.js">']


def test_story_files_carry_what_results_show(example_output: Path) -> None:
    data = load_search(example_output)
    by_title = {d["t"]: d for d in data.docs.values()}
    doc = by_title["县人社局帮扶纳安村建设粽叶基地"]
    assert doc["u"].startswith("../cases/") and doc["u"].endswith("/index.html")
    assert (example_output / "search" / doc["u"]).is_file()
    assert (doc["k"], doc["c"]) == ("帮扶案例", "case")
    assert "粽叶" in doc["x"] and "<" not in doc["x"] and "**" not in doc["x"]


def test_ids_count_from_the_oldest_story(example_output: Path) -> None:
    data = load_search(example_output)
    dates = [tuple(int(x) for x in re.findall(r"\d+", data.docs[i]["d"])) for i in sorted(data.docs)]
    assert dates == sorted(dates)


def test_reference_finds_the_example_stories(example_output: Path) -> None:
    data = load_search(example_output)
    for query in ("粽叶", "银洞湾", "上门年检"):
        found = data.expected(query)
        assert found, query
        assert all(query in f"{d['t']}\n{d['s']}\n{d['x']}" for d in found)
        assert all(query not in f"{d['t']}\n{d['s']}\n{d['x']}" for d in data.docs.values() if d not in found)


def test_search_script_uses_no_syntax_newer_than_es2017() -> None:
    code = SEARCH_JS.read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", code, flags=re.DOTALL)
    newer = {"optional chaining": r"\?\.", "nullish coalescing": r"\?\?", "spread or rest": r"\.\.\.",
             "catch without binding": r"catch\s*\{", "for await": r"for\s+await", "class fields": r"#\w",
             "regex named groups or lookbehind": r"\(\?<", "ES modules": r"^\s*(import|export)\b",
             "exponent assignment or BigInt": r"\*\*=|\b\d+n\b"}
    found = [name for name, pattern in newer.items() if re.search(pattern, code, re.MULTILINE)]
    assert not found, found
    flags = re.findall(r"new RegExp\([^;]*?\"([a-z]*)\"\)|/[^/\n*]+/([a-z]+)[.;,)]", code)
    assert flags and {f for pair in flags for f in "".join(pair)} <= set("gimuy"), flags


def test_a_build_after_edits_writes_only_changed_search_files(fixture_site: Path, write: WriteFile,
                                                              tmp_path: Path) -> None:
    builder = Builder(BuildOptions(site_dir=fixture_site))
    out = tmp_path / "serve"
    builder.update(out)
    shards = {p.name: p.stat().st_mtime_ns for p in (out / "search/i").glob("*.js")}
    story = fixture_site / "content/posts/国库支付示范岗.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n粽叶。\n", encoding="utf-8")
    report = builder.update(out, ["posts/国库支付示范岗.md"])
    changed = {p.name for p in (out / "search/i").glob("*.js") if p.stat().st_mtime_ns != shards[p.name]}
    assert 0 < len(changed) < len(shards)
    assert report.data == len(changed) + 1  # the shards and the story's own file
    full = tmp_path / "full"
    build(BuildOptions(site_dir=fixture_site, out_dir=full, progress=False, cache=False))
    assert load_search(out).lookup == load_search(full).lookup
    assert load_search(out).docs == load_search(full).docs
    assert any("粽叶" in doc["x"] for doc in load_search(out).docs.values())


def test_a_cached_build_patches_the_index_the_last_build_saved(fixture_site: Path, tmp_path: Path) -> None:
    build(BuildOptions(site_dir=fixture_site, progress=False))
    story = fixture_site / "content/posts/国库支付示范岗.md"
    story.write_text(story.read_text(encoding="utf-8").replace("首问负责制", "首问负责制和粽叶"), encoding="utf-8")
    builder = Builder(BuildOptions(site_dir=fixture_site, progress=False))
    report = builder.build()
    assert not builder.state.search.index.rebuilt and 0 < report.data < 10
    full = tmp_path / "full"
    build(BuildOptions(site_dir=fixture_site, out_dir=full, progress=False, cache=False))
    ours, theirs = load_search(fixture_site / "output"), load_search(full)
    assert (ours.lookup, ours.docs, ours.filters) == (theirs.lookup, theirs.docs, theirs.filters)
    assert any("首问负责制和粽叶" in doc["x"] for doc in ours.docs.values())
