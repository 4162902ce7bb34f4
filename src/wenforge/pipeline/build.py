"""Turn a PipelineConfig into datatrove executors: one processing stage, then datatrove's exact and MinHash
dedup stages, then the final filter-and-write stage. Local, Ray or Slurm: the same pipeline lists."""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from datatrove.pipeline.dedup.exact_dedup import (
    ExactDedupConfig,
    ExactDedupFilter,
    ExactDedupSignature,
    ExactFindDedups,
)
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
from datatrove.utils.hashing import HashConfig

from wenforge.core import reasons as R
from wenforge.core import storage
from wenforge.core.config import ConfigError
from wenforge.core.runs import die_with_parent
from wenforge.pipeline.config import PipelineConfig, SlurmConfig
from wenforge.pipeline.readers import CorpusReader
from wenforge.pipeline.steps import Decode, Extract, LanguageId, LanguageQuality, Normalize, ReadGate
from wenforge.pipeline.steps.quality import chinese_filters, english_filters
from wenforge.pipeline.writers import DedupExclusionWriter, ExclusionWriter, kept_writer
from wenforge.text.tokenizers import CharTokenizer


def _doc_text(doc) -> str:
    return doc.text


@dataclass
class Stage:
    name: str
    pipeline: list
    tasks: int


@dataclass
class RunLayout:
    """Where one run writes: the DESIGN's one run, one folder (a local Path, or a remote fsspec URL string)."""

    root: Path | str

    def path(self, *parts: str) -> Path | str:
        """A path inside the run folder, of the root's kind (Path or URL)."""
        return storage.join(self.root, *parts)

    def folder(self, *parts: str):
        """A folder inside the run folder as datatrove's steps take it (`storage.datatrove_folder`)."""
        return storage.datatrove_folder(self.path(*parts))

    @property
    def data(self) -> Path | str:
        return self.path("data")

    @property
    def excluded(self) -> Path | str:
        return self.path("excluded")

    @property
    def work(self) -> Path | str:
        return self.path("_work")

    def logs(self, stage: str) -> Path | str:
        return self.path("_work", "logs", stage)


def processing_steps(cfg: PipelineConfig, layout: RunLayout) -> list:
    """Steps 2-8 (decode .. pii, style, values) as datatrove steps, each with its exclusion writer."""

    def excl(step: str):
        return ExclusionWriter(layout.folder("excluded", step), step)

    steps = [ReadGate(excl("read"), max_chars=cfg.limits.max_chars, oversize=cfg.limits.oversize)]
    steps.append(Decode(excl("decode"), detect=cfg.decode.enabled, max_chars=cfg.limits.max_chars, oversize=cfg.limits.oversize))
    if cfg.extract.enabled:
        e = cfg.extract
        steps.append(Extract(excl("extract"), favor_precision=e.favor_precision, include_tables=e.include_tables, min_chars=e.min_chars))
    if cfg.normalize.enabled:
        n = cfg.normalize
        steps.append(Normalize(excl("normalize"), nfkc=n.nfkc, strip_tags=n.strip_tags, to_simplified=n.to_simplified))
    if cfg.langid.enabled:
        lg = cfg.langid
        steps.append(LanguageId(excl("langid"), allow=lg.allow, min_score=lg.min_score, sample_chars=lg.sample_chars))
    if cfg.quality.enabled:
        chains = {"zh": chinese_filters(cfg.quality.zh), "en": english_filters(cfg.quality.en)}
        rescue = cfg.quality.rescue_literary
        threshold = rescue.min_literary_score if rescue.enabled else None
        steps.append(LanguageQuality(excl("quality"), chains=chains, rescue_literary=threshold))
    if cfg.clean.enabled:
        from wenforge.clean.step import AdversarialClean

        steps.append(AdversarialClean(excl("clean"), config=cfg.clean.options))
    if cfg.pii.enabled:  # before style and values, so their evidence offsets are into the redacted text
        from wenforge.pii.replace import resolve_salt
        from wenforge.pii.step import PIIRedact

        salt = resolve_salt(cfg.pii.salt.get_secret_value() if cfg.pii.salt else None)
        steps.append(PIIRedact(mode=cfg.pii.mode, types=cfg.pii.types, salt=salt))
    if cfg.style.enabled:
        from wenforge.style.step import StyleLabel

        steps.append(StyleLabel(features=cfg.style.features, evidence=cfg.style.evidence))
    if cfg.values.enabled:
        from wenforge.values.step import ValuesLabel

        steps.append(ValuesLabel(profile=cfg.values.profile, evidence=cfg.values.evidence))
    if cfg.decontaminate.enabled:  # last: the text tested is the text kept
        from wenforge.decontam.step import STEP, decontam_step

        steps.append(decontam_step(cfg.decontaminate, layout.path("_work", STEP), excl(STEP)))
    return steps


