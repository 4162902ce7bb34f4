"""The tiny offline causal LM for tests and demos: a random-init Qwen2 or GPT-2 built from a config, with a
byte-level BPE tokenizer trained locally by ``tokenizers`` (digits single tokens, a ChatML chat template, the
think/answer tags as ordinary tokens). Nothing is downloaded. The result is a normal Hugging Face folder
(config, weights, tokenizer, chat template, plus ``wenforge_tiny.json`` holding the spec), loaded by path like
any hub model and served by ``wenforge serve``. Untrained, it writes noise: outputs the verifiers reject.

Heavy: torch, tokenizers and transformers are imported inside the functions (extra ``train``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<pad>"]
# added as ordinary tokens so that decoding with skip_special_tokens keeps them
TAG_TOKENS = ["<think>", "</think>", "<answer>", "</answer>", "\\boxed{"]
ARCHS = ("qwen2", "gpt2")
# The tokenizer's corpus when the caller gives none: Chinese and English prose, verse and a boxed answer, so
# every script a test sends tokenises into real merges.
DEFAULT_TEXTS = (
    "今天天气很好，我们去公园散步。",
    "小明有3个苹果，又买了5个，一共有8个苹果。",
    "The quick brown fox jumps over the lazy dog.",
    "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
    "请一步一步推理，并把最终答案写在 \\boxed{} 中。",
    "所以答案是 \\boxed{42}。",
    "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。",
    "学而时习之，不亦说乎？有朋自远方来，不亦乐乎？",
)


@dataclass
class TinySpec:
    arch: str = "qwen2"  # one of ARCHS
    vocab_size: int = 1024
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 128
    max_positions: int = 512
    seed: int = 0


def train_tokenizer(texts: Iterable[str], vocab_size: int = 1024) -> Any:
    """A byte-level BPE (digits kept as single tokens) trained on ``texts``, wrapped for transformers."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
    )
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(list(texts), trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok,
        bos_token="<|endoftext|>",
        eos_token="<|im_end|>",
        pad_token="<pad>",
        unk_token=None,
    )
    fast.add_tokens(TAG_TOKENS)
    fast.chat_template = CHATML_TEMPLATE
    fast.padding_side = "left"
    return fast


def _model(spec: TinySpec, tok: Any) -> Any:
    """A random-init causal LM for ``spec`` over the vocabulary of ``tok``."""
    from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

    ids = {"bos_token_id": tok.bos_token_id, "eos_token_id": tok.eos_token_id, "pad_token_id": tok.pad_token_id}
    if spec.arch == "qwen2":
        return Qwen2ForCausalLM(Qwen2Config(
            vocab_size=len(tok), hidden_size=spec.hidden_size, intermediate_size=spec.intermediate_size,
            num_hidden_layers=spec.num_layers, num_attention_heads=spec.num_heads,
            num_key_value_heads=spec.num_kv_heads, max_position_embeddings=spec.max_positions,
            tie_word_embeddings=True, **ids))
    return GPT2LMHeadModel(GPT2Config(vocab_size=len(tok), n_embd=spec.hidden_size, n_layer=spec.num_layers,
                                      n_head=spec.num_heads, n_positions=spec.max_positions, **ids))


def build_tiny_model(out_dir: str | Path, texts: Iterable[str] | None = None, spec: TinySpec | None = None) -> Path:
    """Train a tokenizer on ``texts`` (DEFAULT_TEXTS when None), build a random-init model from ``spec``, save both."""
    import torch

    spec = spec or TinySpec()
    if spec.arch not in ARCHS:
        raise ValueError(f"unknown tiny architecture {spec.arch!r}: expected one of {', '.join(ARCHS)}")
    tok = train_tokenizer(DEFAULT_TEXTS if texts is None else texts, spec.vocab_size)
    torch.manual_seed(spec.seed)
    model = _model(spec, tok)
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    (out / "wenforge_tiny.json").write_text(json.dumps(asdict(spec)), encoding="utf-8")
    return out
