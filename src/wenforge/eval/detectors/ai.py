"""AI-likeness detector: `ai_score` in [0, 1], how likely a text is machine-written, with named evidence.

Two blocks, stacked (`ai_features` builds both from `canonical_surface(text)`, so ASCII punctuation and
traditional script do not move the score):

1. n-gram block: a sublinear TF-IDF logistic regression over 1-3-grams of *masked* tokens (function words and
   punctuation kept, content words reduced to their part-of-speech class: "不是 <v> 而是 <n>"), so it learns
   templates and function-word habits rather than topics. Shipped as `assets/ai.npz` (`linear.py` arrays).
2. style block: a logistic regression over the stylometric vector (slop templates, layout, absent human
   tells, punctuation and function-word rates, sentence rhythm) plus the n-gram block's logit (fitted on
   out-of-fold logits). Shipped as `assets/ai_style.npz` with the flag threshold.

Trained on dev rows of the 2025 LLM writing set, HC3, Ruozhiba answers and LLM news continuations (machine)
against Republican-era prose, poetry, abstracts, Wikipedia, news, HC3 and Ruozhiba answers (human), on
windows of 100-1500 characters with each source weighted (`ai_data`). The threshold flags 5% of
out-of-fold human windows. Rebuilt with `wenforge detect-train ai`.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from wenforge.core import store
from wenforge.eval.detectors.ai_data import load_samples, sample_weights, training_windows
from wenforge.eval.detectors.ai_features import (
    HUMAN_LEANING,
    MACHINE_LEANING,
    PATTERNS,
    feature_names,
    masked_tokens,
    style_features,
)
from wenforge.eval.detectors.linear import (
    LinearModel,
    contributions,
    counts_of,
    left_sum,
    load_linear,
    save_linear,
)
from wenforge.style.doc import Doc, prepare

ASSETS = Path(__file__).resolve().parent.parent / "assets"
ASSET = ASSETS / "ai.npz"  # n-gram block
LEX_ASSET = ASSETS / "ai_lex.npz"  # lexical block
STYLE_ASSET = ASSETS / "ai_style.npz"  # style block, stacker and threshold
STYLE_KIND = "ai-style"  # the store's kind for the style block
REBUILD = "wenforge detect-train ai"
C_DEFAULT = 3.0  # n-gram block: strong-ish regularisation, masked grams are many and correlated
C_LEX = 10.0  # lexical block: word 1-2-grams on same-question pairs (HC3 needs a sharp lexical model)
C_STYLE = 0.3  # style block: ~170 standardised features
NGRAM_MAX = 3
MIN_DF = 3  # a gram seen in fewer training windows is noise
FOLDS = 5  # grouped folds for the out-of-fold n-gram logits and the threshold
HUMAN_FLAG_RATE = 0.05  # the default threshold flags this share of human windows
N_SPANS = 8
N_SIGNALS = 8


# --- n-gram block ----------------------------------------------------------------------------------------


def _grams_of(doc: Doc) -> list[str]:
    return _grams_from(masked_tokens(doc))


def _grams_from(masked: list[tuple[str, int, int]]) -> list[str]:
    """1-3-grams of masked tokens."""
    toks = [t for t, _, _ in masked]
    out = list(toks)
    for n in range(2, NGRAM_MAX + 1):
        out += map(" ".join, zip(*(toks[i:] for i in range(n))))  # every run of n neighbours, in order
    return out


def _grams(text: str) -> list[str]:
    """Masked-token 1-3-grams of a text (the n-gram block's features)."""
    return _grams_of(prepare(text or ""))


def _same(x):
    return x


def make_vectorizer(analyzer=_grams):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(analyzer=analyzer, lowercase=False, sublinear_tf=True, min_df=MIN_DF)


def fit_grams(grams: list[list[str]], labels, weights=None, C: float = C_DEFAULT):
    """(vectorizer, classifier) of the n-gram block, fitted on precomputed gram lists."""
    from sklearn.linear_model import LogisticRegression

    vec = make_vectorizer(_same)
    X = vec.fit_transform(grams)
    clf = LogisticRegression(C=C, max_iter=3000).fit(X, labels, sample_weight=weights)
    return vec, clf


def fit(texts: list[str], labels: list[int], C: float = C_DEFAULT):
    """(vectorizer, classifier) of the n-gram block fitted on texts with labels 1 = machine-written."""
    from sklearn.linear_model import LogisticRegression

    vec = make_vectorizer()
    X = vec.fit_transform(texts)
    clf = LogisticRegression(C=C, max_iter=3000).fit(X, labels)
    return vec, clf


def save(vec, clf, path: Path | None = None) -> Path:
    path = save_linear(path or ASSET, vec, clf)
    load_model.cache_clear()
    _inverse_vocab.cache_clear()
    return path


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> LinearModel:
    return load_linear(Path(path) if path else ASSET, REBUILD)


def _index_to_gram(model: LinearModel) -> list[str]:
    inv = [""] * len(model.vocab)
    for g, i in model.vocab.items():
        inv[i] = g
    return inv


@lru_cache(maxsize=1)
def _inverse_vocab() -> list[str]:
    """Index -> masked gram, built once (evidence lookups would otherwise scan the whole vocabulary per text)."""
    return _index_to_gram(load_model())


# --- lexical block: plain words, fitted on same-question pairs only -------------------------------------

PAIRED_SOURCES = frozenset({"human:hc3", "machine:hc3_chatgpt", "human:ruozhiba", "machine:ruozhiba",
                            "human:news", "machine:news_llm"})  # human and machine answer the same prompt


def _word_tokens(doc: Doc) -> list[tuple[str, int, int]]:
    """jieba words plus the whitespace between them as tokens (<sp>, <nl>): list layout and the spacing
    around Latin words are part of a writer's habits."""
    out, prev = [], 0
    for w, s, e in doc.words:
        gap = doc.text[prev:s]
        if gap:
            out.append(("<nl>" if "\n" in gap else "<sp>", prev, s))
        out.append((w, s, e))
        prev = e
    return out


def _words_of(doc: Doc) -> list[str]:
    return _words_from(_word_tokens(doc))


def _words_from(tokens: list[tuple[str, int, int]]) -> list[str]:
    """The lexical block's word 1-2-grams of word tokens."""
    ws = [w for w, _, _ in tokens]
    return ws + [f"{a} {b}" for a, b in itertools.pairwise(ws)]


@lru_cache(maxsize=1)
def load_lexical(path: str | None = None) -> LinearModel:
    return load_linear(Path(path) if path else LEX_ASSET, REBUILD)


@lru_cache(maxsize=1)
def _inverse_lexical() -> list[str]:
    """Index -> word gram of the lexical block, built once."""
    return _index_to_gram(load_lexical())


# --- style block and stacker -----------------------------------------------------------------------------

BLOCKS = ("masked_ngram", "lexical")  # stacked logits, in this order


@dataclass
class StyleModel:
    names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # per dense feature (standardised)
    block_coef: np.ndarray  # weight of each block's logit (BLOCKS)
    intercept: float
    threshold: float  # ai_flag when ai_score >= threshold


def save_style(m: StyleModel, path: Path | None = None) -> Path:
    arrays = {"mean": m.mean.astype("float32"), "scale": m.scale.astype("float32"), "coef": m.coef.astype("float32"),
              "block_coef": m.block_coef.astype("float64")}
    meta = {"names": list(m.names), "intercept": float(m.intercept), "threshold": float(m.threshold)}
    path = store.save_model(path or STYLE_ASSET, STYLE_KIND, arrays, meta)
    load_style.cache_clear()
    return path


@lru_cache(maxsize=1)
def load_style(path: str | None = None) -> StyleModel:
    p = Path(path) if path else STYLE_ASSET
    m = store.load_model(p, STYLE_KIND, REBUILD)
    names, z = m.meta["names"], m.arrays
    if names != feature_names():
        raise store.ModelFileError(f"{p} was built for other features; rebuild it with `{REBUILD}`")
    return StyleModel(names, z["mean"].astype("float64"), z["scale"].astype("float64"), z["coef"].astype("float64"),
                      z["block_coef"].astype("float64"), float(m.meta["intercept"]), float(m.meta["threshold"]))


def flag_threshold() -> float:
    """The shipped ai_flag threshold (flags about HUMAN_FLAG_RATE of human text)."""
    return load_style().threshold


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))


