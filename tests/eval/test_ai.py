"""The AI-likeness detector: direction, named evidence, surface robustness, the flag threshold and training."""

import json

import numpy as np
import pytest

from wenforge.eval.detectors import ai
from wenforge.eval.detectors.ai_data import cut, eval_windows, load_samples, training_windows
from wenforge.eval.kinds import run_detector
from wenforge.text.chars import to_simplified

# Texts written for these tests.
HUMAN = ("上周六我跟老婆去城南那家面馆吃饭，排了快四十分钟吧，结果牛肉面涨到28块了……说实话味道还行，就是汤有点咸。"
         "老板还是那个东北大哥，一边收钱一边跟人唠嗑，哈哈。下回不挑周末去了，人太多，停车也麻烦，"
         "光找车位就转了三圈呢。")
SLOP = ("# 时光的褶皱\n\n当城市遇见星光，喧嚣便有了温柔的维度。这不是一次简单的旅程，而是一场灵魂的回归。\n\n"
        "在街角，在桥头，在每一扇亮着灯的窗前，时间悄然流淌，记忆与梦想交织成一张无形的星图。"
        "它既是过去的回响，又是未来的序章。\n\n总而言之，让我们在喧嚣中守护内心的宁静，让每一个平凡的日子都闪耀着属于自己的光芒。")


def _ascii_punct(t: str) -> str:
    return t.translate(str.maketrans({"，": ",", "。": ".", "？": "?", "！": "!", "：": ":", "；": ";"}))


def test_slop_template_passage_scores_machine_and_casual_passage_human():
    thr = ai.flag_threshold()
    assert 0.0 < thr < 1.0
    assert ai.ai_score(SLOP) >= thr > ai.ai_score(HUMAN)
    assert ai.ai_score(SLOP) - ai.ai_score(HUMAN) > 0.5


def test_evidence_names_the_templates_that_fired_with_exact_offsets():
    out = ai.detect_ai(SLOP)
    assert set(out) >= {"ai_score", "spans", "signals"}
    names = {s["signal"] for s in out["spans"]}
    assert names & {"not_x_but_y", "when_x_meets_y", "triple_place", "cosmic_tech", "summary_closer", "moral_closer",
                    "markdown_heading", "both_and", "closer_at_end"}
    for s in out["spans"]:
        assert SLOP[s["start"]:s["end"]] == s["text"] and s["weight"] > 0


def test_human_tells_pull_the_score_down():
    sig = {s["signal"]: s["weight"] for s in ai.detect_ai(HUMAN)["signals"]}
    assert any(w < 0 for w in sig.values())
    # removing the particles, the ellipsis and the laugh makes the same passage more machine-like
    flat = HUMAN.replace("吧", "").replace("……", "，").replace("，哈哈", "").replace("呢", "")
    assert ai.ai_score(flat) > ai.ai_score(HUMAN)


@pytest.mark.parametrize("text", [HUMAN, SLOP])
def test_ascii_punctuation_and_traditional_script_move_the_score_little(text):
    import opencc

    p = ai.ai_score(text)
    assert abs(ai.ai_score(_ascii_punct(text)) - p) < 0.05
    trad = opencc.OpenCC("s2t").convert(text)
    assert to_simplified(trad) != trad
    assert abs(ai.ai_score(trad) - p) < 0.05


def test_empty_text_is_neutral_and_the_flag_uses_the_shipped_threshold():
    assert ai.ai_score("") == 0.5
    assert run_detector("ai", {"text": SLOP})["ai_flag"] is True
    assert run_detector("ai", {"text": HUMAN})["ai_flag"] is False


def test_windows_end_at_sentence_ends():
    text = "第一句话在这里。第二句话稍微长一点点。第三句。" * 20
    w = cut(text, 0, 50)
    assert w.endswith("。") and 25 <= len(w) <= 50


# --- training on a tiny data folder written here --------------------------------------------------------

_MACHINE_PARTS = ["这不是简单的{0}，而是一场心灵的旅程。", "总之，{0}让我们看见了更好的自己。", "首先，{0}值得关注；其次，它意义深远。",
                  "当{0}遇见时光，记忆便悄然交织。", "在这个快节奏的时代，{0}承载着温柔的力量。"]
_HUMAN_PARTS = ["昨天{0}又涨价了吧，我妈念叨了半天。", "说真的{0}那事儿挺烦的，哈哈。", "我们楼下那家{0}3号就关门了……",
                "老张说{0}他去年就试过，没啥用呢。", "{0}啊，反正我是不去了。"]
_TOPICS = ["菜市场", "公交车", "小区停车", "学校食堂", "老家的院子", "单位体检", "周末爬山", "手机套餐", "租房合同",
           "楼下超市", "夜市小吃", "驾校考试"]


