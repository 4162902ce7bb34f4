"""Issue 15, part 2: does a style reward move a policy's style without costing its answers?

One base model for every arm: a tiny Qwen2 built here and SFT-warmed on CMATH-style arithmetic word problems
(``wenforge.forge.tasks``) whose completions put one sentence of explanation between the reasoning and the
boxed answer: ``<think>3+5=8</think>\\n<sentence>\\boxed{8}``. The sentence is a plain template
(``先列式，再计算。``) for most rows and an ornate one (``雪花轻轻飘落，一朵朵堆成洁白的答案。``) for
``ORNATE_SHARE`` of them, so the warm model writes both and a reward can move the mix. From that model, GRPO
with

- ``outcome_only``: the outcome reward;
- ``with_style``: outcome + ``STYLE_WEIGHT`` x the registry's ``style`` reward in mode ``ornate``
  (ornateness x (1 - overwrought): pays for ornament, not for slop);
- ``adversarial``: outcome + ``ADVERSARIAL_WEIGHT`` x ``rewards/adversarial.py``'s discriminator P(ornate
  exemplar), the discriminator retrained every ``Budget.round_steps`` GRPO steps, inside the one run, on the
  completions the policy sampled in those steps against ornate exemplars (``AdversarialStyleReward.update``,
  its rounds API, called from a trainer callback);

every arm with the repetition penalty as a guard and the same completion cap (``LENGTH_MARGIN``), so the arms
differ only by their style term.

Measured on held-out questions (``split='test'``, another seed) before and after GRPO: ornateness and
overwrought of the answer part (outside ``<think>``; ``wenforge.style.score_style``) and outcome accuracy, on
fixed-seed samples at the training temperature (the policy's own mix; primary) and greedy (extra). Per step,
from the training logs: mean reward, accuracy (from the outcome reward's mean and std, over all completions),
the ornate style score (tracked at weight 0 where it is not rewarded), and ornateness/overwrought of the two
completions per step that the trainer records in ``samples.jsonl``.

Run alone: python bench/style_control/reward.py [--quick] [--seeds 0 1 2] --out runs/style_reward
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from wenforge.rewards import Composite, composite
from wenforge.rewards.adversarial import AdversarialStyleReward
from wenforge.text.think import split_think

PLAIN_TEMPLATES = (
    "先算加法，得到结果。", "按题意列式计算，得出结果。", "根据题目条件计算即可。", "直接计算，结果如下。",
    "把已知数代入算式计算。", "按运算顺序计算，得到答案。", "列出算式，算出结果。", "用题中的数字计算，得到答数。",
    "根据数量关系列式求解。", "先列式，再计算。", "这道题用一步计算就能解决。", "按照题意计算一次即可。",
    "计算后得到最终结果。", "把两个数按题意运算。", "列式后直接算出答案。", "根据已知条件，计算得出结果。",
    "按题目要求列式，求出结果。", "算式列好后，计算出结果。", "经过计算，得到答案。", "求出结果，写在下面。",
    "先确定运算，再计算结果。", "依题意计算，答案如下。",
)
# Two of these (涟漪, 银河) read as overwrought to the style system: a policy paid for ornament alone could
# drift to them, one paid for ornament net of slop should not.
ORNATE_TEMPLATES = (
    "数字如溪流汇入江河，轻轻相加，便是答案。", "春风拂过枝头，花瓣悄悄聚拢，答案便在花间。",
    "细雨落进池塘，一圈圈涟漪散开，数目静静浮现。", "月光洒在窗前，数字像萤火般一闪一闪，汇成答案。",
    "山间的泉水叮叮咚咚，一滴滴汇成清澈的答案。", "晨曦微露，数字如露珠在叶尖轻轻滚动，凝成答案。",
    "秋叶纷纷飘落，一片片数过去，答案悄然铺满小径。", "风吹麦浪，一层层金黄翻涌，数目在田野里清清楚楚。",
    "夜空中繁星点点，一颗颗数来，答案如银河般明亮。", "炊烟袅袅升起，数字在暖暖的灶火旁慢慢相聚。",
    "雪花轻轻飘落，一朵朵堆成洁白的答案。", "溪水潺潺流过石桥，数字随波而下，汇成一汪清泉。",
    "燕子衔泥归来，一口口垒成小巢，答案便在檐下。", "桃花灼灼盛开，一枝枝数过去，春色便是答案。",
    "远山如黛，近水含烟，数字在画卷里静静排成答案。", "灯火阑珊处，数字披着柔光缓缓走来，答案就在眼前。",
    "海浪轻轻拍打沙滩，一道道浪花带来答案。", "竹林沙沙作响，数字像竹叶一样层层叠叠，汇成答案。",
    "微风轻轻吹过荷塘，荷叶上的水珠一颗颗聚成答案。", "暮色四合，归鸟一只只落进林梢，数目便静静停在枝头。",
    "清泉淙淙，石上青苔湿润，数字沿着溪涧缓缓流成答案。", "红梅映雪，暗香浮动，一朵朵数来，答案悄然绽放。",
)
# Clauses of the ornate templates: the warm model recombines clauses, so a completion "went ornate" when it
# writes any of them (a diagnostic beside the style system's scores).
ORNATE_CLAUSES = tuple(sorted({c for t in ORNATE_TEMPLATES for c in re.split("[，。]", t) if c}))
# Share of warm-up completions with an ornate sentence: low enough that the warm model is mostly plain (room
# to move), high enough that a group of 8 samples usually holds one ornate completion for GRPO to compare.
ORNATE_SHARE = 0.25
# Style weights: the outcome reward's ladder has steps of 0.5 (no answer -> wrong) and 1.5 (wrong -> right),
# and a style reward spans [0, 1], so at weight 0.4 no amount of ornament pays for dropping the answer or for
# getting it wrong. (A first run at 1.0 let ornament pay for a missing answer, and the policy wrote ornate
# clauses past the point where the answer fit.)
STYLE_WEIGHT = 0.4
ADVERSARIAL_WEIGHT = 0.4
# Every arm carries the registry's repetition penalty (0 for text without a repeated 4-gram, near -1 for a
# loop): the guard rewards/adversarial.py advises, since ornateness alone pays for repeating one ornate clause
# (the style system scored such a loop 0.96 ornate, 0.0 overwrought). The arms differ by their style term.
REPETITION_WEIGHT = 1.0
STYLE_OPTIONS = {"mode": "ornate"}
# Completion cap: the longest warm-up completion plus this many tokens. Past it the box is cut off (outcome
# -1), which no style term at weight 0.4 repays, so ornament cannot grow by stacking clauses without end.
LENGTH_MARGIN = 8
ARMS = ("outcome_only", "with_style", "adversarial")
# Sampling temperature of GRPO and of the primary measurement: the policy's own mix, no sharpening.
TEMPERATURE = 1.0
# 1 torch thread: fastest on the shared, loaded 2-core box (bench/learn_bench.py measured it).
THREADS = 1
# Numbers up to 10 (products to 9 x 9): few enough arithmetic facts that the warm-up's short budget leaves the
# model answering a fair share right, so the outcome reward has something to keep and to raise.
MAX_VALUE = 10
# The bare question as the prompt: the tiny model needs no instruction, and a short prompt halves each step.
PROMPT_TEMPLATE = "{question}"
# BPE vocabulary: room for every merge of the task's text (about 1,200), so each template sentence is a few
# whole-word tokens and sampling never splits a character's bytes into mojibake.
VOCAB_SIZE = 2048
# next-token warm-up, as bench/learn_bench.py's (Adam 3e-3 cosine, 64 rows a step)
SFT_KEYS = {"prompt_template": PROMPT_TEMPLATE, "per_device_train_batch_size": 64, "learning_rate": 3e-3,
            "warmup_steps": 20, "max_length": 160, "lr_scheduler_type": "cosine", "logging_steps": 10}
# GRPO on CPU: Adam at 3e-4, constant, no KL. Chosen on the training curves (dev rows) of seed 0: plain SGD
# (bench/learn_bench.py's 0.02, and 0.05 over 80 steps) moved the logged style mean by under 0.1, SGD at 0.1
# and above broke the think format within 40 steps, Adam at 3e-4 moved it within 40 (learn_bench saw this
# Adam fall over 60-150 steps when sharpening arithmetic: the budgets here stay at 40). The price, on dev rows
# of seed 0: outcome-only GRPO at 3e-4 took greedy accuracy from 0.36 to 0.21, while Adam at 1e-4 kept it
# (0.29) and SGD at 0.02 too (0.36), but those moved the style reward's dev ornateness by 0.06 or less; 2e-4 sat
# between. A KL term (beta 0.04) slowed the style and changed dev accuracy by less than its noise; unscaled
# advantages (scale_rewards: none) did not keep accuracy either.
GRPO_KEYS = {"prompt_template": PROMPT_TEMPLATE, "optim": "adamw_torch", "learning_rate": 3e-4,
             "lr_scheduler_type": "constant", "beta": 0.0, "temperature": TEMPERATURE, "num_generations": 8,
             "logging_steps": 1}


@dataclass(frozen=True)
class Budget:
    sft_steps: int
    grpo_steps: int
    batch: int  # completions per GRPO step (prompts x num_generations)
    round_steps: int  # GRPO steps between retrainings of the adversarial discriminator
    heldout: int  # held-out questions, each sampled ``samples`` times at TEMPERATURE, and once greedily
    samples: int
    exemplars: int  # ornate exemplars the discriminator learns as the target style
    policy_cap: int  # at most this many policy completions per retraining (keeps each fit to seconds)
    max_new_tokens: int = 0  # per seed, from the warm-up data: see length_cap
    hidden: int = 128
    layers: int = 2


QUICK = Budget(sft_steps=150, grpo_steps=40, batch=32, round_steps=10, heldout=100, samples=2, exemplars=64,
               policy_cap=64)
# Full mode trains each seed exactly as quick mode does (its seed 0 is the quick run) and measures on more
# questions (900 samples a seed: a standard error near 0.012 on an accuracy near 0.15).
FULL = replace(QUICK, heldout=300, samples=3)


def with_sentence(completion: str, sentence: str) -> str:
    """``completion`` (``<think>..</think>\\n\\boxed{N}``) with ``sentence`` written before its box."""
    head, sep, tail = completion.rpartition("\\boxed{")
    if not sep:
        raise ValueError(f"completion has no \\boxed{{}} answer to explain: {completion!r}")
    return f"{head}{sentence}{sep}{tail}"


def warmup_rows(rows: Sequence[dict], share: float, seed: int) -> list[dict]:
    """Rows whose completions carry an ornate sentence with probability ``share``, else a plain one."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        pool = ORNATE_TEMPLATES if rng.random() < share else PLAIN_TEMPLATES
        out.append({**r, "completion": with_sentence(r["completion"], rng.choice(pool))})
    return out


