"""Values and safety benchmark: the shared test rows (never trained on) against two baselines in the same run.

    python bench/values_bench.py [--json OUT.json] [--cv]

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
`--select`: the topic model's settings chosen on a fifth of the dev rows held out (how TOPIC_C was chosen).
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
    from wenforge.values.linear import build_vocab, fit_linear
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


def select_on_dev(dev: list[dict], grid: tuple[float, ...] = (2.0, 8.0, 32.0), hold_every: int = 5) -> list[dict]:
    """The topic model's C and class balancing, chosen on every `hold_every`-th dev row held out (test rows are
    never read): L1 accuracy and L2 macro-F1 per setting."""
    from wenforge.values.classify import ValuesModels, values_check
    from wenforge.values.train import fit_models

    order = list(range(len(dev)))
    random.Random(0).shuffle(order)
    held = [dev[i] for i in order[::hold_every]]
    fit = [dev[i] for j, i in enumerate(order) if j % hold_every]
    out = []
    for c in grid:
        for weight in (None, "balanced"):
            risk, topic = fit_models(fit, topic_c=c, topic_class_weight=weight)
            got = [values_check(r["text"], models=ValuesModels(risk, topic, {})) for r in held]
            scores = topic_scores(held, [g["values_l1"] for g in got], [g["values_l2"] for g in got])
            out.append({"topic_c": c, "class_weight": weight, **{k: scores[k] for k in ("n", "l1_accuracy", "l2_macro_f1")}})
            print(json.dumps(out[-1]), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--select", action="store_true", help="also choose the topic model's settings on dev rows")
    a = ap.parse_args()
    from wenforge.values.data import all_rows

    rows = all_rows(data_folder())
    dev = [r for r in rows if r["split"] == "dev"]
    test = [r for r in rows if r["split"] == "test"]
    result: dict = {"rows": {"dev": len(dev), "test": len(test)}}
    values, speed = run_values(test)
    result["wenforge"] = values
    result["speed"] = speed
    result["baseline_lexicon"] = run_lexicon(test)
    result["baseline_char_ngram"] = run_ngram(dev, test)
    result["responses"] = run_responses(data_folder())
    if a.select:
        result["select_on_dev"] = select_on_dev(dev)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    sys.exit(main())
