"""`score_style(text) -> StyleResult`: literary score, L1/L2/L3 taxonomy, style features and device evidence."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field

from wenforge.style.devices import DeviceResult
from wenforge.style.models import char_ngrams_12, load_models
from wenforge.style.taxonomy import load_taxonomy
from wenforge.style.vector import compute

MIN_CJK_RATIO = 0.3  # below this the text is not Chinese enough for the models: l1 = l2 = "other"


@dataclass
class StyleResult:
    literary_score: float
    taxonomy: dict  # {"l1": str, "l2": str, "l3": [device, ...]}
    features: dict[str, float] = field(default_factory=dict)
    evidence: list[dict] = field(default_factory=list)  # [{device, span, start, end}]
    l1_proba: dict[str, float] = field(default_factory=dict)
    l2_proba: dict[str, float] = field(default_factory=dict)

    @property
    def l1(self) -> str:
        return self.taxonomy["l1"]

    @property
    def l2(self) -> str:
        return self.taxonomy["l2"]

    @property
    def l3(self) -> list[str]:
        return self.taxonomy["l3"]

    def to_dict(self) -> dict:
        return asdict(self)


def _l3(devices: dict[str, DeviceResult]) -> list[str]:
    return [name for name, r in devices.items() if r.present]


def _evidence(devices: dict[str, DeviceResult]) -> list[dict]:
    ev = [s.as_dict() for name, r in devices.items() if r.present for s in r.spans]
    return sorted(ev, key=lambda e: (e["start"], e["device"]))


LIT_BLEND = 0.5  # weight of the literary score's log-odds on the L1 `literature` log-probability


def _blend_literary(p1: dict[str, float], lit: float) -> dict[str, float]:
    """Let the literary score inform L1 (short texts give the n-gram classifier little to go on)."""
    if "literature" not in p1:
        return p1
    lo = math.log(max(lit, 1e-6) / max(1 - lit, 1e-6))
    q = dict(p1)
    q["literature"] = p1["literature"] * math.exp(LIT_BLEND * max(-4.0, min(4.0, lo)))
    z = sum(q.values())
    return {k: v / z for k, v in q.items()}


def score_style(text: str, *, with_proba: bool = False) -> StyleResult:
    """Score one text. Empty or non-Chinese text gets literary_score 0 and l1/l2 `other`."""
    if not isinstance(text, str):
        raise TypeError(f"score_style expects str, got {type(text).__name__}")
    feats, devices, doc = compute(text)
    l3 = _l3(devices)
    evidence = _evidence(devices)
    if doc.n_chars == 0 or doc.n_cjk / max(doc.n_chars, 1) < MIN_CJK_RATIO:
        return StyleResult(0.0, {"l1": "other", "l2": "other", "l3": l3}, feats, evidence)
    models = load_models()
    lit = models.literary.score(feats, doc.n_chars)
    grams = Counter(char_ngrams_12(doc.text))
    p1 = models.l1.proba(grams, feats)
    p2 = models.l2.proba(grams, feats)
    p1 = _blend_literary(p1, lit)
    l1 = max(p1, key=p1.get)
    tax = load_taxonomy()
    children = [c for c in tax.l2_of(l1) if c in p2]
    l2 = max(children, key=p2.get) if children else (tax.l2_of(l1) or ["other"])[0]
    return StyleResult(
        round(lit, 6), {"l1": l1, "l2": l2, "l3": l3}, feats, evidence,
        p1 if with_proba else {}, p2 if with_proba else {},
    )


def literary_score(text: str) -> float:
    """The calibrated literary score in [0, 1] (features + one dot product; no classifiers)."""
    feats, _devices, doc = compute(text)
    if doc.n_chars == 0 or doc.n_cjk / max(doc.n_chars, 1) < MIN_CJK_RATIO:
        return 0.0
    return load_models().literary.score(feats, doc.n_chars)
