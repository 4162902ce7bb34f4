"""Local vs remote run folder: the same config run on local disk and on an SFTP server on 127.0.0.1.

    python bench/remote_bench.py [CONFIG] [--repeats N]   # default: bench/ray_check.yaml on the example corpus

The server is the tests' (tests/sftp_server.py: paramiko's SSH and SFTP server over a local folder, in its own
process), so every byte of input, shard, signature, marker and report goes through fsspec's SFTP client and
the network stack. Reports whether the kept documents and the exclusions are the same (the `source` column
names the input's location, so it is left out), and the wall and CPU time of each (medians over repeats; CPU
includes the run's worker processes) with the ratio remote / local.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import fsspec.config
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from sftp_server import serve_in_process

from wenforge.pipeline.config import load_config
from wenforge.pipeline.run import exclusion_counts, run_pipeline


def kept(data_dir: Path) -> dict[str, dict]:
    """Kept rows by text without `source` (and without the id of raw pages, which is their path)."""
    out = {}
    for f in sorted(data_dir.glob("*.parquet")):
        for r in pq.read_table(f).to_pylist():
            r.pop("source")
            if r["content_type"] in ("text/html", "text/plain") and r["line"] is None:
                r.pop("id")
            out[r["text"]] = r
    return out


def timed(cfg, out) -> tuple[float, float]:
    """(wall s, CPU s of this process and its reaped workers) of one run."""
    r0, c0, t0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    run_pipeline(cfg, out_dir=out)
    wall = time.perf_counter() - t0
    r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(b.ru_utime - a.ru_utime + b.ru_stime - a.ru_stime for a, b in ((r0, r1), (c0, c1)))
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("config", nargs="?", default=str(ROOT / "bench" / "ray_check.yaml"))
    ap.add_argument("--repeats", type=int, default=3)
    a = ap.parse_args()
    base_cfg = load_config(a.config)
    with tempfile.TemporaryDirectory(prefix="wenforge-remote-") as tmp:
        root = Path(tmp) / "served"
        root.mkdir()
        inputs = []
        for i, p in enumerate(base_cfg.input.paths):
            dest = root / "in" / f"{i}_{Path(p).name}"
            (shutil.copytree if Path(p).is_dir() else shutil.copyfile)(p, dest)
            inputs.append(dest)
        with serve_in_process(root) as server:
            os.environ.update(server.env)
            fsspec.config.conf["sftp"] = {"password": server.env["FSSPEC_SFTP_PASSWORD"]}
            local_cfg = load_config(a.config, overrides={"input.paths": [str(p) for p in inputs]})
            remote_cfg = load_config(a.config, overrides={"input.paths": [server.url(f"in/{p.name}") for p in inputs]})
            times: dict[str, list[tuple[float, float]]] = {"local": [], "remote": []}
            for i in range(a.repeats):
                times["local"].append(timed(local_cfg, Path(tmp) / f"local{i}"))
                times["remote"].append(timed(remote_cfg, server.url(f"runs/r{i}")))
            same_kept = kept(Path(tmp) / "local0" / "data") == kept(root / "runs" / "r0" / "data")
            same_excl = exclusion_counts(Path(tmp) / "local0") == exclusion_counts(server.url("runs/r0"))
            stats = json.loads((root / "runs" / "r0" / "stats.json").read_text())
    med = {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for k, v in times.items()}
    report = {
        "config": a.config, "repeats": a.repeats, "read": stats["rows"]["read"], "kept": stats["rows"]["kept"],
        "same_kept_documents": same_kept, "same_exclusions": same_excl, "conserved": stats["conserved"],
        "local": {"wall_s": round(med["local"][0], 1), "cpu_s": round(med["local"][1], 1)},
        "remote_sftp": {"wall_s": round(med["remote"][0], 1), "cpu_s": round(med["remote"][1], 1)},
        "wall_ratio": round(med["remote"][0] / med["local"][0], 2),
        "cpu_ratio": round(med["remote"][1] / med["local"][1], 2),
    }
    print(json.dumps(report, indent=1))
    sys.exit(0 if same_kept and same_excl else 1)


if __name__ == "__main__":
    main()
