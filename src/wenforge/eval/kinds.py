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


@dataclass(frozen=True)
class DetectorKind:
    name: str
    description: str
    reads: tuple[str, ...]  # input fields besides `text` (optional unless in `requires`)
    writes: tuple[str, ...]  # output fields
    target: str  # "module:function"
    requires: tuple[str, ...] = ()
    needs_facts: bool = False
    fail_field: str = ""  # boolean output that means "this text fails the check"

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
        DetectorKind("safety", "weighted lexicon and pattern hits (porn, ads, weapons, violence, domains)", (),
                     ("safety_flag", "safety_score", "hits"), "wenforge.eval.detectors.safety:safety_check",
                     fail_field="safety_flag"),
    )
}


class DetectorError(ValueError):
    """Unknown kind, or a row missing a required field."""


def get_kind(name: str) -> DetectorKind:
    try:
        return DETECTORS[name]
    except KeyError:
        raise DetectorError(f"unknown detector kind {name!r}; kinds: {', '.join(DETECTORS)}") from None


def run_detector(name: str, row: dict[str, Any], *, facts=None, grammar_prior: float | None = DEFAULT_GRAMMAR_PRIOR) -> dict:
    """Run one detector on one input row (`text` plus the fields the kind reads); adds its `fail_field`.
    `grammar_prior`: the expected share of ungrammatical sentences (see detectors.grammar)."""
    kind = get_kind(name)
    text = row.get("text")
    if not isinstance(text, str):
        raise DetectorError("missing or non-string field 'text'")
    for f in kind.requires:
        if not isinstance(row.get(f), str):
            raise DetectorError(f"detector {name!r} needs a string field {f!r}")
    for f in kind.reads:
        if f != "keywords" and row.get(f) is not None and not isinstance(row[f], str):
            raise DetectorError(f"field {f!r} must be a string, got {type(row[f]).__name__}")
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
    else:
        out = fn(text)
        if name == "ai":
            from wenforge.eval.detectors.ai import flag_threshold

            out["ai_flag"] = out["ai_score"] >= flag_threshold()
    return out
