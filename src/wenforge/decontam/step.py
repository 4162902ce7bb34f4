"""``Decontaminate``: the datatrove face of `BenchmarkIndex.match`, and the one-time index build of a run.

`prepare_index` builds the index from the config's benchmark files once, in the process that builds the
pipeline (so a bad file is a config error before any task starts), and saves it in the run's work folder;
every task loads that file on its first document.
"""

from __future__ import annotations

from pathlib import Path

from datatrove.data import Document
from datatrove.pipeline.filters.base_filter import BaseFilter

from wenforge.core import reasons as R
from wenforge.core import storage
from wenforge.core.config import ConfigError
from wenforge.core.rows import InputError
from wenforge.decontam.config import DecontamConfig
from wenforge.decontam.index import BenchmarkIndex, build_index

STATS_PREFIX = "benchmark_"  # one datatrove stat per benchmark: documents that matched one of its items
STEP = "decontam"


def prepare_index(cfg: DecontamConfig, work_dir: str | Path) -> Path | str:
    """Build the index of `cfg.against` and save it under `work_dir`; ConfigError naming the key on a bad file."""
    try:
        index, report = build_index(cfg.against, field=cfg.field, n=cfg.n, min_tokens=cfg.min_tokens)
    except (InputError, OSError) as e:
        raise ConfigError(f"decontaminate.against: {e}") from None
    if not len(index):
        raise ConfigError(f"decontaminate.against: no item has {cfg.min_tokens} tokens or more "
                          f"({report.too_short} too short); nothing to decontaminate against")
    return index.save(storage.join(work_dir, "index.npz"), sources=[str(p) for p in cfg.against])


class Decontaminate(BaseFilter):
    """Tests each document against a saved benchmark index. A match adds `contaminated: true` and
    `decontam_matches` ([{benchmark, item, start, end, share}], offsets into the document's text) to metadata;
    with action `exclude` the document is dropped with reason `benchmark_contamination`."""

    name = "🧪 decontaminate"

    def __init__(self, index_path: str | Path, threshold: float, action: str = "exclude", exclusion_writer=None):
        super().__init__(exclusion_writer)
        if action not in ("exclude", "flag"):
            raise ValueError(f"action must be exclude or flag, got {action!r}")
        self.index_path, self.threshold, self.action = str(index_path), threshold, action
        self._index: BenchmarkIndex | None = None

    def _loaded(self) -> BenchmarkIndex:
        if self._index is None:
            self._index = BenchmarkIndex.load(self.index_path)
        return self._index

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        matches = self._loaded().match(doc.text or "", self.threshold)
        if not matches:
            return True
        doc.metadata["contaminated"] = True
        doc.metadata["decontam_matches"] = [m.record() for m in matches]
        self.stat_update("contaminated")
        for bench in sorted({m.benchmark for m in matches}):
            self.stat_update(f"{STATS_PREFIX}{bench}")
        if self.action == "exclude":
            doc.metadata["excluded_step"] = STEP
            return False, R.BENCHMARK_CONTAMINATION
        return True


def decontam_step(cfg: DecontamConfig, work_dir: str | Path, exclusion_writer=None) -> Decontaminate:
    """The pipeline's step for a `decontaminate:` section: the index built now, the filter that uses it."""
    return Decontaminate(prepare_index(cfg, work_dir), cfg.threshold, cfg.action, exclusion_writer)
