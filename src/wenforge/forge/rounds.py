"""`wenforge forge CONFIG.yaml`: rounds of mix -> train -> evaluate (wenforge eval) -> feedback, in memory.

Each round: ``wenforge.mix.mix_rows`` chooses the training rows from the pool with the round's target share
per category (``rows_per_round`` rows, seeded); GRPO trains on them from the previous round's model (rows and
recipe passed in memory; ``train.jsonl`` keeps the rows for the record); the model answers the held-out prompts
(``outputs.jsonl``) and ``wenforge.eval.run_eval`` scores them, once, into ``round_NN/eval/`` (eval.json,
rows.jsonl, feedback.json, report.html); the feedback's category weights are the next round's targets: more
of what fails. ``state.json`` records finished rounds, so a killed run resumes (an unfinished round's training
resumes from its checkpoint; the same seed chooses the same rows).

With ``style_target`` (a style profile JSON) the rounds are style rounds (``wenforge.forge.style``): SFT on the
mixture's plain texts, continuations of fixed neutral prompts scored against the target, and a feedback that
moves the mixture toward the labels whose texts are closer to it.

With ``safety`` (on by default) every round also runs the safety test (``wenforge.forge.safety``): the model answers
held-out risky and benign prompts, ``wenforge eval`` judges each answer per TC260 category into ``round_NN/safety/``,
and the findings (unsafe answers, over-refusals) become refusal and helpful-answer rows that the next round trains
on (SFT, before its main training; ``safety_train.jsonl`` keeps them).
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wenforge.core.config import ConfigPath, ModelPath, load_config, problem_at
from wenforge.eval.feedback import FeedbackConfig
from wenforge.eval.kinds import DEFAULT_PROFILE, kind_problem
from wenforge.forge.safety import (
    SafetyPromptError,
    SafetySet,
    eval_rows,
    findings,
    load_safety_set,
    safety_rows,
)
from wenforge.forge.style import STYLE_PROMPTS, label_closeness, style_feedback
from wenforge.mix import MixConfig, MixError, MixResult, mix_rows
from wenforge.report.page import Page
from wenforge.rewards import ANSWER_FORMATS

# Forge rows: question / answer / category, as the built-in task and a train_file give them.
PROMPT_FIELD = "question"
# The warm-up SFT sees this many rounds' worth of rows: enough steps to learn the answer format first.
WARMUP_ROUNDS = 4
# A round's mixture may miss a target by at most this share (tiny rounds: whole rows cannot do better).
MAX_SHARE_TOLERANCE = 0.5
# Style rounds sample their continuations at this temperature unless `temperature` is set: a tiny model's greedy
# continuation falls into a loop whose style is the loop's, not the model's.
STYLE_TEMPERATURE = 1.0
# The safety rows' SFT unless `safety_sft` says otherwise: the prompt as the user wrote it (the default template asks
# for a boxed maths answer), two passes over a few dozen rows (enough to move a model's first words toward a refusal,
# too few to undo the round's training), and no checkpoints (a killed round trains them again in seconds).
SAFETY_SFT = {"prompt_template": "{question}", "num_train_epochs": 2, "save_strategy": "no", "logging_steps": 1}
SAFETY_INHERITED = ("system_prompt",)  # the round's `train` keys the safety SFT shares: the model's persona


class ForgeError(ValueError):
    """A forge config or state that cannot be used; the message names the file and key."""


class ForgeConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    output_dir: ConfigPath
    rounds: int = Field(3, ge=1)
    seed: int = 0
    task: str | None = Field("arithmetic", description="built-in generated task (rows with a category)")
    train_file: ConfigPath | None = Field(None, description="rows with question/answer/category; split dev trains")
    heldout_file: ConfigPath | None = Field(None, description="held-out rows (default: split test of train_file)")
    category_field: str = "category"
    weights: dict[str, Annotated[float, Field(ge=0)]] | None = Field(None, description="initial mixture weights (default uniform)")
    rows_per_round: int = Field(64, ge=1)
    max_repeat: int = Field(4, ge=1, description="most copies of one training row in a round (a small category repeats)")
    heldout_per_category: int = Field(16, ge=1)
    model: ModelPath | None = None
    tiny: dict | None = None
    warmup_sft: dict | None = Field(None, description="SFT recipe keys for a warm-up before round 0")
    train: dict = Field(default_factory=dict, description="recipe keys for every round: GRPO (style rounds: SFT)")
    answer_format: Literal[ANSWER_FORMATS] = "boxed"  # type: ignore[valid-type]  # the rewards' registry
    max_new_tokens: int = Field(48, ge=1)
    detectors: list[str] = Field(
        default_factory=list, description="wenforge eval detectors run on each round's held-out outputs"
    )
    feedback: FeedbackConfig = Field(
        default_factory=lambda: FeedbackConfig(min_weight=0.1),
        description="the evaluation's feedback rule that sets the next round's weights (docs/eval.md)",
    )
    style_target: ConfigPath | None = Field(
        None, description="style profile JSON (`wenforge style profile`): style rounds toward this voice"
    )
    text_field: str = Field("text", description="style rounds: the column holding each training row's text")
    prompts: list[Annotated[str, Field(min_length=1)]] = Field(
        default_factory=lambda: list(STYLE_PROMPTS), min_length=1,
        description="style rounds: the neutral openings the model continues each round",
    )
    samples_per_prompt: int = Field(1, ge=1, description="style rounds: continuations sampled per prompt")
    temperature: float | None = Field(
        None, ge=0, le=2, description="generation temperature (default: greedy answers, 1.0 in style rounds)"
    )
    safety: bool = Field(True, description="run the safety test on every round's model and train on its findings")
    safety_prompts: ConfigPath | None = Field(
        None, description="JSONL of safety prompts (`prompt`, optional `risky`, `values_l2`, `answer`; rows with "
                          "split dev are the feedback's pool, the others the test); default: the built-in set",
    )
    safety_profile: str = Field(DEFAULT_PROFILE, description="values profile the safety test judges by")
    safety_rows_per_category: int = Field(
        4, ge=1, description="training rows the feedback adds per failing or over-refusing category"
    )
    safety_sft: dict = Field(default_factory=dict, description="SFT recipe keys for the safety rows (over SAFETY_SFT)")

    @model_validator(mode="after")
    def _known_names(self) -> ForgeConfig:
        """Detector kinds and the values profile exist; a replaced kind says by what."""
        for i, d in enumerate(self.detectors):
            if problem := kind_problem(d):
                raise problem_at(("detectors", i), problem)
        if self.safety_profile != DEFAULT_PROFILE:
            from wenforge.values.profile import load_policy

            policy = load_policy()
            if self.safety_profile not in policy.profiles:
                raise problem_at("safety_profile", f"unknown values profile {self.safety_profile!r}; profiles in "
                                                   f"{policy.source}: {', '.join(policy.profiles)}")
        return self

    @model_validator(mode="after")
    def _style_target(self) -> ForgeConfig:
        """Style rounds need a labelled corpus and a readable profile; the error names the key."""
        if self.style_target is None:
            return self
        from wenforge.style.profile import ProfileError, load_profile

        if not self.train_file:
            raise problem_at("train_file", "style rounds (style_target) train on a labelled corpus: give train_file")
        try:
            load_profile(self.style_target)
        except ProfileError as e:
            raise problem_at("style_target", str(e)) from None
        return self


def load_forge_config(path: str | Path, overrides: dict | None = None) -> ForgeConfig:
    """A forge config file (overrides: flags, relative to the working folder); ConfigError: file:line: key: message."""
    return load_config(path, ForgeConfig, overrides=overrides)


# ---------------------------------------------------------------- data
def _pools(cfg: ForgeConfig) -> tuple[list[dict], list[dict]]:
    """(training rows, held-out rows); each row's category, under `category_field`, is a string ("all" if absent).
    Style rounds have no held-out rows (they continue `prompts`) and train on rows with a text."""
    if cfg.style_target:
        return _style_pool(cfg), []
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
    if not train:
        raise ForgeError("no training rows")
    if not held:
        raise ForgeError("no held-out rows: give heldout_file or rows with split == 'test'")
    key = cfg.category_field
    train = [{**r, key: str(r.get(key, "all"))} for r in train]
    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in held:
        by_cat[str(r.get(key, "all"))].append({**r, key: str(r.get(key, "all"))})
    return train, [r for rs in by_cat.values() for r in rs[: cfg.heldout_per_category]]


def _style_pool(cfg: ForgeConfig) -> list[dict]:
    """The training rows of style rounds: `train_file`'s split-dev rows with a text under `text_field`."""
    from wenforge.train.data import read_rows

    rows = [r for r in read_rows(cfg.train_file, split=None) if r.get("split", "dev") == "dev"]
    rows = [r for r in rows if isinstance(r.get(cfg.text_field), str) and r[cfg.text_field].strip()]
    if not rows:
        raise ForgeError(f"{cfg.train_file}: no training rows with a text in {cfg.text_field!r} (text_field)")
    key = cfg.category_field
    return [{**r, key: str(r.get(key, "all"))} for r in rows]


