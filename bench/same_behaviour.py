"""Same behaviour before and after a refactor: run the same commands with the code of a git revision and with the
working tree, in one run, and compare their outputs and CPU time.

    python bench/same_behaviour.py [--rev 7b43e4b] [--docs 400] [--repeat 3] [--json OUT.json]

The revision's `src/` is unpacked with `git archive` into a temporary folder and put first on PYTHONPATH, so
the same interpreter and libraries run both sides. Commands (each on both sides): `clean --explain`, `style`,
`detect ai`, `detect grammar` on DOCS documents of the example corpus, `run examples/demo.yaml` (the pipeline,
every step), and `mix` over that run's output. JSONL outputs are compared byte for byte; the pipeline's kept
Parquet rows by content, less the path of the run folder they were written in (the run record, stats.json,
changed schema on purpose and is not compared). CPU time is the children's user+system time of each command,
the median of `--repeat` runs that alternate old and new (this machine is noisy); the ratio is new / old.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REV = "7b43e4b"  # main before the shared core's second pass (issue 13: core/, lm/, store, one config loader)
CORPUS = ("news.jsonl.gz", "literature.jsonl.gz", "reposts.jsonl.gz", "qa_cc-by-sa.jsonl.gz")
MIX_ARGS = ["--by", "l1", "--share", "literature=0.4", "--share", "news=0.3", "--share", "community_answer=0.3",
            "--fit", "budget", "--max-repeat", "2"]


def unpack(rev: str, dest: Path) -> Path:
    """`src/` of `rev` under `dest` (git archive)."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest / "src"


def corpus_docs(n: int, out: Path) -> Path:
    """`n` documents of the example corpus (round robin over its JSONL shards) as one JSONL file."""
    from wenforge.core.rows import read_jsonl

    shards = [[ln.row for ln in read_jsonl(ROOT / "examples" / "corpus" / f) if ln.row] for f in CORPUS]
    rows = []
    i = 0
    while len(rows) < n and any(i < len(s) for s in shards):
        rows.extend({"id": str(s[i].get("id", f"{k}-{i}")), "text": s[i]["text"]} for k, s in enumerate(shards)
                    if i < len(s) and isinstance(s[i].get("text"), str))
        i += 1
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows[:n]), encoding="utf-8")
    return out


def run(side_src: Path | None, args: list[str], cwd: Path) -> float:
    """Run `wenforge ARGS` with `side_src` first on the path (None: the working tree); its CPU seconds."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if side_src is not None:
        env["PYTHONPATH"] = str(side_src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run([sys.executable, "-m", "wenforge.cli", *args], cwd=cwd, env=env, capture_output=True,
                       text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        raise SystemExit(f"wenforge {' '.join(args)} ({side_src or 'working tree'}) failed:\n{p.stderr[-3000:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def kept_rows(run_dir: Path) -> list[dict]:
    """The pipeline's kept rows, sorted by id, without timing-dependent columns."""
    import pyarrow.parquet as pq

    rows = [r for f in sorted((run_dir / "data").glob("*.parquet")) for r in pq.read_table(f).to_pylist()]
    for r in rows:
        extra = json.loads(r.get("extra") or "{}")
        extra.pop("file_path", None)  # where the run folder was: differs by construction
        r["extra"] = extra
    return sorted(rows, key=lambda r: str(r["id"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rev", default=DEFAULT_REV)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3, help="runs per side and command (median CPU time)")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="wenforge-same-"))
    old_src = unpack(a.rev, tmp / "old")
    docs = corpus_docs(a.docs, tmp / "docs.jsonl")
    sides = {"old": old_src, "new": None}
    commands = {
        "clean": lambda d: ["clean", str(docs), "-o", str(d / "clean.jsonl"), "--explain"],
        "style": lambda d: ["style", str(docs), "-o", str(d / "style.jsonl"), "--report", str(d / "style.html")],
        "detect ai": lambda d: ["detect", "ai", str(docs), "-o", str(d / "ai.jsonl")],
        "detect grammar": lambda d: ["detect", "grammar", str(docs), "-o", str(d / "grammar.jsonl")],
        "run demo.yaml": lambda d: ["run", str(ROOT / "examples" / "demo.yaml"), "-o", str(d / "run")],
        "mix": lambda d: ["mix", str(d / "run" / "data"), "-o", str(d / "mix"), *MIX_ARGS],
    }
    cpu: dict[str, dict[str, float]] = {}
    for name, args in commands.items():
        times: dict[str, list[float]] = {side: [] for side in sides}
        for _ in range(a.repeat):
            for side, src in sides.items():
                d = tmp / side
                d.mkdir(exist_ok=True)
                if name == "run demo.yaml":
                    shutil.rmtree(d / "run", ignore_errors=True)  # a rerun would resume the finished run
                if name == "mix":
                    shutil.rmtree(d / "mix", ignore_errors=True)
                times[side].append(run(src, args(d), tmp))
        cpu[name] = {side: round(statistics.median(t), 2) for side, t in times.items()}
    same = {}
    for f in ("clean.jsonl", "style.jsonl", "ai.jsonl", "grammar.jsonl"):
        same[f] = (tmp / "old" / f).read_bytes() == (tmp / "new" / f).read_bytes()
    old_rows, new_rows = kept_rows(tmp / "old" / "run"), kept_rows(tmp / "new" / "run")
    same["pipeline kept rows"] = old_rows == new_rows
    same["mix data"] = all((tmp / "old" / "mix" / "data" / f.name).read_bytes() == f.read_bytes()
                           for f in (tmp / "new" / "mix" / "data").iterdir())
    out = {
        "rev": a.rev, "docs": a.docs, "identical": same,
        "pipeline_kept": {"old": len(old_rows), "new": len(new_rows)},
        "cpu_seconds": cpu, "cpu_ratio_new_over_old": {k: round(v["new"] / v["old"], 3) for k, v in cpu.items()},
        "folder": str(tmp),
    }
    text = json.dumps(out, ensure_ascii=False, indent=2)
    print(text)
    if a.json:
        a.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
