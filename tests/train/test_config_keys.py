"""Every wenforge key of a training recipe, changed in the YAML file, changes what training is given: the
dataset, the prompts, the rewards, the model, LoRA, resuming; TRL's own keys reach TRL's config object.

No training runs here: each key is checked where run.py consumes it.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import yaml

HEAVY = all(importlib.util.find_spec(m) for m in ("torch", "transformers", "trl", "peft", "datasets"))
pytestmark = pytest.mark.skipif(not HEAVY, reason="needs the train extra (torch, transformers, trl, peft)")

ROWS = [
    {"id": "r0", "question": "1+1=?", "q2": "一加一", "answer": "2", "a2": "二", "completion": "2", "c2": "二",
     "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "2"}], "text": "1+1=2",
     "body": "一加一等于二", "split": "dev"},
    {"id": "r1", "question": "2+2=?", "q2": "二加二", "answer": "4", "a2": "四", "completion": "4", "c2": "四",
     "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "4"}], "text": "2+2=4",
     "body": "二加二等于四", "split": "test"},
    {"id": "r2", "question": "3+3=?", "q2": "三加三", "answer": "6", "a2": "六", "completion": "6", "c2": "六",
     "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "6"}], "text": "3+3=6",
     "body": "三加三等于六", "split": "dev"},
]


@pytest.fixture
def folder(tmp_path):
    for name, rows in (("train.jsonl", ROWS), ("other.jsonl", ROWS[:1])):
        (tmp_path / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return tmp_path


def _recipe(folder: Path, kind: str, keys: dict, name: str):
    from wenforge.train.config import load_recipe

    body = {"model": "org/some-model", "train_file": "train.jsonl", "output_dir": f"out-{name}", **keys}
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return load_recipe(path, kind)


def _sft(cfg):
    from wenforge.train.data import sft_dataset

    return sft_dataset(cfg).to_list()


def _grpo(cfg):
    from wenforge.train.data import grpo_dataset

    return grpo_dataset(cfg).to_list()


def _rewards(cfg):
    """Each reward function's name, weight and score of two completions of the first row."""
    from wenforge.train.run import grpo_reward_funcs

    funcs, weights = grpo_reward_funcs(cfg)
    completions = ["<think>想</think>答案：2", "\\boxed{2}"]
    return [(f.__name__, w, f(prompts=["p"] * 2, completions=completions, answer=["2"] * 2))
            for f, w in zip(funcs, weights, strict=True)]


CASES = [
    # kind, key, changed value, keys of both recipes, what to observe
    ("sft", "train_file", "other.jsonl", {}, _sft),
    ("sft", "split", None, {}, _sft),
    ("sft", "limit", 1, {}, _sft),
    ("sft", "messages_field", "none", {}, _sft),
    ("sft", "prompt_field", "q2", {"messages_field": "none"}, _sft),
    ("sft", "completion_field", "c2", {"messages_field": "none"}, _sft),
    ("sft", "system_prompt", "你是老师。", {"messages_field": "none"}, _sft),
    ("sft", "prompt_template", "问：{question}", {"messages_field": "none"}, _sft),
    ("sft", "dataset_text_field", "body", {"messages_field": "none", "prompt_field": "none"}, _sft),
    ("grpo", "answer_field", "a2", {}, _grpo),
    ("grpo", "zero", True, {}, _grpo),
    ("grpo", "zero_template", "Q: {question}\nA:", {"zero": True}, _grpo),
    ("grpo", "rewards", {"outcome": 1.0, "format": 0.5}, {}, _rewards),
    ("grpo", "reward_options", {"format": {"require_think": False}}, {}, _rewards),
    ("grpo", "track", ["reflection"], {}, _rewards),
    ("grpo", "answer_format", "zh_answer_line", {}, _rewards),
]


@pytest.mark.parametrize(("kind", "key", "value", "base", "observe"), CASES, ids=[c[1] for c in CASES])
def test_keys_change_what_training_is_given(folder, kind, key, value, base, observe):
    before = observe(_recipe(folder, kind, base, "a"))
    after = observe(_recipe(folder, kind, {**base, key: value}, "b"))
    assert before != after, (key, before, after)


