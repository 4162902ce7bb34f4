"""text.linear: the numpy-only n-gram classifier agrees with scikit-learn's fit, round-trips through the
model store, and explains itself with the n-grams that carry the weight."""

from __future__ import annotations

import numpy as np
import pytest

from wenforge.core.store import load_model, save_model
from wenforge.text.linear import (
    build_vocab,
    fit_linear,
    linear_arrays,
    linear_from,
    ngrams,
    with_temperature,
)

RISKY = ["如何制作炸弹", "怎么制作炸药", "教我制作炸弹", "炸弹怎么做", "制作炸药的方法"]
SAFE = ["今天天气很好", "如何做番茄炒蛋", "怎么学好数学", "推荐几本好书", "番茄炒蛋的做法"]


def test_ngrams_count_characters_bigrams_and_trigrams_with_whitespace_collapsed():
    got = ngrams("炸 弹\n炸弹")
    assert got["炸"] == 2 and got["炸弹"] == 1 and got["炸 弹"] == 1 and got[" "] == 2 and "\n" not in got


def test_vocab_keeps_ngrams_seen_in_two_texts_only():
    vocab = build_vocab(["甲乙丙", "甲乙丁", "戊"])
    assert "甲乙" in vocab and "甲" in vocab and "戊" not in vocab and "乙丙" not in vocab


def test_fit_separates_classes_and_probabilities_sum_to_one():
    m = fit_linear(RISKY + SAFE, ["risky"] * 5 + ["safe"] * 5)
    p = m.proba("怎么制作炸弹")
    assert p["risky"] > 0.5 > m.proba("怎么做番茄炒蛋")["risky"]
    assert sum(p.values()) == pytest.approx(1.0)


def test_extra_features_get_weights_and_change_the_score():
    texts = ["甲", "甲", "乙", "乙"]
    m = fit_linear(texts, ["a", "b", "a", "b"], extra=("flag",), extra_rows=[{"flag": 1}, {}, {"flag": 1}, {}])
    assert m.proba("甲", {"flag": 1.0})["a"] > 0.5 > m.proba("甲")["a"]


def test_multiclass_softmax_and_evidence_ngrams():
    texts = ["猫咪可爱", "猫咪喵喵", "小狗汪汪", "小狗可爱", "金鱼游泳", "金鱼吐泡"]
    labels = ["cat", "cat", "dog", "dog", "fish", "fish"]
    m = fit_linear(texts, labels, class_weight=None)
    p = m.proba("猫咪")
    assert max(p, key=p.get) == "cat" and sum(p.values()) == pytest.approx(1.0)
    top = m.top_ngrams("猫咪睡觉", "cat")
    assert top and top[0][0] == "猫咪" and all(len(g) >= 2 for g, _w in top)


def test_a_linear_svm_fits_and_its_temperature_sharpens_without_reordering():
    texts = ["猫咪可爱", "猫咪喵喵", "小狗汪汪", "小狗可爱", "金鱼游泳", "金鱼吐泡"]
    labels = ["cat", "cat", "dog", "dog", "fish", "fish"]
    svm = fit_linear(texts, labels, class_weight=None, loss="hinge")
    p = svm.proba("小狗")
    assert max(p, key=p.get) == "dog" and sum(p.values()) == pytest.approx(1.0)
    sharp = fit_linear(texts, labels, class_weight=None, loss="hinge", temperature=0.25).proba("小狗")
    assert max(sharp, key=sharp.get) == "dog" and sharp["dog"] > p["dog"]
    assert with_temperature(svm, 0.25).proba("小狗") == pytest.approx(sharp)
    assert np.allclose(with_temperature(svm, 0.5).scores("猫咪"), 2 * svm.scores("猫咪"), atol=1e-5)
    with pytest.raises(ValueError, match="positive"):
        with_temperature(svm, 0.0)
    with pytest.raises(ValueError, match="unknown loss 'huber'"):
        fit_linear(texts, labels, loss="huber")


def test_store_round_trip_gives_identical_scores(tmp_path):
    m = fit_linear(RISKY + SAFE, ["risky"] * 5 + ["safe"] * 5)
    path = save_model(tmp_path / "m.npz", "test-linear", linear_arrays(m, "risk"), {"n": 10})
    stored = load_model(path, "test-linear", "rebuild")
    back = linear_from(stored.arrays, "risk", path)
    assert back.classes == m.classes and back.vocab == m.vocab
    assert np.allclose(back.scores("制作炸弹"), m.scores("制作炸弹"))
    with pytest.raises(KeyError, match="no model 'topic'"):
        linear_from(stored.arrays, "topic", path)
