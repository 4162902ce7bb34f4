"""Models as they were before issue 12, taken from git, so every benchmark runs them beside the current ones.

`BASELINE_REV` is the last commit before the issue's work; `baseline_files(paths)` writes those files from it
into one temporary folder (flat, by file name) and returns the folder.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE_REV = "e66ed0b"  # main before issue 12 (HC3-only AI model, literary score without genres of real writing)


def baseline_files(paths: list[str], rev: str = BASELINE_REV) -> Path:
    """A temporary folder holding each repository path's file as of `rev` (git show)."""
    out = Path(tempfile.mkdtemp(prefix=f"wenforge-{rev}-"))
    for p in paths:
        data = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{p}"], capture_output=True, check=True).stdout
        (out / Path(p).name).write_bytes(data)
    return out
