"""Where development and training commands find the public data sets (`shared/data`); scoring never does."""

from __future__ import annotations

import os
from pathlib import Path


def shared_data_dir() -> Path:
    """The shared data folder: $WENFORGE_DATA, else the nearest `shared/data` above the working dir or package."""
    env = os.environ.get("WENFORGE_DATA")
    if env:
        return Path(env)
    for start in (Path.cwd(), Path(__file__).resolve()):
        for parent in [start, *start.parents]:
            cand = parent / "shared" / "data"
            if cand.is_dir():
                return cand
            cand = parent.parent / "shared" / "data"
            if cand.is_dir():
                return cand
    raise FileNotFoundError(
        "shared data folder not found: set WENFORGE_DATA to the folder holding literary/, news/, math/ ..."
    )
