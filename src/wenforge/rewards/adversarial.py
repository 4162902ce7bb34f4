"""Adversarial style reward: a discriminator tells the policy's outputs from human exemplars of the target style.

Features are a small style vector (sentence lengths, punctuation, script, function-word rates; the style
system's own ``style_vector`` when it provides one) plus hashed character 1-3-grams; the classifier is a
logistic regression. Its probability of "human exemplar" is the reward. Retrain it on fresh policy samples
every round (``AdversarialStyleReward.update``) so the policy cannot settle on one trick, and keep rule-based
rewards (outcome, format, language, repetition) in the composite so it cannot win by gaming the discriminator.
Each round's held-out accuracy is logged (``history``, and a JSONL file when ``log_path`` is set).
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from wenforge.text.chars import is_cjk
from wenforge.text.segment import split_sentences
from wenforge.text.think import split_think

_PUNCT = "，。！？；：、“”‘’…—（）《》,.!?;:\"'()"
_PARTICLES = "的了是在着过之乎者也矣焉哉而其"


def basic_style_vector(text: str) -> list[float]:
    """A light style vector: sentence length mean/std (log), punctuation and particle rates, script shares."""
    n = max(1, len(text))
    sents = split_sentences(text) or [text]
    lens = np.array([len(s) for s in sents], dtype=float)
    vec = [
        math.log1p(float(lens.mean())),
        math.log1p(float(lens.std())),
        math.log1p(len(text)),
        sum(1 for c in text if is_cjk(c)) / n,
        sum(1 for c in text if c.isascii() and c.isalpha()) / n,
        sum(1 for c in text if c.isdigit()) / n,
        text.count("\n") / n * 10,
        len(set(text)) / n,
    ]
    vec += [text.count(p) / n * 10 for p in _PUNCT]
    vec += [text.count(p) / n * 10 for p in _PARTICLES]
    return vec


def _style_vector_fn():
    """The style system's features (``wenforge.style.style_features``) plus the light vector."""
    from wenforge.style import style_features

    def both(text: str) -> list[float]:
        feats = style_features(text)
        return [float(feats[k]) for k in sorted(feats)] + basic_style_vector(text)

    return both


@dataclass
class Discriminator:
    """Logistic regression over style vector + hashed char n-grams; label 1 = human exemplar."""

    n_features: int = 2**16
    ngram_range: tuple[int, int] = (1, 3)
    C: float = 1.0
    seed: int = 0
    _clf: Any = field(default=None, repr=False)
    _mean: Any = field(default=None, repr=False)
    _std: Any = field(default=None, repr=False)

    def _features(self, texts: Sequence[str], fit: bool = False):
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import HashingVectorizer

        vec_fn = _style_vector_fn()
        dense = np.array([vec_fn(t) for t in texts], dtype=float)
        if fit:
            self._mean = dense.mean(axis=0)
            self._std = dense.std(axis=0) + 1e-6
        dense = (dense - self._mean) / self._std
        hv = HashingVectorizer(
            analyzer="char", ngram_range=self.ngram_range, n_features=self.n_features, alternate_sign=False
        )
        return hstack([hv.transform(texts), csr_matrix(dense)]).tocsr()

    def fit(self, human: Sequence[str], policy: Sequence[str]) -> Discriminator:
        from sklearn.linear_model import LogisticRegression

        if not human or not policy:
            raise ValueError("the discriminator needs at least one human exemplar and one policy sample")
        texts = list(human) + list(policy)
        y = np.array([1] * len(human) + [0] * len(policy))
        X = self._features(texts, fit=True)
        self._clf = LogisticRegression(
            C=self.C, max_iter=2000, class_weight="balanced", random_state=self.seed
        )
        self._clf.fit(X, y)
        return self

    def prob_human(self, texts: Sequence[str]) -> np.ndarray:
        if self._clf is None:
            raise RuntimeError("discriminator not trained yet: call fit(human, policy) or update(policy)")
        return self._clf.predict_proba(self._features(list(texts)))[:, 1]

    def accuracy(self, human: Sequence[str], policy: Sequence[str]) -> float:
        p = self.prob_human(list(human) + list(policy))
        y = np.array([1] * len(human) + [0] * len(policy))
        return float(((p >= 0.5).astype(int) == y).mean())


@dataclass
class AdversarialStyleReward:
    """The round-by-round adversarial reward. ``update(policy_samples)`` retrains on human exemplars versus
    the fresh samples, measuring held-out accuracy first; calling the object scores one completion."""

    human: Sequence[str]
    holdout: float = 0.25
    seed: int = 0
    log_path: str | Path | None = None
    history: list[dict] = field(default_factory=list)
    discriminator: Discriminator | None = None

    def update(self, policy_samples: Sequence[str]) -> dict:
        policy = [_answer_part(t) for t in policy_samples if t and t.strip()]
        human = [t for t in self.human if t and t.strip()]
        if len(policy) < 2 or len(human) < 2:
            raise ValueError(
                f"need >= 2 human exemplars and >= 2 policy samples, got {len(human)} and {len(policy)}"
            )
        rng = np.random.default_rng(self.seed + len(self.history))
        h_idx, p_idx = rng.permutation(len(human)), rng.permutation(len(policy))
        nh, np_ = max(1, int(len(human) * self.holdout)), max(1, int(len(policy) * self.holdout))
        h_test, h_train = [human[i] for i in h_idx[:nh]], [human[i] for i in h_idx[nh:]]
        p_test, p_train = [policy[i] for i in p_idx[:np_]], [policy[i] for i in p_idx[np_:]]
        t0 = time.perf_counter()
        held = Discriminator(seed=self.seed).fit(h_train, p_train)
        acc = held.accuracy(h_test, p_test)
        self.discriminator = Discriminator(seed=self.seed).fit(human, policy)
        rec = {
            "round": len(self.history),
            "heldout_accuracy": acc,
            "n_human": len(human),
            "n_policy": len(policy),
            "mean_p_human_policy": float(held.prob_human(p_test).mean()),
            "seconds": round(time.perf_counter() - t0, 3),
        }
        self.history.append(rec)
        if self.log_path:
            p = Path(self.log_path)
            p.parent.mkdir(parents=True, exist_ok=True)
            with p.open("a", encoding="utf-8") as f:
                f.write(json.dumps(rec) + "\n")
        return rec

    def __call__(self, completion: str, **_: Any) -> float:
        if self.discriminator is None:
            raise RuntimeError("adversarial reward not trained: call update(policy_samples) first")
        return float(self.discriminator.prob_human([_answer_part(completion)])[0])

    def batch(self, completions: Sequence[str]) -> list[float]:
        if self.discriminator is None:
            raise RuntimeError("adversarial reward not trained: call update(policy_samples) first")
        return [float(x) for x in self.discriminator.prob_human([_answer_part(c) for c in completions])]


_TAGS_RE = re.compile(r"</?(?:answer|think)\s*>", re.IGNORECASE)


def _answer_part(text: str) -> str:
    return _TAGS_RE.sub("", split_think(text).answer).strip() or text
