"""The forge loop through its own parts, with training and generation stubbed (seconds, no model trained):
each round trains on the rows `wenforge.mix` chose for the round's targets, is scored once by `wenforge eval`,
and the evaluation's feedback sets the next round's targets."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))
pytestmark = pytest.mark.skipif(not HEAVY, reason="builds TRL configs: needs the train extra")

ROUNDS = 3
ROWS = 60


@pytest.fixture
def loop(tmp_path, stubbed_forge):
    """Run a 3-round forge whose model answers every held-out `add` question right and every `mul` one wrong;
    returns what each part was called with."""
    from wenforge.forge import rounds

    cfg = rounds.ForgeConfig(
        output_dir=str(tmp_path / "forge"),
        rounds=ROUNDS,
        rows_per_round=ROWS,
        heldout_per_category=4,
        tiny={"hidden_size": 32, "num_layers": 1, "num_heads": 2, "num_kv_heads": 1, "vocab_size": 400},
        warmup_sft={"max_steps": 1},
        train={"max_steps": 1, "per_device_train_batch_size": 4, "num_generations": 4},
        safety=False,  # the safety test and its feedback: tests/forge/test_safety.py
    )
    _, held = rounds._pools(cfg)

    def answer(model_dir, prompts, **kw):
        assert len(prompts) == len(held)
        return [f"<think>算</think>\\boxed{{{r['answer'] if r['category'] == 'add' else 'x'}}}" for r in held]

    state, seen = stubbed_forge(cfg, answer)
    return cfg, state, seen


def test_each_round_trains_on_the_rows_mix_chose_for_its_targets(loop):
    from wenforge.forge.rounds import _share_tolerance

    cfg, state, seen = loop
    # the warm-up's mixture, then one per round
    assert len(seen["mix"]) == 1 + ROUNDS and len(seen["grpo"]) == ROUNDS
    warm_spec, warm = seen["mix"][0]
    assert seen["sft"][0][1] is warm.rows and warm_spec.budget == 4 * ROWS
    for k, ((spec, mixed), (tcfg, rows)) in enumerate(zip(seen["mix"][1:], seen["grpo"], strict=True)):
        rec = state["rounds"][k]
        assert rows is mixed.rows  # trained on exactly what the mix function returned
        assert spec.shares == rec["weights"] and spec.unit == "rows" and spec.budget == ROWS
        assert spec.by == cfg.category_field
        got = {c: sum(r["category"] == c for r in rows) / len(rows) for c in spec.shares}
        for c, target in spec.shares.items():
            assert abs(got[c] - target) <= _share_tolerance(ROWS), (k, c, got, spec.shares)
            assert rec["mix"][c]["achieved"] == pytest.approx(got[c], abs=1e-6)
        assert tcfg.train_file.endswith(f"round_{k:02d}/train.jsonl")
    # each round starts from the model the previous one trained
    assert seen["grpo"][1][0].model == str(Path(cfg.output_dir) / "round_00" / "grpo" / "final")
    out = Path(cfg.output_dir)
    assert not list(out.rglob("*.yaml"))  # configs pass in memory
    assert json.loads((out / "config.json").read_text())["rows_per_round"] == ROWS


def test_feedback_sets_the_next_rounds_targets(loop):
    _, state, seen = loop
    rs = state["rounds"]
    assert rs[0]["weights"] == pytest.approx({"add": 1 / 3, "sub": 1 / 3, "mul": 1 / 3}, abs=1e-3)
    for k in range(ROUNDS - 1):
        assert rs[k + 1]["weights"] == rs[k]["next_weights"]
        assert seen["mix"][k + 2][0].shares == rs[k]["next_weights"]  # the next mixture's targets
    # every add answer is right, every mul answer wrong: more mul, less add, round after round
    assert [r["weights"]["mul"] for r in rs] == sorted(r["weights"]["mul"] for r in rs)
    assert rs[1]["weights"]["mul"] > rs[0]["weights"]["mul"] and rs[1]["weights"]["add"] < rs[0]["weights"]["add"]
    mul_rows = [sum(r["category"] == "mul" for r in rows) for _, rows in seen["grpo"]]
    assert mul_rows[-1] > mul_rows[0]


def test_each_round_is_scored_once_by_wenforge_eval(loop):
    cfg, state, seen = loop
    assert len(seen["eval"]) == ROUNDS and len(seen["generate"]) == ROUNDS
    out = Path(cfg.output_dir)
    for k, (ecfg, rec) in enumerate(zip(seen["eval"], state["rounds"], strict=True)):
        rdir = out / f"round_{k:02d}"
        assert ecfg.outputs == str(rdir / "outputs.jsonl") and ecfg.output_dir == str(rdir / "eval")
        assert ecfg.feedback.weights == {"category": rec["weights"]}
        saved = json.loads((rdir / "eval" / "eval.json").read_text())
        assert rec["eval"]["overall"] == saved["overall"]  # the report's figures are the evaluation's
        assert rec["eval"]["by_category"] == saved["by"]["category"]
        assert rec["eval"]["by_category"]["add"]["accuracy"] == 1.0
        assert rec["eval"]["by_category"]["mul"]["accuracy"] == 0.0
        fb = json.loads((rdir / "eval" / "feedback.json").read_text())
        assert fb["next_weights"]["category"]["mul"] > fb["next_weights"]["category"]["add"]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "round_02/eval/report.html" in html and "<svg" in html
