"""The minutes-long tiny forge: arithmetic word problems, a tiny model built here, SFT warm-up, GRPO rounds.

``run_forge_demo(out_dir)`` is what ``wenforge demo`` calls: about a minute on 2 CPU cores. The warm-up is short on
purpose, so the categories end it at different accuracies and the re-weighting has something to move toward."""

from __future__ import annotations

import time
from pathlib import Path

from wenforge.forge.rounds import ForgeConfig

DEMO: dict = {
    "rounds": 3,
    "task": "arithmetic",
    "rows_per_round": 128,
    "heldout_per_category": 12,
    "tiny": {
        "hidden_size": 64,
        "num_layers": 2,
        "num_heads": 4,
        "num_kv_heads": 2,
        "intermediate_size": 256,
        "vocab_size": 512,
    },
    "warmup_sft": {
        "max_steps": 240,
        "per_device_train_batch_size": 32,
        "prompt_template": "{question}",
        "learning_rate": 6.0e-3,
        "lr_scheduler_type": "cosine",
        "warmup_steps": 10,
        "logging_steps": 10,
        "save_strategy": "no",
        "max_length": 128,
        "disable_tqdm": True,
        "gradient_checkpointing": False,  # TRL's default recomputes activations: ~10% more CPU, same weights
    },
    "train": {
        "max_steps": 8,
        "per_device_train_batch_size": 32,
        "prompt_template": "{question}",
        "num_generations": 8,
        "max_completion_length": 20,
        "temperature": 0.7,
        "optim": "sgd",
        "learning_rate": 0.02,
        "lr_scheduler_type": "constant",
        "beta": 0.0,
        "logging_steps": 1,
        "save_strategy": "no",
        "disable_tqdm": True,
        "gradient_checkpointing": False,
        "rewards": {"outcome": 1.0},
    },
    "max_new_tokens": 20,
    "feedback": {"min_weight": 0.1, "gain": 1.0, "max_step": 0.5},
}


def demo_config(output_dir: str) -> ForgeConfig:
    return ForgeConfig(output_dir=output_dir, **DEMO)


def run_forge_demo(out_dir: Path, threads: int | None = 1, log=None) -> dict:
    """Run (or resume) the tiny forge into ``out_dir``; returns a summary with the report paths.

    ``threads``: torch intra-op threads while it runs (1 is fastest on a shared 2-core machine), restored after.
    """
    import torch

    from wenforge.forge.rounds import run_forge

    out_dir = Path(out_dir)
    cfg = demo_config(str(out_dir))
    before = torch.get_num_threads()
    t0 = time.perf_counter()
    try:
        if threads:
            torch.set_num_threads(threads)
        state = run_forge(cfg, log=log or (lambda *a: None))
    finally:
        torch.set_num_threads(before)
    rounds = state["rounds"]
    return {
        "seconds": round(time.perf_counter() - t0, 1),
        "report": str(out_dir / "report.html"),
        "round_reports": [str(out_dir / f"round_{r['round']:02d}" / "eval" / "report.html") for r in rounds],
        "round_evals": [str(out_dir / f"round_{r['round']:02d}" / "eval" / "eval.json") for r in rounds],
        "warmup_report": str(out_dir / "warmup" / "sft" / "report.html"),
        "accuracy": [round(r["eval"]["overall"].get("accuracy", 0.0), 3) for r in rounds],
        "accuracy_by_category": {
            c: [round(r["eval"]["by_category"][c].get("accuracy", 0.0), 3) for r in rounds]
            for c in sorted(rounds[0]["eval"]["by_category"])
            if rounds
        }
        if rounds
        else {},
        "weights": [r["weights"] for r in rounds] + ([rounds[-1]["next_weights"]] if rounds else []),
    }
