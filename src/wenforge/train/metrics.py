"""Per-step training metrics (R1's "aha moment" signals) written as JSONL, and the run's HTML report."""

from __future__ import annotations

import json
from pathlib import Path

from transformers import TrainerCallback

from wenforge.core.rows import read_jsonl
from wenforge.report.page import Page

# log key -> label in the report
CURVES = {
    "reward": "mean reward",
    "rewards/outcome/mean": "mean outcome reward",
    "rewards/format/mean": "format rate",
    "completions/mean_length": "mean response length (tokens)",
    "rewards/reflection/mean": "reflection phrase rate",
    "loss": "loss",
}


class MetricsLogger(TrainerCallback):
    """Appends every log record (with its step) to ``<output_dir>/metrics.jsonl``."""

    def __init__(self, path: str | Path, extra: dict | None = None):
        self.path = Path(path)
        self.extra = dict(extra or {})

    def on_log(self, args, state, control, logs=None, **kwargs):
        if not logs or not state.is_world_process_zero:
            return
        rec = {"step": state.global_step, **self.extra, **{k: v for k, v in logs.items() if _num(v)}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(rec) + "\n")


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def read_metrics(path: str | Path) -> list[dict]:
    """Records of a metrics.jsonl, one per step (a resumed run's later record for a step wins)."""
    p = Path(path)
    if not p.exists():
        return []
    by_step: dict[tuple, dict] = {}
    for line in read_jsonl(p, allow_empty=True):
        r = line.row
        if r is None:  # a line torn by a killed run; the resumed run logs that step again
            continue
        by_step[(r.get("round", 0), r.get("step", 0), "train_runtime" in r)] = r
    return [by_step[k] for k in sorted(by_step)]


def curves(records: list[dict], x_key: str = "step") -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for key in CURVES:
        s = [(float(r[x_key]), float(r[key])) for r in records if key in r and x_key in r]
        if s:
            out[key] = s
    return out


def write_train_report(run_dir: str | Path, title: str, stats: dict | None = None) -> Path:
    """``report.html`` with one line chart per tracked signal, from ``metrics.jsonl``."""
    run_dir = Path(run_dir)
    records = [r for r in read_metrics(run_dir / "metrics.jsonl") if "train_runtime" not in r]
    page = Page(title)
    if stats:
        page.heading("Run").table([{k: v for k, v in stats.items() if not isinstance(v, (dict, list))}])
    page.heading("Training curves (per logged step)")
    for key, s in curves(records).items():
        page.line_chart(CURVES[key], {key: [y for _, y in s]}, x=[x for x, _ in s])
    completions = run_dir / "samples.jsonl"
    if completions.exists():
        items = [json.loads(x) for x in completions.read_text(encoding="utf-8").splitlines()[-8:]]
        page.examples("Last sampled completions", items)
    return page.write(run_dir / "report.html")
