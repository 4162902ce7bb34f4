"""`wenforge eval CONFIG.yaml`: score a model's outputs on every dimension and write the feedback.

Outputs come from a JSONL (`outputs:`), or are generated (`generate:`) from a local model path
(transformers, imported lazily) or any OpenAI-compatible endpoint (openai client, imported lazily; the
API key is read from the environment variable named in the config, never logged or written).

Per row (fields: `id`, `prompt`, `completion` (or `output`/`response`/`text`), optional `answer`,
`category`, `task`, `label`, `source`, `reference`, `keywords`, `subject`, `question_id` (HalluQA)):
- `reward`: the rule-based outcome reward when the row has an `answer` (or the row's own `reward`, as in a
  forge round's `eval_details.jsonl`, which `outputs:` can point at directly);
- `literary_score`, `ornateness`, `overwrought` and `quality` (with the row's prompt), and `style_match` against
  `style_profile` (each summary also gives `style_distance` = 1 - mean style_match);
- every detector in `detectors` (kinds from wenforge.eval.kinds; kind `response` judges the completion as the
  response to the row's prompt, and takes the row's `risky` and `values_l2` labels where given);
- `halluqa`: when the row has a HalluQA `question_id` (or `best_answers`/`wrong_answers`), judged
  against the reference answers.
The run folder gets `eval.json` (summary, per-category/task/label breakdowns, and a `safety` section: rates per
TC260 area and category when `values` or `response` ran), `rows.jsonl` (per-row
evidence), `excluded.jsonl` (each unusable line with its reason code and a file:line detail), `feedback.json`,
`stats.json` (the shared run record) and `report.html`.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from wenforge.core import reasons as R
from wenforge.core.config import ConfigError, ConfigPath, ModelPath, problem_at
from wenforge.core.config import load_config as load_yaml_config
from wenforge.core.rows import read_jsonl
from wenforge.core.runs import run_stats, write_stats
from wenforge.eval.detectors.safety import VERDICTS, safety_section
from wenforge.eval.feedback import FeedbackConfig, build_feedback
from wenforge.eval.kinds import (
    DEFAULT_GRAMMAR_PRIOR,
    DEFAULT_PROFILE,
    DETECTORS,
    DetectorError,
    kind_problem,
    run_detector,
)
from wenforge.rewards import ANSWER_FORMATS

COMPLETION_FIELDS = ("completion", "output", "response", "text")
# Style-system scores recorded per row and averaged per group when `literary` is on (style/score.py).
STYLE_SCORES = ("literary_score", "ornateness", "overwrought", "quality")
# Prompts a local model continues at once: enough to keep a CPU busy, small enough for a GPU's memory at 7B.
GENERATE_BATCH = 16


class GenerateConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompts: ConfigPath = Field(..., description="JSONL of prompts")
    prompt_field: str = "prompt"
    model: ModelPath = Field(..., description="local model path, or the model name at base_url")
    base_url: str | None = Field(None, description="OpenAI-compatible endpoint; absent = load `model` locally")
    api_key_env: str = Field("OPENAI_API_KEY", description="environment variable holding the API key")
    max_new_tokens: int = Field(256, ge=1)
    temperature: float = Field(0.0, ge=0, le=2)


class EvalConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outputs: ConfigPath | None = Field(None, description="JSONL of model outputs (or use generate)")
    generate: GenerateConfig | None = None
    output_dir: ConfigPath = "eval-out"
    answer_format: Literal[ANSWER_FORMATS] = "boxed"  # type: ignore[valid-type]  # the rewards' registry
    detectors: list[str] = Field(default_factory=lambda: ["ai", "grammar", "hallucination", "values", "response"])
    values_profile: str = Field(DEFAULT_PROFILE, description="values profile of the values and response detectors")
    facts: ConfigPath | None = Field(None, description="fact sheet YAML for the facts detector")
    grammar_prior: float = Field(DEFAULT_GRAMMAR_PRIOR, gt=0, lt=1, description="expected share of ungrammatical sentences")
    style_profile: ConfigPath | None = None
    literary: bool = Field(True, description="record literary_score, ornateness, overwrought and quality per row")
    halluqa: bool = True
    halluqa_data: ConfigPath | None = Field(None, description="data folder holding hallucination/HalluQA.json, for "
                                                              "rows that give only a HalluQA question_id")
    worst_k: int = Field(8, ge=0)
    feedback: FeedbackConfig = Field(default_factory=FeedbackConfig)

    @model_validator(mode="after")
    def _consistent(self) -> EvalConfig:
        for i, d in enumerate(self.detectors):
            if problem := kind_problem(d):
                raise problem_at(("detectors", i), problem)
        if self.values_profile != DEFAULT_PROFILE:
            from wenforge.values.profile import load_policy

            policy = load_policy()
            if self.values_profile not in policy.profiles:
                raise problem_at("values_profile", f"unknown values profile {self.values_profile!r}; profiles in "
                                                   f"{policy.source}: {', '.join(policy.profiles)}")
        if not self.outputs and not self.generate:
            raise problem_at("outputs", "give `outputs` (a JSONL of outputs) or `generate`")
        if "facts" in self.detectors and not self.facts:
            raise problem_at("facts", "the 'facts' detector needs `facts: FACTS.yaml`")
        return self


def load_config(path: str | Path) -> EvalConfig:
    """An evaluation config file; ConfigError with `file:line: key: message`."""
    return load_yaml_config(path, EvalConfig)


# ---- generation ------------------------------------------------------------------------------------------


def generate(g: GenerateConfig, rows: list[dict]) -> list[str]:
    """Completions of each row's prompt, sent as one user message: through the endpoint's chat API, or the local
    model's chat template in batches of GENERATE_BATCH (wenforge.lm.generate), so both backends see the same chat."""
    chats = [[{"role": "user", "content": str(r.get(g.prompt_field, ""))}] for r in rows]
    if g.base_url:
        from openai import OpenAI, OpenAIError

        key = os.environ.get(g.api_key_env, "EMPTY")
        client = OpenAI(base_url=g.base_url, api_key=key)
        out = []
        for i, messages in enumerate(chats):
            try:
                resp = client.chat.completions.create(model=g.model, messages=messages,
                                                      max_tokens=g.max_new_tokens, temperature=g.temperature)
            except OpenAIError as e:  # the message may echo the URL or the key: both are masked
                from wenforge.core.redact import redact_text, redact_url, url_secrets

                raise ConfigError(f"generation failed at prompt {i + 1} ({redact_url(g.base_url)}): "
                                  f"{redact_text(str(e), [key, *url_secrets(g.base_url)])}") from None
            out.append(resp.choices[0].message.content or "")
        return out
    from wenforge.lm.generate import generate as lm_generate

    return lm_generate(g.model, chats, max_new_tokens=g.max_new_tokens, batch_size=GENERATE_BATCH,
                       temperature=g.temperature)


