"""The one model store: a trained model is one `.npz` file of named numpy arrays plus a JSON record.

What: `save_model(path, kind, arrays, meta)` writes the arrays (compressed) and a record
`{"format": "wenforge-model", "version": 1, "kind": kind, "meta": meta}` as the 0-d string array
`__record__`; `load_model(path, kind)` reads them back with `allow_pickle=False` and returns
`StoredModel(arrays, meta)`. Strings are JSON in `meta` or unicode arrays, never object arrays (saving one
is refused). A missing file raises `FileNotFoundError`; a corrupt file, a file that is not a model, or one of
another kind or store version raises `ModelFileError`; both name the file and the command that rebuilds it.

Why: models were stored four ways (npz with scalars as one-element arrays, npz plus JSON sidecars, a joblib
pickle, scikit-learn's private tree objects). One format means reading a model runs no code, any numpy
reads it, and a stale or broken asset says so instead of failing deep inside a detector.
"""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wenforge.core.runs import atomic_output
from wenforge.core.storage import exists, is_url, open_file

FORMAT = "wenforge-model"
VERSION = 1  # raise when the container layout changes; a model's own fields belong in its kind
RECORD = "__record__"  # the array holding the JSON record


class ModelFileError(ValueError):
    """A model file that is corrupt, not a wenforge model, or of another kind or store version."""


@dataclass(frozen=True)
class StoredModel:
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]


def save_model(path: str | Path, kind: str, arrays: Mapping[str, Any],
               meta: Mapping[str, Any] | None = None) -> Path:
    """Write `arrays` and the JSON `meta` to `path` (atomically); object arrays and non-JSON meta are refused."""
    path = path if is_url(path) else Path(path)
    out = {name: np.asarray(a) for name, a in arrays.items()}
    if RECORD in out:
        raise ValueError(f"{path}: {RECORD!r} is the store's own record, not an array name")
    objects = [name for name, a in out.items() if a.dtype.hasobject]
    if objects:
        raise TypeError(f"{path}: object arrays cannot be stored without pickle: {', '.join(objects)}")
    record = {"format": FORMAT, "version": VERSION, "kind": kind, "meta": dict(meta or {})}
    out[RECORD] = np.array(json.dumps(record, ensure_ascii=False, allow_nan=False))
    with atomic_output(path) as f:
        np.savez_compressed(f, **out)
    return path


def _arrays(path: Path | str) -> dict[str, np.ndarray] | None:
    """Every array of the npz archive at `path` (no pickle), or None when the file is one bare `.npy` array."""
    if is_url(path):
        with open_file(path) as f:
            path = io.BytesIO(f.read())
    z = np.load(path, allow_pickle=False)
    if not isinstance(z, np.lib.npyio.NpzFile):
        return None
    with z:
        return {name: z[name] for name in z.files}


def load_model(path: str | Path, kind: str, rebuild: str) -> StoredModel:
    """Read a model of `kind` written by `save_model`; every problem names the file and the `rebuild` command."""
    path = path if is_url(path) else Path(path)
    fix = f"rebuild it with `{rebuild}`"
    if not exists(path):
        raise FileNotFoundError(f"{path}: {kind} model missing; {fix}")
    try:
        arrays = _arrays(path)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zlib.error) as e:
        raise ModelFileError(f"{path}: not a readable model file ({e}); {fix}") from e
    if arrays is None:
        raise ModelFileError(f"{path}: not a readable model file (one bare array, not an archive); {fix}")
    if RECORD not in arrays:
        raise ModelFileError(f"{path}: no {RECORD} record, so not a wenforge model file; {fix}")
    try:
        record = json.loads(str(arrays.pop(RECORD)))
    except ValueError as e:
        raise ModelFileError(f"{path}: the {RECORD} record is not JSON ({e}); {fix}") from e
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a {FORMAT} file; {fix}")
    if record.get("version") != VERSION:
        raise ModelFileError(f"{path}: model store version {record.get('version')!r}, "
                             f"this wenforge reads {VERSION}; {fix}")
    if record.get("kind") != kind:
        raise ModelFileError(f"{path}: a {record.get('kind')!r} model, not a {kind!r} model; {fix}")
    return StoredModel(arrays, record.get("meta") or {})

