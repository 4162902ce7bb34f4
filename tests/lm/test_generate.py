"""wenforge.lm.generate: local folders only, prompts through the chat template, left-padded batches that decode
exactly as one prompt at a time; and eval's local generation goes through it."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

PROMPTS = [
    [{"role": "user", "content": "小明有3个苹果，又买了5个，一共有几个？"}],
    [{"role": "system", "content": "请一步一步推理。"}, {"role": "user", "content": "春眠不觉晓"}],
    "The quick brown fox",  # a plain-text prompt, used as is
    [{"role": "user", "content": "好"}],
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from wenforge.lm.generate import load_model
    from wenforge.lm.tiny import build_tiny_model

    path = build_tiny_model(tmp_path_factory.mktemp("lm") / "tiny")
    return path, load_model(path)


def test_importing_lm_stays_light():
    code = ("import sys, wenforge.lm, wenforge.lm.generate, wenforge.lm.tiny, wenforge.text.think; "
            "print(any(m in sys.modules for m in ('torch', 'transformers')))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_prompts_go_through_the_chat_template_strings_as_is(tiny):
    from wenforge.lm.generate import prompt_text

    tok = tiny[1].tokenizer
    assert prompt_text(tok, PROMPTS[0]) == (
        "<|im_start|>user\n小明有3个苹果，又买了5个，一共有几个？<|im_end|>\n<|im_start|>assistant\n")
    assert prompt_text(tok, "Assistant: <think>") == "Assistant: <think>"


def test_tokenizer_without_template_gets_the_documented_fallback(tiny, monkeypatch):
    from wenforge.lm.generate import FALLBACK_ASSISTANT, chat_prompt

    tok = tiny[1].tokenizer
    monkeypatch.setattr(tok, "chat_template", None)
    assert chat_prompt(tok, PROMPTS[1]) == "system: 请一步一步推理。\nuser: 春眠不觉晓\n" + FALLBACK_ASSISTANT


def test_batched_greedy_equals_one_at_a_time(tiny):
    from wenforge.lm.generate import generate

    path, loaded = tiny
    batched = generate(loaded, PROMPTS, max_new_tokens=6, batch_size=4)
    single = [generate(loaded, [p], max_new_tokens=6, batch_size=1)[0] for p in PROMPTS]
    assert batched == single and len(batched) == len(PROMPTS)
    assert generate(str(path), PROMPTS[:2], max_new_tokens=6, batch_size=2) == batched[:2]  # a folder loads


def test_sampling_with_a_seed_is_reproducible(tiny):
    from wenforge.lm.generate import generate

    loaded = tiny[1]
    kw = {"max_new_tokens": 8, "batch_size": 2, "temperature": 1.0, "seed": 5}
    assert generate(loaded, PROMPTS, **kw) == generate(loaded, PROMPTS, **kw)


def test_no_prompts_and_bad_inputs(tiny, tmp_path):
    from wenforge.lm.generate import generate, load_model

    assert generate(tmp_path / "never-loaded", [], max_new_tokens=4) == []
    with pytest.raises(ValueError, match="prompt 2 of 2 is empty"):
        generate(tiny[1], ["x", ""], max_new_tokens=4)
    with pytest.raises(FileNotFoundError, match="not a model folder"):
        load_model(tmp_path / "missing")


def test_eval_generates_locally_with_the_chat_template_in_batches(tiny, monkeypatch):
    from wenforge.eval import evaluate
    from wenforge.eval.evaluate import GenerateConfig
    from wenforge.lm import generate as lm

    path = str(tiny[0])
    seen = []
    real = lm.generate
    monkeypatch.setattr(lm, "generate", lambda *a, **kw: seen.append((a, kw)) or real(*a, **kw))
    rows = [{"prompt": "你好"}, {"prompt": "春眠不觉晓"}]
    out = evaluate.generate(GenerateConfig(prompts="p.jsonl", model=path, max_new_tokens=5), rows)
    (model, chats), kw = seen[0]
    assert model == path
    assert chats == [[{"role": "user", "content": "你好"}], [{"role": "user", "content": "春眠不觉晓"}]]
    assert kw["batch_size"] == evaluate.GENERATE_BATCH
    assert out == real(path, chats, max_new_tokens=5)


def test_sampling_is_not_cut_to_the_50_likeliest_tokens(tiny):
    """transformers fills an unset top_k with 50; `generate` samples the whole distribution (top_k=0)."""
    from wenforge.lm.generate import sampling_kwargs

    loaded = tiny[1]
    assert sampling_kwargs(1.0)["top_k"] == 0 and "top_k" not in sampling_kwargs(0.0)
    import torch

    enc = loaded.tokenizer(["好"] * 300, return_tensors="pt", add_special_tokens=False)
    torch.manual_seed(0)
    with torch.inference_mode():
        gen = loaded.model.generate(**enc, max_new_tokens=1, pad_token_id=loaded.tokenizer.pad_token_id,
                                    **sampling_kwargs(1.0))
    first = {int(t) for t in gen[:, -1]}
    assert len(first) > 50  # a random-init model is near uniform over its vocabulary: far more than 50 appear
