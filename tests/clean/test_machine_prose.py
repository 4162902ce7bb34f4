"""The machine-prose signal of the content-farm detector: what it reads, when it reads, and its config keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wenforge.clean import clean_page
from wenforge.clean.config import CleanConfig
from wenforge.clean.detectors import machine
from wenforge.core import reasons as R

# written for these tests in the shape of the real farms: a model's smooth explainer with no heading, no date,
# no source and none of the stock phrases the template evidence knows
MODEL_PAGE = """跑步鞋怎么选

跑步作为一种简单易行的运动方式，不仅能够增强心肺功能，还能有效缓解压力，提升整体的身心健康水平。然而，想要真正从跑步中获益，选择一双合适的跑鞋同样非常重要。

一双好的跑鞋，首先要具备良好的缓震性能。在跑步过程中，双脚每一次落地都会承受相当于体重数倍的冲击力，而优秀的缓震设计能够有效分散这种压力，从而保护膝关节和脚踝。与此同时，鞋子的支撑性也同样不容忽视，它能够帮助跑者保持稳定的步态，降低受伤的风险。

此外，透气性和合脚程度也是影响跑步体验的关键因素。透气性良好的鞋面能够及时排出汗气，让双脚始终保持干爽舒适；而合脚的鞋型则可以避免摩擦和水泡，使每一次奔跑都更加轻松自如。

总而言之，挑选跑鞋并没有统一的标准，关键在于结合自身的脚型、跑步习惯以及训练目标进行综合考虑。只有找到真正适合自己的那一双，才能在跑步的道路上走得更远、更稳，享受运动带来的快乐与健康。"""

# a person's review: first person, particles, prices, a neighbour's name, a question to other readers
HUMAN_PAGE = """昨天下班去楼下那家新开的面馆吃了碗牛肉面，说实话有点失望。

汤是挺烫的，就是咸，我喝了两口就不敢再喝了。牛肉一共四片，薄得能透光，老板还说是现切的，我看着不太像。面倒是手擀的，筋道，这点没毛病。二十八块一碗，隔壁老张家才二十，肉还多。

我老婆说可能刚开业还没调好，过两个月再去试试。我是觉得够呛，这条街上开了关、关了开的店太多了，去年那家麻辣烫也就撑了半年。

