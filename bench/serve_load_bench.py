"""`wenforge serve` under load (issue 14): every request answered with a status code, and ordinary latency
while one client keeps sending maximal prompts.

    python bench/serve_load_bench.py [--clients 200] [--requests 4] [--samples 300] [--json OUT]

A tiny local Llama (built offline) is served by `wenforge serve` in its own process on 127.0.0.1. Phases, each measured in the same run:
1. unloaded: ordinary requests (short prompt, 8 tokens) one at a time -> p50/p99 latency;
2. one ordinary client beside one client that keeps sending maximal prompts (the model's whole context)
   -> p50/p99 and the ratio to unloaded p99 (goal <= 2);
3. hostile: the maximal-prompt client goes on while `--clients` threads send a mix of ordinary requests and malformed bodies (bad JSON, invalid UTF-8, deep nesting,
   1e999999, lone surrogates, stalled bodies); we count responses by status and report ordinary p99.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import devdata  # noqa: F401 - the data folder beside the checkout (WENFORGE_DATA)

from wenforge.lm.tiny import build_tiny_model

ORDINARY = {"messages": [{"role": "user", "content": "你好，请写一句话。"}], "max_tokens": 8, "temperature": 0}
MALFORMED = [b"{not json", b'{"messages": [{"role": "user", "content": "\xff"}]}', b"[" * 50_000,
             b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 1e999999}',
             b'{"messages": [{"role": "user", "content": "\\ud800"}]}', b'{"messages": []}']


def _post(url: str, data: bytes, timeout: float = 120) -> tuple[int, float]:
    t0 = time.perf_counter()
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            r.read()
            return r.status, time.perf_counter() - t0
    except urllib.error.HTTPError as e:
        e.read()
        return e.code, time.perf_counter() - t0
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return -1, time.perf_counter() - t0


def _p99(xs: list[float]) -> float:
    return sorted(xs)[max(0, int(len(xs) * 0.99) - 1)] if xs else float("nan")


def main() -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--requests", type=int, default=4, help="requests per client")
    ap.add_argument("--samples", type=int, default=300, help="ordinary requests per latency phase")
    ap.add_argument("--json", type=Path)
    a = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    model_dir = build_tiny_model(tmp / "tiny")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # the server in its own process, as users run it: the clients' threads do not share its interpreter
    srv = subprocess.Popen([sys.executable, "-m", "wenforge.cli", "serve", str(model_dir), "--port", str(port),
                            "--threads", "1", "--max-tokens", "8", "--max-tokens-cap", "64"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    ordinary = json.dumps(ORDINARY).encode()
    for _ in range(3):
        _post(url, ordinary)
    unloaded = [_post(url, ordinary)[1] for _ in range(a.samples)]

    stop = threading.Event()
    # the largest prompt the tiny model (512-token context) takes beside 64 new tokens: ~3 byte-level tokens per 长
    maximal = json.dumps({"messages": [{"role": "user", "content": "长" * 140}], "max_tokens": 64,
                          "temperature": 1.0}).encode()
    hog_status: Counter = Counter()

    def hog() -> None:
        while not stop.is_set():
            hog_status[_post(url, maximal)[0]] += 1

    statuses: Counter = Counter()
    lat: list[float] = []
    lock = threading.Lock()

    def client(i: int) -> None:
        rng = random.Random(i)
        for _ in range(a.requests):
            if rng.random() < 0.3:
                st, _ = _post(url, rng.choice(MALFORMED))
                with lock:
                    statuses[st] += 1
            else:
                st, dt = _post(url, ordinary)
                with lock:
                    statuses[st] += 1
                    if st == 200:
                        lat.append(dt)

    hog_t = threading.Thread(target=hog, daemon=True)
    hog_t.start()
    time.sleep(0.5)
    hogged = [_post(url, ordinary)[1] for _ in range(a.samples)]  # one ordinary client beside the hog
    threads = [threading.Thread(target=client, args=(i,)) for i in range(a.clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    stop.set()
    hog_t.join(timeout=120)
    srv.terminate()
    srv.wait(timeout=30)
    total = sum(statuses.values())
    out = {
        "maximal_prompt_statuses": {str(k): v for k, v in hog_status.items()},
        "clients": a.clients, "requests": total, "answered_with_status": total - statuses.get(-1, 0),
        "by_status": {str(k): v for k, v in sorted(statuses.items())},
        "unloaded_p50_s": round(statistics.median(unloaded), 4), "unloaded_p99_s": round(_p99(unloaded), 4),
        "beside_maximal_prompt_p50_s": round(statistics.median(hogged), 4),
        "beside_maximal_prompt_p99_s": round(_p99(hogged), 4),
        "p99_ratio": round(_p99(hogged) / _p99(unloaded), 2),
        "under_200_clients_ordinary_p50_s": round(statistics.median(lat), 4) if lat else None,
        "under_200_clients_ordinary_p99_s": round(_p99(lat), 4) if lat else None, "wall_s": round(wall, 1),
    }
    print(json.dumps(out, indent=1))
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))
    return out


if __name__ == "__main__":
    main()