def answer_part(completion: str) -> str:
    """The text outside ``<think>``: what the style reward and the style measures read."""
    return split_think(completion).answer


def style_of(texts: Sequence[str]) -> dict:
    """Mean ornateness and overwrought of ``texts`` (score_style of each answer part)."""
    from wenforge.style import score_style

    scores = [score_style(answer_part(t)) for t in texts]
    n = max(1, len(scores))
    return {"ornateness": sum(s.ornateness for s in scores) / n,
            "overwrought": sum(s.overwrought for s in scores) / n}


def template_gap() -> dict:
    """Ornateness and overwrought of the two template sets, each as an answer part (sentence + box)."""
    plain = style_of([f"{t}\\boxed{{12}}" for t in PLAIN_TEMPLATES])
    ornate = style_of([f"{t}\\boxed{{12}}" for t in ORNATE_TEMPLATES])
    return {"plain": _rounded(plain), "ornate": _rounded(ornate),
            "ornateness_gap": round(ornate["ornateness"] - plain["ornateness"], 3),
            "n_plain": len(PLAIN_TEMPLATES), "n_ornate": len(ORNATE_TEMPLATES)}


def arm_weights(arm: str) -> dict[str, float]:
    """Reward weights of an arm, by registry name."""
    style = {"outcome_only": {}, "with_style": {"style": STYLE_WEIGHT},
             "adversarial": {"adversarial": ADVERSARIAL_WEIGHT}}[arm]
    return {"outcome": 1.0, **style, "repetition": REPETITION_WEIGHT}


