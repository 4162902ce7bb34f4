"""Local vs Ray executor: the same config gives the same kept set.

    python bench/ray_check.py [CONFIG]      # default: bench/ray_check.yaml on the example corpus

Runs the config with `--executor local` and `--executor ray` (a local Ray instance) into two folders and
compares the kept document ids and texts and the per-step exclusion counts.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)
import pyarrow.parquet as pq

from wenforge.pipeline.config import load_config
from wenforge.pipeline.run import run_pipeline

ROOT = Path(__file__).resolve().parents[1]


def kept(out: Path) -> dict[str, str]:
    rows = {}
    for f in sorted((out / "data").glob("*.parquet")):
        for r in pq.read_table(f, columns=["id", "text"]).to_pylist():
            rows[r["id"]] = r["text"]
    return rows


def main() -> None:
    cfg_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / "ray_check.yaml"
    base = ROOT / "bench" / "out" / "ray_check"
    shutil.rmtree(base, ignore_errors=True)
    res = {}
    for kind in ("local", "ray"):
        t0 = time.perf_counter()
        r = run_pipeline(load_config(cfg_path), executor=kind, out_dir=base / kind)
        res[kind] = {"seconds": round(time.perf_counter() - t0, 1), "read": r.read, "kept": r.kept, "by_step": r.by_step}
        print(f"{kind:5s}: read {r.read} kept {r.kept} excluded {r.excluded} in {res[kind]['seconds']} s", flush=True)
    a, b = kept(base / "local"), kept(base / "ray")
    same = a == b and res["local"]["by_step"] == res["ray"]["by_step"]
    print(json.dumps({"same_kept_set": a.keys() == b.keys(), "same_texts": a == b, "same_exclusions": res["local"]["by_step"] == res["ray"]["by_step"]}))
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
