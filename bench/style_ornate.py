"""Ornateness and overwrought benchmark (issue 12, item 2), and the fit of style/assets/ornate.json.

    python bench/style_ornate.py [--json OUT.json]     # figures (test rows, rewrites, holdout)
    python bench/style_ornate.py --fit                 # refit the asset on dev rows only

Figures: (1) plain < moderate < ornate pairs ordered right on tests/style/data/rewrites.yaml (dev) and
rewrites_holdout.yaml (never tuned on): ornateness vs literary_score vs length; (2) spread of ornateness on
literary test rows (quantiles per source); (3) overwrought AUC, public-domain human literary test rows vs
2025 model creative writing test rows (ornateness and literary_score as baselines); (4) surface robustness
(ASCII punctuation, traditional script); (5) speed of ornateness_of on top of style.vector.compute;
(6) concordance with 0/1/2 hand grades on bench/real_text/passages.jsonl when that file is present.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from itertools import combinations
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import numpy as np
import yaml

from wenforge.core.paths import data_folder
from wenforge.style.corpus import load_items
from wenforge.style.ornate import ASSET_PATH, load_asset, ornateness_of, score_signals, signals
from wenforge.style.score import literary_score
from wenforge.style.vector import compute

ROOT = Path(__file__).resolve().parents[1]
LEVELS = ("plain", "moderate", "ornate")
WINDOW = 1200  # characters per window of a long row (a chapter, a story): one window per row
PASSAGES = ROOT / "bench" / "real_text" / "passages.jsonl"

# Anchors of the scale: dev groups of known manner and the score their texts should land at.
ANCHORS = {
    "news": 0.1, "wiki": 0.1, "abstract": 0.1, "hc3_expert": 0.1, "rewrite_plain": 0.1,
    "hc3_community": 0.2,
    "pd_novel": 0.3, "luxun_fiction": 0.3, "luxun_essay": 0.3,
    "rewrite_moderate": 0.5, "pd_essay": 0.5,
    "pd_poetry": 0.7, "luxun_prose_poetry": 0.7,
    "rewrite_ornate": 0.85,
}
REWRITE_WEIGHT = 8.0  # per rewrite text, against 40 per whole corpus group: same-content order matters most
GROUP_WEIGHT = 40.0
RIDGE = 1.0  # on standardised terms
ORN_TERMS = {  # term -> sign bound: ornament raises the score, numbers / written markers / long clauses lower it
    "figure": 1, "imagery": 1, "lyrical": 1, "redup": 1, "pairing": 1, "attr_de": 1, "idiom": 1,
    "rhythm": 1, "ornate_clauses": 1, "stacked_clauses": 1, "numbers": -1, "written": -1, "clause_len": -1,
}
OW_TERMS = ("slop_frames", "stock", "cosmic_image", "cosmic_pairs", "closer", "pairing")


def _rows(rel: str) -> list[dict]:
    with open(data_folder() / rel, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _window(text: str, rng: random.Random) -> str:
    if len(text) <= WINDOW:
        return text
    i = rng.randrange(0, len(text) - WINDOW)
    return text[i : i + WINDOW]


def corpus_groups(split: str, *, per_group: int = 80, seed: int = 0) -> dict[str, list[str]]:
    """Texts by group (one window per long row) for one split of the shared data."""
    rng = random.Random(seed)
    items = load_items(split, seeds=False)
    by = {
        "news": [x.text for x in items if x.source == "uhgeval"],
        "hc3_expert": [x.text for x in items if x.source == "hc3_human" and x.l2 == "expert_answer"],
        "hc3_community": [x.text for x in items if x.source == "hc3_human" and x.l2 == "community_answer"],
        "luxun_fiction": [x.text for x in items if x.source == "luxun" and x.l2 == "modern_fiction"],
        "luxun_essay": [x.text for x in items if x.source == "luxun" and x.l2 == "modern_essay"],
        "luxun_prose_poetry": [x.text for x in items if x.source == "luxun" and x.l2 == "prose_poetry"],
        "tang_poetry": [x.text for x in items if x.source == "poetry" and x.l2 == "classical_poetry"],
        "song_ci": [x.text for x in items if x.source == "poetry" and x.l2 == "ci"],
        "classical_prose": [x.text for x in items if x.source == "poetry" and x.l2 == "classical_prose"],
    }
    prose = [r for r in _rows("literary/modern_pd_prose.jsonl") if r["split"] == split]
    by["pd_novel"] = [r["text"] for r in prose if r["genre"] == "novel"]
    by["pd_essay"] = [r["text"] for r in prose if r["genre"] == "essay"]
    by["pd_poetry"] = [r["text"] for r in _rows("literary/modern_pd_poetry.jsonl") if r["split"] == split]
    by["wiki"] = [r["text"] for r in _rows("expository/cmrc2018_wiki_paragraphs.jsonl") if r["split"] == split]
    by["abstract"] = [r.get("abstract") or r["text"] for r in _rows("academic/csl_abstracts.jsonl") if r["split"] == split]
    by["llm"] = [r["text"] for r in _rows("ai_text/modern_llm_writing.jsonl") if r["split"] == split]
    out = {}
    for k, xs in by.items():
        xs = list(xs)
        rng.shuffle(xs)
        out[k] = [_window(x, rng) for x in xs[: per_group if k != "llm" else 4 * per_group]]
    return out


def rewrite_sets(name: str) -> list[dict]:
    return yaml.safe_load((ROOT / "tests" / "style" / "data" / name).read_text(encoding="utf-8"))


def _signals(text: str) -> dict[str, float]:
    return signals(*compute(text))[0]


def _x(sig: dict[str, float], terms) -> list[float]:
    from wenforge.style.ornate import _transform

    return [_transform(n, sig[n]) for n in terms]


def fit() -> dict:
    """Fit both indices on dev rows and rewrites.yaml; write ASSET_PATH."""
    from scipy.optimize import lsq_linear
    from sklearn.linear_model import LogisticRegression

    groups = corpus_groups("dev")
    for lv in LEVELS:
        groups[f"rewrite_{lv}"] = [s[lv] for s in rewrite_sets("rewrites.yaml")]
    sig = {k: [_signals(t) for t in v] for k, v in groups.items()}
    terms = list(ORN_TERMS)
    X, y, w = [], [], []
    for g, a in ANCHORS.items():
        for s in sig[g]:
            X.append(_x(s, terms))
            y.append(math.log(a / (1 - a)))
            w.append(REWRITE_WEIGHT if g.startswith("rewrite_") else GROUP_WEIGHT / len(sig[g]))
    X, y, w = np.array(X), np.array(y), np.sqrt(np.array(w))
    mu, sd = X.mean(0), X.std(0) + 1e-9
    A = np.hstack([(X - mu) / sd, np.ones((len(X), 1))]) * w[:, None]
    pen = np.hstack([math.sqrt(RIDGE) * np.eye(len(terms)), np.zeros((len(terms), 1))])
    lb = [0 if ORN_TERMS[t] > 0 else -np.inf for t in terms] + [-np.inf]
    ub = [np.inf if ORN_TERMS[t] > 0 else 0 for t in terms] + [np.inf]
    res = lsq_linear(np.vstack([A, pen]), np.concatenate([y * w, np.zeros(len(terms))]), bounds=(lb, ub))
    coef = res.x[:-1] / sd
    icpt = res.x[-1] - (mu * coef).sum()
    # stage 2, the monotone squash: rescale the index so each anchor group's median lands on its anchor
    med = np.array([np.median([icpt + coef @ np.array(_x(s, terms)) for s in sig[g]]) for g in ANCHORS])
    tgt = np.array([math.log(a / (1 - a)) for a in ANCHORS.values()])
    b, a = np.polyfit(med, tgt, 1)
    coef, icpt = b * coef, a + b * icpt
    orn = {"terms": {t: round(float(c), 5) for t, c in zip(terms, coef) if abs(c) > 1e-6}, "intercept": round(float(icpt), 5)}

    human = sig["pd_novel"] + sig["pd_essay"] + sig["pd_poetry"] + sig["luxun_fiction"] + sig["luxun_essay"] + sig["luxun_prose_poetry"]
    model = sig["llm"]
    ow_terms = list(OW_TERMS)
    for _ in range(len(ow_terms)):  # drop terms the fit gives a negative weight (slop must only add)
        Xo = np.array([_x(s, ow_terms) for s in human + model])
        yo = np.array([0] * len(human) + [1] * len(model))
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000).fit(Xo, yo)
        neg = [t for t, c in zip(ow_terms, lr.coef_[0]) if c <= 0]
        if not neg:
            break
        ow_terms = [t for t in ow_terms if t not in neg]
    ow = {"terms": {t: round(float(c), 5) for t, c in zip(ow_terms, lr.coef_[0])},
          "intercept": round(float(lr.intercept_[0]), 5)}
    asset = {
        "about": "style/ornate.py weights, fitted by `python bench/style_ornate.py --fit` on dev rows only. "
                 "ornateness: bounded ridge least squares of logit(anchor) on the terms (anchors per dev group in "
                 "bench/style_ornate.py ANCHORS); overwrought: balanced logistic regression, public-domain human "
                 "literary dev windows (0) vs 2025 model creative-writing dev windows (1), non-negative terms only.",
        "anchors": ANCHORS,
        "ornateness": orn,
        "overwrought": ow,
        "dev_group_medians": {g: round(float(np.median([score_signals(s, {"ornateness": orn, "overwrought": ow})[0] for s in v])), 3)
                              for g, v in sig.items()},
    }
    ASSET_PATH.write_text(json.dumps(asset, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    load_asset.cache_clear()
    return asset


def orderings(sets: list[dict], scorers: dict) -> dict:
    """Pairs (plain<moderate, moderate<ornate, plain<ornate) ordered right by each scorer."""
    out = {}
    for name, f in scorers.items():
        right, fails = 0, []
        for s in sets:
            sc = {lv: f(s[lv]) for lv in LEVELS}
            for a, b in combinations(LEVELS, 2):
                if sc[b] > sc[a]:
                    right += 1
                else:
                    fails.append(f"{s['topic']}:{a}>={b}")
        out[name] = {"pairs_right": right, "pairs": 3 * len(sets), "fails": fails[:12]}
    return out


def _auc(neg: list[float], pos: list[float]) -> float:
    from sklearn.metrics import roc_auc_score

    return round(float(roc_auc_score([0] * len(neg) + [1] * len(pos), neg + pos)), 4)


def concordance(grades: list[int], scores: list[float]) -> dict:
    """Kendall-style pair concordance: among pairs with different grades, share the score orders the same way
    (score ties count half)."""
    agree = total = 0.0
    for i, j in combinations(range(len(grades)), 2):
        if grades[i] == grades[j]:
            continue
        total += 1
        d = (scores[i] - scores[j]) * (grades[i] - grades[j])
        agree += 1.0 if d > 0 else 0.5 if d == 0 else 0.0
    return {"pairs": int(total), "concordance": round(agree / total, 4) if total else None}


def _surface_variants(text: str) -> dict[str, str]:
    import opencc

    ascii_p = text.translate(str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "（": "(", "）": ")", "“": '"', "”": '"'}))
    return {"ascii_punct": ascii_p, "traditional": opencc.OpenCC("s2t").convert(text)}


def run() -> dict:
    """Every figure of this benchmark, test rows only (plus the two rewrite files)."""
    out: dict = {}
    orn = lambda t: ornateness_of(*compute(t)).score
    scorers = {"ornateness": orn, "literary_score": literary_score, "baseline_length": lambda t: float(len(t))}
    out["orderings_dev_rewrites"] = orderings(rewrite_sets("rewrites.yaml"), scorers)
    out["orderings_holdout_rewrites"] = orderings(rewrite_sets("rewrites_holdout.yaml"), scorers)

    test = corpus_groups("test", per_group=120, seed=1)
    res = {k: [ornateness_of(*compute(t)) for t in v] for k, v in test.items()}
    out["spread_test_rows"] = {
        k: {"n": len(v), **{f"q{int(q * 100)}": round(float(np.quantile([r.score for r in v], q)), 3) for q in (0.1, 0.25, 0.5, 0.75, 0.9)},
            "share_ge_0.95": round(sum(r.score >= 0.95 for r in v) / max(len(v), 1), 3),
            "overwrought_median": round(float(np.median([r.overwrought for r in v])), 3)}
        for k, v in res.items()
    }
    human_keys = ("pd_novel", "pd_essay", "pd_poetry", "luxun_fiction", "luxun_essay", "luxun_prose_poetry")
    hum = [r for k in human_keys for r in res[k]]
    hum_t = [t for k in human_keys for t in test[k]]
    llm = res["llm"]
    out["overwrought_auc_human_literary_vs_model"] = {
        "human_windows": len(hum), "model_windows": len(llm),
        "overwrought": _auc([r.overwrought for r in hum], [r.overwrought for r in llm]),
        "baseline_ornateness": _auc([r.score for r in hum], [r.score for r in llm]),
        "baseline_literary_score": _auc([literary_score(t) for t in hum_t], [literary_score(t) for t in test["llm"]]),
        "human_with_overwrought_gt_0.5": round(sum(r.overwrought > 0.5 for r in hum) / len(hum), 3),
        "model_with_overwrought_gt_0.5": round(sum(r.overwrought > 0.5 for r in llm) / len(llm), 3),
    }

    rng = random.Random(2)
    sample = [t for k in ("news", "pd_novel", "pd_essay", "pd_poetry", "luxun_fiction", "llm", "hc3_community") for t in rng.sample(test[k], min(25, len(test[k])))]
    deltas = {"ascii_punct": [], "traditional": []}
    for t in sample:
        base = ornateness_of(*compute(t))
        for kind, v in _surface_variants(t).items():
            r = ornateness_of(*compute(v))
            deltas[kind].append(max(abs(r.score - base.score), abs(r.overwrought - base.overwrought)))
    out["robustness"] = {k: {"texts": len(v), "max_delta": round(max(v), 4), "share_within_0.05": round(sum(d < 0.05 for d in v) / len(v), 3)}
                         for k, v in deltas.items()}

    texts = [t for k in ("news", "pd_novel", "llm", "pd_poetry") for t in test[k][:60]]
    n_chars = sum(len(t) for t in texts)
    t0 = time.process_time()
    comp = [compute(t) for t in texts]
    t1 = time.process_time()
    for c in comp:
        ornateness_of(*c)
    t2 = time.process_time()
    out["speed"] = {"chars": n_chars, "compute_chars_per_s": round(n_chars / (t1 - t0)),
                    "ornateness_of_chars_per_s": round(n_chars / (t2 - t1)),
                    "overhead_share": round((t2 - t1) / (t1 - t0), 3)}

    if PASSAGES.exists():
        rows = [json.loads(x) for x in PASSAGES.read_text(encoding="utf-8").splitlines() if x.strip()]
        rows = [r for r in rows if r.get("ornateness") in (0, 1, 2)]
        g = [r["ornateness"] for r in rows]
        out["real_passages_concordance_dev"] = {
            "passages": len(rows),
            "ornateness": concordance(g, [orn(r["text"]) for r in rows]),
            "literary_score": concordance(g, [literary_score(r["text"]) for r in rows]),
            "baseline_length": concordance(g, [float(len(r["text"])) for r in rows]),
        }
    else:
        out["real_passages_concordance_dev"] = "bench/real_text/passages.jsonl not present"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fit", action="store_true", help="refit style/assets/ornate.json on dev rows")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    if args.fit:
        asset = fit()
        print(json.dumps(asset, ensure_ascii=False, indent=1))
        return
    out = run()
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
