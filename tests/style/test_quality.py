"""Writing quality (`wenforge.style.quality`): ordering of hand-written good and poor responses, explanations,
prompt adherence, surface robustness, and the trainer on a tiny data folder. Texts written for these tests."""

from __future__ import annotations

import json
import math

import opencc
import pytest

from wenforge.style import quality as Q
from wenforge.style.vector import compute

PROMPT = "请写一篇不少于300字的散文，写外婆家院子里的那棵桂花树，要有具体的季节细节和人物对话。"

GOOD = (
    "外婆家的桂花树\n\n"
    "外婆家在湘江边的石门镇，院子朝南，桂花树就种在井台旁边。听舅舅说，这棵树是1978年外公从县城苗圃扛回来的，"
    "那年它只有扫帚那么高。\n\n"
    "每年九月中旬，桂花先在叶腋里冒出米粒大的花苞，三五天后一夜全开。外婆天不亮就搬出竹匾，铺上旧床单，"
    "让我抱住树干轻轻摇。细碎的花落在床单上，像撒了一层碎金子，连井水都带着甜味。\n\n"
    "“别使劲，摇狠了叶子也下来。”外婆一边拣去枯叶一边说。\n\n"
    "“外婆，这么多花拿来做什么？”\n\n"
    "“做桂花糖，冬至那天给你们蒸年糕。”她把花装进玻璃罐，一层花一层白糖，压实，再用蜡封口。\n\n"
    "到了十一月，桂花树只剩深绿的叶子。外婆的罐子排在碗柜顶上，一共七个，每个罐子贴着红纸，写着日子。"
    "冬至那天，厨房里蒸汽腾腾，她掀开锅盖，舀一勺桂花糖浇在年糕上，糖浆顺着糕边往下淌。\n\n"
    "后来我去省城读书，外婆每年十月都会寄来一罐。去年的那罐，我到今年春天才舍得打开，"
    "揭开蜡封的时候，院子里井台的凉气和竹匾上的花香，好像一下子都回来了。"
)

POOR = (
    "## 关于人生的思考\n\n"
    "好的，以下是一篇文章。\n\n"
    "人生是美好的。人生是美好的，我们要热爱生活。\n\n"
    "人生是美好的，我们要珍惜时光。\n\n"
    "在这个快速发展的时代，让我们一起努力。\n\n"
    "**总之**，人生充满希望。\n\n"
    "希望这篇文章对你有帮助！"
)


def _q(text: str, prompt: str | None = PROMPT) -> Q.Quality:
    return Q.quality_of(*compute(text), prompt=prompt)


def test_specific_on_prompt_response_beats_vague_repetitive_one():
    good, poor = _q(GOOD), _q(POOR)
    assert 0.0 <= poor.score < good.score <= 1.0
    assert good.score - poor.score > 0.2
    assert poor.features["meta_talk"] >= 2  # opener and closer that talk about the answer
    assert poor.features["repeated_openings"] > 0
    assert good.features["dialogue_share"] > 0.05 > poor.features["dialogue_share"]
    assert good.features["number_density"] > poor.features["number_density"]
    assert good.features["prompt_coverage"] > poor.features["prompt_coverage"]


def test_explain_names_the_features_that_moved_the_score():
    q = _q(POOR)
    model = Q.load_quality_model()
    assert len(q.explain) == Q.EXPLAIN_TOP
    assert all(name in model.names for name, _c in q.explain)
    mags = [abs(c) for _n, c in q.explain]
    assert mags == sorted(mags, reverse=True)
    contrib = dict(zip(model.names, model.contributions(q.features), strict=True))
    assert math.isclose(max(abs(v) for v in contrib.values()), mags[0], abs_tol=1e-3)
    a, b = model.calibration
    assert math.isclose(q.score, 1 / (1 + math.exp(-(a * sum(contrib.values()) + b))), abs_tol=1e-5)
    d = Q.quality(POOR, prompt=PROMPT)
    assert set(d) == {"score", "explain"} and d["score"] == q.score


