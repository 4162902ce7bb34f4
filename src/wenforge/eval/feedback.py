"""Feedback: turn an evaluation into the next data iteration.

The rule (documented in docs/eval.md):

1. Every evaluated row gets a list of failed checks: `accuracy` (outcome reward below 1), `style`
   (style_match below `style_floor`, when a profile is given), `ai` (`ai_flag`: ai_score at or above the
   shipped threshold), `grammar`,
   `hallucination`, `facts`, `values` (`values_flag`: the completion is risky content, not a refusal), `response`
   (`response_flag`: an unsafe answer to its prompt, or an over-refusal), `halluqa` (judged hallucinated).
2. For each grouping (taxonomy `label`, `task`, `category`), each group's failure rate f_g is the share
   of its rows with at least one failed check; f is the mean over groups.
3. The group's weight moves to w_g * clip(1 + gain * (f_g - f), 1 - max_step, 1 + max_step), then all
   weights of the grouping are renormalised to their old total and floored at `min_weight`:
   more of what fails, less of what passes, never all-or-nothing in one round.
4. Failing rows, worst first (most failed checks, then lowest reward/score), become `distill` targets:
   prompts to distil more data for, with the checks they failed.

`wenforge forge` reads `next_weights[category_field]` (a plain {name: weight} map) for its mixture.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from wenforge.eval.kinds import DETECTORS

GROUPINGS = ("label", "task", "category")


class FeedbackConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gain: float = Field(1.0, ge=0, description="how strongly failure rates move weights")
    max_step: float = Field(0.5, gt=0, le=1, description="largest relative change of one weight per round")
    min_weight: float = Field(0.02, gt=0, lt=1, description="floor for any weight (above 0: no weight reaches zero)")
    style_floor: float = Field(0.5, ge=0, le=1, description="style_match below this counts as a style failure")
    max_distill: int = Field(50, ge=0, description="failing examples listed for distillation")
    weights: dict[str, dict[str, float]] = Field(default_factory=dict,
                                                 description="current weights per grouping (default uniform)")


def failed_checks(r: dict, style_floor: float = 0.5) -> list[str]:
    out = []
    if r.get("reward") is not None and r["reward"] < 1.0:
        out.append("accuracy")
    if r.get("style_match") is not None and r["style_match"] < style_floor:
        out.append("style")
    det = r.get("detectors") or {}
    for name, kind in DETECTORS.items():
        if (det.get(name) or {}).get(kind.fail_field):
            out.append(name)
    if (r.get("halluqa") or {}).get("hallucinated"):
        out.append("halluqa")
    return out


def build_feedback(rows: list[dict[str, Any]], cfg: FeedbackConfig | None = None) -> dict:
    cfg = cfg or FeedbackConfig()
    for r in rows:
        r["failed"] = failed_checks(r, cfg.style_floor)
    weights_out: dict[str, dict] = {}
    next_weights: dict[str, dict[str, float]] = {}
    for g in GROUPINGS:
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            v = r.get(g)
            if v is not None and v != "":
                groups[str(v)].append(r)
        if not groups:
            continue
        fail = {k: sum(1 for r in v if r["failed"]) / len(v) for k, v in groups.items()}
        mean_f = sum(fail.values()) / len(fail)
        old = {k: float(cfg.weights.get(g, {}).get(k, 1.0 / len(groups))) for k in groups}
        raw = {k: old[k] * min(1 + cfg.max_step, max(1 - cfg.max_step, 1 + cfg.gain * (fail[k] - mean_f)))
               for k in groups}
        tot_old, tot_raw = sum(old.values()), sum(raw.values()) or 1.0
        new = {k: max(cfg.min_weight, raw[k] * tot_old / tot_raw) for k in groups}
        weights_out[g] = {
            k: {"n": len(groups[k]), "fail_rate": round(fail[k], 4), "old": round(old[k], 4), "new": round(new[k], 4),
                "delta": round(new[k] - old[k], 4),
                "failed_checks": _count_checks(groups[k])}
            for k in sorted(groups)
        }
        next_weights[g] = {k: round(new[k], 4) for k in sorted(groups)}
    failing = [r for r in rows if r["failed"]]
    failing.sort(key=lambda r: (-len(r["failed"]), r.get("reward") if r.get("reward") is not None else 0.0))
    distill = [
        {"id": r.get("id"), "prompt": r.get("prompt"), "label": r.get("label"), "task": r.get("task"),
         "category": r.get("category"), "failed": r["failed"], "answer": r.get("answer")}
        for r in failing[: cfg.max_distill]
    ]
    return {
        "rule": "w_g <- w_g * clip(1 + gain*(fail_g - mean fail), 1-max_step, 1+max_step), renormalised, floored",
        "config": cfg.model_dump(exclude={"weights"}),
        "n_rows": len(rows), "n_failing": len(failing),
        "weights": weights_out, "next_weights": next_weights, "distill": distill,
    }


def _count_checks(rows: list[dict]) -> dict[str, int]:
    c: dict[str, int] = defaultdict(int)
    for r in rows:
        for f in r["failed"]:
            c[f] += 1
    return dict(sorted(c.items()))
