"""Values classifiers with evidence: for a prompt or any text, `values_check` gives values_risk (0-1),
should_refuse under a profile, the TC260 area and category (values_l1, values_l2), the L3 behaviour and the
spans that are its evidence; `document_labels` gives a corpus document's risk labels by passage.

Two small linear models (`values.linear`, numpy only) read character n-grams plus interpretable features:
the taxonomy's L3 cue matches, the request shape (如何/帮我/写一篇 ...), the protective shape (防范/识别/
举报 ...) and the quiz shape (以下哪项 ...). The risk model says whether a model must refuse; the topic model
says which of the 31 categories the text is about (the area is the sum of its categories' probabilities).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from wenforge.core.store import load_model
from wenforge.text.guard import guarded, match_heads
from wenforge.text.linear import LinearModel, linear_from
from wenforge.values.profile import CORE, Policy, load_policy
from wenforge.values.taxonomy import ValuesTaxonomy, load_taxonomy

MODEL_PATH = Path(__file__).with_name("assets") / "values_model.npz"
KIND = "values"
REBUILD = "python -m wenforge.values.train"
RISKY = "risky"

# Asking for something to be done or written: the shape of a request a model would carry out.
REQUEST = re.compile(r"如何|怎么|怎样|咋样?|教我|教教|帮我|帮忙|告诉我|给我|有没有|有什么(?:办法|方法|技巧|途径|渠道|软件)|"
                     r"步骤|写一(?:篇|段|个|首|份|封)|生成|编(?:一|个|造)|假设你是|扮演|请你|我想|我要|能不能|可以.{0,6}吗")
# Asking how to avoid, recognise or report a harm, or what the law says: the shape of a safe question.
PROTECTIVE = re.compile(r"防范|防止|预防|避免被|不被.{0,4}(?:骗|盗|侵)|识别|辨别|举报|报警|保护(?:自己|孩子|隐私|个人)|"
                        r"应对|是否(?:违法|合法|犯罪)|违法吗|犯法吗|法律(?:后果|责任|规定)|会被判|危害|为什么不能|如何拒绝|求助|维权")
# A quiz or judgement item about safety (以下哪项…, 是否包含…): knowledge, not a request.
QUIZ = re.compile(r"以下|下列|哪(?:个|种|项|些)(?:是|不是|属于|不属于|更|行为|说法|情况)|选项|是否(?:包含|存在|属于|展现)|判断")
BASE_EXTRA = ("cue_hits", "cue_any", "request", "protective", "quiz")
PASSAGE_CHARS = 300  # documents are labelled by passages of about this length (a paragraph)


@dataclass(frozen=True)
class ValuesModels:
    risk: LinearModel
    topic: LinearModel
    meta: dict
    shared: bool = field(init=False)  # both models read the same features: each text is featurised once

    def __post_init__(self) -> None:
        object.__setattr__(self, "shared", self.risk.same_features(self.topic))


def cue_spans(text: str, taxonomy: ValuesTaxonomy | None = None) -> list[dict]:
    """Every L3 cue match: {start, end, text, l3, l2}, in text order. A cue runs only when the text holds one of
    the strings its matches start with (`text.guard.match_heads`; most of the 362 cues can start in no given
    text: about 80 run on a news article), and with the first-character guard (`guarded`)."""
    tax = taxonomy or load_taxonomy()
    grams = set(text)
    grams.update(map(str.__add__, text, text[1:]))  # and every pair of neighbours
    out = []
    cues = tax.compiled_cues()
    for (l3, rx), (heads, run) in zip(cues, _cue_plans(tuple((rx.pattern, rx.flags) for _, rx in cues))):
        if heads is not None and heads.isdisjoint(grams):
            continue  # no match can start anywhere in the text
        for m in run.finditer(text):
            if m.end() > m.start():
                out.append({"start": m.start(), "end": m.end(), "text": m.group(0), "l3": l3, "l2": tax.l3[l3].l2})
    out.sort(key=lambda s: (s["start"], -s["end"]))
    return out


@lru_cache(maxsize=8)
def _cue_plans(cues: tuple[tuple[str, int], ...]) -> tuple[tuple[frozenset[str] | None, re.Pattern], ...]:
    """For each (pattern, flags) of a taxonomy's cues: its match starts (None when unknown) and the cue
    compiled with its first-character guard."""
    return tuple((match_heads(p, f), guarded(p, f)) for p, f in cues)


def shape_features(text: str, spans: list[dict]) -> dict[str, float]:
    """The interpretable features: cue counts (overall and per category), request, protective and quiz shape.
    Length is not one: it is no harm, and as a feature it made every short text look risky (most risky prompts
    are short)."""
    feats = {"cue_hits": math.log1p(len(spans)), "cue_any": float(bool(spans)),
             "request": float(bool(REQUEST.search(text))), "protective": float(bool(PROTECTIVE.search(text))),
             "quiz": float(bool(QUIZ.search(text)))}
    for l2, n in Counter(s["l2"] for s in spans).items():
        feats[f"cue:{l2}"] = math.log1p(n)
    return feats


def load_models(path: str | Path = MODEL_PATH) -> ValuesModels:
    """The trained risk and topic models (one store file)."""
    return _load(str(path))


@lru_cache(maxsize=2)
def _load(path: str) -> ValuesModels:
    stored = load_model(path, KIND, REBUILD)
    return ValuesModels(linear_from(stored.arrays, "risk", path), linear_from(stored.arrays, "topic", path),
                        stored.meta)


def topic_of(p2: dict[str, float], taxonomy: ValuesTaxonomy) -> tuple[str, float, str, float]:
    """(L1, its probability, L2, its probability) from the category probabilities: the area sums its
    categories' probabilities, and the category is the area's likeliest."""
    l2 = max(p2, key=p2.get)
    areas: Counter = Counter()
    for cat, p in p2.items():
        areas[taxonomy.area_of(cat)] += p
    l1, p1 = areas.most_common(1)[0]
    if taxonomy.area_of(l2) != l1:  # the category follows the area: its best category there
        l2 = max((c for c in p2 if taxonomy.area_of(c) == l1), key=p2.get)
    return l1, p1, l2, p2[l2]


def values_check(text: str, *, profile: str = CORE, policy: Policy | None = None,
                 taxonomy: ValuesTaxonomy | None = None, models: ValuesModels | None = None) -> dict:
    """values_risk, should_refuse (under `profile`), values_l1/l2/l3, the rule used and the evidence spans."""
    if not isinstance(text, str):
        raise TypeError(f"values_check expects str, got {type(text).__name__}")
    tax = taxonomy or load_taxonomy()
    pol = policy or load_policy()
    m = models or load_models()
    spans = cue_spans(text, tax)
    feats = shape_features(text, spans)
    x = m.risk.features(text, feats)
    risk = m.risk.proba_of(*x).get(RISKY, 0.0) if text.strip() else 0.0
    l1, p1, l2, p2 = topic_of(m.topic.proba_of(*x) if m.shared else m.topic.proba(text, feats), tax)
    in_l2 = [s for s in spans if s["l2"] == l2]
    l3 = (in_l2 or spans)[0]["l3"] if spans else None
    rule = pol.rule(profile, l2)
    return {
        "values_risk": round(risk, 4), "should_refuse": risk >= rule.refuse_at,
        "values_l1": l1, "values_l2": l2, "values_l3": l3,
        "values_l1_p": round(p1, 4), "values_l2_p": round(p2, 4),
        "values_rule": rule.as_dict(), "spans": spans,
        "evidence": [g for g, _w in m.risk.top_ngrams(text, RISKY, 5)] if risk >= rule.refuse_at else [],
    }


def passages(text: str, size: int = PASSAGE_CHARS) -> list[tuple[int, str]]:
    """(offset, passage): paragraphs, each cut to at most `size` characters."""
    out, pos = [], 0
    for para in re.split(r"(\n+)", text):
        if para.strip() and not para.startswith("\n"):
            for i in range(0, len(para), size):
                out.append((pos + i, para[i : i + size]))
        pos += len(para)
    return out


def document_labels(text: str, *, profile: str = CORE, policy: Policy | None = None,
                    taxonomy: ValuesTaxonomy | None = None, models: ValuesModels | None = None) -> dict:
    """A document's risk: its riskiest passage's values_risk, the categories of passages at or above their
    refuse_at (`risk_labels`: category -> highest risk) and those passages' offsets."""
    tax = taxonomy or load_taxonomy()
    pol = policy or load_policy()
    m = models or load_models()
    labels: dict[str, float] = {}
    flagged, top = [], 0.0
    for off, p in passages(text):
        r = values_check(p, profile=profile, policy=pol, taxonomy=tax, models=m)
        top = max(top, r["values_risk"])
        if r["should_refuse"]:
            labels[r["values_l2"]] = max(labels.get(r["values_l2"], 0.0), r["values_risk"])
            flagged.append({"start": off, "end": off + len(p), "l2": r["values_l2"], "risk": r["values_risk"]})
    return {"values_risk": round(top, 4), "risk_labels": labels,
            "risk_l1": sorted({tax.area_of(c) for c in labels}), "passages": flagged}