def style_arm_reward() -> Composite:
    """Arm (b)'s reward as one registry composite (the same weights and options GRPO gets)."""
    return composite(arm_weights("with_style"), options={"style": STYLE_OPTIONS})


class LiveDiscriminator:
    """What the registry's ``adversarial`` reward calls: the current discriminator of an
    ``AdversarialStyleReward`` (replaced at every ``update``), keeping the completions it scored so the next
    round trains on the policy's own samples. The recipe must hold this very object, so copies are itself."""

    def __init__(self, reward: AdversarialStyleReward):
        self.reward = reward
        self.seen: list[str] = []

    def prob_human(self, texts: Sequence[str]) -> list[float]:
        self.seen.extend(texts)
        return self.reward.batch(texts)

    def retrain(self, cap: int, step: int) -> dict:
        """A new round on (at most ``cap`` of) the completions scored since the last one."""
        rec = {**self.reward.update(self.seen[-cap:]), "step": step}
        self.seen = []
        return rec

    def __deepcopy__(self, memo: dict) -> LiveDiscriminator:
        return self


def _rounds_callback(live: LiveDiscriminator, every: int, cap: int, log: list[dict]):
    """A trainer callback retraining ``live`` every ``every`` optimizer steps (not after the last one)."""
    from transformers import TrainerCallback

    class Rounds(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step % every == 0 and state.global_step < state.max_steps:
                log.append(live.retrain(cap, state.global_step))

    return Rounds()


def measure(model_dir: Path, prompts: list, rows: Sequence[dict], budget: Budget, seed: int) -> dict:
    """Ornateness, overwrought and accuracy of fixed-seed samples (primary) and of greedy answers."""
    from wenforge.lm.generate import generate, load_model
    from wenforge.rewards.outcome import outcome_detail

    lm = load_model(model_dir)
    out: dict[str, Any] = {}
    for name, k, temp in (("sampled", budget.samples, TEMPERATURE), ("greedy", 1, 0.0)):
        comps = generate(lm, [p for p in prompts for _ in range(k)], max_new_tokens=budget.max_new_tokens,
                         batch_size=64, temperature=temp, seed=seed)
        golds = [str(r["answer"]) for r in rows for _ in range(k)]
        correct = [outcome_detail(c, g)["reward"] == 1.0 for c, g in zip(comps, golds, strict=True)]
        ornate = [any(clause in answer_part(c) for clause in ORNATE_CLAUSES) for c in comps]
        acc = sum(correct) / len(comps)
        out[name] = {**_rounded(style_of(comps)), "accuracy": round(acc, 4),
                     "accuracy_se": round(math.sqrt(acc * (1 - acc) / len(comps)), 4),
                     "ornate_clause_share": round(sum(ornate) / len(comps), 4), "n": len(comps),
                     "examples": comps[:3]}
    return out


def accuracy_from_log(mean: float, std: float, n: int) -> float:
    """Share of ``n`` completions scoring +1, from the outcome reward's logged mean and (unbiased) std: its
    values are +1, -0.5 and -1, so E[x^2] = 1 - 0.75 wrong and E[x] = 2 correct + 0.5 wrong - 1."""
    second = std * std * (n - 1) / n + mean * mean
    wrong = (1.0 - second) / 0.75
    return (mean + 1.0 - 0.5 * wrong) / 2.0


def step_curve(run_dir: Path, batch: int) -> list[dict]:
    """Per GRPO step of ``batch`` completions: mean reward, accuracy, the ornate style score over all of them
    (and the adversarial reward's mean where it ran), and ornateness/overwrought of the step's recorded
    samples."""
    from wenforge.train.metrics import read_metrics

    samples: dict[int, list[str]] = {}
    path = run_dir / "samples.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            samples.setdefault(int(rec["step"] or 0), []).append(rec["text"])
    out = []
    for r in read_metrics(run_dir / "metrics.jsonl"):
        if "rewards/outcome/mean" not in r:
            continue
        acc = accuracy_from_log(r["rewards/outcome/mean"], r["rewards/outcome/std"], batch)
        point = {"step": r["step"], "reward": round(r.get("reward", r["rewards/outcome/mean"]), 4),
                 "accuracy": round(acc, 4), "style": round(r.get("rewards/style/mean", 0.0), 4)}
        if "rewards/adversarial/mean" in r:
            point["adversarial"] = round(r["rewards/adversarial/mean"], 4)
        texts = samples.get(r["step"] - 1, [])  # the trainer records samples before the step counter moves
        if texts:
            point.update(_rounded(style_of(texts)))
        out.append(point)
    return out


def _rounded(d: dict) -> dict:
    return {k: round(v, 4) for k, v in d.items()}


def _write(path: Path, rows: Sequence[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _common(seed: int) -> dict:
    return {"seed": seed, "save_strategy": "no", "disable_tqdm": True, "resume": False, "use_cpu": True,
            "bf16": False}


def length_cap(model_dir: Path, warm: Sequence[dict]) -> int:
    """Tokens allowed per completion: the longest warm-up completion, its end token and LENGTH_MARGIN."""
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    ids = tok([r["completion"] for r in warm], add_special_tokens=False)["input_ids"]
    longest = max(len(x) for x in ids)
    return longest + 1 + LENGTH_MARGIN


def warm_base(d: Path, seed: int, budget: Budget) -> tuple[Path, list[dict], list[dict]]:
    """Build the tiny model on the task's text and SFT it on the mixed plain/ornate completions: (final model
    folder, the task rows, the warm-up rows)."""
    from wenforge.forge.tasks import arithmetic_rows
    from wenforge.lm.tiny import TinySpec, build_tiny_model
    from wenforge.train.config import recipe_from
    from wenforge.train.run import run_sft

    rows = arithmetic_rows(8000, seed=seed, max_value=MAX_VALUE)
    warm = warmup_rows(rows, ORNATE_SHARE, seed)
    texts = [r["question"] + r["completion"] for r in warm]
    spec = TinySpec(hidden_size=budget.hidden, num_layers=budget.layers, num_heads=4, num_kv_heads=2,
                    intermediate_size=budget.hidden * 4, vocab_size=VOCAB_SIZE, seed=seed)
    build_tiny_model(d / "tiny", texts, spec)
    keys = {**_common(seed), **SFT_KEYS, "model": str(d / "tiny"),
            "train_file": str(_write(d / "warm.jsonl", warm)), "output_dir": str(d / "sft"),
            "max_steps": budget.sft_steps}
    return run_sft(recipe_from(keys, "sft", source=str(d / "sft")), rows=warm).final_dir, rows, warm


def chat_prompts(d: Path, base: Path, questions: Sequence[str]) -> list:
    """The prompts GRPO gives these questions (the recipe's template, rendered by ``wenforge.train.data``)."""
    from wenforge.train.config import recipe_from
    from wenforge.train.data import grpo_prompt

    keys = {"prompt_template": PROMPT_TEMPLATE, "model": str(base), "train_file": str(d / "warm.jsonl"),
            "output_dir": str(d / "prompts"), "use_cpu": True, "bf16": False}
    cfg = recipe_from(keys, "grpo", source=str(d))
    return [grpo_prompt(cfg, q) for q in questions]


def run_arm(arm: str, d: Path, base: Path, rows: list[dict], budget: Budget, seed: int) -> tuple[Path, dict]:
    """GRPO from ``base`` with the arm's rewards; the adversarial arm retrains its discriminator in rounds."""
    from wenforge.forge.tasks import arithmetic_rows
    from wenforge.lm.generate import generate
    from wenforge.train.config import recipe_from
    from wenforge.train.run import run_grpo

    weights = arm_weights(arm)
    options: dict[str, dict] = {"style": dict(STYLE_OPTIONS)}
    keys = {**_common(seed), **GRPO_KEYS, "model": str(base), "train_file": str(d / "warm.jsonl"),
            "output_dir": str(d / arm), "max_steps": budget.grpo_steps,
            "per_device_train_batch_size": budget.batch, "max_completion_length": budget.max_new_tokens,
            "rewards": weights, "track": ["format"] + ([] if "style" in weights else ["style"])}
    extra: dict[str, Any] = {}
    callbacks = []
    if arm == "adversarial":
        questions = arithmetic_rows(budget.exemplars, seed=20_000 + seed, max_value=MAX_VALUE)
        human = [answer_part(r["completion"]) for r in warmup_rows(questions, 1.0, seed)]
        live = LiveDiscriminator(AdversarialStyleReward(human=human, seed=seed,
                                                        log_path=d / arm / "discriminator.jsonl"))
        prompts = chat_prompts(d, base, [r["question"] for r in rows[: budget.policy_cap]])
        first = generate(base, prompts, max_new_tokens=budget.max_new_tokens, batch_size=64,
                         temperature=TEMPERATURE, seed=seed)
        rounds = [{**live.reward.update(first), "step": 0}]
        options["adversarial"] = {"discriminator": live}
        callbacks.append(_rounds_callback(live, budget.round_steps, budget.policy_cap, rounds))
        extra["rounds"] = rounds
    cfg = recipe_from({**keys, "reward_options": options}, "grpo", source=str(d / arm))
    res = run_grpo(cfg, rows=rows, callbacks=callbacks)
    return res.final_dir, extra


def run_seed(seed: int, out: Path, budget: Budget) -> dict:
    """One seed under OUT/seed<N> (written afresh: the trainers append to their logs): warm the base, measure
    it, run the three arms from it and measure each."""
    import torch

    from wenforge.forge.tasks import arithmetic_rows

    torch.set_num_threads(THREADS)
    d = out / f"seed{seed}"
    shutil.rmtree(d, ignore_errors=True)
    t0 = time.perf_counter()
    base, rows, warm = warm_base(d, seed, budget)
    budget = replace(budget, max_new_tokens=length_cap(base, warm))
    sft_seconds = time.perf_counter() - t0
    held = arithmetic_rows(budget.heldout, seed=10_000 + seed, split="test", max_value=MAX_VALUE)
    prompts = chat_prompts(d, base, [r["question"] for r in held])
    start = measure(base, prompts, held, budget, seed)
    arms = {}
    for arm in ARMS:
        t = time.perf_counter()
        final, extra = run_arm(arm, d, base, rows, budget, seed)
        train_seconds = time.perf_counter() - t
        arms[arm] = {"start": start, "end": measure(final, prompts, held, budget, seed),
                     "curve": step_curve(d / arm, budget.batch), "train_seconds": round(train_seconds, 1),
                     "seconds": round(time.perf_counter() - t, 1), **extra}
        print(json.dumps({"seed": seed, "arm": arm, "start": _headline(start),
                          "end": _headline(arms[arm]["end"]), "seconds": arms[arm]["seconds"]}), flush=True)
    return {"seed": seed, "sft_seconds": round(sft_seconds, 1), "max_new_tokens": budget.max_new_tokens,
            "arms": arms}


def _headline(m: dict) -> dict:
    return {k: m["sampled"][k] for k in ("ornateness", "overwrought", "accuracy", "ornate_clause_share")}


def _mean(xs: Sequence[float]) -> float:
    return round(statistics.fmean(xs), 4)


def summarise(per_seed: list[dict], arm: str) -> dict:
    """R of one arm: start/end means over seeds of the sampled (primary) and greedy measures, the mean curve,
    and the per-seed values."""
    runs = [s["arms"][arm] for s in per_seed]
    out: dict[str, Any] = {}
    for key in ("ornateness", "overwrought", "accuracy", "ornate_clause_share"):
        out[key] = {w: _mean([r[w]["sampled"][key] for r in runs]) for w in ("start", "end")}
    out["greedy"] = {key: {w: _mean([r[w]["greedy"][key] for r in runs]) for w in ("start", "end")}
                     for key in ("ornateness", "overwrought", "accuracy")}
    n_steps = min(len(r["curve"]) for r in runs)
    out["curve"] = [
        {k: _mean([r["curve"][i][k] for r in runs if k in r["curve"][i]])
         for k in runs[0]["curve"][i] if any(k in r["curve"][i] for r in runs)}
        for i in range(n_steps)
    ]
    out["seconds"] = _mean([r["seconds"] for r in runs])
    out["per_seed"] = [
        {"seed": s["seed"], **{k: {w: s["arms"][arm][w]["sampled"][k] for w in ("start", "end")}
                              for k in ("ornateness", "overwrought", "accuracy", "ornate_clause_share")},
         "greedy": {w: s["arms"][arm][w]["greedy"] for w in ("start", "end")},
         "seconds": s["arms"][arm]["seconds"], "train_seconds": s["arms"][arm]["train_seconds"],
         **({"rounds": s["arms"][arm]["rounds"]} if "rounds" in s["arms"][arm] else {})}
        for s in per_seed
    ]
    return out


def goals(result: dict, per_seed: list[dict]) -> dict:
    """Issue 15's targets for the style arm, on the means over seeds (every arm starts from the same base),
    with the standard error of the accuracy gap (binomial, independent samples of the two end models)."""
    s, o = result["with_style"], result["outcome_only"]
    gain = s["ornateness"]["end"] - s["ornateness"]["start"]
    acc_gap = s["accuracy"]["end"] - o["accuracy"]["end"]
    ow = s["overwrought"]["end"] - s["overwrought"]["start"]
    ses = [x["arms"][a]["end"]["sampled"]["accuracy_se"] for x in per_seed
           for a in ("with_style", "outcome_only")]
    return {"ornateness_gain": round(gain, 4), "ornateness_gain_ge_0.20": gain >= 0.20,
            "accuracy_minus_outcome_only": round(acc_gap, 4),
            "accuracy_gap_se": round(math.sqrt(sum(x * x for x in ses)) / len(per_seed), 4),
            "accuracy_within_0.02": abs(acc_gap) <= 0.02,
            "overwrought_rise": round(ow, 4), "overwrought_rise_le_0.05": ow <= 0.05}


def style_reward_runs(out: Path, *, seeds: Sequence[int] = (0,), quick: bool = False) -> dict:
    """The three arms on every seed under ``out``: {arm: R} plus ``setup`` and ``goals``."""
    budget = QUICK if quick else FULL
    out = Path(out)
    t0 = time.perf_counter()
    per_seed = [run_seed(s, out, budget) for s in seeds]
    result: dict[str, Any] = {arm: summarise(per_seed, arm) for arm in ARMS}
    result["goals"] = goals(result, per_seed)
    result["setup"] = {"budget": {k: v for k, v in asdict(budget).items() if k != "max_new_tokens"},
                       "templates": template_gap(), "ornate_share": ORNATE_SHARE,
                       "weights": {arm: arm_weights(arm) for arm in ARMS},
                       "temperature": TEMPERATURE, "seeds": list(seeds),
                       "sft_seconds": [s["sft_seconds"] for s in per_seed],
                       "max_new_tokens": [s["max_new_tokens"] for s in per_seed],
                       "seconds": round(time.perf_counter() - t0, 1)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "style_reward.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seeds", type=int, nargs="+", default=None, help="default: 0 (quick) or 0 1 2")
    ap.add_argument("--out", type=Path, default=Path("runs/style_reward"))
    a = ap.parse_args()
    seeds = a.seeds if a.seeds is not None else ([0] if a.quick else [0, 1, 2])
    result = style_reward_runs(a.out, seeds=seeds, quick=a.quick)
    print(json.dumps({k: result[k] for k in ("goals", "setup")}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
