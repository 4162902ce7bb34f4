"""Outcome rewards per second on one core, on plain numeric answers, with math-verify alone as the baseline.

Inputs: the gold answers of GSM8K and CMATH rows with split == "test" (plain numbers), each paired with a
boxed completion (CoT text + answer) that is correct half the time. Three timings on the same inputs:
  - wenforge cold: outcome_reward with the fast-path cache cleared (every pair is new),
  - wenforge warm: a second pass (gold answers repeat across a GRPO group, so this is the training case),
  - baseline: math_verify.parse + verify of the same extracted answer against the gold.
Run: python bench/rewards_bench.py [--n 20000] [--baseline-n 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

from wenforge.core.paths import data_folder
from wenforge.rewards import outcome_reward
from wenforge.rewards.outcome import _parse_gold, fast_number


def _inputs(n: int, seed: int = 0) -> list[tuple[str, str]]:
    golds = []
    for name, key in (("gsm8k_test.jsonl", "final_answer"), ("cmath_test.jsonl", "answer")):
        for line in (data_folder() / "math" / name).open(encoding="utf-8"):
            r = json.loads(line)
            if r["split"] == "test" and fast_number(str(r[key])) is not None:
                golds.append(str(r[key]))
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        g = rng.choice(golds)
        pred = g if rng.random() < 0.5 else str(fast_number(g).value + rng.randint(1, 9))
        out.append((f"<think>Let me compute step by step. 3 + 4 = 7, then check.</think>\nSo \\boxed{{{pred}}}.", g))
    return out


def _rate(fn, items, repeats=3) -> float:
    rates = []
    for _ in range(repeats):
        t = time.perf_counter()
        for c, g in items:
            fn(c, g)
        rates.append(len(items) / (time.perf_counter() - t))
    return statistics.median(rates)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--baseline-n", type=int, default=2000)
    a = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    items = _inputs(a.n)

    def cold(c, g):
        return outcome_reward(c, g)

    cold_rates = []
    for _ in range(3):
        fast_number.cache_clear()
        _parse_gold.cache_clear()
        cold_rates.append(_rate(cold, items, repeats=1))
    warm = _rate(cold, items)

    from math_verify import parse, verify

    def baseline(c, g):
        return verify(parse(g), parse(c))

    base = _rate(baseline, items[: a.baseline_n])
    # agreement of the two on the same inputs
    sub = items[: a.baseline_n]
    agree = sum((outcome_reward(c, g) == 1.0) == bool(verify(parse(g), parse(c))) for c, g in sub) / len(sub)
    cold_med = statistics.median(cold_rates)
    print(json.dumps({
        "inputs": len(items),
        "wenforge_cold_per_s": round(cold_med),
        "wenforge_warm_per_s": round(warm),
        "math_verify_per_s": round(base),
        "speedup_cold": round(cold_med / base, 1),
        "agreement_with_math_verify": round(agree, 4),
        "target_per_s": 20000,
        "meets_target": cold_med >= 20000,
    }, indent=2))


if __name__ == "__main__":
    main()
