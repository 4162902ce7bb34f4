"""Distillation config: one flat pydantic model, loadable from YAML, every key also a CLI flag.

The config is flat on purpose: `--base-url` on the command line and `base_url:` in YAML are the
same key, so a YAML file and a command line are interchangeable (flags override the file).
The API key itself is never part of the config: only the *name* of the environment variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wenforge.core.config import ConfigPath, ModelPath, Relative, parse_config, problem_at
from wenforge.core.config import load_config as load_yaml_config
from wenforge.core.redact import redact_url
from wenforge.distill.checks import check_problem
from wenforge.rewards import ANSWER_FORMATS

# a style_transfer run checks these unless `checks` says otherwise
STYLE_TRANSFER_CHECKS = ["nonempty", "content", "style_match", "clean", "language"]


class DistillConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    # --- input -------------------------------------------------------------------------------
    input: Annotated[Path, Relative()] = Field(description="prompts: a JSONL or Parquet file (a wenforge mix, math problems, ...)")
    prompt_field: str = Field("prompt", description="column holding the prompt (or the passage to restyle)")
    id_field: str = Field("id", description="column holding the row id (copied into every output row)")
    answer_field: str | None = Field(None, description="column with the reference answer (enables 'outcome')")
    system_prompt: str | None = Field(None, description="system message sent before every prompt")
    limit: int | None = Field(None, ge=1, description="use only the first N input rows")

    # --- task --------------------------------------------------------------------------------
    task: Literal["generate", "style_transfer"] = Field("generate", description="generate or style_transfer")
    template: ModelPath | None = Field(
        None, description="prompt template: a name in distill/templates or a YAML path (style_transfer default)"
    )

    # --- output ------------------------------------------------------------------------------
    output: Annotated[Path, Relative()] = Field(description="SFT dataset to write (JSONL, chat `messages` rows)")
    run_dir: Annotated[Path, Relative()] | None = Field(None, description="run folder for stats.json, report.html, excluded/ (default: OUTPUT.run)")
    cache_dir: Annotated[Path, Relative()] | None = Field(None, description="persistent request cache folder (default: RUN_DIR/cache)")
    reasoning_format: Literal["think_tags", "field", "drop"] = Field(
        "think_tags", description="how the chain of thought goes into the SFT row"
    )

    # --- teacher -----------------------------------------------------------------------------
    base_url: str = Field("http://127.0.0.1:8000/v1", description="OpenAI-compatible endpoint")
    model: str = Field("teacher", description="model name sent to the endpoint")
    api_key_env: str = Field("OPENAI_API_KEY", description="NAME of the env var holding the API key")
    temperature: float = Field(0.7, ge=0.0, le=2.0, description="sampling temperature")
    top_p: float | None = Field(None, gt=0.0, le=1.0, description="nucleus sampling")
    max_tokens: int | None = Field(1024, ge=1, description="max completion tokens")
    n: int = Field(1, ge=1, le=64, description="samples per prompt")
    n_per_request: bool = Field(
        True, description="ask for all n samples in one request (`n`); off: n separate requests (seed+i)"
    )
    seed: int | None = Field(None, description="sampling seed sent to the endpoint")
    extra_body: dict[str, Any] = Field(default_factory=dict, description="extra JSON fields for the request body")

    # --- client ------------------------------------------------------------------------------
    transport: Literal["httpx", "openai"] = Field(
        "httpx", description="HTTP path: httpx (thin, default) or openai (the openai SDK's AsyncOpenAI)"
    )
    concurrency: int = Field(16, ge=1, le=4096, description="requests in flight at once")
    timeout: float = Field(120.0, gt=0, description="seconds per request attempt")
    max_retries: int = Field(6, ge=0, le=50, description="retries on 429/5xx/timeouts/connection errors")
    backoff_base: float = Field(0.5, ge=0, description="first backoff delay in seconds (doubles each retry)")
    backoff_max: float = Field(30.0, ge=0, description="backoff delay cap in seconds")
    retry_after_max: float = Field(120.0, ge=0, description="cap on a server's Retry-After in seconds")

    # --- rejection sampling ------------------------------------------------------------------
    checks: list[str] | None = Field(
        None, description="verifiers to run on every sample (default depends on task; see docs/distill.md)"
    )
    keep: Literal["best", "all"] = Field("best", description="keep the best passing sample or all of them")
    answer_format: Literal[ANSWER_FORMATS] = Field(  # type: ignore[valid-type]  # the rewards' registry
        "boxed", description="answer format for the outcome reward"
    )
    language: str = Field("auto", description="expected output language for 'language' (auto: the prompt's)")

    # --- style -------------------------------------------------------------------------------
    style_profile: ConfigPath | None = Field(None, description="style profile JSON (wenforge.style.load_profile)")
    style_labels: list[str] = Field(default_factory=list, description="taxonomy labels of the target style")
    style_description: str | None = Field(None, description="free-text description of the target style")
    style_min_gain: float = Field(0.0, description="a rewrite's style_match must exceed the source's by this")
    literary_min: float | None = Field(None, description="minimum literary_score for 'literary'")
    similarity_floor: float = Field(0.25, ge=0.0, le=1.0, description="min char-bigram cosine source vs rewrite")
    key_terms: int = Field(3, ge=0, description="top key terms of the source checked in a rewrite")
    key_term_share: float = Field(0.6, ge=0.0, le=1.0, description="share of those key terms that must survive")

    # --- values ------------------------------------------------------------------------------
    values_profile: str = Field("core", description="values profile deciding which prompts must be refused ('values')")
    values_keep_refusals: bool = Field(
        False, description="'values' keeps bare refusals to must-refuse prompts (refusal data); off: bare_refusal"
    )

    @field_validator("checks", "style_labels", mode="before")
    @classmethod
    def _split_commas(cls, v: Any) -> Any:
        if isinstance(v, str):
            return [s.strip() for s in v.split(",") if s.strip()]
        return v

    @field_validator("extra_body", mode="before")
    @classmethod
    def _parse_json(cls, v: Any) -> Any:
        if isinstance(v, str):
            import json

            try:
                return json.loads(v) if v.strip() else {}
            except json.JSONDecodeError as e:
                raise ValueError(f"extra_body must be a JSON object: {e}") from e
        return v

    @field_validator("values_profile")
    @classmethod
    def _known_profile(cls, v: str) -> str:
        from wenforge.values.profile import load_policy

        load_policy().rule(v, None)  # ValueError naming the known profiles
        return v

    @field_validator("base_url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https:// (got {v!r})")
        return v.rstrip("/")

    @model_validator(mode="after")
    def _defaults(self) -> DistillConfig:
        if self.checks is None:
            if self.task == "style_transfer":
                if not self.style_profile:
                    raise problem_at("style_profile", "task style_transfer checks style_match by default: give "
                                                      "`style_profile` (a profile JSON) or `checks` without style_match")
                default = list(STYLE_TRANSFER_CHECKS)
            else:
                default = ["nonempty", "clean", "language", "values"]
                if self.answer_field:
                    default.insert(1, "outcome")
            object.__setattr__(self, "checks", default)
        for i, name in enumerate(self.checks):
            if problem := check_problem(name, self):
                raise problem_at(("checks", i), problem)
        return self

    # --- derived paths -----------------------------------------------------------------------
    @property
    def resolved_run_dir(self) -> Path:
        return self.run_dir or self.output.with_name(self.output.name + ".run")

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or self.resolved_run_dir / "cache"

    def public_dict(self) -> dict[str, Any]:
        """The resolved config as plain JSON data (holds no secret: only the env var's name)."""
        d = self.model_dump(mode="json")
        d["base_url"] = redact_url(d["base_url"])  # a key pasted into the URL stays out of stats and reports
        d["run_dir"] = str(self.resolved_run_dir)
        d["cache_dir"] = str(self.resolved_cache_dir)
        return d


def load_config(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> DistillConfig:
    """A YAML config (optional) with flags (`overrides`, None: not given) over it; ConfigError: file:line: key: message.

    Relative paths in the file are relative to the file; in flags, to the working folder."""
    flags = {k: v for k, v in (overrides or {}).items() if v is not None}
    if path is None:
        return parse_config({}, DistillConfig, source="command line", overrides=flags)
    return load_yaml_config(path, DistillConfig, overrides=flags)
