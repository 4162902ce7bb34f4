"""Models as they were before issue 12, taken from git, so every benchmark runs them beside the current ones.

`BASELINE_REV` is the last commit before the issue's work; `baseline_files(paths)` writes those files from it
into one temporary folder (flat, by file name) and returns the folder.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
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


def stored(folder: Path) -> Path:
    """Re-save the models of a baseline `folder` (written before the model store: npz files with scalars as
    one-element arrays, the style models' JSON sidecars) as model-store files in place, so today's loaders read
    them; returns the folder."""
    import json

    import numpy as np

    from wenforge.core.store import save_model
    from wenforge.eval.detectors import linear
    from wenforge.style import models

    for npz in folder.glob("*.npz"):
        sidecar = npz.with_suffix(".json")
        with np.load(npz, allow_pickle=False) as z:
            a = {k: z[k] for k in z.files}
        if sidecar.exists():  # a style model: arrays in the npz, the rest in the JSON
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
            kind = models.CLASSIFIER_KIND if "vocab" in meta else models.LITERARY_KIND
            save_model(npz, kind, a, meta)
        elif {"vocab", "idf", "coef", "intercept"} <= set(a):  # a TF-IDF + logistic-regression model
            extra = {k: float(v[0]) for k, v in a.items() if k not in {"vocab", "idf", "coef", "intercept"}}
            save_model(npz, linear.KIND, {k: a[k] for k in ("vocab", "idf", "coef")},
                       {"intercept": float(a["intercept"][0]), "extra": extra})
    return folder


def source_tree(rev: str, folder: Path) -> Path:
    """The package tree `src` as of `rev`, extracted into `folder` (`git archive`); returns `folder/src`."""
    tar = Path(folder) / "src.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(tar), rev, "src"], check=True)
    with tarfile.open(tar) as t:
        t.extractall(folder, filter="data")
    return Path(folder) / "src"


def report(out: dict, path: Path | None) -> None:
    """Print a bench's result as JSON, and write it to `path` when given."""
    print(json.dumps(out, indent=1))
    if path:
        path.write_text(json.dumps(out, indent=1), encoding="utf-8")
