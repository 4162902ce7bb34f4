"""The trained parts of the style system, each one model-store file (`core.store`: arrays + JSON, no pickle):

- `LiteraryModel`: a sign-constrained logistic regression over the style vector, Platt-calibrated.
  Each feature has a declared direction (ornament and literary features raise the score, plain and
  factual markers lower it); rhetorical devices and sensory/emotional diction have a minimum weight, a
  prior from criticism, and the `dev` rows decide everything above it. So the score explains itself
  (`explain()`), and more ornament never lowers it.
- `LinearClassifier` (L1, L2): multinomial logistic regression over TF-IDF character 1-2-grams plus the
  z-scored style vector.

`train_models()` rebuilds both from the `dev` rows of a training data folder (literary/, news/, ai_text/ ...)
(`wenforge style train --data DIR`); scoring never reads that folder.
"""

from __future__ import annotations

import dataclasses
import json
import math
import random
import time
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from wenforge.core.store import ModelFileError, load_model, save_model
from wenforge.style.vector import feature_names, raw_vector

ASSETS = Path(__file__).with_name("assets")

# Declared directions for the literary score.
LIT_POSITIVE = [
    "dev_metaphor", "dev_parallelism", "dev_antithesis", "dev_personification", "dev_rhetorical_question",
    "dev_allusion", "dev_hyperbole", "dev_idiom", "dev_imagery", "dev_classical_diction", "dev_tech_lyrical",
    "sensory_density", "emotion_density", "classical_strong_density", "classical_weak_density",
    "mattr_word", "mattr_char", "verse_shape", "tonal_alternation", "tonal_couplet", "rhyme", "clause_balance",
    "punct_exclaim", "punct_ellipsis", "punct_dash", "punct_semicolon", "punct_comma", "punct_quote",
    "punct_question", "single_char_word_share", "first_person_density", "third_person_density",
    "sent_len_cv", "clause_len_cv",
]
LIT_NEGATIVE = [
    "digit_ratio", "latin_ratio", "written_density", "setphrase_density", "clause_len_mean", "mean_word_len",
    "second_person_density", "punct_colon", "punct_enum_comma", "sent_len_mean",
]
# Devices whose weight may not fall below ORNAMENT_MIN_WEIGHT (z-units): the critic's prior.
LIT_ORNAMENT = [
    "dev_metaphor", "dev_personification", "dev_imagery", "dev_parallelism", "dev_antithesis", "dev_hyperbole",
    "dev_tech_lyrical", "dev_rhetorical_question", "dev_allusion", "sensory_density", "emotion_density",
]
ORNAMENT_MIN_WEIGHT = 0.5
NGRAM_MAX_FEATURES = 30000
SHORT_TEXT_CHARS = 50
STYLE_WEIGHT = 0.3  # scale of the z-scored style vector next to the L2-normalised n-gram block


def shrunk_sigmoid(z: float, n_chars: int | None = None) -> float:
    """sigmoid(z), with z shrunk toward 0 for texts shorter than SHORT_TEXT_CHARS (little evidence)."""
    if n_chars is not None and n_chars < SHORT_TEXT_CHARS:
        z *= max(n_chars, 0) / SHORT_TEXT_CHARS
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))


def char_ngrams_12(text: str) -> list[str]:
    """Character unigrams and bigrams over the text with whitespace removed (the classifiers' analyzer)."""
    t = "".join(text.split())
    return list(t) + [t[i : i + 2] for i in range(len(t) - 1)]


# ---------------------------------------------------------------------------------------------- models
@dataclass
class LiteraryModel:
    names: list[str]
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    std: np.ndarray
    platt_a: float
    platt_b: float

    def _z(self, features: dict[str, float]) -> np.ndarray:
        x = raw_vector(features, self.names)
        return (x - self.mean) / np.where(self.std > 1e-9, self.std, 1.0)

    def logit(self, features: dict[str, float]) -> float:
        return float(self._z(features) @ self.weights + self.bias)

    def log_odds(self, features: dict[str, float]) -> float:
        """Calibrated log-odds that the text is literary (before the short-text shrink)."""
        return self.platt_a * self.logit(features) + self.platt_b

    def score(self, features: dict[str, float], n_chars: int | None = None) -> float:
        """Calibrated probability that the text is literary, in [0, 1]. Texts shorter than
        SHORT_TEXT_CHARS carry little evidence: their calibrated log-odds shrink toward 0 (score 0.5)."""
        return shrunk_sigmoid(self.log_odds(features), n_chars)

    def explain(self, features: dict[str, float], top: int = 8) -> list[tuple[str, float]]:
        """The features that moved this text's logit most (contribution relative to the training mean)."""
        c = self._z(features) * self.weights
        order = np.argsort(-np.abs(c))[:top]
        return [(self.names[i], float(c[i])) for i in order if c[i] != 0]


