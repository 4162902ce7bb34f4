"""Training configs: TRL's own ``SFTConfig`` / ``GRPOConfig`` extended with wenforge's fields, read from a flat
YAML recipe (every key is a field of the dataclass, TRL's and ours alike). Heavy: imports trl."""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, create_model, field_validator, model_validator
from trl import GRPOConfig, SFTConfig

from wenforge.core.config import ConfigError, ConfigPath, ModelPath, load_config, parse_config, problem_at
from wenforge.rewards import ANSWER_FORMATS, REWARDS

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
    """Training data or a model spec that a recipe points at cannot be used (the recipe itself: ConfigError)."""


def _known_reward(name: str) -> str:
    if name not in REWARDS:
        raise ValueError(f"unknown reward {name!r}; known: {', '.join(REWARDS)}")
    return name


RewardName = Annotated[str, AfterValidator(_known_reward)]


@dataclass
class _WenforgeFields:
    model: ModelPath | None = field(default=None, metadata={"help": "hub name or local path of a causal LM"})
    tiny: dict | None = field(
        default=None,
        metadata={"help": "build a tiny model from this spec (TinySpec fields) when `model` is not given"},
    )
    train_file: ConfigPath | None = field(default=None, metadata={"help": "JSONL/JSON/Parquet file or run folder"})
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
class _WenforgeGRPOFields(_WenforgeFields):
    zero: bool = False
    zero_template: str = R1_ZERO_TEMPLATE
    rewards: dict[RewardName, float] = field(default_factory=lambda: {"outcome": 1.0})
    reward_options: dict[RewardName, dict] = field(default_factory=dict)
    track: list[RewardName] = field(default_factory=lambda: ["format", "reflection"])
    answer_format: Literal[ANSWER_FORMATS] = "boxed"  # type: ignore[valid-type]  # the rewards' registry


@dataclass
class WenGRPOConfig(GRPOConfig, _WenforgeGRPOFields):
    """GRPO with wenforge's rule-based rewards. ``zero: true`` is R1-Zero: RL straight from a base model on a
    plain-text prompt template, no chat template."""


KINDS = {"sft": WenSFTConfig, "grpo": WenGRPOConfig}
_OURS = {"sft": _WenforgeFields, "grpo": _WenforgeGRPOFields}


class _RecipeKeys(BaseModel):
    """A recipe's keys, validated before TRL's dataclass sees them: wenforge's fields by their types, TRL's by
    TRL itself; unknown keys are errors. Subclassed per kind by `recipe_keys`."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    KIND: ClassVar[str] = ""

    @field_validator("kind", check_fields=False)
    @classmethod
    def _kind(cls, v: Any) -> Any:
        if v != cls.KIND:
            raise ValueError(f"this recipe says {v!r}, but this is `wenforge train {cls.KIND}`")
        return v

    @model_validator(mode="after")
    def _model_and_rows(self) -> _RecipeKeys:
        if self.model is None and self.tiny is None:
            raise problem_at("model", "give 'model' (hub name or local path) or 'tiny' (a spec to build one)")
        if self.train_file is None:
            raise problem_at("train_file", "required: the training rows (JSONL/JSON/Parquet file or run folder)")
        return self


@functools.cache
def recipe_keys(kind: str) -> type[_RecipeKeys]:
    """The pydantic model of a `kind` recipe: every init field of its TRL config, ours typed, TRL's as given."""
    ours = typing.get_type_hints(_OURS[kind], include_extras=True)
    fields: dict[str, Any] = {"kind": (str, kind), "output_dir": (ConfigPath, ...)}
    for f in dataclasses.fields(KINDS[kind]):
        if f.init and f.name not in fields:
            fields[f.name] = (ours.get(f.name, Any), None)
    model = create_model(f"{KINDS[kind].__name__}Keys", __base__=_RecipeKeys, **fields)
    model.KIND = kind
    return model


def load_recipe(path: str | Path, kind: str, overrides: dict[str, Any] | None = None):
    """Read a YAML recipe into ``WenSFTConfig`` / ``WenGRPOConfig``; ConfigError: ``file:line: key: message``.

    Relative paths resolve against the recipe's folder (``model`` only when it exists there: else a hub name).
    ``bf16`` defaults to on only with a bf16-capable CUDA device (TRL's own default is on, which fails on CPU).
    """
    if kind not in KINDS:
        raise ConfigError(f"unknown training kind {kind!r}: expected one of {', '.join(KINDS)}")
    return _recipe(load_config(path, recipe_keys(kind), overrides=overrides), kind, str(path))


def recipe_from(keys: dict[str, Any], kind: str, *, source: str):
    """A recipe from its keys in memory (what `wenforge forge` builds per round); ConfigError names `source`."""
    if kind not in KINDS:
        raise ConfigError(f"unknown training kind {kind!r}: expected one of {', '.join(KINDS)}")
    return _recipe(parse_config(keys, recipe_keys(kind), source=source), kind, source)


def _recipe(validated: _RecipeKeys, kind: str, source: str):
    """TRL's dataclass from validated keys: bf16 only where the device has it, no external loggers."""
    keys = validated.model_dump(exclude_unset=True)
    keys.pop("kind", None)
    if "bf16" not in keys and "fp16" not in keys:
        keys["bf16"] = _bf16_ok()
    keys.setdefault("report_to", [])
    try:
        return KINDS[kind](**keys)
    except (TypeError, ValueError) as e:  # TRL's and transformers' own checks of their fields
        raise ConfigError(f"{source}: {e}") from None


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
