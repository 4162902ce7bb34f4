"""Per-step training metrics (R1's "aha moment" signals) written as JSONL, and the run's HTML report."""

from __future__ import annotations

import json
from pathlib import Path

from transformers import TrainerCallback

from wenforge.report.page import Page, esc

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
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            by_step[(r.get("round", 0), r.get("step", 0), "train_runtime" in r)] = r
    return [by_step[k] for k in sorted(by_step)]


def line_chart(
    page: Page, title: str, series: dict[str, list[tuple[float, float]]], width: int = 640
) -> Page:
    """Append an inline-SVG line chart (numbers only; labels escaped) to ``page``."""
    pts = [p for s in series.values() for p in s]
    if not pts:
        return page.paragraph(f"{title}: (no data)")
    h, pad_l, pad_b, pad_t = 220, 56, 28, 24
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y0, y1 = min(ys), max(ys) if max(ys) > min(ys) else min(ys) + 1
    colors = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#76b7b2", "#b07aa1"]

    def sx(x):
        return pad_l + (x - x0) / (x1 - x0) * (width - pad_l - 10)

    def sy(y):
        return pad_t + (1 - (y - y0) / (y1 - y0)) * (h - pad_t - pad_b)

    parts = [
        f"<text x='0' y='14' font-size='13' font-weight='bold'>{esc(title)}</text>",
        f"<line x1='{pad_l}' y1='{h - pad_b}' x2='{width - 10}' y2='{h - pad_b}' stroke='#999'/>",
        f"<line x1='{pad_l}' y1='{pad_t}' x2='{pad_l}' y2='{h - pad_b}' stroke='#999'/>",
        f"<text x='{pad_l - 4}' y='{pad_t + 4}' font-size='11' text-anchor='end'>{y1:.3g}</text>",
        f"<text x='{pad_l - 4}' y='{h - pad_b}' font-size='11' text-anchor='end'>{y0:.3g}</text>",
        f"<text x='{pad_l}' y='{h - 8}' font-size='11'>step {x0:.0f}</text>",
        f"<text x='{width - 10}' y='{h - 8}' font-size='11' text-anchor='end'>step {x1:.0f}</text>",
    ]
    for i, (name, s) in enumerate(series.items()):
        c = colors[i % len(colors)]
        d = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(s))
        parts.append(f"<polyline fill='none' stroke='{c}' stroke-width='1.5' points='{d}'/>")
        parts.append(
            f"<text x='{width - 10}' y='{pad_t + 12 * i}' font-size='11' fill='{c}' text-anchor='end'>"
            f"{esc(name)}</text>"
        )
    page.parts.append(
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{h}' role='img'>{''.join(parts)}</svg>"
    )
    return page


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
        line_chart(page, CURVES[key], {key: s})
    completions = run_dir / "samples.jsonl"
    if completions.exists():
        items = [json.loads(x) for x in completions.read_text(encoding="utf-8").splitlines()[-8:]]
        page.examples("Last sampled completions", items)
    return page.write(run_dir / "report.html")