# ---- scoring ---------------------------------------------------------------------------------------------


# Fields a row may carry and the JSON types each may have; a wrong type excludes that row with a reason
# (it used to abort the whole run and lose every row after it).
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "prompt": (str,), "question": (str,), "answer": (str, int, float), "category": (str, int), "task": (str, int),
    "label": (str, int), "source": (str,), "reference": (str,), "subject": (str,), "reward": (int, float),
    "risky": (bool,), "values_l2": (str,),
}


def _field_problem(row: dict) -> str | None:
    """Why a row cannot be scored (a field of the wrong type), or None."""
    for f, types in _FIELD_TYPES.items():
        v = row.get(f)
        if v is not None and ((isinstance(v, bool) and bool not in types) or not isinstance(v, types)):
            return f"field {f!r} must be {' or '.join(t.__name__ for t in types)}, got {type(v).__name__}"
    return None


def _completion(row: dict) -> str | None:
    for f in COMPLETION_FIELDS:
        if isinstance(row.get(f), str):
            return row[f]
    return None


def _halluqa_question(row: dict, questions: dict[int, dict] | None) -> dict | None:
    if row.get("best_answers") or row.get("wrong_answers"):
        q = {"Question": row.get("prompt") or row.get("question") or "", "Category": row.get("category", "")}
        for i, a in enumerate(row.get("best_answers") or [], 1):
            q[f"Best Answer{i}"] = a
        for i, a in enumerate(row.get("wrong_answers") or [], 1):
            q[f"Wrong_Answer{i}"] = a
        return q
    if questions and row.get("question_id") is not None:
        try:
            return questions.get(int(row["question_id"]))
        except (TypeError, ValueError):
            return None
    return None


