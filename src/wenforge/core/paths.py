"""The data folder that training and development commands read (laid out like the project's shared data:
literary/, news/, ai_text/ ...). Scoring and every command that serves users read only the package's assets.

There is no search of the working directory: the folder is the argument given (`--data DIR`), else
$WENFORGE_DATA, else a clear error. The output of a command therefore never depends on where it runs.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "WENFORGE_DATA"


def data_folder(given: str | Path | None = None) -> Path:
    """The data folder for a training or development command: `given`, else $WENFORGE_DATA; error otherwise."""
    folder = given or os.environ.get(DATA_ENV)
    if not folder:
        raise FileNotFoundError(
            f"no data folder given: pass --data DIR (or set {DATA_ENV}) pointing at the folder holding "
            "literary/, news/, ai_text/ ..."
        )
    path = Path(folder)
    if not path.is_dir():
        raise FileNotFoundError(f"data folder {path} does not exist")
    return path


def require_asset(path: str | Path, rebuild: str) -> Path:
    """`path` of a shipped data asset (word list, counts); `FileNotFoundError` naming it and its `rebuild` command
    when it is missing: a missing asset is a broken install, never an empty default."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: shipped asset missing (a broken install?); rebuild it with `{rebuild}`")
    return path
