"""Does an n-gram language model separate grammatical from ungrammatical FCGEC sentences? (issue 7)

    apt-get install sunpinyin-data sunpinyin-utils     # Debian: open-gram word trigram LM, CC-BY-SA 3.0
    python bench/grammar_lm_probe.py [--json OUT]

A probe, not a detector: it scores every FCGEC sentence with the largest Chinese language model this
machine can install (sunpinyin's open-gram word trigram model: 71,759 words, 2.5M bigrams, 1M trigrams,
segmented by maximum unigram probability over its own lexicon) and reports
- per-feature ROC AUC on dev and test rows (log-probability per character, SLOR = (log P_lm - log P_unigram)
  per character, the lowest token surprise relative to its unigram, ...);
- how often the corrected sentence scores better than its erroneous original (dev minimal pairs);
- 5-fold CV accuracy on dev rows and test accuracy of a logistic model over those features, next to the
  majority baseline.
It exists because the FCGEC goal (>= 0.70) needs a signal beyond POS n-grams; this measures whether an
n-gram LM is that signal. Nothing here is shipped with wenforge.
"""

from __future__ import annotations

import argparse
import glob
import json
import math
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import numpy as np

from wenforge.core.paths import data_folder

OOV = math.log(1e-8)


def _find(name: str) -> Path:
    hits = sorted(glob.glob(f"/usr/lib/*/sunpinyin/data/{name}")) + sorted(glob.glob(f"/usr/share/sunpinyin/{name}"))
    if not hits or shutil.which("tslminfo") is None:
        sys.exit(f"grammar_lm_probe: sunpinyin's {name} or tslminfo not found; "
                 "install them with: apt-get install sunpinyin-data sunpinyin-utils")
    return Path(hits[0])


