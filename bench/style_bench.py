"""Style system benchmark (issue 4): accuracy on `test` rows, baselines in the same run, speed.

    python bench/style_bench.py [--json OUT.json]

1. literary_score AUC on ~500-character windows of test rows: (a) poetry + ci + classical prose + Lu Xun vs
   UHGEval news + HC3 human answers + CMATH problems; (b) Lu Xun vs news + HC3 human answers.
   Baselines: character 1-2-gram TF-IDF + logistic regression trained on the same dev windows; length.
2. Ornateness within the same content (tests/style/data/rewrites.yaml, 12 topics x plain/moderate/ornate):
   pairwise orderings right, and ornate > plain when plain is at least as long. Same baselines.
3. L2 macro-F1 on the poetry and Lu Xun test rows (whole texts), L1 macro-F1 on all test sources;
   baselines: majority class, char n-gram TF-IDF + LR only (no style features).
4. Device detectors: the hand-written positive/negative cases of tests/style/test_devices.py, and the
   share of test windows where each device is present, by source (no gold device labels exist here).
5. Speed: score_style (literary score, ornateness, overwrought, quality, L1/L2/L3) on ~1,000-character (~3 KB)
   windows, one process, CPU time and wall time.
6-8 (issue 12, each also runs alone): bench/style_ornate.py (ornateness orderings on the dev and held-out
   rewrites, spread on literary test rows, overwrought human vs 2025-model AUC, surface robustness),
   bench/style_quality.py (expert-score pairs on test prompts, with length, literary_score and a raw style-vector
   model as baselines), bench/style_genres.py (new L2 labels, L1 and literary AUC with the pre-issue models from
   git beside the current ones).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "style"))

from wenforge.style.corpus import load_items, windows
from wenforge.style.devices import DETECTORS, detect_devices
from wenforge.style.models import char_ngrams_12, load_models, training_examples
from wenforge.style.score import literary_score, score_style
from wenforge.text.chars import to_simplified

LIT_SOURCES = {"poetry", "luxun"}
NONLIT_A = {"uhgeval", "hc3_human", "cmath"}
NONLIT_B = {"uhgeval", "hc3_human"}


def ngram_lr(texts, labels, C=10.0):
    vec = TfidfVectorizer(analyzer=char_ngrams_12, max_features=30000, min_df=2, sublinear_tf=True)
    X = vec.fit_transform([to_simplified(t) for t in texts])
    lr = LogisticRegression(C=C, max_iter=3000, class_weight="balanced").fit(X, labels)
    return lambda ts: (lr, vec.transform([to_simplified(t) for t in ts]))


def surface_four_scores(test: list, n: int = 200, tolerance: float = 0.05) -> dict:
    """Share of test windows whose ai_score, literary_score, ornateness and quality all stay within `tolerance`
    when the same text is printed with ASCII punctuation, and in traditional characters (issue 12, item 5)."""
    import random

    from wenforge.eval.detectors.ai import ai_score
    from wenforge.style.corpus import surface_variant

    rng = random.Random(0)
    pool = windows([x for x in test if x.source != "thucnews"], 600, per_group=1, seed=3)
    rng.shuffle(pool)

    def four(t: str) -> tuple[float, ...]:
        r = score_style(t)
        return (float(ai_score(t)), r.literary_score, r.ornateness, r.quality)

    out: dict = {"texts": min(n, len(pool))}
    for kind in ("ascii", "traditional"):
        kept, worst = 0, [0.0] * 4
        for x in pool[:n]:
            a, b = four(x.text), four(surface_variant(x.text, kind, rng))
            deltas = [abs(p - q) for p, q in zip(a, b)]
            worst = [max(w, d) for w, d in zip(worst, deltas)]
            kept += max(deltas) <= tolerance
        out[kind] = {"all_four_within": round(kept / min(n, len(pool)), 4),
                     "max_delta": dict(zip(("ai_score", "literary_score", "ornateness", "quality"),
                                           (round(w, 4) for w in worst)))}
    return out


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    ap.add_argument("--skip-issue12", action="store_true", help="sections 1-5 only (sections 6-8 take ~10 min)")
    args = ap.parse_args()
    out: dict = {}
    t_all = time.perf_counter()
    load_models()

    print("building dev training windows and baselines ...", file=sys.stderr)
    ex = training_examples(0)
    lit_ex = [x for x in ex if x.source != "thucnews"]
    base_lit = ngram_lr([x.text for x in lit_ex], [x.literary for x in lit_ex])

    # 1. literary AUC on ~500-char test windows
    test = load_items("test")
    w = windows([x for x in test if x.source in LIT_SOURCES | NONLIT_A], 500, per_group=3, seed=0)
    ys = np.array([x.literary for x in w])
    ours = np.array([literary_score(x.text) for x in w])
    lr, Xb = base_lit([x.text for x in w])
    base = lr.predict_proba(Xb)[:, 1]
    length = np.array([len(x.text) for x in w], dtype=float)
    ma = np.array([x.source in LIT_SOURCES | NONLIT_A for x in w])
    mb = np.array([x.source in {"luxun"} | NONLIT_B for x in w])
    auc = {}
    for name, m in (("a_all_literary_vs_nonliterary", ma), ("b_luxun_vs_news_hc3human", mb)):
        auc[name] = {
            "windows": int(m.sum()), "positives": int(ys[m].sum()),
            "literary_score": round(roc_auc_score(ys[m], ours[m]), 4),
            "baseline_char_ngram_tfidf_lr": round(roc_auc_score(ys[m], base[m]), 4),
            "baseline_length": round(roc_auc_score(ys[m], length[m]), 4),
        }
    out["literary_auc"] = auc

    # 2. ornateness within the same content
    sets = yaml.safe_load((ROOT / "tests/style/data/rewrites.yaml").read_text(encoding="utf-8"))
    scorers = {
        "ornateness": lambda t: score_style(t).ornateness,
        "literary_score": lambda t: literary_score(t),
        "baseline_char_ngram_tfidf_lr": lambda t: float(base_lit([t])[0].predict_proba(base_lit([t])[1])[0, 1]),
        "baseline_length": lambda t: float(len(t)),
    }
    orn = {}
    for name, f in scorers.items():
        res = {"pairs_right": 0, "pairs": 0, "ornate_gt_plain": 0, "sets": len(sets)}
        by_part = Counter()
        for s in sets:
            sc = {k: f(s[k]) for k in ("plain", "moderate", "ornate")}
            for a, b in combinations(("plain", "moderate", "ornate"), 2):
                res["pairs"] += 1
                res["pairs_right"] += sc[b] > sc[a]
                by_part[s["part"]] += sc[b] > sc[a]
            res["ornate_gt_plain"] += sc["ornate"] > sc["plain"]
        res["pairs_right_share"] = round(res["pairs_right"] / res["pairs"], 4)
        res["pairs_right_by_part"] = dict(by_part)
        orn[name] = res
    out["ornateness"] = orn

    # 3. L2 / L1 macro-F1
    lit_rows = [x for x in test if x.source in LIT_SOURCES]
    rest = [x for x in test if x.source not in LIT_SOURCES and x.source != "thucnews"]
    heads = [x for x in test if x.source == "thucnews"][:300]
    l1_rows = lit_rows + rest + heads
    t0 = time.process_time()
    preds = {id(x): score_style(x.text) for x in l1_rows}
    dt_cpu = time.process_time() - t0
    y2 = [x.l2 for x in lit_rows]
    p2 = [preds[id(x)].l2 for x in lit_rows]
    lit_dev = [x for x in ex if x.l1 == "literature"]
    b2, X2 = ngram_lr([x.text for x in lit_dev], [x.l2 for x in lit_dev])([x.text for x in lit_rows])
    maj2 = Counter(x.l2 for x in lit_dev).most_common(1)[0][0]
    out["l2_literary_test_rows"] = {
        "rows": len(lit_rows), "by_label": dict(Counter(y2)),
        "macro_f1": round(f1_score(y2, p2, average="macro"), 4),
        "baseline_char_ngram_tfidf_lr": round(f1_score(y2, b2.predict(X2), average="macro"), 4),
        "baseline_majority": round(f1_score(y2, [maj2] * len(y2), average="macro"), 4),
        "confusions": {f"{a}->{b}": n for (a, b), n in Counter(zip(y2, p2)).items() if a != b},
    }
    y1 = [x.l1 for x in l1_rows]
    p1 = [preds[id(x)].l1 for x in l1_rows]
    b1, X1 = ngram_lr([x.text for x in ex], [x.l1 for x in ex])([x.text for x in l1_rows])
    maj1 = Counter(x.l1 for x in ex).most_common(1)[0][0]
    labels1 = sorted(set(y1))
    out["l1_all_test_rows"] = {
        "rows": len(l1_rows), "by_label": dict(Counter(y1)),
        "macro_f1": round(f1_score(y1, p1, average="macro", labels=labels1), 4),
        "baseline_char_ngram_tfidf_lr": round(f1_score(y1, b1.predict(X1), average="macro", labels=labels1), 4),
        "baseline_majority": round(f1_score(y1, [maj1] * len(y1), average="macro", labels=labels1), 4),
        "note": "official/commercial test rows are template seeds (synthetic), see style/seeds.py",
    }

    # 4. devices
    from test_devices import CASES

    right = sum(detect_devices(p)[d].present for d, (p, _) in CASES.items())
    right += sum(not detect_devices(n)[d].present for d, (_, n) in CASES.items())
    rate: dict = defaultdict(dict)
    wsrc = defaultdict(list)
    for x in w:
        key = x.l2 if x.source in LIT_SOURCES else x.source
        wsrc[key].append(x)
    for key, xs in sorted(wsrc.items()):
        det = [detect_devices(x.text) for x in xs[:80]]
        for d in DETECTORS:
            rate[d][key] = round(sum(r[d].present for r in det) / len(det), 2)
    out["devices"] = {"hand_cases_right": right, "hand_cases": 2 * len(CASES), "present_share_by_source": rate}

    # 5. speed on ~1000-char windows
    sw = windows([x for x in test if x.source in {"luxun", "uhgeval", "hc3_human", "poetry"}], 1000, per_group=2)[:300]
    n_chars = sum(len(x.text) for x in sw)
    t0, c0 = time.perf_counter(), time.process_time()
    for x in sw:
        score_style(x.text)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    out["speed"] = {
        "docs": len(sw), "mean_chars": round(n_chars / len(sw)), "docs_per_cpu_s": round(len(sw) / cpu, 1),
        "chars_per_cpu_s": round(n_chars / cpu), "docs_per_wall_s": round(len(sw) / wall, 1),
        "l1_l2_eval_docs_per_cpu_s": round(len(l1_rows) / dt_cpu, 1),
    }
    out["surface_four_scores"] = surface_four_scores(test)
    if not args.skip_issue12:
        import style_genres
        import style_ornate
        import style_quality

        out["ornateness_overwrought"] = style_ornate.run()
        out["quality"] = style_quality.run()
        out["genres"] = style_genres.run()
    out["seconds_total"] = round(time.perf_counter() - t_all, 1)
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


if __name__ == "__main__":
    main()
