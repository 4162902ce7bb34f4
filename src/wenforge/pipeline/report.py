"""report.html for one pipeline run: counts per step and reason, length/language/style mixes, examples.

It renders what the run recorded (stats.json, the kept Parquet columns, exclusion records); it computes
no new judgement about documents.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from pathlib import Path

from wenforge.report import Page


def _kept_columns(data_dir: Path, columns: list[str]) -> dict[str, list]:
    import pyarrow.parquet as pq

    out: dict[str, list] = {c: [] for c in columns}
    for f in sorted(data_dir.glob("*.parquet")):
        pf = pq.ParquetFile(f)
        cols = [c for c in columns if c in pf.schema_arrow.names]
        for batch in pf.iter_batches(columns=cols, batch_size=5000):
            for c in cols:
                out[c].extend(batch.column(c).to_pylist())
    return out


def _kept_samples(data_dir: Path, n: int, rng: random.Random) -> list[dict]:
    import pyarrow.parquet as pq

    files = sorted(data_dir.glob("*.parquet"))
    rows: list[dict] = []
    for f in files[:4]:
        table = pq.ParquetFile(f).read_row_group(0, columns=["id", "text", "language", "l1", "l2", "spam_score"]) if pq.ParquetFile(f).num_row_groups else None
        if table is not None:
            rows.extend(table.slice(0, 200).to_pylist())
    rng.shuffle(rows)
    return [{k: v for k, v in r.items() if v is not None} for r in rows[:n]]


def _excluded_samples(excluded: Path, per_step: int, rng: random.Random) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for step_dir in sorted(p for p in excluded.glob("*") if p.is_dir()):
        recs: list[dict] = []
        for f in sorted(step_dir.glob("*.jsonl.gz"))[:4]:
            with gzip.open(f, "rt", encoding="utf-8") as fh:
                for i, line in enumerate(fh):
                    if i >= 200:
                        break
                    recs.append(json.loads(line))
        rng.shuffle(recs)
        out[step_dir.name] = [
            {"id": r["id"], "reason": r["reason"], "source": f"{r.get('source')}:{r.get('line')}" if r.get("line") else r.get("source"), "text": r.get("text", "")}
            for r in recs[:per_step]
        ]
    return out


def write_run_report(root: Path, stats: dict, *, samples: int = 8, seed: int = 0) -> Path:
    root = Path(root)
    rng = random.Random(seed)
    docs = stats["documents"]
    page = Page(f"wenforge run: {stats['name']}")
    page.paragraph(
        f"read {docs['read']} · kept {docs['kept']} · excluded {docs['excluded']} · conservation {stats['conservation']}"
        f" · {stats['seconds']} s on {stats['executor']} ({stats['tasks']} tasks, {stats['workers']} workers)"
    )
    page.heading("Documents per step")
    page.bar_chart("excluded per step", {s: sum(r.values()) for s, r in stats["excluded_by_step"].items()} | {"kept": docs["kept"]})
    rows = [{"step": s, "reason": r, "documents": c} for s, reasons in stats["excluded_by_step"].items() for r, c in sorted(reasons.items(), key=lambda x: -x[1])]
    page.table(rows, ["step", "reason", "documents"])
    for step, reasons in stats["excluded_by_step"].items():
        if len(reasons) > 1:
            page.bar_chart(f"{step}: reasons", dict(sorted(reasons.items(), key=lambda x: -x[1])[:15]), color="#e15759")
    cols = _kept_columns(root / "data", ["chars", "language", "l1", "l2", "l3", "literary_score", "spam_score"])
    page.heading("Kept documents")
    if cols["chars"]:
        page.histogram("length (characters)", cols["chars"])
    if cols["language"]:
        page.bar_chart("language", dict(Counter(x or "unknown" for x in cols["language"]).most_common(12)))
    if any(cols["l1"]):
        page.heading("Style labels")
        l1 = Counter(x for x in cols["l1"] if x)
        total = sum(l1.values()) or 1
        page.bar_chart("L1 domain share", {k: round(v / total, 3) for k, v in l1.most_common()}, color="#59a14f")
        page.bar_chart("L2 genre", dict(Counter(x for x in cols["l2"] if x).most_common(15)), color="#59a14f")
        page.bar_chart("L3 devices", dict(Counter(d for ds in cols["l3"] if ds for d in ds).most_common(15)), color="#59a14f")
        if any(x is not None for x in cols["literary_score"]):
            page.histogram("literary_score", [x for x in cols["literary_score"] if x is not None])
    page.examples("Kept examples", _kept_samples(root / "data", samples, rng))
    for step, items in _excluded_samples(root / "excluded", max(1, samples // 2), rng).items():
        page.examples(f"Excluded at {step}", items)
    page.heading("Stage timings (s)")
    page.table([{"stage": k, "seconds": v} for k, v in stats["stage_seconds"].items()])
    return page.write(root / "report.html")
