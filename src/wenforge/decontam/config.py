"""The `decontaminate:` section of a pipeline config: which benchmark files, n, threshold, and what to do on a match."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wenforge.core.config import ConfigPath, problem_at
from wenforge.decontam.index import DEFAULT_N, DEFAULT_THRESHOLD, MIN_ITEM_TOKENS


class DecontamConfig(BaseModel):
    """Documents sharing `threshold` of a benchmark item's n-grams are excluded (reason `benchmark_contamination`)
    or, with `action: flag`, kept with `contaminated` and `decontam_matches` in their metadata."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = False
    against: list[ConfigPath] = Field(default_factory=list,
                                      description="benchmark JSONL/Parquet files, relative to the config file")
    field: str | None = Field(None, description="the field holding each item (default: question, problem, prompt, "
                                                "input or text, the first present)")
    n: int = Field(DEFAULT_N, ge=1, description="tokens per n-gram (a Han character or a word is one token)")
    threshold: float = Field(DEFAULT_THRESHOLD, gt=0, le=1, description="share of an item's n-grams a document "
                                                                       "must contain")
    min_tokens: int = Field(MIN_ITEM_TOKENS, ge=1, description="items with fewer tokens are not indexed")
    action: Literal["exclude", "flag"] = "exclude"

    @field_validator("against", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @field_validator("against")
    @classmethod
    def _files_exist(cls, v: list[str]) -> list[str]:
        for p in v:
            if not Path(p).is_file():
                raise ValueError(f"{p}: no such benchmark file")
        return v

    @model_validator(mode="after")
    def _files_when_enabled(self) -> DecontamConfig:
        if self.enabled and not self.against:
            raise problem_at("against", "name at least one benchmark file to decontaminate against")
        return self