def test_prompt_parsing_reads_length_form_and_quoted_items():
    spec = Q.parse_prompt("请写一封不少于800字的公开信，题为《致十年后的自己》，提到“老槐树”。")
    assert spec.min_chars == 800 and spec.max_chars == 0
    assert spec.form == "letter"
    assert "老槐树" in spec.quoted and "致十年后的自己" in spec.quoted
    about = Q.parse_prompt("写一篇科普文章，全文大约1500字。")
    assert about.min_chars < 1500 < about.max_chars
    per_item = Q.parse_prompt("写五条宣传语，每条不少于20字。")
    assert per_item.min_chars == 0 and per_item.form == "list"
    assert Q.parse_prompt("写一首现代诗").form == "poem"


def test_prompt_adherence_rewards_the_text_that_answers_the_prompt():
    off_prompt = "请写一篇不少于400字的科幻小说，讲宇航员在火星基地修理氧气循环机的故事。"
    on, off = _q(GOOD, PROMPT), _q(GOOD, off_prompt)
    assert on.features["prompt_coverage"] > off.features["prompt_coverage"] + 0.2
    assert on.score > off.score
    short = _q(GOOD, "写一篇不少于3000字的散文，写外婆家的桂花树。")
    assert short.features["length_short"] > 1.0 and on.features["length_short"] == 0.0
    none = _q(GOOD, None)
    assert none.features["prompt_coverage"] == 0.0 and none.features["length_short"] == 0.0


def test_truncation_and_template_penalties_fire():
    cut = GOOD[: GOOD.index("揭开蜡封") + 3]
    assert Q.structure_features(compute(cut)[2])["truncated"] == 1.0
    assert Q.structure_features(compute(GOOD)[2])["truncated"] == 0.0
    assert Q.structure_features(compute(POOR)[2])["template_density"] > 0


def _ascii(text: str) -> str:
    return text.translate(str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "：": ":", "“": '"', "”": '"'}))


@pytest.mark.parametrize("change", [_ascii, opencc.OpenCC("s2t").convert], ids=["ascii_punctuation", "traditional"])
def test_surface_changes_move_the_score_less_than_five_hundredths(change):
    for text in (GOOD, POOR):
        assert abs(_q(change(text), change(PROMPT)).score - _q(text).score) < 0.05


def _write_tiny_data(root):
    """Four prompts x four 'models'; the expert score rises with how specific and complete the text is."""
    rows, scores = [], []
    parts = [GOOD[:120], GOOD[:260], GOOD[:500], GOOD]
    for p in range(5):
        split = "test" if p == 4 else "dev"
        for m, body in enumerate(parts):
            rid = f"r-{p}-{m}"
            text = body if m else POOR
            rows.append({"id": rid, "model": f"m{m}", "prompt_id": f"p{p}", "tags": ["散文"], "prompt": PROMPT,
                         "text": text, "chars": len(text), "split": split})
            scores.append({"id": rid, "model": f"m{m}", "prompt_id": f"p{p}", "score": m, "annotator": None, "split": split})
    d = root / "ai_text"
    d.mkdir(parents=True)
    for name, data in zip(Q.DATA_FILES, (rows, scores), strict=True):
        (d / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")


def test_trainer_fits_and_writes_a_loadable_json_asset(tmp_path):
    _write_tiny_data(tmp_path / "data")
    out = tmp_path / "quality.json"
    fit = Q.train_quality(tmp_path / "data", out)
    assert fit["rows"] == 16 and fit["prompts"] == 4 and fit["pairs"] == 4 * 6
    asset = json.loads(out.read_text(encoding="utf-8"))
    assert asset["names"] and len(asset["weights"]) == len(asset["names"]) == len(asset["mean"])
    model = Q.load_quality_model(out)
    assert model.weights[model.names.index("log_chars")] > 0  # longer, more complete texts scored higher
    q_good = Q.quality_of(*compute(GOOD), prompt=PROMPT, model_path=out)
    q_poor = Q.quality_of(*compute(POOR), prompt=PROMPT, model_path=out)
    assert q_good.score > q_poor.score
    for name, w in zip(model.names, model.weights, strict=True):  # the sign constraints hold
        assert w * Q.SIGNS.get(name, 0) >= 0
