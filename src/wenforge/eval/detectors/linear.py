"""A sublinear TF-IDF + logistic-regression text model kept as plain arrays (npz, no pickle).

The AI-likeness and grammar detectors both use one: scikit-learn fits it, `save_linear` stores the vocabulary,
idf, coefficients, intercept and any extra scalars, `load_linear` reads it back, and `contributions` /
`probability` score a bag of features exactly as scikit-learn's l2-normalised sublinear TF-IDF would.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class LinearModel:
    vocab: dict[str, int]
    idf: list[float]
    coef: list[float]
    intercept: float
    extra: dict[str, float] = field(default_factory=dict)


def save_linear(path: Path, vec, clf, **extra: float) -> Path:
    """Store a fitted TfidfVectorizer + LogisticRegression (binary) and extra scalars."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    vocab = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
    np.savez_compressed(
        path,
        vocab=np.array(vocab),
        idf=vec.idf_.astype("float32"),
        coef=clf.coef_[0].astype("float32"),
        intercept=np.array([clf.intercept_[0]]),
        **{k: np.array([v]) for k, v in extra.items()},
    )
    return path


def load_linear(path: Path, what: str, rebuild: str) -> LinearModel:
    """Read a model saved by `save_linear`; a missing file names the command that rebuilds it."""
    import numpy as np

    if not path.exists():
        raise FileNotFoundError(f"{what} model missing: {path}; rebuild it with `{rebuild}`")
    z = np.load(path, allow_pickle=False)
    core = {"vocab", "idf", "coef", "intercept"}
    return LinearModel(
        vocab={str(w): i for i, w in enumerate(z["vocab"])},
        idf=z["idf"].astype("float64"),
        coef=z["coef"].astype("float64"),
        intercept=float(z["intercept"][0]),
        extra={k: float(z[k][0]) for k in z.files if k not in core},
    )


def counts_of(model: LinearModel, features: Iterable[str]) -> dict[int, int]:
    """Feature index -> count, for the features in the model's vocabulary."""
    counts: dict[int, int] = {}
    for f in features:
        i = model.vocab.get(f)
        if i is not None:
            counts[i] = counts.get(i, 0) + 1
    return counts


def contributions(model: LinearModel, counts: dict[int, int]) -> dict[int, float]:
    """Each feature's term in the decision function (sublinear tf * idf, l2-normalised, times its weight)."""
    w = {i: (1.0 + math.log(c)) * model.idf[i] for i, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
    return {i: model.coef[i] * v / norm for i, v in w.items()}


def probability(model: LinearModel, contrib: dict[int, float]) -> float:
    z = sum(contrib.values()) + model.intercept
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
