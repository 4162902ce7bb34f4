"""`wenforge forge CONFIG.yaml`: rounds of train -> evaluate (wenforge eval) -> feedback.

Each round samples its training rows from named categories with the current mixture weights, trains (GRPO by
default, starting from the previous round's model), evaluates on held-out prompts, saves the evaluation and its
report in the round's folder, and sets the next round's weights from it: more of what fails. ``state.json``
records finished rounds, so a killed run resumes (an unfinished round's training resumes from its checkpoint).
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wenforge.eval.feedback import FeedbackConfig
from wenforge.report.page import Page


class ForgeError(ValueError):
    """A forge config or state that cannot be used; the message names the file and key."""


class ForgeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    output_dir: str
    rounds: int = Field(3, ge=1)
    seed: int = 0
    task: str | None = Field("arithmetic", description="built-in generated task (rows with a category)")
    train_file: str | None = Field(None, description="rows with question/answer/category; split dev trains")
    heldout_file: str | None = Field(None, description="held-out rows (default: split test of train_file)")
    category_field: str = "category"
    weights: dict[str, Annotated[float, Field(ge=0)]] | None = Field(None, description="initial mixture weights (default uniform)")
    rows_per_round: int = Field(64, ge=1)
    heldout_per_category: int = Field(16, ge=1)
    model: str | None = None
    tiny: dict | None = None
    warmup_sft: dict | None = Field(None, description="SFT recipe keys for a warm-up before round 0")
    train: dict = Field(default_factory=dict, description="GRPO recipe keys for every round")
    answer_format: str = "boxed"
    max_new_tokens: int = Field(48, ge=1)
    detectors: list[str] = Field(
        default_factory=list, description="wenforge eval detectors run on each round's held-out outputs"
    )
    feedback: FeedbackConfig = Field(
        default_factory=lambda: FeedbackConfig(min_weight=0.1),
        description="the evaluation's feedback rule that sets the next round's weights (docs/eval.md)",
    )


def load_forge_config(path: str | Path, overrides: dict | None = None) -> ForgeConfig:
    from wenforge.core.config import YamlConfigError, read_mapping, validation_message

    path = Path(path)
    try:
        raw, text = read_mapping(path)
    except YamlConfigError as e:
        raise ForgeError(str(e)) from None
    raw = {**raw, **(overrides or {})}
    for key in ("output_dir", "train_file", "heldout_file", "model"):
        v = raw.get(key)
        if (
            isinstance(v, str)
            and not Path(v).is_absolute()
            and (key == "output_dir" or (path.parent / v).exists())
        ):
            raw[key] = str((path.parent / v).resolve())
    try:
        return ForgeConfig(**raw)
    except ValidationError as e:
        raise ForgeError(validation_message(e, text, str(path))) from None


# ---------------------------------------------------------------- data
def _pools(cfg: ForgeConfig) -> tuple[dict[str, list[dict]], list[dict]]:
    """(training rows by category, held-out rows)."""
    if cfg.train_file:
        from wenforge.train.data import read_rows

        rows = read_rows(cfg.train_file, split=None)
        train = [r for r in rows if r.get("split", "dev") == "dev"]
        held = (
            read_rows(cfg.heldout_file, split=None)
            if cfg.heldout_file
            else [r for r in rows if r.get("split") == "test"]
        )
    elif cfg.task == "arithmetic":
        from wenforge.forge.tasks import CATEGORIES, arithmetic_rows

        train = arithmetic_rows(2000, seed=cfg.seed)
        held = []
        for i, c in enumerate(CATEGORIES):
            held += arithmetic_rows(
                cfg.heldout_per_category, seed=10_000 + cfg.seed * 7 + i, weights={c: 1.0}, split="test"
            )
    else:
        raise ForgeError(f"give train_file or task: arithmetic (got task={cfg.task!r})")
    pools: dict[str, list[dict]] = defaultdict(list)
    for r in train:
        pools[str(r.get(cfg.category_field, "all"))].append(r)
    if not pools:
        raise ForgeError("no training rows")
    if not held:
        raise ForgeError("no held-out rows: give heldout_file or rows with split == 'test'")
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in held:
        by_cat[str(r.get(cfg.category_field, "all"))].append(r)
    held = [r for rs in by_cat.values() for r in rs[: cfg.heldout_per_category]]
    return dict(pools), held


def sample_round(pools: dict[str, list[dict]], weights: dict[str, float], n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    cats = [c for c in pools if weights.get(c, 0) > 0]
    ws = [weights[c] for c in cats]
    return [dict(rng.choice(pools[rng.choices(cats, ws)[0]])) for _ in range(n)]


def independent_eval(cfg: ForgeConfig, round_dir: Path, weights: dict[str, float]) -> dict:
    """`wenforge eval` on the round's held-out outputs (eval_details.jsonl): eval.json, report.html and
    feedback.json under round_dir/eval; returns the next weights per category from the feedback rule."""
    from wenforge.eval.evaluate import EvalConfig, run_eval

    fb_cfg = cfg.feedback.model_copy(update={"weights": {"category": dict(weights)}})
    ecfg = EvalConfig(
        outputs=str(round_dir / "eval_details.jsonl"),
        output_dir=str(round_dir / "eval"),
        answer_format=cfg.answer_format,
        detectors=list(cfg.detectors),
        literary=False,
        halluqa=False,
        feedback=fb_cfg,
    )
    res = run_eval(ecfg)
    proposed = res["feedback"]["next_weights"].get("category", {})
    new = {c: float(proposed.get(c, w)) for c, w in weights.items()}
    total = sum(new.values()) or 1.0
    return {c: round(v / total, 4) for c, v in new.items()}


# ---------------------------------------------------------------- rounds
def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _recipe(cfg: ForgeConfig, base: dict, kind: str, model: str | None, train_file: Path, out: Path):
    from wenforge.train.config import RecipeError, load_recipe

    keys = {**base, "train_file": str(train_file), "output_dir": str(out), "split": None}
    if model:
        keys["model"] = model
    elif cfg.tiny is not None:
        keys["tiny"] = cfg.tiny
    if kind == "grpo":
        keys.setdefault("answer_format", cfg.answer_format)
    recipe = out.parent / f"{kind}.yaml"
    recipe.parent.mkdir(parents=True, exist_ok=True)
    recipe.write_text(yaml.safe_dump(keys, allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        return load_recipe(recipe, kind)
    except RecipeError as e:
        raise ForgeError(f"forge {kind} settings: {e}") from None


def _eval_round(cfg: ForgeConfig, model_dir: str, held: list[dict], gcfg, out: Path) -> dict:
    from wenforge.forge.evaluate import generate, score
    from wenforge.train.data import grpo_prompt

    prompts = [grpo_prompt(gcfg, r["question"]) for r in held]
    comps = generate(model_dir, prompts, max_new_tokens=cfg.max_new_tokens)
    ev = score(held, comps, fmt=cfg.answer_format, category_field=cfg.category_field)
    _write_jsonl(out / "eval_details.jsonl", ev.pop("details"))
    (out / "eval.json").write_text(json.dumps(ev, ensure_ascii=False, indent=2), encoding="utf-8")
    details = [json.loads(x) for x in (out / "eval_details.jsonl").read_text(encoding="utf-8").splitlines()]
    page = Page(f"forge round evaluation: {out.name}")
    page.heading("Overall").table([ev["overall"]])
    page.heading("By category").table([{"category": k, **v} for k, v in ev["by_category"].items()])
    page.examples(
        "Held-out answers",
        [
            {"text": d["completion"], "category": d["category"], "verdict": d["verdict"], "pred": d["pred"]}
            for d in details[:12]
        ],
    )
    page.write(out / "eval.html")
    return ev


def run_forge(cfg: ForgeConfig, log=print) -> dict:
    """Run (or resume) the rounds; returns the state (rounds done, weights and evaluation per round)."""
    from wenforge.train.run import run_grpo, run_sft

    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    state_path = out / "state.json"
    state: dict[str, Any] = (
        json.loads(state_path.read_text(encoding="utf-8"))
        if state_path.exists()
        else {"rounds": [], "warmup": None}
    )
    pools, held = _pools(cfg)
    cats = sorted(pools)
    weights = {c: float((cfg.weights or {}).get(c, 1.0)) for c in cats}
    weights = {c: round(w / (sum(weights.values()) or 1.0), 4) for c, w in weights.items()}  # shares, as feedback gives
    if cfg.weights and (bad := [c for c in cfg.weights if c not in pools]):
        raise ForgeError(f"weights: unknown category {bad[0]!r}; categories: {', '.join(cats)}")
    model = cfg.model
    t0 = time.perf_counter()

    if cfg.warmup_sft is not None:
        if state["warmup"] is None:
            rows = sample_round(pools, weights, cfg.rows_per_round * 4, seed=cfg.seed - 1)
            _write_jsonl(out / "warmup" / "train.jsonl", rows)
            scfg = _recipe(
                cfg, cfg.warmup_sft, "sft", model, out / "warmup" / "train.jsonl", out / "warmup" / "sft"
            )
            log(f"warm-up SFT on {len(rows)} rows")
            res = run_sft(scfg)
            state["warmup"] = {"model": str(res.final_dir), "steps": res.steps}
            state_path.write_text(json.dumps(state, indent=2), encoding="utf-8")
        model = state["warmup"]["model"]

    done = {r["round"]: r for r in state["rounds"]}
    for k in range(cfg.rounds):
        if k in done:
            weights, model = done[k]["next_weights"], done[k]["model"]
            log(f"round {k}: done already (resumed)")
            continue
        rdir = out / f"round_{k:02d}"
        rows = sample_round(pools, weights, cfg.rows_per_round, seed=cfg.seed * 1000 + k)
        _write_jsonl(rdir / "train.jsonl", rows)
        gcfg = _recipe(cfg, cfg.train, "grpo", model, rdir / "train.jsonl", rdir / "grpo")
        log(f"round {k}: GRPO on {len(rows)} rows, weights {weights}")
        res = run_grpo(gcfg)
        ev = _eval_round(cfg, str(res.final_dir), held, gcfg, rdir)
        new = independent_eval(cfg, rdir, weights)
        rec = {
            "round": k,
            "weights": weights,
            "next_weights": new,
            "model": str(res.final_dir),
            "train_steps": res.steps,
            "eval": ev,
        }
        state["rounds"].append(rec)
        state_path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
        log(f"round {k}: held-out accuracy {ev['overall']['accuracy']:.3f}, next weights {new}")
        weights, model = new, str(res.final_dir)
    state["seconds_this_run"] = round(time.perf_counter() - t0, 1)
    state_path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    write_forge_report(out, state)
    return state


def write_forge_report(out: Path, state: dict) -> Path:
    """``report.html``: rounds table, held-out accuracy and mixture weight per category per round (with links to
    each round's ``eval.html``), and the per-step GRPO signals of all rounds laid end to end."""
    from wenforge.train.metrics import CURVES, curves, read_metrics

    page = Page(f"wenforge forge: {out.name}")
    rounds = state["rounds"]
    page.heading("Rounds").table(
        [
            {
                "round": r["round"],
                "accuracy": r["eval"]["overall"]["accuracy"],
                "mean_outcome": r["eval"]["overall"]["mean_outcome"],
                "format_rate": r["eval"]["overall"]["format_rate"],
                "weights": r["weights"],
                "next_weights": r["next_weights"],
                "train_steps": r["train_steps"],
                "eval_report": f"round_{r['round']:02d}/eval.html",
            }
            for r in rounds
        ]
    )
    cats = sorted({c for r in rounds for c in r["eval"]["by_category"]})
    xs = [r["round"] for r in rounds]
    acc = {"overall": [r["eval"]["overall"]["accuracy"] for r in rounds]}
    acc.update({c: [r["eval"]["by_category"].get(c, {}).get("accuracy") for r in rounds] for c in cats})
    page.line_chart(
        "held-out accuracy per round (after the round's training)", acc, x=xs, x_label="round", y_range=(0, 1)
    )
    weights = {
        c: [r["weights"].get(c, 0.0) for r in rounds] + [rounds[-1]["next_weights"].get(c, 0.0)] for c in cats
    }
    page.line_chart(
        "mixture weight per round (last point: the next round's)",
        weights,
        x=[*xs, len(rounds)],
        x_label="round",
        y_range=(0, 1),
    )
    # the per-step training signals of all rounds, steps laid end to end
    series: dict[str, list[tuple[float, float]]] = defaultdict(list)
    offset = 0.0
    for r in rounds:
        recs = [
            x for x in read_metrics(Path(r["model"]).parent / "metrics.jsonl") if "train_runtime" not in x
        ]
        for key, s in curves(recs).items():
            series[key] += [(x + offset, y) for x, y in s]
        offset += max((x["step"] for x in recs), default=0)
    page.heading("GRPO signals per step (all rounds)")
    for key, s in series.items():
        page.line_chart(CURVES[key], {key: [y for _, y in s]}, x=[x for x, _ in s])
    return page.write(out / "report.html")
