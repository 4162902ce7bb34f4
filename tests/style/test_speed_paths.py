"""The style scorer's fast paths give what the plain computations give: MATTR counted per token equals the mean
type/token ratio of every sliding window, and the L2 classifier reading L1's n-gram featurisation gives the
probabilities it gives on its own."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from wenforge.style.models import char_ngrams_12, load_models
from wenforge.style.richness import mattr


def _sliding_mattr(tokens: list[str], window: int) -> float:
    """The definition: the type/token ratio of each window of `window` tokens, averaged."""
    n = len(tokens)
    if n == 0:
        return 0.0
    if n <= window:
        return len(set(tokens)) / n
    return sum(len(set(tokens[i : i + window])) for i in range(n - window + 1)) / (n - window + 1) / window


@pytest.mark.parametrize("window", [1, 2, 5, 50, 100])
def test_mattr_equals_the_sliding_window_definition(window):
    rng = random.Random(window)
    for _ in range(200):
        tokens = [str(rng.randint(0, rng.randint(1, 60))) for _ in range(rng.randint(0, 300))]
        assert mattr(tokens, window) == pytest.approx(_sliding_mattr(tokens, window), abs=1e-12)


def test_l2_reads_l1_featurisation_only_when_they_share_it():
    models = load_models()
    assert models.l1.shares_ngrams(models.l2)  # one vectorizer fitted both: the shipped models share it
    text = "春风又绿江南岸，明月何时照我还。京口瓜洲一水间，钟山只隔数重山。"
    grams = Counter(char_ngrams_12(text))
    feats = {}
    assert models.l2.proba(grams, feats, models.l1.ngram_part(grams)) == models.l2.proba(grams, feats)