def _compose(parts, topic, k):
    return "".join(parts[(k + i) % len(parts)].format(topic) for i in range(4))


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _tiny_data(root):
    m = [_compose(_MACHINE_PARTS, t, i) for i, t in enumerate(_TOPICS)]
    h = [_compose(_HUMAN_PARTS, t, i) for i, t in enumerate(_TOPICS)]
    _write(root / "ai_text" / "modern_llm_writing.jsonl",
           [{"model": "deepseek-r1", "prompt_id": f"p{i}", "text": t, "split": "dev"} for i, t in enumerate(m)])
    _write(root / "ai_text" / "hc3_chinese_sample.jsonl",
           [{"qid": i, "text": t, "label": lab, "split": "dev"} for i, (a, b) in enumerate(zip(h, m))
            for t, lab in ((a, "human"), (b, "chatgpt"))])
    _write(root / "ai_text" / "ruozhiba_qa.jsonl",
           [{"id": i, "human_answer": a, "kimi_answer": b, "stepfun_answer": b, "split": "dev"}
            for i, (a, b) in enumerate(zip(h, m))])
    _write(root / "hallucination" / "uhgeval_concise.jsonl",
           [{"id": i, "newsBeginning": a, "newsRemainder": "", "hallucinatedContinuation": b, "split": "dev"}
            for i, (a, b) in enumerate(zip(h, m))])
    _write(root / "literary" / "modern_pd_prose.jsonl", [{"work": f"w{i}", "text": t, "split": "dev"} for i, t in enumerate(h)])
    _write(root / "literary" / "modern_pd_poetry.jsonl", [{"author": f"a{i}", "text": t, "split": "dev"} for i, t in enumerate(h)])
    _write(root / "literary" / "luxun_works.jsonl", [{"collection": f"c{i}", "text": t, "split": "dev"} for i, t in enumerate(h)])
    _write(root / "academic" / "csl_abstracts.jsonl", [{"id": i, "abstract": t, "split": "dev"} for i, t in enumerate(h)])
    _write(root / "expository" / "cmrc2018_wiki_paragraphs.jsonl",
           [{"title": f"t{i}", "text": t, "split": "test"} for i, t in enumerate(h)])


def test_training_runs_on_a_data_folder_and_learns_the_direction(tmp_path):
    _tiny_data(tmp_path / "data")
    samples = load_samples(tmp_path / "data", "dev")
    assert {s.source for s in samples} >= {"machine:modern_llm", "human:hc3", "machine:ruozhiba", "human:luxun"}
    assert not any(s.source == "human:wiki" for s in samples)  # test rows stay out of training
    assert len(eval_windows(samples, length=30)) == len(samples)
    info = ai.train(tmp_path / "data", tmp_path / "out")
    assert info["windows"] == len(training_windows(samples)) and 0 < info["threshold"] < 1
    style = ai.load_style(str(tmp_path / "out" / "ai_style.npz"))
    ng = ai.load_model(str(tmp_path / "out" / "ai.npz"))
    assert ng.vocab and np.isfinite(style.coef).all()
    try:
        det_m = ai.featurize(["首先，这不是简单的旅行，而是一场心灵的旅程。总之，让我们看见更好的自己。"])
        det_h = ai.featurize(["昨天菜又涨价了吧，我妈念叨了半天，哈哈。"])
        z = [float((((f.dense - style.mean) / style.scale) @ style.coef)[0]) for f in (det_m, det_h)]
        assert z[0] > z[1]
    finally:
        ai.load_style.cache_clear()
        ai.load_model.cache_clear()


def test_evidence_locator_finds_the_first_occurrence_of_a_gram():
    import random

    from wenforge.eval.detectors.ai import _locator

    toks = [("a", 0, 1), ("b", 1, 2), ("a", 2, 3), ("b", 3, 4), ("c", 4, 6)]
    find = _locator(toks)
    assert find("a b") == (0, 2) and find("b c") == (3, 6) and find("a b c") == (2, 6) and find("c") == (4, 6)
    assert find("c a") == (-1, -1) and find("b c d") == (-1, -1) and find("a b a b c a") == (-1, -1)
    rng = random.Random(0)
    for _ in range(200):
        words = [rng.choice("abc") for _ in range(rng.randint(0, 12))]
        tokens = [(w, 2 * i, 2 * i + 1) for i, w in enumerate(words)]
        gram = [rng.choice("abc") for _ in range(rng.randint(1, 3))]
        first = next((i for i in range(len(words) - len(gram) + 1) if words[i:i + len(gram)] == gram), None)
        want = (-1, -1) if first is None else (2 * first, 2 * (first + len(gram) - 1) + 1)
        assert _locator(tokens)(" ".join(gram)) == want
