"""Style rounds (`style_target`): forge toward a voice, with training and generation stubbed (seconds).

Each round trains (plain-text SFT) on the rows `wenforge.mix` chose by taxonomy label, continues the neutral
prompts, is scored once by `wenforge eval` against the target profile (style_match per row, style_distance in
eval.json), and the style feedback moves the next round's mixture toward the label whose texts are closer to
the target."""

from __future__ import annotations

import importlib.util
import json
from itertools import pairwise
from pathlib import Path

import pytest

from wenforge.core.config import ConfigError
from wenforge.eval.feedback import FeedbackConfig
from wenforge.forge.style import label_closeness, style_feedback

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))
needs_train = pytest.mark.skipif(not HEAVY, reason="builds TRL configs: needs the train extra")

# A lyrical modern-essay voice and news reports: the target is built from other lyrical texts.
LYRIC = [
    "我常常想起故乡的那条小河。夏天的傍晚，河水被夕阳染成淡淡的金色，母亲在岸边洗衣，我坐在石阶上，看晚风把柳枝吹得轻轻摇晃。",
    "秋天来了，院子里的桂花悄悄开了。那香气不浓，却像一句温柔的叮咛，从窗缝里慢慢地渗进来，让人想起很多很远的日子。",
    "雨落在青石板上，一滴，又一滴。我撑着旧伞走过小巷，墙角的青苔湿漉漉的，仿佛整座小城都在雨里安静地睡着了。",
    "多年以后，我依然记得那盏昏黄的灯。它挂在老屋的檐下，照着冬夜的雪，也照着父亲沉默的背影。",
    "春天的山是淡绿的，像刚刚醒来的孩子。我沿着小路慢慢地走，听鸟声在树林深处一声一声地响起来。",
]
NEWS = [
    "新华社北京3月5日电 记者从国家统计局获悉，2023年全国粮食总产量达到13908亿斤，比上年增加178亿斤，增长1.3%。",
    "本报讯 昨日，市交通运输局发布通知，自4月1日起，全市将新增12条公交线路，覆盖东部新区和高新区的28个站点。",
    "据中国气象局消息，受冷空气影响，未来三天华北、东北地区将出现4至6级大风，局地气温下降8至10摄氏度。",
    "记者15日从省教育厅了解到，今年全省共有52.3万名考生报名参加高考，比去年增加2.1万人，考点设在全省136个县区。",
    "国务院新闻办公室今天上午举行新闻发布会，介绍2024年一季度国民经济运行情况，国内生产总值同比增长5.3%。",
]
EXEMPLARS = [
    "我站在窗前，看暮色一点一点地漫过屋顶。远山渐渐模糊了，只剩下一道温柔的轮廓，像母亲手里未织完的毛衣。",
    "那年冬天，雪下得很大。我和祖父踩着厚厚的雪去井边打水，脚下咯吱咯吱地响，天地间只有我们两个人的呼吸。",
    "夜深了，月光静静地铺在院子里。我忽然觉得，那些逝去的日子并没有走远，它们就藏在这一片清冷的光里。",
]
ROUNDS = 3
ROWS = 10


def _corpus(folder: Path) -> tuple[Path, Path]:
    """(labelled corpus JSONL, target profile JSON built from the exemplars) in `folder`."""
    from wenforge.style import build_profile, save_profile

    rows = [{"id": f"l{i}", "text": t, "l2": "modern_essay"} for i, t in enumerate(LYRIC)]
    rows += [{"id": f"n{i}", "text": t, "l2": "news_report"} for i, t in enumerate(NEWS)]
    corpus = folder / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return corpus, save_profile(build_profile(EXEMPLARS, name="lyric"), folder / "target.json")


