"""A character n-gram linear classifier that runs on numpy alone: a fixed n-gram vocabulary, sublinear counts,
one weight row per class, stored in the one model store (`core.store`, npz + JSON, no pickle).

Used by the values classifiers and the cleaner's machine-prose model. Why not scikit-learn at run time: a fitted
estimator is a pickle. Training uses scikit-learn's LogisticRegression or LinearSVC (`fit_linear`); the
vocabulary, weights and bias are what gets saved. Why a vocabulary and
not hashing: a dict lookup per n-gram is the fastest featurizer in pure Python (the speed goal is 50,000
characters per second per core), and the weights of a named n-gram can be shown as evidence.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import add
from pathlib import Path

import numpy as np

NGRAM_ORDERS = (1, 2, 3)  # characters, bigrams, trigrams: words of one to three characters
MIN_DOC_FREQ = 2  # an n-gram seen in one training text only is noise, not a feature
MAX_FEATURES = 60_000  # the most frequent n-grams kept: enough for a few thousand short texts
MAX_CHARS = 4_000  # longer texts are read in their first MAX_CHARS (a prompt or an answer's opening)


_SUBLINEAR = [0.0] + [1.0 + math.log(c) for c in range(1, 64)]  # sublinear weights of small counts, computed once


def ngrams(text: str, orders: Sequence[int] = NGRAM_ORDERS) -> Counter:
    """Character n-gram counts of `text` (its first MAX_CHARS), whitespace collapsed; counted order by order,
    each in text order (the features' order, so their sums are the same however they are built)."""
    t = " ".join(text[:MAX_CHARS].split())
    memo: dict[int, Sequence[str]] = {1: t}
    out: Counter = Counter()
    for n in orders:
        out.update(_grams_of_order(t, n, memo))
    return out


def _grams_of_order(t: str, n: int, memo: dict[int, Sequence[str]]) -> Sequence[str]:
    """The n-grams of `t` in text order, each order built from the one below (C-level string joins)."""
    if n not in memo:
        memo[n] = list(map(add, _grams_of_order(t, n - 1, memo), t[n - 1 :]))
    return memo[n]


def build_vocab(texts: Iterable[str], orders: Sequence[int] = NGRAM_ORDERS) -> list[str]:
    """The n-grams in at least MIN_DOC_FREQ texts, most frequent first (ties by the n-gram, so that training
    twice keeps the same ones: set order changes between processes), at most MAX_FEATURES."""
    df: Counter = Counter()
    for t in texts:
        df.update(set(ngrams(t, orders)))
    kept = [g for g, c in sorted(df.items(), key=lambda gc: (-gc[1], gc[0])) if c >= MIN_DOC_FREQ]
    return sorted(kept[:MAX_FEATURES])


@dataclass(frozen=True)
class LinearModel:
    """Classes, vocabulary, weights (classes x (vocab + extra features)) and bias; `extra` names the
    non-n-gram features appended after the vocabulary, in order."""

    classes: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray
    extra: tuple[str, ...] = ()
    orders: tuple[int, ...] = NGRAM_ORDERS
    grams: tuple[str, ...] = field(init=False, repr=False, compare=False)  # column -> n-gram, for evidence

    def __post_init__(self) -> None:
        inv = [""] * len(self.vocab)
        for g, j in self.vocab.items():
            inv[j] = g
        object.__setattr__(self, "grams", tuple(inv))

    def features(self, text: str, extra: Mapping[str, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Sparse features of `text`: column indices and values (log1p counts, L2-normalised; extras as given)."""
        get = self.vocab.get
        hits = [(j, c) for g, c in ngrams(text, self.orders).items() if (j := get(g)) is not None]
        idx = [j for j, _ in hits]
        v = np.asarray([_SUBLINEAR[c] if c < len(_SUBLINEAR) else 1.0 + math.log(c) for _, c in hits], dtype=np.float64)
        if len(v):
            v /= np.linalg.norm(v)
        n = len(self.vocab)
        ex = [(n + k, float((extra or {}).get(name, 0.0))) for k, name in enumerate(self.extra)]
        return (np.asarray(idx + [i for i, _ in ex], dtype=np.int64),
                np.concatenate([v, np.asarray([x for _, x in ex], dtype=np.float64)]))

    def scores(self, text: str, extra: Mapping[str, float] | None = None) -> np.ndarray:
        """The raw linear score of each class."""
        idx, val = self.features(text, extra)
        return self.weights[:, idx] @ val + self.bias

    def proba(self, text: str, extra: Mapping[str, float] | None = None) -> dict[str, float]:
        """Class probabilities: the logistic for two classes (one weight row), softmax otherwise."""
        return self.proba_of(*self.features(text, extra))

    def proba_of(self, idx: np.ndarray, val: np.ndarray) -> dict[str, float]:
        """`proba` from features already computed (models sharing a vocabulary and extras compute them once)."""
        s = self.weights[:, idx] @ val + self.bias
        if len(self.classes) == 2 and len(s) == 1:
            p = 1.0 / (1.0 + math.exp(-float(s[0])))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        e = np.exp(s - s.max())
        e /= e.sum()
        return {c: float(x) for c, x in zip(self.classes, e, strict=True)}

    def same_features(self, other: LinearModel) -> bool:
        """Whether `other` reads the same features (vocabulary, extras, orders), so one featurisation serves both."""
        return self.extra == other.extra and self.orders == other.orders and self.vocab == other.vocab

    def top_ngrams(self, text: str, cls: str, k: int = 5, min_chars: int = 2) -> list[tuple[str, float]]:
        """The `k` n-grams of `text` (of `min_chars` or more: single characters explain little) that push it
        most toward `cls` (evidence): (n-gram, weight)."""
        row = self.weights[0] if len(self.weights) == 1 else self.weights[self.classes.index(cls)]
        sign = -1.0 if len(self.weights) == 1 and cls == self.classes[0] else 1.0
        n = len(self.grams)
        idx, _val = self.features(text)
        got = sorted(((self.grams[j], sign * float(row[j])) for j in idx if j < n and len(self.grams[j]) >= min_chars),
                     key=lambda x: -x[1])
        return [(g, round(w, 4)) for g, w in got[:k] if w > 0]


LOSSES = ("logistic", "hinge")  # logistic regression; a linear SVM (one against the rest, squared hinge)
LOGISTIC_ITER = 2000  # lbfgs iterations: converges on a few thousand texts
SVM_ITER = 10_000  # liblinear iterations: its default 1,000 did not converge at C 10 on the dev rows
SVM_SEED = 0  # liblinear visits the rows in a random order: a fixed seed makes retraining give the same file


def fit_linear(texts: Sequence[str], labels: Sequence[str], *, extra_rows: Sequence[Mapping[str, float]] | None = None,
               extra: Sequence[str] = (), c: float = 4.0, class_weight: str | None = "balanced",
               vocab: Sequence[str] | None = None, loss: str = "logistic", temperature: float = 1.0) -> LinearModel:
    """Fit a linear classifier (scikit-learn, at training time only) on n-gram features plus `extra` ones:
    logistic regression, or a linear SVM for `loss="hinge"`, whose margins become probabilities through the
    softmax at `temperature` (see `with_temperature`)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; one of {', '.join(LOSSES)}")
    vocab_list = list(vocab) if vocab is not None else build_vocab(texts)
    stub = LinearModel(("a", "b"), {g: i for i, g in enumerate(vocab_list)}, np.zeros((1, 0)), np.zeros(1),
                       tuple(extra))
    rows, cols, vals = [], [], []
    for i, t in enumerate(texts):
        idx, val = stub.features(t, extra_rows[i] if extra_rows else None)
        rows += [i] * len(idx)
        cols += idx.tolist()
        vals += val.tolist()
    x = csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab_list) + len(extra)))
    clf = (LogisticRegression(C=c, max_iter=LOGISTIC_ITER, class_weight=class_weight) if loss == "logistic"
           else LinearSVC(C=c, max_iter=SVM_ITER, class_weight=class_weight, random_state=SVM_SEED))
    clf.fit(x, list(labels))
    fitted = LinearModel(tuple(str(k) for k in clf.classes_), stub.vocab, np.asarray(clf.coef_, dtype=np.float32),
                         np.asarray(clf.intercept_, dtype=np.float32), tuple(extra))
    return with_temperature(fitted, temperature)


