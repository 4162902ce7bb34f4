"""`wenforge demo`: the example corpus through every capability, into one folder with one report.

Acts, each writing its own run folder under the demo folder, then an index `report.html` that shows
what each act recorded (the pipeline's sections in full, then mixing, distillation, RL rounds and
evaluation) and links every act's own report:
  1. pipeline  read → decode → extract → normalize → langid → quality → clean → style → dedup → Parquet
  2. mix       a training mixture with a 40% literary share from the pipeline's labelled output
  3. distill   a handful of samples from a tiny local model served by `wenforge serve`, through verifiers
  4. forge     rounds of SFT/GRPO on a tiny model, held-out evaluation, re-weighting
  5. eval      the independent evaluation of the rounds' outputs, and the feedback for the next round
  6. style     does the forge forge style? a small dose-response of the literary share (tiny LMs pretrained
               on mixtures at 0, 20 and 60% literature) and style rounds toward a target voice against a
               fixed-mixture control (`wenforge.forge.style_demo`; the full run is bench/style_control_bench.py)
Acts whose extra is not installed (`train`, `distill`) are skipped with a note.

With two or more workers the model acts that need nothing from the others run in their own processes beside
them: the forge from the start (beside the pipeline) and the style rounds once the pipeline is done (beside mix,
evaluation, distillation and the dose-response). The outputs are the same; each act's `seconds` is its own time.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sys
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from wenforge.report import Page

MIX_SHARES = {"literature": 0.4, "news": 0.3, "qa": 0.3}


@dataclass
class Act:
    name: str
    status: str = "skipped"
    seconds: float = 0.0
    summary: dict[str, Any] = field(default_factory=dict)
    report: str | None = None
    note: str = ""


def examples_dir() -> Path:
    """examples/ of the source checkout (next to src/), ./examples, or the copy an installed wheel puts in
    <prefix>/share/wenforge/examples (pyproject's data-files)."""
    import sysconfig

    here = Path(__file__).resolve().parents[2] / "examples"
    installed = Path(sysconfig.get_path("data")) / "share" / "wenforge" / "examples"
    for cand in (here, Path.cwd() / "examples", installed):
        if (cand / "demo.yaml").exists():
            return cand
    raise FileNotFoundError(f"examples/demo.yaml not found in the checkout, ./examples or {installed}: "
                            "reinstall wenforge (the wheel carries them)")


def _available(module: str) -> bool:
    """Whether an optional third-party library (an extra) is installed; found, not imported."""
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a finder that refuses the name (a missing parent package, an import hook)
        return False


def _missing(needs: list[str] | None) -> list[str]:
    """The optional libraries of `needs` that are not installed."""
    return [m for m in needs or [] if not _available(m)]


def _logged(target: Callable, args: tuple, log: str) -> tuple[Any, float]:
    """`target(*args)` in this (spawned) process with all its output appended to `log`: the descriptors, so what
    libraries and their own child processes write goes there too; its value and wall seconds. It ends when the
    demo's process dies (SIGKILL included), like the pipeline's workers."""
    from wenforge.core.runs import die_with_parent

    die_with_parent()
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    t0 = time.time()
    value = target(*args)
    return value, round(time.time() - t0, 1)


class _Background:
    """An act's work, started now in its own spawned process (so it overlaps the acts run meanwhile); `result()`
    waits for it and re-raises its error. `seconds`: its own wall time, not the wait."""

    def __init__(self, target: Callable, *args: Any, log: Path):
        log.parent.mkdir(parents=True, exist_ok=True)
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
        self._future = self._pool.submit(_logged, target, args, str(log))
        self.seconds: float | None = None

    def result(self) -> Any:
        try:
            value, self.seconds = self._future.result()
        finally:
            self._pool.shutdown()
        return value


def _act(
    name: str,
    console: Console,
    fn: Callable[[], tuple[dict, str | None]],
    needs: list[str] | None = None,
    log: Path | None = None,
    job: _Background | None = None,
) -> Act:
    """Run one act; `log`: send its own console output (trainer logs, progress bars) to this file; `job`: the
    act's work running in the background (its seconds are the act's)."""
    act = Act(name)
    missing = _missing(needs)
    if missing:
        act.note = f"not installed: {', '.join(missing)} (pip install -e '.[train,distill]')"
        console.print(f"[yellow]{name}[/yellow]: skipped ({escape(act.note)})")
        return act
    console.print(f"[bold]{name}[/bold] …")
    t0 = time.time()
    try:
        if log is None:
            act.summary, act.report = fn()
        else:
            log.parent.mkdir(parents=True, exist_ok=True)
            with open(log, "a", encoding="utf-8") as fh, contextlib.redirect_stdout(fh), contextlib.redirect_stderr(fh):
                act.summary, act.report = fn()
        act.status = "ok"
    except Exception as e:  # one failing act must not hide the others' results
        act.status = "failed"
        act.note = f"{type(e).__name__}: {e}"
        console.print(f"[red]{name} failed[/red]: {escape(act.note)}")
        console.print(traceback.format_exc(), markup=False, highlight=False)
    act.seconds = job.seconds if job and job.seconds is not None else round(time.time() - t0, 1)
    return act


def run_demo(output: Path, *, workers: int = 2) -> Path:
    from wenforge.pipeline.commands import run_with_progress
    from wenforge.pipeline.config import load_config

    console = Console(file=sys.stderr)
    out = output.resolve()
    out.mkdir(parents=True, exist_ok=True)
    ex = examples_dir()
    console.print(f"[bold]wenforge demo[/bold]: {escape(str(ex / 'corpus'))} → {escape(str(out))}")
    acts: list[Act] = []
    parallel = workers >= 2
    model_needs = ["torch", "trl"]
    forge_job = None
    if parallel and not _missing(model_needs):  # needs nothing from the pipeline: trains beside it
        from wenforge.forge.demo import run_forge_demo

        forge_job = _Background(run_forge_demo, out / "forge", log=out / "forge.log")

    def pipeline():
        cfg = load_config(ex / "demo.yaml")
        res = run_with_progress(cfg, executor="local", workers=workers, out_dir=out / "pipeline", verbose=False)
        return {"read": res.read, "kept": res.kept, "excluded": res.excluded, "conserved": res.conserved}, str(res.out_dir / "report.html")

    acts.append(_act("pipeline", console, pipeline))
    rounds_job = None
    if parallel and acts[-1].status == "ok" and not _missing(model_needs):  # needs only the pipeline's output
        from wenforge.forge.style_demo import demo_rounds

        rounds_job = _Background(demo_rounds, out / "pipeline", out / "style", log=out / "style.log")

    def mix():
        from wenforge.mix.mixture import MixConfig, build_mixture

        res = build_mixture([out / "pipeline" / "data"], MixConfig(shares=MIX_SHARES, budget=300_000, max_repeat=2), out / "mix")
        labels = {k: {"target": v["target_share"], "achieved": v["achieved_share"]} for k, v in res.stats["labels"].items()}
        return {"labels": labels, "max_abs_share_error": res.stats.get("max_abs_share_error")}, str(res.report)

    acts.append(_act("mix", console, mix))

    def forge():
        if forge_job:
            res = forge_job.result()
        else:
            from wenforge.forge.demo import run_forge_demo

            res = run_forge_demo(out / "forge")
        return res, res["report"]

    acts.append(_act("forge", console, forge, needs=model_needs, log=out / "forge.log", job=forge_job))

    def evaluate():
        from wenforge.eval.evaluate import EvalConfig, run_eval

        rounds = sorted((out / "forge").glob("round_*/outputs.jsonl"))
        if not rounds:
            raise FileNotFoundError("no forge round outputs to evaluate")
        weights = json.loads((out / "forge" / "state.json").read_text())["rounds"][-1]["next_weights"]
        cfg = EvalConfig(
            outputs=str(rounds[-1]),
            output_dir=str(out / "eval"),
            detectors=["ai", "grammar", "values", "response"],
            literary=True,
            halluqa=False,
            feedback={"weights": {"category": weights}},
        )
        res = run_eval(cfg)
        return {"round": rounds[-1].parent.name, "eval": res["eval"], "feedback": res["feedback"]}, str(out / "eval" / "report.html")

    # it evaluates the forge's round outputs, so it needs what the forge needs
    acts.append(_act("eval", console, evaluate, needs=model_needs, log=out / "eval.log"))

    def distill():
        from wenforge.distill.demo import run_distill_demo

        res = run_distill_demo(out / "distill")
        return res["stats"], res["report"]

    acts.append(_act("distill", console, distill, needs=["torch", "transformers"], log=out / "distill.log"))

    def style():
        from wenforge.forge.style_demo import run_style_demo

        res = run_style_demo(out / "pipeline", out / "style", wait_rounds=rounds_job.result if rounds_job else None)
        dose = {f"{r['literary_share']:g}": r["output_literary_share"] for r in res["dose_response"]}
        rounds = [{k: r[k] for k in ("round", "style_distance", "control_style_distance", "floor_distance")}
                  for r in res["rounds"]]
        return {"output_literary_share": dose, "rounds": rounds}, res["report"]

    acts.append(_act("style", console, style, needs=model_needs, log=out / "style.log"))
    write_demo_report(out, acts)
    Console().print(f"\n[bold green]report:[/bold green] {out / 'report.html'}")
    return out


def _act_rows(acts: list[Act], root: Path) -> list[dict]:
    rows = []
    for a in acts:
        rel = str(Path(a.report).relative_to(root)) if a.report and Path(a.report).is_relative_to(root) else (a.report or "")
        rows.append({"act": a.name, "status": a.status, "seconds": a.seconds, "report": rel, "note": a.note})
    return rows


def _flat(summary: dict) -> dict:
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in summary.items() if not isinstance(v, (dict, list))}