@dataclass
class LinearClassifier:
    classes: list[str]
    vocab: dict[str, int]
    idf: np.ndarray
    feat_mean: np.ndarray
    feat_std: np.ndarray
    coef: np.ndarray  # classes x (V + F)
    intercept: np.ndarray

    def ngram_part(self, ngrams: Counter) -> tuple[np.ndarray, np.ndarray]:
        """The text's n-gram columns and their l2-normalised sublinear tf-idf values (classifiers that
        `share_ngrams` compute them once)."""
        get = self.vocab.get
        idx_l, cnt_l = [], []
        for g, c in ngrams.items():
            i = get(g)
            if i is not None:
                idx_l.append(i)
                cnt_l.append(c)
        idx = np.array(idx_l, dtype=np.int64)
        tf = 1.0 + np.log(np.array(cnt_l, dtype=np.float64))
        val = tf * self.idf[idx]
        norm = np.sqrt((val * val).sum())
        if norm > 0:
            val = val / norm
        return idx, val

    def shares_ngrams(self, other: LinearClassifier) -> bool:
        """Whether `other` reads the same n-gram columns (the same vocabulary and idf objects)."""
        return self.vocab is other.vocab and self.idf is other.idf

    def _x(self, ngrams: Counter, features: dict[str, float],
           part: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        idx, val = part if part is not None else self.ngram_part(ngrams)
        z = (raw_vector(features) - self.feat_mean) / np.where(self.feat_std > 1e-9, self.feat_std, 1.0)
        return idx, val, np.clip(z, -8, 8) * STYLE_WEIGHT

    @cached_property
    def _coef_rows(self) -> np.ndarray:
        """The weights as features x classes, C-contiguous: gathering a text's n-gram rows is then cheap."""
        return np.ascontiguousarray(self.coef.T)

    def proba(self, text: str | Counter, features: dict[str, float],
              part: tuple[np.ndarray, np.ndarray] | None = None) -> dict[str, float]:
        """Class probabilities; `text` may be given as its `Counter(char_ngrams_12(text))`, and `part` as the
        `ngram_part` of a classifier that `shares_ngrams` with this one."""
        ngrams = text if isinstance(text, Counter) else Counter(char_ngrams_12(text))
        idx, val, z = self._x(ngrams, features, part)
        V = len(self.vocab)
        w = self._coef_rows
        logits = val @ w[idx] + z @ w[V:] + self.intercept
        logits = logits - logits.max()
        p = np.exp(logits)
        p /= p.sum()
        return dict(zip(self.classes, p.tolist()))


# ------------------------------------------------------------------------------------------ save/load
LITERARY_KIND = "style-literary"  # the model store's kinds (core.store)
CLASSIFIER_KIND = "style-classifier"
REBUILD = "wenforge style train"


def _save_literary(m: LiteraryModel, path: Path) -> None:
    meta = {"names": list(m.names), "bias": float(m.bias), "platt_a": float(m.platt_a), "platt_b": float(m.platt_b)}
    save_model(path.with_suffix(".npz"), LITERARY_KIND, {"weights": m.weights, "mean": m.mean, "std": m.std}, meta)


def _load_literary(path: Path) -> LiteraryModel:
    s = load_model(path.with_suffix(".npz"), LITERARY_KIND, REBUILD)
    a, meta = s.arrays, s.meta
    return LiteraryModel(meta["names"], a["weights"], meta["bias"], a["mean"], a["std"], meta["platt_a"], meta["platt_b"])


def _save_clf(m: LinearClassifier, path: Path) -> None:
    vocab = sorted(m.vocab, key=m.vocab.get)
    arrays = {"idf": m.idf.astype(np.float32), "feat_mean": m.feat_mean, "feat_std": m.feat_std,
              "coef": m.coef.astype(np.float16), "intercept": m.intercept}
    meta = {"classes": list(m.classes), "vocab": vocab, "feature_names": feature_names()}
    save_model(path.with_suffix(".npz"), CLASSIFIER_KIND, arrays, meta)


def _load_clf(path: Path) -> LinearClassifier:
    s = load_model(path.with_suffix(".npz"), CLASSIFIER_KIND, REBUILD)
    a, meta = s.arrays, s.meta
    if meta.get("feature_names") != feature_names():
        raise ModelFileError(f"{path.with_suffix('.npz')}: style features changed since training; run `{REBUILD}`")
    vocab = {g: i for i, g in enumerate(meta["vocab"])}
    return LinearClassifier(
        meta["classes"], vocab, a["idf"].astype(np.float64), a["feat_mean"], a["feat_std"],
        a["coef"].astype(np.float64), a["intercept"],
    )


@dataclass
class Models:
    literary: LiteraryModel
    l1: LinearClassifier
    l2: LinearClassifier


@lru_cache(maxsize=4)
def load_models(assets: str | None = None) -> Models:
    """The shipped models (loaded once per process)."""
    d = Path(assets) if assets else ASSETS
    l1, l2 = _load_clf(d / "l1"), _load_clf(d / "l2")
    if l2.vocab == l1.vocab and np.array_equal(l2.idf, l1.idf):  # one vectorizer fitted both: read it once
        l2 = dataclasses.replace(l2, vocab=l1.vocab, idf=l1.idf)
    return Models(_load_literary(d / "literary"), l1, l2)


# --------------------------------------------------------------------------------------------- training
def _fit_bounded_lr(X: np.ndarray, y: np.ndarray, bounds: list[tuple], C: float = 1.0) -> tuple[np.ndarray, float]:
    """Class-balanced L2-regularised logistic regression with per-weight bounds (L-BFGS-B)."""
    from scipy.optimize import minimize

    n, m = X.shape[1], len(y)
    sw = np.where(y == 1, m / (2 * max((y == 1).sum(), 1)), m / (2 * max((y == 0).sum(), 1)))

    def f(p):
        w, b = p[:n], p[n]
        z = X @ w + b
        loss = np.where(y == 1, np.logaddexp(0, -z), np.logaddexp(0, z))
        g = sw * (1.0 / (1.0 + np.exp(-z)) - y) / m
        return (sw * loss).sum() / m + 0.5 / C / m * w @ w, np.append(X.T @ g + w / C / m, g.sum())

    x0 = np.array([lo if lo else 0.0 for lo, _ in bounds] + [0.0])
    r = minimize(f, x0, jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)])
    return r.x[:n], float(r.x[n])


