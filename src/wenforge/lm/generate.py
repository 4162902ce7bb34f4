"""Generation with a local causal LM: load a model folder, render prompts, decode left-padded batches.

A prompt is a string, used as is (a plain-text template such as R1-Zero's ``... Assistant: <think>``), or a list
of chat messages (``{"role": ..., "content": ...}``), rendered by the tokenizer's chat template with the
generation prompt. A tokenizer without a chat template gets the fallback ``role: content`` lines followed by
``assistant: `` (FALLBACK_ASSISTANT). Rendered prompts are tokenised without added special tokens: a chat
template writes its own. Greedy when ``temperature`` is 0, else sampling with ``temperature`` and ``top_p`` (no top-k cut).

Heavy: torch and transformers are imported inside the functions (extra ``train``); only local folders load.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FALLBACK_ASSISTANT = "assistant: "

Prompt = str | Sequence[Mapping[str, str]]


@dataclass
class LoadedModel:
    """A causal LM in eval mode and its tokenizer (left padding, a pad token)."""

    model: Any
    tokenizer: Any


def load_model(model_dir: str | Path, *, device: str = "cpu") -> LoadedModel:
    """Load the model folder ``model_dir`` (never the hub) onto ``device``: float32 on CPU, the saved dtype elsewhere."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = Path(model_dir)
    if not (path / "config.json").is_file():
        raise FileNotFoundError(f"{path}: not a model folder (no config.json); wenforge loads local folders only "
                                "(fetch a hub model first, e.g. `hf download NAME --local-dir DIR`)")
    tok = AutoTokenizer.from_pretrained(path, local_files_only=True)
    tok.padding_side = "left"
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True,
                                                 dtype=torch.float32 if device == "cpu" else "auto")
    model.to(device).eval()
    return LoadedModel(model, tok)


def chat_prompt(tokenizer: Any, messages: Sequence[Mapping[str, str]]) -> str:
    """The text the model continues for ``messages``: the chat template, or the documented fallback without one."""
    if tokenizer.chat_template:
        return tokenizer.apply_chat_template(list(messages), tokenize=False, add_generation_prompt=True)
    return "".join(f"{m['role']}: {m['content']}\n" for m in messages) + FALLBACK_ASSISTANT


def prompt_text(tokenizer: Any, prompt: Prompt) -> str:
    """A string prompt as is; a message list through ``chat_prompt``."""
    return prompt if isinstance(prompt, str) else chat_prompt(tokenizer, prompt)


def encode(tokenizer: Any, texts: list[str]) -> Any:
    """Left-padded input ids and attention mask (PyTorch tensors) for rendered prompts."""
    return tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)


def sampling_kwargs(temperature: float, top_p: float = 1.0) -> dict[str, Any]:
    """``generate`` keywords: greedy at temperature 0, else sampling from the whole distribution at
    ``temperature`` cut only by ``top_p``. ``top_k=0`` because transformers otherwise fills an unset top_k with 50
    (or the model's own generation config value), a silent cut that temperature and top_p do not describe."""
    if temperature > 0:
        return {"do_sample": True, "temperature": temperature, "top_p": top_p, "top_k": 0}
    return {"do_sample": False}


def decode_new(tokenizer: Any, new_ids: list[int]) -> tuple[str, int, bool]:
    """(text, token count, whether it ended with EOS) of generated ids, cut at the first EOS."""
    eos = tokenizer.eos_token_id
    hit_eos = eos is not None and eos in new_ids
    if hit_eos:
        new_ids = new_ids[: new_ids.index(eos)]
    return tokenizer.decode(new_ids, skip_special_tokens=True), len(new_ids), hit_eos


def generate(model: str | Path | LoadedModel, prompts: Sequence[Prompt], *, max_new_tokens: int = 48,
             batch_size: int = 16, temperature: float = 0.0, top_p: float = 1.0, seed: int | None = None,
             device: str = "cpu") -> list[str]:
    """Completions of ``prompts`` in order, ``batch_size`` at a time; ``model`` is a folder (loaded on ``device``) or loaded."""
    if not prompts:
        return []
    import torch

    lm = model if isinstance(model, LoadedModel) else load_model(model, device=device)
    tok = lm.tokenizer
    texts = [prompt_text(tok, p) for p in prompts]
    if empty := [i for i, t in enumerate(texts) if not t]:
        raise ValueError(f"prompt {empty[0] + 1} of {len(texts)} is empty: nothing to continue")
    if seed is not None:
        torch.manual_seed(seed)
    out: list[str] = []
    with torch.inference_mode():
        for i in range(0, len(texts), batch_size):
            enc = encode(tok, texts[i : i + batch_size]).to(lm.model.device)
            gen = lm.model.generate(**enc, max_new_tokens=max_new_tokens, pad_token_id=tok.pad_token_id,
                                    **sampling_kwargs(temperature, top_p))
            width = enc["input_ids"].shape[1]
            out.extend(decode_new(tok, seq[width:].tolist())[0] for seq in gen)
    return out
