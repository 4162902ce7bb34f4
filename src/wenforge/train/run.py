"""`wenforge train sft|grpo`: TRL's SFTTrainer and GRPOTrainer driven by a recipe, writing one run folder:
checkpoints (resumed automatically), ``final/`` (model + tokenizer; LoRA merged), ``metrics.jsonl``,
``stats.json``, ``report.html``. Heavy: imports torch, transformers, trl."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wenforge.core.runs import run_stats, write_stats
from wenforge.train.config import RecipeError, resolved
from wenforge.train.metrics import MetricsLogger, read_metrics, write_train_report


@dataclass
class TrainResult:
    kind: str
    run_dir: Path
    final_dir: Path
    steps: int
    seconds: float
    first: dict = field(default_factory=dict)
    last: dict = field(default_factory=dict)
    resumed_from: str | None = None


def _corpus(rows: list[dict], cfg) -> list[str]:
    texts = []
    for r in rows:
        for v in r.values():
            if isinstance(v, str):
                texts.append(v)
            elif isinstance(v, list):
                texts.extend(str(m.get("content", "")) for m in v if isinstance(m, dict))
    for t in (cfg.prompt_template, getattr(cfg, "zero_template", ""), cfg.system_prompt or ""):
        texts.append(t.replace("{question}", "").replace("{{", "{").replace("}}", "}"))
    texts.append("<think>\n</think>\n\\boxed{} 答案：等等，重新检查，验证。wait, let me check.")
    return texts


def resolve_model(cfg, rows: list[dict]) -> str:
    """The model path: ``cfg.model``, or a tiny model built once under ``<output_dir>/tiny_model``."""
    if cfg.model:
        return cfg.model
    from wenforge.lm.tiny import TinySpec, build_tiny_model

    out = Path(cfg.output_dir) / "tiny_model"
    if not (out / "config.json").exists():
        try:
            spec = TinySpec(**(cfg.tiny or {}))
        except TypeError as e:
            raise RecipeError(f"tiny: {e}") from None
        build_tiny_model(out, _corpus(rows, cfg), spec)
    return str(out)


def _load(model_path: str, cfg):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_path)
    if tok.pad_token is None:
        tok.pad_token = tok.eos_token
    dtype = torch.bfloat16 if cfg.bf16 else (torch.float16 if cfg.fp16 else torch.float32)
    model = AutoModelForCausalLM.from_pretrained(model_path, dtype=dtype)
    return model, tok


def _peft(cfg):
    if not cfg.lora:
        return None
    from peft import LoraConfig

    opts = dict(cfg.lora)
    known = {"r", "alpha", "lora_alpha", "dropout", "lora_dropout", "target_modules", "bias"}
    bad = [k for k in opts if k not in known]
    if bad:
        raise RecipeError(f"lora: unknown key {bad[0]!r}; known: {', '.join(sorted(known))}")
    return LoraConfig(
        r=int(opts.get("r", 8)),
        lora_alpha=int(opts.get("alpha", opts.get("lora_alpha", 16))),
        lora_dropout=float(opts.get("dropout", opts.get("lora_dropout", 0.0))),
        target_modules=opts.get("target_modules", "all-linear"),
        bias=opts.get("bias", "none"),
        task_type="CAUSAL_LM",
    )


def _last_checkpoint(cfg) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    out = Path(cfg.output_dir)
    if not cfg.resume or not out.is_dir():
        return None
    return get_last_checkpoint(str(out))


def _finish(kind: str, trainer, tok, cfg, t0: float, resumed: str | None, extra: dict) -> TrainResult:
    run_dir = Path(cfg.output_dir)
    final = run_dir / "final"
    model = trainer.model
    if hasattr(model, "merge_and_unload") and cfg.lora:
        model = model.merge_and_unload()
    model.save_pretrained(final)
    tok.save_pretrained(final)
    records = [r for r in read_metrics(run_dir / "metrics.jsonl") if "train_runtime" not in r]
    res = TrainResult(
        kind=kind,
        run_dir=run_dir,
        final_dir=final,
        steps=trainer.state.global_step,
        seconds=time.perf_counter() - t0,
        first=records[0] if records else {},
        last=records[-1] if records else {},
        resumed_from=resumed,
    )
    n_rows = extra.pop("rows")
    stats = run_stats(
        f"train {kind}", read=n_rows, kept=n_rows, excluded={}, seconds=res.seconds, config=resolved(cfg),
        packages=("torch", "transformers", "trl", "peft"),
        kind=kind, steps=res.steps, resumed_from=resumed, final_dir=str(final),
        n_params=sum(p.numel() for p in model.parameters()), first=res.first, last=res.last, **extra,
    )
    write_stats(run_dir, stats)
    write_train_report(
        run_dir, f"wenforge train {kind}: {run_dir.name}",
        {"kind": kind, "steps": res.steps, "seconds": stats["seconds"], "rows": n_rows, "resumed_from": resumed,
         "final_dir": str(final)},
    )
    return res


def run_sft(cfg, rows: list[dict] | None = None, callbacks: list | None = None) -> TrainResult:
    """Supervised fine-tuning with TRL's SFTTrainer."""
    from trl import SFTTrainer

    from wenforge.train.data import read_rows, sft_dataset

    t0 = time.perf_counter()
    rows = rows if rows is not None else read_rows(cfg.train_file, cfg.split, cfg.limit)
    ds = sft_dataset(cfg, rows)
    model_path = resolve_model(cfg, rows)
    model, tok = _load(model_path, cfg)
    Path(cfg.output_dir).mkdir(parents=True, exist_ok=True)
    trainer = SFTTrainer(
        model=model,
        args=cfg,
        train_dataset=ds,
        processing_class=tok,
        peft_config=_peft(cfg),
        callbacks=[MetricsLogger(Path(cfg.output_dir) / "metrics.jsonl"), *(callbacks or [])],
    )
    if len(trainer.train_dataset) == 0:
        raise RecipeError(
            f"{cfg.train_file}: no row left after tokenizing: every completion lies beyond "
            f"max_length={cfg.max_length} tokens; raise max_length"
        )
    resumed = _last_checkpoint(cfg)
    trainer.train(resume_from_checkpoint=resumed)
    return _finish("sft", trainer, tok, cfg, t0, resumed, {"model": model_path, "rows": len(ds)})


