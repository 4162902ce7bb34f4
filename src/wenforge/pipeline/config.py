"""The pipeline's YAML config, validated with pydantic; errors name the key and its line in the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from wenforge.clean.config import CleanConfig
from wenforge.core.config import ConfigPath, problem_at
from wenforge.core.config import load_config as load_yaml_config
from wenforge.decontam.config import DecontamConfig
from wenforge.pii.detect import PII_TYPES
from wenforge.pii.replace import SALT_ENV, check_types, resolve_salt


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class InputConfig(_Strict):
    paths: list[ConfigPath] = Field(..., description="files, folders or globs, relative to the config file")
    format: Literal["auto", "jsonl", "parquet", "html", "txt", "warc"] = "auto"
    text_field: str = "text"
    id_field: str = "id"
    recursive: bool = True

    @field_validator("paths", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v


class LimitsConfig(_Strict):
    max_chars: int = Field(1_000_000, gt=0, description="documents longer than this are truncated or excluded")
    oversize: Literal["truncate", "exclude"] = "truncate"
    max_file_bytes: int = Field(64 * 1024 * 1024, gt=0, description="raw files (html/txt/warc records) above this are excluded unread")


class DecodeConfig(_Strict):
    enabled: bool = True  # off: raw bytes are read as UTF-8 with replacement characters


class ExtractConfig(_Strict):
    enabled: bool = True
    favor_precision: bool = False
    include_tables: bool = False
    min_chars: int = Field(1, ge=0)


class NormalizeConfig(_Strict):
    enabled: bool = True
    nfkc: bool = True
    strip_tags: bool = True
    to_simplified: bool = False


class LangIdConfig(_Strict):
    enabled: bool = True
    allow: list[str] = Field(default_factory=lambda: ["zh", "en"])
    min_score: float = Field(0.5, ge=0, le=1)
    sample_chars: int = Field(2000, gt=0, description="the language is detected on this many leading characters")


class ChineseQualityConfig(_Strict):
    """FineWeb-2 `cmn_Hani` thresholds (huggingface/fineweb-2 configs/cmn_Hani.yml)."""

    dup_line_frac: float = Field(0.287, ge=0, le=1)
    top_n_grams: list[tuple[int, float]] = Field(default_factory=lambda: [(2, 0.256), (3, 0.201), (4, 0.171)])
    dup_n_grams: list[tuple[int, float]] = Field(
        default_factory=lambda: [(5, 0.198), (6, 0.182), (7, 0.167), (8, 0.154), (9, 0.14), (10, 0.127)]
    )
    line_punct_thr: float = Field(0.106, ge=0, le=1)
    new_line_ratio: float = Field(0.178, ge=0, le=1)
    char_duplicates_ratio: float = Field(0.1, ge=0, le=1)
    max_avg_word_length: float = Field(5, gt=0)
    min_avg_word_length: float = Field(1, ge=0)
    max_non_alpha_words_ratio: float = Field(0.735, ge=0, le=1)
    min_doc_words: int = Field(50, ge=0)
    min_stop_words: int = Field(2, ge=0)
    stopwords: list[str] = Field(
        default_factory=lambda: list("的年在月是和日了於·為有被人中为他與後也而由")
    )


class EnglishQualityConfig(_Strict):
    """Gopher quality and repetition rules with datatrove's defaults."""

    min_doc_words: int = Field(50, ge=0)
    max_doc_words: int = Field(100_000, gt=0)
    min_stop_words: int = Field(2, ge=0)


class RescueConfig(_Strict):
    """Generic web filters drop poetry and classical prose (short lines, few stopwords); keep what they drop
    when the style system scores it as literature."""

    enabled: bool = True
    min_literary_score: float = Field(0.8, ge=0, le=1)


class QualityConfig(_Strict):
    enabled: bool = True
    rescue_literary: RescueConfig = Field(default_factory=RescueConfig)
    zh: ChineseQualityConfig = Field(default_factory=ChineseQualityConfig)
    en: EnglishQualityConfig = Field(default_factory=EnglishQualityConfig)


class CleanSlotConfig(_Strict):
    enabled: bool = False
    options: CleanConfig = Field(default_factory=CleanConfig, description="wenforge.clean's config keys")


class StyleSlotConfig(_Strict):
    enabled: bool = False
    features: bool = False
    evidence: bool = True  # device evidence spans (offsets into the kept text) for reports


