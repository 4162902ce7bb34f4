"""A sublinear TF-IDF + logistic-regression text model kept as plain arrays in the model store (`core.store`).

The AI-likeness and grammar detectors both use one: scikit-learn fits it, `save_linear` stores the vocabulary,
idf and coefficients as arrays and the intercept and any extra scalars as metadata, `load_linear` reads it
back, and `contributions` / `probability` score a bag of features exactly as scikit-learn's l2-normalised
sublinear TF-IDF would.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from wenforge.core.store import load_model, save_model

KIND = "tfidf-logistic"


@dataclass
class LinearModel:
    vocab: dict[str, int]
    idf: list[float]
    coef: list[float]
    intercept: float
    extra: dict[str, float] = field(default_factory=dict)


def save_linear(path: Path, vec, clf, **extra: float) -> Path:
    """Store a fitted TfidfVectorizer + LogisticRegression (binary) and extra scalars in the model store."""
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    arrays = {"vocab": np.array(vocab), "idf": vec.idf_.astype("float32"), "coef": clf.coef_[0].astype("float32")}
    meta = {"intercept": float(clf.intercept_[0]), "extra": {k: float(v) for k, v in extra.items()}}
    return save_model(path, KIND, arrays, meta)


def load_linear(path: Path, rebuild: str) -> LinearModel:
    """Read a model saved by `save_linear`; a missing or broken file names the command that rebuilds it."""
    m = load_model(path, KIND, rebuild)
    return LinearModel(  # plain floats: the scoring reads one weight at a time, and numpy scalars are slow at that
        vocab={str(w): i for i, w in enumerate(m.arrays["vocab"])},
        idf=m.arrays["idf"].astype("float64").tolist(),
        coef=m.arrays["coef"].astype("float64").tolist(),
        intercept=float(m.meta["intercept"]),
        extra={k: float(v) for k, v in m.meta["extra"].items()},
    )


def counts_of(model: LinearModel, features: Iterable[str]) -> dict[int, int]:
    """Feature index -> count, for the features in the model's vocabulary."""
    get = model.vocab.get
    counts: dict[int, int] = {}
    for f in features:
        i = get(f)
        if i is not None:
            counts[i] = counts.get(i, 0) + 1
    return counts


def left_sum(values: Iterable[float]) -> float:
    """The floats added one at a time, left to right: how these scores have always been summed (numpy
    scalars were; `sum()` of plain floats is compensated from Python 3.12, which moves the last digits)."""
    total = 0
    for v in values:
        total += v
    return total


def contributions(model: LinearModel, counts: dict[int, int]) -> dict[int, float]:
    """Each feature's term in the decision function (sublinear tf * idf, l2-normalised, times its weight)."""
    idf, coef, log = model.idf, model.coef, math.log
    w = {i: idf[i] if c == 1 else (1.0 + log(c)) * idf[i] for i, c in counts.items()}  # 1.0 * x is x exactly
    norm = math.sqrt(left_sum([v * v for v in w.values()])) or 1.0
    return {i: coef[i] * v / norm for i, v in w.items()}


def probability(model: LinearModel, contrib: dict[int, float]) -> float:
    z = left_sum(contrib.values()) + model.intercept
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