class _SampleRecorder:
    """Wraps one TRL reward function and keeps a few sampled completions per step in ``samples.jsonl``."""

    def __init__(self, inner, path: Path, keep: int = 2):
        self.inner, self.path, self.keep = inner, path, keep
        self.__name__ = inner.__name__

    def __call__(self, prompts=None, completions=(), **kwargs: Any):
        from wenforge.rewards.adapters import completion_text

        out = self.inner(prompts=prompts, completions=completions, **kwargs)
        state = kwargs.get("trainer_state")
        with self.path.open("a", encoding="utf-8") as f:
            for i in range(min(self.keep, len(out))):
                rec = {"step": getattr(state, "global_step", None), self.__name__: out[i]}
                rec["text"] = completion_text(completions[i])
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        return out


def grpo_reward_funcs(cfg, run_dir: Path | None = None):
    """TRL reward functions and weights from ``cfg.rewards``, plus zero-weight tracked signals (format rate,
    reflection rate) so TRL logs them per step."""
    from wenforge.rewards import REWARDS
    from wenforge.rewards.adapters import trl_reward

    names = list(cfg.rewards) + [t for t in cfg.track if t not in cfg.rewards]
    funcs, weights = [], []
    for name in names:
        opts = dict(cfg.reward_options.get(name, {}))
        if "fmt" in REWARDS[name].params:
            opts.setdefault("fmt", cfg.answer_format)
        funcs.append(trl_reward(name, **opts))
        weights.append(float(cfg.rewards.get(name, 0.0)))
    if run_dir is not None and funcs:
        funcs[0] = _SampleRecorder(funcs[0], run_dir / "samples.jsonl")
    return funcs, weights


def run_grpo(cfg, rows: list[dict] | None = None, callbacks: list | None = None) -> TrainResult:
    """GRPO with TRL's GRPOTrainer and wenforge's rewards; ``cfg.zero`` for R1-Zero (plain-text prompts)."""
    from trl import GRPOTrainer

    from wenforge.train.data import grpo_dataset, read_rows

    t0 = time.perf_counter()
    rows = rows if rows is not None else read_rows(cfg.train_file, cfg.split, cfg.limit)
    ds = grpo_dataset(cfg, rows)
    model_path = resolve_model(cfg, rows)
    model, tok = _load(model_path, cfg)
    run_dir = Path(cfg.output_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    funcs, weights = grpo_reward_funcs(cfg, run_dir)
    cfg.reward_weights = weights
    trainer = GRPOTrainer(
        model=model,
        reward_funcs=funcs,
        args=cfg,
        train_dataset=ds,
        processing_class=tok,
        peft_config=_peft(cfg),
        callbacks=[MetricsLogger(run_dir / "metrics.jsonl"), *(callbacks or [])],
    )
    resumed = _last_checkpoint(cfg)
    trainer.train(resume_from_checkpoint=resumed)
    extra = {
        "model": model_path,
        "rows": len(ds),
        "zero": cfg.zero,
        "rewards": dict(zip([f.__name__ for f in funcs], weights)),
    }
    return _finish("grpo", trainer, tok, cfg, t0, resumed, extra)