@dataclass
class Features:
    """What the model reads from many texts: the dense style matrix and both blocks' gram lists."""

    dense: np.ndarray
    masked: list[list[str]]
    words: list[list[str]]

    def take(self, idx) -> Features:
        return Features(self.dense[idx], [self.masked[i] for i in idx], [self.words[i] for i in idx])


def featurize(texts: list[str]) -> Features:
    """Features of many texts (one `prepare` each)."""
    dense, masked, words = [], [], []
    for t in texts:
        d = prepare(t)
        dense.append(style_features(d)[0])
        masked.append(_grams_of(d))
        words.append(_words_of(d))
    return Features(np.array(dense, dtype="float64"), masked, words)


@dataclass
class Detector:
    """An in-memory model that scores `Features` in batch; a block whose (vec, clf) is None adds nothing."""

    blocks: dict[str, tuple[object, object] | None]
    style: StyleModel

    def block_logits(self, f: Features) -> np.ndarray:
        cols = []
        for name, grams in zip(BLOCKS, (f.masked, f.words)):
            b = self.blocks.get(name)
            cols.append(b[1].decision_function(b[0].transform(grams)) if b else np.zeros(len(grams)))
        return np.c_[tuple(cols)]

    def predict(self, f: Features) -> np.ndarray:
        z = ((f.dense - self.style.mean) / self.style.scale) @ self.style.coef
        return _sigmoid(z + self.block_logits(f) @ self.style.block_coef + self.style.intercept)


