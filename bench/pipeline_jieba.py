"""The whole pipeline against plain jieba (issue 17): CPU time of `wenforge run` with every step of
examples/demo.yaml over N documents, divided by the CPU time of `jieba.lcut` over the same texts.

    python bench/pipeline_jieba.py [--n 3000] [--workers 2] [--repeats 1] [--rev 881735a]

Documents: `pipeline_bench.generate` (synthetic spam and clean pages of 2-5 KB over dev rows of news and prose;
a ratio, so the size band matters less than the same texts on both sides). The pipeline runs in a child process
(its CPU time is the child's and its workers', `RUSAGE_CHILDREN`); jieba runs in this process after a warm-up
(its dictionary loaded), `time.process_time`. The goal is a ratio of 1.0 or less. `--rev` also runs the
pipeline as it was at that git revision (`git archive REV src` first on the child's path), in the same command.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from baseline import report, source_tree
from pipeline_bench import SHARDS, generate

OUT = HERE / "out" / "pipeline_jieba"
# every step of examples/demo.yaml (its dedup settings, its limits), over the generated shards
CONFIG = """
name: pipeline-jieba
input: {{paths: ["{data}"], text_field: text, id_field: id}}
limits: {{max_chars: 200000, oversize: truncate}}
decode: {{enabled: true}}
extract: {{enabled: true}}
normalize: {{enabled: true, to_simplified: true}}
langid: {{enabled: true, allow: [zh, en], min_score: 0.5}}
quality: {{enabled: true}}
clean: {{enabled: true}}
style: {{enabled: true}}
dedup: {{exact: true, minhash: {{enabled: true, n_grams: 5, num_buckets: 14, hashes_per_bucket: 8}}}}
output: {{dir: "{out}", report_samples: 8}}
tasks: {tasks}
workers: {workers}
"""


def texts_of(folder: Path) -> list[str]:
    """The generated documents' texts."""
    out = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            out += [json.loads(line)["text"] for line in f if line.strip()]
    return out


def pipeline_cpu(data: Path, workers: int, src: Path | None = None) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one `wenforge run` in a fresh child process (`src`: the package tree to
    run, first on its path; None: the installed one)."""
    out = OUT / "run"
    shutil.rmtree(out, ignore_errors=True)
    cfg = OUT / "run.yaml"
    cfg.write_text(CONFIG.format(data=data, out=out, tasks=SHARDS, workers=workers), encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    proc = subprocess.run([sys.executable, "-m", "wenforge.cli", "run", str(cfg)], capture_output=True, text=True,
                          env=env, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"wenforge run failed:\n{proc.stderr[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def jieba_cpu(texts: list[str]) -> float:
    """CPU seconds of `jieba.lcut` over `texts` (dictionary loaded first)."""
    import jieba

    jieba.lcut("预热")
    c = time.process_time()
    for t in texts:
        jieba.lcut(t)
    return time.process_time() - c


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--rev", default=None, help="also run the pipeline at this git revision")
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    data = OUT / f"docs-{a.n}"
    OUT.mkdir(parents=True, exist_ok=True)
    generate(a.n, data)
    texts = texts_of(data)
    chars = sum(map(len, texts))
    runs = [pipeline_cpu(data, a.workers) for _ in range(a.repeats)]
    jieba_runs = [jieba_cpu(texts) for _ in range(a.repeats)]
    cpu, wall = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
    jcpu = statistics.median(jieba_runs)
    out = {"documents": len(texts), "chars": chars, "pipeline_cpu_s": round(cpu, 1), "pipeline_wall_s": round(wall, 1),
           "jieba_cpu_s": round(jcpu, 1), "ratio": round(cpu / jcpu, 2),
           "pipeline_chars_per_cpu_s": round(chars / cpu), "jieba_chars_per_cpu_s": round(chars / jcpu)}
    if a.rev:
        with tempfile.TemporaryDirectory() as tmp:
            src = source_tree(a.rev, Path(tmp))
            old = statistics.median(pipeline_cpu(data, a.workers, src)[0] for _ in range(a.repeats))
        out |= {"rev": a.rev, "rev_pipeline_cpu_s": round(old, 1), "rev_ratio": round(old / jcpu, 2)}
    report(out, a.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
