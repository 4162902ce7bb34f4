"""Overhead of a wenforge GRPO step against the same step in a bare TRL script (target: within 5%).

Same tiny model, same rows, same prompt, same GRPOConfig keys and seed, same reward rule
(``wenforge.rewards.outcome_reward``). The wenforge side is ``wenforge.train.run.run_grpo`` from a recipe, with
everything it does by default: the outcome reward through the TRL adapter plus the zero-weight tracked signals
(format rate, reflection rate), the sample recorder, the metrics logger. The bare side is
``bench/grpo_bare_trl.py``. Each run is a fresh process; runs alternate (bare, wenforge, wenforge, bare, ...) so
that load on the shared machine hits both alike. Per step: wall seconds and process-CPU seconds, first
``--skip`` steps of every run dropped; medians over all kept steps, plus the median of per-pair ratios. Both
sides sample the same completions (same seed, same RNG use), checked via the per-step mean completion length.

Run: python bench/grpo_overhead_bench.py --repeats 4 --steps 20 --out runs/grpo_overhead
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

HERE = Path(__file__).resolve().parent


def grpo_keys(a) -> dict:
    return {
        "max_steps": a.steps,
        "per_device_train_batch_size": a.batch,
        "num_generations": a.generations,
        "max_completion_length": a.max_completion,
        "learning_rate": 1e-4,
        "beta": 0.0,
        "temperature": 1.0,
        "logging_steps": 1,
        "save_strategy": "no",
        "use_cpu": True,
        "bf16": False,
        "report_to": [],
        "disable_tqdm": True,
        "seed": 0,
    }


def prepare(a) -> tuple[Path, Path]:
    from wenforge.forge.tasks import arithmetic_rows
    from wenforge.lm.tiny import TinySpec, build_tiny_model
    from wenforge.train.config import CHAT_INSTRUCTION

    a.out.mkdir(parents=True, exist_ok=True)
    data = a.out / "train.jsonl"
    rows = arithmetic_rows(2000, seed=0)
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    if a.model:
        return Path(a.model), data
    model = a.out / "tiny"
    if not (model / "config.json").exists():
        corpus = [r["question"] + r["completion"] for r in rows] + [CHAT_INSTRUCTION] * 20
        spec = TinySpec(hidden_size=128, num_layers=2, intermediate_size=512, vocab_size=1024)
        build_tiny_model(model, corpus, spec)
    return model, data


def child_wenforge(model: str, data: str, out: str, config_json: str) -> dict:
    import torch
    import yaml

    sys.path.insert(0, str(HERE))
    from grpo_bare_trl import StepTimer

    from wenforge.train.config import load_recipe
    from wenforge.train.run import run_grpo

    keys = json.loads(Path(config_json).read_text(encoding="utf-8"))
    torch.set_num_threads(int(keys.pop("threads", 1)))
    recipe = Path(out).with_suffix(".yaml")
    keys.update(model=model, train_file=data, output_dir=out, resume=False, split=None)
    recipe.write_text(yaml.safe_dump(keys, allow_unicode=True), encoding="utf-8")
    timer = StepTimer()
    res = run_grpo(load_recipe(recipe, "grpo"), callbacks=[timer.callback])
    from wenforge.train.metrics import read_metrics

    hist = [r for r in read_metrics(res.run_dir / "metrics.jsonl") if "rewards/outcome/mean" in r]
    return {
        "wall": timer.wall,
        "cpu": timer.cpu,
        "reward": [r["rewards/outcome/mean"] for r in hist],
        "mean_length": [r["completions/mean_length"] for r in hist],
    }


def run_child(kind: str, model: Path, data: Path, out: Path, cfg: Path) -> dict:
    if kind == "bare":
        cmd = [sys.executable, str(HERE / "grpo_bare_trl.py"), str(model), str(data), str(out), str(cfg)]
    else:
        cmd = [sys.executable, __file__, "--child", str(model), str(data), str(out), str(cfg)]
    p = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{p.stderr[-3000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=4, help="runs per side, interleaved")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--skip", type=int, default=3, help="warm-up steps dropped from every run")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--generations", type=int, default=8)
    ap.add_argument("--max-completion", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument(
        "--model", default=None, help="model folder (default: a tiny random-init model built here)"
    )
    ap.add_argument("--out", type=Path, default=Path("runs/grpo_overhead"))
    ap.add_argument("--child", nargs=4, metavar=("MODEL", "DATA", "OUT", "CONFIG"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        print(json.dumps(child_wenforge(*a.child)))
        return
    model, data = prepare(a)
    cfg = a.out / "grpo_config.json"
    cfg.write_text(json.dumps({**grpo_keys(a), "threads": a.threads}), encoding="utf-8")
    runs: dict[str, list[dict]] = {"bare": [], "wenforge": []}
    t0 = time.perf_counter()
    for i in range(a.repeats):
        order = ("bare", "wenforge") if i % 2 == 0 else ("wenforge", "bare")
        for kind in order:
            res = run_child(kind, model, data, a.out / f"{kind}_{i}", cfg)
            runs[kind].append(res)
            print(
                f"repeat {i} {kind}: median wall {statistics.median(res['wall'][a.skip :]):.3f} s/step, "
                f"cpu {statistics.median(res['cpu'][a.skip :]):.3f} s/step",
                file=sys.stderr,
                flush=True,
            )

    def pooled(kind: str, key: str) -> float:
        return statistics.median([x for r in runs[kind] for x in r[key][a.skip :]])

    def pair_ratio(key: str) -> float:
        return statistics.median(
            statistics.median(w[key][a.skip :]) / statistics.median(b[key][a.skip :])
            for w, b in zip(runs["wenforge"], runs["bare"], strict=True)
        )

    same = all(
        w["mean_length"] == b["mean_length"] for w, b in zip(runs["wenforge"], runs["bare"], strict=True)
    )
    summary = {
        "config": grpo_keys(a) | {"threads": a.threads, "repeats": a.repeats, "skip": a.skip},
        "median_wall_s_per_step": {k: round(pooled(k, "wall"), 4) for k in runs},
        "median_cpu_s_per_step": {k: round(pooled(k, "cpu"), 4) for k in runs},
        "ratio_wall_pooled": round(pooled("wenforge", "wall") / pooled("bare", "wall"), 4),
        "ratio_cpu_pooled": round(pooled("wenforge", "cpu") / pooled("bare", "cpu"), 4),
        "ratio_wall_median_of_pairs": round(pair_ratio("wall"), 4),
        "ratio_cpu_median_of_pairs": round(pair_ratio("cpu"), 4),
        "same_completions": same,
        "seconds": round(time.perf_counter() - t0, 1),
    }
    summary["within_5pct"] = summary["ratio_cpu_pooled"] <= 1.05 and summary["ratio_wall_pooled"] <= 1.05
    (a.out / "summary.json").write_text(json.dumps({**summary, "runs": runs}, indent=2), encoding="utf-8")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