def score_row(row: dict, cfg: EvalConfig, *, facts=None, profile=None, questions=None) -> dict:
    comp = _completion(row) or ""
    r: dict[str, Any] = {
        "id": row.get("id"), "prompt": row.get("prompt") or row.get("question"), "completion": comp,
        "category": row.get("category"), "task": row.get("task"), "label": row.get("label"),
        "answer": row.get("answer"),
    }
    if row.get("answer") is not None:
        from wenforge.rewards import outcome_reward

        r["reward"] = float(outcome_reward(comp, str(row["answer"]), fmt=cfg.answer_format))
    elif isinstance(row.get("reward"), (int, float)):
        r["reward"] = float(row["reward"])  # already scored upstream (e.g. a forge round's eval_details.jsonl)
    if cfg.literary or profile is not None:
        from wenforge.style import score_style, style_match

        if cfg.literary:
            prompt = r["prompt"] if isinstance(r["prompt"], str) else None
            st = score_style(comp, prompt=prompt)
            r.update({k: round(float(getattr(st, k)), 4) for k in STYLE_SCORES})
        if profile is not None:
            r["style_match"] = round(float(style_match(comp, profile)), 4)
    det: dict[str, dict] = {}
    drow = {**row, "text": comp, "response": comp, "prompt": r["prompt"]}  # the completion answers the prompt
    for name in cfg.detectors:
        kind = DETECTORS[name]
        if any(not isinstance(drow.get(f), str) for f in kind.requires):
            continue  # e.g. hallucination without a source, response without a prompt: not applicable to this row
        try:
            det[name] = run_detector(name, drow, facts=facts, grammar_prior=cfg.grammar_prior,
                                     profile=cfg.values_profile)
        except DetectorError as e:
            det[name] = {"error": str(e)}
    r["detectors"] = det
    q = _halluqa_question(row, questions) if cfg.halluqa else None
    if q is not None:
        from wenforge.eval.halluqa import judge

        r["halluqa"] = judge(comp, q)
    return r


def _summary(rows: list[dict]) -> dict:
    n = len(rows)
    out: dict[str, Any] = {"n": n}
    if not n:
        return out
    rw = [r["reward"] for r in rows if r.get("reward") is not None]
    if rw:
        out["accuracy"] = round(sum(x == 1.0 for x in rw) / len(rw), 4)
        out["mean_reward"] = round(sum(rw) / len(rw), 4)
    for key in (*STYLE_SCORES, "style_match"):
        v = [r[key] for r in rows if r.get(key) is not None]
        if v:
            out[key] = round(sum(v) / len(v), 4)
    if "style_match" in out:  # what forge's style rounds bring down
        out["style_distance"] = round(1 - out["style_match"], 4)
    for name, kind in DETECTORS.items():
        ds = [r["detectors"][name] for r in rows if name in r.get("detectors", {}) and "error" not in r["detectors"][name]]
        if ds:
            out[f"{name}_rate"] = round(sum(bool(d.get(kind.fail_field)) for d in ds) / len(ds), 4)
    if name_scores := [r["detectors"]["ai"]["ai_score"] for r in rows if "ai_score" in r.get("detectors", {}).get("ai", {})]:
        out["ai_score"] = round(sum(name_scores) / len(name_scores), 4)
    hq = [r["halluqa"]["hallucinated"] for r in rows if r.get("halluqa")]
    if hq:
        out["halluqa_hallucination_rate"] = round(sum(hq) / len(hq), 4)
    out["fail_rate"] = round(sum(bool(r.get("failed")) for r in rows) / n, 4)
    return out


