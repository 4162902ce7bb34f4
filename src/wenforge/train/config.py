"""Training configs: TRL's own ``SFTConfig`` / ``GRPOConfig`` extended with wenforge's fields, read from a flat
YAML recipe (every key is a field of the dataclass, TRL's and ours alike). Heavy: imports trl."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trl import GRPOConfig, SFTConfig

from wenforge.core.config import YamlConfigError, load_yaml

R1_ZERO_TEMPLATE = (
    "A conversation between User and Assistant. The User asks a question, and the Assistant solves it. "
    "The Assistant first thinks about the reasoning process in the mind and then provides the User with the "
    "answer. The reasoning process is enclosed within <think> </think> and the final answer is written as "
    "\\boxed{{...}} after it.\nUser: {question}\nAssistant: <think>"
)
CHAT_INSTRUCTION = (
    "{question}\n请一步步推理，把推理过程写在 <think></think> 中，最终答案写在 \\boxed{{}} 中。"
)


class RecipeError(ValueError):
    """A recipe that cannot be used: the message names the file and the key."""


@dataclass
class _WenforgeFields:
    model: str | None = field(default=None, metadata={"help": "hub name or local path of a causal LM"})
    tiny: dict | None = field(
        default=None,
        metadata={"help": "build a tiny model from this spec (TinySpec fields) when `model` is not given"},
    )
    train_file: str | None = field(default=None, metadata={"help": "JSONL/JSON/Parquet file or run folder"})
    eval_file: str | None = field(default=None, metadata={"help": "held-out rows (optional)"})
    split: str | None = field(
        default="dev", metadata={"help": "keep rows with this `split` value (None: all)"}
    )
    limit: int | None = field(default=None, metadata={"help": "use at most this many training rows"})
    prompt_field: str = "question"
    answer_field: str = "answer"
    completion_field: str = "completion"
    messages_field: str = "messages"
    system_prompt: str | None = None
    prompt_template: str = CHAT_INSTRUCTION
    lora: dict | None = field(default=None, metadata={"help": "PEFT LoRA: r, alpha, dropout, target_modules"})
    resume: bool = field(default=True, metadata={"help": "resume from the last checkpoint in output_dir"})


@dataclass
class WenSFTConfig(SFTConfig, _WenforgeFields):
    """SFT on prompt/completion, chat `messages` or plain text rows (wenforge's distill and mix outputs)."""


@dataclass
class WenGRPOConfig(GRPOConfig, _WenforgeFields):
    """GRPO with wenforge's rule-based rewards. ``zero: true`` is R1-Zero: RL straight from a base model on a
    plain-text prompt template, no chat template."""

    zero: bool = False
    zero_template: str = R1_ZERO_TEMPLATE
    rewards: dict = field(default_factory=lambda: {"outcome": 1.0})
    reward_options: dict = field(default_factory=dict)
    track: list = field(default_factory=lambda: ["format", "reflection"])
    answer_format: str = "boxed"


KINDS = {"sft": WenSFTConfig, "grpo": WenGRPOConfig}
_PATH_KEYS = ("model", "train_file", "eval_file", "output_dir")


def load_recipe(path: str | Path, kind: str, overrides: dict[str, Any] | None = None):
    """Read a YAML recipe into ``WenSFTConfig`` / ``WenGRPOConfig``; unknown keys are errors naming the key.

    Relative paths resolve against the recipe's folder (``model``/``train_file`` only when they exist there). ``bf16`` defaults to on only
    with a bf16-capable CUDA device (TRL's own default is on, which fails on CPU).
    """
    path = Path(path)
    if kind not in KINDS:
        raise RecipeError(f"unknown training kind {kind!r}: expected one of {', '.join(KINDS)}")
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"), str(path)) or {}
    except FileNotFoundError:
        raise RecipeError(f"{path}: no such recipe") from None
    except YamlConfigError as e:
        raise RecipeError(str(e)) from None
    if not isinstance(raw, dict):
        raise RecipeError(f"{path}: a recipe is a mapping of config keys, got {type(raw).__name__}")
    raw = {**raw, **(overrides or {})}
    declared = raw.pop("kind", kind)
    if declared != kind:
        raise RecipeError(f"{path}: key 'kind' says {declared!r}, but this is `wenforge train {kind}`")
    cls = KINDS[kind]
    names = {f.name for f in dataclasses.fields(cls) if f.init}
    for key in raw:
        if key not in names:
            near = difflib.get_close_matches(key, names, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise RecipeError(f"{path}: unknown key {key!r} for {cls.__name__}{hint}")
    for key in _PATH_KEYS:  # output_dir always, the others when they exist there (else a hub name)
        v = raw.get(key)
        relative = isinstance(v, str) and not Path(v).is_absolute()
        if relative and (key == "output_dir" or (path.parent / v).exists()):
            raw[key] = str((path.parent / v).resolve())
    if "output_dir" not in raw:
        raise RecipeError(f"{path}: key 'output_dir' is required (the run folder)")
    if "bf16" not in raw and "fp16" not in raw:
        raw["bf16"] = _bf16_ok()
    raw.setdefault("report_to", [])
    if kind == "grpo":
        _check_rewards(path, raw)
    try:
        cfg = cls(**raw)
    except (TypeError, ValueError) as e:
        raise RecipeError(f"{path}: {e}") from None
    if cfg.model is None and cfg.tiny is None:
        raise RecipeError(f"{path}: give 'model' (hub name or local path) or 'tiny' (a spec to build one)")
    if cfg.train_file is None:
        raise RecipeError(f"{path}: key 'train_file' is required")
    return cfg


def _check_rewards(path: Path, raw: dict) -> None:
    from wenforge.rewards import REWARDS

    for key in ("rewards", "reward_options"):
        for name in raw.get(key) or {}:
            if name not in REWARDS:
                raise RecipeError(f"{path}: {key}: unknown reward {name!r}; known: {', '.join(REWARDS)}")
    for name in raw.get("track") or []:
        if name not in REWARDS:
            raise RecipeError(f"{path}: track: unknown reward {name!r}; known: {', '.join(REWARDS)}")
    fmt = raw.get("answer_format", "boxed")
    from wenforge.rewards import ANSWER_FORMATS

    if fmt not in ANSWER_FORMATS:
        raise RecipeError(f"{path}: answer_format {fmt!r}: expected one of {', '.join(ANSWER_FORMATS)}")


def _bf16_ok() -> bool:
    import torch

    return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())


def resolved(cfg) -> dict:
    """The config as plain JSON-able values (for stats.json)."""
    out = {}
    for f in dataclasses.fields(cfg):
        v = getattr(cfg, f.name)
        if isinstance(v, (str, int, float, bool, type(None), list, dict)):
            out[f.name] = v
        else:
            out[f.name] = str(v)
    return out