class ValuesSlotConfig(_Strict):
    """Values risk labels (wenforge.values.step.ValuesLabel): values_risk, risk_labels, risk_l1 per document."""

    enabled: bool = False
    profile: str = Field("core", description="values profile whose refuse_at thresholds decide a risk label")
    evidence: bool = True  # risk_passages (offsets into the kept text) for reports

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, v: str) -> str:
        from wenforge.values.step import check_profile

        return check_profile(v)


class PIISlotConfig(_Strict):
    """Personal data replaced in the kept text (wenforge.pii.step.PIIRedact); spans in metadata `pii`."""

    enabled: bool = False
    mode: Literal["placeholder", "hash"] = "placeholder"
    types: list[str] = Field(default_factory=lambda: list(PII_TYPES), description="PII types to redact")
    salt: SecretStr | None = Field(None, description="hash mode's salt (else $WENFORGE_PII_SALT); never written out")

    @field_validator("types")
    @classmethod
    def _known_types(cls, v: list[str]) -> list[str]:
        check_types(v)
        return v

    @model_validator(mode="after")
    def _salt_for_hash(self) -> PIISlotConfig:
        if self.enabled and self.mode == "hash" and not resolve_salt(self.salt.get_secret_value() if self.salt else None):
            raise problem_at("salt", f"hash mode needs a salt: set pii.salt or ${SALT_ENV}")
        return self


class MinhashConfig(_Strict):
    enabled: bool = True
    n_grams: int = Field(5, ge=1, description="character n-gram shingles")
    num_buckets: int = Field(14, ge=1)
    hashes_per_bucket: int = Field(8, ge=1)


class DedupConfig(_Strict):
    exact: bool = True
    minhash: MinhashConfig = Field(default_factory=MinhashConfig)


class OutputConfig(_Strict):
    dir: ConfigPath = Field("wenforge-out", description="the run folder, relative to the config file")
    report_samples: int = Field(8, ge=0)


class SlurmConfig(_Strict):
    """`--executor slurm`: each stage an sbatch job array (datatrove's SlurmPipelineExecutor), chained afterok.
    One task per array job: datatrove runs a job's tasks in one process with the same step objects, so step
    statistics (and any per-task state) would carry from one task into the next."""

    partition: str = Field(..., description="the Slurm partition the jobs run in")
    time: str = Field("24:00:00", description="wall-time limit of each job (HH:MM:SS or D-HH:MM:SS)")
    cpus_per_task: int = Field(1, ge=1)
    mem_per_cpu_gb: int = Field(2, ge=1)
    qos: str = "normal"
    job_name: str = Field("wenforge", description="prefix of the jobs' names; the stage name is appended")
    venv_path: str | None = Field(None, description="a virtualenv activate script the jobs source (wenforge installed there)")
    sbatch_args: dict[str, str] = Field(default_factory=dict, description="more #SBATCH options, e.g. {account: X}")


class PipelineConfig(_Strict):
    name: str = "wenforge-run"
    input: InputConfig
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    decode: DecodeConfig = Field(default_factory=DecodeConfig)
    extract: ExtractConfig = Field(default_factory=ExtractConfig)
    normalize: NormalizeConfig = Field(default_factory=NormalizeConfig)
    langid: LangIdConfig = Field(default_factory=LangIdConfig)
    quality: QualityConfig = Field(default_factory=QualityConfig)
    clean: CleanSlotConfig = Field(default_factory=CleanSlotConfig)
    style: StyleSlotConfig = Field(default_factory=StyleSlotConfig)
    values: ValuesSlotConfig = Field(default_factory=ValuesSlotConfig)
    pii: PIISlotConfig = Field(default_factory=PIISlotConfig)
    decontaminate: DecontamConfig = Field(default_factory=DecontamConfig)
    dedup: DedupConfig = Field(default_factory=DedupConfig)
    output: OutputConfig = Field(default_factory=OutputConfig)
    tasks: int = Field(0, ge=0, description="datatrove tasks; 0 = one per input file, at most 64")
    workers: int = Field(1, ge=1)
    slurm: SlurmConfig | None = Field(None, description="settings of `--executor slurm`")


def load_config(path: str | Path, overrides: dict[str, Any] | None = None) -> PipelineConfig:
    """Read and validate a pipeline YAML (dotted override keys set nested keys); ConfigError: file:line: key: message."""
    return load_yaml_config(path, PipelineConfig, overrides=overrides)
