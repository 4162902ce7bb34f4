"""Does the forge forge style? The report of the style-control experiment (`bench/style_control_bench.py`) and
the small version `wenforge demo` runs: the dose-response of the literary share and the rounds toward a target
voice, on the pipeline's labelled example corpus, in a couple of CPU minutes.

The small version's figures are a demonstration of the mechanism, not evidence: one seed, three shares, models
trained for a fraction of the benchmark's steps (BENCHMARKS.md has the full run and what it shows).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from wenforge.forge.dose import DoseSettings, dose_response
from wenforge.forge.voice import RoundsSettings, style_rounds

DEMO_SHARES = (0.0, 0.2, 0.6)  # none, the usual 10-20%, and more than the reported 40%
# About a quarter of the benchmark's training per model, in this process (the demo runs one act at a time)
DEMO_DOSE = replace(DoseSettings(), steps=150, budget_chars=200_000, samples_per_prompt=4, scored_train_windows=60,
                    workers=1)
DEMO_ROUNDS = replace(RoundsSettings(), warmup_sft_steps=60, round_steps=30, samples_per_prompt=3)
DEMO_ROUND_COUNT = 2


def style_control_report(result: dict, out: Path) -> Path:
    """OUT/report.html: the experiments' tables and plots (all text escaped by wenforge.report.Page)."""
    from wenforge.report import Page

    page = Page("wenforge: does the forge forge style?")
    dose = result.get("dose_response") or []
    if dose:
        page.heading("1. Dose-response of the literary share")
        page.table([{k: r.get(k) for k in ("seed", "literary_share", "output_literary_share",
                                            "train_literary_share_by_classifier", "bigram_control_literary_share",
                                            "ornateness", "literary_score", "distinct_2")} for r in dose])
        for seed in sorted({r["seed"] for r in dose}):
            rows = [r for r in dose if r["seed"] == seed]
            page.bar_chart(f"seed {seed}: outputs labelled literature, by training share",
                           {f"{r['literary_share']:.1f}": r["output_literary_share"] for r in rows})
    sr = result.get("style_reward") or {}
    if sr:
        page.heading("2. Style reward (GRPO from one base)")
        page.table([{"arm": arm, **{f"{m} {p}": sr[arm][m][p] for m in ("ornateness", "overwrought", "accuracy")
                                    for p in ("start", "end")}} for arm in ("outcome_only", "with_style",
                                                                              "adversarial") if arm in sr])
        page.bar_chart("ornateness at the end, by arm", {a: sr[a]["ornateness"]["end"] for a in sr
                                                          if isinstance(sr[a], dict) and "ornateness" in sr[a]})
    rounds = result.get("rounds") or []
    if rounds:
        page.heading("3. Rounds toward a target voice (forge with a style target vs a fixed mixture)")
        page.table([{k: r.get(k) for k in ("seed", "round", "style_distance", "control_style_distance",
                                            "floor_distance")} for r in rounds])
        page.bar_chart("distance to the target profile, by round (forge)",
                       {f"s{r.get('seed', 0)} r{r['round']}": r["style_distance"] for r in rounds})
        page.bar_chart("distance to the target profile, by round (control)",
                       {f"s{r.get('seed', 0)} r{r['round']}": r["control_style_distance"] for r in rounds})
    if result.get("goals"):
        page.heading("Goals").table([{"goal": k, "met": v} for k, v in result["goals"].items()])
    if result.get("note"):
        page.paragraph(result["note"])
    return page.write(Path(out) / "report.html")


def demo_rounds(corpus_dir: Path, out: Path) -> list[dict]:
    """The small version's rounds toward a target voice on `corpus_dir`, into out/rounds/ (their rows)."""
    return style_rounds(corpus_dir, Path(out) / "rounds", rounds=DEMO_ROUND_COUNT, seeds=(0,), settings=DEMO_ROUNDS)


def run_style_demo(corpus_dir: Path, out: Path, wait_rounds: Callable[[], list[dict]] | None = None) -> dict:
    """The small dose-response and rounds on `corpus_dir` (a pipeline run folder); writes out/report.html and
    returns {dose_response, rounds, report}. `wait_rounds`: waits for `demo_rounds`' rows when they run elsewhere
    (`wenforge demo` runs them in their own process, beside the dose-response); else they run here after it."""
    out = Path(out)
    dose = dose_response(corpus_dir, out / "dose", shares=DEMO_SHARES, seeds=(0,), settings=DEMO_DOSE)
    rounds = wait_rounds() if wait_rounds else demo_rounds(corpus_dir, out)
    result = {"dose_response": dose, "rounds": rounds,
              "note": "A small version (one seed, three shares, short training): the mechanism, not the evidence; "
                      "BENCHMARKS.md has the benchmark's full run (bench/style_control_bench.py)."}
    result["report"] = str(style_control_report(result, out))
    return result
