"""Writing-quality benchmark (issue 12, item 3): the shipped `quality` model against baselines on test prompts.

    python bench/style_quality.py [--data /work/shared/data] [--json OUT.json]

Data: ai_text/modern_llm_writing.jsonl joined with ai_text/modern_llm_writing_scores.jsonl (expert 0-3 scores).
The shipped model was fitted on dev prompts only (`train_quality`); every figure here is on test prompts.
1. Pairs of responses to the same prompt whose scores differ by >= 1 (and >= 2) ordered right, and the mean
   per-prompt Spearman correlation, for: quality (with the prompt), quality without the prompt, length,
   literary_score, a raw-style-vector pairwise linear model fitted here on dev rows (same trainer), random.
2. Sanity: does it just rank models? The accuracy of knowing only the model (its dev mean score), the
   Spearman of per-model mean quality vs per-model mean score, the accuracy left after removing each model's
   mean quality, and accuracy on pairs from the same model family vs different families, same vs different
   annotator.
3. Surface: share of test texts whose quality moves < 0.05 with ASCII punctuation or traditional script.
4. Speed: characters/s of `compute` (the style vector) and of `quality_of` on top of it, one process.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"

from wenforge.style import quality as Q
from wenforge.style.models import load_models
from wenforge.style.vector import compute, feature_names, raw_vector

FAMILIES = {"claude": "claude", "deepseek": "deepseek", "doubao": "doubao", "gemini": "gemini", "gpt-4.1": "gpt-4.1",
            "o1": "openai-o", "o3": "openai-o", "o4": "openai-o", "qwen": "qwen", "huggingface": "huggingface"}
SURFACE_SAMPLE = 150  # test texts checked under ASCII punctuation and traditional script
SURFACE_TOL = 0.05  # the tolerance on a score's move under a surface change


def family(model: str) -> str:
    """Vendor family of a model name (o-series models are one family)."""
    return next((f for k, f in FAMILIES.items() if model.startswith(k)), model)


def _ascii_punct(text: str) -> str:
    """Full-width punctuation replaced by ASCII look-alikes (the surface change of issue 12)."""
    return text.translate(str.maketrans({"，": ",", "。": ".", "！": "!", "？": "?", "；": ";", "：": ":", "（": "(", "）": ")",
                                         "“": '"', "”": '"'}))


def _traditional(text: str) -> str:
    """Simplified to traditional characters (OpenCC s2t)."""
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def _pair_table(rows: list[dict], idx: list[int], min_gap: int) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) over positions in `idx` (i the better), pairs within a prompt with gap >= min_gap."""
    groups = [rows[k]["prompt_id"] for k in idx]
    scores = np.array([rows[k]["score"] for k in idx], dtype=float)
    return Q.pairs_of(groups, scores, min_gap)


def _metrics(rows: list[dict], idx: list[int], pred: np.ndarray) -> dict:
    """Pairwise accuracy at gap >= 1 and >= 2 and mean per-prompt Spearman."""
    i1, j1 = _pair_table(rows, idx, 1)
    i2, j2 = _pair_table(rows, idx, 2)
    groups = [rows[k]["prompt_id"] for k in idx]
    scores = np.array([rows[k]["score"] for k in idx], dtype=float)
    return {"pairs_gap1": round(Q.pairwise_accuracy(pred, i1, j1), 4), "pairs_gap2": round(Q.pairwise_accuracy(pred, i2, j2), 4),
            "spearman_per_prompt": round(Q.mean_spearman(groups, scores, pred), 4), "n_pairs_gap1": len(i1), "n_pairs_gap2": len(i2)}


def _subset_accuracy(rows: list[dict], idx: list[int], pred: np.ndarray, same) -> dict:
    """Gap >= 1 accuracy on pairs where `same(a, b)` holds vs where it does not."""
    i, j = _pair_table(rows, idx, 1)
    m = np.array([same(rows[idx[a]], rows[idx[b]]) for a, b in zip(i, j, strict=True)], dtype=bool)
    return {"same": round(Q.pairwise_accuracy(pred, i[m], j[m]), 4), "n_same": int(m.sum()),
            "different": round(Q.pairwise_accuracy(pred, i[~m], j[~m]), 4), "n_different": int((~m).sum())}


def _raw_style_model(rows: list[dict], dev: list[int], test: list[int], feats: list[dict]) -> np.ndarray:
    """Baseline: the pairwise trainer on the whole raw style vector (signed log, z-scored), fitted on dev."""
    names = feature_names()
    x = np.array([raw_vector(f, names) for f in feats])
    xd = x[dev]
    groups = [rows[k]["prompt_id"] for k in dev]
    scores = np.array([rows[k]["score"] for k in dev], dtype=float)
    cv = Q.cross_validate(xd, groups, scores, [])
    mu, sd = Q._standardise(xd)
    i, j = Q.pairs_of(groups, scores)
    w = Q.fit_pairwise((xd - mu) / sd, i, j, max(cv, key=cv.get))
    return ((x[test] - mu) / sd) @ w


