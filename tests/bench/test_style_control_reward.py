"""The style-reward mechanism of bench/style_control/reward.py: the template sets' ornateness gap, the warm-up
completions, the arms' reward compositions, the per-step accuracy read from TRL's logs, and the adversarial
arm's live discriminator retrained in rounds inside one GRPO run of a minuscule model."""

from __future__ import annotations

import copy
import importlib.util
import json
import statistics
import sys
from dataclasses import replace
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))  # as `python bench/style_control_bench.py` has it

from style_control import reward

from wenforge.forge.tasks import arithmetic_rows
from wenforge.rewards import composite, format_reward, outcome_reward
from wenforge.rewards.adversarial import AdversarialStyleReward
from wenforge.style import score_style

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "datasets"))
BOX = "<think>3+5=8</think>\n{}\\boxed{{{}}}"


def test_template_sets_are_large_distinct_and_far_apart_in_ornateness():
    assert len(set(reward.PLAIN_TEMPLATES)) == len(reward.PLAIN_TEMPLATES) >= 20
    assert len(set(reward.ORNATE_TEMPLATES)) == len(reward.ORNATE_TEMPLATES) >= 20
    plain = [score_style(f"{t}\\boxed{{12}}").ornateness for t in reward.PLAIN_TEMPLATES]
    ornate = [score_style(f"{t}\\boxed{{12}}").ornateness for t in reward.ORNATE_TEMPLATES]
    assert min(ornate) > max(plain)
    gap = reward.template_gap()
    mean_gap = statistics.fmean(ornate) - statistics.fmean(plain)
    assert gap["ornateness_gap"] == pytest.approx(mean_gap, abs=1e-3)
    assert gap["ornateness_gap"] >= 0.3
    assert not any(c in p for c in reward.ORNATE_CLAUSES for p in reward.PLAIN_TEMPLATES)


def test_warmup_rows_mix_the_sets_and_keep_the_answer_checkable():
    rows = arithmetic_rows(400, seed=3, max_value=reward.MAX_VALUE)
    warm = reward.warmup_rows(rows, reward.ORNATE_SHARE, seed=3)
    ornate = [any(t in r["completion"] for t in reward.ORNATE_TEMPLATES) for r in warm]
    plain = [any(t in r["completion"] for t in reward.PLAIN_TEMPLATES) for r in warm]
    assert all(a != b for a, b in zip(ornate, plain, strict=True))
    assert abs(sum(ornate) / len(warm) - reward.ORNATE_SHARE) < 0.07
    for r in warm:
        assert outcome_reward(r["completion"], r["answer"]) == 1.0 and format_reward(r["completion"]) == 1.0
        assert reward.answer_part(r["completion"]).endswith(f"\\boxed{{{r['answer']}}}")
    with pytest.raises(ValueError, match="boxed"):
        reward.with_sentence("<think>1+1=2</think>\n2", "先列式，再计算。")


def test_style_arm_pays_for_ornament_but_never_for_a_worse_answer():
    r = reward.style_arm_reward()
    plain, ornate = reward.PLAIN_TEMPLATES[9], reward.ORNATE_TEMPLATES[10]
    assert r(BOX.format(ornate, 8), answer="8") > r(BOX.format(plain, 8), answer="8")
    assert r(BOX.format(ornate, 9), answer="8") > r(BOX.format(plain, 9), answer="8")
    # a wrong answer never pays
    assert r(BOX.format(ornate, 9), answer="8") < r(BOX.format(plain, 8), answer="8")
    missing = f"<think>3+5=8</think>\n{ornate}"
    assert r(missing, answer="8") < r(BOX.format(plain, 9), answer="8")  # nor dropping it
    loop = BOX.format("直接计算，" + "答案悄然绽放，" * 12, 8)  # ornament by repetition: the guard's case
    assert r(loop, answer="8") < r(BOX.format(plain, 8), answer="8")
    # the outcome-only arm is indifferent to style
    base = composite(reward.arm_weights("outcome_only"))
    assert base(BOX.format(ornate, 8), answer="8") == base(BOX.format(plain, 8), answer="8")
    assert set(reward.arm_weights("adversarial")) == {"outcome", "adversarial", "repetition"}


def test_accuracy_from_log_recovers_the_share_right_from_mean_and_std():
    xs = [1.0] * 5 + [-0.5] * 20 + [-1.0] * 7
    acc = reward.accuracy_from_log(statistics.fmean(xs), statistics.stdev(xs), len(xs))
    assert acc == pytest.approx(5 / 32)
    assert reward.accuracy_from_log(-0.5, 0.0, 32) == pytest.approx(0.0)


def _exemplars(n: int) -> list[str]:
    rows = reward.warmup_rows(arithmetic_rows(n, seed=5, max_value=reward.MAX_VALUE), 1.0, seed=5)
    return [reward.answer_part(r["completion"]) for r in rows]


def test_live_discriminator_retrains_on_what_it_saw_scores_and_survives_copies():
    live = reward.LiveDiscriminator(AdversarialStyleReward(human=_exemplars(24), seed=0))
    live.seen = [BOX.format(reward.PLAIN_TEMPLATES[i % 22], i) for i in range(24)]
    rec = live.retrain(cap=16, step=10)
    assert rec["step"] == 10 and rec["round"] == 0 and rec["n_policy"] == 16 and live.seen == []
    texts = [BOX.format(reward.ORNATE_TEMPLATES[0], 7), BOX.format(reward.PLAIN_TEMPLATES[0], 7)]
    ornate, flat = live.prob_human(texts)
    assert ornate > 0.5 > flat
    assert copy.deepcopy(live) is live and copy.deepcopy({"d": live})["d"] is live
    adv = composite({"adversarial": 1.0}, options={"adversarial": {"discriminator": live}})
    assert adv(BOX.format(reward.ORNATE_TEMPLATES[1], 3)) > 0.5
    assert len(live.seen) == 3  # what the registry's reward scored is the next round's policy data


@pytest.mark.skipif(not HEAVY, reason="needs the train extra (torch, transformers, trl, datasets)")
def test_adversarial_arm_retrains_its_discriminator_inside_one_grpo_run(tmp_path):
    import torch

    from wenforge.lm.tiny import TinySpec, build_tiny_model

    torch.set_num_threads(1)
    rows = arithmetic_rows(16, seed=1, max_value=reward.MAX_VALUE)
    warm = reward.warmup_rows(rows, 0.5, seed=1)
    reward._write(tmp_path / "warm.jsonl", warm)
    base = tmp_path / "tiny"
    build_tiny_model(base, [r["question"] + r["completion"] for r in warm], TinySpec(hidden_size=32, seed=1))
    budget = replace(reward.QUICK, grpo_steps=2, batch=8, round_steps=1, exemplars=16, policy_cap=16,
                     max_new_tokens=reward.length_cap(base, warm))
    final, extra = reward.run_arm("adversarial", tmp_path, base, rows, budget, seed=1)
    assert (final / "config.json").exists()
    rounds = extra["rounds"]
    assert [r["step"] for r in rounds] == [0, 1]  # round 0 on the base's samples, one more after step 1 of 2
    assert all(r["n_policy"] >= 2 for r in rounds)
    log = tmp_path / "adversarial" / "discriminator.jsonl"
    logged = [json.loads(x) for x in log.read_text().splitlines()]
    assert [r["round"] for r in logged] == [0, 1]
    curve = reward.step_curve(tmp_path / "adversarial", budget.batch)
    assert [p["step"] for p in curve] == [1, 2]
    assert all(0.0 <= p["accuracy"] <= 1.0 and 0.0 <= p["adversarial"] <= 1.0 for p in curve)