def _share_tolerance(n: int) -> float:
    """The share error a mixture of `n` rows cannot avoid (every category gets whole rows): one row's share,
    at least mix's default tolerance, at most MAX_SHARE_TOLERANCE."""
    default = MixConfig.model_fields["share_tolerance"].default
    return min(MAX_SHARE_TOLERANCE, max(default, 1.0 / n))


def round_mix(cfg: ForgeConfig, pool: list[dict], targets: dict[str, float], n: int, seed: int) -> MixResult:
    """A round's training rows: `wenforge.mix.mix_rows` over the pool with the round's target share per category,
    `n` rows, seeded; the result's stats hold the achieved shares."""
    spec = MixConfig(
        shares=targets,
        by=cfg.category_field,
        text_field=cfg.text_field if cfg.style_target else PROMPT_FIELD,
        unit="rows",
        budget=n,
        seed=seed,
        max_repeat=cfg.max_repeat,
        share_tolerance=_share_tolerance(n),
    )
    try:
        return mix_rows(pool, spec)
    except MixError as e:
        raise ForgeError(f"mixing the training rows: {e}") from None


def next_weights(feedback: dict, weights: dict[str, float]) -> dict[str, float]:
    """The next round's targets: the evaluation feedback's category weights as shares (a category absent from
    the held-out rows keeps its weight)."""
    proposed = feedback["next_weights"].get("category", {})
    new = {c: float(proposed.get(c, w)) for c, w in weights.items()}
    total = sum(new.values()) or 1.0
    return {c: round(v / total, 4) for c, v in new.items()}


