"""Local vs Ray executor: the same config gives the same kept set, and what Ray costs in time.

    python bench/ray_check.py [CONFIG] [--copies N] [--no-init-probe]
        # default: bench/ray_check.yaml on the example corpus

Runs the config with `--executor local` and `--executor ray` (a local Ray instance), each in its own child
process, into two folders; compares the kept document ids and texts and the per-step exclusion counts, and
reports per executor the wall seconds and the CPU seconds of the child and everything it started (Ray's
servers and workers included: they are shut down and reaped before the child exits), then the ratios ray/local.
`--copies N`: the input is N copies of every input file (in a temporary folder), a corpus large enough that
start-up costs stop dominating; exact dedup then drops the copies, so every step but the last still runs on
all of them. The init probe times `ray.init()` + `ray.shutdown()` alone in another child: Ray's fixed start-up
on this machine, paid once per run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]


def kept(out: Path) -> dict[str, str]:
    """The kept documents of a run folder: id -> text."""
    rows = {}
    for f in sorted((out / "data").glob("*.parquet")):
        for r in pq.read_table(f, columns=["id", "text"]).to_pylist():
            rows[r["id"]] = r["text"]
    return rows


def copied_inputs(paths: list[str], copies: int, into: Path) -> list[str]:
    """`copies` copies of every file under `paths` in `into` (names prefixed with the copy number)."""
    files = [f for p in map(Path, paths) for f in ([p] if p.is_file() else sorted(p.rglob("*"))) if f.is_file()]
    for i in range(copies):
        for f in files:
            shutil.copyfile(f, into / f"c{i:03d}_{f.parent.name}_{f.name}")
    return [str(into)]


def one(kind: str, cfg_path: Path, out: Path, inputs: list[str] | None) -> dict:
    """In the child: run the config with executor `kind` into `out` (then shut Ray down, so its processes end)."""
    from wenforge.pipeline.config import load_config
    from wenforge.pipeline.run import run_pipeline

    cfg = load_config(cfg_path, overrides={"input.paths": inputs} if inputs else None)
    t0 = time.perf_counter()
    r = run_pipeline(cfg, executor=kind, out_dir=out)
    seconds = time.perf_counter() - t0
    if kind == "ray":
        import ray

        ray.shutdown()
    return {"seconds": round(seconds, 1), "read": r.read, "kept": r.kept, "excluded": r.excluded, "by_step": r.by_step}


def init_probe() -> dict:
    """In the child: how long a local `ray.init()` (as the pipeline calls it) and `ray.shutdown()` take."""
    import ray

    t0 = time.perf_counter()
    ray.init(log_to_driver=False, include_dashboard=False)
    t1 = time.perf_counter()
    ray.shutdown()
    return {"init_seconds": round(t1 - t0, 1), "shutdown_seconds": round(time.perf_counter() - t1, 1)}


def _proc_table() -> dict[int, tuple[int, float]]:
    """Every process now: pid -> (parent pid, its own user + system CPU seconds), from /proc."""
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            out[int(d)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS)
    return out


_TICKS = os.sysconf("SC_CLK_TCK")
# Ray's workers are not reaped into the parent's rusage (its raylet ends them at shutdown), so CPU is summed from
# /proc: every process descended from the child, its own CPU as last seen. A process ending between two looks
# loses at most this much CPU per core: the figure is a slight underestimate, alike for both executors.
POLL_SECONDS = 0.1


def timed_child(args: list[str]) -> dict:
    """This script's child mode with `args`: its JSON answer, wall seconds and CPU seconds of it and every
    process it started (polled from /proc: `cpu_s`; the reaped rusage, exact where children are waited for:
    `cpu_rusage_s`)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=os.environ.copy())
    tree, cpu = {child.pid}, {}
    reader = ThreadPoolExecutor(1).submit(child.communicate)  # drains the pipes while this thread polls
    while child.poll() is None:
        for pid, (ppid, seconds) in _proc_table().items():
            if pid in tree or ppid in tree:
                tree.add(pid)
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
        time.sleep(POLL_SECONDS)
    stdout, stderr = reader.result()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode != 0:
        sys.exit(f"child {args} failed:\n{stderr[-4000:]}")
    got = json.loads(stdout.strip().splitlines()[-1])
    got["wall_s"] = round(wall, 1)
    got["cpu_s"] = round(sum(cpu.values()), 1)
    got["cpu_rusage_s"] = round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1)
    got["processes"] = len(tree)
    return got


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("config", nargs="?", default=str(ROOT / "bench" / "ray_check.yaml"))
    ap.add_argument("--copies", type=int, default=0, help="input: this many copies of every input file")
    ap.add_argument("--no-init-probe", action="store_true", help="skip timing ray.init alone")
    ap.add_argument("--child", choices=("local", "ray", "init"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--inputs", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args()
    cfg_path = Path(a.config).resolve()
    if a.child == "init":
        print(json.dumps(init_probe()))
        return
    if a.child:
        print(json.dumps(one(a.child, cfg_path, Path(a.out), a.inputs)))
        return
    base = ROOT / "bench" / "out" / "ray_check"
    shutil.rmtree(base, ignore_errors=True)
    base.mkdir(parents=True)
    extra: list[str] = []
    with tempfile.TemporaryDirectory(prefix="wenforge-ray-check-") as tmp:
        if a.copies:
            from wenforge.pipeline.config import load_config

            extra = ["--inputs", *copied_inputs(load_config(cfg_path).input.paths, a.copies, Path(tmp))]
        res = {kind: timed_child(["--child", kind, "--out", str(base / kind), str(cfg_path), *extra])
               for kind in ("local", "ray")}
    for kind, r in res.items():
        print(f"{kind:5s}: read {r['read']} kept {r['kept']} excluded {r['excluded']}: wall {r['wall_s']} s, "
              f"CPU {r['cpu_s']} s (pipeline {r['seconds']} s)", flush=True)
    probe = {} if a.no_init_probe else timed_child(["--child", "init", str(cfg_path)])
    same_exclusions = res["local"]["by_step"] == res["ray"]["by_step"]
    x, y = kept(base / "local"), kept(base / "ray")
    report = {
        "config": str(cfg_path), "copies": a.copies, "read": res["local"]["read"],
        "local": {k: res["local"][k] for k in ("wall_s", "cpu_s", "cpu_rusage_s", "processes", "seconds")},
        "ray": {k: res["ray"][k] for k in ("wall_s", "cpu_s", "cpu_rusage_s", "processes", "seconds")},
        "wall_ratio_ray_over_local": round(res["ray"]["wall_s"] / res["local"]["wall_s"], 2),
        "cpu_ratio_ray_over_local": round(res["ray"]["cpu_s"] / res["local"]["cpu_s"], 2),
        "ray_init_probe": probe,
        "same_kept_set": x.keys() == y.keys(), "same_texts": x == y, "same_exclusions": same_exclusions,
    }
    print(json.dumps(report))
    sys.exit(0 if x == y and same_exclusions else 1)


if __name__ == "__main__":
    main()