def _weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    order = np.argsort(x)
    cw = np.cumsum(w[order]) / w.sum()
    return float(x[order][min(np.searchsorted(cw, q), len(x) - 1)])


def _bounds(k_blocks: int) -> list[tuple[float | None, float | None]]:
    """Intercept free, then each dense feature (sign-constrained where `ai_features` says), then block logits >= 0."""
    b: list[tuple[float | None, float | None]] = [(None, None)]
    for n in feature_names():
        b.append((0.0, None) if n in MACHINE_LEANING else (None, 0.0) if n in HUMAN_LEANING else (None, None))
    return b + [(0.0, None)] * k_blocks


def _fit_style(dense, logits, y, w, C: float) -> StyleModel:
    """Weighted L2 logistic regression (scikit-learn's objective) with sign bounds, by L-BFGS-B."""
    from scipy.optimize import minimize

    mean, scale = dense.mean(0), dense.std(0)
    scale[scale < 1e-6] = 1.0
    X = np.c_[(dense - mean) / scale, logits]
    sign, w = 2.0 * np.asarray(y) - 1.0, np.asarray(w) / np.mean(w)

    def loss(theta):
        m = -sign * (X @ theta[1:] + theta[0])
        g = -sign * w * _sigmoid(m)
        return (C * float(np.sum(w * np.logaddexp(0.0, m))) + 0.5 * float(theta[1:] @ theta[1:]),
                np.r_[C * g.sum(), C * (X.T @ g) + theta[1:]])

    theta = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=_bounds(logits.shape[1]),
                     options={"maxiter": 2000}).x
    k = logits.shape[1]
    return StyleModel(feature_names(), mean, scale, theta[1:-k], theta[-k:], float(theta[0]), 0.5)