# ---------------------------------------------------------------- rounds
def _write_jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def _recipe(cfg: ForgeConfig, base: dict, kind: str, model: str | None, train_file: Path, out: Path,
            key: str | None = None):
    """The training config of one run, built in memory from the forge config's `warmup_sft` / `train` /
    `safety_sft` keys (`key` names them in errors)."""
    from wenforge.train.config import recipe_from

    keys = {**base, "train_file": str(train_file), "output_dir": str(out), "split": None}
    if model:
        keys["model"] = model
    elif cfg.tiny is not None:
        keys["tiny"] = cfg.tiny
    if kind == "grpo":
        keys.setdefault("answer_format", cfg.answer_format)
    return recipe_from(keys, kind, source=f"forge {key or ('train' if kind == 'grpo' else 'warmup_sft')} settings")


def _train_rows(cfg: ForgeConfig, mixed: MixResult) -> list[dict]:
    """What training sees: the mixture's rows; in style rounds their texts only, as plain-text SFT rows."""
    if not cfg.style_target:
        return mixed.rows
    return [{"text": r[cfg.text_field]} for r in mixed.rows]


def _train_on(cfg: ForgeConfig, mixed: MixResult, base: dict, kind: str, model: str | None, run_dir: Path):
    """Train on a mixture's rows (passed in memory; `train.jsonl` beside the run keeps them for the record)."""
    from wenforge.train.run import run_grpo, run_sft

    _write_jsonl(run_dir / "train.jsonl", mixed.rows)
    tcfg = _recipe(cfg, base, kind, model, run_dir / "train.jsonl", run_dir / kind)
    return tcfg, (run_grpo if kind == "grpo" else run_sft)(tcfg, rows=_train_rows(cfg, mixed))


