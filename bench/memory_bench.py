"""Peak memory of `wenforge clean` and `wenforge style` as the input grows, and one huge document (issue 14).

    python bench/memory_bench.py [--small-mb 5] [--large-mb 50] [--huge-chars 17000000] [--json OUT]

Inputs are built from the dev rows of UHGEval news in shared/data (repeated with a line number so no two
rows are equal). Each command runs in its own process; peak RSS is that process's ru_maxrss. Goal: large
input / small input <= 1.3x; one 17M-character document in `style` < 1 GB and < 60 s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def _texts() -> list[str]:
    out = []
    with open(DATA / "hallucination" / "uhgeval_concise.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["split"] == "dev":
                out.append(r["newsBeginning"] + r["newsRemainder"])
    return out


def build(path: Path, mb: float, texts: list[str]) -> Path:
    size, i = 0, 0
    with open(path, "w", encoding="utf-8") as f:
        while size < mb * 1e6:
            line = json.dumps({"id": str(i), "text": texts[i % len(texts)] + f"（第{i}篇）"}, ensure_ascii=False) + "\n"
            f.write(line)
            size += len(line.encode())
            i += 1
    return path


def peak(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS in MB, wall seconds) of one command in a fresh child process."""
    probe = ("import resource,subprocess,sys,time;t=time.time();r=subprocess.run(sys.argv[1:]);"
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, time.time()-t, r.returncode)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True)
    kb, secs, rc = out.stdout.split()[-3:]
    if rc != "0":
        raise SystemExit(f"{cmd} failed: {out.stderr[-500:]}")
    return int(kb) / 1024, float(secs)


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small-mb", type=float, default=5)
    ap.add_argument("--large-mb", type=float, default=50)
    ap.add_argument("--huge-chars", type=int, default=17_000_000)
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    texts = _texts()
    tmp = Path(tempfile.mkdtemp())
    wf = str(Path(sys.executable).with_name("wenforge"))
    out: dict = {}
    small, large = build(tmp / "small.jsonl", a.small_mb, texts), build(tmp / "large.jsonl", a.large_mb, texts)
    for cmd in ("clean", "style"):
        rs, ts = peak([wf, cmd, str(small), "-o", str(tmp / f"{cmd}_s.jsonl")])
        rl, tl = peak([wf, cmd, str(large), "-o", str(tmp / f"{cmd}_l.jsonl")])
        out[cmd] = {"small_mb_rss": round(rs), "large_mb_rss": round(rl), "ratio": round(rl / rs, 2),
                    "small_s": round(ts, 1), "large_s": round(tl, 1)}
    huge = tmp / "huge.jsonl"
    body = "".join(texts)
    huge.write_text(json.dumps({"id": "huge", "text": (body * (a.huge_chars // len(body) + 1))[: a.huge_chars]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    r, t = peak([wf, "style", str(huge), "-o", str(tmp / "huge_out.jsonl")])
    out["style_huge_document"] = {"chars": a.huge_chars, "mb_rss": round(r), "seconds": round(t, 1)}
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
