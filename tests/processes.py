"""Killing commands in tests: a run killed mid-way (to test resume) and a kill that must leave no process behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def python_env() -> dict[str, str]:
    """This process's environment now (fixtures may have set variables), with unbuffered output."""
    return dict(os.environ, PYTHONUNBUFFERED="1")


def wenforge(*args: str) -> list[str]:
    """The command line of `wenforge ARGS` in this interpreter."""
    return [sys.executable, "-m", "wenforge.cli", *args]


def kill_after_completions(cmd: list[str], completions: Path, at_least: int, timeout: float = 180) -> int:
    """Start `cmd`, SIGKILL its whole group once `completions` holds `at_least` task markers; markers at the kill."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=python_env(),
                            start_new_session=True)
    deadline = time.time() + timeout
    while time.time() < deadline and not (completions.exists() and len(list(completions.iterdir())) >= at_least):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return len(list(completions.iterdir())) if completions.exists() else 0


def group_alive(pgid: int) -> list[int]:
    """Pids still running in process group `pgid`."""
    out = subprocess.run(["ps", "-o", "pid=", "-g", str(pgid)], capture_output=True, text=True, check=False).stdout
    return [int(x) for x in out.split()]


def kill_leader_and_wait(proc: subprocess.Popen, grace: float = 30) -> list[int]:
    """SIGKILL only `proc` (started with start_new_session); the pids of its group still alive after `grace`
    seconds, which are then killed so nothing outlives the test."""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + grace
    while time.time() < deadline and group_alive(proc.pid):
        time.sleep(0.2)
    left = group_alive(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left