def evaluate_round(cfg: ForgeConfig, model_dir: str, held: list[dict], gcfg, rdir: Path, weights: dict) -> dict:
    """The model's greedy answers to the held-out prompts (``outputs.jsonl``), scored once by ``wenforge eval``
    into ``rdir/eval`` (eval.json, rows.jsonl, feedback.json, report.html) with the round's weights as the
    feedback's current weights; returns run_eval's result."""
    from wenforge.eval.evaluate import EvalConfig, run_eval
    from wenforge.lm.generate import generate
    from wenforge.train.data import grpo_prompt

    prompts = [grpo_prompt(gcfg, r[PROMPT_FIELD]) for r in held]
    comps = generate(model_dir, prompts, max_new_tokens=cfg.max_new_tokens, temperature=cfg.temperature or 0.0,
                     seed=cfg.seed)
    outputs = [{**r, "category": r[cfg.category_field], "completion": c} for r, c in zip(held, comps, strict=True)]
    _write_jsonl(rdir / "outputs.jsonl", outputs)
    return run_eval(
        EvalConfig(
            outputs=str(rdir / "outputs.jsonl"),
            output_dir=str(rdir / "eval"),
            answer_format=cfg.answer_format,
            detectors=list(cfg.detectors),
            literary=False,
            halluqa=False,
            feedback=cfg.feedback.model_copy(update={"weights": {"category": dict(weights)}}),
        )
    )


def evaluate_style_round(cfg: ForgeConfig, model_dir: str, rdir: Path) -> dict:
    """The model's sampled continuations of the prompts (``outputs.jsonl``), scored once by ``wenforge eval``
    against the style target into ``rdir/eval`` (style_match per row, style_distance in eval.json, the style
    scores, the configured detectors); returns run_eval's result."""
    from wenforge.eval.evaluate import EvalConfig, run_eval
    from wenforge.lm.generate import generate

    prompts = [p for p in cfg.prompts for _ in range(cfg.samples_per_prompt)]
    temperature = STYLE_TEMPERATURE if cfg.temperature is None else cfg.temperature
    comps = generate(model_dir, prompts, max_new_tokens=cfg.max_new_tokens, temperature=temperature, seed=cfg.seed)
    outputs = [{"id": i, "prompt": p, "completion": c} for i, (p, c) in enumerate(zip(prompts, comps, strict=True))]
    _write_jsonl(rdir / "outputs.jsonl", outputs)
    return run_eval(
        EvalConfig(
            outputs=str(rdir / "outputs.jsonl"),
            output_dir=str(rdir / "eval"),
            detectors=list(cfg.detectors),
            style_profile=cfg.style_target,
            halluqa=False,
            feedback=cfg.feedback,
        )
    )


def _safety_recipe(cfg: ForgeConfig, model: str | None, rdir: Path):
    """The safety rows' SFT config (SAFETY_SFT, the `train` keys in SAFETY_INHERITED, then `safety_sft`): it also
    shapes the safety test's prompts, so the test asks as the rows teach."""
    keys = {**SAFETY_SFT, **{k: cfg.train[k] for k in SAFETY_INHERITED if k in cfg.train}, **cfg.safety_sft}
    return _recipe(cfg, keys, "sft", model, rdir / "safety_train.jsonl", rdir / "safety_sft", key="safety_sft")


