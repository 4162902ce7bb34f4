"""Gradient-boosted trees kept as flat node arrays (model-store arrays), scored with numpy alone.

The hallucination detector and the HalluQA judge both use one: scikit-learn's `GradientBoostingClassifier`
fits it, `forest_arrays` reads it through its public tree structure (`estimators_[i, 0].tree_`: feature,
threshold, children_left/right, value) and `forest_proba` returns what `predict_proba(X)[:, 1]` returns, for all
trees and rows at once. Leaves point to themselves, so every row walks `depth` steps through every tree.
Each leaf value already carries the learning rate; `baseline` is the initial log-odds.
"""

from __future__ import annotations

import numpy as np

KEYS = ("feature", "threshold", "left", "right", "value", "roots", "depth", "baseline")
SAME_AS_SKLEARN = 1e-9  # the exported forest must give scikit-learn's probabilities on the training rows


def _float64_split(t: np.ndarray) -> np.ndarray:
    """Split values t for float32-cast inputs (scikit-learn trees compare float32(x) <= t) as float64 values t'
    with the same split on uncast inputs: x <= t' exactly when float32(x) <= t."""
    a = t.astype(np.float32)
    a = np.where(a > t, np.nextafter(a, np.float32(-np.inf)), a)  # the largest float32 <= t
    mid = (a.astype(np.float64) + np.nextafter(a, np.float32(np.inf)).astype(np.float64)) / 2
    return np.where(mid.astype(np.float32) <= a, mid, np.nextafter(mid, -np.inf))  # ties round to even


def forest_arrays(clf, X) -> dict[str, np.ndarray]:
    """A fitted binary `GradientBoostingClassifier` as flat node arrays; `X` (its training rows) fixes the
    baseline and checks that the arrays score exactly as the model does."""
    feats, thrs, lefts, rights, vals, roots = [], [], [], [], [], []
    off, depth = 0, 0
    X = np.asarray(X, dtype=np.float64)
    trees_raw = np.zeros(len(X))
    for est in clf.estimators_[:, 0]:
        t = est.tree_
        leaf = t.children_left < 0
        idx = np.arange(t.node_count) + off
        feats.append(np.where(leaf, 0, t.feature).astype(np.int32))
        thrs.append(np.where(leaf, np.inf, _float64_split(t.threshold)))
        lefts.append(np.where(leaf, idx, t.children_left + off).astype(np.int32))
        rights.append(np.where(leaf, idx, t.children_right + off).astype(np.int32))
        vals.append(clf.learning_rate * t.value[:, 0, 0].astype(np.float64))
        roots.append(off)
        off += t.node_count
        depth = max(depth, int(t.max_depth))
        trees_raw += clf.learning_rate * est.predict(X)
    baseline = float(np.median(clf.decision_function(X) - trees_raw))  # the init estimator's log-odds
    f = {"feature": np.concatenate(feats), "threshold": np.concatenate(thrs), "left": np.concatenate(lefts),
         "right": np.concatenate(rights), "value": np.concatenate(vals), "roots": np.array(roots, np.int32),
         "depth": np.array([depth]), "baseline": np.array([baseline])}
    gap = float(np.abs(np.asarray(forest_proba(f, X)) - clf.predict_proba(X)[:, 1]).max(initial=0.0))
    if gap > SAME_AS_SKLEARN:
        raise ValueError(f"the exported trees differ from scikit-learn's predictions by {gap:.3g}")
    return f


def forest_proba(f: dict, X) -> list[float]:
    """Probabilities of the positive class for rows X (the fitted model's predict_proba)."""
    X = np.asarray(X, dtype=float)
    idx = np.broadcast_to(f["roots"], (len(X), len(f["roots"]))).copy()
    r = np.arange(len(X))[:, None]
    for _ in range(int(f["depth"][0])):
        go = X[r, f["feature"][idx]] <= f["threshold"][idx]
        idx = np.where(go, f["left"][idx], f["right"][idx])
    raw = f["value"][idx].sum(1) + f["baseline"][0]
    return list(1.0 / (1.0 + np.exp(-raw)))
