"""Show that it learns: SFT warm-up then GRPO with the outcome reward on CMATH-style arithmetic word problems,
on a tiny model built here (no downloads). Per seed: mean outcome reward of the first and last 10% of GRPO
steps; the issue's target is last - first >= 0.5 on each of 3 seeds. Also runs R1-Zero (`zero: true`) from the
pretrained-only model (no SFT) and reports what happens.

Run: python bench/learn_bench.py --seeds 0 1 2 --out runs/learn_bench   (CPU; --device cuda via gpu_check.sh)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import yaml


def _write(path: Path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _recipe(path: Path, keys: dict) -> Path:
    path.write_text(yaml.safe_dump(keys, allow_unicode=True), encoding="utf-8")
    return path


def _outcome_curve(run_dir: Path) -> list[float]:
    from wenforge.train.metrics import read_metrics

    return [
        r["rewards/outcome/mean"]
        for r in read_metrics(run_dir / "metrics.jsonl")
        if "rewards/outcome/mean" in r
    ]


def _gain(curve: list[float]) -> dict:
    k = max(1, len(curve) // 10)
    first, last = sum(curve[:k]) / k, sum(curve[-k:]) / k
    return {
        "first10": round(first, 3),
        "last10": round(last, 3),
        "gain": round(last - first, 3),
        "steps": len(curve),
    }


def run_seed(seed: int, out: Path, a) -> dict:
    from wenforge.forge.tasks import arithmetic_rows
    from wenforge.train.config import CHAT_INSTRUCTION, R1_ZERO_TEMPLATE, load_recipe
    from wenforge.train.run import run_grpo, run_sft
    from wenforge.train.tiny import TinySpec, build_tiny_model

    d = out / f"seed{seed}"
    rows = arithmetic_rows(4000, seed=seed, max_value=a.max_value)
    _write(d / "train.jsonl", rows)
    corpus = [r["question"] + r["completion"] for r in rows] + [CHAT_INSTRUCTION, R1_ZERO_TEMPLATE] * 20
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
    common = {"train_file": str(d / "train.jsonl"), "seed": seed, "logging_steps": 1, "save_steps": 50}
    if a.device == "cpu":
        common["use_cpu"] = True
    t0 = time.perf_counter()
    sft = load_recipe(
        _recipe(
            d / "sft.yaml",
            {
                **common,
                "model": str(d / "base"),
                "output_dir": "sft",
                "max_steps": a.sft_steps,
                "per_device_train_batch_size": 32,
                "learning_rate": 3e-3,
                "max_length": 192,
                "lr_scheduler_type": "cosine",
            },
        ),
        "sft",
    )
    sres = run_sft(sft)
    t_sft = time.perf_counter() - t0
    grpo_keys = {
        **common,
        "output_dir": "grpo",
        "max_steps": a.grpo_steps,
        "per_device_train_batch_size": 16,
        "num_generations": 8,
        "max_completion_length": 24,
        "learning_rate": 1e-4,
        "beta": 0.0,
        "rewards": {"outcome": 1.0},
        "temperature": 1.0,
    }
    t1 = time.perf_counter()
    gres = run_grpo(
        load_recipe(_recipe(d / "grpo.yaml", {**grpo_keys, "model": str(sres.final_dir)}), "grpo")
    )
    t_grpo = time.perf_counter() - t1
    result = {
        "seed": seed,
        "sft_seconds": round(t_sft, 1),
        "grpo_seconds": round(t_grpo, 1),
        "grpo": _gain(_outcome_curve(gres.run_dir)),
    }
    if a.zero:
        zres = run_grpo(
            load_recipe(
                _recipe(
                    d / "zero.yaml",
                    {**grpo_keys, "output_dir": "zero", "zero": True, "model": str(d / "base")},
                ),
                "grpo",
            )
        )
        result["zero"] = _gain(_outcome_curve(zres.run_dir))
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--out", type=Path, default=Path("runs/learn_bench"))
    ap.add_argument("--sft-steps", type=int, default=300)
    ap.add_argument("--grpo-steps", type=int, default=60)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--max-value", type=int, default=9)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--no-zero", dest="zero", action="store_false")
    a = ap.parse_args()
    results = [run_seed(s, a.out, a) for s in a.seeds]
    summary = {"results": results, "all_seeds_gain_ge_0.5": all(r["grpo"]["gain"] >= 0.5 for r in results)}
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "summary.json").write_text(json.dumps(summary, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
