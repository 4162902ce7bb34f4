"""Detector outputs on fixed dev texts, as JSONL, to check that a speed change leaves them byte-identical (issue 17).

    python bench/detect_same.py --out NEW.jsonl [--n 600] [--compare OLD.jsonl]

Texts: `bench/detect_speed.py`'s `load_texts` (dev rows of 500-2,000 characters, half news, half LLM writing),
each also cut to its first sentence-sized piece (60 characters) and to its first paragraph, so short texts and
texts of one sentence are covered too. Every kind of `detect_speed.KINDS` runs through
`wenforge.eval.kinds.run_detector`, text by text, as `wenforge detect` does; the hallucination detector also
runs on each whole text with a reference (the text's second half) and keywords (`KEYWORDS` pieces of the
text). One line per (text, kind) holds the output as `json.dumps(..., sort_keys=True)`. `--compare` counts the lines that differ from an earlier run and
prints the first few.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import detect_speed  # also sets WENFORGE_DATA (devdata)

from wenforge.core.paths import data_folder

SHORT = 60  # characters: about one sentence
KEYWORDS = 4  # keywords per text for the hallucination detector's keyword verdicts


def variants(items: list[dict]) -> list[dict]:
    """Each text whole, its first SHORT characters and its first paragraph (when shorter than the whole)."""
    out = []
    for i, x in enumerate(items):
        out.append({"id": f"{i}:whole", **x})
        out.append({"id": f"{i}:short", "text": x["text"][:SHORT], "source": x["source"]})
        para = x["text"].split("\n", 1)[0]
        if para != x["text"]:
            out.append({"id": f"{i}:para", "text": para, "source": x["source"]})
    return out


def with_reference(x: dict) -> dict:
    """The row with a reference (its text's second half) and keywords (pieces of 2-5 characters of its text)."""
    text = x["text"]
    step = max(len(text) // KEYWORDS, 1)
    kws = [text[i: i + 2 + i % 4] for i in range(0, step * KEYWORDS, step)]
    return {**x, "reference": text[len(text) // 2:], "keywords": kws}


def outputs(rows: list[dict]) -> list[str]:
    """One JSON line per (row, kind): its id, the kind and the detector's output."""
    from wenforge.eval.kinds import run_detector

    lines = []
    for r in rows:
        runs = [(k, {"text": r["text"], "source": r["source"]}) for k in detect_speed.KINDS]
        if r["id"].endswith(":whole"):
            runs.append(("hallucination", with_reference(r)))
        for k, row in runs:
            out = run_detector(k, row)
            lines.append(json.dumps({"id": r["id"], "kind": k, "reference": "reference" in row, "out": out},
                                    ensure_ascii=False, sort_keys=True))
    return lines


def compare(new: list[str], old_path: Path, show: int = 3) -> int:
    """How many lines differ from `old_path` (a missing or extra line counts as differing)."""
    old = old_path.read_text(encoding="utf-8").splitlines()
    diff = [i for i in range(max(len(old), len(new))) if i >= len(old) or i >= len(new) or old[i] != new[i]]
    for i in diff[:show]:
        print(f"line {i}:\n  old {old[i] if i < len(old) else None}\n  new {new[i] if i < len(new) else None}")
    return len(diff)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--compare", type=Path, default=None)
    a = ap.parse_args(argv)
    rows = variants(detect_speed.load_texts(data_folder(), a.n))
    lines = outputs(rows)
    a.out.write_text("".join(x + "\n" for x in lines), encoding="utf-8")
    print(f"{len(rows)} texts, {len(lines)} outputs -> {a.out}")
    if a.compare:
        n = compare(lines, a.compare)
        print(f"{n} of {len(lines)} outputs differ from {a.compare}")
        return 1 if n else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