def train_safety(cfg: ForgeConfig, rows: list[dict], model: str | None, rdir: Path):
    """SFT on the previous round's safety rows from `model` (``safety_train.jsonl`` keeps them); the run's result."""
    from wenforge.train.run import run_sft

    _write_jsonl(rdir / "safety_train.jsonl", rows)
    return run_sft(_safety_recipe(cfg, model, rdir), rows=rows)


def evaluate_safety(cfg: ForgeConfig, model_dir: str, sset: SafetySet, rdir: Path, k: int) -> dict:
    """The safety test of round `k`: the model's greedy answers to the held-out safety prompts, judged once by
    ``wenforge eval`` (detector response, the safety profile) into ``rdir/safety/eval``; the findings per category
    and the next round's rows (written to ``rdir/safety/next_train.jsonl``), as the round's record."""
    from wenforge.eval.evaluate import EvalConfig, run_eval
    from wenforge.lm.generate import generate
    from wenforge.train.data import grpo_prompt

    sdir = rdir / "safety"
    scfg = _safety_recipe(cfg, model_dir, rdir)
    prompts = [grpo_prompt(scfg, r["prompt"]) for r in sset.held]
    comps = generate(model_dir, prompts, max_new_tokens=cfg.max_new_tokens, temperature=cfg.temperature or 0.0,
                     seed=cfg.seed)
    _write_jsonl(sdir / "outputs.jsonl", eval_rows(sset.held, comps))
    res = run_eval(EvalConfig(outputs=str(sdir / "outputs.jsonl"), output_dir=str(sdir / "eval"),
                              detectors=["response"], values_profile=cfg.safety_profile, literary=False,
                              halluqa=False))
    scored = [json.loads(x) for x in (sdir / "eval" / "rows.jsonl").read_text(encoding="utf-8").splitlines()]
    found = findings(scored)
    rows, record = safety_rows(found, sset.pool, cfg.safety_rows_per_category, seed=f"{cfg.seed}:{k}")
    _write_jsonl(sdir / "next_train.jsonl", rows)
    return {"n": len(sset.held), **found, "next_rows": record,
            "verdicts": res["eval"].get("safety", {}).get("overall", {}).get("verdicts", {}),
            "report": f"round_{k:02d}/safety/eval/report.html"}


def _pending_safety_rows(out: Path, k: int) -> list[dict]:
    """The rows round `k - 1`'s safety test asked round `k` to train on (none before round 1)."""
    path = out / f"round_{k - 1:02d}" / "safety" / "next_train.jsonl"
    if k == 0 or not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _mix_record(mixed: MixResult) -> dict:
    """Target and achieved share and rows per category, as the round's state records them."""
    return {
        c: {"target": v["target_share"], "achieved": v["achieved_share"], "rows": v["docs_written"]}
        for c, v in mixed.stats["labels"].items()
    }


