"""Show that it learns: SFT warm-up then GRPO with the outcome reward on CMATH-style arithmetic word problems (one-
and two-digit numbers, answers in ``\\boxed{}``), on a tiny model built here (no downloads). Per seed: mean outcome
reward of the first and last 10% of GRPO steps (target: last - first >= 0.5 on each of 3 seeds), split into
format rate (a boxed answer given) and accuracy, plus greedy held-out accuracy before and after GRPO. Also runs
R1-Zero (``zero: true``) from the pretrained-only (random-init) model and reports what happens.

The warm-up data mixes the two answer conventions of Chinese math data: a share ``--answer-line-share`` of the
worked solutions end in CMATH's own ``答案：N`` line, the rest in ``\\boxed{N}``. The task asks for ``\\boxed{}``,
so after SFT the model uses the required format only part of the time; GRPO with the outcome reward has to find
out which convention pays. ``--answer-line-share 0`` gives an all-boxed warm-up (then GRPO can only sharpen the
arithmetic; see BENCHMARKS.md for what that does in this budget).

Run: python bench/learn_bench.py --seeds 0 1 2 --out runs/learn_bench   (CPU; --device cuda via gpu_check.sh)
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import yaml

# next-token training on text (the SFT warm-up and the R1-Zero pretraining share it)
LM_TRAINING = {"per_device_train_batch_size": 64, "learning_rate": 3e-3, "warmup_steps": 20, "max_length": 128,
               "lr_scheduler_type": "cosine", "logging_steps": 10}


def _write(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _recipe(path: Path, keys: dict) -> Path:
    path.write_text(yaml.safe_dump(keys, allow_unicode=True), encoding="utf-8")
    return path


def _records(run_dir: Path) -> list[dict]:
    from wenforge.train.metrics import read_metrics

    return [r for r in read_metrics(run_dir / "metrics.jsonl") if "rewards/outcome/mean" in r]


def _window(recs: list[dict], key: str, k: int, last: bool) -> float:
    xs = [r[key] for r in (recs[-k:] if last else recs[:k]) if key in r]
    return sum(xs) / max(1, len(xs))


def gain(recs: list[dict]) -> dict:
    """First/last 10% of steps: mean outcome, format rate, and accuracy (share of completions scoring +1,
    recovered from the outcome mean and the answered share: mean = acc - 0.5 (answered - acc) - (1 - answered))."""
    k = max(1, len(recs) // 10)
    out: dict = {"steps": len(recs), "window": k}
    for name, last in (("first10", False), ("last10", True)):
        m = _window(recs, "rewards/outcome/mean", k, last)
        f = _window(recs, "rewards/format/mean", k, last)
        out[name] = {
            "outcome": round(m, 3),
            "format": round(f, 3),
            "accuracy": round((m + 1 - 0.5 * f) / 1.5, 3),
        }
    out["gain"] = round(out["last10"]["outcome"] - out["first10"]["outcome"], 3)
    return out


def heldout_accuracy(model_dir: Path, cfg, rows: list[dict], max_new_tokens: int) -> dict:
    """Greedy answers to held-out rows: accuracy, format rate and mean outcome reward."""
    from wenforge.lm.generate import generate
    from wenforge.rewards import format_reward
    from wenforge.rewards.outcome import outcome_detail
    from wenforge.train.data import grpo_prompt

    comps = generate(str(model_dir), [grpo_prompt(cfg, r["question"]) for r in rows],
                     max_new_tokens=max_new_tokens, batch_size=64)
    rewards = [outcome_detail(c, str(r["answer"]))["reward"] for r, c in zip(rows, comps, strict=True)]
    n = len(rows) or 1
    return {"accuracy": round(sum(x == 1.0 for x in rewards) / n, 3),
            "format_rate": round(sum(format_reward(c) for c in comps) / n, 3),
            "mean_outcome": round(sum(rewards) / n, 3)}


def warmup_rows(rows: list[dict], share: float, seed: int) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for r in rows:
        r = dict(r)
        if rng.random() < share:
            r["completion"] = r["completion"].replace(f"\\boxed{{{r['answer']}}}", f"答案：{r['answer']}")
        out.append(r)
    return out


def run_seed(seed: int, out: Path, a) -> dict:
    import torch

    from wenforge.forge.tasks import arithmetic_rows
    from wenforge.lm.tiny import TinySpec, build_tiny_model
    from wenforge.train.config import CHAT_INSTRUCTION, R1_ZERO_TEMPLATE, load_recipe
    from wenforge.train.run import run_grpo, run_sft

    torch.set_num_threads(a.threads)
    d = out / f"seed{seed}"
    rows = arithmetic_rows(8000, seed=seed, max_value=a.max_value)
    _write(d / "train.jsonl", rows)
    _write(d / "warmup.jsonl", warmup_rows(rows, a.answer_line_share, seed))
    held = arithmetic_rows(a.heldout, seed=10_000 + seed, max_value=a.max_value, split="test")
    corpus = [r["question"] + r["completion"] for r in rows] + [
        CHAT_INSTRUCTION,
        R1_ZERO_TEMPLATE,
        "答案：",
    ] * 20
    spec = TinySpec(
        hidden_size=a.hidden,
        num_layers=a.layers,
        num_heads=4,
        num_kv_heads=2,
        intermediate_size=a.hidden * 4,
        vocab_size=1024,
        seed=seed,
    )
    if not (d / "base" / "config.json").exists():
        build_tiny_model(d / "base", corpus, spec)
    common = {"seed": seed, "logging_steps": 1, "save_strategy": "no", "disable_tqdm": True, "resume": False}
    if a.device == "cpu":
        common["use_cpu"] = True
    t0 = time.perf_counter()
    sft = load_recipe(
        _recipe(
            d / "sft.yaml",
            {
                **common,
                "model": str(d / "base"),
                "train_file": str(d / "warmup.jsonl"),
                "output_dir": "sft",
                "max_steps": a.sft_steps,
                **LM_TRAINING,
            },
        ),
        "sft",
    )
    sres = run_sft(sft)
    t_sft = time.perf_counter() - t0
    grpo_keys = {
        **common,
        "train_file": str(d / "train.jsonl"),
        "output_dir": "grpo",
        "max_steps": a.grpo_steps,
        "per_device_train_batch_size": a.batch,
        "num_generations": a.generations,
        "max_completion_length": 20,
        "optim": a.optim,
        "learning_rate": a.grpo_lr,
        "lr_scheduler_type": "constant",
        "beta": 0.0,
        "temperature": a.temperature,
        "rewards": {"outcome": 1.0},
    }
    gcfg = load_recipe(_recipe(d / "grpo.yaml", {**grpo_keys, "model": str(sres.final_dir)}), "grpo")
    before = heldout_accuracy(sres.final_dir, gcfg, held, 20)
    t1 = time.perf_counter()
    gres = run_grpo(gcfg)
    t_grpo = time.perf_counter() - t1
    after = heldout_accuracy(gres.final_dir, gcfg, held, 20)
    recs = _records(gres.run_dir)
    result = {
        "seed": seed,
        "sft_seconds": round(t_sft, 1),
        "grpo_seconds": round(t_grpo, 1),
        "grpo": gain(recs),
        "heldout_greedy": {"after_sft": before, "after_grpo": after},
        "curve": [round(r["rewards/outcome/mean"], 4) for r in recs],
    }
    if a.zero and seed == a.seeds[0]:
        result.update(run_zero(d, a, grpo_keys, common, rows))
    print(json.dumps({k: v for k, v in result.items() if "curve" not in k}, ensure_ascii=False), flush=True)
    return result


def run_zero(d: Path, a, grpo_keys: dict, common: dict, rows: list[dict]) -> dict:
    """R1-Zero (``zero: true``: plain-text R1 template, no chat template, no SFT) from (1) the random-init base
    and (2) with ``--zero-pretrain-steps``, the base after plain language-model pretraining on the task's text
    (question followed by its worked solution, as documents; no instruction, no template): the closest thing to a
    pretrained-only base model at this size."""
    from wenforge.train.config import load_recipe
    from wenforge.train.run import run_grpo, run_sft

    starts = {"random_init": d / "base"}
    if a.zero_pretrain_steps:
        _write(d / "pretrain.jsonl", [{"text": r["question"] + r["completion"]} for r in rows])
        keys = {
            **common,
            "model": str(d / "base"),
            "train_file": str(d / "pretrain.jsonl"),
            "output_dir": "pretrain",
            "max_steps": a.zero_pretrain_steps,
            **LM_TRAINING,
        }
        t = time.perf_counter()
        starts["pretrained"] = run_sft(load_recipe(_recipe(d / "pretrain.yaml", keys), "sft")).final_dir
        pretrain_seconds = round(time.perf_counter() - t, 1)
    out: dict = {"zero": {}, "zero_curves": {}}
    for name, model in starts.items():
        zkeys = {**grpo_keys, "output_dir": f"zero_{name}", "zero": True, "model": str(model)}
        zkeys["max_steps"] = a.zero_steps
        t = time.perf_counter()
        zres = run_grpo(load_recipe(_recipe(d / f"zero_{name}.yaml", zkeys), "grpo"))
        zrecs = _records(zres.run_dir)
        out["zero"][name] = {**gain(zrecs), "seconds": round(time.perf_counter() - t, 1)}
        if name == "pretrained":
            out["zero"][name]["pretrain_seconds"] = pretrain_seconds
        out["zero_curves"][name] = [round(r["rewards/outcome/mean"], 4) for r in zrecs]
        samples = zres.run_dir / "samples.jsonl"
        if samples.exists():
            out["zero"][name]["last_samples"] = [
                json.loads(x)["text"] for x in samples.read_text().splitlines()[-2:]
            ]
    return out


def plot(results: list[dict], path: Path, smooth: int) -> Path:
    """Per-seed outcome curves (moving average over ``smooth`` steps) as a standalone SVG via the report Page."""
    from wenforge.report.page import Page

    def ma(xs: list[float]) -> list[float]:
        return [
            sum(xs[max(0, i - smooth + 1) : i + 1]) / len(xs[max(0, i - smooth + 1) : i + 1])
            for i in range(len(xs))
        ]

    series = {f"seed {r['seed']} (gain {r['grpo']['gain']:+.2f})": ma(r["curve"]) for r in results}
    for r in results:
        for name, curve in r.get("zero_curves", {}).items():
            series[f"R1-Zero from {name.replace('_', '-')}, seed {r['seed']}"] = ma(curve)
    page = Page("learn_bench")
    page.line_chart(
        f"GRPO mean outcome reward per step ({smooth}-step moving average)",
        series,
        x=list(range(1, max(len(s) for s in series.values()) + 1)),
        y_range=(-1, 1),
        width=720,
        height=300,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page.parts[-1] + "\n", encoding="utf-8")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--out", type=Path, default=Path("runs/learn_bench"))
    ap.add_argument("--sft-steps", type=int, default=250)
    ap.add_argument("--grpo-steps", type=int, default=150)
    ap.add_argument("--zero-steps", type=int, default=60)
    ap.add_argument("--zero-pretrain-steps", type=int, default=150, help="0: R1-Zero from random init only")
    ap.add_argument("--batch", type=int, default=64, help="completions per GRPO step")
    ap.add_argument("--generations", type=int, default=8)
    ap.add_argument("--optim", default="sgd")
    ap.add_argument("--grpo-lr", type=float, default=0.02)
    ap.add_argument("--temperature", type=float, default=0.7)
    ap.add_argument("--answer-line-share", type=float, default=0.9)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--max-value", type=int, default=20)
    ap.add_argument("--heldout", type=int, default=120)
    ap.add_argument(
        "--threads", type=int, default=1, help="torch threads (1 is fastest on a loaded 2-core box)"
    )
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--plot", type=Path, default=None, help="SVG of the curves (default OUT/learn_curve.svg)")
    ap.add_argument("--no-zero", dest="zero", action="store_false")
    a = ap.parse_args()
    results = [run_seed(s, a.out, a) for s in a.seeds]
    summary = {
        "args": {k: str(v) for k, v in vars(a).items()},
        "results": results,
        "all_seeds_gain_ge_0.5": all(r["grpo"]["gain"] >= 0.5 for r in results),
    }
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8")
    plot(results, a.plot or a.out / "learn_curve.svg", smooth=max(1, a.grpo_steps // 15))
    print(json.dumps({k: v for k, v in summary.items() if k != "results"}, ensure_ascii=False))


if __name__ == "__main__":
    main()
