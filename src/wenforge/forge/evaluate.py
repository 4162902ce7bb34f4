"""Held-out evaluation between rounds: greedy answers to held-out prompts, scored by the rule-based outcome reward
per category (the evaluation issue's detectors replace this when they land). Heavy: imports torch/transformers."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from wenforge.rewards import format_reward
from wenforge.rewards.outcome import outcome_detail


def generate(model_dir: str, prompts: list[Any], max_new_tokens: int = 48, batch_size: int = 16) -> list[str]:
    """Greedy completions; chat prompts (message lists) go through the chat template, strings are used as is."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    tok.padding_side = "left"
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    model.eval()
    texts = [
        p if isinstance(p, str) else tok.apply_chat_template(p, tokenize=False, add_generation_prompt=True)
        for p in prompts
    ]
    out: list[str] = []
    with torch.no_grad():
        for i in range(0, len(texts), batch_size):
            enc = tok(texts[i : i + batch_size], return_tensors="pt", padding=True, add_special_tokens=False)
            gen = model.generate(
                **enc, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tok.pad_token_id
            )
            out.extend(tok.batch_decode(gen[:, enc["input_ids"].shape[1] :], skip_special_tokens=True))
    return out


def score(
    rows: list[dict], completions: list[str], fmt: str = "boxed", category_field: str = "category"
) -> dict:
    """Per-category and overall outcome means, accuracy, format rate; plus per-row evidence."""
    by_cat: dict[str, list[dict]] = defaultdict(list)
    details = []
    for r, c in zip(rows, completions, strict=True):
        d = outcome_detail(c, str(r["answer"]), fmt=fmt)
        d["format"] = format_reward(c, fmt=fmt)
        d["category"] = str(r.get(category_field, "all"))
        d["completion"] = c
        d["question"] = r.get("question")
        details.append(d)
        by_cat[d["category"]].append(d)

    def summary(ds: list[dict]) -> dict:
        n = len(ds) or 1
        return {
            "n": len(ds),
            "mean_outcome": sum(d["reward"] for d in ds) / n,
            "accuracy": sum(d["reward"] == 1.0 for d in ds) / n,
            "answered": sum(d["reward"] != -1.0 for d in ds) / n,
            "format_rate": sum(d["format"] for d in ds) / n,
        }

    return {
        "overall": summary(details),
        "by_category": {k: summary(v) for k, v in sorted(by_cat.items())},
        "details": details,
    }
