"""Tree models as model-store arrays: they score exactly as scikit-learn, read no scikit-learn internals, and the
shipped forests load through the store."""

import numpy as np
import pytest

from wenforge.core.store import ModelFileError
from wenforge.eval import halluqa as Q
from wenforge.eval.detectors import hallucination as H
from wenforge.eval.detectors.forest import _float64_split, forest_arrays, forest_proba


def _fitted(seed=0):
    from sklearn.ensemble import GradientBoostingClassifier

    rng = np.random.default_rng(seed)
    X = rng.random((400, 5))
    y = (X[:, 0] + 0.5 * X[:, 3] + 0.2 * rng.random(400) > 0.9).astype(int)
    return GradientBoostingClassifier(n_estimators=30, max_leaf_nodes=8, random_state=0).fit(X, y), X


def test_exported_trees_score_as_sklearn_even_at_the_split_values():
    clf, X = _fitted()
    f = forest_arrays(clf, X)
    splits = np.concatenate([e.tree_.threshold[e.tree_.children_left >= 0] for e in clf.estimators_[:, 0]])
    near = np.concatenate([splits, np.nextafter(splits, np.inf), np.nextafter(splits, -np.inf),
                           np.nextafter(splits.astype(np.float32), np.float32(np.inf)).astype(float)])
    rows = np.vstack([X[:50], np.tile(near[:, None], (1, X.shape[1]))])
    assert np.abs(np.array(forest_proba(f, rows)) - clf.predict_proba(rows)[:, 1]).max() < 1e-12


def test_float64_splits_cut_where_float32_inputs_would():
    rng = np.random.default_rng(1)
    t = rng.normal(size=2000) * 10.0 ** rng.integers(-6, 6, 2000)
    x = np.concatenate([t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf), t * (1 + 1e-8), t * (1 - 1e-8)])
    tt = np.tile(_float64_split(t), 5)
    assert np.array_equal(x <= tt, x.astype(np.float32) <= np.tile(t, 5))


def test_halluqa_judge_trains_into_the_store_and_reads_it_back(tmp_path):
    qs = {i: {"question_id": i, "Category": "Misleading", "Question": f"第{i}个问题是真的吗？",
              "Best Answer1": f"不是，第{i}个说法没有依据。", "Wrong_Answer1": f"是的，第{i}个说法完全正确。"}
          for i in range(10)}
    answers = [{"question_id": i, "response": r, "is_hallucination": h} for i in range(10)
               for r, h in ((f"不是，第{i}个说法没有依据。", False), (f"是的，第{i}个说法正确。", True),
                            ("没有依据，不是真的。", False), ("完全正确，是的。", True))]
    path = tmp_path / "halluqa.npz"
    info = Q.train(qs, answers, path)
    try:
        m = Q.load_model(str(path))
        assert m["threshold"] == info["threshold"] and m["fitted_with"] == "GradientBoostingClassifier"
        wrong, right = (Q.judge_features(r, qs[3]) for r in ("是的，第3个说法完全正确。", "不是，第3个说法没有依据。"))
        assert forest_proba(m["forest"], [wrong])[0] > forest_proba(m["forest"], [right])[0]
    finally:
        Q.load_model.cache_clear()


def test_shipped_forests_load_and_a_wrong_kind_is_named():
    assert set(H.load_model()) == set(H.SETTINGS) and 0 < Q.load_model()["threshold"] < 1
    with pytest.raises(ModelFileError, match=r"halluqa\.npz: a 'halluqa-forest' model, not a 'hallucination-forests'"):
        H.load_model.__wrapped__(str(Q.ASSET))