@pytest.fixture
def loop(tmp_path, stubbed_forge):
    """A 3-round style forge whose model always writes a news sentence; returns config, state and the calls."""
    from wenforge.forge import rounds

    corpus, target = _corpus(tmp_path)
    cfg = rounds.ForgeConfig(
        output_dir=str(tmp_path / "forge"), rounds=ROUNDS, rows_per_round=ROWS, model="org/m", train_file=str(corpus),
        category_field="l2", style_target=str(target), samples_per_prompt=2, train={"max_steps": 1},
        feedback={"gain": 1.0, "max_step": 0.5, "min_weight": 0.05},
        safety=False,  # the safety test in style rounds: tests/forge/test_safety.py
    )
    state, seen = stubbed_forge(cfg, lambda model_dir, prompts, **kw: [NEWS[0]] * len(prompts))
    return cfg, state, seen


@needs_train
def test_the_target_profile_flows_into_each_rounds_evaluation(loop):
    cfg, state, seen = loop
    assert len(seen["eval"]) == ROUNDS and len(seen["generate"]) == ROUNDS
    out = Path(cfg.output_dir)
    for k, (ecfg, rec) in enumerate(zip(seen["eval"], state["rounds"], strict=True)):
        rdir = out / f"round_{k:02d}"
        assert ecfg.style_profile == cfg.style_target and ecfg.outputs == str(rdir / "outputs.jsonl")
        rows = [json.loads(x) for x in (rdir / "eval" / "rows.jsonl").read_text(encoding="utf-8").splitlines()]
        assert len(rows) == len(cfg.prompts) * 2 and all(0 <= r["style_match"] <= 1 for r in rows)
        overall = json.loads((rdir / "eval" / "eval.json").read_text(encoding="utf-8"))["overall"]
        assert overall["style_distance"] == pytest.approx(1 - overall["style_match"], abs=1e-4)
        assert rec["style_distance"] == overall["style_distance"] > 0.3  # news is far from the lyrical target
    gen = seen["generate"][0]
    assert gen["prompts"] == [p for p in cfg.prompts for _ in range(2)] and gen["temperature"] == 1.0
    assert "distance to the style target per round" in (out / "report.html").read_text(encoding="utf-8")


@needs_train
def test_feedback_moves_weight_toward_the_label_closer_to_the_target(loop):
    _, state, _ = loop
    closeness = state["closeness"]
    assert closeness["modern_essay"] > closeness["news_report"] + 0.2  # measured from the texts
    essay = [r["weights"]["modern_essay"] for r in state["rounds"]] + [state["rounds"][-1]["next_weights"]["modern_essay"]]
    assert essay[0] == pytest.approx(0.5) and all(b > a for a, b in pairwise(essay))
    for r in state["rounds"]:
        fb = r["style_feedback"]
        assert fb["distance"] == r["style_distance"] and fb["closeness"] == closeness
        assert fb["factor"]["modern_essay"] > 1 > fb["factor"]["news_report"]


@needs_train
def test_each_rounds_mixture_uses_the_new_weights(loop):
    _, state, seen = loop
    assert len(seen["mix"]) == ROUNDS and len(seen["sft"]) == ROUNDS and not seen["grpo"]
    for k, ((spec, mixed), (tcfg, rows)) in enumerate(zip(seen["mix"], seen["sft"], strict=True)):
        rec = state["rounds"][k]
        assert spec.shares == rec["weights"] and spec.by == "l2" and spec.text_field == "text"
        if k:
            assert rec["weights"] == state["rounds"][k - 1]["next_weights"]
        assert rows == [{"text": r["text"]} for r in mixed.rows]  # plain-text SFT on the mixture's texts
        assert tcfg.output_dir.endswith(f"round_{k:02d}/sft")
    essay_rows = [sum(r["l2"] == "modern_essay" for r in mixed.rows) for _, mixed in seen["mix"]]
    assert essay_rows[-1] > essay_rows[0]