def _platt(logits: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    lr = LogisticRegression(C=1e4, max_iter=1000).fit(logits.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def train_literary(feats: list[dict], y: np.ndarray, groups: list[str], seed: int = 0) -> LiteraryModel:
    names = LIT_POSITIVE + LIT_NEGATIVE
    X = np.array([raw_vector(f, names) for f in feats])
    mean, std = X.mean(0), X.std(0)
    Z = (X - mean) / np.where(std > 1e-9, std, 1.0)
    bounds = [((ORNAMENT_MIN_WEIGHT if n in LIT_ORNAMENT else 0.0), None) for n in LIT_POSITIVE]
    bounds += [(None, 0.0)] * len(LIT_NEGATIVE)
    # out-of-fold logits (folds by source row) for Platt calibration
    ug = sorted(set(groups))
    random.Random(seed).shuffle(ug)
    fold = {g: i % 3 for i, g in enumerate(ug)}
    fk = np.array([fold[g] for g in groups])
    oof = np.zeros(len(y))
    for k in range(3):
        w, b = _fit_bounded_lr(Z[fk != k], y[fk != k], bounds)
        oof[fk == k] = Z[fk == k] @ w + b
    a, c = _platt(oof, y)
    w, b = _fit_bounded_lr(Z, y, bounds)
    return LiteraryModel(names, w, b, mean, std, a, c)


def train_classifier(texts: list[str], feats: list[dict], labels: list[str], C: float = 10.0) -> LinearClassifier:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = TfidfVectorizer(
        analyzer=char_ngrams_12, max_features=NGRAM_MAX_FEATURES, min_df=2, sublinear_tf=True, dtype=np.float64
    )
    Xn = vec.fit_transform(texts)
    F = np.array([raw_vector(f) for f in feats])
    mean, std = F.mean(0), F.std(0)
    Fz = np.clip((F - mean) / np.where(std > 1e-9, std, 1.0), -8, 8) * STYLE_WEIGHT
    X = hstack([Xn, csr_matrix(Fz)]).tocsr()
    lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, labels)
    vocab = {g: int(i) for g, i in vec.vocabulary_.items()}
    return LinearClassifier(list(lr.classes_), vocab, vec.idf_, mean, std, lr.coef_, lr.intercept_)


WINDOW_SIZES = (60, 150, 300, 500, 800, 1200)  # short posts to long articles, as real pages come
CAP_PER_L2 = 900  # examples per L2 label (keeps classes balanced and training under a few minutes)
MAX_PER_GROUP = 10  # windows per source row for labels with few rows
SURFACE_SHARE = {"ascii": 0.12, "traditional": 0.06}  # share of examples shown with that web surface


def _per_group(items, cap: int) -> dict[str, int]:
    """Windows to take per source row and size, by L2: labels with few rows give more windows each."""
    rows: dict[str, set] = {}
    for x in items:
        rows.setdefault(x.l2, set()).add(x.group)
    return {l2: max(2, min(MAX_PER_GROUP, math.ceil(cap / (len(g) * len(WINDOW_SIZES))))) for l2, g in rows.items()}


def _cap_label(xs: list, cap: int, rng: random.Random) -> list:
    """At most `cap` examples of one label; model-written ones at most LLM_SHARE_MAX of them where people
    wrote the rest, so that the label does not come to mean "machine-written"."""
    from wenforge.style.corpus import LLM_SHARE_MAX

    human = [x for x in xs if not x.machine]
    machine = [x for x in xs if x.machine]
    rng.shuffle(human)
    rng.shuffle(machine)
    if not human:
        return machine[:cap]
    n_machine = min(len(machine), int(cap * LLM_SHARE_MAX), int(len(human) * LLM_SHARE_MAX / (1 - LLM_SHARE_MAX)) + 1)
    return human[: cap - n_machine] + machine[:n_machine]


def training_examples(seed: int = 0, cap_per_l2: int = CAP_PER_L2, data_dir: str | Path | None = None):
    """Dev-row examples for training: windows of 60-1200 characters plus whole short items, capped per L2,
    with a share shown in ASCII punctuation or traditional characters."""
    from wenforge.style.corpus import Item, load_items, surface_variant, windows

    rng = random.Random(seed)
    items = load_items("dev", data_dir=data_dir)
    heads = [x for x in items if x.source == "thucnews"]
    rest = [x for x in items if x.source != "thucnews"]
    per = _per_group(rest, cap_per_l2)
    ex = []
    for size in WINDOW_SIZES:
        for k in sorted(set(per.values())):
            ex += windows([x for x in rest if per[x.l2] == k], size, per_group=k, seed=seed + size)
    ex += [x for x in rest if len(x.text) < 300]
    ex += rng.sample(heads, min(600, len(heads)))
    by: dict[str, list] = {}
    for x in ex:
        by.setdefault(x.l2, []).append(x)
    out = []
    for _l2, xs in sorted(by.items()):
        out += _cap_label(xs, cap_per_l2, rng)
    for i, x in enumerate(out):
        r = rng.random()
        kind = "ascii" if r < SURFACE_SHARE["ascii"] else "traditional" if r < sum(SURFACE_SHARE.values()) else ""
        if kind:
            out[i] = Item(surface_variant(x.text, kind, rng), x.l1, x.l2, x.source, x.split, x.group)
    return out


def train_models(
    out_dir: str | Path | None = None, *, data_dir: str | Path | None = None, seed: int = 0, progress=None
) -> dict:
    """Rebuild the literary model and the L1/L2 classifiers from the `dev` rows of `data_dir` (default:
    $WENFORGE_DATA); write them to `out_dir` (default: the package's assets)."""
    from wenforge.style.vector import compute

    out = Path(out_dir) if out_dir else ASSETS
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    ex = training_examples(seed, data_dir=data_dir)
    feats, texts = [], []
    for i, x in enumerate(ex):
        f, _devices, doc = compute(x.text)
        feats.append(f)
        texts.append(doc.text)  # the canonical surface, as score_style reads it
        if progress:
            progress(i + 1, len(ex))
    t_feat = time.time() - t0
    lit_idx = [i for i, x in enumerate(ex) if x.source != "thucnews"]
    lit = train_literary([feats[i] for i in lit_idx], np.array([ex[i].literary for i in lit_idx]),
                         [ex[i].group for i in lit_idx], seed)
    l1 = train_classifier(texts, feats, [x.l1 for x in ex])
    l2 = train_classifier(texts, feats, [x.l2 for x in ex])
    _save_literary(lit, out / "literary")
    _save_clf(l1, out / "l1")
    _save_clf(l2, out / "l2")
    load_models.cache_clear()
    counts = Counter(x.l2 for x in ex)
    stats = {
        "examples": len(ex), "by_l2": dict(sorted(counts.items())), "seconds_features": round(t_feat, 1),
        "seconds_total": round(time.time() - t0, 1), "assets": str(out),
        "asset_bytes": sum(p.stat().st_size for p in out.iterdir() if p.is_file()),
    }
    (out / "train_stats.json").write_text(json.dumps(stats, ensure_ascii=False, indent=1), encoding="utf-8")
    return stats
