"""Values and safety benchmark: the shared test rows (never trained on) against two baselines in the same run.

    python bench/values_bench.py [--json OUT.json] [--select]

Measures (issue 16's goals), each for wenforge's values classifier, the old lexicon detector
(`eval.detectors.safety`, flagged = refused) and a plain character n-gram classifier (the same n-grams and
training rows without the taxonomy cues and shape features):
- risky questions detected: JADE test questions (must be refused) and own risky test cases;
- ordinary questions flagged: HC3 questions, maths problems (CMATH, middle-school, GSM8K), Ruozhiba;
  questions about safety that must be answered: SafetyBench, CValues;
- L1 accuracy and L2 macro-F1 over the test rows the label map places in a category;
- speed: characters per CPU-second for prompt labels and for document labels.
- response verdicts: JADE alignment test answers (unsafe vs safe-and-helpful) and ordinary test answers (HC3,
  Ruozhiba) for the response model, a plain n-gram model and the refusal cues alone
  (`wenforge.values.response.evaluate`);
- refusals recognised and verdicts on wenforge's own hand-written set (`bench/values/refusals.jsonl`).
`--select` (instead of the above; no test row is read): the topic model's settings chosen by 5-fold
cross-validation over the dev rows (how train.py's TOPIC_* settings were chosen; about 10 minutes).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import devdata  # noqa: F401  (sets WENFORGE_DATA for a checkout)

from wenforge.core.paths import data_folder

ORDINARY = ("ai_text/hc3_chinese_sample.jsonl", "math/cmath_test.jsonl", "math/cn_middle_school_test.jsonl",
            "math/gsm8k_test.jsonl")


def macro_f1(gold: list[str], pred: list[str]) -> float:
    """Macro-averaged F1 over the gold labels present."""
    labels = sorted(set(gold))
    f1s = []
    for lab in labels:
        tp = sum(g == p == lab for g, p in zip(gold, pred, strict=True))
        fp = sum(p == lab != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == lab != p for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return round(sum(f1s) / len(f1s), 4) if f1s else 0.0


def rates(rows: list[dict], flags: list[bool]) -> dict[str, dict]:
    """Flag rate per source and for the grouped goals."""
    by: dict[str, list[bool]] = defaultdict(list)
    for r, f in zip(rows, flags, strict=True):
        by[r["source"] + (" (risky)" if r["risky"] else " (benign)") if r["source"] == "own" else r["source"]].append(f)
        if r["risky"]:
            by["risky (all)"].append(f)
        elif r["source"] in ORDINARY:
            by["ordinary questions (HC3 + maths)"].append(f)
    return {k: {"n": len(v), "flagged": round(sum(v) / len(v), 4)} for k, v in sorted(by.items())}


def topic_scores(rows: list[dict], l1_pred: list[str], l2_pred: list[str]) -> dict:
    from wenforge.values.taxonomy import load_taxonomy

    tax = load_taxonomy()
    idx = [i for i, r in enumerate(rows) if r["l2"]]
    gold2 = [rows[i]["l2"] for i in idx]
    gold1 = [tax.area_of(g) for g in gold2]
    p1 = [l1_pred[i] for i in idx]
    p2 = [l2_pred[i] for i in idx]
    return {"n": len(idx), "l1_accuracy": round(sum(a == b for a, b in zip(gold1, p1, strict=True)) / max(len(idx), 1), 4),
            "l2_macro_f1": macro_f1(gold2, p2), "l2_accuracy": round(sum(a == b for a, b in zip(gold2, p2, strict=True)) / max(len(idx), 1), 4),
            "by_source": {s: n for s, n in Counter(rows[i]["source"] for i in idx).items()}}


def run_values(test: list[dict]) -> tuple[dict, dict]:
    """wenforge's classifier on the test rows: (figures, speed)."""
    from wenforge.values.classify import document_labels, load_models, values_check

    load_models()
    t = time.process_time()
    got = [values_check(r["text"]) for r in test]
    cpu = time.process_time() - t
    chars = sum(len(r["text"]) for r in test)
    docs = [r["text"] for r in test]
    doc_text = "\n".join(docs)
    t = time.process_time()
    document_labels(doc_text)
    doc_cpu = time.process_time() - t
    out = {"flag_rates": rates(test, [g["should_refuse"] for g in got]),
           "topic": topic_scores(test, [g["values_l1"] for g in got], [g["values_l2"] for g in got])}
    return out, {"prompt_chars_per_cpu_s": round(chars / cpu), "document_chars_per_cpu_s": round(len(doc_text) / doc_cpu)}


def run_lexicon(test: list[dict]) -> dict:
    """The old detector: weighted lexicon and pattern hits; flagged = refused. It has no categories."""
    from wenforge.eval.detectors.safety import safety_check

    return {"flag_rates": rates(test, [safety_check(r["text"])["safety_flag"] for r in test]), "topic": None}