def build_stages(cfg: PipelineConfig, files: list[str], layout: RunLayout, tasks: int) -> list[Stage]:
    """All stages of one run, in order."""
    processed = layout.folder("_work", "processed")
    reader = CorpusReader(
        files,
        fmt=cfg.input.format,
        text_field=cfg.input.text_field,
        id_field=cfg.input.id_field,
        max_file_bytes=cfg.limits.max_file_bytes,
    )
    stages = [
        Stage(
            "process",
            [reader, *processing_steps(cfg, layout), JsonlWriter(processed, output_filename="${rank}.jsonl.gz")],
            tasks,
        )
    ]

    def read_processed():
        return JsonlReader(processed, glob_pattern="*.jsonl.gz")

    final_filters: list = []
    exact_filter = None
    if cfg.dedup.exact:
        ecfg = ExactDedupConfig(content_getter=_doc_text, hash_config=HashConfig(precision=64, hash_fc="xxhash"))
        sigs, dups = layout.folder("_work", "exact", "sigs"), layout.folder("_work", "exact", "dups")
        stages.append(Stage("exact_signatures", [read_processed(), ExactDedupSignature(sigs, config=ecfg)], tasks))
        stages.append(Stage("exact_find", [ExactFindDedups(sigs, dups, config=ecfg)], 1))

        def exact_filter(record: bool):
            writer = DedupExclusionWriter(layout.folder("excluded", "exact_dedup"), "exact_dedup", R.EXACT_DUPLICATE)
            return ExactDedupFilter(dups, config=ecfg, exclusion_writer=writer if record else None)

        final_filters.append(exact_filter(True))
    m = cfg.dedup.minhash
    if m.enabled:
        mcfg = MinhashConfig(
            hash_config=HashConfig(precision=64, hash_fc="xxhash"),
            num_buckets=m.num_buckets,
            hashes_per_bucket=m.hashes_per_bucket,
            n_grams=m.n_grams,
        )
        # signatures are computed on the exact-deduplicated stream, so document indexes match the final stage
        sigs, buckets, remove = (layout.folder("_work", "minhash", x) for x in ("sigs", "buckets", "remove"))
        sig_steps = [read_processed(), *([exact_filter(False)] if exact_filter else [])]
        sig_steps.append(MinhashDedupSignature(sigs, config=mcfg, language=CharTokenizer()))
        stages.append(Stage("minhash_signatures", sig_steps, tasks))
        stages.append(Stage("minhash_buckets", [MinhashDedupBuckets(sigs, buckets, config=mcfg)], m.num_buckets))
        stages.append(
            Stage("minhash_cluster", [MinhashDedupCluster(buckets, remove, config=mcfg, save_cluster_size=True)], 1)
        )
        final_filters.append(
            MinhashDedupFilter(
                remove,
                exclusion_writer=DedupExclusionWriter(
                    layout.folder("excluded", "minhash_dedup"), "minhash_dedup", R.NEAR_DUPLICATE
                ),
                load_cluster_sizes=True,
            )
        )
    stages.append(Stage("write", [read_processed(), *final_filters, kept_writer(layout.folder("data"))], tasks))
    return stages


@functools.cache
def _children_die_with_this_process() -> None:
    """Every process forked from here on (datatrove's pool workers and its manager) ends when this one is killed,
    so a killed run leaves nothing running; a resumed run redoes the unfinished tasks. Linux only (prctl)."""
    if sys.platform.startswith("linux"):
        os.register_at_fork(after_in_child=die_with_parent)


def slurm_executor(stage: Stage, layout: RunLayout, cfg: SlurmConfig, depends=None):
    """datatrove's SlurmPipelineExecutor for one stage: a job array of its tasks, started after `depends` (the
    previous stage's executor) ends well. Nothing runs here; `run()` submits it (and any stage before it)."""
    from datatrove.executor.slurm import SlurmPipelineExecutor

    return SlurmPipelineExecutor(
        pipeline=stage.pipeline,
        tasks=stage.tasks,
        time=cfg.time,
        partition=cfg.partition,
        cpus_per_task=cfg.cpus_per_task,
        mem_per_cpu_gb=cfg.mem_per_cpu_gb,
        qos=cfg.qos,
        job_name=f"{cfg.job_name}-{stage.name}",
        venv_path=cfg.venv_path,
        sbatch_args=dict(cfg.sbatch_args),
        depends=depends,
        logging_dir=layout.folder("_work", "logs", stage.name),
        slurm_logs_folder=str(layout.path("_work", "slurm_logs", stage.name)),
    )


def make_executor(stage: Stage, layout: RunLayout, kind: str, workers: int):
    """A datatrove executor for one stage (local processes or a Ray cluster)."""
    workers = max(1, min(workers, stage.tasks))
    if kind == "ray":
        try:
            import ray
            from datatrove.executor.ray import RayPipelineExecutor
        except ImportError as e:
            raise ConfigError(f"--executor ray needs the `ray` extra: pip install 'wenforge[ray]' ({e})") from None
        if not ray.is_initialized():
            # joins the cluster in $RAY_ADDRESS when set, else starts a local Ray instance
            ray.init(address=os.environ.get("RAY_ADDRESS") or None, log_to_driver=False, include_dashboard=False)
        # Every Ray job is a fresh actor process (interpreter, imports, the pipeline unpickled, a placement group)
        # that runs its tasks at once in processes forked from it: grouping the stage's tasks into `workers` jobs
        # pays that start-up `workers` times per stage, not once per task (8.6x the local time, one per task).
        # At most this many tasks per job: it bounds the processes running at once to that many per worker.
        max_tasks_per_job = 4
        return RayPipelineExecutor(
            pipeline=stage.pipeline,
            tasks=stage.tasks,
            workers=workers,
            tasks_per_job=max(1, min(-(-stage.tasks // workers), max_tasks_per_job)),
            logging_dir=layout.folder("_work", "logs", stage.name),
            mem_per_cpu_gb=1,
        )
    from datatrove.executor import LocalPipelineExecutor

    _children_die_with_this_process()
    return LocalPipelineExecutor(
        pipeline=stage.pipeline,
        tasks=stage.tasks,
        workers=workers,
        logging_dir=layout.folder("_work", "logs", stage.name),
        start_method="fork",
    )
