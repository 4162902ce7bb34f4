"""Distillation client throughput and overhead against a local teacher that answers after a fixed delay.

    python bench/distill_bench.py [--requests 512] [--concurrency 64] [--delay 0.2] [--repeats 3]

The teacher is `tests/distill/mockserver.py` in its own process (so its CPU is not counted). Measured in
the same command:
  * baseline: the raw `openai.AsyncOpenAI` client, 64 requests in flight (no cache, no retry layer)
  * wenforge: a full `wenforge distill` run (config, input file, request cache with fsync, retry layer,
    the `nonempty` check, output and report) at the same concurrency, with the default `httpx`
    transport and with `transport: openai` (the openai SDK)
  * sequential: one request at a time (latency minus the server's delay = per-request overhead)
  * cached rerun: the same distill run again, answered from the cache
Rate is requests per second; ideal = concurrency / delay. Client overhead is the client process's CPU
time (all threads) per request. Figures are medians over --repeats runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

# the scripted teacher the distill tests use, run as a script
MOCKSERVER = Path(__file__).resolve().parents[1] / "tests" / "distill" / "mockserver.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, delay: float) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(MOCKSERVER), "--port", str(port),
                             "--delay", str(delay)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.time() + 20
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("mock server did not start")


def write_prompts(path: Path, n: int, tag: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(json.dumps({"id": f"{tag}-{i}", "prompt": f"[{tag}] 第{i}题：{i}加{i}等于几？"},
                               ensure_ascii=False) + "\n" for i in range(n))


async def raw_client(url: str, n: int, concurrency: int, tag: str) -> None:
    import openai

    client = openai.AsyncOpenAI(base_url=url, api_key="EMPTY", max_retries=0, timeout=60)
    sem = asyncio.Semaphore(concurrency)

    async def one(i: int) -> None:
        async with sem:
            r = await client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": f"[{tag}] 第{i}题"}], temperature=0.7, max_tokens=64)
            assert r.choices[0].message.content

    await asyncio.gather(*(one(i) for i in range(n)))
    await client.close()


def timed(fn) -> tuple[float, float]:
    c0, t0 = time.process_time(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def distill_run(url: str, work: Path, n: int, concurrency: int, tag: str, transport: str = "httpx") -> dict:
    from wenforge.distill.config import load_config
    from wenforge.distill.run import run_distill

    inp = work / f"{tag}.jsonl"
    if not inp.exists():
        write_prompts(inp, n, tag)
    cfg = load_config(None, {"input": str(inp), "output": str(work / f"{tag}.out.jsonl"), "base_url": url,
                             "concurrency": concurrency, "checks": ["nonempty"], "max_tokens": 64,
                             "cache_dir": str(work / f"{tag}.cache"), "transport": transport})
    return run_distill(cfg, warn=lambda m: None).stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=512)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--delay", type=float, default=0.2)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--sequential", type=int, default=20, help="requests in the sequential latency run")
    a = ap.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "EMPTY")
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    server = start_server(port, a.delay)
    ideal = a.concurrency / a.delay
    res: dict[str, list] = {k: [] for k in ("raw_rate", "raw_cpu_ms", "wf_rate", "wf_cpu_ms", "wfo_rate",
                                            "wfo_cpu_ms", "cached_rate", "cached_cpu_ms", "seq_over_ms",
                                            "seq_cpu_ms")}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            asyncio.run(raw_client(url, 8, 8, "warmup"))
            for r in range(a.repeats):
                wall, cpu = timed(lambda r=r: asyncio.run(raw_client(url, a.requests, a.concurrency, f"raw{r}")))
                res["raw_rate"].append(a.requests / wall)
                res["raw_cpu_ms"].append(cpu / a.requests * 1000)
                wall, cpu = timed(lambda r=r: distill_run(url, work, a.requests, a.concurrency, f"wf{r}"))
                res["wf_rate"].append(a.requests / wall)
                res["wf_cpu_ms"].append(cpu / a.requests * 1000)
                wall, cpu = timed(lambda r=r: distill_run(url, work, a.requests, a.concurrency, f"wfo{r}", "openai"))
                res["wfo_rate"].append(a.requests / wall)
                res["wfo_cpu_ms"].append(cpu / a.requests * 1000)
                wall, cpu = timed(lambda r=r: distill_run(url, work, a.requests, a.concurrency, f"wf{r}"))
                res["cached_rate"].append(a.requests / wall)
                res["cached_cpu_ms"].append(cpu / a.requests * 1000)
                wall, cpu = timed(lambda r=r: distill_run(url, work, a.sequential, 1, f"seq{r}"))
                res["seq_over_ms"].append((wall / a.sequential - a.delay) * 1000)
                res["seq_cpu_ms"].append(cpu / a.sequential * 1000)
    finally:
        server.kill()
        server.wait()
    med = {k: statistics.median(v) for k, v in res.items()}
    print(f"teacher delay {a.delay * 1000:.0f} ms, {a.requests} requests, concurrency {a.concurrency}, "
          f"ideal {ideal:.0f} req/s, medians of {a.repeats} runs, {os.cpu_count()} CPUs")
    print(f"{'mode':<34}{'req/s':>9}{'% ideal':>9}{'client CPU ms/req':>19}")
    rows = [
        ("raw openai.AsyncOpenAI (baseline)", med["raw_rate"], med["raw_cpu_ms"]),
        ("wenforge distill, httpx transport", med["wf_rate"], med["wf_cpu_ms"]),
        ("wenforge distill, openai transport", med["wfo_rate"], med["wfo_cpu_ms"]),
        ("wenforge distill, cached rerun", med["cached_rate"], med["cached_cpu_ms"]),
    ]
    for name, rate, cpu in rows:
        print(f"{name:<36}{rate:>9.1f}{rate / ideal * 100:>8.1f}%{cpu:>19.2f}")
    print(f"sequential (concurrency 1): latency over the {a.delay * 1000:.0f} ms delay "
          f"{med['seq_over_ms']:.2f} ms/req, client CPU {med['seq_cpu_ms']:.2f} ms/req")
    ok_rate = med["wf_rate"] >= 0.8 * ideal
    ok_cpu = med["wf_cpu_ms"] < 2.0
    print(f"target >= 80% of ideal: {'PASS' if ok_rate else 'FAIL'} ({med['wf_rate'] / ideal * 100:.1f}%); "
          f"client overhead < 2 ms/req: {'PASS' if ok_cpu else 'FAIL'} ({med['wf_cpu_ms']:.2f} ms)")
    print(f"wenforge / raw client rate ratio: {med['wf_rate'] / med['raw_rate']:.3f}")


if __name__ == "__main__":
    main()