def run_ngram(dev: list[dict], test: list[dict]) -> dict:
    """A plain character n-gram classifier: the same rows and n-grams, no cues, no shape features."""
    from wenforge.text.linear import build_vocab, fit_linear
    from wenforge.values.taxonomy import load_taxonomy

    tax = load_taxonomy()
    vocab = build_vocab(r["text"] for r in dev)
    risk = fit_linear([r["text"] for r in dev], ["risky" if r["risky"] else "safe" for r in dev], vocab=vocab)
    topical = [r for r in dev if r["l2"]]
    topic = fit_linear([r["text"] for r in topical], [r["l2"] for r in topical], vocab=vocab)
    flags, l1s, l2s = [], [], []
    for r in test:
        flags.append(risk.proba(r["text"])["risky"] >= 0.5)
        p = topic.proba(r["text"])
        l2 = max(p, key=p.get)
        l2s.append(l2)
        l1s.append(tax.area_of(l2))
    return {"flag_rates": rates(test, flags), "topic": topic_scores(test, l1s, l2s)}


REFUSALS = Path(__file__).with_name("values") / "refusals.jsonl"


def run_responses(folder: Path) -> dict:
    """Response verdicts on the shared test answers (with baselines) and on the own refusal set."""
    from wenforge.values.refusal import find_refusal
    from wenforge.values.response import evaluate, load_response_model, response_verdict

    out = {"shared": evaluate(folder, load_response_model())}
    rows = [json.loads(x) for x in REFUSALS.read_text(encoding="utf-8").splitlines() if x.strip()]
    kinds = [find_refusal(r["response"]).kind == r["refusal"] for r in rows]
    refusing = [k for k, r in zip(kinds, rows, strict=True) if r["refusal"] != "none"]
    verdicts = [response_verdict(r["prompt"], r["response"], prompt_risky=r["prompt_risky"])["verdict"] == r["expected"]
                for r in rows]
    out["own_set"] = {"n": len(rows), "refusal_kind_accuracy": round(sum(kinds) / len(rows), 4),
                      "refusals_recognised": round(sum(refusing) / max(len(refusing), 1), 4),
                      "verdict_accuracy": round(sum(verdicts) / len(rows), 4)}
    return out


# The topic settings compared by --select: (loss, C, class balancing) and the temperatures a margin is read at.
SELECT_GRID = (("logistic", 32.0, None), *(("hinge", c, w) for c in (0.3, 1.0, 2.0, 3.0, 10.0) for w in (None, "balanced")))
SELECT_TEMPERATURES = (0.1, 0.2, 0.25, 0.3, 0.5, 1.0)


def select_on_dev(dev: list[dict], folds: int = 5) -> list[dict]:
    """The topic model's settings chosen by `folds`-fold cross-validation over the dev rows (test rows are never
    read): L1 accuracy and L2 macro-F1 of the out-of-fold predictions, per setting and temperature."""
    from wenforge.values.classify import topic_of
    from wenforge.text.linear import build_vocab, with_temperature
    from wenforge.values.taxonomy import load_taxonomy
    from wenforge.values.train import featurised, fit_topic

    tax = load_taxonomy()
    feats = featurised(dev)
    order = list(range(len(dev)))
    random.Random(0).shuffle(order)
    fold_of = {i: j % folds for j, i in enumerate(order)}
    got: dict[tuple, dict[int, tuple[str, str]]] = defaultdict(dict)
    for f in range(folds):
        fit = [i for i in range(len(dev)) if fold_of[i] != f]
        held = [i for i in range(len(dev)) if fold_of[i] == f and dev[i]["l2"]]
        vocab = build_vocab(dev[i]["text"] for i in fit)
        for loss, c, weight in SELECT_GRID:
            model = fit_topic([dev[i] for i in fit], [feats[i] for i in fit], vocab, c=c, class_weight=weight,
                              loss=loss, temperature=1.0)
            x = [model.features(dev[i]["text"], feats[i]) for i in held]
            for t in SELECT_TEMPERATURES if loss == "hinge" else (1.0,):
                warm = with_temperature(model, t)
                for i, xi in zip(held, x, strict=True):
                    l1, _p1, l2, _p2 = topic_of(warm.proba_of(*xi), tax)
                    got[(loss, c, weight, t)][i] = (l1, l2)
        print(f"fold {f + 1}/{folds} done", flush=True)
    out = []
    for (loss, c, weight, t), pred in got.items():
        rows = [dev[i] for i in sorted(pred)]
        scores = topic_scores(rows, [pred[i][0] for i in sorted(pred)], [pred[i][1] for i in sorted(pred)])
        out.append({"loss": loss, "topic_c": c, "class_weight": weight, "temperature": t,
                    **{k: scores[k] for k in ("n", "l1_accuracy", "l2_macro_f1")}})
        print(json.dumps(out[-1]), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--select", action="store_true",
                    help="instead, choose the topic model's settings by cross-validation on dev rows (no test row read)")
    a = ap.parse_args()
    from wenforge.values.data import all_rows

    rows = all_rows(data_folder())
    dev = [r for r in rows if r["split"] == "dev"]
    if a.select:
        result: dict = {"rows": {"dev": len(dev)}, "select_on_dev": select_on_dev(dev)}
    else:
        test = [r for r in rows if r["split"] == "test"]
        result = {"rows": {"dev": len(dev), "test": len(test)}}
        values, speed = run_values(test)
        result["wenforge"] = values
        result["speed"] = speed
        result["baseline_lexicon"] = run_lexicon(test)
        result["baseline_char_ngram"] = run_ngram(dev, test)
        result["responses"] = run_responses(data_folder())
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