def test_model_and_tiny(folder):
    from wenforge.train.run import resolve_model

    (folder / "local-model").mkdir()
    assert resolve_model(_recipe(folder, "sft", {}, "hub"), ROWS) == "org/some-model"  # a hub name
    assert resolve_model(_recipe(folder, "sft", {"model": "local-model"}, "local"), ROWS) == str(folder / "local-model")
    spec = {"hidden_size": 16, "num_layers": 1, "num_heads": 2, "num_kv_heads": 1, "intermediate_size": 32,
            "vocab_size": 300}
    built = resolve_model(_recipe(folder, "sft", {"model": None, "tiny": spec}, "tiny"), ROWS)
    config = json.loads((Path(built) / "config.json").read_text(encoding="utf-8"))
    assert built == str(folder / "out-tiny" / "tiny_model") and config["hidden_size"] == 16


def test_lora(folder):
    from wenforge.train.run import _peft

    assert _peft(_recipe(folder, "sft", {}, "none")) is None
    lora = _peft(_recipe(folder, "sft", {"lora": {"r": 4, "alpha": 8, "dropout": 0.1, "target_modules": ["q_proj"]}},
                         "lora"))
    assert (lora.r, lora.lora_alpha, lora.lora_dropout, set(lora.target_modules)) == (4, 8, 0.1, {"q_proj"})


def test_resume(folder):
    from wenforge.train.run import _last_checkpoint

    checkpoint = folder / "out-resume" / "checkpoint-5"
    checkpoint.mkdir(parents=True)
    (checkpoint / "trainer_state.json").write_text("{}", encoding="utf-8")
    assert _last_checkpoint(_recipe(folder, "sft", {"output_dir": "out-resume"}, "resume")) == str(checkpoint)
    assert _last_checkpoint(_recipe(folder, "sft", {"output_dir": "out-resume", "resume": False}, "fresh")) is None


def test_output_dir_is_relative_to_the_recipe_and_trl_keys_reach_trl(folder, monkeypatch, tmp_path_factory):
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    trl_keys = {"learning_rate": 0.003, "max_steps": 7, "per_device_train_batch_size": 3, "logging_steps": 2,
                "seed": 9, "gradient_accumulation_steps": 2}
    sft = _recipe(folder, "sft", {**trl_keys, "max_length": 77}, "sft")
    grpo = _recipe(folder, "grpo", {**trl_keys, "num_generations": 3, "max_completion_length": 11, "beta": 0.2},
                   "grpo")
    assert sft.output_dir == str(folder / "out-sft") and sft.train_file == str(folder / "train.jsonl")
    for cfg, extra in ((sft, {"max_length": 77}), (grpo, {"num_generations": 3, "max_completion_length": 11,
                                                         "beta": 0.2})):
        for key, value in {**trl_keys, **extra}.items():
            assert getattr(cfg, key) == value, key
    from wenforge.train.config import _bf16_ok

    assert sft.bf16 is _bf16_ok()  # from the device when the recipe does not say
    assert _recipe(folder, "sft", {"bf16": False, "fp16": False}, "fp32").bf16 is False


def test_every_wenforge_key_has_a_test():
    import dataclasses

    from wenforge.train.config import _WenforgeGRPOFields

    tested = {c[1] for c in CASES} | {"model", "tiny", "lora", "resume"}
    assert {f.name for f in dataclasses.fields(_WenforgeGRPOFields)} - tested == set()


@pytest.mark.parametrize(("kind", "body", "message"), [
    ("sft", "model: m\ntrain_file: t.jsonl\noutput_dir: o\nlearnig_rate: 1\n",
     r":4: learnig_rate: unknown key; did you mean 'learning_rate'\?"),
    ("sft", "train_file: t.jsonl\noutput_dir: o\n", r": model: give 'model' \(hub name or local path\) or 'tiny'"),
    ("sft", "model: m\noutput_dir: o\n", r": train_file: required"),
    ("sft", "model: m\ntrain_file: t.jsonl\noutput_dir: o\nlimit: many\n", r":4: limit: Input should be a valid integer"),
    ("grpo", "model: m\ntrain_file: t.jsonl\noutput_dir: o\ntrack: [format, nope]\n",
     r":4: track\.1: Value error, unknown reward 'nope'"),
    ("grpo", "model: m\ntrain_file: t.jsonl\noutput_dir: o\nanswer_format: latex\n",
     r":4: answer_format: Input should be 'boxed'"),
])
def test_bad_recipes_name_the_file_line_and_key(tmp_path, kind, body, message):
    from wenforge.core.config import ConfigError
    from wenforge.train.config import load_recipe

    path = tmp_path / "r.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"^{path}{message}"):
        load_recipe(path, kind)
