"""The minutes-long tiny forge: arithmetic word problems, a tiny model built here, SFT warm-up, GRPO rounds."""

from __future__ import annotations

from wenforge.forge.rounds import ForgeConfig

DEMO: dict = {
    "rounds": 2,
    "task": "arithmetic",
    "rows_per_round": 32,
    "heldout_per_category": 8,
    "tiny": {"hidden_size": 64, "num_layers": 2, "num_heads": 4, "num_kv_heads": 2, "vocab_size": 512},
    "warmup_sft": {
        "max_steps": 80,
        "per_device_train_batch_size": 16,
        "learning_rate": 3.0e-3,
        "logging_steps": 10,
        "save_steps": 40,
        "max_length": 192,
    },
    "train": {
        "max_steps": 6,
        "per_device_train_batch_size": 8,
        "num_generations": 4,
        "max_completion_length": 24,
        "learning_rate": 5.0e-4,
        "logging_steps": 1,
        "save_steps": 3,
        "rewards": {"outcome": 1.0},
    },
    "max_new_tokens": 24,
}


def demo_config(output_dir: str) -> ForgeConfig:
    return ForgeConfig(output_dir=output_dir, **DEMO)
