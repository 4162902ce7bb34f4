"""SFT and GRPO really run on CPU on a tiny model built from a config (tokenizer trained here), and change weights."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))
pytestmark = pytest.mark.skipif(not HEAVY, reason="needs the train extra (torch, transformers, trl, peft)")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    from wenforge.forge.tasks import arithmetic_rows
    from wenforge.lm.tiny import TinySpec, build_tiny_model

    d = tmp_path_factory.mktemp("train")
    rows = arithmetic_rows(64, seed=3)
    rows[-1]["split"] = "test"
    (d / "train.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    from wenforge.train.config import CHAT_INSTRUCTION, R1_ZERO_TEMPLATE

    corpus = [r["question"] + r["completion"] for r in rows] + [CHAT_INSTRUCTION, R1_ZERO_TEMPLATE] * 5
    build_tiny_model(
        d / "tiny",
        corpus,
        TinySpec(
            hidden_size=32, num_layers=1, num_heads=2, num_kv_heads=1, intermediate_size=64, vocab_size=400
        ),
    )
    return d


def _recipe(d: Path, name: str, text: str) -> Path:
    p = d / f"{name}.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _weights(path: Path) -> dict:
    from safetensors.torch import load_file

    return load_file(str(path / "model.safetensors"))


def _changed(a: dict, b: dict) -> bool:
    return any(k in b and not (a[k] == b[k]).all() for k in a)


def test_recipe_errors(workdir):
    from wenforge.core.config import ConfigError
    from wenforge.train.config import load_recipe

    base = "model: tiny\ntrain_file: train.jsonl\noutput_dir: out\n"
    with pytest.raises(ConfigError, match=r"bad1.yaml:4: max_step: unknown key; did you mean 'max_steps'"):
        load_recipe(_recipe(workdir, "bad1", base + "max_step: 3\n"), "sft")
    with pytest.raises(ConfigError, match="bad2.yaml: output_dir: Field required"):
        load_recipe(_recipe(workdir, "bad2", "model: tiny\ntrain_file: train.jsonl\n"), "sft")
    with pytest.raises(ConfigError, match=r"bad3.yaml:1: kind: .*'sft', but this is `wenforge train grpo`"):
        load_recipe(_recipe(workdir, "bad3", "kind: sft\n" + base), "grpo")
    with pytest.raises(ConfigError, match=r"bad4.yaml:4: rewards.correct.*unknown reward 'correct'"):
        load_recipe(_recipe(workdir, "bad4", base + "rewards: {correct: 1}\n"), "grpo")
    with pytest.raises(ConfigError, match=r"bad5.yaml:\d+: invalid YAML"):
        load_recipe(_recipe(workdir, "bad5", "a: [\n"), "sft")
    cfg = load_recipe(_recipe(workdir, "ok", base), "grpo")
    assert cfg.bf16 is False and cfg.model == str((workdir / "tiny").resolve())  # CPU; path resolved
    assert cfg.rewards == {"outcome": 1.0} and cfg.zero is False


def test_prompts_chat_and_zero(workdir):
    from wenforge.train.config import load_recipe
    from wenforge.train.data import grpo_dataset, read_rows

    rows = read_rows(workdir / "train.jsonl", split="dev")
    assert len(rows) == 63  # the test row is held out
    base = "model: tiny\ntrain_file: train.jsonl\noutput_dir: out\n"
    chat = grpo_dataset(load_recipe(_recipe(workdir, "c", base), "grpo"), rows)
    assert chat[0]["prompt"][-1]["role"] == "user" and chat[0]["answer"] == rows[0]["answer"]
    assert chat[0]["category"] == rows[0]["category"]  # extra columns reach the rewards
    zero = grpo_dataset(load_recipe(_recipe(workdir, "z", base + "zero: true\n"), "grpo"), rows)
    assert isinstance(zero[0]["prompt"], str) and zero[0]["prompt"].endswith("Assistant: <think>")
    assert rows[0]["question"] in zero[0]["prompt"]


def test_sft_changes_weights_and_resumes(workdir):
    from wenforge.train.config import load_recipe
    from wenforge.train.run import run_sft

    text = (
        "kind: sft\nmodel: tiny\ntrain_file: train.jsonl\noutput_dir: sft\nmax_steps: 2\nsave_steps: 1\n"
        "per_device_train_batch_size: 8\nlearning_rate: 1.0e-2\nlogging_steps: 1\nmax_length: 256\n"
    )
    res = run_sft(load_recipe(_recipe(workdir, "sft", text), "sft"))
    assert res.steps == 2 and res.resumed_from is None
    assert _changed(_weights(workdir / "tiny"), _weights(res.final_dir))
    assert (res.run_dir / "checkpoint-2").is_dir() and (res.run_dir / "report.html").exists()
    stats = json.loads((res.run_dir / "stats.json").read_text())
    assert stats["config"]["bf16"] is False and stats["rows"]["kept"] == 63 and stats["conserved"]
    # a rerun with more steps resumes from the last checkpoint
    res2 = run_sft(load_recipe(_recipe(workdir, "sft", text), "sft", {"max_steps": 3}))
    assert res2.resumed_from and res2.resumed_from.endswith("checkpoint-2") and res2.steps == 3


def test_grpo_zero_changes_weights_and_tracks_signals(workdir):
    from wenforge.train.config import load_recipe
    from wenforge.train.metrics import read_metrics
    from wenforge.train.run import run_grpo

    text = (
        "kind: grpo\nmodel: tiny\ntrain_file: train.jsonl\noutput_dir: grpo\nzero: true\nmax_steps: 2\n"
        "per_device_train_batch_size: 4\nnum_generations: 4\nmax_completion_length: 12\nlearning_rate: 1.0e-2\n"
        "logging_steps: 1\nsave_strategy: 'no'\nrewards: {outcome: 1.0, language: 1.0}\nreward_options: {language: {part: all}}\n"
    )
    res = run_grpo(load_recipe(_recipe(workdir, "grpo", text), "grpo"))
    assert res.steps == 2
    assert _changed(_weights(workdir / "tiny"), _weights(res.final_dir))
    recs = [r for r in read_metrics(res.run_dir / "metrics.jsonl") if "reward" in r]
    assert len(recs) == 2
    for key in (
        "reward",
        "rewards/outcome/mean",
        "rewards/format/mean",
        "rewards/reflection/mean",
        "completions/mean_length",
    ):
        assert key in recs[0], key
    assert (res.run_dir / "samples.jsonl").exists()
    assert "<svg" in (res.run_dir / "report.html").read_text()
    stats = json.loads((res.run_dir / "stats.json").read_text())
    assert stats["rewards"] == {"outcome": 1.0, "language": 1.0, "format": 0.0, "reflection": 0.0}


def test_cli_sft_with_lora(workdir):
    from typer.testing import CliRunner

    from wenforge.cli import app

    text = (
        "kind: sft\nmodel: tiny\ntrain_file: train.jsonl\noutput_dir: lora\nmax_steps: 1\nsave_strategy: 'no'\n"
        "per_device_train_batch_size: 4\nlearning_rate: 1.0e-2\nmax_length: 256\nlora: {r: 4, alpha: 8}\n"
    )
    p = _recipe(workdir, "lora", text)
    res = CliRunner().invoke(app, ["train", "sft", str(p), "--set", "logging_steps=1"])
    assert res.exit_code == 0, res.output
    final = workdir / "lora" / "final"
    assert (final / "model.safetensors").exists()  # merged: a plain model folder, no adapter
    assert not (final / "adapter_config.json").exists()
    assert _changed(_weights(workdir / "tiny"), _weights(final))
    bad = CliRunner().invoke(app, ["train", "sft", str(p), "--set", "nope=1"])
    assert bad.exit_code == 2 and "command line: nope: unknown key" in bad.output  # the flag, not the file
