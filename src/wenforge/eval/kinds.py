"""The one vocabulary of detector kinds: name -> what it reads, what it writes, and the function.

`wenforge detect KIND`, `wenforge eval` (config key `detectors`), eval.json, feedback.json and the report
all use these names. Detector modules are imported lazily, so listing kinds costs nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wenforge.eval.detectors.grammar import DEFAULT_PRIOR as DEFAULT_GRAMMAR_PRIOR
from wenforge.values.profile import CORE as DEFAULT_PROFILE


@dataclass(frozen=True)
class DetectorKind:
    name: str
    description: str
    reads: tuple[str, ...]  # input fields besides the text (optional unless in `requires`)
    writes: tuple[str, ...]  # output fields
    target: str  # "module:function"
    requires: tuple[str, ...] = ()
    needs_facts: bool = False
    fail_field: str = ""  # boolean output that means "this text fails the check"
    text_field: str = "text"  # the input field holding the text judged

    def function(self) -> Callable[..., dict]:
        mod, fn = self.target.split(":")
        return getattr(importlib.import_module(mod), fn)


DETECTORS: dict[str, DetectorKind] = {
    k.name: k
    for k in (
        DetectorKind("ai", "how likely the text is machine-written (templates, absent human tells, masked n-grams)",
                     (), ("ai_score", "spans", "signals"), "wenforge.eval.detectors.ai:detect_ai", fail_field="ai_flag"),
        DetectorKind("grammar", "Chinese grammatical errors: rules plus a part-of-speech n-gram model", (),
                     ("grammar_error", "grammar_score", "spans"), "wenforge.eval.detectors.grammar:grammar_check",
                     fail_field="grammar_error"),
        DetectorKind("hallucination", "names, numbers, dates, places and claims unsupported by source/reference",
                     ("source", "reference", "keywords"),
                     ("hallucination_score", "unsupported", "keyword_verdicts"),
                     "wenforge.eval.detectors.hallucination:detect_hallucination", requires=("source",),
                     fail_field="hallucinated"),
        DetectorKind("facts", "temporal and biographical consistency against a fact sheet", ("subject",),
                     ("contradictions", "times", "facts_consistent"), "wenforge.eval.detectors.facts:check_facts",
                     needs_facts=True, fail_field="facts_inconsistent"),
        DetectorKind("values", "TC260 values risk: must a model refuse this text, its area, category and "
                     "behaviour, with evidence spans (wenforge.values)", (),
                     ("values_risk", "should_refuse", "values_l1", "values_l2", "values_l3", "values_rule", "spans",
                      "refusal", "values_flag"),
                     "wenforge.eval.detectors.safety:values_detect", fail_field="values_flag"),
        DetectorKind("response", "a response's verdict for its prompt: safe, unsafe, refusal or over_refusal",
                     ("prompt", "risky", "values_l2"),
                     ("verdict", "response_risk", "refusal", "spans", "reason", "prompt_risky", "prompt_risk",
                      "values_l1", "values_l2", "values_rule", "response_flag"),
                     "wenforge.eval.detectors.safety:response_detect", requires=("prompt",),
                     fail_field="response_flag", text_field="response"),
    )
}
# Kinds that are gone, and what replaced them: naming one is an error that says so.
REPLACED: dict[str, str] = {
    "safety": "values (the TC260 values classifiers; 'response' judges a prompt and its response); the old "
              "lexicon check flagged none of the held-out risky questions",
}


class DetectorError(ValueError):
    """Unknown kind, or a row missing a required field."""


def kind_problem(name: str) -> str | None:
    """Why `name` is no detector kind (a replaced one says by what), or None."""
    if name in REPLACED:
        return f"detector kind {name!r} was replaced: use {REPLACED[name]}"
    if name not in DETECTORS:
        return f"unknown detector kind {name!r}; kinds: {', '.join(DETECTORS)}"
    return None


def get_kind(name: str) -> DetectorKind:
    problem = kind_problem(name)
    if problem:
        raise DetectorError(problem)
    return DETECTORS[name]


# Fields a detector reads that are not strings: their JSON type (`keywords` is checked by its detector).
_FIELD_TYPES: dict[str, type] = {"risky": bool}


def _check_fields(name: str, kind: DetectorKind, row: dict[str, Any]) -> str:
    """The row's text; DetectorError for a missing text or required field or a read field of the wrong type."""
    text = row.get(kind.text_field)
    if not isinstance(text, str):
        raise DetectorError(f"missing or non-string field {kind.text_field!r}")
    for f in kind.requires:
        if not isinstance(row.get(f), str):
            raise DetectorError(f"detector {name!r} needs a string field {f!r}")
    for f in kind.reads:
        want = _FIELD_TYPES.get(f, str)
        if f != "keywords" and row.get(f) is not None and not isinstance(row[f], want):
            raise DetectorError(f"field {f!r} must be a {'string' if want is str else want.__name__}, "
                                f"got {type(row[f]).__name__}")
    return text


def run_detector(name: str, row: dict[str, Any], *, facts=None, grammar_prior: float | None = DEFAULT_GRAMMAR_PRIOR,
                 profile: str = DEFAULT_PROFILE) -> dict:
    """Run one detector on one input row (its text field plus the fields the kind reads); adds its `fail_field`.
    `grammar_prior`: the expected share of ungrammatical sentences (see detectors.grammar); `profile`: the values
    profile of kinds values and response (wenforge.values.profile)."""
    kind = get_kind(name)
    text = _check_fields(name, kind, row)
    fn = kind.function()
    if name == "hallucination":
        kws = row.get("keywords")
        if kws is not None and not (isinstance(kws, list) and all(isinstance(k, str) for k in kws)):
            raise DetectorError("field 'keywords' must be a list of strings")
        out = fn(text, row["source"], row.get("reference") or None, kws or None)
        from wenforge.eval.detectors.hallucination import load_model

        thr = load_model()["with_reference" if row.get("reference") else "source_only"]["threshold"]
        out["hallucinated"] = bool(out["unsupported"]) or out["hallucination_score"] >= thr
    elif name == "facts":
        if facts is None:
            raise DetectorError("detector 'facts' needs a fact sheet (--facts FACTS.yaml)")
        out = fn(text, facts, row.get("subject"))
        out["facts_inconsistent"] = not out["facts_consistent"]
    elif name == "grammar":
        out = fn(text, prior=grammar_prior)
    elif name == "values":
        out = fn(text, profile=profile)
    elif name == "response":
        try:
            out = fn(row["prompt"], text, profile=profile, risky=row.get("risky"), l2=row.get("values_l2"))
        except KeyError as e:  # a values_l2 the taxonomy does not have
            raise DetectorError(f"field 'values_l2': {e.args[0]}") from None
    else:
        out = fn(text)
        if name == "ai":
            from wenforge.eval.detectors.ai import flag_threshold

            out["ai_flag"] = out["ai_score"] >= flag_threshold()
    return out
