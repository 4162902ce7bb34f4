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
from wenforge.text.linear import LinearModel, build_vocab, fit_linear, linear_arrays
from wenforge.values.classify import BASE_EXTRA, KIND, MODEL_PATH, RISKY, cue_spans, shape_features
from wenforge.values.data import all_rows
from wenforge.values.taxonomy import load_taxonomy

SAFE = "safe"
RISK_C = 4.0  # inverse regularisation of the risk model (linear.fit_linear's default), classes balanced
# The topic model: chosen by 5-fold cross-validation over the dev rows (`python bench/values_bench.py --select`;
# test rows never read). Logistic regression at C 32, unbalanced (the earlier choice): L1 accuracy 0.816, L2
# macro-F1 0.653. A linear SVM did better: C 1-10, balanced or not, with its margins read at temperature
# 0.2-0.3 gave L1 0.822-0.831 and macro-F1 0.667-0.682 (C 2 unbalanced at 0.25: 0.830, 0.678); C 0.3 gave
# 0.817 at best, temperature 0.1 or 0.5 0.808-0.826, temperature 1 0.71-0.78 (margins are not log-odds).
# The middle of that plateau is kept, not its best cell: the cells differ by a few rows.
TOPIC_LOSS = "hinge"
TOPIC_C = 2.0
TOPIC_CLASS_WEIGHT = None
TOPIC_TEMPERATURE = 0.25


def extra_names() -> tuple[str, ...]:
    """The feature names after the n-grams: the shape features and one cue count per category."""
    return BASE_EXTRA + tuple(f"cue:{c}" for c in load_taxonomy().l2_labels)


def featurised(rows: list[dict]) -> list[dict[str, float]]:
    tax = load_taxonomy()
    return [shape_features(r["text"], cue_spans(r["text"], tax)) for r in rows]


def fit_topic(rows: list[dict], feats: list[dict[str, float]], vocab: list[str], *, c: float = TOPIC_C,
              class_weight: str | None = TOPIC_CLASS_WEIGHT, loss: str = TOPIC_LOSS,
              temperature: float = TOPIC_TEMPERATURE) -> LinearModel:
    """The topic model over the `rows` with a category (`feats`: their shape features, in order)."""
    topical = [(r, f) for r, f in zip(rows, feats, strict=True) if r["l2"]]
    return fit_linear([r["text"] for r, _f in topical], [r["l2"] for r, _f in topical],
                      extra_rows=[f for _r, f in topical], extra=extra_names(), c=c, vocab=vocab,
                      class_weight=class_weight, loss=loss, temperature=temperature)


def fit_models(rows: list[dict], *, risk_c: float = RISK_C) -> tuple[LinearModel, LinearModel]:
    """(risk, topic) fitted on `rows` (any split: the caller chooses); the topic model with the settings above."""
    feats = featurised(rows)
    vocab = build_vocab(r["text"] for r in rows)
    risk = fit_linear([r["text"] for r in rows], [RISKY if r["risky"] else SAFE for r in rows],
                      extra_rows=feats, extra=extra_names(), c=risk_c, vocab=vocab)
    return risk, fit_topic(rows, feats, vocab)


def train(folder: str | Path | None = None, out: str | Path = MODEL_PATH) -> Path:
    """Fit on the dev rows of `folder` (else $WENFORGE_DATA) and own cases; write the model file."""
    rows = [r for r in all_rows(data_folder(folder)) if r["split"] == "dev"]
    risk, topic = fit_models(rows)
    meta = {"rows": len(rows), "risky": sum(r["risky"] for r in rows), "topical": sum(bool(r["l2"]) for r in rows),
            "risk_c": RISK_C, "topic_loss": TOPIC_LOSS, "topic_c": TOPIC_C, "topic_class_weight": TOPIC_CLASS_WEIGHT,
            "topic_temperature": TOPIC_TEMPERATURE, "sources": sorted({r["source"] for r in rows})}
    return save_model(out, KIND, {**linear_arrays(risk, "risk"), **linear_arrays(topic, "topic")}, meta)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", nargs="?", help="the data folder (default $WENFORGE_DATA)")
    ap.add_argument("--out", default=str(MODEL_PATH))
    a = ap.parse_args()
    print(train(a.data, a.out))


if __name__ == "__main__":
    main()