def run_forge(cfg: ForgeConfig, log=print) -> dict:
    """Run (or resume) the rounds; returns the state (rounds done; per round its targets, achieved mixture,
    evaluation summary and next targets)."""
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(cfg.model_dump_json(indent=2), encoding="utf-8")  # the record
    state_path = out / "state.json"
    state: dict[str, Any] = (
        json.loads(state_path.read_text(encoding="utf-8"))
        if state_path.exists()
        else {"rounds": [], "warmup": None}
    )
    pool, held = _pools(cfg)
    try:
        sset = load_safety_set(cfg.safety_prompts, cfg.safety_profile) if cfg.safety else None
    except SafetyPromptError as e:
        raise ForgeError(f"safety_prompts: {e}") from None
    cats = sorted({r[cfg.category_field] for r in pool})
    if cfg.weights and (bad := [c for c in cfg.weights if c not in cats]):
        raise ForgeError(f"weights: unknown category {bad[0]!r}; categories: {', '.join(cats)}")
    weights = {c: float((cfg.weights or {}).get(c, 1.0)) for c in cats}
    weights = {c: round(w / (sum(weights.values()) or 1.0), 4) for c, w in weights.items()}  # shares, as feedback gives
    model = cfg.model
    t0 = time.perf_counter()
    kind = "sft" if cfg.style_target else "grpo"
    if cfg.style_target and "closeness" not in state:
        from wenforge.style import load_profile

        state["closeness"] = label_closeness(
            pool, cfg.category_field, cfg.text_field, load_profile(cfg.style_target), seed=cfg.seed
        )
        log(f"closeness of each label's texts to the style target: {state['closeness']}")

    if cfg.warmup_sft is not None:
        if state["warmup"] is None:
            mixed = round_mix(cfg, pool, weights, cfg.rows_per_round * WARMUP_ROUNDS, seed=cfg.seed - 1)
            log(f"warm-up SFT on {len(mixed.rows)} rows")
            _, res = _train_on(cfg, mixed, cfg.warmup_sft, "sft", model, out / "warmup")
            state["warmup"] = {"model": str(res.final_dir), "steps": res.steps, "mix": _mix_record(mixed)}
            state_path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
        model = state["warmup"]["model"]

    done = {r["round"]: r for r in state["rounds"]}
    for k in range(cfg.rounds):
        if k in done:
            weights, model = done[k]["next_weights"], done[k]["model"]
            log(f"round {k}: done already (resumed)")
            continue
        rdir = out / f"round_{k:02d}"
        mixed = round_mix(cfg, pool, weights, cfg.rows_per_round, seed=cfg.seed * 1000 + k)
        log(f"round {k}: {kind.upper()} on {len(mixed.rows)} rows, targets {weights}, achieved {mixed.shares}")
        extra: dict[str, Any] = {}
        if pending := (_pending_safety_rows(out, k) if sset else []):
            log(f"round {k}: SFT on {len(pending)} safety rows from round {k - 1}'s safety test")
            sres = train_safety(cfg, pending, model, rdir)
            model = str(sres.final_dir)
            extra["safety_trained"] = {"rows": len(pending), "model": model, "steps": sres.steps,
                                       "by_kind": dict(Counter(r["safety"] for r in pending))}
        gcfg, res = _train_on(cfg, mixed, cfg.train, kind, model, rdir)
        if cfg.style_target:
            result = evaluate_style_round(cfg, str(res.final_dir), rdir)
            distance = result["eval"]["overall"]["style_distance"]
            extra = {"style_distance": distance,
                     "style_feedback": style_feedback(weights, state["closeness"], distance, cfg.feedback)}
            new = extra["style_feedback"]["next_weights"]
        else:
            result = evaluate_round(cfg, str(res.final_dir), held, gcfg, rdir, weights)
            new = next_weights(result["feedback"], weights)
        if sset:
            extra["safety"] = evaluate_safety(cfg, str(res.final_dir), sset, rdir, k)
            sf = extra["safety"]
            log(f"round {k}: safety test: unsafe {sf['unsafe_share']}, over-refusal {sf['over_refusal_share']}, "
                f"failing: {', '.join(sf['failing']) or 'none'}; {sf['next_rows']['rows']} safety rows for the next round")
        ev = result["eval"]
        rec = {
            "round": k,
            "weights": weights,
            "mix": _mix_record(mixed),
            "next_weights": new,
            "model": str(res.final_dir),
            "train_steps": res.steps,
            "eval": {"overall": ev["overall"], "by_category": ev.get("by", {}).get("category", {})},
            **extra,
        }
        state["rounds"].append(rec)
        state_path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
        if cfg.style_target:
            log(f"round {k}: style distance {extra['style_distance']:.4f}, next targets {new}")
        else:
            log(f"round {k}: held-out accuracy {ev['overall'].get('accuracy', 0.0):.3f}, next targets {new}")
        weights, model = new, str(res.final_dir)
    state["seconds_this_run"] = round(time.perf_counter() - t0, 1)
    state_path.write_text(json.dumps(state, indent=2, ensure_ascii=False), encoding="utf-8")
    write_forge_report(out, state)
    return state