def lexicon(pydict: Path) -> list[str]:
    """Word id -> word: pydict_sc.bin's third header field is the offset of its UCS-4 word table, one
    NUL-terminated string per id (checked: id 70 = '，', 71 = '。', the most frequent word 的)."""
    raw = pydict.read_bytes()
    offset = int(np.frombuffer(raw[:12], "<u4")[2])
    arr = np.frombuffer(raw[offset: offset + (len(raw) - offset) // 4 * 4], "<u4")
    words, prev = [], 0
    for z in np.flatnonzero(arr == 0):
        words.append("".join(map(chr, arr[prev:z])))
        prev = z + 1
    return words


class TrigramLM:
    """Back-off trigram model read from `tslminfo -v -p` (ARPA-like text with word ids)."""

    def __init__(self, dump: Iterable[str], words: list[str]):
        """`dump`: the lines `tslminfo -v -p` prints (level headers like `\\2-gram\\N`, then id rows)."""
        self.uni: dict[int, tuple[float, float]] = {}
        self.bi: dict[tuple[int, int], tuple[float, float]] = {}
        self.tri: dict[tuple[int, int, int], float] = {}
        level = 0
        for line in dump:
            if line.startswith("\\"):
                level = int(line[1])
                continue
            p = line.split()
            if level == 1:
                self.uni[int(p[0])] = (math.log(float(p[1])), math.log(float(p[2])))
            elif level == 2:
                self.bi[(int(p[0]), int(p[1]))] = (math.log(float(p[2])), math.log(float(p[3])))
            elif level == 3:
                pr = float(p[3])
                self.tri[(int(p[0]), int(p[1]), int(p[2]))] = math.log(pr) if pr > 0 else OOV
        self.ids: dict[str, int] = {}
        for i, w in enumerate(words):
            if w and i in self.uni:
                self.ids.setdefault(w, i)
        self.maxlen = max(map(len, self.ids))

    @classmethod
    def from_sunpinyin(cls, lm: Path, words: list[str]) -> TrigramLM:
        with tempfile.TemporaryFile("w+", encoding="utf-8") as dump:
            subprocess.run(["tslminfo", "-v", "-p", str(lm)], stdout=dump, check=True)
            dump.seek(0)
            return cls(dump, words)

    def segment(self, s: str) -> list[str]:
        """Maximum unigram-probability segmentation over the model's own lexicon."""
        n = len(s)
        best, back = [-math.inf] * (n + 1), [0] * (n + 1)
        best[0] = 0.0
        for i in range(n):
            if best[i] == -math.inf:
                continue
            cands = [(k, self.uni[self.ids[s[i:i + k]]][0]) for k in range(1, min(self.maxlen, n - i) + 1)
                     if s[i:i + k] in self.ids]
            if not cands:
                k = 1
                if not "\u4e00" <= s[i] <= "\u9fff":  # one token for a run of digits/Latin/other symbols
                    while i + k < n and not "\u4e00" <= s[i + k] <= "\u9fff" and s[i + k] not in self.ids:
                        k += 1
                cands = [(k, OOV)]
            for k, lp in cands:
                if best[i] + lp > best[i + k]:
                    best[i + k], back[i + k] = best[i] + lp, i
        out, j = [], n
        while j > 0:
            out.append(s[back[j]:j])
            j = back[j]
        return out[::-1]

    def logp(self, h2: int | None, h1: int | None, w: int | None) -> float:
        if w is None:
            return OOV
        if h2 is not None and h1 is not None and (h2, h1, w) in self.tri:
            return self.tri[(h2, h1, w)]
        bo = self.bi[(h2, h1)][1] if h2 is not None and h1 is not None and (h2, h1) in self.bi else 0.0
        if h1 is not None and (h1, w) in self.bi:
            return bo + self.bi[(h1, w)][0]
        if h1 is not None and h1 in self.uni:
            bo += self.uni[h1][1]
        return bo + self.uni[w][0]

    def token_scores(self, s: str) -> tuple[np.ndarray, np.ndarray]:
        """(log P_lm, log P_unigram) per token, sentence end included (id 0 is the boundary)."""
        h2, h1, lp, lu = None, 0, [], []
        for tok in self.segment(s):
            w = self.ids.get(tok)
            lp.append(self.logp(h2, h1, w))
            lu.append(self.uni[w][0] if w is not None else OOV)
            h2, h1 = h1, w
        lp.append(self.logp(h2, h1, 0))
        lu.append(self.uni[0][0])
        return np.array(lp), np.array(lu)


# Every feature is oriented so that higher = more fluent.
FEATURES = ("logp_per_char", "slor", "min_surprise_gain", "q10_surprise_gain", "minus_tokens_below_-3", "min_logp")


def features(lm: TrigramLM, s: str) -> list[float]:
    lp, lu = lm.token_scores(s)
    d = lp - lu
    n = max(len(s), 1)
    return [lp.sum() / n, (lp.sum() - lu.sum()) / n, d.min(), float(np.quantile(d, 0.1)), -float((d < -3).sum()), lp.min()]


def surface(s: str) -> list[float]:
    """Length and counts a reader sees at a glance: clauses, lists, quotes, digits, common function words."""
    return [len(s), s.count("，"), s.count("、"), s.count("“"), sum(c.isdigit() for c in s), s.count("；"),
            s.count("的"), s.count("不"), s.count("是"), sum(s.count(c) for c in "使让令")]


def main() -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    ap = argparse.ArgumentParser()
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    lm = TrigramLM.from_sunpinyin(_find("lm_sc.t3g"), lexicon(_find("pydict_sc.bin")))
    with open(data_folder() / "grammar" / "fcgec_valid.jsonl", encoding="utf-8") as f:
        rows = [json.loads(x) for x in f if x.strip()]
    split = {sp: [r for r in rows if r["split"] == sp] for sp in ("dev", "test")}
    X = {sp: np.array([features(lm, r["sentence"]) for r in rs]) for sp, rs in split.items()}
    y = {sp: np.array([int(r["error_flag"]) for r in rs]) for sp, rs in split.items()}
    out: dict = {"lm": {"words": len(lm.uni), "bigrams": len(lm.bi), "trigrams": len(lm.tri)}, "auc": {}}
    for j, name in enumerate(FEATURES):  # higher LM score = more fluent, so -score ranks errors first
        out["auc"][name] = {sp: round(float(roc_auc_score(y[sp], -X[sp][:, j])), 3) for sp in X}
    pairs = [(r["sentence"], r["corrections"][0]) for r in split["dev"]
             if r["error_flag"] and r["corrections"] and r["corrections"][0] != r["sentence"]]
    fb = np.array([features(lm, bad) for bad, _ in pairs])
    fg = np.array([features(lm, good) for _, good in pairs])
    total_better = np.mean([lm.token_scores(good)[0].sum() > lm.token_scores(bad)[0].sum() for bad, good in pairs])
    out["dev_pairs"] = {"n": len(pairs), "correction_better": dict(zip(FEATURES, (fg > fb).mean(0).round(3).tolist())),
                        "tie": dict(zip(FEATURES, (fg == fb).mean(0).round(3).tolist())),
                        "correction_total_logp_higher": round(float(total_better), 3)}
    def fit_report(model, Xd: np.ndarray, Xt: np.ndarray) -> dict:
        """Threshold from 5-fold CV on dev rows; accuracy and AUC of the dev-fitted model on test rows."""
        p = cross_val_predict(model, Xd, y["dev"], cv=StratifiedKFold(5, shuffle=True, random_state=0),
                              method="predict_proba")[:, 1]
        thr = float(max(np.arange(0.3, 0.8, 0.01), key=lambda t: ((p >= t) == y["dev"]).mean()))
        pt = model.fit(Xd, y["dev"]).predict_proba(Xt)[:, 1]
        return {"dev_cv_accuracy": round(float(((p >= thr) == y["dev"]).mean()), 4), "threshold": round(thr, 2),
                "test_accuracy": round(float(((pt >= thr) == y["test"]).mean()), 4),
                "test_auc": round(float(roc_auc_score(y["test"], pt)), 4)}

    out["logistic_over_lm_features"] = fit_report(make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
                                                  X["dev"], X["test"])
    S = {sp: np.array([surface(r["sentence"]) for r in rs]) for sp, rs in split.items()}
    out["trees_over_surface_and_lm_features"] = fit_report(
        HistGradientBoostingClassifier(max_iter=150, learning_rate=0.05, max_leaf_nodes=8, random_state=0),
        np.hstack([X["dev"], S["dev"]]), np.hstack([X["test"], S["test"]]))
    out["majority"] = {sp: round(float(max(y[sp].mean(), 1 - y[sp].mean())), 4) for sp in y}
    print(json.dumps(out, ensure_ascii=False, indent=1))
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