@needs_train
def test_a_resumed_run_keeps_its_closeness_and_rounds(loop, monkeypatch):
    from wenforge.forge import rounds

    cfg, state, seen = loop
    monkeypatch.setattr(rounds, "label_closeness", lambda *a, **k: pytest.fail("closeness measured again"))
    again = rounds.run_forge(cfg, log=lambda *a: None)
    assert again["rounds"] == state["rounds"] and again["closeness"] == state["closeness"]
    assert len(seen["sft"]) == ROUNDS  # nothing trained again


def test_closeness_is_the_mean_style_match_of_each_labels_texts(tmp_path):
    from wenforge.style import load_profile, style_match

    corpus, target = _corpus(tmp_path)
    rows = [json.loads(x) for x in corpus.read_text(encoding="utf-8").splitlines()]
    profile = load_profile(target)
    got = label_closeness(rows, "l2", "text", profile)
    assert got["modern_essay"] == pytest.approx(sum(style_match(t, profile) for t in LYRIC) / len(LYRIC), abs=1e-4)
    assert got["modern_essay"] > got["news_report"]


@pytest.mark.parametrize(
    ("weights", "distance", "cfg", "check"),
    [
        # toward the closer label, in proportion to the distance
        ({"a": 0.5, "b": 0.5}, 0.5, FeedbackConfig(gain=1.0, max_step=0.9),
         lambda fb: fb["next_weights"]["a"] > 0.5 and fb["factor"] == {"a": 1.25, "b": 0.75}),
        # on the target: no step
        ({"a": 0.5, "b": 0.5}, 0.0, FeedbackConfig(), lambda fb: fb["next_weights"] == {"a": 0.5, "b": 0.5}),
        # gain 0 is a fixed mixture
        ({"a": 0.3, "b": 0.7}, 0.6, FeedbackConfig(gain=0.0), lambda fb: fb["next_weights"] == {"a": 0.3, "b": 0.7}),
        # bounded steps
        ({"a": 0.5, "b": 0.5}, 1.0, FeedbackConfig(gain=100.0, max_step=0.5),
         lambda fb: fb["factor"] == {"a": 1.5, "b": 0.5} and fb["next_weights"]["a"] == 0.75),
        # never below min_weight
        ({"a": 0.9, "b": 0.1}, 1.0, FeedbackConfig(gain=100.0, max_step=0.99, min_weight=0.05),
         lambda fb: fb["next_weights"]["b"] == pytest.approx(0.05 / 1.05, abs=1e-3)),
    ],
    ids=["toward", "on-target", "gain-0", "bounded", "floored"],
)
def test_style_feedback_rule(weights, distance, cfg, check):
    fb = style_feedback(weights, {"a": 0.8, "b": 0.4}, distance, cfg)
    assert check(fb), fb
    assert sum(fb["next_weights"].values()) == pytest.approx(1.0, abs=1e-3)


def test_a_style_target_needs_a_labelled_corpus_and_a_profile(tmp_path):
    from wenforge.forge.rounds import load_forge_config

    _, target = _corpus(tmp_path)
    (tmp_path / "bad.json").write_text('{"mean": []}', encoding="utf-8")
    cases = {
        f"output_dir: o\nstyle_target: {target.name}\n": r": train_file: style rounds \(style_target\) train on",
        "output_dir: o\ntrain_file: corpus.jsonl\nstyle_target: none.json\n":
            r":3: style_target: .*none\.json: cannot read style profile",
        "output_dir: o\ntrain_file: corpus.jsonl\nstyle_target: bad.json\n":
            r":3: style_target: .*bad\.json: not a style profile",
    }
    for body, message in cases.items():
        path = tmp_path / "f.yaml"
        path.write_text(body, encoding="utf-8")
        with pytest.raises(ConfigError, match=rf"^{path}{message}"):
            load_forge_config(path)
    path.write_text(f"output_dir: o\ntrain_file: corpus.jsonl\nstyle_target: {target.name}\n", encoding="utf-8")
    assert load_forge_config(path).style_target == str(target)