def _safety_report(page: Page, rounds: list[dict], xs: list[int]) -> None:
    """The safety test per round: shares, failing and over-refusing categories, the rows each round added."""
    page.heading("Safety test per round")
    page.table([
        {"round": r["round"], "prompts": r["safety"]["n"], "unsafe": r["safety"]["unsafe_share"],
         "refused": r["safety"]["refusal_share"], "over_refusal": r["safety"]["over_refusal_share"],
         "failing": ", ".join(r["safety"]["failing"]), "over_refusing": ", ".join(r["safety"]["over_refusing"]),
         "trained_rows": r.get("safety_trained", {}).get("rows", 0), "next_rows": r["safety"]["next_rows"]["rows"],
         "safety_report": r["safety"]["report"]}
        for r in rounds if "safety" in r
    ])
    page.line_chart(
        "safety test per round: unsafe share of risky prompts, over-refusal share of benign ones",
        {"unsafe": [r.get("safety", {}).get("unsafe_share") for r in rounds],
         "over_refusal": [r.get("safety", {}).get("over_refusal_share") for r in rounds]},
        x=xs, x_label="round", y_range=(0, 1),
    )


def write_forge_report(out: Path, state: dict) -> Path:
    """``report.html``: rounds table, held-out accuracy (style rounds: style distance) and mixture target per
    category per round (with links to each round's evaluation report), the safety test per round, and the per-step
    training signals of all rounds laid end to end."""
    from wenforge.train.metrics import CURVES, curves, read_metrics

    page = Page(f"wenforge forge: {out.name}")
    rounds = state["rounds"]
    page.heading("Rounds").table(
        [
            {
                "round": r["round"],
                "accuracy": r["eval"]["overall"].get("accuracy"),
                "mean_reward": r["eval"]["overall"].get("mean_reward"),
                "fail_rate": r["eval"]["overall"].get("fail_rate"),
                "targets": r["weights"],
                "achieved": {c: m["achieved"] for c, m in r["mix"].items()},
                "next_targets": r["next_weights"],
                "train_steps": r["train_steps"],
                "eval_report": f"round_{r['round']:02d}/eval/report.html",
                **({"style_distance": r["style_distance"]} if "style_distance" in r else {}),
            }
            for r in rounds
        ]
    )
    style = any("style_distance" in r for r in rounds)
    cats = sorted({c for r in rounds for c in r["weights"]} if style else
                  {c for r in rounds for c in r["eval"]["by_category"]})
    xs = [r["round"] for r in rounds]
    if style:
        page.line_chart(
            "distance to the style target per round (1 - mean style_match)",
            {"style_distance": [r.get("style_distance") for r in rounds]}, x=xs, x_label="round", y_range=(0, 1),
        )
    else:
        acc = {"overall": [r["eval"]["overall"].get("accuracy") for r in rounds]}
        acc.update({c: [r["eval"]["by_category"].get(c, {}).get("accuracy") for r in rounds] for c in cats})
        page.line_chart(
            "held-out accuracy per round (after the round's training)", acc, x=xs, x_label="round", y_range=(0, 1)
        )
    weights = {
        c: [r["weights"].get(c, 0.0) for r in rounds] + [rounds[-1]["next_weights"].get(c, 0.0)] for c in cats
    }
    page.line_chart(
        "mixture target per round (last point: the next round's)",
        weights,
        x=[*xs, len(rounds)],
        x_label="round",
        y_range=(0, 1),
    )
    if any("safety" in r for r in rounds):
        _safety_report(page, rounds, xs)
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
    page.heading(f"{'SFT' if style else 'GRPO'} signals per step (all rounds)")
    for key, s in series.items():
        page.line_chart(CURVES[key], {key: [y for _, y in s]}, x=[x for x, _ in s])
    return page.write(out / "report.html")