def _oof_block(grams, y, w, splits, fit_on, C):
    """Out-of-fold logits of one block: fitted on the `fit_on` rows of each training fold."""
    oof = np.zeros(len(y))
    for tr, te in splits:
        tr = [i for i in tr if fit_on[i]]
        v, c = fit_grams([grams[i] for i in tr], y[tr], w[tr], C)
        oof[te] = c.decision_function(v.transform([grams[i] for i in te]))
    rows = [i for i in range(len(y)) if fit_on[i]]
    return oof, fit_grams([grams[i] for i in rows], y[rows], w[rows], C)


def fit_detector(f: Features, y, w, groups: list[str], sources: list[str], *, blocks=BLOCKS,
                 C_ngram: float = C_DEFAULT, C_lex: float = C_LEX, C_style: float = C_STYLE,
                 folds: int = FOLDS) -> Detector:
    """The blocks named in `blocks` and the stacker, fitted on training windows (constant `dense` columns drop
    out); the threshold from out-of-fold scores of the human windows."""
    from sklearn.model_selection import GroupKFold

    y, w = np.asarray(y), np.asarray(w, dtype="float64")
    splits = list(GroupKFold(n_splits=folds).split(f.dense, y, groups))
    logits = np.zeros((len(y), len(BLOCKS)))
    fitted: dict[str, tuple | None] = {}
    plan = {"masked_ngram": (f.masked, [True] * len(y), C_ngram),
            "lexical": (f.words, [s in PAIRED_SOURCES for s in sources], C_lex)}
    for j, name in enumerate(BLOCKS):
        if name in blocks:
            grams, fit_on, C = plan[name]
            logits[:, j], fitted[name] = _oof_block(grams, y, w, splits, fit_on, C)
    oof = np.zeros(len(y))
    for tr, te in splits:
        m = _fit_style(f.dense[tr], logits[tr], y[tr], w[tr], C_style)
        oof[te] = _sigmoid(((f.dense[te] - m.mean) / m.scale) @ m.coef + logits[te] @ m.block_coef + m.intercept)
    style = _fit_style(f.dense, logits, y, w, C_style)
    human = y == 0
    style.threshold = _weighted_quantile(oof[human], w[human], 1 - HUMAN_FLAG_RATE)
    return Detector(fitted, style)


def save_detector(det: Detector, out_dir: Path | None = None) -> list[Path]:
    """Write the three assets (masked n-gram block, lexical block, style block) into `out_dir` or the package."""
    vec, clf = det.blocks["masked_ngram"]
    paths = [save(vec, clf, out_dir / ASSET.name if out_dir else None)]
    vec, clf = det.blocks["lexical"]
    paths.append(save_linear(out_dir / LEX_ASSET.name if out_dir else LEX_ASSET, vec, clf))
    load_lexical.cache_clear()
    _inverse_lexical.cache_clear()
    paths.append(save_style(det.style, out_dir / STYLE_ASSET.name if out_dir else None))
    return paths


def train(data: Path, out_dir: Path | None = None, seed: int = 0) -> dict:
    """Rebuild the shipped model from the dev rows under the data folder `data` (the shared data layout)."""
    wins = training_windows(load_samples(data, "dev"), seed)
    f = featurize([s.text for s in wins])
    y = np.array([s.label for s in wins])
    det = fit_detector(f, y, np.array(sample_weights(wins)), [s.group for s in wins], [s.source for s in wins])
    paths = save_detector(det, out_dir)
    return {"windows": len(wins), "machine": int(y.sum()), "threshold": round(det.style.threshold, 4),
            "block_coef": [round(float(c), 3) for c in det.style.block_coef], "paths": [str(p) for p in paths],
            "bytes": sum(p.stat().st_size for p in paths)}


# --- scoring and evidence --------------------------------------------------------------------------------

_SPAN_SIGNALS = {f"pat:{p.name}": p.name for p in PATTERNS} | {
    "closer_at_end": "closer_at_end", "parallel_run": "parallel_run", "tech_lyrical": "tech_lyrical"}


