"""`wenforge demo`'s time, and whether a change kept its outputs identical.

    python bench/demo_speed.py run OUT              # wenforge demo -o OUT: wall and CPU seconds, per-act seconds
    python bench/demo_speed.py compare BEFORE AFTER # every file of two demo folders: same bytes or not

`run` times the demo in a child process (CPU = user + system of it and everything it started) and prints one
JSON line: {wall_s, cpu_s, cpu_per_wall, acts: {name: seconds}}. `compare` walks both folders and sorts each
file into `same_bytes`, `same_content` (equal once the folder's own path is written as OUT, gzip and Parquet
compared by their decoded rows, and figures that time the run itself are left out: VOLATILE keys, log files)
or `different` (listed with the first JSON key that differs); it exits 1 when any file differs or is missing.
A before-vs-after speed figure is two `run`s on the same machine (one before the change, one after).
"""

from __future__ import annotations

import gzip
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

# Keys whose values time the run (wall clock, throughput, dates) or say where it ran, never what it computed.
VOLATILE = {
    "seconds", "time", "step_time", "train_runtime", "train_samples_per_second", "train_steps_per_second",
    "elapsed", "wall_s", "started", "finished", "created", "date", "timestamp", "duration", "time_stats",
    "total_flos", "per_second", "chars_per_second", "docs_per_second", "tokens_per_second", "base_seconds",
    "sampling_seconds", "eval_seconds", "setup", "feedback_arm", "control_arm", "throughput", "host", "pid",
    "base_url",  # the port the demo's local model server was given
}
# Figures summed over tasks in the order the tasks finish (datatrove's merged stats): equal to this many
# significant digits, the last bits depend on that order.
FLOAT_DIGITS = 12
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}")
# Files that are logs, caches or settings records of the run, not outputs: datatrove's task logs (a timestamp on
# every line) and executor.json (the steps' settings, sets in an order that changes with the hash seed), the
# distiller's response cache (SQLite pages in write order), the HTML reports (they show the timings).
SKIP_SUFFIXES = (".log", ".sqlite", ".sqlite-journal", "report.html", "executor.json")


def run(out: Path) -> dict:
    """`wenforge demo -o OUT` in a child process: wall seconds, CPU seconds of it and its children, per act."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wenforge.cli", "demo", "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL, env=os.environ.copy())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    acts = {a["name"]: a["seconds"] for a in json.loads((out / "demo.json").read_text())}
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "cpu_per_wall": round(cpu / wall, 2), "acts": acts}


def _strip(value, root: str):
    """`value` with VOLATILE keys dropped (recursively) and the demo folder's path written as OUT."""
    if isinstance(value, dict):
        return {k: _strip(v, root) for k, v in value.items() if k not in VOLATILE and "seconds" not in k}
    if isinstance(value, list):
        return [_strip(v, root) for v in value]
    if isinstance(value, str):
        return _unroot(value, root)
    if isinstance(value, float):
        return float(f"{value:.{FLOAT_DIGITS}g}")
    return value


def _unroot(text: str, root: str) -> str:
    """`text` with the demo folder's path (not a longer name that starts with it) written as OUT, and object
    addresses in reprs (datatrove's executor.json: `<... object at 0x...>`) as 0x."""
    return _ADDRESS.sub("0x", re.sub(re.escape(root) + r"(?![\w.-])", "OUT", text))


def _json_lines(text: str) -> list | None:
    """Every line of a JSON Lines text (or the one JSON document) parsed; None when it is not JSON."""
    try:
        return [json.loads(text)]
    except ValueError:
        pass
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return None


def _content(path: Path, root: str):
    """A comparable form of one output file: decoded rows for Parquet, parsed JSON, else the text or bytes."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return _strip(pq.read_table(path).to_pylist(), root)
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    parsed = _json_lines(text) if path.suffix in (".json", ".jsonl", ".gz") else None
    return _strip(parsed, root) if parsed is not None else _unroot(text, root)


def _first_difference(a, b, where: str = "") -> str:
    """Where two parsed values first differ (a key path), for the report."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return where or "(whole file)"


def compare(before: Path, after: Path) -> dict:
    """Each file of the two demo folders: same bytes, same content once normalised, or different."""
    names = {str(p.relative_to(d)) for d in (before, after) for p in d.rglob("*") if p.is_file()}
    out: dict = {"same_bytes": 0, "same_content": 0, "skipped": 0, "different": {}, "only_in_one": []}
    for name in sorted(names):
        a, b = before / name, after / name
        if name.endswith(SKIP_SUFFIXES):
            out["skipped"] += 1
        elif not (a.is_file() and b.is_file()):
            out["only_in_one"].append(name)
        elif a.read_bytes() == b.read_bytes():
            out["same_bytes"] += 1
        else:
            ca, cb = _content(a, str(before.resolve())), _content(b, str(after.resolve()))
            if ca == cb:
                out["same_content"] += 1
            else:
                out["different"][name] = _first_difference(ca, cb)
    return out


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "run":
        print(json.dumps(run(Path(sys.argv[2])), ensure_ascii=False))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        got = compare(Path(sys.argv[2]), Path(sys.argv[3]))
        print(json.dumps(got, ensure_ascii=False, indent=1))
        sys.exit(1 if got["different"] or got["only_in_one"] else 0)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
