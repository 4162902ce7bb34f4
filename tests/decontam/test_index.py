"""The benchmark index: planted items caught whatever their surface, clean text not flagged, offsets into the
original text, short items not indexed, save and load."""

import json

import numpy as np
import pytest

from wenforge.core.rows import InputError
from wenforge.core.store import ModelFileError
from wenforge.decontam.fold import folded_text, ngram_hashes, tokens
from wenforge.decontam.index import BenchmarkIndex, build_index
from wenforge.text.chars import to_traditional

# hand-written items in the shape of exam questions (not from any benchmark)
MATH = "某工厂第一季度生产零件四千二百个，第二季度比第一季度多生产百分之十五，第三季度的产量是第二季度的一半，问这三个季度一共生产零件多少个？"
ESSAY = ("阅读下面的材料，根据要求写作。有人说，城市的记忆藏在老街的石板路上；也有人说，城市的记忆写在新建的高楼里。"
         "请结合你的经历与思考，写一篇不少于八百字的文章。")
ENGLISH = ("A train leaves the station at nine in the morning and travels at sixty miles per hour. A second train "
           "leaves the same station two hours later at eighty miles per hour. At what time does it catch up?")
SHORT = "计算：一加一等于几？"
CLEAN = ("本报讯 昨天上午，市图书馆新馆正式向读者开放。新馆共有六层，藏书八十余万册，设有少儿阅览区和古籍修复室。"
         "馆长介绍说，新馆每天开放十二个小时，读者可以凭身份证免费办理借书卡。不少市民一早就在门口排起了长队。")
CLEAN_EN = ("The museum reopened on Saturday after two years of repairs. Visitors queued in the rain to see the new "
            "gallery of local paintings, and the café on the top floor was full by noon.")


@pytest.fixture(scope="module")
def index():
    return BenchmarkIndex.from_texts([("bench-a", "math-1", MATH), ("bench-a", "essay-1", ESSAY),
                                      ("bench-b", "en-1", ENGLISH), ("bench-b", "short-1", SHORT)])


def _only(matches):
    assert len(matches) == 1, matches
    return matches[0]


def test_verbatim_item_is_caught_with_its_benchmark_and_id(index):
    m = _only(index.match(MATH))
    assert (m.benchmark, m.item, m.share) == ("bench-a", "math-1", 1.0)
    assert (m.start, m.end) == (0, len(MATH) - 1)  # from the first token to the last (the final ？ is no token)


def test_changed_punctuation_and_whitespace_are_caught(index):
    changed = MATH.replace("，", ", ").replace("？", "?").replace("第二季度", "第二 季度\n")
    assert _only(index.match(changed)).item == "math-1"
    en = ENGLISH.replace(". ", ".\n\n").replace(" at ", "   at ").rstrip("?") + " ?!"
    assert _only(index.match(en)).item == "en-1"


def test_full_width_and_case_are_folded(index):
    shouted = ENGLISH.upper().translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # full-width ASCII
    assert _only(index.match(shouted)).item == "en-1"


def test_traditional_characters_are_caught(index):
    trad = to_traditional(ESSAY)
    assert trad != ESSAY
    assert _only(index.match(trad)).item == "essay-1"


def test_item_embedded_in_other_text_is_caught_at_its_place(index):
    doc = CLEAN + "\n练习题：" + ESSAY + "\n" + CLEAN_EN
    m = _only(index.match(doc))
    assert m.item == "essay-1"
    assert (m.start, doc[m.start : m.end]) == (doc.index(ESSAY), ESSAY.rstrip("。"))


def test_offsets_point_into_the_original_text_after_folding(index):
    """Dropped punctuation, inserted spaces and traditional characters change the folded form, not the offsets."""
    planted = to_traditional(MATH).replace("，", " ,  ")
    doc = "前言 " + CLEAN + "　　" + planted + "（完）"
    m = _only(index.match(doc))
    assert doc[m.start : m.end] == planted.rstrip("？")  # the span ends on the last token, not the mark after it
    assert m.start == doc.index(planted)


def test_clean_documents_are_not_flagged(index):
    for text in (CLEAN, CLEAN_EN, CLEAN + CLEAN_EN, "", "，。！？ ", "第一季度 第二季度 零件"):
        assert index.match(text) == []


def test_half_an_item_meets_the_threshold_and_a_little_does_not(index):
    half = ESSAY[: len(ESSAY) * 6 // 10]
    assert _only(index.match(half, threshold=0.5)).item == "essay-1"
    assert index.match(half, threshold=0.9) == []
    assert index.match(ESSAY[:20], threshold=0.5) == []


def test_items_below_min_tokens_are_not_indexed(index):
    assert ("bench-b", "short-1") not in index.items and len(index) == 3
    assert index.match("练习：" + SHORT) == []


def test_english_is_compared_in_words_and_chinese_in_characters():
    assert folded_text("Hello,  World! 你好，世界 x2") == "hello world 你 好 世 界 x 2"
    t = tokens("ab 你")
    assert (t.starts.tolist(), t.ends.tolist()) == ([0, 3], [2, 4])
    # a word is one token: the word "ba" is not the two tokens "b", "a"
    assert tokens("ba").hashes.size == 1 and not np.array_equal(ngram_hashes(tokens("b a").hashes, 2),
                                                                tokens("ba").hashes)


def test_ngram_hashes_equal_for_equal_windows():
    h = tokens("甲乙丙丁甲乙丙").hashes
    g = ngram_hashes(h, 3)
    assert g.size == 5 and g[0] == g[4] and len(set(g.tolist())) == 4
    assert ngram_hashes(h, 8).size == 0


def test_save_and_load_give_the_same_matches(index, tmp_path):
    path = index.save(tmp_path / "idx.npz", sources=["a.jsonl"])
    loaded = BenchmarkIndex.load(path)
    doc = CLEAN + MATH + to_traditional(ESSAY)
    assert loaded.match(doc) == index.match(doc) and loaded.n == index.n and loaded.items == index.items


def test_load_refuses_other_files(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        BenchmarkIndex.load(tmp_path / "none.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ModelFileError):
        BenchmarkIndex.load(bad)


def _write(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_build_from_files_reads_fields_ids_and_benchmark_names(tmp_path):
    a = _write(tmp_path / "exam.jsonl", [{"id": "q1", "benchmark": "EXAM", "question": MATH},
                                         {"question": ESSAY}, {"question": SHORT}])
    b = _write(tmp_path / "gsm.jsonl", [{"problem": ENGLISH}])
    index, report = build_index([a, b])
    assert index.items == [("EXAM", "q1"), ("exam", "exam.jsonl:2"), ("gsm", "gsm.jsonl:1")]
    assert report.indexed == {"EXAM": 1, "exam": 1, "gsm": 1} and report.too_short == 1
    named, _ = build_index([b], field="problem")
    assert len(named) == 1


def test_build_refuses_a_file_without_the_field_or_with_a_bad_line(tmp_path):
    a = _write(tmp_path / "a.jsonl", [{"prompt_text": MATH}])
    with pytest.raises(InputError, match="a.jsonl: no row has a text field"):
        build_index([a])
    with pytest.raises(InputError, match="'stem'"):
        build_index([a], field="stem")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"question": MATH}) + "\n{oops\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.jsonl:2"):
        build_index([bad])
