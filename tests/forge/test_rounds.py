"""Forge rounds on a tiny model: mix -> train -> held-out evaluation -> targets, saved per round, resumed after a stop."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from wenforge.core.config import ConfigError
from wenforge.forge.rounds import (
    ForgeConfig,
    ForgeError,
    _share_tolerance,
    load_forge_config,
    next_weights,
    round_mix,
)
from wenforge.forge.tasks import arithmetic_rows

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))


def test_next_targets_are_the_feedback_weights_as_shares():
    feedback = {"next_weights": {"category": {"add": 0.2, "sub": 0.3, "mul": 0.9}}}
    new = next_weights(feedback, {"add": 0.3, "sub": 0.3, "mul": 0.3, "div": 0.1})
    assert new["mul"] > new["sub"] > new["add"] > 0
    assert new["div"] == pytest.approx(0.1 / 1.5, abs=1e-4)  # not in the held-out rows: keeps its weight
    assert sum(new.values()) == pytest.approx(1.0, abs=1e-3)


def test_round_mix_meets_the_targets_by_category(tmp_path):
    cfg = ForgeConfig(output_dir=str(tmp_path))
    pool = arithmetic_rows(600, seed=1)
    targets = {"add": 0.6, "sub": 0.3, "mul": 0.1}
    mixed = round_mix(cfg, pool, targets, 128, seed=5)
    assert 120 <= len(mixed.rows) <= 136
    got = {c: sum(r["category"] == c for r in mixed.rows) / len(mixed.rows) for c in targets}
    for c, t in targets.items():
        assert abs(got[c] - t) <= _share_tolerance(128)
        assert mixed.stats["labels"][c]["target_share"] == pytest.approx(t)
        assert mixed.shares[c] == pytest.approx(got[c], abs=1e-6)  # the evidence matches the rows
    assert all(any(r is p for p in pool) for r in mixed.rows[:5])  # the pool's own rows, not copies
    again = round_mix(cfg, pool, targets, 128, seed=5)
    other = round_mix(cfg, pool, targets, 128, seed=6)
    assert [r["question"] for r in again.rows] == [r["question"] for r in mixed.rows]
    assert {r["question"] for r in other.rows} != {r["question"] for r in mixed.rows}


def test_round_mix_refuses_a_category_with_no_rows(tmp_path):
    cfg = ForgeConfig(output_dir=str(tmp_path))
    with pytest.raises(ForgeError, match="no documents labelled div"):
        round_mix(cfg, arithmetic_rows(30, seed=1), {"add": 0.5, "div": 0.5}, 8, seed=0)


def test_config_errors(tmp_path):
    p = tmp_path / "f.yaml"
    p.write_text("output_dir: out\nroundz: 2\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"f.yaml:2: roundz: unknown key; did you mean 'rounds'"):
        load_forge_config(p)
    p.write_text("output_dir: out\nrounds: 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"f.yaml:2: rounds: "):
        load_forge_config(p)


@pytest.mark.skipif(not HEAVY, reason="needs the train extra")
def test_rounds_run_save_and_resume(tmp_path, monkeypatch, verdicts):
    from wenforge.forge import rounds

    cfg = ForgeConfig(
        output_dir=str(tmp_path / "forge"),
        rounds=2,
        rows_per_round=8,
        heldout_per_category=2,
        tiny={
            "hidden_size": 32,
            "num_layers": 1,
            "num_heads": 2,
            "num_kv_heads": 1,
            "intermediate_size": 64,
            "vocab_size": 400,
        },
        warmup_sft={
            "max_steps": 2,
            "per_device_train_batch_size": 8,
            "learning_rate": 1e-2,
            "max_length": 256,
            "save_strategy": "no",
        },
        train={
            "max_steps": 1,
            "per_device_train_batch_size": 4,
            "num_generations": 4,
            "max_completion_length": 8,
            "logging_steps": 1,
            "save_strategy": "no",
            "rewards": {"outcome": 1.0, "language": 0.5},
        },
        max_new_tokens=8,
    )
    state = rounds.run_forge(cfg, log=lambda *a: None)
    assert [r["round"] for r in state["rounds"]] == [0, 1]
    out = tmp_path / "forge"
    for k in (0, 1):
        ev = json.loads((out / f"round_{k:02d}" / "eval" / "eval.json").read_text())
        assert set(ev["by"]["category"]) == {"add", "sub", "mul"} and ev["overall"]["n"] == 6
        assert (out / f"round_{k:02d}" / "eval" / "report.html").exists()
        assert len((out / f"round_{k:02d}" / "train.jsonl").read_text().splitlines()) == sum(
            m["rows"] for m in state["rounds"][k]["mix"].values()
        )
    assert state["rounds"][1]["weights"] == state["rounds"][0]["next_weights"]
    # round 1 starts from round 0's model (the recipe, built in memory, is recorded in the run's stats.json); when
    # round 0's safety test asked for safety rows, round 1 trains them first (SFT), then GRPO from that model
    recipe = json.loads((out / "round_01" / "grpo" / "stats.json").read_text())["config"]
    if state["rounds"][1].get("safety_trained"):
        sft = json.loads((out / "round_01" / "safety_sft" / "stats.json").read_text())["config"]
        assert sft["model"] == str(out / "round_00" / "grpo" / "final")
        assert recipe["model"] == str(out / "round_01" / "safety_sft" / "final")
    else:
        assert recipe["model"] == str(out / "round_00" / "grpo" / "final")
    assert not list(out.rglob("*.yaml"))  # no config written to be read back
    assert "<svg" in (out / "report.html").read_text()

    # a rerun resumes: nothing is trained again
    def boom(*a, **k):
        raise AssertionError("retrained a finished round")

    monkeypatch.setattr("wenforge.train.run.run_grpo", boom)
    monkeypatch.setattr("wenforge.train.run.run_sft", boom)
    again = rounds.run_forge(cfg, log=lambda *a: None)
    assert len(again["rounds"]) == 2


@pytest.mark.skipif(not HEAVY, reason="needs the train extra")
def test_run_forge_demo_summary(tmp_path, monkeypatch):
    """``run_forge_demo`` (what ``wenforge demo`` calls) returns the report paths, per-round accuracy and weights;
    shrunk here to seconds (the real settings are timed in BENCHMARKS.md)."""
    import torch

    from wenforge.forge import demo

    small = {
        **demo.DEMO,
        "rounds": 2,
        "rows_per_round": 8,
        "heldout_per_category": 2,
        "tiny": {"hidden_size": 32, "num_layers": 1, "num_heads": 2, "num_kv_heads": 1, "vocab_size": 400},
        "warmup_sft": {**demo.DEMO["warmup_sft"], "max_steps": 2, "per_device_train_batch_size": 8},
        "train": {
            **demo.DEMO["train"],
            "max_steps": 1,
            "per_device_train_batch_size": 8,
            "num_generations": 4,
        },
        "max_new_tokens": 8,
    }
    monkeypatch.setattr(demo, "DEMO", small)
    threads = torch.get_num_threads()
    s = demo.run_forge_demo(tmp_path / "fd")
    assert torch.get_num_threads() == threads  # restored
    assert len(s["accuracy"]) == 2 and len(s["weights"]) == 3
    assert set(s["accuracy_by_category"]) == {"add", "sub", "mul"}
    for p in [s["report"], s["warmup_report"], *s["round_reports"], *s["round_evals"]]:
        assert Path(p).exists(), p
    html = Path(s["report"]).read_text(encoding="utf-8")
    assert html.count("<svg") >= 2 and "round_01/eval/report.html" in html
    assert (
        s["weights"][1]
        == json.loads((tmp_path / "fd" / "state.json").read_text())["rounds"][0]["next_weights"]
    )
