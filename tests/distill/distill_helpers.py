"""Helpers for the distill tests: a real local HTTP teacher (tests/distill/mockserver.py in a subprocess, 127.0.0.1 only) that can misbehave,
be killed and restarted; it logs every request so tests count what was paid for."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

MOCKSERVER = Path(__file__).with_name("mockserver.py")  # the scripted teacher, run as a script


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port}")


class Teacher:
    def __init__(self, tmp: Path, args: list[str], env: dict | None = None):
        self.port = free_port()
        self.log = tmp / f"requests_{self.port}.jsonl"
        self.args = args
        self.env = env
        self.proc: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> None:
        env = dict(os.environ, **(self.env or {}))
        self.proc = subprocess.Popen(
            [sys.executable, str(MOCKSERVER), "--port", str(self.port), "--log", str(self.log),
             *self.args],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
        )
        wait_port(self.port)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def records(self) -> list[dict]:
        if not self.log.exists():
            return []
        out = []
        for line in self.log.read_text(encoding="utf-8").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                pass
        return out

    def served(self) -> Counter:
        """key -> number of 200 answers (what a hosted API would bill)."""
        return Counter(r["key"] for r in self.records() if r["status"] == "200")



def write_prompts(path: Path, n: int, *, answer_of=lambda i: str(2 * i), extra=None) -> Path:
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            row = {"id": f"q{i:03d}", "question": f"第{i}题：{i}加{i}等于几？[[answer:{answer_of(i)}]]",
                   "final_answer": str(2 * i)}
            if extra:
                row.update(extra(i))
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


FAST = {"timeout": 1.0, "backoff_base": 0.02, "backoff_max": 0.3, "retry_after_max": 2.0, "checks": ["nonempty"]}
