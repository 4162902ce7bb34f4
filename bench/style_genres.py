"""Genres of real writing (issue 12, item 4): the new L2 labels, L1 literature-vs-not and the literary score,
on `test` rows, with the previously shipped models as the baseline in the same run.

    python bench/style_genres.py [--old DIR] [--new DIR] [--data DIR] [--json OUT.json]

`--old` is a folder holding the earlier l1/l2/literary assets; by default they are taken from git at
bench/baseline.py's BASELINE_REV (before issue 12). Figures:

1. L2 macro-F1 over every label with test windows, and recall of each label by source kind (people, model,
   template seed) on ~500-character windows of the test rows (short items whole).
2. L1 right as literature vs not (the gold literary flag is L1 == literature).
3. literary_score AUC: all test windows; and the modern subset: modern poems and modern prose (fiction,
   essays) against paper abstracts, Wikipedia, reviews and forum threads. `_style_only` is the style model
   alone (what literary_score was before issue 12); the baseline's true earlier score is its style_only one.
4. Surface robustness: ASCII punctuation and traditional-script copies of 200 test windows keep L1, L2 and
   literary_score (within 0.05).
5. Real web passages (bench/real_text/passages.jsonl, git-ignored, `dev` rows only) when present.
6. Speed: score_style on ~1,000-character windows, characters per CPU second.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections import Counter, defaultdict
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
from sklearn.metrics import f1_score, roc_auc_score

from wenforge.style.corpus import Item, load_items, surface_variant, windows
from wenforge.style.models import Models, load_models
from wenforge.style.score import MIN_CJK_RATIO, classify, score_style
from wenforge.style.vector import compute

ROOT = Path(__file__).resolve().parents[1]
REAL_TEXT = ROOT / "bench" / "real_text" / "passages.jsonl"
NEW_LABELS = ["review", "academic", "modern_poetry", "forum_post", "web_fiction", "student_composition", "opinion"]
MODERN_LIT_SOURCES = {"pd_poetry", "pd_prose"}  # modern poems, novels and essays by people
MODERN_NONLIT_L2 = {"academic", "encyclopedia", "review", "forum_post"}
WINDOW = 500  # characters per test window, about a web page's article excerpt
SHORT = 300  # items shorter than this are scored whole
SURFACE_SAMPLE = 200
LIT_TOLERANCE = 0.05  # the surface-robustness tolerance


def test_examples(data_dir: str | None) -> list[Item]:
    """~500-character windows of the long test items (2 per row), short test items whole, 300 headlines."""
    items = load_items("test", data_dir=data_dir)
    heads = [x for x in items if x.source == "thucnews"]
    rest = [x for x in items if x.source != "thucnews"]
    ex = windows([x for x in rest if len(x.text) >= SHORT], WINDOW, per_group=2)
    ex += [x for x in rest if len(x.text) < SHORT]
    return ex + random.Random(0).sample(heads, min(300, len(heads)))


def source_kind(x: Item) -> str:
    return "seed" if x.source == "seed" else "model" if x.machine else "people"


def _prepared(texts: list[str]) -> list[tuple | None]:
    out = []
    for t in texts:
        feats, _dev, doc = compute(t)
        ok = doc.n_chars > 0 and doc.n_cjk / doc.n_chars >= MIN_CJK_RATIO
        out.append((feats, doc) if ok else None)
    return out


def _predict(models: Models, prepared: list[tuple | None]) -> list[tuple[str, str, float, float]]:
    """(l1, l2, literary_score, style-only literary score as shipped before issue 12) per text."""
    res = []
    for p in prepared:
        if p is None:
            res.append(("other", "other", 0.0, 0.0))
        else:
            c = classify(models, *p)
            res.append((c.l1, c.l2, c.literary, models.literary.score(p[0], p[1].n_chars)))
    return res


def _auc(y: list[int], s: list[float]) -> float | None:
    return round(float(roc_auc_score(y, s)), 4) if 0 < sum(y) < len(y) else None


def genre_figures(ex: list[Item], pred: list[tuple[str, str, float]]) -> dict:
    """L2 macro-F1, per-label recall by source kind, L1 literature-vs-not accuracy, literary AUCs."""
    gold = [x.l2 for x in ex]
    labels = sorted(set(gold))
    p2 = [p[1] for p in pred]
    recall: dict = {}
    for lab in labels:
        by = defaultdict(lambda: [0, 0])
        for x, p in zip(ex, p2):
            if x.l2 == lab:
                k = source_kind(x)
                by[k][0] += p == lab
                by[k][1] += 1
        recall[lab] = {k: f"{r}/{n} = {r / n:.2f}" for k, (r, n) in sorted(by.items())}
    wrong = Counter((x.l2, p) for x, p in zip(ex, p2) if x.l2 != p and x.l2 in NEW_LABELS)
    lit_y = [x.literary for x in ex]
    modern = [(x.literary, p[2], p[3]) for x, p in zip(ex, pred)
              if x.source in MODERN_LIT_SOURCES or x.l2 in MODERN_NONLIT_L2]
    l1_right = [(p[0] == "literature") == bool(x.literary) for x, p in zip(ex, pred)]
    nonlit_as_lit = [p[0] == "literature" for x, p in zip(ex, pred) if not x.literary and x.source != "thucnews"]
    return {
        "l2_macro_f1": round(float(f1_score(gold, p2, labels=labels, average="macro", zero_division=0)), 4),
        "l2_accuracy": round(sum(g == p for g, p in zip(gold, p2)) / len(ex), 4),
        "recall_by_label": recall,
        "top_confusions_new_labels": [f"{g} -> {p}: {n}" for (g, p), n in wrong.most_common(10)],
        "l1_literature_vs_not_accuracy": round(sum(l1_right) / len(ex), 4),
        "non_literary_put_in_literature": round(sum(nonlit_as_lit) / max(len(nonlit_as_lit), 1), 4),
        "literary_auc_all": _auc(lit_y, [p[2] for p in pred]),
        "literary_auc_all_style_only": _auc(lit_y, [p[3] for p in pred]),
        "literary_auc_modern": _auc([m[0] for m in modern], [m[1] for m in modern]),
        "literary_auc_modern_style_only": _auc([m[0] for m in modern], [m[2] for m in modern]),
        "modern_pairs": f"{sum(m[0] for m in modern)} literary / {sum(1 - m[0] for m in modern)} not",
    }


def surface_figures(models: Models, ex: list[Item]) -> dict:
    """Share of windows whose L1, L2 and literary score (within 0.05) survive ASCII marks / traditional script."""
    rng = random.Random(1)
    sample = rng.sample([x for x in ex if len(x.text) >= 100], min(SURFACE_SAMPLE, len(ex)))
    base = _predict(models, _prepared([x.text for x in sample]))
    out = {}
    for kind in ("ascii", "traditional"):
        var = _predict(models, _prepared([surface_variant(x.text, kind, rng) for x in sample]))
        same = [a[0] == b[0] and a[1] == b[1] and abs(a[2] - b[2]) <= LIT_TOLERANCE for a, b in zip(base, var)]
        out[kind] = round(sum(same) / len(same), 4)
    return out


def real_text_figures(models_by_name: dict[str, Models]) -> dict | None:
    """Literary AUC, L1 literature-vs-not and per-L2 recall on the local real-passage set (dev rows)."""
    if not REAL_TEXT.exists():
        return None
    rows = [json.loads(line) for line in REAL_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("split") == "dev"]
    prepared = _prepared([r["text"] for r in rows])
    out: dict = {"rows": len(rows), "l2_counts": dict(Counter(r["l2"] for r in rows).most_common())}
    for name, m in models_by_name.items():
        pred = _predict(m, prepared)
        rec = {}
        for lab in sorted({r["l2"] for r in rows}):
            idx = [i for i, r in enumerate(rows) if r["l2"] == lab]
            rec[lab] = f"{sum(pred[i][1] == lab for i in idx)}/{len(idx)}"
        out[name] = {
            "literary_auc": _auc([int(r["literary"]) for r in rows], [p[2] for p in pred]),
            "literary_auc_style_only": _auc([int(r["literary"]) for r in rows], [p[3] for p in pred]),
            "l1_literature_vs_not_accuracy": round(
                sum((p[0] == "literature") == bool(r["literary"]) for r, p in zip(rows, pred)) / max(len(rows), 1), 4),
            "literary_rows_in_literature": f"{sum(p[0] == 'literature' for r, p in zip(rows, pred) if r['literary'])}"
                                           f"/{sum(int(r['literary']) for r in rows)}",
            "l2_recall": rec,
        }
    return out


def speed_figures(ex: list[Item]) -> dict:
    """score_style throughput (shipped models) on ~1,000-character windows, one process."""
    long = [x for x in ex if len(x.text) >= 400][:300]
    n = sum(len(x.text) for x in long)
    c0 = time.process_time()
    for x in long:
        score_style(x.text)
    cpu = time.process_time() - c0
    return {"docs": len(long), "chars_per_cpu_s": round(n / cpu)}


OLD_ASSETS = [f"src/wenforge/style/assets/{n}.{e}" for n in ("l1", "l2", "literary") for e in ("json", "npz")]


def run(old: str | None = None, new: str | None = None, data_dir: str | None = None) -> dict:
    """Every figure above, for the current models and the earlier ones (`old`, default: the shipped models at
    bench/baseline.py's BASELINE_REV, taken from git)."""
    if old is None:
        from baseline import baseline_files, stored

        old = str(stored(baseline_files(OLD_ASSETS)))
    t0 = time.perf_counter()
    models = {"current": load_models(new)}
    if old and Path(old, "l2.npz").exists():
        models = {"baseline_old": load_models(old), **models}
    ex = test_examples(data_dir)
    prepared = _prepared([x.text for x in ex])
    out: dict = {"test_windows": len(ex), "by_l2": dict(sorted(Counter(x.l2 for x in ex).items()))}
    for name, m in models.items():
        out[name] = genre_figures(ex, _predict(m, prepared))
        out[name]["surface_kept"] = surface_figures(m, ex)
    out["real_text_dev"] = real_text_figures(models)
    speed_ex = windows([x for x in load_items("test", data_dir=data_dir, seeds=False)
                        if x.source in {"pd_prose", "uhgeval", "csl", "cmrc", "luxun"}], 1000, per_group=2)
    out["speed"] = speed_figures(speed_ex) if new is None else "skipped (speed is for the shipped models)"
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--old", default=None, help="folder with the earlier l1/l2/literary assets (default: from git "
                    "at bench/baseline.py's BASELINE_REV)")
    ap.add_argument("--new", default=None, help="folder with the models to measure (default: shipped)")
    ap.add_argument("--data", default=None, help="data folder (default: shared/data)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    out = run(args.old, args.new, args.data)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if args.json:
        args.json.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