def write_demo_report(root: Path, acts: list[Act]) -> Path:
    """The demo's index page: act table, then each act's recorded figures."""
    from wenforge.pipeline.report import add_run_sections

    page = Page("wenforge demo")
    page.paragraph("Every act writes its own run folder with stats.json and report.html; this page shows what each recorded.")
    page.table(_act_rows(acts, root), ["act", "status", "seconds", "report", "note"])
    (root / "demo.json").write_text(json.dumps([a.__dict__ for a in acts], ensure_ascii=False, indent=2, default=str))
    by = {a.name: a for a in acts}
    if by.get("pipeline") and by["pipeline"].status == "ok":
        page.heading("1. Corpus pipeline")
        stats = json.loads((root / "pipeline" / "stats.json").read_text())
        add_run_sections(page, root / "pipeline", stats, samples=6)
    if by.get("mix") and by["mix"].status == "ok":
        page.heading("2. Mixture: target vs achieved shares")
        labels = by["mix"].summary["labels"]
        page.table([{"label": k, "target": v["target"], "achieved": v["achieved"]} for k, v in labels.items()])
        page.bar_chart("achieved share", {k: v["achieved"] for k, v in labels.items()}, color="#76b7b2")
    if by.get("forge") and by["forge"].status == "ok":
        f = by["forge"].summary
        page.heading("3. RL rounds on a tiny model (SFT warm-up, GRPO, held-out evaluation, re-weighting)")
        page.line_chart("held-out accuracy per round", {"overall": f["accuracy"], **f["accuracy_by_category"]}, x_label="round")
        cats = sorted(f["weights"][0]) if f["weights"] else []
        page.line_chart("category weights per round (last point: what the evaluation proposes next)", {c: [w[c] for w in f["weights"]] for c in cats}, x_label="round")
    if by.get("eval") and by["eval"].status == "ok":
        e = by["eval"].summary
        page.heading(f"4. Independent evaluation of the last round's outputs ({e['round']})")
        page.table([{"scope": "overall", **_flat(e["eval"]["overall"])}] + [{"scope": f"category={k}", **_flat(v)} for k, v in e["eval"]["by"].get("category", {}).items()])
        nw = e["feedback"].get("next_weights", {}).get("category", {})
        if nw:
            page.bar_chart("feedback: next round's category weights", nw, color="#b07aa1")
        page.examples("Feedback: failing outputs to distil more data for", [
            {"text": str(d.get("completion") or d.get("prompt") or ""), **{k: v for k, v in d.items() if k not in ("completion",)}}
            for d in (e["feedback"].get("distill") or [])[:6]
        ])
    if by.get("distill") and by["distill"].status == "ok":
        page.heading("5. Distillation: accepted and rejected samples, with reasons")
        st = by["distill"].summary
        page.table([{"figure": k, "value": v} for k, v in st.get("counts", {}).items()])
        rejected = st.get("samples_rejected_by_reason") or {}
        if rejected:
            page.bar_chart("rejected samples by reason", rejected, color="#e15759")
        explain = st.get("reasons") or {}
        page.table([{"reason": k, "meaning": v} for k, v in explain.items()], ["reason", "meaning"])
    if by.get("style") and by["style"].status == "ok":
        st = by["style"].summary
        page.heading("6. Style control: what you mix and feed back is what the model writes (small version)")
        page.bar_chart("outputs labelled literature, by the literary share of pretraining",
                       st["output_literary_share"], color="#f28e2b")
        page.table(st["rounds"], ["round", "style_distance", "control_style_distance", "floor_distance"])
        page.line_chart("distance to the target voice per round",
                        {"style feedback": [r["style_distance"] for r in st["rounds"]],
                         "fixed mixture": [r["control_style_distance"] for r in st["rounds"]]}, x_label="round")
    return page.write(root / "report.html")
