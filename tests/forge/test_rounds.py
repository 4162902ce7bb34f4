"""Forge rounds on a tiny model: train -> held-out evaluation -> weights, saved per round, resumed after a stop."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from wenforge.forge.rounds import (
    ForgeConfig,
    ForgeError,
    load_forge_config,
    independent_eval,
    sample_round,
)

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))


def test_next_weights_come_from_the_evaluation_feedback(tmp_path):
    rows = [{"category": c, "completion": "\\boxed{1}", "reward": r}
            for c, rs in (("add", [1.0] * 4), ("sub", [1.0, 1.0, -0.5, -0.5]), ("mul", [-0.5] * 4)) for r in rs]
    (tmp_path / "eval_details.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    cfg = ForgeConfig(output_dir=str(tmp_path))
    w = {"add": 1 / 3, "sub": 1 / 3, "mul": 1 / 3}
    new = independent_eval(cfg, tmp_path, w)
    assert new["mul"] > new["sub"] > new["add"] > 0  # more of what fails
    assert sum(new.values()) == pytest.approx(1.0, abs=1e-3)
    fb = json.loads((tmp_path / "eval" / "feedback.json").read_text())
    assert fb["next_weights"]["category"]["mul"] > fb["next_weights"]["category"]["add"]
    assert (tmp_path / "eval" / "eval.json").exists()


def test_sample_round_follows_weights():
    pools = {"a": [{"q": 1}], "b": [{"q": 2}]}
    rows = sample_round(pools, {"a": 0.9, "b": 0.1}, 1000, seed=0)
    assert 850 < sum(r["q"] == 1 for r in rows) < 950


def test_config_errors(tmp_path):
    p = tmp_path / "f.yaml"
    p.write_text("output_dir: out\nroundz: 2\n", encoding="utf-8")
    with pytest.raises(ForgeError, match="roundz"):
        load_forge_config(p)
    p.write_text("output_dir: out\nrounds: 0\n", encoding="utf-8")
    with pytest.raises(ForgeError, match="rounds"):
        load_forge_config(p)


@pytest.mark.skipif(not HEAVY, reason="needs the train extra")
def test_rounds_run_save_and_resume(tmp_path, monkeypatch):
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
        ev = json.loads((out / f"round_{k:02d}" / "eval.json").read_text())
        assert set(ev["by_category"]) == {"add", "sub", "mul"} and ev["overall"]["n"] == 6
        assert (out / f"round_{k:02d}" / "eval.html").exists()
    assert state["rounds"][1]["weights"] == state["rounds"][0]["next_weights"]
    # round 1 starts from round 0's model
    assert (out / "round_01" / "grpo.yaml").read_text().count(str(out / "round_00" / "grpo" / "final")) == 1
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
    assert html.count("<svg") >= 2 and "round_01/eval.html" in html
    assert (
        s["weights"][1]
        == json.loads((tmp_path / "fd" / "state.json").read_text())["rounds"][0]["next_weights"]
    )
