"""Tiny causal LMs built from a config, with a tokenizer trained locally by ``tokenizers``: tests and demos run
offline on CPU. The result is a normal Hugging Face folder (config, weights, tokenizer, chat template), loaded
by path exactly like a hub model."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<pad>"]
# added as ordinary tokens so that decoding with skip_special_tokens keeps them
TAG_TOKENS = ["<think>", "</think>", "<answer>", "</answer>", "\\boxed{"]


@dataclass
class TinySpec:
    arch: str = "qwen2"  # qwen2 or gpt2
    vocab_size: int = 1024
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 128
    max_positions: int = 512
    seed: int = 0


def train_tokenizer(texts: Iterable[str], vocab_size: int = 1024):
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


def build_tiny_model(out_dir: str | Path, texts: Iterable[str], spec: TinySpec | None = None) -> Path:
    """Train a tokenizer on ``texts``, build a random-init model from ``spec``, save both to ``out_dir``."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

    spec = spec or TinySpec()
    out = Path(out_dir)
    tok = train_tokenizer(texts, spec.vocab_size)
    torch.manual_seed(spec.seed)
    common = {
        "bos_token_id": tok.bos_token_id,
        "eos_token_id": tok.eos_token_id,
        "pad_token_id": tok.pad_token_id,
    }
    if spec.arch == "qwen2":
        cfg = Qwen2Config(
            vocab_size=len(tok),
            hidden_size=spec.hidden_size,
            intermediate_size=spec.intermediate_size,
            num_hidden_layers=spec.num_layers,
            num_attention_heads=spec.num_heads,
            num_key_value_heads=spec.num_kv_heads,
            max_position_embeddings=spec.max_positions,
            tie_word_embeddings=True,
            **common,
        )
        model = Qwen2ForCausalLM(cfg)
    elif spec.arch == "gpt2":
        cfg = GPT2Config(
            vocab_size=len(tok),
            n_embd=spec.hidden_size,
            n_layer=spec.num_layers,
            n_head=spec.num_heads,
            n_positions=spec.max_positions,
            **common,
        )
        model = GPT2LMHeadModel(cfg)
    else:
        raise ValueError(f"unknown tiny architecture {spec.arch!r}: expected qwen2 or gpt2")
    model.generation_config.pad_token_id = tok.pad_token_id
    model.generation_config.eos_token_id = tok.eos_token_id
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tok.save_pretrained(out)
    (out / "wenforge_tiny.json").write_text(__import__("json").dumps(asdict(spec)), encoding="utf-8")
    return out


def n_params(model) -> int:
    return sum(p.numel() for p in model.parameters())
