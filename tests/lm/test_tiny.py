"""wenforge.lm.tiny: the one tiny offline model, a Hugging Face folder with a locally trained tokenizer."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")


def test_default_build_is_a_chat_model_folder(tmp_path):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from wenforge.lm.tiny import TinySpec, build_tiny_model

    out = build_tiny_model(tmp_path / "m")
    tok = AutoTokenizer.from_pretrained(out)
    model = AutoModelForCausalLM.from_pretrained(out)
    assert model.config.model_type == "qwen2" and model.config.vocab_size == len(tok)
    assert tok.chat_template and tok.eos_token == "<|im_end|>" and tok.pad_token == "<pad>"
    assert json.loads((out / "wenforge_tiny.json").read_text()) == TinySpec().__dict__
    ids = tok("<think>3</think>\\boxed{7}")["input_ids"]
    assert tok.decode(ids, skip_special_tokens=True) == "<think>3</think>\\boxed{7}"  # tags survive decoding
    assert [tok.decode([i]) for i in tok("123")["input_ids"]] == ["1", "2", "3"]  # digits single tokens


def test_spec_and_texts_shape_the_model(tmp_path):
    from transformers import AutoConfig, AutoTokenizer

    from wenforge.lm.tiny import TinySpec, build_tiny_model

    spec = TinySpec(arch="gpt2", hidden_size=32, num_layers=1, num_heads=2, vocab_size=300, seed=1)
    out = build_tiny_model(tmp_path / "g", ["甲乙丙丁甲乙丙丁", "甲乙甲乙甲乙"] * 3, spec)
    cfg = AutoConfig.from_pretrained(out)
    assert (cfg.model_type, cfg.n_embd, cfg.n_layer) == ("gpt2", 32, 1)
    tok = AutoTokenizer.from_pretrained(out)
    assert len(tok("甲乙丙丁")["input_ids"]) < len("甲乙丙丁".encode())  # merges learned from the given texts


def test_unknown_arch_is_a_clear_error(tmp_path):
    from wenforge.lm.tiny import TinySpec, build_tiny_model

    with pytest.raises(ValueError, match="qwen2, gpt2"):
        build_tiny_model(tmp_path / "x", ["a"], TinySpec(arch="llama9"))