def _block_evidence(text: str, inv: list[str], contrib: dict[int, float], weight: float, signal: str,
                    locate) -> list[dict]:
    """The grams of one block pulling the score up most, located in the text."""
    out = []
    for i, c in heapq.nsmallest(N_SPANS, contrib.items(), key=lambda kv: -kv[1] * weight):  # sorted(...)[:N_SPANS]
        if c * weight <= 0:
            break
        s, e = locate(inv[i])
        if s >= 0:
            out.append({"signal": signal, "text": text[s:e], "start": s, "end": e, "weight": round(float(c * weight), 4),
                        "gram": inv[i]})
    return out


def _locator(tokens: list[tuple[str, int, int]]):
    """gram ("a b c") -> (start, end) of its first occurrence among `tokens`, (-1, -1) if absent."""
    toks = [t for t, _, _ in tokens]

    def find(gram: str) -> tuple[int, int]:
        parts = gram.split(" ")
        k, i = len(parts), -1
        while True:  # each place the first token occurs, in order
            try:
                i = toks.index(parts[0], i + 1, len(toks) - k + 1)
            except ValueError:
                return -1, -1
            if toks[i:i + k] == parts:
                return tokens[i][1], tokens[i + k - 1][2]

    return find


def score(text: str) -> dict:
    """ai_score, the evidence spans (signal, text, start, end, weight) and the strongest signals either way."""
    text = text or ""
    doc = prepare(text)
    if not doc.words:
        return {"ai_score": 0.5, "spans": [], "signals": []}
    sm, ng, lex = load_style(), load_model(), load_lexical()
    dense, hits = style_features(doc)
    masked, word_toks = masked_tokens(doc), _word_tokens(doc)
    c_ng = contributions(ng, counts_of(ng, _grams_from(masked)))
    c_lex = contributions(lex, counts_of(lex, _words_from(word_toks)))
    block_z = [sm.block_coef[0] * (left_sum(c_ng.values()) + ng.intercept),
               sm.block_coef[1] * (left_sum(c_lex.values()) + lex.intercept)]
    style_contrib = (np.asarray(dense) - sm.mean) / sm.scale * sm.coef
    z = float(style_contrib.sum()) + sum(block_z) + sm.intercept
    signals = [(name, float(c)) for name, c in zip(sm.names, style_contrib)]
    spans = []
    for name, c in signals:
        key = _SPAN_SIGNALS.get(name)
        if key and c > 0 and hits.get(key):
            spans += [{"signal": key, "text": text[s:e], "start": s, "end": e,
                       "weight": round(float(c) / len(hits[key]), 4)}
                      for s, e in hits[key][:N_SPANS]]
    spans += _block_evidence(text, _inverse_vocab(), c_ng, sm.block_coef[0], "masked_ngram", _locator(masked))
    spans += _block_evidence(text, _inverse_lexical(), c_lex, sm.block_coef[1], "lexical", _locator(word_toks))
    spans.sort(key=lambda d: -d["weight"])
    signals += [("block:" + name, float(v)) for name, v in zip(BLOCKS, block_z)]
    top = sorted(signals, key=lambda kv: -abs(kv[1]))[:N_SIGNALS]
    return {"ai_score": float(_sigmoid(z)), "spans": spans[:N_SPANS],
            "signals": [{"signal": n, "weight": round(c, 4)} for n, c in top]}


def ai_score(text: str, *, evidence: int = 0) -> float | tuple[float, list[dict]]:
    """Probability that `text` is machine-written; with evidence=k also the k strongest AI-leaning spans."""
    out = score(text)
    return (out["ai_score"], out["spans"][:evidence]) if evidence else out["ai_score"]


def detect_ai(text: str) -> dict:
    """`wenforge detect ai` output: ai_score, evidence spans naming the signal, and the strongest signals."""
    out = score(text)
    out["ai_score"] = round(out["ai_score"], 4)
    return out
