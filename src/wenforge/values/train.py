"""Train the values risk and topic models on the `dev` rows of the licensed sets plus wenforge's own cases,
and write `assets/values_model.npz` (`python -m wenforge.values.train [DATA_FOLDER] [--out FILE]`).

Risk: must a model refuse this text (JADE questions, own risky cases) or answer it (HC3, Ruozhiba, maths,
SafetyBench, CValues, JADE rules, own look-alikes)? Topic: which TC260 category the text is about, over the
rows the label map places in one. Test rows are never read here; `bench/values_bench.py` reports on them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wenforge.core.paths import data_folder
from wenforge.core.store import save_model
from wenforge.values.classify import BASE_EXTRA, KIND, MODEL_PATH, RISKY, cue_spans, shape_features
from wenforge.values.data import all_rows
from wenforge.values.linear import LinearModel, build_vocab, fit_linear, linear_arrays
from wenforge.values.taxonomy import load_taxonomy

SAFE = "safe"
RISK_C = 4.0  # inverse regularisation of the risk model (linear.fit_linear's default), classes balanced
# The topic model: chosen on a fifth of the dev rows held out (`python bench/values_bench.py --select`): C in
# {2, 8, 32}, with and without class balancing; 32 unbalanced had the best macro-F1 (0.604 against 0.577 for 8
# balanced) and L1 accuracy (0.793 against 0.774)
TOPIC_C = 32.0
TOPIC_CLASS_WEIGHT = None


def extra_names() -> tuple[str, ...]:
    """The feature names after the n-grams: the shape features and one cue count per category."""
    return BASE_EXTRA + tuple(f"cue:{c}" for c in load_taxonomy().l2_labels)


def featurised(rows: list[dict]) -> list[dict[str, float]]:
    tax = load_taxonomy()
    return [shape_features(r["text"], cue_spans(r["text"], tax)) for r in rows]


def fit_models(rows: list[dict], *, risk_c: float = RISK_C, topic_c: float = TOPIC_C,
               topic_class_weight: str | None = TOPIC_CLASS_WEIGHT) -> tuple[LinearModel, LinearModel]:
    """(risk, topic) fitted on `rows` (any split: the caller chooses)."""
    extra = extra_names()
    feats = featurised(rows)
    vocab = build_vocab(r["text"] for r in rows)
    risk = fit_linear([r["text"] for r in rows], [RISKY if r["risky"] else SAFE for r in rows],
                      extra_rows=feats, extra=extra, c=risk_c, vocab=vocab)
    topical = [(r, f) for r, f in zip(rows, feats, strict=True) if r["l2"]]
    topic = fit_linear([r["text"] for r, _f in topical], [r["l2"] for r, _f in topical],
                       extra_rows=[f for _r, f in topical], extra=extra, c=topic_c, vocab=vocab,
                       class_weight=topic_class_weight)
    return risk, topic


def train(folder: str | Path | None = None, out: str | Path = MODEL_PATH) -> Path:
    """Fit on the dev rows of `folder` (else $WENFORGE_DATA) and own cases; write the model file."""
    rows = [r for r in all_rows(data_folder(folder)) if r["split"] == "dev"]
    risk, topic = fit_models(rows)
    meta = {"rows": len(rows), "risky": sum(r["risky"] for r in rows), "topical": sum(bool(r["l2"]) for r in rows),
            "risk_c": RISK_C, "topic_c": TOPIC_C, "topic_class_weight": TOPIC_CLASS_WEIGHT, "sources": sorted({r["source"] for r in rows})}
    return save_model(out, KIND, {**linear_arrays(risk, "risk"), **linear_arrays(topic, "topic")}, meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", help="the data folder (default $WENFORGE_DATA)")
    ap.add_argument("--out", default=str(MODEL_PATH))
    a = ap.parse_args()
    print(train(a.data, a.out))


if __name__ == "__main__":
    main()
