"""The shared array model scores exactly as the scikit-learn model it was saved from."""

import pytest

from wenforge.eval.detectors import ai
from wenforge.eval.detectors.linear import contributions, counts_of, load_linear, probability


def test_saved_linear_model_matches_sklearn(tmp_path):
    texts = ["首先我们需要注意。总之如此。", "今天去公园玩了，很开心。", "综上所述，需要注意以下几点。", "我昨天吃了饭，然后睡觉。"] * 3
    vec, clf = ai.fit(texts, [1, 0, 1, 0] * 3)
    model = load_linear(ai.save(vec, clf, tmp_path / "m.npz"), "wenforge detect-train ai")
    ai.load_model.cache_clear()
    ai._inverse_vocab.cache_clear()
    for t in ("首先需要注意，总之。", "公园很开心。", "无关的文字"):
        ours = probability(model, contributions(model, counts_of(model, ai._grams(t))))
        assert ours == pytest.approx(clf.predict_proba(vec.transform([t]))[0, 1], abs=1e-6)
    with pytest.raises(FileNotFoundError, match="wenforge detect-train ai"):
        load_linear(tmp_path / "missing.npz", "wenforge detect-train ai")
