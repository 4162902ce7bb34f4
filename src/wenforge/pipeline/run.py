"""Run a pipeline config end to end: stages on a datatrove executor, then stats.json and report.html.

A rerun of the same command resumes: datatrove skips ranks with completion markers, and every rank's
outputs are rewritten whole, so a killed run leaves no duplicates.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from wenforge import __version__
from wenforge.core import reasons as R
from wenforge.core import storage
from wenforge.core.config import ConfigError
from wenforge.core.rows import data_rows
from wenforge.core.runs import atomic_output, run_stats, write_stats
from wenforge.pipeline.build import RunLayout, build_stages, make_executor, slurm_executor
from wenforge.pipeline.config import PipelineConfig, SlurmConfig
from wenforge.pipeline.readers import expand_inputs

# datatrove step names -> wenforge step names, for stats
_DEDUP_STEPS = {"💥 exact-deduplication stage 3": "exact_dedup", "🎯 MinHash stage 4": "minhash_dedup"}

# the order of steps in a run; stats and reports follow it
STEP_ORDER = ["read", "decode", "extract", "normalize", "langid", "quality", "clean", "style", "values", "decontam", "exact_dedup", "minhash_dedup"]


@dataclass
class RunResult:
    out_dir: Path | str  # a remote run's URL
    read: int
    kept: int
    excluded: int
    by_step: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    slurm_jobs: list[tuple[str, str]] = field(default_factory=list)  # (stage, job id) submitted by --executor slurm

    @property
    def conserved(self) -> bool:
        return self.read == self.kept + self.excluded


def _fingerprint(cfg: PipelineConfig, files: list[str]) -> str:
    payload = json.dumps({"config": cfg.model_dump(mode="json"), "files": files}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _has_progress(layout: RunLayout) -> bool:
    """Whether any task of the run in this folder finished (datatrove's completion markers)."""
    return bool(storage.listing(layout.work, "logs/*/completions/*"))


def _read_text(path: Path | str) -> str:
    with storage.open_file(path, "r") as f:
        return f.read()


def _stage_stats(layout: RunLayout, stage: str) -> list[dict]:
    """Per-step stats of a stage summed over every rank's own file (ranks skipped on resume included)."""
    merged: list[dict] = []
    for f in storage.listing(layout.logs(stage), "stats/*.json"):
        for i, entry in enumerate(json.loads(_read_text(f))):
            if i >= len(merged):
                merged.append({"name": entry.get("name", ""), "stats": {}})
            acc = merged[i]["stats"]
            for k, v in entry.get("stats", {}).items():
                acc[k] = acc.get(k, 0) + _value(v)
    return merged


def _value(v) -> int:
    return int(v["total"]) if isinstance(v, dict) else int(v)


def _step_of(datatrove_name: str) -> str | None:
    """wenforge step of a datatrove stats entry ("TYPE: name")."""
    from wenforge.pipeline import steps as st

    name = datatrove_name.split(": ", 1)[-1]
    if name in _DEDUP_STEPS:
        return _DEDUP_STEPS[name]
    for cls in (st.ReadGate, st.Decode, st.Extract, st.Normalize, st.LanguageId, st.LanguageQuality):
        if name == cls.name:
            return cls.step
    for slot in ("clean", "style", "values", "decontam"):
        if slot in name.lower():
            return slot
    return None


def collect_stats(layout: RunLayout) -> dict:
    """Counts per step and reason from datatrove's per-stage stats: read, kept, excluded by step."""
    by_step: dict[str, dict[str, int]] = {}
    read = kept = 0
    for stage in ("process", "write"):
        for entry in _stage_stats(layout, stage):
            name, stats = entry.get("name", ""), entry.get("stats", {})
            if stage == "process" and "READER" in name:
                read += _value(stats.get("documents", 0))
            if stage == "write" and "WRITER" in name:
                kept += _value(stats.get("total", 0))
            step = _step_of(name)
            if not step:
                continue
            dropped = _value(stats.get("total", 0)) - _value(stats.get("forwarded", stats.get("total", 0)))
            if step in ("exact_dedup", "minhash_dedup"):
                reasons = {R.EXACT_DUPLICATE if step == "exact_dedup" else R.NEAR_DUPLICATE: dropped}
            else:
                reasons = {k[len("dropped_"):]: _value(v) for k, v in stats.items() if k.startswith("dropped_")}
                if dropped - sum(reasons.values()):
                    reasons["unspecified"] = dropped - sum(reasons.values())
            for r, c in reasons.items():
                if c:
                    by_step.setdefault(step, {})[r] = by_step.get(step, {}).get(r, 0) + c
    excluded = sum(sum(v.values()) for v in by_step.values())
    return {"read": read, "kept": kept, "excluded": excluded, "by_step": by_step}


def _step_stats(layout: RunLayout, step_name: str) -> dict | None:
    """The processing stage's stats of the step named `step_name` (summed over ranks), or None without it."""
    for entry in _stage_stats(layout, "process"):
        if entry["name"].endswith(step_name):
            return entry["stats"]
    return None


def _prefixed(stats: dict, prefix: str) -> dict:
    """The stats whose key starts with `prefix`, by the rest of the key, sorted."""
    return {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}


def pii_counts(layout: RunLayout) -> dict:
    """Spans replaced per PII type by the pii step (its `pii_<type>` stats), summed over ranks; {} without it."""
    from wenforge.pii.step import STATS_PREFIX, PIIRedact

    stats = _step_stats(layout, PIIRedact.name)
    if stats is None:
        return {}
    return {"documents": stats.get("documents", 0), "with_pii": stats.get("with_pii", 0),
            "spans": _prefixed(stats, STATS_PREFIX)}


def values_counts(layout: RunLayout, profile: str) -> dict:
    """Documents labelled by the values step, those with any risk label, and per TC260 area (its `risk_A.n`
    stats), summed over ranks; {} without the step."""
    from wenforge.values.step import ValuesLabel

    stats = _step_stats(layout, ValuesLabel.name)
    if stats is None:
        return {}
    n = stats.get("documents", 0)
    return {"profile": profile, "documents": n, "with_risk": stats.get("risky", 0),
            "with_risk_share": round(stats.get("risky", 0) / n, 4) if n else 0.0, "areas": _prefixed(stats, "risk_")}


def decontam_counts(layout: RunLayout, action: str) -> dict:
    """Documents tested and contaminated by the decontaminate step, and per benchmark (its `benchmark_<name>`
    stats), summed over ranks; {} without the step."""
    from wenforge.decontam.step import STATS_PREFIX, Decontaminate

    stats = _step_stats(layout, Decontaminate.name)
    if stats is None:
        return {}
    return {"action": action, "documents": stats.get("total", 0), "contaminated": stats.get("contaminated", 0),
            "benchmarks": _prefixed(stats, STATS_PREFIX)}


def run_pipeline(
    cfg: PipelineConfig,
    *,
    executor: str = "local",
    workers: int | None = None,
    out_dir: str | Path | None = None,
    verbose: bool = False,
    on_stage: Callable[[str, int, int], None] | None = None,
) -> RunResult:
    """Run all stages; resume when the output folder holds the same run; write stats.json and report.html.
    `executor="slurm"` submits the stages as chained job arrays and returns their job ids, writing no stats: the
    same command with the local executor afterwards finds every task done and writes them."""
    t0 = time.time()
    if executor == "slurm" and cfg.slurm is None:
        raise ConfigError("--executor slurm needs a `slurm:` section in the config (partition, time, ...)")
    files = expand_inputs(cfg.input.paths, recursive=cfg.input.recursive, fmt=cfg.input.format)
    root = _run_folder(out_dir or cfg.output.dir)
    layout = RunLayout(root)
    fp = _fingerprint(cfg, files)
    marker = layout.path("_work", "run.json")
    if storage.exists(marker):
        prev = json.loads(_read_text(marker))
        if prev.get("fingerprint") != fp and _has_progress(layout):
            raise ConfigError(
                f"{root} holds a different run (other config or inputs); choose another --output or delete it"
            )
    tasks = cfg.tasks or max(1, min(64, len(files)))
    workers = workers or cfg.workers
    stages = build_stages(cfg, files, layout, tasks)
    # written once the stages are built: a config error found while building leaves the folder reusable
    with atomic_output(marker, "w") as f:
        f.write(json.dumps({"fingerprint": fp, "files": len(files), "version": __version__}))
    if executor == "slurm":
        return RunResult(root, 0, 0, 0, slurm_jobs=submit_slurm(stages, layout, cfg.slurm), seconds=time.time() - t0)
    timings = {}
    if not verbose:
        from loguru import logger

        logger.remove()  # datatrove's default sink writes to the real stderr; it goes to the run log instead
    with _run_log(layout) as log:
        for i, stage in enumerate(stages):
            if on_stage:
                on_stage(stage.name, i, len(stages))
            s0 = time.time()
            ex = make_executor(stage, layout, executor, workers)
            if verbose:
                ex.run()
            else:  # datatrove logs every task to stderr; keep them in the run folder instead
                with contextlib.redirect_stderr(log):
                    ex.run()
            timings[stage.name] = round(time.time() - s0, 3)
    if on_stage:
        on_stage("done", len(stages), len(stages))
    counts = collect_stats(layout)
    result = RunResult(root, counts["read"], counts["kept"], counts["excluded"], counts["by_step"])
    result.problems = read_problems(root)
    result.seconds = time.time() - t0
    flat: dict[str, int] = {}
    for reasons in result.by_step.values():
        for code, n in reasons.items():
            flat[code] = flat.get(code, 0) + n
    stats = run_stats(
        "run", read=result.read, kept=result.kept, excluded=flat, seconds=result.seconds,
        config=cfg.model_dump(mode="json"), packages=("datatrove",),
        name=cfg.name, executor=executor, tasks=tasks, workers=workers, input_files=len(files),
        excluded_by_step={s: result.by_step[s] for s in STEP_ORDER if s in result.by_step},
        stage_seconds=timings,
        **({"pii": pii_counts(layout)} if cfg.pii.enabled else {}),
        **({"values": values_counts(layout, cfg.values.profile)} if cfg.values.enabled else {}),
        **({"decontam": decontam_counts(layout, cfg.decontaminate.action)} if cfg.decontaminate.enabled else {}),
    )
    write_stats(root, stats)
    from wenforge.pipeline.report import write_run_report

    write_run_report(root, stats, samples=cfg.output.report_samples)
    return result


def submit_slurm(stages: list, layout: RunLayout, slurm: SlurmConfig) -> list[tuple[str, str]]:
    """Submit every stage as a Slurm job array, each after the one before ends well; (stage, job id) back
    (job id -1: all of that stage's tasks were already done)."""
    executors = []
    for stage in stages:
        executors.append(slurm_executor(stage, layout, slurm, depends=executors[-1] if executors else None))
    executors[-1].run()  # launches the chain from the first stage
    return [(stage.name, str(ex.job_id)) for stage, ex in zip(stages, executors, strict=True)]


def _run_folder(path: str | Path) -> Path | str:
    """The run folder: a Path, or a remote URL whose file system is installed (ConfigError naming it else)."""
    if not storage.is_url(path):
        return Path(path)
    try:
        return storage.check_url(str(path))
    except storage.StorageError as e:
        raise ConfigError(f"output.dir: {e}") from None


@contextlib.contextmanager
def _run_log(layout: RunLayout) -> Iterator[IO[str]]:
    """The run's datatrove.log opened for appending; a remote run's log is kept locally and appended to the
    remote file when the run ends (forked workers share the handle, which a network file cannot take)."""
    target = layout.path("_work", "datatrove.log")
    if not storage.is_url(target):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        with open(target, "a", encoding="utf-8") as log:
            yield log
        return
    with tempfile.TemporaryDirectory(prefix="wenforge-log-") as tmp:
        local = Path(tmp) / "datatrove.log"
        try:
            with open(local, "a", encoding="utf-8") as log:
                yield log
        finally:
            before = _read_text(target).encode() if storage.exists(target) else b""
            storage.write_bytes(str(target), before + local.read_bytes())


def read_problems(root: Path | str, limit: int = 10) -> list[str]:
    """`file:line: reason: detail` for the first input problems (malformed lines, empty/binary files)."""
    out: list[str] = []
    for f in storage.listing(storage.join(root, "excluded", "read"), "*.jsonl.gz"):
        for rec in data_rows(f, allow_empty=True):
            where = f"{rec.get('source')}:{rec['line']}" if rec.get("line") else str(rec.get("source"))
            out.append(f"{where}: {rec['reason']}: {rec['metadata'].get('error_detail', '')}".rstrip(": "))
            if len(out) >= limit:
                return out
    return out


def exclusion_counts(root: Path | str) -> Counter:
    """Count exclusion records per (step, reason) by reading excluded/ (used by tests and audits)."""
    counts: Counter = Counter()
    for f in storage.listing(storage.join(root, "excluded"), "*/*.jsonl.gz"):
        for rec in data_rows(f, allow_empty=True):
            counts[(rec["step"], rec["reason"])] += 1
    return counts
