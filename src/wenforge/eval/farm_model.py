"""Train the cleaner's machine-prose model (`clean.detectors.machine`) from the dev rows `detect ai` learns from.

    python -m wenforge.eval.farm_model DATA [--out PATH]

It lives here, not in `clean`, because its material is the AI-likeness detector's (`ai_data`): the cleaner
only reads the stored arrays. Windows of 100-1,500 characters of human and machine text (dev split), in
simplified script as the cleaner's view has them, masked to their function characters, then a character
1-3-gram logistic regression with balanced classes.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from wenforge.clean.detectors.machine import KIND, MACHINE, MODEL_PATH, mask_table, masked
from wenforge.core.store import save_model
from wenforge.eval.detectors.ai_data import load_samples, training_windows
from wenforge.text.chars import to_simplified
from wenforge.text.linear import fit_linear, linear_arrays

KEPT_CHARS = 1500  # the most frequent Han characters kept: function words and the commonest morphemes
# (chosen on the dev half of the real-page set, bench/clean_real_bench.py: 120 read too little, 300 and 1000
# less than 1500; more starts to read topics)
C = 4.0  # the n-gram models' regularisation (as `text.linear`'s default)
HUMAN = "human"


def kept_characters(texts: list[str], k: int = KEPT_CHARS) -> str:
    """The `k` most frequent Han characters of `texts`, most frequent first."""
    counts: Counter = Counter()
    for t in texts:
        counts.update(c for c in t if "\u4e00" <= c <= "\u9fff")
    return "".join(c for c, _ in counts.most_common(k))


def train(data: Path, out: Path = MODEL_PATH, seed: int = 0) -> dict:
    """Fit and store the model; returns what was trained on."""
    wins = training_windows(load_samples(data, "dev"), seed)
    texts = [to_simplified(s.text) for s in wins]
    kept = kept_characters(texts)
    table = mask_table(kept)
    model = fit_linear([masked(t, table) for t in texts], [MACHINE if s.label else HUMAN for s in wins], c=C)
    arrays = linear_arrays(model, "prose") | {"kept": np.array(kept)}
    save_model(out, KIND, arrays, {"windows": len(wins), "machine": sum(s.label for s in wins),
                                   "kept_chars": len(kept)})
    return {"windows": len(wins), "machine": sum(s.label for s in wins), "features": len(model.vocab),
            "path": str(out)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path, help="the data folder (dev rows are read)")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    a = ap.parse_args(argv)
    if not a.data_dir.is_dir():
        raise SystemExit(f"{a.data_dir}: no such folder")
    print(train(a.data_dir, a.out))


if __name__ == "__main__":
    main()