def _model_sanity(rows: list[dict], dev: list[int], test: list[int], pred: np.ndarray) -> dict:
    """Does quality only rank models? Oracle of the model's dev mean; per-model means; within-model residual."""
    models = sorted({rows[k]["model"] for k in test})
    dev_mean = {m: float(np.mean([rows[k]["score"] for k in dev if rows[k]["model"] == m])) for m in models}
    oracle = np.array([dev_mean[rows[k]["model"]] for k in test])
    tm = [rows[k]["model"] for k in test]
    q_mean = {m: float(np.mean(pred[[a for a, x in enumerate(tm) if x == m]])) for m in models}
    s_mean = {m: float(np.mean([rows[k]["score"] for k in test if rows[k]["model"] == m])) for m in models}
    resid = pred - np.array([q_mean[m] for m in tm])
    qv, sv = np.array([q_mean[m] for m in models]), np.array([s_mean[m] for m in models])
    return {
        "model_mean_oracle": _metrics(rows, test, oracle),
        "spearman_model_means": round(float(np.corrcoef(Q._ranks(qv), Q._ranks(sv))[0, 1]), 4),
        "within_model_residual": _metrics(rows, test, resid),
        "per_model": {m: {"mean_quality": round(q_mean[m], 3), "mean_score": round(s_mean[m], 3)} for m in models},
    }


def _surface(rows: list[dict], test: list[int], scores: np.ndarray) -> dict:
    """Share of sampled test texts whose quality stays within SURFACE_TOL under each surface change."""
    rng = np.random.default_rng(0)
    pick = rng.choice(len(test), size=min(SURFACE_SAMPLE, len(test)), replace=False)
    out = {}
    for name, fn in (("ascii_punctuation", _ascii_punct), ("traditional", _traditional)):
        moved = []
        for a in pick:
            r = rows[test[a]]
            moved.append(abs(Q.quality_of(*compute(fn(r["text"])), prompt=fn(r["prompt"])).score - scores[a]))
        out[name] = {"within_tol": round(float(np.mean(np.array(moved) < SURFACE_TOL)), 4), "max_move": round(float(max(moved)), 4)}
    return out


def run(data_dir: Path = DEFAULT_DATA) -> dict:
    """Every figure of this benchmark as a dict."""
    rows = Q.load_rows(data_dir)
    dev = [k for k, r in enumerate(rows) if r["split"] == "dev"]
    test = [k for k, r in enumerate(rows) if r["split"] == "test"]
    lit = load_models().literary
    feats, q_prompt, q_none, lits = [], {}, {}, {}
    t_compute = t_quality = 0.0
    n_chars = 0
    in_test = set(test)
    for k, r in enumerate(rows):
        t0 = time.process_time()
        f, dv, doc = compute(r["text"])
        t1 = time.process_time()
        feats.append(f)
        if k in in_test:
            q_prompt[k] = Q.quality_of(f, dv, doc, r["prompt"]).score
            t2 = time.process_time()
            q_none[k] = Q.quality_of(f, dv, doc).score
            lits[k] = lit.score(f, doc.n_chars)
            t_compute += t1 - t0
            t_quality += t2 - t1
            n_chars += len(r["text"])
    pred_q = np.array([q_prompt[k] for k in test])
    rng = np.random.default_rng(0)
    preds = {
        "quality": pred_q,
        "quality_no_prompt": np.array([q_none[k] for k in test]),
        "length": np.array([rows[k]["chars"] for k in test], dtype=float),
        "literary_score": np.array([lits[k] for k in test]),
        "raw_style_vector_linear": _raw_style_model(rows, dev, test, feats),
        "random": rng.random(len(test)),
    }
    model = Q.load_quality_model()
    return {
        "data": {"test_rows": len(test), "test_prompts": len({rows[k]["prompt_id"] for k in test}), "dev_rows": len(dev)},
        "test": {name: _metrics(rows, test, p) for name, p in preds.items()},
        "same_family": _subset_accuracy(rows, test, pred_q, lambda a, b: family(a["model"]) == family(b["model"])),
        "same_annotator": _subset_accuracy(rows, test, pred_q, lambda a, b: a["annotator"] is not None and a["annotator"] == b["annotator"]),
        "model_sanity": _model_sanity(rows, dev, test, pred_q),
        "surface": _surface(rows, test, pred_q),
        "speed": {"compute_chars_per_s": round(n_chars / max(t_compute, 1e-9)), "quality_of_chars_per_s": round(n_chars / max(t_quality, 1e-9)),
                  "both_chars_per_s": round(n_chars / max(t_compute + t_quality, 1e-9))},
        "fit": {k: v for k, v in json.loads(Q.ASSET_PATH.read_text(encoding="utf-8"))["fit"].items()},
        "top_weights": sorted(((n, round(float(w), 3)) for n, w in zip(model.names, model.weights, strict=True)), key=lambda t: -abs(t[1]))[:15],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    res = run(args.data)
    text = json.dumps(res, ensure_ascii=False, indent=1)
    if args.json:
        args.json.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