不过他家门口那个小凳子挺好的，等位的时候能坐会儿，还有免费的大麦茶，这个给个好评吧。有去过的朋友说说，是不是我点的不对？听说他们家的酸汤肥牛还行，下回我点那个看看，要是还这样就不去了。"""


def _signal(result, name: str):
    return next((s for s in result.signals if s["signal"] == name), None)


def test_machine_written_explainer_is_a_content_farm_with_its_evidence():
    r = clean_page(MODEL_PAGE)
    assert r.spam and r.reasons[0] == R.CONTENT_FARM and r.text == ""
    sig = _signal(r, "machine_prose")
    assert sig["reason"] == R.CONTENT_FARM
    assert sig["detail"]["probability"] >= CleanConfig().machine_prose_threshold
    assert sig["detail"]["masked_ngrams"] and all(w > 0 for _, w in sig["detail"]["masked_ngrams"])


def test_a_persons_review_is_kept_whole():
    r = clean_page(HUMAN_PAGE)
    assert not r.spam and r.reasons == [] and _signal(r, "machine_prose") is None
    assert machine.read(HUMAN_PAGE, 0.85).probability < 0.5


def test_ascii_punctuation_reads_like_full_width():
    ascii_page = MODEL_PAGE.replace("，", ",").replace("；", ";")
    assert machine.read(ascii_page, 0.85).probability == pytest.approx(machine.read(MODEL_PAGE, 0.85).probability)


def test_traditional_script_is_read_through_the_cleaners_view():
    from wenforge.text.chars import to_traditional

    r = clean_page(to_traditional(MODEL_PAGE))
    assert r.spam and _signal(r, "machine_prose") is not None


def test_config_keys_turn_it_off_and_set_the_threshold():
    assert not clean_page(MODEL_PAGE, CleanConfig(machine_prose=False)).spam
    assert not clean_page(MODEL_PAGE, CleanConfig(machine_prose_threshold=1.0)).spam
    p = machine.read(MODEL_PAGE, 0.85).probability
    assert clean_page(MODEL_PAGE, CleanConfig(machine_prose_threshold=p)).spam
    with pytest.raises(ValueError, match="machine_prose_threshold"):
        CleanConfig(machine_prose_threshold=1.5)


def test_sourced_and_short_pages_are_not_read():
    sourced = "新华社北京5月10日电（记者王明）\n" + MODEL_PAGE
    r = clean_page(sourced)
    assert _signal(r, "machine_prose") is None and not r.spam
    short = MODEL_PAGE[:150]
    assert machine.read(short, 0.85) is None
    assert _signal(clean_page(short), "machine_prose") is None


def test_evidence_only_when_the_threshold_is_reached():
    p = machine.read(MODEL_PAGE, 0.85).probability
    assert machine.read(MODEL_PAGE, 0.85).grams
    assert machine.read(MODEL_PAGE, min(1.0, p + 1e-6)).grams == []


def test_masking_keeps_function_characters_and_folds_runs():
    table = machine.mask_table("的是而不")
    assert machine.masked("他的书是新的,不是旧的GPT4o版本2024", table) == "□的□是□的，不是□的a0a□□0"


def test_missing_model_names_the_rebuild_command(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="wenforge.eval.farm_model"):
        machine.read(MODEL_PAGE, 0.85, path=tmp_path / "none.npz")


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_trainer_writes_a_model_the_detector_reads(tmp_path: Path):
    """A tiny data folder in the shared layout: the trained file loads and separates its own two kinds."""
    from wenforge.eval import farm_model

    d = tmp_path / "data"
    machine_rows = [{"split": "dev", "text": MODEL_PAGE, "model": f"m{i}", "prompt_id": str(i), "tags": []}
                    for i in range(6)]
    human = [{"split": "dev", "text": HUMAN_PAGE, "work": str(i), "author": str(i), "collection": str(i),
              "abstract": HUMAN_PAGE, "id": str(i), "title": str(i)} for i in range(6)]
    _write(d / "ai_text" / "modern_llm_writing.jsonl", machine_rows)
    _write(d / "ai_text" / "hc3_chinese_sample.jsonl", [{"split": "dev", "label": "human", "qid": "1", "text": HUMAN_PAGE}])
    _write(d / "ai_text" / "ruozhiba_qa.jsonl", [{"split": "dev", "id": "1", "human_answer": HUMAN_PAGE,
                                                  "kimi_answer": MODEL_PAGE}])
    _write(d / "hallucination" / "uhgeval_concise.jsonl", [{"split": "dev", "id": "1", "newsBeginning": HUMAN_PAGE,
                                                            "newsRemainder": "", "hallucinatedContinuation": MODEL_PAGE}])
    for rel in ("literary/modern_pd_prose.jsonl", "literary/modern_pd_poetry.jsonl", "literary/luxun_works.jsonl",
                "academic/csl_abstracts.jsonl", "expository/cmrc2018_wiki_paragraphs.jsonl"):
        _write(d / rel, human)
    out = tmp_path / "machine_prose.npz"
    info = farm_model.train(d, out)
    assert info["machine"] > 0 and info["windows"] > info["machine"] and out.exists()
    machine._load.cache_clear()
    try:
        assert machine.read(MODEL_PAGE, 0.5, path=out).probability > machine.read(HUMAN_PAGE, 0.5, path=out).probability
    finally:
        machine._load.cache_clear()


def test_generated_explainer_shape_is_caught_by_this_signal_alone():
    import random

    from wenforge.synth import generate_shape

    off = CleanConfig(machine_prose=False)
    for seed in range(20):
        page = generate_shape("farm_explainer", "", random.Random(seed), headlines=[], snippets=[], title=None)
        r = clean_page(page.text)
        assert r.spam and r.reasons[0] == R.CONTENT_FARM and _signal(r, "machine_prose"), seed
        assert not clean_page(page.text, off).spam, seed