def run_eval(cfg: EvalConfig, progress: Callable[[int, int], None] | None = None) -> dict:
    t0 = time.time()
    out_dir = Path(cfg.output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    excluded: list[dict] = []
    rows: list[dict] = []
    src = cfg.outputs or cfg.generate.prompts
    for line in read_jsonl(src):
        if line.row is None:
            excluded.append({"line": line.lineno, "reason": R.MALFORMED_JSON, "detail": line.error})
            continue
        if cfg.outputs and _completion(line.row) is None:
            excluded.append({"line": line.lineno, "id": line.row.get("id"), "reason": R.NO_COMPLETION,
                             "detail": f"{src}:{line.lineno}: no completion field ({'/'.join(COMPLETION_FIELDS)})"})
            continue
        problem = _field_problem(line.row)
        if problem:
            excluded.append({"line": line.lineno, "id": line.row.get("id"), "reason": R.WRONG_FIELD_TYPE,
                             "detail": f"{src}:{line.lineno}: {problem}"})
            continue
        rows.append(line.row)
    if cfg.generate and not cfg.outputs:
        for r, c in zip(rows, generate(cfg.generate, rows), strict=True):
            r["completion"] = c
            r.setdefault("prompt", r.get(cfg.generate.prompt_field))
    facts = None
    if "facts" in cfg.detectors:
        from wenforge.eval.detectors.facts import load_facts

        facts = load_facts(cfg.facts)
    profile = None
    if cfg.style_profile:
        from wenforge.style import load_profile

        profile = load_profile(cfg.style_profile)
    questions = None
    by_id = [r for r in rows if r.get("question_id") is not None and not (r.get("best_answers") or r.get("wrong_answers"))]
    notes: list[str] = []
    if cfg.halluqa and by_id:
        if cfg.halluqa_data:
            from wenforge.eval.halluqa import load_halluqa

            questions, _ = load_halluqa(Path(cfg.halluqa_data))
        else:
            notes.append(f"halluqa: {len(by_id)} rows give only a question_id and no halluqa_data folder was set; "
                         "they were not judged")
    scored = []
    for i, row in enumerate(rows):
        scored.append(score_row(row, cfg, facts=facts, profile=profile, questions=questions))
        if progress:
            progress(i + 1, len(rows))
    fb = build_feedback(scored, cfg.feedback)  # also sets r["failed"]
    result: dict[str, Any] = {
        "overall": _summary(scored),
        "by": {g: {k: _summary(v) for k, v in sorted(_group(scored, g).items())} for g in ("category", "task", "label")},
        "detectors": cfg.detectors, "n_excluded": len(excluded), "notes": notes,
        "seconds": round(time.time() - t0, 2), "config": _public_config(cfg),
    }
    result["by"] = {g: v for g, v in result["by"].items() if v}
    if safety := safety_section(scored):
        result["safety"] = {"profile": cfg.values_profile, **safety}
    result["worst"] = _worst(scored, cfg.worst_k)
    _write(out_dir, scored, excluded, result, fb)
    write_stats(out_dir, run_stats(
        "eval", read=len(rows) + len(excluded), kept=len(rows), excluded=dict(Counter(e["reason"] for e in excluded)),
        seconds=time.time() - t0, config=result["config"], detectors=cfg.detectors, overall=result["overall"]))
    return {"eval": result, "feedback": fb, "out_dir": str(out_dir), "excluded": excluded}


def _public_config(cfg: EvalConfig) -> dict:
    """The config as stored in eval.json: a key pasted into `generate.base_url` is masked."""
    from wenforge.core.redact import redact_url

    d = cfg.model_dump()
    if d.get("generate") and d["generate"].get("base_url"):
        d["generate"]["base_url"] = redact_url(d["generate"]["base_url"])
    return d


def _group(rows: list[dict], g: str) -> dict[str, list[dict]]:
    d: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r.get(g) not in (None, ""):
            d[str(r[g])].append(r)
    return d


def _severity(r: dict) -> tuple:
    return (-len(r.get("failed", [])), r.get("reward") if r.get("reward") is not None else 0.0,
            -(r.get("detectors", {}).get("hallucination", {}).get("hallucination_score") or 0.0))


def _worst(rows: list[dict], k: int) -> list[dict]:
    bad = sorted([r for r in rows if r.get("failed")], key=_severity)[:k]
    return [{"id": r.get("id"), "category": r.get("category"), "failed": r["failed"], "completion": r["completion"],
             "evidence": _evidence(r)} for r in bad]


def _evidence(r: dict) -> list[str]:
    ev = []
    d = r.get("detectors", {})
    for s in (d.get("grammar") or {}).get("spans", [])[:3]:
        ev.append(f"grammar {s['code']}: {s['text']}")
    for s in (d.get("hallucination") or {}).get("unsupported", [])[:3]:
        ev.append(f"unsupported {s['kind']}: {s['text']}")
    for c in (d.get("facts") or {}).get("contradictions", [])[:3]:
        ev.append(f"facts {c['reason']}: {c['span']['text']}")
    if (d.get("values") or {}).get("values_flag"):
        v = d["values"]
        ev.append(f"values {v['values_l2']} (risk {v['values_risk']}): " + ", ".join(s["text"] for s in v["spans"][:3]))
    if (d.get("response") or {}).get("response_flag"):
        ev.append(f"response {d['response']['verdict']} ({d['response']['values_l2']}): {d['response'].get('reason')}")
    if r.get("reward") is not None and r["reward"] < 1:
        ev.append(f"outcome reward {r['reward']} (answer {r.get('answer')})")
    if r.get("halluqa", {}).get("hallucinated"):
        ev.append(f"HalluQA: hallucinated (p={r['halluqa']['probability']})")
    return ev


def _write(out_dir: Path, scored: list[dict], excluded: list[dict], result: dict, fb: dict) -> None:
    """The run folder's files, each written whole or not at all (eval.json last: it marks a finished run)."""
    from wenforge.core.runs import atomic_output

    with atomic_output(out_dir / "rows.jsonl", "w") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in scored)
    with atomic_output(out_dir / "excluded.jsonl", "w") as f:
        f.writelines(json.dumps(e, ensure_ascii=False) + "\n" for e in excluded)
    with atomic_output(out_dir / "feedback.json", "w") as f:
        f.write(json.dumps(fb, ensure_ascii=False, indent=2))
    write_report(out_dir / "report.html", result, fb, excluded)
    with atomic_output(out_dir / "eval.json", "w") as f:
        f.write(json.dumps(result, ensure_ascii=False, indent=2))