def with_temperature(model: LinearModel, temperature: float) -> LinearModel:
    """`model` with its scores divided by `temperature`: the softmax (or logistic) of the stored scores is then
    the class probability at that temperature, so nothing changes at run time. An SVM's margins are not
    log-odds; a temperature below 1 sharpens them into probabilities whose sums per area are meaningful."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    return LinearModel(model.classes, model.vocab, (model.weights / temperature).astype(np.float32),
                       (model.bias / temperature).astype(np.float32), model.extra, model.orders)


def linear_arrays(model: LinearModel, prefix: str) -> dict[str, np.ndarray]:
    """The arrays of `model` under `prefix` (several models share one file)."""
    return {f"{prefix}.classes": np.array(model.classes), f"{prefix}.vocab": np.array(list(model.vocab)),
            f"{prefix}.weights": model.weights, f"{prefix}.bias": model.bias,
            f"{prefix}.extra": np.array(model.extra, dtype=str), f"{prefix}.orders": np.array(model.orders)}


def linear_from(arrays: Mapping[str, np.ndarray], prefix: str, source: Path | str = "") -> LinearModel:
    """The LinearModel stored under `prefix`; KeyError names the file and the prefix."""
    try:
        vocab = [str(g) for g in arrays[f"{prefix}.vocab"]]
        return LinearModel(tuple(str(c) for c in arrays[f"{prefix}.classes"]), {g: i for i, g in enumerate(vocab)},
                           np.asarray(arrays[f"{prefix}.weights"]), np.asarray(arrays[f"{prefix}.bias"]),
                           tuple(str(e) for e in arrays[f"{prefix}.extra"]),
                           tuple(int(o) for o in arrays[f"{prefix}.orders"]))
    except KeyError as e:
        raise KeyError(f"{source}: no model {prefix!r} ({e.args[0]} missing)") from None
