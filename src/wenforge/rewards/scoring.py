"""Score a JSONL file of completions with named rewards into a run folder (the `wenforge rewards score` face)."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wenforge.core import reasons as R
from wenforge.core.rows import read_jsonl
from wenforge.core.runs import run_stats, write_stats
from wenforge.rewards.adapters import completion_text
from wenforge.rewards.outcome import outcome_detail
from wenforge.rewards.registry import composite, get_spec


@dataclass
class ScoreResult:
    out_dir: Path
    read: int = 0
    scored: int = 0
    excluded: Counter = field(default_factory=Counter)
    means: dict[str, float] = field(default_factory=dict)
    verdicts: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def parse_weights(text: str) -> dict[str, float]:
    """``"outcome=1,format=0.2"`` -> ``{"outcome": 1.0, "format": 0.2}``; names are checked against REWARDS."""
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, w = part.partition("=")
        get_spec(name.strip())
        try:
            out[name.strip()] = float(w) if w else 1.0
        except ValueError:
            raise ValueError(f"weight for reward {name!r} is not a number: {w!r}") from None
    if not out:
        raise ValueError("no rewards given")
    return out


def score_jsonl(
    in_path: str | Path,
    out_dir: str | Path,
    weights: dict[str, float] | None = None,
    fmt: str = "boxed",
    completion_key: str = "completion",
    answer_key: str = "answer",
    lang: str = "zh",
) -> ScoreResult:
    """Read rows, score each completion, write ``data/scored.jsonl``, ``excluded/excluded.jsonl``, ``stats.json``,
    ``report.html``. Rows lacking a field are excluded with a reason, never dropped silently."""
    t0 = time.perf_counter()
    in_path, out_dir = Path(in_path), Path(out_dir)
    weights = dict(weights or {"outcome": 1.0})
    options: dict[str, dict[str, Any]] = {}
    for name in weights:
        params = get_spec(name).params
        opts: dict[str, Any] = {}
        if "fmt" in params:
            opts["fmt"] = fmt
        if "lang" in params:
            opts["lang"] = lang
        if opts:
            options[name] = opts
    comp = composite(weights, options)
    needs_answer = "outcome" in weights
    res = ScoreResult(out_dir=out_dir)
    (out_dir / "data").mkdir(parents=True, exist_ok=True)
    (out_dir / "excluded").mkdir(parents=True, exist_ok=True)
    sums: Counter = Counter()
    examples = []
    with (
        (out_dir / "data" / "scored.jsonl").open("w", encoding="utf-8") as fout,
        (out_dir / "excluded" / "excluded.jsonl").open("w", encoding="utf-8") as fex,
    ):
        for line in read_jsonl(in_path):
            lineno, row, reason = line.lineno, line.row, None
            res.read += 1
            if row is None:
                row, reason = {"raw": line.raw.decode("utf-8", "replace")[:500], "detail": line.reason}, R.MALFORMED_JSON
            if reason is None and completion_key not in row:
                reason = R.NO_COMPLETION
            if reason is None and needs_answer and answer_key not in row:
                reason = R.NO_GOLD_ANSWER
            if reason:
                res.excluded[reason] += 1
                fex.write(
                    json.dumps({"line": lineno, "reason": reason, "row": row}, ensure_ascii=False) + "\n"
                )
                continue
            text = completion_text(row[completion_key])
            kw = {"answer": str(row[answer_key])} if needs_answer else {}
            parts = comp.breakdown(text, **kw)
            row["rewards"] = parts
            row["reward"] = sum(comp.weights[k] * v for k, v in parts.items())
            if needs_answer:
                d = outcome_detail(text, kw["answer"], fmt=fmt)
                row["outcome_evidence"] = {k: d[k] for k in ("verdict", "pred", "start", "end")}
                res.verdicts[d["verdict"]] += 1
                if len(examples) < 20:
                    examples.append(
                        {"text": text, "line": lineno, "verdict": d["verdict"], "pred": d["pred"]}
                    )
            for k, v in parts.items():
                sums[k] += v
            sums["reward"] += row["reward"]
            res.scored += 1
            fout.write(json.dumps(row, ensure_ascii=False) + "\n")
    res.means = {k: v / res.scored for k, v in sums.items()} if res.scored else {}
    res.seconds = time.perf_counter() - t0
    stats = run_stats(
        "rewards score", read=res.read, kept=res.scored, excluded=dict(res.excluded), seconds=res.seconds,
        config={"input": str(in_path), "weights": weights, "fmt": fmt, "completion_key": completion_key,
                "answer_key": answer_key},
        means=res.means, verdicts=dict(res.verdicts),
    )
    write_stats(out_dir, stats)
    from wenforge.report import Page

    page = Page(f"wenforge rewards: {in_path.name}")
    page.heading("Counts").table([{"read": res.read, "scored": res.scored, **dict(res.excluded)}])
    page.bar_chart("Mean reward by name", res.means)
    if res.verdicts:
        page.bar_chart("Outcome verdicts", dict(res.verdicts))
    page.examples("Examples", examples)
    page.write(out_dir / "report.html")
    return res