def write_report(path: Path, result: dict, fb: dict, excluded: list[dict]) -> Path:
    from wenforge.report import Page

    page = Page("wenforge evaluation")
    page.heading("Overall").table([result["overall"]])
    for g, groups in result.get("by", {}).items():
        page.heading(f"By {g}").table([{g: k, **v} for k, v in groups.items()])
        rates = {k: v.get("fail_rate", 0.0) for k, v in groups.items()}
        page.bar_chart(f"failure rate by {g}", rates)
    if result.get("safety"):
        _safety_report(page, result["safety"])
    page.heading("Feedback: next mixture weights")
    page.paragraph(fb["rule"])
    for g, ws in fb.get("weights", {}).items():
        page.table([{g: k, **{kk: vv for kk, vv in v.items() if kk != "failed_checks"},
                     "failed_checks": v["failed_checks"]} for k, v in ws.items()])
    page.heading("Distil more for").table(
        [{"id": d["id"], "prompt": (d.get("prompt") or "")[:80], "failed": ", ".join(d["failed"])} for d in fb["distill"][:20]]
    )
    page.examples("Worst examples", [{"text": w["completion"], "id": w["id"], "category": w.get("category"),
                                      "failed": ", ".join(w["failed"]), "evidence": " | ".join(w["evidence"])}
                                     for w in result.get("worst", [])])
    page.heading("Excluded lines").table(excluded[:50] or [])
    return page.write(path)


SAFETY_COLUMNS = ("n", "flagged", "refused", "unsafe", "risky_prompts")


def _safety_report(page, safety: dict) -> None:
    """The safety section: rates per TC260 area and category, verdict shares and example ids."""

    def row(name: str, key: str, s: dict) -> dict:
        return {key: name, **{c: s.get(c, "") for c in SAFETY_COLUMNS},
                **{v: s.get("verdicts", {}).get(v, "") for v in VERDICTS}, "examples": ", ".join(map(str, s["examples"]))}

    page.heading(f"Safety by risk area (L1), values profile {safety['profile']}")
    page.paragraph("flagged: the completion is risky content (values); refused: it declines; unsafe: the verdict for "
                   "its prompt (response); risky_prompts: the prompt must be refused; the verdict shares follow.")
    page.table([row(k, "area", s) for k, s in safety["l1"].items()])
    page.heading("Safety by category (L2)")
    page.table([{"area": s["l1"], **row(k, "category", s)} for k, s in safety["l2"].items()])
    page.bar_chart("unsafe or flagged share by category",
                   {k: max(s.get("unsafe") or 0.0, s.get("flagged") or 0.0) for k, s in safety["l2"].items()})
